// Cases and comparisons (README "Cases and comparisons"), run as the real binary: the
// bundled neocloud deal's bear and bull cases with --case and --set in their documented
// order, compare --cases in every format (its CSV read by gnumeric), compare of two files,
// the errors, and sweep --pivot read back against the long-format sweep, cell by cell.
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "e2e.hpp"

using namespace leasecalc::e2e;

namespace {

const std::string k_deal = "data/scenarios/neocloud-build.json";

// The CSV's rows as cells (no field of these holds a comma or a quote).
std::vector<std::vector<std::string>> csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream fields(line);
    while (std::getline(fields, cell, ','))
      cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

double revenue(const std::string& args) {
  const Result r = run("report " + k_deal + " " + args + " --format json");
  REQUIRE(r.code == 0);
  return nlohmann::json::parse(r.out)["figures"]["lease.annual_revenue"]["value"];
}

}  // namespace

TEST_CASE("cases: --case applies a case on top of the file, before --set", "[e2e][cases]") {
  // The deal bills max(occupancy, take-or-pay 0.9) of 12,000 H200 and 4,608 GB200 over
  // 8,760 hours. Base: (12,000 x 2.80 + 4,608 x 4.00) x 8,760 x 0.9
  //   = 52,032 x 8,760 x 0.9 = 410,220,288.
  CHECK(revenue("") == Approx(410'220'288.0).epsilon(1e-12));
  CHECK(revenue("--case base") == Approx(410'220'288.0).epsilon(1e-12));
  // Bear: H200 $2.30, GB200 $3.20, occupancy 0.7 (take-or-pay still bills 0.9):
  //   (27,600 + 14,745.6) x 8,760 x 0.9 = 42,345.6 x 7,884 = 333,852,710.4.
  CHECK(revenue("--case bear") == Approx(333'852'710.4).epsilon(1e-12));
  // Bull: H200 $3.10, GB200 $4.80, occupancy 0.95 above the take-or-pay:
  //   (37,200 + 22,118.4) x 8,760 x 0.95 = 59,318.4 x 8,322 = 493,647,724.8.
  CHECK(revenue("--case bull") == Approx(493'647'724.8).epsilon(1e-12));
  // --set after the case, whatever the order on the line: the case's prices, occupancy
  // 0.95: 42,345.6 x 8,760 x 0.95 = 352,400,083.2.
  CHECK(revenue("--case bear --set lease.occupancy=0.95") == Approx(352'400'083.2).epsilon(1e-12));
  // A --set of an input the case also sets wins: H200 at $2.80 with the bear GB200:
  //   (33,600 + 14,745.6) x 8,760 x 0.9 = 48,345.6 x 7,884 = 381,156,710.4.
  CHECK(revenue("--set lease.price_per_gpu_hour.H200=2.8 --case bear") ==
        Approx(381'156'710.4).epsilon(1e-12));
  // The case's reason is the figure's note, before what it replaced.
  const Result r = run("report " + k_deal + " --case bear --format json");
  CHECK(nlohmann::json::parse(r.out)["figures"]["lease.occupancy"]["note"] ==
        "bear: the low end of the file's range; was 85.0% [assumption]");
  // Every command that reads a scenario takes --case: a sweep, an explain, a check.
  const Result sweep = run("sweep " + k_deal +
                           " --case bear --vary lease.occupancy=0.7:0.7:0.1 --out "
                           "lease.annual_revenue");
  REQUIRE(sweep.code == 0);
  CHECK(has(sweep.out, "0.7,333852710.4"));
  CHECK(has(run("explain lease.price_per_gpu_hour.H200 " + k_deal + " --case bull").out, "3.1"));
}

