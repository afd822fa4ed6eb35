// End-to-end: --set, sweep, solve and explain through the real binary, and a real
// spreadsheet (gnumeric's ssconvert) reading the CSV output.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>

#include "e2e.hpp"

using namespace leasecalc::e2e;

namespace {

// The rows of a CSV as numbers (the header skipped).
std::vector<std::vector<double>> numbers(const std::string& csv) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<double> row;
    for (const auto& f : csv_record(line))
      row.push_back(f.empty() ? NAN : std::stod(f));
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

TEST_CASE("report --set: the override moves every figure and is shown as such", "[e2e][whatif]") {
  const Result r = run("report --set lease.occupancy=0.85 --format csv");
  REQUIRE(r.code == 0);
  auto rec = records(r.out, ',');
  CHECK(std::stod(rec["lease.annual_revenue"][2]) == Approx(4259112000.0));  // 5,010,720,000 x 0.85
  CHECK(rec["lease.annual_revenue"][4] == "assumption");
  CHECK(rec["lease.occupancy"][4] == "assumption");
  // 6e9 / (220,000 x 8,760 x 0.85) = 3.6627
  CHECK(std::stod(rec["breakeven.price"][2]) == Approx(6e9 / (220000.0 * 8760 * 0.85)));

  const Result table =
      run("report --wide --set lease.price_per_gpu_hour.H200=3.5@reported:mirae-2026-05-08");
  REQUIRE(table.code == 0);
  CHECK(has(line_of(table.out, "lease.price_per_gpu_hour.H200"),
            "set from the shell; was $2.60/GPU-h [estimate]"));
  CHECK(has(line_of(table.out, "lease.price_per_gpu_hour.H200"), " reported "));
  // 8,760 x (150,000 x 2.60 + 50,000 x 3.50 + 20,000 x 2.60) = 5,404,920,000
  CHECK(has(line_of(table.out, "lease.annual_revenue"), " 5,404,920,000 "));

  const Result json = run("report --set lease.price_discount=0.1 --format json");
  REQUIRE(json.code == 0);
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["figures"]["lease.price_discount"]["overridden"] == true);
  CHECK(doc["figures"]["lease.annual_revenue"]["value"].get<double>() ==
        Approx(5010720000.0 * 0.9));
}

TEST_CASE("set: errors are usage errors: exit 2, nothing on stdout", "[e2e][whatif]") {
  // A number from the command line may be written in the units the tool prints.
  const std::string units_hint =
      "; write a plain number, a share as 85%, a price as $2.20, or 550k, 5.0B, 1.8T";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"lease.ocupancy=0.5",
       "--set lease.ocupancy=0.5: unknown figure key \"lease.ocupancy\" (did you mean "
       "\"lease.occupancy\"?); inputs are keys such as lease.occupancy, lease.price_per_gpu_hour, "
       "cluster.gpus.<MODEL>.count"},
      {"lease.occupancy=0x1",
       "--set lease.occupancy: \"0x1\" is not a number: unexpected 'x'" + units_hint},
      {"lease.occupancy=07",
       "--set lease.occupancy: \"07\" is not a number: leading zeros are not allowed (write 8, not "
       "08)" +
           units_hint},
      {"lease.occupancy=nan",
       "--set lease.occupancy: \"nan\" is not a number: expected a base-10 number such as 2.6, 1e9 "
       "or -0.5" +
           units_hint},
      {"lease.occupancy=inf",
       "--set lease.occupancy: \"inf\" is not a number: expected a base-10 number such as 2.6, 1e9 "
       "or -0.5" +
           units_hint},
      {"lease.occupancy=0.9x",
       "--set lease.occupancy: \"0.9x\" is not a number: unexpected 'x'" + units_hint},
      {"lease.occupancy=1.3", "--set lease.occupancy=1.3: must be between 0 and 1, got 1.3"},
      {"cluster.gpus.H100.count=-1",
       "--set cluster.gpus.H100.count=-1: must be a whole number at least 0, got -1"},
      {"lease.occupancy=0.5@guess",
       "--set lease.occupancy: unknown tag \"guess\"; allowed: exact, primary, confirmed, "
       "reported, "
       "estimate, assumption, ai-prior"},
  };
  for (const auto& [arg, message] : cases) {
    INFO(arg);
    const Result r = run("report --set '" + arg + "'");
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "leasecalc: error: " + message + "\n");
  }
}

