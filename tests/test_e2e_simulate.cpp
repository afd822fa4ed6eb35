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

TEST_CASE("simulate: a run past the pilot is the same bytes on 1 and 2 threads",
          "[e2e][simulate]") {
  // 1,200,000 samples are 19 blocks of 65,536, past the 4 the pilot keeps: the summary
  // comes from windows and passes (README "Memory does not grow with the samples"). With
  // --prob, --sensitivity, correlations, and the SVG's histogram (its own pass).
  for (const std::string format : {"json", "svg"}) {
    const std::string args =
        "simulate bench/three-ranges-correlated.json --samples 1200000 --seed 5 --out "
        "breakeven.coverage --format " +
        format + " --prob 'breakeven.coverage>=0.9'" + (format == "json" ? " --sensitivity" : "");
    const Result one = run(args + " --threads 1");
    const Result two = run(args + " --threads 2");
    REQUIRE(one.code == 0);
    CHECK(one.out == two.out);
    CHECK(one.out.size() > 1000);
  }
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
       "--samples 200000001 is above the limit of 100000000; raise it with --max-samples (a "
       "guard on time: 1e8 samples take seconds)"},
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
  // Titled by the label; the key opens the line under it.
  CHECK(has(h, "Contract NPV [assumption]"));
  CHECK(has(h, "EBITDA margin [assumption]"));
  CHECK(has(h, "contract.npv: 20,000 samples"));
  CHECK(has(h, "P(Contract NPV &gt;= $0.00) = "));  // xmllint escapes the text it prints
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

TEST_CASE("simulate charts: edges, whole-number bins, the base case, legends, period widths",
          "[e2e][simulate]") {
  const std::string scenario = "data/scenarios/neocloud-build.json";
  const std::string svg = temp_path("edges.svg");
  auto chart = [&](const std::string& args) {
    REQUIRE(run("simulate " + scenario + " --seed 1 --format svg -o " + svg + " " + args).code ==
            0);
    REQUIRE(run_shell("xmllint --noout " + svg).code == 0);
    return read_all(svg);
  };
  auto number = [](const std::string& text, const std::string& attribute) {
    const auto at = text.find(attribute + "=\"");
    return std::stod(text.substr(at + attribute.size() + 2));
  };
  auto lines_with = [](const std::string& text, const std::string& part) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      if (has(line, part)) out.push_back(line);
    return out;
  };
  // A threshold below every sample (no NPV reaches -$1T): drawn at the axis's left end
  // (x = 90), an arrow outside it, the label inside the 900-wide canvas, anchored at its
  // start, saying so.
  {
    const std::string h = chart("--samples 5000 --out contract.npv --prob 'contract.npv>=-1e12'");
    const auto label = lines_with(h, "is below every sample");
    REQUIRE(label.size() == 1);
    CHECK(has(label[0], "P(Contract NPV &gt;= -$1T) = 100.0% \u00b1 0.0%; -$1T is below every"));
    CHECK(number(label[0], "x") == Approx(90));
    CHECK(has(label[0], "text-anchor=\"start\""));
    const auto dashed = lines_with(h, "stroke-dasharray=\"5 3\"");
    REQUIRE(dashed.size() == 1);
    CHECK(number(dashed[0], "x1") == Approx(90));
    // The base case: report's $61,856,617, dashed black, its label with it.
    CHECK(lines_with(h, "stroke-dasharray=\"2 2\"").size() == 1);
    CHECK(lines_with(h, ">base $61.9M<").size() == 1);
  }
  // Payback in whole months: every bin one month wide (the plot's 770 px over whole
  // months), and every tick at a bin's centre.
  {
    const std::string h = chart("--samples 5000 --out contract.payback_months");
    const auto bars = lines_with(h, "fill=\"#4e79a7\"");
    REQUIRE(bars.size() > 5);
    // x is written to 0.1 px: the bin is 770 / round(770 / the least step), and every bar
    // and tick lies on its grid to within 0.05 px.
    double step = 1e9;
    for (std::size_t i = 1; i < bars.size(); ++i)
      step = std::min(step, number(bars[i], "x") - number(bars[i - 1], "x"));
    const double bin = 770 / std::round(770 / step);
    for (const auto& bar : bars) {
      const double k = (number(bar, "x") - 90) / bin;
      CHECK(std::fabs(k - std::round(k)) * bin < 0.051);  // on the grid
    }
    int ticks = 0;
    for (const auto& t : lines_with(h, " mo</text>")) {
      if (!has(t, "text-anchor=\"middle\" font-size=\"11\">")) continue;  // the axis's
      const double centre = (number(t, "x") - 90) / bin - 0.5;
      CHECK(std::fabs(centre - std::round(centre)) * bin < 0.051);  // at a bin's centre
      ++ticks;
    }
    CHECK(ticks >= 3);
    CHECK(has(h, "whole-number bins"));
  }
  // --legend: full lists every input with its range; short their keys only; none nothing.
  {
    const std::string full = chart("--samples 2000 --out contract.npv");
    const std::string brief = chart("--samples 2000 --out contract.npv --legend short");
    const std::string none = chart("--samples 2000 --out contract.npv --legend none");
    CHECK(has(full, "lease.occupancy [assumption]: triangular 70.0% to 95.0%"));
    CHECK(has(brief, "seed 1; 25 ranged inputs: cluster.power_mw, "));
    CHECK(!has(brief, "triangular"));
    CHECK(!has(none, "lease.occupancy"));
    CHECK(number(full, "height") > number(brief, "height"));
    CHECK(number(brief, "height") > number(none, "height"));
  }
  // The fan chart: the lease starts 2027-02-01 and the tail runs to month 72, so the first
  // quarter holds 2 months and the last (2033-Q1) 1. Each is drawn to its length on the
  // 770 px: 770 x 2 / 72 = 21.39 from the left edge, and 770 / 72 = 10.69 wide at the end.
  {
    const std::string f = chart("--samples 2000 --schedule --set lease.term_months=48");
    const auto median = lines_with(f, "<polyline points=\"");
    REQUIRE(median.size() == 1);
    std::istringstream points(median[0].substr(median[0].find('"') + 1));
    std::vector<double> xs;
    for (std::string p; points >> p && p.find(',') != std::string::npos;)
      xs.push_back(std::stod(p.substr(0, p.find(','))));
    REQUIRE(xs.size() == 25);  // 2027-Q1 .. 2033-Q1
    CHECK(xs.front() == Approx(90 + 770.0 * 2 / 72).margin(0.05));
    CHECK(xs[1] - xs[0] == Approx(770.0 * 3 / 72).margin(0.1));
    CHECK(xs.back() == Approx(860).margin(0.05));
    CHECK(xs.back() - xs[xs.size() - 2] == Approx(770.0 / 72).margin(0.1));
  }
  std::filesystem::remove(svg);
}

