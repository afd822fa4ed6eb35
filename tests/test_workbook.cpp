// The workbook's plan (README "The workbook"): defined names from keys, a figure's cell
// formula over them, the Schedule's months and what a spreadsheet cannot hold. That every
// formula recalculates to its figure is tests/test_workbook.py's, with gnumeric.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/render/workbook.hpp"

using namespace leasecalc;

namespace {

const WorkSheet& sheet(const WorkbookPlan& plan, std::string_view name) {
  for (const auto& s : plan.sheets)
    if (s.name == name) return s;
  FAIL("no sheet " << name);
  throw std::logic_error("unreachable");
}

// The Figures row of `key`.
const std::vector<WorkCell>& figure(const WorkbookPlan& plan, std::string_view key) {
  for (const auto& row : sheet(plan, "Figures").rows)
    if (!row.empty() && row[0].text == key) return row;
  FAIL("no figure " << key);
  throw std::logic_error("unreachable");
}

std::string refers_to(const WorkbookPlan& plan, std::string_view name) {
  for (const auto& [n, where] : plan.names)
    if (n == name) return where;
  return "";
}

WorkbookPlan plan_of(const Scenario& s) {
  const Model model(s, Basis::bf16);
  return build_workbook(s, model, build_report(s, Basis::bf16));
}

}  // namespace

TEST_CASE("workbook: a key's defined name", "[workbook]") {
  CHECK(defined_name("lease.occupancy") == "lease_occupancy");
  CHECK(defined_name("catalog.H100.bf16_tflops") == "catalog_H100_bf16_tflops");
  CHECK(defined_name("market.price_per_gpu_hour.H200.2026-06") ==
        "market_price_per_gpu_hour_H200_2026_06");
  // Names a spreadsheet reads as a cell (A1 or R1C1 style) or a number get a "_".
  CHECK(defined_name("H100") == "_H100");
  CHECK(defined_name("XFD1") == "_XFD1");
  CHECK(defined_name("R2C3") == "_R2C3");
  CHECK(defined_name("r") == "_r");
  CHECK(defined_name("2027") == "_2027");
  CHECK(defined_name("valuation") == "valuation");
  CHECK(defined_name("ABCD1") == "ABCD1");  // four letters: no column
}

TEST_CASE("workbook: the seed's revenue is a formula over named inputs", "[workbook]") {
  // The seed (colossus1-lease.json): 150k H100 + 50k H200 + 20k GB200 = 220,000 GPUs at
  // $2.60 for 8,760 hours: 220,000 x 2.60 x 8,760 = 5,010,720,000 a year.
  const WorkbookPlan plan = plan_of(test::colossus());
  CHECK(sheet(plan, "Inputs").rows[0][0].text == "key");
  const auto& revenue = figure(plan, "lease.annual_revenue");
  REQUIRE(revenue[2].kind == WorkCell::Kind::formula);
  CHECK(revenue[2].value == Approx(5'010'720'000.0).epsilon(1e-12));
  CHECK(revenue[2].format == CellFormat::usd);
  const std::string& f = revenue[2].text;
  // Each count, the price and the hours are inputs.
  CHECK(f.find("cluster_gpus_H100_count") != std::string::npos);
  CHECK(f.find("lease_price_per_gpu_hour") != std::string::npos);
  CHECK(f.find("lease_hours_per_year") != std::string::npos);
  CHECK(refers_to(plan, "lease_price_per_gpu_hour").starts_with("Inputs!$C$"));
  CHECK(refers_to(plan, "lease_annual_revenue").starts_with("Figures!$C$"));
  // The GPU total: 150,000 + 50,000 + 20,000 = 220,000, the sum of three named counts.
  const auto& gpus = figure(plan, "cluster.gpus.total");
  CHECK(gpus[2].text == "cluster_gpus_H100_count+cluster_gpus_H200_count+cluster_gpus_GB200_count");
  CHECK(gpus[2].value == 220000);
  CHECK(gpus[4].text == "reported");
  REQUIRE(gpus[4].tag);
}

TEST_CASE("workbook: Tern's months, its IRR the spreadsheet's own", "[workbook]") {
  // Tern (tests/scenarios/tern.json): 10 H100 at $2.00 for 3 months, then re-leased to
  // month 6. Its Schedule has a row for the start and one per month up to the longest
  // term allowed; the IRR reads the flows column.
  const Scenario s =
      load_scenario(test::slurp("tests/scenarios/tern.json"), "tern.json", test::catalog());
  const WorkbookPlan plan = plan_of(s);
  const WorkSheet& schedule = sheet(plan, "Schedule");
  REQUIRE(schedule.rows.size() == 2 + static_cast<std::size_t>(k_workbook_months));
  CHECK(schedule.rows[0][0].text == "m");
  CHECK(schedule.rows[1][0].text == "start");
  CHECK(schedule.rows[2][0].value == 0);
  CHECK(schedule.rows.back()[0].value == k_workbook_months - 1);
  // The calendar from lease.start, 2025-11-01: month 2 is January 2026.
  CHECK(schedule.rows[0][1].text == "year");
  CHECK(schedule.rows[4][1].value == 2026);
  CHECK(schedule.rows[4][2].text == "2026-01");
  // Month 0's revenue, cached: 10 x 2.00 x 730 = 14,600.
  std::size_t revenue = 0;
  for (std::size_t c = 0; c < schedule.rows[0].size(); ++c)
    if (schedule.rows[0][c].text == "revenue") revenue = c;
  REQUIRE(revenue > 0);
  CHECK(schedule.rows[2][revenue].value == Approx(14'600.0).epsilon(1e-12));
  CHECK(schedule.rows[2][revenue].text.starts_with("IF($A3<"));  // 0 beyond the horizon
  // Its present values are the spreadsheet's NPV at the monthly rate, 1.12^(1/12) - 1.
  const std::string& npv = figure(plan, "investment.npv")[2].text;
  CHECK(npv.find("NPV((1+finance_discount_rate)^(1/12)-1,Schedule!$") != std::string::npos);
  const std::string& irr = figure(plan, "investment.irr")[2].text;
  CHECK(irr.find("IRR(Schedule!$") != std::string::npos);
  CHECK(irr.find(")^12-1") != std::string::npos);
}

TEST_CASE("workbook: what a spreadsheet cannot hold is refused, naming it", "[workbook]") {
  // A ramp of 70 monthly steps nests an IF 70 deep: over the 64 levels a spreadsheet takes.
  std::string ramp;
  for (int m = 0; m < 70; ++m)
    ramp += (m ? "," : "") + std::string("{\"month\": ") + std::to_string(m) + ", \"online\": 0.5}";
  const Scenario s = test::from_text(
      R"({"schema": "leasecalc/scenario/v1", "name": "deep", "cluster": {"gpus": {"H100":
      {"count": 10}}}, "lease": {"price_per_gpu_hour": 2, "occupancy": 1, "term_months": 72,
      "ramp": [)" +
      ramp + "]}}");
  try {
    plan_of(s);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "t.json: workbook: Schedule's column online: its formula nests 72 levels deep, over "
          "the 64 a spreadsheet takes: the workbook cannot express this scenario (a ramp or "
          "market prices with fewer points can be)");
  }
}