TEST_CASE("sweep: a 3x3 grid as CSV, cell by cell", "[e2e][whatif]") {
  const Result r =
      run("sweep --vary lease.price_per_gpu_hour=2:3:0.5 --vary lease.occupancy=0.8:1:0.1 "
          "--out lease.annual_revenue,breakeven.coverage");
  REQUIRE(r.code == 0);
  CHECK(r.err.empty());
  CHECK(
      r.out.starts_with("lease.price_per_gpu_hour,lease.occupancy,lease.annual_revenue,breakeven."
                        "coverage\r\n2,0.8,"));
  // revenue = 220,000 x 8,760 x price x occupancy; coverage = revenue / 6e9
  const std::vector<std::vector<double>> expected{
      {2, 0.8, 3083520000, 0.51392},  {2, 0.9, 3468960000, 0.57816},  {2, 1, 3854400000, 0.6424},
      {2.5, 0.8, 3854400000, 0.6424}, {2.5, 0.9, 4336200000, 0.7227}, {2.5, 1, 4818000000, 0.803},
      {3, 0.8, 4625280000, 0.77088},  {3, 0.9, 5203440000, 0.86724},  {3, 1, 5781600000, 0.9636}};
  const auto rows = numbers(r.out);
  REQUIRE(rows.size() == 9);
  for (std::size_t i = 0; i < 9; ++i)
    for (std::size_t c = 0; c < 4; ++c) {
      INFO("row " << i << " column " << c);
      CHECK(rows[i][c] == Approx(expected[i][c]).epsilon(1e-12));
    }
}

TEST_CASE("machine formats write at most 15 significant digits", "[e2e][whatif]") {
  // 220,000 x 8,760 x 1.5 x 0.69 = 1,994,652,000; / 6e9 = 0.332442. In doubles the
  // product is 1994651999.9999998 and the ratio 0.33244199999999996: noise a spreadsheet
  // would keep as 1994652000 and 0.332442.
  const Result r =
      run("sweep --vary lease.price_per_gpu_hour=1.5:1.5:1 --vary lease.occupancy=0.69:0.69:1 "
          "--out lease.annual_revenue,breakeven.coverage");
  REQUIRE(r.code == 0);
  CHECK(has(r.out, "\r\n1.5,0.69,1994652000,0.332442\r\n"));
  // JSON: 250,556.117290192... H100e (150,000 + 50,000 + 20,000 x 2500/989) to 15 digits
  const Result j = run("report --format json");
  REQUIRE(j.code == 0);
  CHECK(has(j.out, "\"value\": 250556.117290192,"));
}

TEST_CASE("sweep: tsv and jsonl, on the second scenario", "[e2e][whatif]") {
  const Result tsv =
      run("sweep tests/scenarios/nebula.json --vary lease.price_discount=0:0.2:0.1 --format tsv");
  REQUIRE(tsv.code == 0);
  // 49,056,000 x 0.9 x (1 - d) for d = 0, 0.1, 0.2
  CHECK(tsv.out ==
        "lease.price_discount\tlease.annual_revenue\n0\t44150400\n0.1\t39735360\n0.2\t35320320\n");

  const Result jl =
      run("sweep --vary lease.occupancy=0.5:1:0.5 --out breakeven.price --format jsonl");
  REQUIRE(jl.code == 0);
  std::istringstream lines(jl.out);
  std::string head, row1, row2;
  std::getline(lines, head);
  std::getline(lines, row1);
  std::getline(lines, row2);
  const auto h = nlohmann::json::parse(head);
  CHECK(h["schema"] == "leasecalc/sweep/v1");
  CHECK(h["columns"][0]["key"] == "lease.occupancy");
  CHECK(h["columns"][0]["tag"] == "assumption");  // swept by the user
  CHECK(h["columns"][1]["unit"] == "USD/GPU-h");
  CHECK(h["columns"][1]["tag"] == "assumption");
  // 6e9 / (220,000 x 8,760 x 0.5) = 6.2267
  CHECK(nlohmann::json::parse(row1)["breakeven.price"].get<double>() ==
        Approx(6e9 / (220000.0 * 8760 * 0.5)));
  CHECK(nlohmann::json::parse(row2)["lease.occupancy"] == 1);
}

