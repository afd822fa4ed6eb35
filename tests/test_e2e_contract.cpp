// End-to-end: costs and the contract (README "Costs, margin and the contract") through the real
// binary: schedule in every format and period (and its CSV in gnumeric), explain, sweep, solve,
// simulate and tornado on the new figures.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "e2e.hpp"

using namespace leasecalc::e2e;

namespace {
const std::string k_kestrel = "tests/scenarios/kestrel.json";
}

TEST_CASE("schedule: every period and format, tags on every column", "[e2e][contract]") {
  // Kestrel: 36 months from November 2026; 2,336,000 a month at full ramp in year 0.
  const Result months = run("schedule " + k_kestrel + " --period month --format csv");
  REQUIRE(months.code == 0);
  auto rec = records(months.out, ',');
  CHECK(rec["period"] == std::vector<std::string>{"period",
                                                  "months",
                                                  "start_date",
                                                  "end_date",
                                                  "online",
                                                  "online_tag",
                                                  "gpu_hours",
                                                  "gpu_hours_tag",
                                                  "revenue",
                                                  "revenue_tag",
                                                  "opex",
                                                  "opex_tag",
                                                  "depreciation",
                                                  "depreciation_tag",
                                                  "ebitda",
                                                  "ebitda_tag",
                                                  "ebit",
                                                  "ebit_tag",
                                                  "cash",
                                                  "cash_tag",
                                                  "cumulative_cash",
                                                  "cumulative_cash_tag",
                                                  "pv_cash",
                                                  "pv_cash_tag"});
  CHECK(rec.size() == 37);  // a header and 36 months
  // November 2026: half online. revenue 2,336,000 x 0.5 = 1,168,000; GPU-hours
  // 1,500 x 8,760 / 12 x 0.7 x 0.5 = 383,250; opex 94,170 x 0.5 + 465,000 = 512,085;
  // depreciation 9,900,000 / 12 = 825,000.
  CHECK(rec["2026-11"][1] == "1");
  CHECK(rec["2026-11"][2] == "2026-11-01");  // the period's first and last day
  CHECK(rec["2026-11"][3] == "2026-11-30");
  CHECK(rec["2028-02"][3] == "2028-02-29");  // a leap year
  CHECK(rec["2026-11"][4] == "0.5");
  CHECK(rec["2026-11"][5] == "assumption");
  CHECK(rec["2026-11"][6] == "383250");
  CHECK(rec["2026-11"][8] == "1168000");
  CHECK(rec["2026-11"][10] == "512085");
  CHECK(rec["2026-11"][12] == "825000");
  CHECK(rec["2026-11"][14] == "655915");     // 1,168,000 - 512,085
  CHECK(rec["2026-11"][16] == "-169085");    // 655,915 - 825,000
  CHECK(rec["2026-11"][20] == "-54344085");  // -55,000,000 + 655,915

  const Result quarters = run("schedule " + k_kestrel + " --format tsv --out revenue");
  REQUIRE(quarters.code == 0);
  auto q = records(quarters.out, '\t');
  CHECK(q["2026-Q4"] == std::vector<std::string>{"2026-Q4", "2", "2026-11-01", "2026-12-31",
                                                 "2336000", "assumption"});
  CHECK(q["2029-Q4"][1] == "1");  // October 2029 only: a partial last quarter
  CHECK(q["2029-Q4"][3] == "2029-10-31");
  // 2,336,000 x 0.9025 = 2,108,240
  CHECK(q["2029-Q4"][4] == "2108240");

  const Result years = run("schedule " + k_kestrel + " --period year --format json");
  REQUIRE(years.code == 0);
  const auto doc = nlohmann::json::parse(years.out);
  CHECK(doc["schema"] == "leasecalc/schedule/v1");
  CHECK(doc["start"] == "2026-11-01");
  CHECK(doc["term_months"] == 36);
  CHECK(doc["rows"].size() == 4);
  CHECK(doc["rows"][1]["period"] == "2027");
  CHECK(doc["rows"][1]["revenue"].get<double>() == Approx(26630400.0));  // as in test_contract
  CHECK(doc["rows"][1]["tags"]["revenue"] == "assumption");
  CHECK(doc["columns"][0]["key"] == "online");
  CHECK(doc["columns"][0]["unit"] == "ratio");

  const Result md = run("schedule " + k_kestrel + " --period year --format md");
  REQUIRE(md.code == 0);
  CHECK(has(md.out, "| period | online | GPU-h | revenue |"));
  CHECK(has(md.out, "| 2027 |"));
  CHECK(has(md.out, "Tags: assumption (online, GPU-h, revenue"));

  // The table: human units, a * on partial periods, and it fits 100 columns by quarter.
  const Result table = run("schedule data/scenarios/neocloud-build.json --width 100");
  REQUIRE(table.code == 0);
  CHECK(has(table.out, "2027-Q1*"));  // February and March 2027
  std::istringstream lines(table.out);
  for (std::string line; std::getline(lines, line);) {
    std::size_t width = 0;
    for (unsigned char c : line)
      width += (c & 0xC0) != 0x80;
    CHECK(width <= 100);
  }
}

