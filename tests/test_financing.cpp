// Debt, tax and the investor's flows (README "Debt and tax"): Osprey
// (tests/scenarios/osprey.json), a deal of our own checked month by month by hand; the
// SPEC's level-payment check against a spreadsheet's PMT; a straight loan with
// interest-only months; and the identities that tie the investment to the contract and
// the equity to the investment.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "helpers.hpp"
#include "leasecalc/calc/override.hpp"

using namespace leasecalc;
using test::row;

namespace {

Scenario osprey() {
  return load_scenario(test::slurp("tests/scenarios/osprey.json"), "osprey.json", test::catalog());
}

Scenario with(Scenario s, const std::vector<std::string>& sets) {
  for (const auto& text : sets)
    apply_override(s, parse_override(text));
  return s;
}

// Osprey by hand. 100 H100 at $4.00, 730 hours a month (8,760 / 12): 292,000 a month
// with every GPU online, 73,000 with a quarter (months 0 and 1). Other opex 100 x 1,200
// / 12 = 10,000 a month. Capex 100 x 30,000 = 3,000,000 over 2 years: depreciation
// 125,000 a month.
//   EBITDA: 63,000, 63,000, then 282,000 x 4.           EBIT: -62,000 x 2, 157,000 x 4.
// Project tax at 20%, losses carried forward: the pool after month 1 is 124,000;
//   month 2 taxable max(0, -124,000 + 157,000) = 33,000; then 157,000 x 3.
//   tax: 0, 0, 6,600, 31,400, 31,400, 31,400 = 100,800.
// Bullet loan: P = 0.5 x 3,000,000 = 1,500,000 at 12% (1% a month): interest 15,000 a
// month; its 12-month term outlasts the 6-month horizon, so nothing is repaid.
// Equity tax on EBIT - interest: -77,000 x 2 (a pool of 154,000), then 142,000 x 4:
//   month 2: max(0, -154,000 + 142,000) = 0; month 3: -12,000 + 142,000 = 130,000;
//   months 4, 5: 142,000. tax: 0, 0, 0, 26,000, 28,400, 28,400 = 82,800.
constexpr double k_ebitda[] = {63000, 63000, 282000, 282000, 282000, 282000};
constexpr double k_tax[] = {0, 0, 6600, 31400, 31400, 31400};
constexpr double k_equity_tax[] = {0, 0, 0, 26000, 28400, 28400};
constexpr double k_interest = 15000;
constexpr double k_capex = 3000000, k_loan = 1500000, k_fee = 30000;  // fee 2% of P
constexpr double k_terminal = 2250000;  // book value: 3,000,000 x (1 - 6 / 24)

}  // namespace