TEST_CASE("sweep: bad grids are refused before any output", "[e2e][whatif]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--vary lease.occupancy=0.5:1:0",
       "--vary lease.occupancy: the step must be greater than 0, got 0"},
      {"--vary lease.occupancy=1:0.5:0.1",
       "--vary lease.occupancy: STOP 0.5 is below START 1; a sweep runs upward"},
      {"--vary lease.occupancy=0.5:1.5:0.5",
       "--vary lease.occupancy=0.5:1.5:0.5: must be between 0 and 1, got 1.5"},
      {"--vary lease.price_per_gpu_hour=0:2:1",
       "--vary lease.price_per_gpu_hour=0:2:1: must be greater than 0, got 0"},
      {"--vary lease.occupancy=0.5:1:0.1 --out lease.anual_revenue",
       "--out: unknown figure key \"lease.anual_revenue\" (did you mean "
       "\"lease.annual_revenue\"?)"},
      {"--vary lease.occupancy=0:1:0.001 --vary lease.price_per_gpu_hour=1:2:0.001 --max-rows "
       "1000000",
       "the grid has 1002001 rows, above the limit of 1000000; raise it with --max-rows"},
      {"--vary lease.occupancy=0.5:1:0.1 --format table",
       "--format: unknown format \"table\"; allowed: csv, tsv, jsonl"},
  };
  for (const auto& [args, message] : cases) {
    INFO(args);
    const Result r = run("sweep " + args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "leasecalc: error: " + message + "\n");
  }
}

TEST_CASE("sweep -o: an overflow half-way leaves the old file byte-identical", "[e2e][whatif]") {
  const std::string path = temp_path("sweep.csv");
  { std::ofstream(path) << "old,contents\n"; }
  // 220,000 x 8,760 x 1e299 = 1.9e308: beyond a double from the second row on.
  const Result r = run("sweep --vary lease.price_per_gpu_hour=1e290:1e300:1e299 -o '" + path + "'");
  CHECK(r.code == 3);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "leasecalc: error: (bundled) data/scenarios/colossus1-lease.json: "
        "lease.annual_revenue "
        "overflows at row 2 of the sweep\n");
  CHECK(read_all(path) == "old,contents\n");
  std::filesystem::remove(path);
}

TEST_CASE("solve on a GPU model the cluster lacks adds it and solves its count", "[e2e][whatif]") {
  // Colossus 1 has no A100. Coverage 1 needs 6e9 / (2.60 x 8,760) = 263,435.19 GPUs at the
  // uniform price, 43,435.19 more than 220,000: the smallest whole count past it is 43,436.
  // (Before, the probe value 0.5 was refused as a count and the solve said "does not change".)
  // The bundled scenario prices capex per model: a new model needs its own, as a new model
  // needs its own price in a per-type lease.
  const Result no_capex =
      run("solve --wide --target breakeven.coverage=1 --vary cluster.gpus.A100.count");
  CHECK(no_capex.code == 2);
  CHECK(no_capex.err ==
        "leasecalc: error: --vary: A100 has no capex: with per-model capex, also set "
        "capex.per_gpu.A100=VALUE\n");
  const Result r =
      run("solve --wide --target breakeven.coverage=1 --vary cluster.gpus.A100.count --set "
          "capex.per_gpu.A100=20000");
  REQUIRE(r.code == 0);
  CHECK(has(line_of(r.out, "cluster.gpus.A100.count"), "43,436 estimate* cluster.gpus.A100.count"));
}