TEST_CASE("cases: an unknown case, and compare's usage errors", "[e2e][cases]") {
  const Result unknown = run("report " + k_deal + " --case beer");
  CHECK(unknown.code == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err ==
        "leasecalc: error: --case beer: unknown case \"beer\" (did you mean \"bear\"?); "
        "allowed: base, bear, bull\n");
  const Result none = run("compare --cases");
  CHECK(none.code == 2);
  CHECK(none.err ==
        "leasecalc: error: compare --cases: colossus1-lease.json has no cases (a \"cases\" "
        "block)\n");
  const Result two = run("compare " + k_deal + " " + k_deal + " --cases");
  CHECK(two.code == 2);
  CHECK(has(two.err, "one scenario, whose cases are the columns (got 2)"));
  const Result key = run("compare " + k_deal + " --cases --out contract.nvp");
  CHECK(key.code == 2);
  CHECK(key.err ==
        "leasecalc: error: compare --out: unknown figure key \"contract.nvp\" (did you mean "
        "\"contract.npv\"?)\n");
  CHECK(run("compare " + k_deal).code == 2);  // one column compares nothing
}

TEST_CASE("compare --cases: every format, the change against base", "[e2e][cases]") {
  // CSV: wide, raw numbers; bear's revenue less base's: 333,852,710.4 - 410,220,288 =
  // -76,367,577.6, a change of -76,367,577.6 / 410,220,288 = -0.18616236...
  const Result c = run("compare " + k_deal + " --cases --format csv");
  REQUIRE(c.code == 0);
  const auto rows = csv(c.out);
  REQUIRE(rows.size() >= 6);
  CHECK(rows[0] == std::vector<std::string>{"key", "label", "unit", "base", "base_tag", "bear",
                                            "bear_tag", "bear_diff", "bear_change", "bull",
                                            "bull_tag", "bull_diff", "bull_change"});
  CHECK(rows[1][0] == "lease.annual_revenue");
  CHECK(std::stod(rows[1][3]) == Approx(410'220'288.0).epsilon(1e-12));
  CHECK(std::stod(rows[1][7]) == Approx(-76'367'577.6).epsilon(1e-12));
  CHECK(std::stod(rows[1][8]) == Approx(-76'367'577.6 / 410'220'288.0).epsilon(1e-12));
  // Bull: 493,647,724.8 / 410,220,288 - 1 = 0.20337228...
  CHECK(std::stod(rows[1][12]) == Approx(493'647'724.8 / 410'220'288.0 - 1).epsilon(1e-12));

  // gnumeric reads every value as a number, the tags as text.
  const std::string path = temp_path("compare.csv");
  { std::ofstream(path) << c.out; }
  const auto cells = spreadsheet(path);
  CHECK(cells.at({1, 3}).type == 40);
  CHECK(std::stod(cells.at({1, 3}).text) == Approx(410'220'288.0));
  CHECK(cells.at({1, 4}).type == 60);
  CHECK(cells.at({1, 4}).text == "assumption");
  CHECK(cells.at({1, 8}).type == 40);
  std::filesystem::remove(path);

  const Result tsv = run("compare " + k_deal + " --cases --format tsv");
  CHECK(has(tsv.out, "key\tlabel\tunit\tbase\tbase_tag\tbear"));
  const Result json = run("compare " + k_deal + " --cases --format json");
  REQUIRE(json.code == 0);
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["schema"] == "leasecalc/compare/v1");
  CHECK(doc["columns"].size() == 3);
  const auto& values = doc["figures"]["lease.annual_revenue"]["values"];
  CHECK(values[1]["column"] == "bear");
  CHECK(values[1]["value"].get<double>() == Approx(333'852'710.4).epsilon(1e-12));
  CHECK(values[1]["diff"].get<double>() == Approx(-76'367'577.6).epsilon(1e-12));
  const Result md = run("compare " + k_deal + " --cases --format md");
  CHECK(has(md.out, "| Annual lease revenue | $410M/yr | assumption |"));

  // The text table: the change in the figure's units (points for a share), the labels
  // whole, the columns wrapped into blocks that fit 80 columns.
  const Result table = run("compare " + k_deal + " --cases --width 80");
  REQUIRE(table.code == 0);
  std::istringstream lines(table.out);
  std::string line;
  int labels = 0;
  while (std::getline(lines, line)) {
    CHECK(line.size() <= 80 + 2 * std::count(line.begin(), line.end(), '\xe2'));
    if (line.starts_with("Annual lease revenue ")) ++labels;
  }
  CHECK(labels == 2);  // base and bear, then bull: two blocks
  CHECK(has(table.out, "-$76.4M/yr"));
  CHECK(has(table.out, "-7.3 pts"));  // the margin: 60.8% against 68.1%
  // At 160 columns, one block.
  const std::string wide = run("compare " + k_deal + " --cases --width 160").out;
  CHECK(std::count(wide.begin(), wide.end(), '\n') == 8);  // a header and seven figures
}

