// The contract over time and the rest of the steady-state costs (per-model capex, power
// from the catalog's server power per GPU and the PUE, take-or-pay), on Kestrel
// (tests/scenarios/kestrel.json), a scenario of our own: every expected value is hand arithmetic
// written beside it.
#include <fmt/format.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "helpers.hpp"
#include "leasecalc/calc/override.hpp"
#include "leasecalc/calc/schedule.hpp"
#include "leasecalc/calc/whatif.hpp"

using namespace leasecalc;
using test::row;

namespace {

// Kestrel's months, written out independently of the model: online share and escalation.
// Revenue at the year-0 price, all online: (1,000 x 2 + 500 x 4) x 8,760 x max(0.7, 0.8)
// / 12 = 28,032,000 / 12 = 2,336,000 a month.
constexpr double k_revenue_month = 2336000.0;
// IT power: (1,000 x 1,275 W + 500 x 1,750 W) / 1e6 = 2.15 MW (the catalog's power per
// GPU in a server: DGX H100 10.2 kW / 8; GB200 NVL72 126 kW / 72). The power bill is on
// 2.15 x PUE 1.2 = 2.58 MW: 2.58 x 8,760 x $50 = 1,130,040 a year, 94,170 a month, with
// the GPUs online.
constexpr double k_power_month = 1130040.0 / 12;
// Colocation on IT power 2.15 x 1,000 x 100 x 12 = 2,580,000 and other opex 1,500 x
// 2,000 = 3,000,000 a year: (2,580,000 + 3,000,000) / 12 = 465,000 a month, online or not.
constexpr double k_fixed_month = 465000.0;
constexpr double k_capex = 55000000.0;  // 1,000 x 30,000 + 500 x 50,000

double online(int m) { return m < 3 ? 0.5 : 1.0; }
double escalation(int m) { return std::pow(0.95, m / 12); }
double revenue(int m) { return k_revenue_month * online(m) * escalation(m); }
double cash(int m) { return revenue(m) - (k_power_month * online(m) + k_fixed_month); }
// README "Costs, margin and the contract": NPV = -capex + sum of cash x (1 + r)^(-(m + 1) / 12) +
// book value x (1 + r)^(-36 / 12); book value 55,000,000 x (1 - 0.9 x min(1, 36 / 60)) =
// 25,300,000.
double npv_at(double r) {
  double pv = 0;
  for (int m = 0; m < 36; ++m)
    pv += cash(m) * std::pow(1 + r, -(m + 1) / 12.0);
  return -k_capex + pv + 25300000.0 * std::pow(1 + r, -3.0);
}

}  // namespace