TEST_CASE("financing: Osprey month by month, by hand", "[calc][financing]") {
  const Scenario s = osprey();
  const Report r = build_report(s, Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  const auto months = Model(s, Basis::bf16).months();
  REQUIRE(months.size() == 6);
  for (int m = 0; m < 6; ++m) {
    INFO("month " << m);
    const auto& mo = months[static_cast<std::size_t>(m)];
    CHECK(mo.ebitda.v == Approx(k_ebitda[m]));
    CHECK(mo.tax.v == Approx(k_tax[m]).margin(1e-6));
    CHECK(mo.equity_tax.v == Approx(k_equity_tax[m]).margin(1e-6));
    CHECK(mo.interest.v == Approx(k_interest));  // 1,500,000 x 0.12 / 12
    CHECK(mo.principal.v == 0);                  // a bullet at month 12
    CHECK(mo.balance.v == Approx(k_loan));
    CHECK(mo.cash.v == Approx(k_ebitda[m] - k_tax[m]));
    CHECK(mo.equity_cash.v == Approx(k_ebitda[m] - k_interest - k_equity_tax[m]));
    // DSCR = (EBITDA - equity tax) / service: 63,000 / 15,000 = 4.2 in months 0 and 1
    CHECK(mo.dscr.v == Approx((k_ebitda[m] - k_equity_tax[m]) / k_interest));
  }
  CHECK(v("investment.tax_total") == Approx(100800.0));
  CHECK(v("debt.principal") == Approx(k_loan));
  CHECK(v("debt.fee_paid") == Approx(k_fee));
  CHECK(v("debt.interest_total") == Approx(90000.0));  // 6 x 15,000
  CHECK(v("debt.service_total") == Approx(90000.0));
  CHECK(v("debt.balance_end") == Approx(k_loan));  // repaid from the terminal value
  CHECK(v("debt.dscr_min") == Approx(4.2));
  CHECK(v("debt.dscr_min_month") == 1);
  CHECK(v("debt.months_below_covenant") == 2);  // 4.2 < 5 in months 1 and 2
  CHECK(v("investment.terminal_value") == Approx(k_terminal));
  CHECK(v("equity.invested") == Approx(1530000.0));  // 3,000,000 - 1,500,000 + 30,000
  // Equity flows: 48,000, 48,000, 267,000, 241,000, 238,600, 238,600, and 2,250,000 -
  // 1,500,000 = 750,000 at the end: inflows 1,831,200 over the 1,530,000 invested.
  CHECK(v("equity.multiple") == Approx(1831200.0 / 1530000.0));
  // Cumulative equity cash from -1,530,000 ends at -448,800: no payback without the
  // terminal value; nor for the investment (-3,000,000 + 1,153,200).
  CHECK_FALSE(row(r, "equity.payback_months").defined);
  CHECK_FALSE(row(r, "investment.payback_months").defined);

  // NPVs: month m's cash at (1 + r)^(-(m + 1) / 12), the terminal value at 6 months.
  double investment_pv = 0, equity_pv = 0;
  std::vector<double> investment_flows{-k_capex}, equity_flows{-1530000.0};
  for (int m = 0; m < 6; ++m) {
    const double cash = k_ebitda[m] - k_tax[m];
    const double equity = k_ebitda[m] - k_interest - k_equity_tax[m];
    investment_pv += cash * std::pow(1.1, -(m + 1) / 12.0);
    equity_pv += equity * std::pow(1.2, -(m + 1) / 12.0);  // at finance.equity_rate
    investment_flows.push_back(cash);
    equity_flows.push_back(equity);
  }
  investment_flows.back() += k_terminal;
  equity_flows.back() += k_terminal - k_loan;
  CHECK(v("investment.npv") == Approx(-k_capex + investment_pv + k_terminal * std::pow(1.1, -0.5)));
  CHECK(v("equity.npv") ==
        Approx(-1530000.0 + equity_pv + (k_terminal - k_loan) * std::pow(1.2, -0.5)));
  // The IRRs make those flows' NPV 0, monthly, as an effective annual rate.
  auto npv = [](const std::vector<double>& flows, double annual) {
    double total = 0;
    for (std::size_t k = 0; k < flows.size(); ++k)
      total += flows[k] * std::pow(1 + annual, -static_cast<double>(k) / 12);
    return total;
  };
  CHECK(std::fabs(npv(investment_flows, v("investment.irr"))) < 1e-6);
  CHECK(std::fabs(npv(equity_flows, v("equity.irr"))) < 1e-6);
  CHECK(v("equity.irr") > v("investment.irr"));  // leverage at 12% on a deal earning more
}

TEST_CASE("financing: a level-payment loan matches a spreadsheet's PMT", "[calc][financing]") {
  // SPEC §16's check: P = 69,993,000 at 15% over 36 months. Capex 1,111 x 90,000 =
  // 99,990,000; 70% of it is 69,993,000. A spreadsheet's =PMT(0.15/12, 36, -69993000)
  // is 2,426,330.34; 36 x 2,426,330.34 - 69,993,000 = 17,354,892.17 of interest.
  const Scenario s = test::from_text(R"({"schema": "leasecalc/scenario/v1", "name": "pmt",
    "cluster": {"gpus": {"H100": {"count": 1111}}},
    "lease": {"price_per_gpu_hour": 2.5, "occupancy": 0.9, "term_months": 36},
    "capex": {"per_gpu": 90000, "life_years": 5},
    "debt": {"share": 0.7, "rate": 0.15, "term_months": 36}})");
  const Report r = build_report(s, Basis::bf16);
  CHECK(row(r, "debt.principal").value == Approx(69993000.0));
  CHECK(row(r, "debt.payment").value == Approx(2426330.34).margin(0.005));
  CHECK(row(r, "debt.interest_total").value == Approx(17354892.17).margin(0.05));
  CHECK(std::fabs(row(r, "debt.balance_end").value) < 1e-6);  // repaid within the term
  const auto months = Model(s, Basis::bf16).months();
  // Month 0: interest 69,993,000 x 0.0125 = 874,912.50; principal 2,426,330.34 - that.
  CHECK(months[0].interest.v == Approx(874912.5));
  CHECK(months[0].principal.v == Approx(2426330.34 - 874912.5).margin(0.005));
  CHECK(months[35].balance.v + months[34].balance.v > 0);
  CHECK(months[35].principal.v == Approx(months[35].balance.v));  // the last payment clears it
}