TEST_CASE("solve: the break-even price, and no solution in range", "[e2e][whatif]") {
  const Result r =
      run("solve --wide --target breakeven.coverage=1 --vary lease.price_per_gpu_hour");
  REQUIRE(r.code == 0);
  // 6,000,000,000 / (220,000 x 8,760) = 3.1133
  CHECK(has(line_of(r.out, "lease.price_per_gpu_hour"), " ~$3.113/GPU-h 3.1133 estimate* "));
  CHECK(has(line_of(r.out, "lease.price_per_gpu_hour"), "solved: breakeven.coverage = 1"));
  CHECK(has(line_of(r.out, "breakeven.coverage"), " 100% estimate* "));
  const Result csv =
      run("solve --target breakeven.coverage=1 --vary lease.price_per_gpu_hour --format csv");
  auto rec = records(csv.out, ',');
  CHECK(std::stod(rec["lease.price_per_gpu_hour"][2]) ==
        Approx(6e9 / (220000.0 * 8760)).epsilon(1e-12));

  const Result none = run("solve --target breakeven.coverage=1 --vary lease.occupancy");
  CHECK(none.code == 1);
  CHECK(none.out.empty());
  // at occupancy 1: 5,010,720,000 / 6e9 = 83.5%
  CHECK(
      none.err ==
      "leasecalc: no solution: breakeven.coverage stays between 0.0% and 83.5% for lease.occupancy "
      "from 0 to 1, never 100.0%\n");

  // Nebula: 30,000,000 / (8,760 x 5,600 x 0.9) = 0.6795 occupancy
  const Result n =
      run("solve tests/scenarios/nebula.json --wide --target breakeven.coverage=1 --vary "
          "lease.occupancy --format csv");
  REQUIRE(n.code == 0);
  CHECK(std::stod(records(n.out, ',')["lease.occupancy"][2]) ==
        Approx(30000000.0 / (8760 * 5600 * 0.9)).epsilon(1e-12));

  // A GPU count is whole: 6e9 / (2.6 x 8,760) - 200,000 = 63,435.19 GB200s -> 63,436.
  const Result count =
      run("solve --target breakeven.coverage=1 --vary cluster.gpus.GB200.count --format csv");
  REQUIRE(count.code == 0);
  CHECK(records(count.out, ',')["cluster.gpus.GB200.count"][2] == "63436");
  const Result count_table =
      run("solve --wide --target breakeven.coverage=1 --vary cluster.gpus.GB200.count");
  CHECK(has(line_of(count_table.out, "cluster.gpus.GB200.count"),
            "the crossing is at 63,435.19 GPU"));
  CHECK(has(line_of(count_table.out, "cluster.gpus.GB200.count"), "rounded up to a whole count"));

  CHECK(run("solve --target breakeven.coverage=x --vary lease.occupancy").code == 2);
  const Result bad = run("solve --target breakeven.covrage=1 --vary lease.occupancy");
  CHECK(bad.code == 2);
  CHECK(bad.err ==
        "leasecalc: error: --target: \"breakeven.covrage\" is not a computed figure (did you mean "
        "\"breakeven.coverage\"?)\n");
}

TEST_CASE("explain --format csv and tsv: raw numbers, as every machine format", "[e2e][whatif]") {
  const Result r = run("explain --wide breakeven.coverage --format csv");
  REQUIRE(r.code == 0);
  // 5,010,720,000 / 6,000,000,000 = 0.83512; no $, no %, no "*" on the tag
  CHECK(r.out ==
        "key,value,unit,tag,derived,sources,formula\r\n"
        "breakeven.coverage,0.83512,ratio,estimate,true,mirae-2026-05-08;yk-2026-05-09,"
        "breakeven.coverage = lease.annual_revenue / loss.annual_net_loss\r\n"
        "lease.annual_revenue,5010720000,USD/yr,estimate,true,mirae-2026-05-08;yk-2026-05-09,\r\n"
        "loss.annual_net_loss,6000000000,USD/yr,reported,false,mirae-2026-05-08,\r\n");
  const Result t = run("explain --wide lease.annual_revenue --format tsv");
  REQUIRE(t.code == 0);
  CHECK(has(t.out, "\nlease.price_per_gpu_hour\t2.6\tUSD/GPU-h\testimate\tfalse\t"));
}

