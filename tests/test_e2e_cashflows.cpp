// Cash flows from anywhere (README "Cash flows"): leasecalc cashflows on SPEC §18's
// checks (a spreadsheet's XIRR and XNPV, flows with two rates of return), schedule
// --flows piped into it reproducing investment.npv and .irr on every scenario that has
// them, and gnumeric's own NPV, IRR, XIRR and XNPV over the same flows.
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "e2e.hpp"
#include "helpers.hpp"

using namespace leasecalc::e2e;

namespace {

nlohmann::json figures(const std::string& args) {
  const Result r = run("cashflows " + args + " --format json");
  REQUIRE(r.code == 0);
  return nlohmann::json::parse(r.out)["figures"];
}

std::string exact(double x) {
  std::ostringstream s;
  s.precision(17);
  s << x;
  return s.str();
}

// schedule FILE --flows [--equity] | cashflows - --per month --rate RATE
nlohmann::json piped(const std::string& file, const std::string& flags, double rate) {
  const Result r = run_shell(
      "'" LEASECALC_BIN "' schedule " + file + " " + flags +
      " | '" LEASECALC_BIN "' cashflows - --per month --format json --rate " + exact(rate));
  REQUIRE(r.code == 0);
  return nlohmann::json::parse(r.out)["figures"];
}

double value(const nlohmann::json& doc, const std::string& key) {
  REQUIRE(doc.contains(key));
  REQUIRE(doc[key].contains("value"));
  return doc[key]["value"].get<double>();
}

}  // namespace

TEST_CASE("cashflows: a spreadsheet's XIRR and XNPV", "[e2e][cashflows]") {
  // SPEC §18, as Excel and LibreOffice document XIRR: 2008-01-01 -10,000; 2008-03-01
  // 2,750; 2008-10-30 4,250; 2009-02-15 3,250; 2009-04-01 2,750. XIRR 0.373362535;
  // XNPV at 9% 2,086.65 (sum of a_i / 1.09^((d_i - d_0) / 365)).
  const auto f = figures("tests/cashflows/xirr.csv --rate 9%");
  CHECK(value(f, "cashflows.xirr") == Approx(0.373362535).margin(1e-9));
  CHECK(value(f, "cashflows.xnpv") == Approx(2086.65).margin(0.005));
  // Inflows 13,000 over an outflow of 10,000; the cumulative flow turns positive with
  // the fourth flow (-10,000 + 2,750 + 4,250 + 3,250 = 250): period 3.
  CHECK(value(f, "cashflows.multiple") == Approx(1.3));
  CHECK(value(f, "cashflows.payback") == 3);
  // By period (a year each): -10,000 + 2,750 / 1.09 + 4,250 / 1.09^2 + 3,250 / 1.09^3 +
  // 2,750 / 1.09^4 = 557.84
  CHECK(value(f, "cashflows.npv") == Approx(-10000 + 2750 / 1.09 + 4250 / std::pow(1.09, 2) +
                                            3250 / std::pow(1.09, 3) + 2750 / std::pow(1.09, 4)));
}

TEST_CASE("cashflows: flows with two rates of return list both, with a warning",
          "[e2e][cashflows]") {
  // SPEC §18: -50, -100, 600, 300, -100 have an NPV of 0 at -0.768895 and 1.854418 a
  // period: no one IRR.
  // (The warning is wrapped to the terminal's width, as tables are: one line at 200.)
  const Result r = run("cashflows tests/cashflows/two-roots.csv --format json", "COLUMNS=200");
  REQUIRE(r.code == 0);
  const auto f = nlohmann::json::parse(r.out)["figures"];
  CHECK(value(f, "cashflows.irr_root.1") == Approx(-0.768895).margin(1e-6));
  CHECK(value(f, "cashflows.irr_root.2") == Approx(1.854418).margin(1e-6));
  CHECK_FALSE(f["cashflows.irr"].contains("value"));
  CHECK(f["cashflows.irr"]["undefined"] ==
        "2 rates make the NPV 0, so there is no one IRR; each is listed");
  CHECK(r.err ==
        "leasecalc: warning: 2 rates a period make the NPV 0 (-76.8895% and 185.4418%): the "
        "flows change sign more than once, so there is no one IRR; each rate is listed\n");
  // Each root makes the NPV 0 (checked here, not by the tool).
  for (const double root : {value(f, "cashflows.irr_root.1"), value(f, "cashflows.irr_root.2")}) {
    const double x = 1 / (1 + root);
    const double npv = -50 - 100 * x + 600 * x * x + 300 * x * x * x - 100 * x * x * x * x;
    CHECK(std::fabs(npv) < 1e-6);
  }
}