TEST_CASE("financing: a straight loan after interest-only months", "[calc][financing]") {
  // P = 0.5 x 100 x 24,000 = 1,200,000 at 12% (1% a month), 12 months, 2 interest-only:
  // principal 1,200,000 / 10 = 120,000 in months 2 .. 11. Interest: 12,000 in months 0
  // and 1, then 1% of 1,200,000, 1,080,000, ..., 120,000 = 1% x 120,000 x (10 + 9 + ...
  // + 1) = 66,000: 90,000 in all. The lease runs 24 months, so nothing is left.
  const Scenario s = test::from_text(R"({"schema": "leasecalc/scenario/v1", "name": "straight",
    "cluster": {"gpus": {"H100": {"count": 100}}},
    "lease": {"price_per_gpu_hour": 2.0, "occupancy": 1, "term_months": 24},
    "capex": {"per_gpu": 24000, "life_years": 4},
    "finance": {"discount_rate": 0.1},
    "debt": {"share": 0.5, "rate": 0.12, "term_months": 12, "interest_only_months": 2,
             "amortization": "straight"}})");
  const Report r = build_report(s, Basis::bf16);
  CHECK(row(r, "debt.interest_total").value == Approx(90000.0));
  CHECK(row(r, "debt.service_total").value == Approx(1290000.0));  // 1,200,000 + 90,000
  CHECK(row(r, "debt.balance_end").value == 0);
  CHECK_FALSE(r.find("debt.payment"));  // a level payment only for an annuity
  const auto months = Model(s, Basis::bf16).months();
  CHECK(months[1].principal.v == 0);
  CHECK(months[2].principal.v == Approx(120000.0));
  CHECK(months[3].interest.v == Approx(10800.0));  // 1% of 1,080,000
  CHECK(months[11].principal.v == Approx(120000.0));
  CHECK(months[12].debt_service.v == 0);
  // DSCR from month 12 is undefined (no service): the least is in a month with service.
  // EBITDA 100 x 730 x 2 = 146,000 a month (no opex); the largest service is month 2's
  // 120,000 + 12,000: 146,000 / 132,000.
  CHECK(row(r, "debt.dscr_min").value == Approx(146000.0 / 132000.0));
  CHECK(row(r, "debt.dscr_min_month").value == 3);
}

TEST_CASE("financing: the identities that tie the figures together", "[calc][financing]") {
  // With no debt, tax or tail, the investment is the contract.
  for (const auto& file : test::scenario_files()) {
    const Scenario s = load_scenario(test::slurp(file), file, test::catalog());
    const Report r = build_report(s, Basis::bf16);
    if (!r.find("investment.npv") || r.find("investment.tax_total") || r.find("debt.principal") ||
        r.find("tail.months"))
      continue;
    INFO(file);
    CHECK(row(r, "investment.npv").value == Approx(row(r, "contract.npv").value));
    CHECK(row(r, "investment.irr").value == Approx(row(r, "contract.irr").value));
    CHECK(row(r, "investment.terminal_value").value == row(r, "contract.book_value_end").value);
  }
  // With debt share 0 (and no fee), the equity is the investment.
  const Scenario s = with(osprey(), {"debt.share=0", "finance.equity_rate=0.1"});
  const Report r = build_report(s, Basis::bf16);
  CHECK(row(r, "equity.invested").value == Approx(k_capex));
  CHECK(row(r, "equity.npv").value == Approx(row(r, "investment.npv").value));
  CHECK(row(r, "equity.irr").value == Approx(row(r, "investment.irr").value));
  CHECK(row(r, "debt.interest_total").value == 0);
  // Without tax, the investment's cash is EBITDA: its NPV is the contract's.
  const Report untaxed = build_report(with(osprey(), {"finance.tax_rate=0"}), Basis::bf16);
  CHECK(row(untaxed, "investment.npv").value == Approx(row(untaxed, "contract.npv").value));
}

