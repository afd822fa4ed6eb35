// Every formula of README "What leasecalc report shows" against hand arithmetic, on the seed
// example and on a second scenario (per-type prices, occupancy below 1, a discount).
#include <catch2/catch.hpp>
#include <cmath>

#include "helpers.hpp"
#include "leasecalc/calc/override.hpp"
#include "leasecalc/model/keys.hpp"

using namespace leasecalc;
using test::row;

TEST_CASE("Colossus 1: the seed note's figures", "[calc]") {
  const Report r = build_report(test::colossus(), Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };

  CHECK(v("cluster.gpus.total") == 220000);  // 150,000 + 50,000 + 20,000
  // bf16 factors: H100 989/989 = 1, H200 989/989 = 1, GB200 2500/989 = 2.5278
  CHECK(v("cluster.h100e.factor.GB200") == Approx(2500.0 / 989));
  CHECK(v("cluster.h100e.GB200") == Approx(20000 * 2500.0 / 989));  // 50,556.12
  // 150,000 + 50,000 + 50,556.12 = 250,556.12 H100e
  CHECK(v("cluster.h100e.total") == Approx(150000 + 50000 + 20000 * 2500.0 / 989));
  CHECK(v("cluster.share.GB200.units") == Approx(20000.0 / 220000));        // 9.09%
  CHECK(v("cluster.share.GB200.h100e") == Approx(50556.117 / 250556.117));  // 20.18%
  CHECK(v("cluster.share.H100.h100e") == Approx(150000 / 250556.117));      // 59.87%
  // 250,556.12 / 550,000 = 45.56%, at most: the fleet is "550k+"
  CHECK(v("fleet.share_h100e") == Approx(250556.117 / 550000));
  CHECK(row(r, "fleet.share_h100e").bound == Bound::at_most);
  CHECK(v("lease.gpu_hours") == Approx(1927200000.0));  // 220,000 x 8,760 x 1
  // 220,000 x 2.60 x 8,760 = 5,010,720,000
  CHECK(v("lease.annual_revenue") == Approx(5010720000.0).epsilon(1e-12));
  // 5,010,720,000 / (250,556.12 x 8,760) = 2.2829
  CHECK(v("lease.revenue_per_h100e_hour") == Approx(5010720000.0 / (250556.117 * 8760)));
  CHECK(v("lease.revenue_per_h100e_hour") == Approx(2.283).margin(0.0005));
  // 5,010,720,000 / 300 = 16,702,400 per MW-year, at most: the power is "more than 300MW"
  CHECK(v("lease.revenue_per_mw") == Approx(16702400.0));
  CHECK(row(r, "lease.revenue_per_mw").bound == Bound::at_most);
  // 300 MW x 1000 / 220,000 = 1.3636 kW per GPU, at least
  CHECK(v("power.kw_per_gpu") == Approx(300000.0 / 220000));
  CHECK(row(r, "power.kw_per_gpu").bound == Bound::at_least);
  CHECK(v("breakeven.coverage") == Approx(5010720000.0 / 6e9));  // 83.51%
  CHECK(v("breakeven.gap") == Approx(989280000.0));              // 6,000,000,000 - 5,010,720,000
  CHECK(v("breakeven.price") == Approx(6e9 / 1927200000.0));     // 3.1133 per GPU-hour
  CHECK(v("breakeven.price") == Approx(3.1133).margin(0.00005));
  CHECK(v("breakeven.occupancy") == Approx(6e9 / 5010720000.0));  // 119.74%
  CHECK(row(r, "breakeven.occupancy").note == "unattainable: above 100% occupancy");
  // 6e9 / (2.60 x 8,760) = 263,435.19, rounded up to a whole GPU
  CHECK(v("breakeven.gpus") == 263436);
}

