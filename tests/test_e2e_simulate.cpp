// End-to-end: simulate and tornado through the real binary.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "e2e.hpp"
#include "leasecalc/calc/stats.hpp"

using namespace leasecalc::e2e;

TEST_CASE("simulate: documented columns, the seed printed, byte-identical runs",
          "[e2e][simulate]") {
  const std::string args =
      "simulate tests/scenarios/nebula.json --samples 20000 --seed 7 --out "
      "lease.annual_revenue,breakeven.coverage --format csv";
  const Result a = run(args + " --threads 1");
  const Result b = run(args + " --threads 2");
  const Result c = run(args);
  REQUIRE(a.code == 0);
  CHECK(a.out == b.out);  // whatever the thread count
  CHECK(a.out == c.out);
  // README "Spreadsheets" columns, then the standard errors (issue 15)
  CHECK(a.out.starts_with(
      "key,unit,tag,samples,seed,mean,sd,p5,p50,p95,se_mean,se_p5,se_p50,se_p95\r\n"));
  auto rec = records(a.out, ',');
  CHECK(rec["lease.annual_revenue"][1] == "USD/yr");
  CHECK(rec["lease.annual_revenue"][2] == "assumption");
  CHECK(rec["lease.annual_revenue"][3] == "20000");
  CHECK(rec["lease.annual_revenue"][4] == "7");
  // revenue = 7,095.6 x (4,000 + 2,000 x A100 price) / 0.9 x occupancy: between the corners
  // 44,150,400 x 0.8 x 5,200/5,600 and 44,150,400 x 0.95 x 6,000/5,600
  const double p5 = std::stod(rec["lease.annual_revenue"][7]),
               p95 = std::stod(rec["lease.annual_revenue"][9]);
  CHECK(p5 > 44150400.0 * 0.8 * 5200 / 5600);
  CHECK(p95 < 44150400.0 * 0.95 * 6000 / 5600);
  CHECK(p5 < p95);

  // The bundled scenario as Part I had it: the price is its one ranged input.
  const Result table =
      run("simulate --wide tests/scenarios/colossus1-revenue.json --samples 1000 --seed 99");
  CHECK(table.out.starts_with(
      "seed 99 (repeat with --seed 99); ranged inputs: lease.price_per_gpu_hour "
      "triangular $2.20/GPU-h to $3.00/GPU-h [estimate]\n"));
  const Result random_seed = run("simulate --wide --samples 1000 --format json");
  REQUIRE(random_seed.code == 0);
  CHECK(nlohmann::json::parse(random_seed.out)["seed"].is_number_unsigned());
}

TEST_CASE("simulate --samples-out: every sample, inputs and outputs", "[e2e][simulate]") {
  const std::string path = temp_path("samples.csv");
  const Result r =
      run("simulate --wide tests/scenarios/colossus1-revenue.json --samples 500 --seed 3 "
          "--samples-out " +
          path);
  REQUIRE(r.code == 0);
  const std::string csv = read_all(path);
  CHECK(csv.starts_with("sample,lease.price_per_gpu_hour,lease.annual_revenue\r\n0,"));
  std::size_t lines = 0;
  for (char ch : csv)
    lines += ch == '\n';
  CHECK(lines == 501);
  // Each row's revenue is 220,000 x 8,760 x its price.
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  std::getline(in, line);
  const auto f = csv_record(line);
  CHECK(std::stod(f[2]) == Approx(220000.0 * 8760 * std::stod(f[1])));
  std::filesystem::remove(path);
}