TEST_CASE("schedule: its CSV opens in gnumeric as numbers and text", "[e2e][contract]") {
  const std::string path = temp_path("schedule.csv");
  REQUIRE(run("schedule " + k_kestrel + " --period year --format csv -o " + path).code == 0);
  const auto cells = spreadsheet(path);
  CHECK(cells.at({1, 0}).text == "2026");
  CHECK(cells.at({1, 8}).type == 40);  // revenue: a number
  CHECK(std::stod(cells.at({1, 8}).text) == Approx(2336000.0));
  CHECK(cells.at({1, 9}).type == 60);  // its tag: a string
  std::filesystem::remove(path);
}

TEST_CASE("explain, sweep, solve, simulate and tornado on the new figures", "[e2e][contract]") {
  const Result e = run("explain contract.npv " + k_kestrel);
  REQUIRE(e.code == 0);
  CHECK(has(e.out, "contract.npv = -capex.total + contract.pv_ebitda + contract.book_value_end"));
  CHECK(has(e.out, "finance.discount_rate"));

  // NPV as the term grows: 24 months of Kestrel, then 36 (12,755,025.73, test_contract).
  const Result sweep = run("sweep " + k_kestrel +
                           " --vary lease.term_months=24:36:12 --out contract.npv,contract.irr");
  REQUIRE(sweep.code == 0);
  auto rows = records(sweep.out, ',');
  CHECK(std::stod(rows["36"][1]) == Approx(12755025.73).margin(0.01));
  CHECK(std::stod(rows["24"][1]) < std::stod(rows["36"][1]));

  // The price at which EBIT is 0: with one uniform price p over 1,500 GPUs, billed 80%:
  // revenue 1,500 x 8,760 x 0.8 x p = 10,512,000 p = 16,610,040 (opex + depreciation),
  // p = 1.580102, which is breakeven.price_cost.
  const Result solve = run("solve " + k_kestrel +
                           " --target pnl.ebit=0 --vary lease.price_per_gpu_hour --format csv");
  REQUIRE(solve.code == 0);
  auto s = records(solve.out, ',');
  REQUIRE(s.count("lease.price_per_gpu_hour") == 1);
  CHECK(std::stod(s["lease.price_per_gpu_hour"][2]) == Approx(16610040.0 / 10512000.0));
  const Result report = run("report " + k_kestrel + " --format csv");
  auto rr = records(report.out, ',');
  REQUIRE(rr.count("breakeven.price_cost") == 1);
  CHECK(std::stod(rr["breakeven.price_cost"][2]) == Approx(16610040.0 / 10512000.0));
  // Solve for breakeven.price_cost: the other opex that makes it $1.60. Costs must be
  // 1.6 x 10,512,000 = 16,819,200: other opex 16,819,200 - 9,900,000 - 1,130,040 -
  // 2,580,000 = 3,209,160, over 1,500 GPUs = 2,139.44 a GPU-year.
  const Result cost = run("solve " + k_kestrel +
                          " --target breakeven.price_cost=1.6 --vary costs.opex_per_gpu_year "
                          "--format csv");
  REQUIRE(cost.code == 0);
  auto c = records(cost.out, ',');
  REQUIRE(c.count("costs.opex_per_gpu_year") == 1);
  CHECK(std::stod(c["costs.opex_per_gpu_year"][2]) == Approx(2139.44));

  // simulate and tornado on pnl.ebit over the bundled cost ranges.
  const Result sim = run("simulate --samples 2000 --seed 7 --out pnl.ebit --format csv");
  REQUIRE(sim.code == 0);
  auto sr = records(sim.out, ',');
  CHECK(sr["pnl.ebit"][1] == "USD/yr");
  CHECK(sr["pnl.ebit"][2] == "assumption");
  const Result tor = run("tornado --target pnl.ebit --format csv");
  REQUIRE(tor.code == 0);
  auto tr = records(tor.out, ',');
  CHECK(tr.count("costs.colocation_per_kw_month") == 1);
  CHECK(tr.count("lease.price_per_gpu_hour") == 1);
  // The price moves EBIT most: 220,000 x 8,760 x (3.00 - 2.20) = 1,541,760,000.
  std::istringstream in(tor.out);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(first.starts_with("lease.price_per_gpu_hour,"));
  CHECK(std::stod(tr["lease.price_per_gpu_hour"].back()) == Approx(1541760000.0));
}