TEST_CASE("breakeven.gpus rests on what it depends on, and a lone model is all the cluster",
          "[calc]") {
  // The count cancels out of loss / revenue per GPU: with one price, a count "over 220k"
  // neither bounds nor sources the break-even count.
  Scenario s = test::colossus();
  for (auto& g : s.gpus)
    g.count.bound = Bound::at_least;
  const Report r = build_report(s, Basis::bf16);
  const Row& gpus = row(r, "breakeven.gpus");
  CHECK(gpus.bound == Bound::none);
  CHECK(gpus.note.empty());  // no "inputs bounded in opposite directions"
  const auto gpu_inputs = gpus.inputs.list();
  CHECK(std::find(gpu_inputs.begin(), gpu_inputs.end(), "cluster.gpus.H100.count") ==
        gpu_inputs.end());
  CHECK(gpus.sources == std::vector<std::string>{"mirae-2026-05-08", "yk-2026-05-09"});
  CHECK_FALSE(gpus.approx);  // the ~150k mix does not enter it
  // A one-model cluster: its share is 1, exactly, with no note and no bound.
  const Scenario one = test::from_text(R"({"schema": "leasecalc/scenario/v1", "name": "one",
    "cluster": {"gpus": {"H100": {"count": {"value": 1000, "bound": "at-least"}}}},
    "lease": {"price_per_gpu_hour": 2}})");
  const Report r1 = build_report(one, Basis::bf16);
  CHECK(row(r1, "cluster.share.H100.units").value == 1);
  CHECK(row(r1, "cluster.share.H100.units").tag == Tag::exact);
  CHECK(row(r1, "cluster.share.H100.units").note.empty());
  CHECK(row(r1, "cluster.share.H100.h100e").value == 1);
}

TEST_CASE("Colossus 1: tags, sources and approx marks", "[calc]") {
  const Report r = build_report(test::colossus(), Basis::bf16);
  // Inputs keep their own tags.
  CHECK(row(r, "cluster.power_mw").tag == Tag::primary);
  CHECK_FALSE(row(r, "cluster.power_mw").derived);
  // counts reported, price estimate, occupancy estimate, hours exact -> estimate
  const Row& revenue = row(r, "lease.annual_revenue");
  CHECK(revenue.tag == Tag::estimate);
  CHECK(revenue.derived);
  CHECK(revenue.approx);  // the mix is "~150k / ~50k / ~20k"
  CHECK(revenue.sources == std::vector<std::string>{"mirae-2026-05-08", "yk-2026-05-09"});
  // counts reported, catalog primary, fleet reported -> reported
  CHECK(row(r, "fleet.share_h100e").tag == Tag::reported);
  // catalog figures only -> primary, and exact to the catalog
  CHECK(row(r, "cluster.h100e.factor.GB200").tag == Tag::primary);
  CHECK_FALSE(row(r, "cluster.h100e.factor.GB200").approx);
  // power primary over reported counts -> reported
  CHECK(row(r, "power.kw_per_gpu").tag == Tag::reported);
  CHECK(row(r, "power.kw_per_gpu").sources ==
        std::vector<std::string>{"anthropic-2026-05-06", "yk-2026-05-09"});
  // Break-even occupancy does not depend on the occupancy figure itself.
  const auto inputs = row(r, "breakeven.occupancy").inputs.list();
  CHECK(std::find(inputs.begin(), inputs.end(), "lease.occupancy") == inputs.end());
  CHECK(std::find(inputs.begin(), inputs.end(), "loss.annual_net_loss") != inputs.end());
}