TEST_CASE("simulate: numeric options are strict, and a scenario needs a range", "[e2e][simulate]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--samples 0x10", "--samples: \"0x10\" is not a number: unexpected 'x'"},
      {"--samples 1e6", "--samples: \"1e6\" is not a whole number from 0 to 2^53"},
      {"--samples 0", "--samples: at least 1"},
      {"--seed -1", "--seed: \"-1\" is not a whole number from 0 to 2^53"},
      {"--seed 12abc", "--seed: \"12abc\" is not a number: unexpected 'a'"},
      {"--threads 0", "--threads: from 1 to 256"},
      {"--samples 200000001",
       "--samples 200000001 is above the limit of 100000000; raise it with --max-samples (each "
       "output "
       "keeps 8 bytes a sample)"},
      {"--out lease.anual_revenue",
       "--out: \"lease.anual_revenue\" is not a computed figure (did you mean "
       "\"lease.annual_revenue\"?)"},
  };
  for (const auto& [args, message] : cases) {
    INFO(args);
    const Result r = run("simulate --wide " + args);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "leasecalc: error: " + message + "\n");
  }
  const Result none =
      run("simulate --wide tests/scenarios/colossus1-revenue.json --set "
          "lease.price_per_gpu_hour=2.6");  // the override has no range
  CHECK(none.code == 3);
  CHECK(none.err ==
        "leasecalc: error: tests/scenarios/colossus1-revenue.json: no input has "
        "a range: give a figure \"low\" and \"high\" (and \"dist\") to simulate it, or use "
        "--tag-ranges\n");
}

TEST_CASE("tornado: bars in text, columns in CSV, an SVG chart", "[e2e][simulate]") {
  const Result t = run("tornado --wide tests/scenarios/nebula.json --target breakeven.coverage");
  REQUIRE(t.code == 0);
  CHECK(t.out.starts_with(
      "tornado: breakeven.coverage (Revenue / loss), base 132.5% [assumption]\n"));
  // loss first (swing 59.6 points, the longest bar), then occupancy, then the A100 price
  const auto loss = line_of(t.out, "loss.annual_net_loss");
  CHECK(has(loss, " $25M/yr $40M/yr 158.9% 99.3% 59.6% " + std::string(40, '#')));
  CHECK(t.out.find("loss.annual_net_loss") < t.out.find("lease.occupancy"));
  CHECK(t.out.find("lease.occupancy") < t.out.find("lease.price_per_gpu_hour.A100"));

  const Result csv =
      run("tornado --wide tests/scenarios/nebula.json --target breakeven.coverage --format csv");
  CHECK(csv.out.starts_with(
      "input,low,high,at_low,at_high,swing\r\nloss.annual_net_loss,25000000,40000000,"));

  const std::string svg = temp_path("tornado.svg");
  REQUIRE(run("tornado --wide tests/scenarios/nebula.json --target breakeven.coverage --format svg "
              "-o " +
              svg)
              .code == 0);
  REQUIRE(run_shell("xmllint --noout " + svg).code == 0);  // well-formed XML
  const std::string text =
      run_shell("xmllint --xpath '//*[local-name()=\"text\"]/text()' " + svg).out;
  for (const std::string input :
       {"loss.annual_net_loss", "lease.occupancy", "lease.price_per_gpu_hour.A100"})
    CHECK(has(text, input));
  CHECK(has(text, "[reported]"));          // each input's tag
  CHECK(has(text, "$25M/yr to $40M/yr"));  // human units
  CHECK(has(text, "Tornado: Revenue / loss"));
  std::filesystem::remove(svg);
}

TEST_CASE("tornado chart: labels, a 100% line, and inputs without effect listed apart",
          "[e2e][simulate]") {
  // On the IPO scenario only the price moves coverage; the valuation and CoreWeave's
  // multiple are ranged but do not enter it: swing 0, listed under the chart, not drawn.
  const Result t = run("tornado data/scenarios/colossus1-ipo.json --target breakeven.coverage");
  REQUIRE(t.code == 0);
  CHECK(line_of(t.out, "valuation") == "(no line for valuation)");
  CHECK(has(t.out,
            "\nno effect on breakeven.coverage: valuation, comps.CoreWeave.revenue_multiple\n"));
  const std::string svg = temp_path("tornado-ipo.svg");
  REQUIRE(run("tornado data/scenarios/colossus1-ipo.json --target breakeven.coverage --format svg "
              "-o " +
              svg)
              .code == 0);
  REQUIRE(run_shell("xmllint --noout " + svg).code == 0);
  auto xpath = [&](const std::string& expr) {
    return run_shell("xmllint --xpath '" + expr + "' " + svg).out;
  };
  // One bar pair, for the price: 2 rects a drawn input, plus the background.
  CHECK(xpath("count(//*[local-name()=\"rect\"])") == "3\n");
  const std::string text = xpath("//*[local-name()=\"text\"]/text()");
  CHECK(has(text, "Lease price [estimate]"));  // the figure's label, then its key below
  CHECK(has(text, "lease.price_per_gpu_hour: $2.20/GPU-h to $3.00/GPU-h"));
  CHECK(has(text, "no effect on breakeven.coverage: valuation, comps.CoreWeave.revenue_multiple"));
  CHECK(has(text, "100%"));  // coverage is a share: a line marks 100%
  CHECK(xpath("count(//*[local-name()=\"line\"][@stroke=\"#c00\"])") == "1\n");
  // Revenue is not a share: no 100% line.
  REQUIRE(run("tornado data/scenarios/colossus1-ipo.json --format svg -o " + svg).code == 0);
  CHECK(xpath("count(//*[local-name()=\"line\"][@stroke=\"#c00\"])") == "0\n");
  std::filesystem::remove(svg);
}