TEST_CASE("market and tail: Tern by hand", "[calc][financing][tail]") {
  // Tern: 10 H100, 730 hours a month each (8,760 / 12): 7,300 GPU-hours a month. The
  // lease: $2.00 for 3 months from 2025-11 (14,600 a month); then the tail to month 6 at
  // half occupancy and the market price: $1.70 on 2025-10-01, $2.35 on 2026-03-01 (5
  // months apart), linear between, flat after.
  //   2026-01 (the contract's last month): 1.70 + 0.65 x 3/5 = 2.09 (SPEC §17's check)
  //   2026-02: 1.70 + 0.65 x 4/5 = 2.22; 2026-03 and 2026-04: 2.35
  //   tail revenue: 7,300 x 0.5 x (2.22 + 2.35 + 2.35) = 3,650 x 6.92 = 25,258
  //   other opex 10 x 1,200 / 12 = 1,000 a month: tail EBITDA 25,258 - 3,000 = 22,258.
  // Capex 200,000 over 1 year: book 150,000 after the contract, 100,000 after the tail.
  const Scenario s =
      load_scenario(test::slurp("tests/scenarios/tern.json"), "tern.json", test::catalog());
  const Report r = build_report(s, Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  CHECK(v("market.price_per_gpu_hour.H100.at_end") == Approx(2.09));
  CHECK(v("tail.months") == 3);
  CHECK(v("tail.revenue_total") == Approx(25258.0));
  CHECK(v("tail.ebitda_total") == Approx(22258.0));
  CHECK(v("contract.revenue_total") == Approx(43800.0));  // 3 x 14,600: the tail is not in it
  CHECK(v("contract.book_value_end") == Approx(150000.0));
  CHECK(v("investment.terminal_value") == Approx(100000.0));
  // The investment's cash: 13,600 x 3, then 7,300 x 0.5 x 2.22 - 1,000 = 7,103 and
  // 3,650 x 2.35 - 1,000 = 7,577.5 twice; the terminal value at month 6.
  const double cash[] = {13600, 13600, 13600, 7103, 7577.5, 7577.5};
  double pv = 0;
  for (int m = 0; m < 6; ++m)
    pv += cash[m] * std::pow(1.12, -(m + 1) / 12.0);
  CHECK(v("investment.npv") == Approx(-200000 + pv + 100000 * std::pow(1.12, -0.5)));
  // The tail's price carries the points' tag: reported; the at-end price also depends on
  // the term (which month is the last), an assumption.
  CHECK(!row(r, "tail.revenue_total").inputs.empty());
  const auto inputs = row(r, "market.price_per_gpu_hour.H100.at_end").inputs.list();
  CHECK(std::find(inputs.begin(), inputs.end(), "lease.term_months") != inputs.end());
  CHECK(std::find(inputs.begin(), inputs.end(), "market.price_per_gpu_hour.H100.2026-03") !=
        inputs.end());
}

TEST_CASE("market: an annual decline from the lease price", "[calc][financing][tail]") {
  // No points: the lease price $2.40 x (1 - 0.15)^(m / 12). The contract's last month is
  // m = 11: 2.40 x 0.85^(11/12). The tail, months 12 .. 23 at full occupancy, earns
  // 100 x 730 x 2.40 x sum of 0.85^(m / 12).
  const Scenario s = test::from_text(R"({"schema": "leasecalc/scenario/v1", "name": "decline",
    "cluster": {"gpus": {"H100": {"count": 100}}},
    "lease": {"price_per_gpu_hour": 2.4, "occupancy": 1, "start": "2027-01-01", "term_months": 12},
    "capex": {"per_gpu": 25000, "life_years": 4},
    "market": {"decline": -0.15},
    "tail": {"until_months": 24, "occupancy": 1}})");
  const Report r = build_report(s, Basis::bf16);
  CHECK(row(r, "market.price_per_gpu_hour.H100.at_end").value ==
        Approx(2.4 * std::pow(0.85, 11.0 / 12)));
  double tail = 0;
  for (int m = 12; m < 24; ++m)
    tail += 100 * 730 * 2.4 * std::pow(0.85, m / 12.0);
  CHECK(row(r, "tail.revenue_total").value == Approx(tail));
}