TEST_CASE("Colossus 1: other bases", "[calc]") {
  SECTION("fp8: GB200 5000/1979") {
    const Report r = build_report(test::colossus(), Basis::fp8);
    // 150,000 + 50,000 x 1979/1979 + 20,000 x 5000/1979 = 200,000 + 50,530.57
    CHECK(row(r, "cluster.h100e.total").value == Approx(200000 + 20000 * 5000.0 / 1979));
    CHECK(r.find("catalog.GB200.fp8_tflops"));
  }
  SECTION("hbm-bw: memory bandwidth relative to H100's 3.35 TB/s") {
    const Report r = build_report(test::colossus(), Basis::hbm_bw);
    CHECK(row(r, "cluster.h100e.factor.H200").value == Approx(4.8 / 3.35));  // 1.43
    // 150,000 + 50,000 x 4.8/3.35 + 20,000 x 8.0/3.35 = 150,000 + 71,641.79 + 47,761.19
    CHECK(row(r, "cluster.h100e.total").value ==
          Approx(150000 + 50000 * 4.8 / 3.35 + 20000 * 8.0 / 3.35));
  }
  SECTION("units: every GPU counts one") {
    const Report r = build_report(test::colossus(), Basis::units);
    CHECK(row(r, "cluster.h100e.total").value == 220000);
    // 220,000 / 550,000 = 40%: the note's figure, on the units basis
    CHECK(row(r, "fleet.share_h100e").value == Approx(0.4));
    CHECK(row(r, "cluster.h100e.factor.GB200").tag == Tag::exact);
    CHECK_FALSE(r.find("catalog.H100.bf16_tflops"));
  }
}

TEST_CASE("Nebula: per-type prices, 90% occupancy, 10% discount", "[calc]") {
  // H100 1,000 at $2.00; B200 400 at $5.00; A100 2,000 at $0.80; 8,760 h; occupancy 0.9;
  // discount 0.1; 5 MW (at most); fleet 10,000 H100e; loss $30,000,000.
  const Report r = build_report(test::nebula(), Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };

  CHECK(v("cluster.gpus.total") == 3400);                         // 1,000 + 400 + 2,000
  CHECK(v("cluster.h100e.factor.B200") == Approx(2250.0 / 989));  // 2.2750
  CHECK(v("cluster.h100e.factor.A100") == Approx(312.0 / 989));   // 0.3155
  // 1,000 + (400 x 2250 + 2000 x 312) / 989 = 1,000 + 1,524,000 / 989 = 2,540.95
  const double h100e = 1000 + 1524000.0 / 989;
  CHECK(v("cluster.h100e.total") == Approx(h100e));
  CHECK(v("cluster.share.A100.units") == Approx(2000.0 / 3400));                  // 58.8%
  CHECK(v("cluster.share.B200.h100e") == Approx(900000.0 / (989000 + 1524000)));  // 35.8%
  CHECK(v("fleet.share_h100e") == Approx(h100e / 10000));                         // 25.4%
  CHECK(row(r, "fleet.share_h100e").bound == Bound::none);   // this fleet is not "at least"
  CHECK(v("lease.gpu_hours") == Approx(3400 * 8760 * 0.9));  // 26,805,600
  // 8,760 x 0.9 x (1 - 0.1) x (1,000 x 2 + 400 x 5 + 2,000 x 0.8) = 7,095.6 x 5,600 = 39,735,360
  CHECK(v("lease.annual_revenue") == Approx(39735360.0));
  // 39,735,360 / (2,540.95 x 8,760) = 4,536 x 989 / 2,513,000 = 1.7852
  CHECK(v("lease.revenue_per_h100e_hour") == Approx(4536.0 * 989 / 2513000));
  CHECK(v("lease.revenue_per_mw") == Approx(39735360.0 / 5));      // 7,947,072
  CHECK(row(r, "lease.revenue_per_mw").bound == Bound::at_least);  // power is "at most"
  CHECK(v("power.kw_per_gpu") == Approx(5000.0 / 3400));           // 1.4706
  CHECK(row(r, "power.kw_per_gpu").bound == Bound::at_most);
  CHECK(v("breakeven.coverage") == Approx(39735360.0 / 30000000));  // 132.5%
  CHECK(v("breakeven.gap") == Approx(30000000.0 - 39735360.0));     // -9,735,360: covered
  // 30,000,000 / (26,805,600 x 0.9) = 30,000,000 / 24,125,040 = 1.2435
  CHECK(v("breakeven.price") == Approx(30000000.0 / 24125040.0));
  // full occupancy revenue: 8,760 x 0.9 x 5,600 = 44,150,400; 30,000,000 / that = 67.9%
  CHECK(v("breakeven.occupancy") == Approx(30000000.0 / 44150400.0));
  CHECK(row(r, "breakeven.occupancy").note.empty());  // attainable
  CHECK(v("breakeven.gpus") == 2567);  // 3,400 x 30,000,000 / 39,735,360 = 2,566.99, up

  // Tags: the B200 price is a bare number, an assumption: revenue is an assumption.
  CHECK(row(r, "lease.price_per_gpu_hour.B200").tag == Tag::assumption);
  CHECK(row(r, "lease.annual_revenue").tag == Tag::assumption);
  // GPU-hours: counts primary x occupancy reported x hours exact -> reported
  CHECK(row(r, "lease.gpu_hours").tag == Tag::reported);
  // `confirmed` reads as primary
  CHECK(row(r, "cluster.gpus.A100.count").tag == Tag::primary);
  CHECK_FALSE(row(r, "lease.annual_revenue").approx);
}