TEST_CASE("options before the scenario path: --set takes one value", "[e2e][simulate]") {
  const Result r = run(
      "report --set lease.occupancy=0.5 --set lease.price_discount=0.1 tests/scenarios/nebula.json "
      "--format csv");
  REQUIRE(r.code == 0);
  // 49,056,000 x 0.5 x 0.9 = 22,075,200
  CHECK(std::stod(records(r.out, ',')["lease.annual_revenue"][2]) == Approx(22075200.0));
  const Result s = run("sweep --vary lease.occupancy=0.5:1:0.5 tests/scenarios/nebula.json");
  CHECK(s.code == 0);
  CHECK(has(s.out, "\r\n1,44150400\r\n"));  // 49,056,000 x 1 x 0.9
}

TEST_CASE("simulate --prob and --sensitivity agree with the samples written out",
          "[e2e][simulate]") {
  // 20,000 samples are one block, so the pooled rank statistics are those of the whole
  // sample: recompute them from --samples-out.
  const std::string samples = temp_path("prob-samples.csv");
  const Result r = run(
      "simulate tests/scenarios/nebula.json --samples 20000 --seed 5 --out breakeven.coverage "
      "--prob 'breakeven.coverage>=1.3' --prob 'breakeven.coverage<1' --sensitivity --format json "
      "--samples-out " +
      samples);
  REQUIRE(r.code == 0);
  const auto doc = nlohmann::json::parse(r.out);
  const auto& out = doc["outputs"][0];
  // The samples: sample, then the three inputs, then coverage.
  std::vector<std::vector<double>> cols(4);
  std::istringstream lines(read_all(samples));
  std::string line;
  std::getline(lines, line);
  CHECK(
      line.starts_with("sample,lease.price_per_gpu_hour.A100,lease.occupancy,"
                       "loss.annual_net_loss,breakeven.coverage"));
  while (std::getline(lines, line)) {
    const auto rec = csv_record(line);
    for (std::size_t c = 0; c < 4; ++c)
      cols[c].push_back(std::stod(rec[c + 1]));
  }
  REQUIRE(cols[3].size() == 20000);
  const auto at_least =
      std::count_if(cols[3].begin(), cols[3].end(), [](double x) { return x >= 1.3; });
  const auto below = std::count_if(cols[3].begin(), cols[3].end(), [](double x) { return x < 1; });
  const double p = static_cast<double>(at_least) / 20000;
  // The CSV's 15 digits can move a sample across the threshold only by a hair: allow one.
  CHECK(out["probabilities"][0]["probability"].get<double>() == Approx(p).margin(1.0 / 20000));
  CHECK(out["probabilities"][0]["condition"] == "breakeven.coverage>=1.3");
  CHECK(out["probabilities"][0]["se"].get<double>() ==
        Approx(std::sqrt(p * (1 - p) / 20000)).epsilon(1e-3));
  CHECK(out["probabilities"][1]["probability"].get<double>() ==
        Approx(static_cast<double>(below) / 20000).margin(1.0 / 20000));
  CHECK(out["se"]["mean"].get<double>() ==
        Approx(out["sd"].get<double>() / std::sqrt(20000.0)).epsilon(1e-12));
  const auto& sens = out["sensitivity"];
  CHECK(sens["method"] == "standardized rank regression");
  double shares = 0;
  for (const auto& e : sens["inputs"]) {
    const std::string key = e["input"];
    const std::size_t c = key == "lease.price_per_gpu_hour.A100" ? 0
                          : key == "lease.occupancy"             ? 1
                                                                 : 2;
    CHECK(e["spearman"].get<double>() ==
          Approx(leasecalc::spearman(cols[c].data(), cols[3].data(), 20000)).margin(1e-9));
    shares += e["share"].get<double>();
  }
  CHECK(shares == Approx(1).epsilon(1e-12));
  // Strongest first: the loss divides coverage, so its rho is the largest and negative.
  CHECK(sens["inputs"][0]["input"] == "loss.annual_net_loss");
  CHECK(sens["inputs"][0]["spearman"].get<double>() < -0.5);
  std::filesystem::remove(samples);

  const Result csv =
      run("simulate tests/scenarios/nebula.json --samples 20000 --seed 5 --out breakeven.coverage "
          "--sensitivity --format csv");
  CHECK(csv.out.starts_with(
      "output,input,tag,spearman,share,r2\r\nbreakeven.coverage,loss.annual_net_loss,reported,-"));
  const Result pcsv =
      run("simulate tests/scenarios/nebula.json --samples 20000 --seed 5 --out breakeven.coverage "
          "--prob 'breakeven.coverage>=1.3' --format csv");
  CHECK(pcsv.out.starts_with(
      "key,op,threshold,probability,se,samples,seed\r\nbreakeven.coverage,>=,1.3,"));
}