TEST_CASE("per-tenant margins: costs by each tenant's share of the GPUs", "[calc][financing]") {
  // Trio: 1,700 GPUs; power 3 MW x 8,760 x 1 x $50 = 1,314,000 a year with every GPU
  // drawing; colocation 3 x 1,000 x 100 x 12 = 3,600,000; other 1,700 x 1,000 =
  // 1,700,000. A tenant bears (1,314,000 + 5,300,000) x its GPUs / 1,700.
  const Scenario s =
      load_scenario(test::slurp("tests/scenarios/trio.json"), "trio.json", test::catalog());
  const Report r = build_report(s, Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  // Alpha: 600 x 8,760 x 2.0 x 0.8 = 8,409,600 less 6,614,000 x 600 / 1,700
  CHECK(v("pnl.Alpha.ebitda") == Approx(8409600.0 - 6614000.0 * 600 / 1700));
  CHECK(v("pnl.Alpha.ebitda_margin") == Approx((8409600.0 - 6614000.0 * 600 / 1700) / 8409600));
  // The 400 idle GPUs: 30% of their power, and their share of colocation and other opex.
  CHECK(v("pnl.idle_cost") == Approx(1314000.0 * 0.3 * 400 / 1700 + 5300000.0 * 400 / 1700));
  // The tenants' EBITDA less the idle GPUs' cost is the cluster's.
  CHECK(v("pnl.Alpha.ebitda") + v("pnl.Beta-Labs.ebitda") + v("pnl.Gamma.ebitda") -
            v("pnl.idle_cost") ==
        Approx(v("pnl.ebitda")));
  // Alpha's contract: 24 months of 700,800 (8,409,600 / 12) less its GPUs' power as they
  // run (109,500 x 600 / 1,700 a month) and its share of the fixed costs (441,666.67 x
  // 600 / 1,700) for all 36 months of the horizon, Gamma's term being the longest.
  const double share = 600.0 / 1700, fixed = 5300000.0 / 12 * share;
  double total = 0, pv = 0;
  for (int m = 0; m < 36; ++m) {
    const double e = m < 24 ? 700800.0 - 109500.0 * share - fixed : -fixed;
    total += e;
    pv += e * std::pow(1.1, -(m + 1) / 12.0);
  }
  CHECK(v("contract.Alpha.ebitda_total") == Approx(total));
  // Its NPV on its share: of capex (1,700 x 20,000), of the book value after 36 of 60
  // months (34,000,000 x 0.4 = 13,600,000).
  CHECK(v("contract.Alpha.npv") ==
        Approx(-share * 34000000.0 + pv + share * 13600000.0 * std::pow(1.1, -3.0)));
}

TEST_CASE("leases of the same GPUs may follow one another", "[calc][tenants]") {
  // A takes all 1,000 H100 in 2027 at $2.00, B all of them in 2028 at $3.00: checked per
  // month, they never run at once. Each year's revenue is one tenant's: 1,000 x 8,760 x 2
  // = 17,520,000 and 1,000 x 8,760 x 3 = 26,280,000. The steady state takes every lease
  // at once, but no more than all the GPUs are leased.
  const std::string two = R"({"schema": "leasecalc/scenario/v1", "name": "seq",
    "cluster": {"gpus": {"H100": {"count": 1000}}},
    "leases": [{"tenant": "A", "gpus": {"H100": 1000}, "price_per_gpu_hour": 2, "occupancy": 1,
                "start": "2027-01-01", "term_months": 12},
               {"tenant": "B", "gpus": {"H100": 1000}, "price_per_gpu_hour": 3, "occupancy": 1,
                "start": "2028-01-01", "term_months": 12}]})";
  const Report r = build_report(test::from_text(two), Basis::bf16);
  CHECK(row(r, "contract.calendar.2027.revenue").value == Approx(17520000.0));
  CHECK(row(r, "contract.calendar.2028.revenue").value == Approx(26280000.0));
  CHECK(row(r, "cluster.leased_share").value == 1);
  CHECK(row(r, "cluster.idle_gpus").value == 0);
  // Overlapping by six months, they are refused, naming the first month both run.
  std::string overlap = two;
  overlap.replace(overlap.find("2028-01-01"), 10, "2027-07-01");
  try {
    test::from_text(overlap);
    FAIL("overlapping leases over the cluster's count were accepted");
  } catch (const InputError& e) {
    CHECK(e.message() ==
          "in 2027-07 the leases of A, B run at once and together take 2000 H100 GPUs, more than "
          "the cluster's 1000; leases of the same GPUs may follow one another, not overlap");
  }
}