TEST_CASE("the plain-double evaluation gives the same numbers as the tracked one", "[calc]") {
  for (const Scenario& s : {test::colossus(), test::nebula()}) {
    for (Basis b : {Basis::bf16, Basis::hbm_bw, Basis::units}) {
      const Model m(s, b);
      std::vector<Tracked> tracked;
      std::vector<double> plain;
      m.evaluate(m.tracked_inputs(), tracked);
      m.evaluate(m.plain_inputs(), plain);
      REQUIRE(tracked.size() == plain.size());
      for (std::size_t i = 0; i < plain.size(); ++i) {
        INFO(m.outputs()[i].key);
        CHECK(plain[i] == tracked[i].v);
      }
    }
  }
}

TEST_CASE("declared inputs match what each output really depends on", "[calc]") {
  // Nudge each input slot by 1% on plain doubles: an output that moves must list that
  // input among its tracked inputs, or its tag and sources would hide evidence it rests
  // on. (The converse need not hold: revenue per H100e-hour lists hours_per_year, which
  // cancels out of revenue / (H100e x hours).)
  const Scenario s = test::nebula();
  const Model m(s, Basis::bf16);
  std::vector<Tracked> tracked;
  m.evaluate(m.tracked_inputs(), tracked);
  std::vector<double> base;
  m.evaluate(m.plain_inputs(), base);

  // Every input figure of the key table, by its slot.
  Scenario copy = s;
  Inputs<double> in = m.plain_inputs();
  std::size_t moves = 0;
  for (const auto& ref : input_figures(copy, Basis::bf16)) {
    const std::size_t slot = m.input_slot(ref.key);
    REQUIRE(slot != Model::npos);
    const double saved = in[slot];
    in[slot] = saved * 1.01;
    std::vector<double> moved;
    m.evaluate(in, moved);
    in[slot] = saved;
    for (std::size_t i = 0; i < moved.size(); ++i) {
      const auto deps = tracked[i].inputs.list();
      const bool listed = std::find(deps.begin(), deps.end(), ref.key) != deps.end();
      INFO(m.outputs()[i].key << " and " << ref.key);
      if (moved[i] != base[i]) {
        ++moves;
        CHECK(listed);
      }
    }
  }
  CHECK(moves > 50);  // the nudges really moved outputs: the check above is not vacuous
}