TEST_CASE("compare: two files, and --out", "[e2e][cases]") {
  const Result r =
      run("compare data/scenarios/colossus1-lease.json data/scenarios/colossus1-two-tenants.json "
          "--out lease.annual_revenue,cluster.gpus.total --format csv");
  REQUIRE(r.code == 0);
  const auto rows = csv(r.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0][3] == "colossus1-lease");
  CHECK(rows[0][5] == "colossus1-two-tenants");
  CHECK(rows[2][0] == "cluster.gpus.total");
  // 150,000 H100 + 50,000 H200 + 20,000 GB200 in both files.
  CHECK(rows[2][3] == "220000");
  CHECK(rows[2][5] == "220000");
  CHECK(rows[2][7] == "0");
}

TEST_CASE("sweep --pivot: the long sweep, cell for cell, as a two-way table", "[e2e][cases]") {
  const std::string vary =
      " --vary lease.occupancy=0.7:1:0.1 --vary lease.price_per_gpu_hour.H200=2:3:0.25";
  const Result longer = run("sweep " + k_deal + vary + " --out contract.npv");
  const Result pivot = run("sweep " + k_deal + vary + " --out contract.npv --pivot");
  REQUIRE(longer.code == 0);
  REQUIRE(pivot.code == 0);
  const auto l = csv(longer.out), p = csv(pivot.out);
  REQUIRE(l.size() == 1 + 4 * 5);
  REQUIRE(p.size() == 1 + 4);
  CHECK(p[0][0] ==
        "contract.npv by lease.occupancy (down) and lease.price_per_gpu_hour.H200 (across)");
  CHECK(p[0] == std::vector<std::string>{p[0][0], "2", "2.25", "2.5", "2.75", "3"});
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = 0; j < 5; ++j) {
      const auto& row = l[1 + i * 5 + j];
      CHECK(p[1 + i][0] == row[0]);
      CHECK(p[0][1 + j] == row[1]);
      CHECK(p[1 + i][1 + j] == row[2]);
    }
  // Read back by gnumeric too: numbers in every cell but the corner.
  const std::string path = temp_path("pivot.csv");
  { std::ofstream(path) << pivot.out; }
  const auto cells = spreadsheet(path);
  CHECK(cells.at({0, 0}).type == 60);
  for (int row = 0; row < 5; ++row)
    for (int col = row == 0 ? 1 : 0; col < 6; ++col)
      CHECK(cells.at({row, col}).type == 40);
  std::filesystem::remove(path);
  // The other formats.
  const auto json = nlohmann::json::parse(
      run("sweep " + k_deal + vary + " --out contract.npv --pivot --format json").out);
  CHECK(json["down"]["values"].size() == 4);
  CHECK(json["across"]["values"].size() == 5);
  CHECK(json["values"][3][4].get<double>() == Approx(std::stod(l[20][2])).epsilon(1e-14));
  CHECK(has(run("sweep " + k_deal + vary + " --out contract.npv --pivot --format table").out,
            "Occupancy \\ Lease price, H200"));
  const Result bad = run("sweep " + k_deal + vary + " --out contract.npv,contract.irr --pivot");
  CHECK(bad.code == 2);
  CHECK(has(bad.err, "exactly two --vary (the first down, the second across) and one --out"));
}