TEST_CASE("simulate: sensitivity by share (or --sort rho), a rate's standard error readable",
          "[e2e][simulate]") {
  const std::string base =
      "simulate data/scenarios/neocloud-build.json --samples 4000 --seed 1 --out contract.irr";
  auto inputs = [&](const std::string& extra) {
    const auto doc = nlohmann::json::parse(run(base + " --sensitivity --format json" + extra).out);
    return doc["outputs"][0]["sensitivity"]["inputs"];
  };
  const auto by_share = inputs("");
  const auto by_rho = inputs(" --sort rho");
  REQUIRE(by_share.size() == 25);
  for (std::size_t i = 1; i < by_share.size(); ++i) {
    CHECK(by_share[i - 1]["share"].get<double>() >= by_share[i]["share"].get<double>());
    CHECK(std::fabs(by_rho[i - 1]["spearman"].get<double>()) >=
          std::fabs(by_rho[i]["spearman"].get<double>()));
  }
  // The two orders differ on this deal: the take-or-pay share explains more of the IRR's
  // variance than the GB200 price, whose rank correlation is stronger.
  CHECK(by_share.dump() != by_rho.dump());
  CHECK(run(base + " --sensitivity --sort spearman").code == 2);
  // The IRR's standard errors: sd / sqrt(4000) of a ~5.7%/yr sd is ~0.09%/yr, printed with
  // two significant digits, never "0.0%/yr".
  const Result r = run(base);
  std::istringstream lines(r.out);
  std::string line, errors;
  while (std::getline(lines, line))
    if (line.starts_with("contract.irr") && has(line, "%/yr") && !has(line, "assumption"))
      errors = line;
  REQUIRE(!errors.empty());
  CHECK(!has(errors, " 0.0%/yr"));
  CHECK(std::regex_search(errors, std::regex(R"( 0\.0[1-9][0-9]?%/yr)")));
}