TEST_CASE("undefined figures: a zero denominator is not an infinity", "[calc]") {
  Scenario s = test::colossus();
  s.loss->value = 0;
  const Report r = build_report(s, Basis::bf16);
  CHECK_FALSE(row(r, "breakeven.coverage").defined);
  CHECK(row(r, "breakeven.coverage").note == "undefined: the annual net loss is 0");
  CHECK(row(r, "breakeven.price").defined);  // zero loss needs a zero price
  CHECK(row(r, "breakeven.price").value == 0);

  Scenario idle = test::colossus();
  idle.occupancy.value = 0;
  const Report ri = build_report(idle, Basis::bf16);
  CHECK(row(ri, "lease.annual_revenue").value == 0);
  CHECK_FALSE(row(ri, "breakeven.price").defined);
  CHECK_FALSE(row(ri, "breakeven.gpus").defined);
  // Break-even occupancy uses full-occupancy revenue, so it stays defined: 119.7%.
  CHECK(row(ri, "breakeven.occupancy").value == Approx(6e9 / 5010720000.0));
}

TEST_CASE("finite inputs whose result overflows are an error", "[calc]") {
  Scenario s = test::colossus();
  s.price->value = 1e300;  // x 220,000 x 8,760 is beyond a double
  CHECK_THROWS_AS(build_report(s, Basis::bf16), InputError);
}

TEST_CASE("optional sections: without fleet, power or loss their figures are absent", "[calc]") {
  const Report r = build_report(test::from_text(R"({
    "schema": "leasecalc/scenario/v1", "name": "bare",
    "cluster": {"gpus": {"H100": {"count": 100}}},
    "lease": {"price_per_gpu_hour": 2}})"),
                                Basis::bf16);
  CHECK_FALSE(r.find("fleet.share_h100e"));
  CHECK_FALSE(r.find("power.kw_per_gpu"));
  CHECK_FALSE(r.find("breakeven.coverage"));
  CHECK_FALSE(r.find("lease.price_discount"));
  // 100 x 2 x 8,760 x 1 (occupancy not given: full, as an assumption) = 1,752,000
  CHECK(row(r, "lease.annual_revenue").value == Approx(1752000.0));
  CHECK(row(r, "lease.annual_revenue").tag == Tag::assumption);
  CHECK(row(r, "lease.occupancy").note == "not given: full occupancy assumed");
}

TEST_CASE("the catalog: seven more models, every figure sourced, on every basis", "[calc]") {
  const Catalog c = test::catalog();
  for (const char* id : {"MI300X", "MI325X", "MI355X", "B300", "GB300", "H20", "L40S"}) {
    INFO(id);
    const GpuModel* m = c.find(id);
    REQUIRE(m);
    for (const auto& spec : catalog_fields()) {
      if (spec.name == "server_w_per_gpu") continue;  // only where a vendor guide gives it
      const GpuModel::Field* f = m->field(spec.name);
      REQUIRE(f);
      CHECK_FALSE(f->figure.sources.empty());
      CHECK(f->figure.value > 0);
    }
  }
  // A cluster of 1,000 MI300X and 1,000 L40S, against the H100 SXM (989 TFLOPS, 3.35 TB/s)
  const Scenario s = test::from_text(R"({"schema": "leasecalc/scenario/v1", "name": "mixed",
    "cluster": {"gpus": {"MI300X": {"count": 1000}, "L40S": {"count": 1000}}},
    "lease": {"price_per_gpu_hour": 2}})");
  const Report bf16 = build_report(s, Basis::bf16);
  CHECK(row(bf16, "cluster.h100e.factor.MI300X").value == Approx(1307.4 / 989));  // 1.3219
  CHECK(row(bf16, "cluster.h100e.factor.L40S").value == Approx(362.05 / 989));    // 0.3661
  // 1,000 x 1.3219 + 1,000 x 0.3661 = 1,688.0 H100e
  CHECK(row(bf16, "cluster.h100e.total").value == Approx(1000 * (1307.4 + 362.05) / 989));
  const Report bw = build_report(s, Basis::hbm_bw);
  CHECK(row(bw, "cluster.h100e.factor.MI300X").value == Approx(5.3 / 3.35));  // 1.5821
  CHECK(row(bw, "cluster.h100e.factor.L40S").value == Approx(0.864 / 3.35));  // 0.2579
  const Report fp8 = build_report(s, Basis::fp8);
  CHECK(row(fp8, "cluster.h100e.factor.MI300X").value == Approx(2614.9 / 1979));  // 1.3213
  // Blackwell Ultra and MI355X: GB300 2,500 and MI355X 2,500 TFLOPS BF16 dense
  const Scenario b = test::from_text(R"({"schema": "leasecalc/scenario/v1", "name": "ultra",
    "cluster": {"gpus": {"GB300": {"count": 72}, "MI355X": {"count": 128}}},
    "lease": {"price_per_gpu_hour": 4}})");
  const Report rb = build_report(b, Basis::bf16);
  CHECK(row(rb, "cluster.h100e.total").value == Approx((72 + 128) * 2500.0 / 989));  // 505.56
  CHECK(row(rb, "catalog.GB300.bf16_tflops").sources ==
        std::vector<std::string>{"nvidia-gb300-nvl72"});
}