TEST_CASE("cashflows: schedule --flows reproduces the investment's and the equity's figures",
          "[e2e][cashflows]") {
  int checked = 0;
  for (const auto& file : leasecalc::test::scenario_files()) {
    const Result report = run("report " + file + " --format json");
    REQUIRE(report.code == 0);
    const auto doc = nlohmann::json::parse(report.out)["figures"];
    if (!doc.contains("investment.npv") || !doc["investment.irr"].contains("value")) continue;
    INFO(file);
    const double rate = doc["finance.discount_rate"]["value"];
    const auto f = piped(file, "--flows", rate);
    CHECK(value(f, "cashflows.npv") == Approx(value(doc, "investment.npv")).epsilon(1e-9));
    CHECK(value(f, "cashflows.irr") == Approx(value(doc, "investment.irr")).epsilon(1e-9));
    ++checked;
    if (!doc.contains("equity.npv")) continue;
    const double equity_rate = doc.contains("finance.equity_rate")
                                   ? doc["finance.equity_rate"]["value"].get<double>()
                                   : rate;
    const auto e = piped(file, "--flows --equity", equity_rate);
    CHECK(value(e, "cashflows.npv") == Approx(value(doc, "equity.npv")).epsilon(1e-9));
    CHECK(value(e, "cashflows.irr") == Approx(value(doc, "equity.irr")).epsilon(1e-9));
  }
  CHECK(checked >= 3);  // kestrel, osprey and the bundled neocloud deal
}

TEST_CASE("cashflows: gnumeric's NPV, IRR, XIRR and XNPV agree over the same flows",
          "[e2e][cashflows][spreadsheet]") {
  REQUIRE(std::system("command -v ssconvert >/dev/null 2>&1") == 0);
  const std::string flows = temp_path("flows.csv"), sheet = temp_path("sheet.csv"),
                    out = temp_path("sheet-out.csv");
  REQUIRE(run("schedule tests/scenarios/osprey.json --flows -o '" + flows + "'").code == 0);
  const std::string text = read_all(flows);
  const int rows = static_cast<int>(std::count(text.begin(), text.end(), '\n'));  // header too
  {
    std::ofstream s(sheet);
    s << text;
    const std::string b = "B2:B" + std::to_string(rows), a = "A2:A" + std::to_string(rows);
    s << "irr,\"=IRR(" << b << ")\"\n";
    s << "npv,\"=B2+NPV(1.1^(1/12)-1,B3:B" << rows << ")\"\n";
    s << "xirr,\"=XIRR(" << b << "," << a << ")\"\n";
    s << "xnpv,\"=XNPV(0.1," << b << "," << a << ")\"\n";
  }
  REQUIRE(run_shell("ssconvert --recalc '" + sheet + "' '" + out + "' 2>/dev/null").code == 0);
  std::map<std::string, double> gnumeric;
  std::istringstream lines(read_all(out));
  for (std::string line; std::getline(lines, line);) {
    const auto comma = line.find(',');
    const std::string name = line.substr(0, comma);
    if (name == "irr" || name == "npv" || name == "xirr" || name == "xnpv")
      gnumeric[name] = std::stod(line.substr(comma + 1));
  }
  REQUIRE(gnumeric.size() == 4);
  const auto f = figures("'" + flows + "' --per month --rate 0.1");
  CHECK(value(f, "cashflows.irr_root.1") == Approx(gnumeric["irr"]).epsilon(1e-9));
  CHECK(value(f, "cashflows.npv") == Approx(gnumeric["npv"]).epsilon(1e-9));
  CHECK(value(f, "cashflows.xirr") == Approx(gnumeric["xirr"]).epsilon(1e-9));
  CHECK(value(f, "cashflows.xnpv") == Approx(gnumeric["xnpv"]).epsilon(1e-9));
  for (const auto& p : {flows, sheet, out})
    std::filesystem::remove(p);
}