TEST_CASE("simulate charts: histograms and the fan chart name every input", "[e2e][simulate]") {
  const std::string scenario = "data/scenarios/neocloud-build.json";
  const auto doc = nlohmann::json::parse(
      run("simulate " + scenario + " --samples 2000 --seed 1 --format json").out);
  std::vector<std::string> inputs;
  for (const auto& in : doc["ranged_inputs"])
    inputs.push_back(in["key"]);
  // 18 before financing, then finance.equity_rate, debt.share, debt.rate,
  // debt.term_months, the H200's 2031 market price, market.decline, tail.occupancy: 25
  REQUIRE(inputs.size() == 25);
  auto texts = [](const std::string& svg) {
    REQUIRE(run_shell("xmllint --noout " + svg).code == 0);  // well-formed XML
    return run_shell("xmllint --xpath '//*[local-name()=\"text\"]/text()' " + svg).out;
  };
  const std::string hist = temp_path("hist.svg");
  REQUIRE(run("simulate " + scenario +
              " --samples 20000 --seed 1 --out contract.npv,pnl.ebitda_margin --prob "
              "'contract.npv>=0' --format svg -o " +
              hist)
              .code == 0);
  const std::string h = texts(hist);
  for (const auto& key : inputs)
    CHECK(has(h, key));
  CHECK(has(h, "contract.npv [assumption]"));
  CHECK(has(h, "pnl.ebitda_margin [assumption]"));
  CHECK(has(h, "P(contract.npv &gt;= $0.00) = "));  // xmllint escapes the text it prints
  for (const char* mark : {"p5 ", "p50 ", "p95 "})
    CHECK(has(h, mark));
  CHECK(has(h,
            "rank correlation 0.7 between lease.price_per_gpu_hour.H200 and "
            "lease.price_per_gpu_hour.GB200"));
  const std::string fan = temp_path("fan.svg");
  REQUIRE(run("simulate " + scenario +
              " --schedule --samples 5000 --seed 1 --set lease.term_months=48 --format svg -o " +
              fan)
              .code == 0);
  const std::string f = texts(fan);
  for (const auto& key : inputs)
    if (key != "lease.term_months") CHECK(has(f, key));  // fixed by --set: no longer ranged
  CHECK(has(f, "Cumulative cash: "));
  CHECK(has(f, "2027-Q1"));
  std::filesystem::remove(hist);
  std::filesystem::remove(fan);
}