TEST_CASE("sweep and solve name a calendar year the file's term does not reach",
          "[e2e][contract]") {
  // Kestrel's file term is 36 months (to October 2029); at 60 months 2031 holds months
  // 50-59: 2,336,000 x 0.95^4 x 10 = 19,026,866 (0.81450625 x 23,360,000). 2040 is
  // beyond any of these terms: 0.
  const Result r = run("sweep " + k_kestrel +
                       " --vary lease.term_months=36:60:24 --out contract.revenue_total,"
                       "contract.calendar.2031.revenue,contract.calendar.2040.revenue");
  REQUIRE(r.code == 0);
  CHECK(r.out ==
        "lease.term_months,contract.revenue_total,contract.calendar.2031.revenue,"
        "contract.calendar.2040.revenue\r\n"
        "36,76457280,0,0\r\n"
        "60,123323455.2,19026866,0\r\n");
  // The report lists only the years the term touches: 2026 to 2029 at 36 months.
  const Result report = run("report " + k_kestrel + " --format csv");
  CHECK(report.out.find("contract.calendar.2029.revenue") != std::string::npos);
  CHECK(report.out.find("contract.calendar.2030.revenue") == std::string::npos);
  // Solve a term for a 2030 revenue: 2030 holds months 38 on (year 3: x 0.857375), so
  // $10M needs 10,000,000 / (2,336,000 x 0.857375) = 4.99 months of 2030: a 43-month term.
  const Result solve = run("solve " + k_kestrel +
                           " --target contract.calendar.2030.revenue=10000000 "
                           "--vary lease.term_months --format csv");
  REQUIRE(solve.code == 0);
  CHECK(solve.out.find("lease.term_months,Contract term,43,mo,") != std::string::npos);
  // Months 38-42 of 2030: 5 x 2,336,000 x 0.857375 = 10,014,140.
  CHECK(solve.out.find("contract.calendar.2030.revenue,Revenue in 2030,10014140,USD,") !=
        std::string::npos);
}

TEST_CASE("financing inputs solve, sweep and simulate like any other", "[e2e][contract]") {
  const std::string neocloud = "data/scenarios/neocloud-build.json";
  // solve: the debt rate at which the equity makes 2% a year; report --set at that rate
  // gives it back.
  const Result solved =
      run("solve " + neocloud + " --target equity.irr=0.02 --vary debt.rate --format json");
  REQUIRE(solved.code == 0);
  const auto doc = nlohmann::json::parse(solved.out);
  const double rate = doc["figures"]["debt.rate"]["value"];
  CHECK(rate > 0.05);
  CHECK(rate < 0.11);  // below the bundled 11%, at which the equity makes 0.4%
  const Result check =
      run("report " + neocloud + " --format json --set debt.rate=" + std::to_string(rate));
  REQUIRE(check.code == 0);
  CHECK(nlohmann::json::parse(check.out)["figures"]["equity.irr"]["value"].get<double>() ==
        Approx(0.02).margin(1e-5));
  // simulate draws the new ranged inputs and reports the new outputs.
  const Result sim =
      run("simulate " + neocloud +
          " --samples 2000 --seed 3 --out equity.npv,tail.ebitda_total --format json");
  REQUIRE(sim.code == 0);
  const auto s = nlohmann::json::parse(sim.out);
  std::vector<std::string> ranged;
  for (const auto& in : s["ranged_inputs"])
    ranged.push_back(in["key"]);
  for (const char* key : {"debt.share", "debt.rate", "market.decline", "tail.occupancy",
                          "market.price_per_gpu_hour.H200.2031-01"})
    CHECK(std::find(ranged.begin(), ranged.end(), key) != ranged.end());
}