TEST_CASE("explain: two figures, in text and JSON", "[e2e][whatif]") {
  const Result r = run("explain --wide lease.annual_revenue");
  REQUIRE(r.code == 0);
  CHECK(
      r.out.starts_with("lease.annual_revenue: Annual lease revenue\n"
                        "  lease.annual_revenue = (cluster.gpus.H100.count x lease.hours_per_year "
                        "x lease.price_per_gpu_hour + cluster.gpus.H200.count x "
                        "lease.hours_per_year x lease.price_per_gpu_hour + "
                        "cluster.gpus.GB200.count x lease.hours_per_year x "
                        "lease.price_per_gpu_hour) x lease.occupancy\n"
                        "                         = (150,000 x 8,760 x 2.6 + 50,000 x 8,760 x 2.6 "
                        "+ 20,000 x 8,760 x 2.6) x 1\n"
                        "                         = ~$5,010,720,000/yr [estimate]\n"));
  CHECK(has(line_of(r.out, "lease.price_per_gpu_hour"), " $2.6/GPU-h estimate mirae-2026-05-08"));

  const Result f = run("explain --wide fleet.share_h100e --format json");
  REQUIRE(f.code == 0);
  const auto doc = nlohmann::json::parse(f.out);
  CHECK(doc["formula"] == "fleet.share_h100e = cluster.h100e.total / fleet.h100e");
  CHECK(doc["with_values"] == "250,556.1 / 550,000");
  CHECK(doc["value"].get<double>() == Approx((200000 + 20000 * 2500.0 / 989) / 550000));
  CHECK(doc["bound"] == "at-most");
  CHECK(doc["inputs"][1]["key"] == "fleet.h100e");
  CHECK(doc["inputs"][1]["tag"] == "reported");

  const Result unknown = run("explain --wide lease.anual_revenue");
  CHECK(unknown.code == 2);
  CHECK(unknown.out.empty());
  CHECK(unknown.err ==
        "leasecalc: error: explain: unknown figure key \"lease.anual_revenue\" (did you mean "
        "\"lease.annual_revenue\"?); `leasecalc report` lists every key\n");
}

TEST_CASE("a real spreadsheet reads the report and sweep CSVs", "[e2e][whatif][spreadsheet]") {
  REQUIRE(std::system("command -v ssconvert >/dev/null 2>&1") ==
          0);  // gnumeric, from scripts/test.sh
  const std::string report_csv = temp_path("report.csv");
  REQUIRE(run("report tests/scenarios/nebula.json --format csv -o '" + report_csv + "'").code == 0);
  const auto cells = spreadsheet(report_csv);
  int revenue_row = -1, fleet_row = -1;
  for (const auto& [pos, cell] : cells) {
    if (pos.second == 0 && cell.text == "lease.annual_revenue") revenue_row = pos.first;
    if (pos.second == 0 && cell.text == "fleet.h100e") fleet_row = pos.first;
  }
  REQUIRE(revenue_row > 0);
  REQUIRE(fleet_row > 0);
  // A number cell with the value: 8,760 x 0.9 x 0.9 x 5,600 = 39,735,360
  CHECK(cells.at({revenue_row, 2}).type == 40);
  CHECK(std::stod(cells.at({revenue_row, 2}).text) == Approx(39735360.0));
  // The label with a comma and quotes is one cell, and the row still has nine cells.
  CHECK(cells.at({fleet_row, 1}).type == 60);
  CHECK(cells.at({fleet_row, 1}).text == "Nebula Cloud, Inc. \"NCI\" fleet");
  CHECK(cells.at({fleet_row, 2}).text == "10000");
  CHECK(cells.count({fleet_row, 8}) == 1);
  CHECK(cells.count({fleet_row, 9}) == 0);
  std::filesystem::remove(report_csv);

  const std::string sweep_csv = temp_path("sweep.csv");
  REQUIRE(
      run("sweep --vary lease.price_per_gpu_hour=2:3:0.5 --vary lease.occupancy=0.8:1:0.1 --out "
          "lease.annual_revenue,breakeven.coverage -o '" +
          sweep_csv + "'")
          .code == 0);
  const auto grid = spreadsheet(sweep_csv);
  CHECK(grid.at({0, 2}).text == "lease.annual_revenue");
  for (int row = 1; row <= 9; ++row)
    for (int col = 0; col < 4; ++col)
      CHECK(grid.at({row, col}).type == 40);
  // row 5 is price 2.5, occupancy 0.9: 1,927,200,000 x 2.25 = 4,336,200,000; / 6e9 = 0.7227
  CHECK(std::stod(grid.at({5, 2}).text) == Approx(4336200000.0));
  CHECK(std::stod(grid.at({5, 3}).text) == Approx(0.7227));
  std::filesystem::remove(sweep_csv);
}