TEST_CASE("costs, capital and profit: the worked example of the costs", "[calc][costs]") {
  // Colossus 1 as bundled, plus power at $60/MWh, load 1, no colocation or other opex,
  // capex $50,000 a GPU over 6 years with no residual.
  Scenario s = test::colossus();
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, double>>{{"costs.power_price_per_mwh", 60},
                                                   {"costs.power_load", 1},
                                                   {"costs.colocation_per_kw_month", 0},
                                                   {"costs.opex_per_gpu_year", 0},
                                                   {"capex.per_gpu", 50000},
                                                   {"capex.life_years", 6},
                                                   {"capex.residual", 0}})
    REQUIRE_NOTHROW(apply_override(s, {key, value, std::nullopt}));
  const Report r = build_report(s, Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  CHECK(v("costs.energy_mwh") == Approx(2628000.0));   // 300 x 8,760
  CHECK(v("costs.power") == Approx(157680000.0));      // 2,628,000 x 60
  CHECK(v("capex.total") == Approx(11e9));             // 220,000 x 50,000
  CHECK(v("capex.depreciation") == Approx(11e9 / 6));  // 1,833,333,333.33
  CHECK(v("pnl.ebitda") == Approx(4853040000.0));      // 5,010,720,000 - 157,680,000
  CHECK(v("pnl.ebit") == Approx(3019706666.67));       // 4,853,040,000 - 1,833,333,333.33
  CHECK(v("pnl.ebitda_margin") == Approx(4853040000.0 / 5010720000.0));  // 96.85%
  // (157,680,000 + 1,833,333,333.33) / (220,000 x 8,760) = 1.03311
  CHECK(v("pnl.cost_per_gpu_hour") == Approx(1.03311).margin(0.000005));
  CHECK(v("breakeven.price_cost") == Approx(1.03311).margin(0.000005));  // occupancy 1
  CHECK(v("breakeven.coverage_ebitda") == Approx(0.80884));              // 4,853,040,000 / 6e9
  CHECK(v("capex.payback_years") == Approx(11e9 / 4853040000.0));        // 2.2666 years
  // (157,680,000 + 1,833,333,333.33) / 5,010,720,000 = 39.73% of full occupancy
  CHECK(v("breakeven.occupancy_cost") == Approx((157680000.0 + 11e9 / 6) / 5010720000.0));
  CHECK(row(r, "pnl.ebit").unit.name == "USD/yr");
  CHECK(row(r, "capex.payback_years").unit.name == "yr");
  CHECK(row(r, "pnl.ebitda").tag == Tag::assumption);  // the costs are set from the shell
}