TEST_CASE("costs: power from server power x PUE, per-model capex, take-or-pay bills its minimum",
          "[calc][contract]") {
  const Report r = build_report(test::kestrel(), Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  CHECK(v("costs.it_power_mw") == Approx(2.15));        // (1,275,000 + 875,000) W / 1e6
  CHECK(v("costs.power_mw") == Approx(2.58));           // 2.15 x 1.2
  CHECK(v("costs.power") == Approx(1130040.0));         // 2.58 x 8,760 x 50
  CHECK(v("costs.colocation") == Approx(2580000.0));    // 2.15 (IT, before PUE) x 1,000 x 100 x 12
  CHECK(v("costs.opex") == Approx(6710040.0));          // 1,130,040 + 2,580,000 + 3,000,000
  CHECK(v("capex.total") == Approx(k_capex));           // 30,000,000 + 25,000,000
  CHECK(v("capex.depreciation") == Approx(9900000.0));  // 55,000,000 x 0.9 / 5
  // Take-or-pay 80% above occupancy 70%: revenue bills 80%, GPU-hours keep 70%.
  CHECK(v("lease.annual_revenue") == Approx(28032000.0));  // 4,000 x 8,760 x 0.8
  CHECK(v("lease.gpu_hours") == Approx(9198000.0));        // 1,500 x 8,760 x 0.7
  // Break-even on billed GPU-hours: (6,710,040 + 9,900,000) / (1,500 x 8,760 x 0.8)
  // = 16,610,040 / 10,512,000 = 1.580102
  CHECK(v("breakeven.price_cost") == Approx(16610040.0 / 10512000.0));
  CHECK(v("pnl.ebitda") == Approx(21321960.0));  // 28,032,000 - 6,710,040
  // The servers' power figures' sources (the DGX guide; GB200 rack figures, reported).
  CHECK(row(r, "costs.power_mw").sources ==
        std::vector<std::string>{"gb200-nvl72-rack-power", "nvidia-dgx-h100-h200-guide"});
  CHECK(row(r, "costs.power_mw").tag == Tag::assumption);  // the PUE is a bare number
}

TEST_CASE("contract: totals, present values, book value, NPV, IRR and payback by hand",
          "[calc][contract]") {
  const Report r = build_report(test::kestrel(), Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  // 2,336,000 x (3 x 0.5 + 9) + 2,336,000 x 0.95 x 12 + 2,336,000 x 0.9025 x 12
  // = 24,528,000 + 26,630,400 + 25,298,880 = 76,457,280
  CHECK(v("contract.revenue_total") == Approx(76457280.0));
  // opex: 94,170 x (1.5 + 33) + 465,000 x 36 = 3,248,865 + 16,740,000 = 19,988,865
  CHECK(v("contract.ebitda_total") == Approx(76457280.0 - 19988865.0));  // 56,468,415
  CHECK(v("contract.book_value_end") == Approx(25300000.0));
  CHECK(v("contract.npv") == Approx(npv_at(0.10)));  // 13,268,588.80
  CHECK(v("contract.npv") == Approx(12755025.73).margin(0.01));
  // Calendar years from November 2026: 2026 holds months 0-1, 2027 months 2-13, ...
  CHECK(v("contract.calendar.2026.revenue") == Approx(2336000.0));   // 2,336,000 x 0.5 x 2
  CHECK(v("contract.calendar.2027.revenue") == Approx(26630400.0));  // x (0.5 + 9 + 0.95 x 2)
  CHECK(v("contract.calendar.2028.revenue") == Approx(26408480.0));  // x (0.95 x 10 + 0.9025 x 2)
  CHECK(v("contract.calendar.2029.revenue") == Approx(21082400.0));  // x 0.9025 x 10
  // Payback: cumulative cash -55,000,000 + the months' cash first >= 0 in month 36.
  double cumulative = -k_capex;
  int payback = 0;
  for (int m = 0; m < 36 && payback == 0; ++m)
    if ((cumulative += cash(m)) >= 0) payback = m + 1;
  CHECK(payback == 36);
  CHECK(v("contract.payback_months") == payback);
  // IRR: the NPV at it is 0 within 1e-6 of capex, and 22.94% by bisection on npv_at above.
  const double irr = v("contract.irr");
  CHECK(std::fabs(npv_at(irr)) < 1e-6 * k_capex);
  // The same root by bisection on the test's own npv_at, between 0% and 100% (NPV falls
  // with r: -55M of capex, then positive cash): 22.935%.
  double lo = 0, hi = 1;
  for (int i = 0; i < 100; ++i)
    (npv_at((lo + hi) / 2) > 0 ? lo : hi) = (lo + hi) / 2;
  CHECK(irr == Approx(lo).margin(1e-6));
  CHECK(irr == Approx(0.2293508).margin(1e-6));
  Scenario at_irr = test::kestrel();
  REQUIRE_NOTHROW(apply_override(at_irr, {"finance.discount_rate", irr, std::nullopt, {}}));
  CHECK(std::fabs(row(build_report(at_irr, Basis::bf16), "contract.npv").value) < 1e-6 * k_capex);
  // Units and tags: USD, months, a rate a year; the weakest input is an assumption.
  CHECK(row(r, "contract.npv").unit.name == "USD");
  CHECK(row(r, "contract.payback_months").unit.name == "mo");
  CHECK(row(r, "contract.irr").unit.name == "/yr");
  CHECK(row(r, "contract.npv").tag == Tag::assumption);
  CHECK(row(r, "contract.npv").sources ==
        std::vector<std::string>{"gb200-nvl72-rack-power",
                                 "nvidia-dgx-h100-h200-guide"});  // server power
}

TEST_CASE("contract: the schedule's months sum to the contract, and a partial quarter",
          "[calc][contract]") {
  const Scenario s = test::kestrel();
  const Model model(s, Basis::bf16);
  const Schedule month = build_schedule(model, s.name, Period::month, {});
  REQUIRE(month.rows.size() == 36);
  CHECK(month.rows[0].label == "2026-11");
  CHECK(month.rows[35].label == "2029-10");
  auto column = [&](const Schedule& sc, std::string_view key) {
    for (std::size_t c = 0; c < sc.columns.size(); ++c)
      if (sc.columns[c].key == key) return c;
    FAIL("no column " << key);
    return std::size_t{0};
  };
  double revenue = 0, ebitda = 0, pv = 0;
  for (int m = 0; m < 36; ++m) {
    const auto& p = month.rows[static_cast<std::size_t>(m)];
    CHECK(p.values[column(month, "revenue")].v == Approx(::revenue(m)));
    revenue += p.values[column(month, "revenue")].v;
    ebitda += p.values[column(month, "ebitda")].v;
    pv += p.values[column(month, "pv_cash")].v;
  }
  const Report r = build_report(s, Basis::bf16);
  CHECK(revenue == Approx(row(r, "contract.revenue_total").value));
  CHECK(ebitda == Approx(row(r, "contract.ebitda_total").value));
  CHECK(pv == Approx(row(r, "contract.pv_ebitda").value));
  // By quarter: 2026-Q4 holds November and December only.
  const Schedule q =
      build_schedule(model, s.name, Period::quarter, {"online", "revenue", "cumulative_cash"});
  REQUIRE(q.rows.size() == 13);  // 2 + 11 x 3 + 1 months
  CHECK(q.rows[0].label == "2026-Q4");
  CHECK(q.rows[0].months == 2);
  CHECK(q.rows[0].values[1].v == Approx(2336000.0));          // 2,336,000 x 0.5 x 2
  CHECK(q.rows[1].values[0].v == Approx((0.5 + 1 + 1) / 3));  // 2027-Q1: Jan 0.5, Feb, Mar 1
  CHECK(q.rows[12].label == "2029-Q4");
  CHECK(q.rows[12].months == 1);  // October 2029
  CHECK(q.rows[12].values[2].v == Approx(row(r, "contract.ebitda_total").value - k_capex));
  // Without a start, contract periods: Y1, Y2, Y3.
  Scenario no_start = s;
  no_start.start.clear();
  const Model m2(no_start, Basis::bf16);
  const Schedule y = build_schedule(m2, s.name, Period::year, {"revenue"});
  REQUIRE(y.rows.size() == 3);
  CHECK(y.rows[0].label == "Y1");
  CHECK(y.rows[0].values[0].v == Approx(24528000.0));  // 2,336,000 x 10.5
}

TEST_CASE("contract: undefined payback and IRR say why, and a sunk capex has neither",
          "[calc][contract]") {
  // At $1.10 and $2.20 the months' cash is 2,336,000 x 0.55 = 1,284,800 a month all online:
  // less than 55,000,000 over 36 months, so the payback is undefined.
  Scenario s = test::kestrel();
  REQUIRE_NOTHROW(apply_override(s, {"lease.price_per_gpu_hour.H100", 1.1, std::nullopt, {}}));
  REQUIRE_NOTHROW(apply_override(s, {"lease.price_per_gpu_hour.GB200", 2.2, std::nullopt, {}}));
  Report r = build_report(s, Basis::bf16);
  CHECK_FALSE(row(r, "contract.payback_months").defined);
  CHECK(row(r, "contract.payback_months").note ==
        "undefined: cumulative cash stays below 0 through the term");
  CHECK(row(r, "contract.irr").defined);  // the book value still turns the flows positive
  // At $0.30 every month loses money: all flows negative, no IRR.
  REQUIRE_NOTHROW(apply_override(s, {"lease.price_per_gpu_hour.H100", 0.3, std::nullopt, {}}));
  REQUIRE_NOTHROW(apply_override(s, {"lease.price_per_gpu_hour.GB200", 0.3, std::nullopt, {}}));
  REQUIRE_NOTHROW(apply_override(s, {"capex.residual", 0, std::nullopt, {}}));
  REQUIRE_NOTHROW(apply_override(s, {"capex.life_years", 1, std::nullopt, {}}));
  r = build_report(s, Basis::bf16);
  CHECK_FALSE(row(r, "contract.irr").defined);
  CHECK(row(r, "contract.irr").note.starts_with("undefined: the cash flows do not change sign"));
  // Capex sunk: no NPV, IRR or payback, cash from 0.
  Scenario sunk = test::kestrel();
  REQUIRE_NOTHROW(apply_override(sunk, {"finance.capex_at_start", 0, std::nullopt, "false"}));
  r = build_report(sunk, Basis::bf16);
  CHECK(r.find("contract.npv") == nullptr);
  CHECK(r.find("contract.irr") == nullptr);
  CHECK(row(r, "contract.pv_ebitda").value ==
        Approx(npv_at(0.10) + k_capex - 25300000.0 * std::pow(1.1, -3.0)));
}

TEST_CASE("irr: a bracketed root, or none when the flows do not change sign once",
          "[calc][contract]") {
  // -100 now and 110 in month 12: 10% a year exactly.
  std::vector<double> f(13, 0.0);
  f[0] = -100;
  f[12] = 110;
  CHECK(irr(f.data(), f.size()).value() == Approx(0.10).margin(1e-12));
  f[12] = 90;  // a loss: -10% a year
  CHECK(irr(f.data(), f.size()).value() == Approx(-0.10).margin(1e-12));
  f[12] = 400;  // 300% a year
  CHECK(irr(f.data(), f.size()).value() == Approx(3.0).margin(1e-9));
  f[12] = -5;  // never positive
  CHECK_FALSE(irr(f.data(), f.size()));
  f[12] = 60;  // -100, +60 in month 6, then -5 at month 12... two changes of sign
  f[6] = 60;
  f[12] = -5;
  CHECK_FALSE(irr(f.data(), f.size()));
  // Monthly flows: -1,000 then 100 a month for 12 months: the annuity's monthly rate m
  // solves 1,000 = 100 x (1 - (1 + m)^-12) / m, m = 2.92285% (by bisection), so
  // r = 1.0292285^12 - 1 = 41.2999% a year.
  std::vector<double> g(13, 100.0);
  g[0] = -1000;
  const double r = irr(g.data(), g.size()).value();
  double pv = -1000;
  for (int k = 1; k <= 12; ++k)
    pv += 100 * std::pow(1 + r, -k / 12.0);
  CHECK(std::fabs(pv) < 1e-9);
  CHECK(r == Approx(0.412999).margin(1e-5));
}

TEST_CASE("irr: a rate is pinned to 1e-9, or undefined", "[calc][contract]") {
  // The NPV at rate r of monthly flows, in long double.
  auto npv = [](const std::vector<double>& f, long double r) {
    long double sum = 0;
    for (std::size_t k = 0; k < f.size(); ++k)
      sum += f[k] * std::pow(1 + r, -static_cast<long double>(k) / 12);
    return sum;
  };
  // A rate returned has the NPV change sign across rate -+ 1e-9 (relative above 1).
  auto pinned = [&](const std::vector<double>& f) {
    const auto r = irr(f.data(), f.size());
    if (!r) return true;
    const long double tol = 1e-9L * std::max(1.0L, std::fabs(static_cast<long double>(*r)));
    const long double a = npv(f, *r - tol), b = npv(f, *r + tol);
    INFO("rate " << *r << ", NPV " << static_cast<double>(a) << " .. " << static_cast<double>(b));
    return (a > 0) != (b > 0);
  };
  // Capex of 1e-100 a GPU on 1,000 GPUs, then 1,000,000 a month: the rate solves
  // 1e-97 = 1e6 x + ..., x = (1 + r)^(-1/12) about 1e-103, so 1 + r is about 1e1236,
  // beyond a double (it printed 1.94e278).
  std::vector<double> tiny(13, 1e6);
  tiny[0] = -1e-97;
  CHECK_FALSE(irr(tiny.data(), tiny.size()));
  // Nearly everything lost: -1,000,000, then 0.25 a month for a year: 1 + r is about
  // 3e-6 / 1e6 ... a rate near -100% on a flat polynomial.
  std::vector<double> lost(13, 0.25);
  lost[0] = -1e6;
  CHECK(pinned(lost));
  // -1,000 and 1 in month 12: r = 1/1,000 - 1 = -99.9% exactly, well within a double.
  std::vector<double> f(13, 0.0);
  f[0] = -1000;
  f[12] = 1;
  REQUIRE(irr(f.data(), f.size()));
  CHECK(*irr(f.data(), f.size()) == Approx(-0.999).margin(1e-12));
  // The usual: Kestrel-like flows and a 10-year annuity are pinned.
  std::vector<double> annuity(121, 1000.0);
  annuity[0] = -60000;
  CHECK(pinned(annuity));
  CHECK(irr(annuity.data(), annuity.size()));
  for (double first : {-1e-12, -1e-6, -1.0, -1e3, -1e9, -1e15})
    for (double monthly : {1e-3, 1.0, 1e6}) {
      std::vector<double> g(49, monthly);
      g[0] = first;
      INFO(first << " then " << monthly << " a month");
      CHECK(pinned(g));
    }
}

TEST_CASE("contract: depreciation stops at the end of the life", "[calc][contract]") {
  // Kestrel with a 2-year life and its 36-month term: 55,000,000 x (1 - 0.1) / 2 / 12 =
  // 2,062,500 a month for months 0-23, then 0. The months sum to 2,062,500 x 24 =
  // 49,500,000 = capex - book value, 55,000,000 - 55,000,000 x (1 - 0.9 x min(1, 36 / 24)).
  Scenario s = test::kestrel();
  REQUIRE_NOTHROW(apply_override(s, {"capex.life_years", 2, std::nullopt, {}}));
  const Model model(s, Basis::bf16);
  const auto months = model.months();
  REQUIRE(months.size() == 36);
  CHECK(months[0].depreciation.v == Approx(2062500.0));
  CHECK(months[23].depreciation.v == Approx(2062500.0));
  CHECK(months[24].depreciation.v == 0);
  CHECK(months[35].depreciation.v == 0);
  CHECK(months[30].ebit.v == Approx(months[30].ebitda.v));  // nothing left to depreciate
  double total = 0;
  for (const auto& m : months)
    total += m.depreciation.v;
  CHECK(total == Approx(49500000.0));
  const Report r = build_report(s, Basis::bf16);
  CHECK(row(r, "contract.book_value_end").value == Approx(5500000.0));  // 55M x 0.1
  CHECK(total == Approx(k_capex - row(r, "contract.book_value_end").value));
  // A month after the life depends on the life: its provenance lists it.
  const auto inputs = months[30].depreciation.inputs.list();
  CHECK(std::find(inputs.begin(), inputs.end(), "capex.life_years") != inputs.end());
}

TEST_CASE("contract: calendar years follow the term in force", "[calc][contract]") {
  // Kestrel at a 60-month term, from November 2026: months 0-1 in 2026, 2-13 in 2027, ...
  // 50-59 in 2031. Revenue a month: 2,336,000 x online x 0.95^year (year = m / 12), so
  // by contract year: 24,528,000 (months 0-11, 3 at half), 26,630,400, 25,298,880,
  // 24,033,936 (x 0.857375) and 22,832,239.2 (x 0.81450625): 123,323,455.2 in all.
  Scenario s = test::kestrel();
  REQUIRE_NOTHROW(apply_override(s, {"lease.term_months", 60, std::nullopt, {}}));
  const Model model(s, Basis::bf16);
  // The outputs a sweep would name: the total and every calendar year a term may reach.
  std::vector<std::size_t> wanted{model.find_output("contract.revenue_total")};
  for (int y = 2026; y <= 2126; ++y)
    wanted.push_back(model.find_output(fmt::format("contract.calendar.{}.revenue", y)));
  Evaluator e(model, {"lease.term_months"}, wanted);
  const auto year = [&](const std::vector<double>& out, int y) {
    return out[model.find_output(fmt::format("contract.calendar.{}.revenue", y))];
  };
  auto out = e.run();
  CHECK(out[model.find_output("contract.revenue_total")] == Approx(123323455.2));
  double years = 0;
  for (int y = 2026; y <= 2126; ++y)
    years += year(out, y);
  CHECK(years == Approx(123323455.2));
  // 2031: months 50-59, contract year 4 from month 48: 2,336,000 x 0.81450625 x 10.
  CHECK(year(out, 2031) == Approx(2336000.0 * 0.81450625 * 10));
  CHECK(year(out, 2032) == 0);
  // The same model with the term set to 36 months: the years follow, 2030 and on are 0,
  // and they still sum to the contract's 76,457,280.
  e.set(0, 36);
  out = e.run();
  years = 0;
  for (int y = 2026; y <= 2126; ++y)
    years += year(out, y);
  CHECK(years == Approx(76457280.0));
  CHECK(year(out, 2030) == 0);
  // The report lists the years the term touches (2026-2031 at 60 months), not the rest.
  const Report r = build_report(s, Basis::bf16);
  auto listed = [&](std::string_view key) {
    return std::any_of(r.rows.begin(), r.rows.end(), [&](const Row& x) { return x.key == key; });
  };
  CHECK(listed("contract.calendar.2031.revenue"));
  CHECK_FALSE(listed("contract.calendar.2032.revenue"));
  CHECK(r.find("contract.calendar.2032.revenue")->value == 0);  // still there for a command
}

TEST_CASE("break-even occupancy under a take-or-pay floor: none when the floor covers",
          "[calc][contract]") {
  // Kestrel's costs: opex 6,710,040 + depreciation 9,900,000 = 16,610,040 a year; revenue
  // at full occupancy (1,000 x 2 + 500 x 4) x 8,760 = 35,040,000: 16,610,040 / 35,040,000
  // = 47.40%. The tenant pays for at least 80% whatever the occupancy, which covers the
  // costs already: there is no break-even occupancy, and solve finds none either.
  const Report r = build_report(test::kestrel(), Basis::bf16);
  const Row& floor = row(r, "breakeven.occupancy_cost");
  CHECK_FALSE(floor.defined);
  CHECK(floor.note ==
        "undefined: the take-or-pay minimum (lease.take_or_pay) is paid at any occupancy and "
        "already covers opex and depreciation");
  const Model m(test::kestrel(), Basis::bf16);
  CHECK_FALSE(solve(m, "lease.occupancy", "pnl.ebit", 0).found);
  // With a 30% floor, below 47.40%, the break-even occupancy is defined, and solve finds it.
  Scenario low = test::kestrel();
  REQUIRE_NOTHROW(apply_override(low, {"lease.take_or_pay", 0.3, std::nullopt, {}}));
  const Report rl = build_report(low, Basis::bf16);
  CHECK(row(rl, "breakeven.occupancy_cost").value == Approx(16610040.0 / 35040000.0));
  const Model ml(low, Basis::bf16);
  const Solution at = solve(ml, "lease.occupancy", "pnl.ebit", 0);
  REQUIRE(at.found);
  CHECK(at.x == Approx(16610040.0 / 35040000.0).epsilon(1e-9));
  // Its provenance lists the floor, which decides whether it is defined.
  const auto inputs = row(rl, "breakeven.occupancy_cost").inputs.list();
  CHECK(std::find(inputs.begin(), inputs.end(), "lease.take_or_pay") != inputs.end());
}