TEST_CASE("costs from a file: the report's headline, explain and a solve on EBIT", "[e2e][costs]") {
  // 1,000 H100 at $2 on 1.5 MW: revenue 1,000 x 2 x 8,760 = 17,520,000; power 1.5 x 8,760 x
  // 60 = 788,400; colocation 1.5 x 1,000 x 150 x 12 = 2,700,000; depreciation 40M / 5 = 8M.
  const std::string path = temp_path("costs.json");
  {
    std::ofstream f(path);
    f << R"({"schema": "leasecalc/scenario/v1", "name": "costs",
      "cluster": {"gpus": {"H100": {"count": 1000}}, "power_mw": 1.5}, "lease": {"price_per_gpu_hour": 2},
      "costs": {"power_price_per_mwh": 60, "colocation_per_kw_month": 150},
      "capex": {"per_gpu": 40000, "life_years": 5}})";
  }
  const Result r = run("report " + path);
  REQUIRE(r.code == 0);
  // EBITDA 17,520,000 - 3,488,400 = 14,031,600: a margin of 80.09%
  CHECK(has(r.out, "  EBITDA margin"));
  CHECK(has(line_of(r.out, "pnl.ebitda_margin"), "80.1%"));
  const Result e = run("explain pnl.ebit " + path);
  REQUIRE(e.code == 0);
  CHECK(has(e.out, "pnl.ebit = pnl.ebitda - capex.depreciation"));
  // EBIT 0 at a price of (3,488,400 + 8,000,000) / 8,760,000 GPU-hours = $1.3115
  const Result s =
      run("solve " + path + " --target pnl.ebit=0 --vary lease.price_per_gpu_hour --format csv");
  REQUIRE(s.code == 0);
  CHECK(std::stod(records(s.out, ',')["lease.price_per_gpu_hour"][2]) ==
        Approx(11488400.0 / 8760000.0));
  std::filesystem::remove(path);
}

TEST_CASE("sweep: a grid of many chunks comes out whole and in order", "[e2e][whatif]") {
  // 401 x 251 = 100,651 rows: seven chunks of 16,384 rows, formatted on every core and
  // written in order. Each row's axes follow from its number (price slowest), and its
  // revenue is 220,000 x 8,760 x price x occupancy.
  const Result r =
      run("sweep --vary lease.price_per_gpu_hour=2:2.4:0.001 --vary lease.occupancy=0.75:1:0.001");
  REQUIRE(r.code == 0);
  const auto rows = numbers(r.out);
  REQUIRE(rows.size() == 100651);
  for (std::size_t i = 0; i < rows.size(); i += 997) {
    const double price = 2 + static_cast<double>(i / 251) * 0.001;
    const double occupancy = 0.75 + static_cast<double>(i % 251) * 0.001;
    INFO("row " << i);
    CHECK(rows[i][0] == Approx(price).epsilon(1e-12));
    CHECK(rows[i][1] == Approx(occupancy).epsilon(1e-12));
    CHECK(rows[i][2] == Approx(220000.0 * 8760 * price * occupancy).epsilon(1e-12));
  }
  CHECK(rows.back()[0] == 2.4);
  CHECK(rows.back()[1] == 1);
  // An overflow in a later chunk names its row (220,000 x 8,760 x 1e299 = 1.9e308 is past
  // a double).
  const Result big = run(
      "sweep --vary lease.price_per_gpu_hour=1:1e299:1e299 --vary lease.occupancy=0.5:1:0.00003");
  CHECK(big.code == 3);
  // occupancy 0.5..1 step 0.00003 is 16,667 values: row 16,668 is the first at 1e299.
  CHECK(big.err.ends_with("lease.annual_revenue overflows at row 16668 of the sweep\n"));
}