TEST_CASE("costs on a second scenario: per-type prices, a discount, all three opex lines",
          "[calc][costs]") {
  // Nebula: 3,400 GPUs, 5 MW (at most), revenue 39,735,360; plus $80/MWh at 70% load,
  // $150/kW-month colocation, $2,500 a GPU-year, capex $30,000 a GPU over 5 years, 10% residual.
  Scenario s = test::nebula();
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, double>>{{"costs.power_price_per_mwh", 80},
                                                   {"costs.power_load", 0.7},
                                                   {"costs.colocation_per_kw_month", 150},
                                                   {"costs.opex_per_gpu_year", 2500},
                                                   {"capex.per_gpu", 30000},
                                                   {"capex.life_years", 5},
                                                   {"capex.residual", 0.1}})
    REQUIRE_NOTHROW(apply_override(s, {key, value, std::nullopt}));
  const Report r = build_report(s, Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  CHECK(v("costs.energy_mwh") == Approx(30660.0));       // 5 x 8,760 x 0.7
  CHECK(v("costs.power") == Approx(2452800.0));          // 30,660 x 80
  CHECK(v("costs.colocation") == Approx(9000000.0));     // 5 x 1,000 x 150 x 12
  CHECK(v("costs.other") == Approx(8500000.0));          // 3,400 x 2,500
  CHECK(v("costs.opex") == Approx(19952800.0));          // 2,452,800 + 9,000,000 + 8,500,000
  CHECK(v("capex.total") == Approx(102000000.0));        // 3,400 x 30,000
  CHECK(v("capex.depreciation") == Approx(18360000.0));  // 102,000,000 x 0.9 / 5
  CHECK(v("pnl.ebitda") == Approx(19782560.0));          // 39,735,360 - 19,952,800
  CHECK(v("pnl.ebit") == Approx(1422560.0));             // 19,782,560 - 18,360,000
  // (19,952,800 + 18,360,000) / (3,400 x 8,760 x 0.9 x 0.9) = 38,312,800 / 24,125,040 = 1.5881
  CHECK(v("breakeven.price_cost") == Approx(38312800.0 / (3400 * 8760 * 0.9 * 0.9)));
  // 38,312,800 / 44,150,400 (revenue at full occupancy) = 86.78%
  CHECK(v("breakeven.occupancy_cost") == Approx(38312800.0 / 44150400.0));
  CHECK(v("capex.payback_years") == Approx(102000000.0 / 19782560.0));  // 5.156 years
  // The power is "at most 5 MW": the power cost is at most, and EBITDA at least.
  CHECK(row(r, "costs.power").bound == Bound::at_most);
  CHECK(row(r, "pnl.ebitda").bound == Bound::at_least);
}

TEST_CASE("costs: undefined, never infinite", "[calc][costs]") {
  // A loss-making lease has no payback; a zero price gives no margin.
  Scenario s = test::nebula();
  REQUIRE_NOTHROW(apply_override(s, {"costs.opex_per_gpu_year", 20000, std::nullopt}));  // 68M/yr
  REQUIRE_NOTHROW(apply_override(s, {"capex.per_gpu", 30000, std::nullopt}));
  const Report r = build_report(s, Basis::bf16);
  CHECK(row(r, "pnl.ebitda").value == Approx(39735360.0 - 68000000.0));  // negative
  CHECK_FALSE(row(r, "capex.payback_years").defined);
  CHECK(row(r, "capex.payback_years").note == "undefined: EBITDA is not positive");
  Scenario idle = test::nebula();
  REQUIRE_NOTHROW(apply_override(idle, {"costs.opex_per_gpu_year", 100, std::nullopt}));
  REQUIRE_NOTHROW(apply_override(idle, {"lease.occupancy", 0, std::nullopt}));
  const Report ri = build_report(idle, Basis::bf16);
  CHECK_FALSE(row(ri, "pnl.ebitda_margin").defined);
  CHECK_FALSE(row(ri, "breakeven.price_cost").defined);
}
