// Several tenants (README "Several tenants") on Trio (tests/scenarios/trio.json), a scenario of our
// own: every expected value is hand arithmetic written beside it.
#include <catch2/catch.hpp>
#include <cmath>

#include "helpers.hpp"
#include "leasecalc/calc/override.hpp"
#include "leasecalc/calc/schedule.hpp"

using namespace leasecalc;
using test::row;

namespace {
Scenario trio() {
  return load_scenario(test::slurp("tests/scenarios/trio.json"), "trio.json", test::catalog());
}
}  // namespace

TEST_CASE("tenants: per-tenant and cluster figures, idle GPUs and their power", "[tenants]") {
  const Report r = build_report(trio(), Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  CHECK(v("lease.Alpha.gpus") == 600);
  CHECK(v("lease.Alpha.gpu_hours") == Approx(4204800.0));       // 600 x 8,760 x 0.8
  CHECK(v("lease.Alpha.annual_revenue") == Approx(8409600.0));  // 600 x 2 x 8,760 x 0.8
  CHECK(v("lease.Beta-Labs.gpus") == 400);                      // 200 H100 + 200 GB200
  CHECK(v("lease.Beta-Labs.gpu_hours") == Approx(2102400.0));   // 400 x 8,760 x 0.6
  // (200 x 1.8 + 200 x 4) x 8,760 x max(0.6, 0.75) x (1 - 0.1) = 10,161,600 x 0.675
  CHECK(v("lease.Beta-Labs.annual_revenue") == Approx(6859080.0));
  CHECK(v("lease.Gamma.annual_revenue") == Approx(2628000.0));  // 300 x 1 x 8,760
  CHECK(v("lease.gpu_hours") == Approx(8935200.0));             // 4,204,800 + 2,102,400 + 2,628,000
  CHECK(v("lease.annual_revenue") == Approx(17896680.0));       // 8,409,600 + 6,859,080 + 2,628,000
  CHECK(v("lease.Alpha.revenue_share") == Approx(8409600.0 / 17896680.0));  // 46.99%
  CHECK(v("cluster.leased_share") == Approx(1300.0 / 1700));                // 76.47%
  CHECK(v("cluster.idle_gpus") == 400);                                     // 200 H100 + 200 A100
  // Power: 3 x 8,760 x 50 = 1,314,000 at full draw, x (1,300 + 0.3 x 400) / 1,700
  CHECK(v("costs.power") == Approx(1314000.0 * 1420 / 1700));  // 1,097,576.47
  // Idle GPUs still cost colocation and other opex: 3 x 1,000 x 100 x 12 and 1,700 x 1,000
  CHECK(v("costs.colocation") == Approx(3600000.0));
  CHECK(v("costs.other") == Approx(1700000.0));
  // One uniform price on every leased GPU covers the loss: 20e6 / paid GPU-hours, paid
  // 600 x 8,760 x 0.8 + 400 x 8,760 x 0.75 x 0.9 + 300 x 8,760 = 9,198,000
  CHECK(v("breakeven.price") == Approx(20e6 / 9198000.0));  // 2.17439
  CHECK(v("breakeven.coverage") == Approx(17896680.0 / 20e6));
  CHECK(row(r, "lease.Alpha.annual_revenue").label == "Annual lease revenue, Alpha");
  CHECK(r.find("lease.occupancy") == nullptr);  // each tenant has its own
}

TEST_CASE("tenants: contracts on one calendar, and the schedule's months sum to them",
          "[tenants]") {
  const Scenario s = trio();
  const Report r = build_report(s, Basis::bf16);
  auto v = [&](std::string_view key) { return row(r, key).value; };
  // Alpha 700,800 a month x 24; Beta 571,590 x 12 from April 2027; Gamma 219,000 a month
  // x 12 x (1 + 0.9 + 0.81).
  CHECK(v("contract.Alpha.revenue_total") == Approx(16819200.0));
  CHECK(v("contract.Beta-Labs.revenue_total") == Approx(6859080.0));
  CHECK(v("contract.Gamma.revenue_total") == Approx(7121880.0));  // 2,628,000 x 2.71
  CHECK(v("contract.revenue_total") == Approx(30800160.0));
  // 2027: Alpha 12 months, Beta April-December, Gamma year 0
  CHECK(v("contract.calendar.2027.revenue") == Approx(8409600.0 + 9 * 571590.0 + 2628000.0));
  CHECK(v("contract.calendar.2028.revenue") == Approx(8409600.0 + 3 * 571590.0 + 2365200.0));
  CHECK(v("contract.calendar.2029.revenue") == Approx(2128680.0));  // Gamma x 0.81
  // Power a month 109,500 at full draw, x (online + 0.3 x the rest) / 1,700: months 0-2 and
  // 15-23 Alpha and Gamma (900 online: 1,140), 3-14 all three (1,300: 1,420), 24-35 Gamma
  // (300: 720). Fixed: (3,600,000 + 1,700,000) / 12 a month for 36 months = 15,900,000.
  const double power = 109500.0 * (12 * 1140 + 12 * 1420 + 12 * 720) / 1700;  // 2,535,247.06
  CHECK(v("contract.ebitda_total") == Approx(30800160.0 - power - 15900000.0));
  CHECK(v("contract.book_value_end") == Approx(34e6 * (1 - 36.0 / 60)));  // 13,600,000
  const Model model(s, Basis::bf16);
  const Schedule months = build_schedule(model, s.name, Period::month, {"revenue", "opex"});
  REQUIRE(months.rows.size() == 36);
  CHECK(months.rows[0].label == "2027-01");
  CHECK(months.rows[3].values[0].v == Approx(700800.0 + 571590.0 + 219000.0));  // April 2027
  double revenue = 0;
  for (const auto& p : months.rows)
    revenue += p.values[0].v;
  CHECK(revenue == Approx(30800160.0));
  // By tenant: each tenant's rows, then the total.
  const Schedule years = build_schedule(model, s.name, Period::year, {"revenue"}, true);
  REQUIRE(years.rows.size() == 12);  // 3 years x (3 tenants + all)
  CHECK(years.rows[1].tenant == "Beta Labs");
  CHECK(years.rows[1].values[0].v == Approx(9 * 571590.0));
  CHECK(years.rows[3].tenant == "all");
  CHECK(years.rows[3].values[0].v == Approx(v("contract.calendar.2027.revenue")));
}

TEST_CASE("tenants: each one's inputs are settable, and one lease prints as before", "[tenants]") {
  Scenario s = trio();
  REQUIRE_NOTHROW(apply_override(s, {"lease.Alpha.price_per_gpu_hour", 2.5, std::nullopt, {}, {}}));
  REQUIRE_NOTHROW(apply_override(s, {"lease.Beta-Labs.gpus.GB200", 100, std::nullopt, {}, {}}));
  const Report r = build_report(s, Basis::bf16);
  CHECK(row(r, "lease.Alpha.annual_revenue").value == Approx(600 * 2.5 * 8760 * 0.8));
  CHECK(row(r, "lease.Beta-Labs.gpus").value == 300);
  CHECK(row(r, "cluster.idle_gpus").value == 500);
  CHECK(test::usage_error([&] {
          apply_override(s, {"lease.Delta.occupancy", 0.5, std::nullopt, {}, {}});
        }).starts_with("unknown figure key \"lease.Delta.occupancy\""));
}