TEST_CASE("financing: Osprey with a tail, month by month", "[calc][financing][tail]") {
  // Osprey (above) with its GPUs re-leased for three more months at a flat $2.00 market
  // price and half occupancy: 100 x 730 x 2.00 x 0.5 = 73,000 a month, EBITDA 73,000 -
  // 10,000 = 63,000, EBIT 63,000 - 125,000 = -62,000: losses again, so no tax in the
  // tail. The bullet loan's 12 months still outlast the 9-month horizon: 15,000 of
  // interest a month, and the whole 1,500,000 repaid from the terminal value, now
  // 3,000,000 x (1 - 9 / 24) = 1,875,000.
  std::string text = test::slurp("tests/scenarios/osprey.json");
  text.replace(
      text.find("\"debt\""), 6,
      R"("market": {"price_per_gpu_hour": {"H100": [{"date": "2027-01-01", "value": 2.0}]}},
    "tail": {"until_months": 9, "occupancy": 0.5},
    "debt")");
  const Scenario s = load_scenario(text, "osprey-tail.json", test::catalog());
  const Report r = build_report(s, Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  const auto months = Model(s, Basis::bf16).months();
  REQUIRE(months.size() == 9);
  for (int m = 6; m < 9; ++m) {
    INFO("month " << m);
    const auto& mo = months[static_cast<std::size_t>(m)];
    CHECK(mo.revenue.v == Approx(73000.0));
    CHECK(mo.ebitda.v == Approx(63000.0));
    CHECK(mo.tax.v == 0);
    CHECK(mo.equity_tax.v == 0);
    CHECK(mo.interest.v == Approx(15000.0));
    CHECK(mo.equity_cash.v == Approx(48000.0));  // 63,000 - 15,000
    CHECK(mo.dscr.v == Approx(4.2));             // 63,000 / 15,000
  }
  CHECK(v("tail.months") == 3);
  CHECK(v("tail.revenue_total") == Approx(219000.0));    // 3 x 73,000
  CHECK(v("tail.ebitda_total") == Approx(189000.0));     // 3 x 63,000
  CHECK(v("investment.tax_total") == Approx(100800.0));  // the contract's months only
  CHECK(v("debt.interest_total") == Approx(135000.0));   // 9 x 15,000
  CHECK(v("debt.balance_end") == Approx(1500000.0));
  CHECK(v("investment.terminal_value") == Approx(1875000.0));
  CHECK(v("debt.months_below_covenant") == 5);  // months 1, 2 and the tail's three
  // Equity inflows: 1,081,200 in the contract (as above), 3 x 48,000 in the tail, and
  // 1,875,000 - 1,500,000 = 375,000 at the end: 1,600,200 over 1,530,000.
  CHECK(v("equity.multiple") == Approx(1600200.0 / 1530000.0));
  // The contract's figures do not move with the tail.
  CHECK(v("contract.revenue_total") == Approx(1314000.0));
  CHECK(v("contract.book_value_end") == Approx(k_terminal));
}
