// End-to-end: every figure `report` lists is a key that sweep and solve take (README "Sweep a
// grid", "Goal seek"): the keys that follow the term, a tenant's, the debt's; and the old
// keys that still work (README "Figures, tags and units").
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "e2e.hpp"
#include "helpers.hpp"
#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/whatif.hpp"
#include "leasecalc/load/loader.hpp"

using namespace leasecalc;
using namespace leasecalc::e2e;

namespace {
bool renamed_said(const std::string& err, const std::string& what) {
  return err.find("leasecalc: note: " + what) != std::string::npos;
}
}  // namespace

TEST_CASE("every figure report lists can be swept and solved for", "[e2e][whatif]") {
  // For each bundled scenario: every derived key of `report --format json` is an --out of
  // one sweep over the term (the keys that follow the term: calendar years, the tail) and a
  // --target of solve. A solve may find no solution (exit 1), never an unknown key.
  for (const std::string file :
       {"data/scenarios/colossus1-lease.json", "data/scenarios/colossus1-ipo.json",
        "data/scenarios/colossus1-two-tenants.json", "data/scenarios/neocloud-build.json"}) {
    INFO(file);
    const auto doc = nlohmann::json::parse(run("report " + file + " --format json").out);
    std::vector<std::string> outputs;
    std::string inputs_term, an_input;
    for (const auto& [key, f] : doc["figures"].items()) {
      if (f["derived"].get<bool>()) {
        outputs.push_back(key);
      } else {
        if (an_input.empty() && f.contains("value")) an_input = key;
        if (key.ends_with("term_months") && inputs_term.empty()) inputs_term = key;
      }
    }
    REQUIRE(outputs.size() > 10);
    std::string out_list;
    for (const auto& k : outputs)
      out_list += (out_list.empty() ? "" : ",") + k;
    const std::string vary = inputs_term.empty()
                                 ? an_input + "=" + doc["figures"][an_input]["value"].dump() + ":" +
                                       doc["figures"][an_input]["value"].dump() + ":1"
                                 : inputs_term + "=24:60:12";
    const Result sweep = run("sweep " + file + " --vary " + vary + " --out " + out_list);
    CHECK(sweep.code == 0);
    CHECK(sweep.err.empty());
    CHECK(sweep.out.substr(0, sweep.out.find('\n')).ends_with(outputs.back() + "\r"));
    // solve, in process (a process a key would take minutes under the sanitizers): as the
    // command does, with the values the scenario allows; a solution must make a report.
    const std::string solve_input = inputs_term.empty() ? an_input : inputs_term;
    const Catalog catalog = test::catalog();
    const Scenario s =
        load_scenario(read_all(std::string(LEASECALC_SOURCE_DIR) + "/" + file), file, catalog);
    const Model model(s, s.basis);
    for (const auto& key : outputs) {
      INFO(key);
      REQUIRE(model.find_output(key) != Model::npos);
      const Solution sol = solve(model, solve_input, key, 1, allowed_values(s, solve_input));
      if (sol.found) CHECK_NOTHROW(solve_report(s, s.basis, solve_input, key, 1, sol));
    }
  }
}

TEST_CASE("lease.discount is lease.price_discount now, and the old key still works",
          "[e2e][whatif]") {
  // On the command line: --set, --vary and --out all take it; one note on stderr.
  const Result r = run(
      "sweep tests/scenarios/nebula.json --vary lease.discount=0:0.2:0.1 --set lease.discount=0.3"
      " --format tsv");
  REQUIRE(r.code == 0);
  // Nebula: (1000 x 2.00 + 400 x 5.00 + 2000 x 0.80) x 8760 x 0.9 = 44,150,400 at no
  // discount; x 0.9 = 39,735,360; x 0.8 = 35,320,320.
  CHECK(r.out ==
        "lease.price_discount\tlease.annual_revenue\n0\t44150400\n0.1\t39735360\n0.2\t35320320\n");
  CHECK(r.err ==
        "leasecalc: note: lease.discount is now lease.price_discount (a cut in the lease price, "
        "not finance.discount_rate): write lease.price_discount\n");
  // A tenant's too (lease.<TENANT>.discount).
  const Result tenant =
      run("report tests/scenarios/trio.json --set lease.Alpha.discount=0.2"
          " --format csv");
  CHECK(tenant.code == 0);
  CHECK(has(tenant.out, "lease.Alpha.price_discount,"));
  CHECK(renamed_said(tenant.err, "lease.Alpha.discount is now lease.Alpha.price_discount"));
  // In a file: the old member name and a case naming the old key, each with a note at its
  // line; the figure is the same.
  std::string text = read_all(std::string(LEASECALC_SOURCE_DIR) + "/tests/scenarios/nebula.json");
  text.replace(text.find("\"price_discount\""), 16, "\"discount\"");
  text.replace(text.rfind('}'), 1, ", \"cases\": {\"deep\": {\"lease.discount\": 0.25}}}");
  const std::string old_file = temp_path("old-discount.json");
  std::ofstream(old_file) << text;
  const Result f = run("report " + old_file + " --case deep --format csv");
  REQUIRE(f.code == 0);
  CHECK(has(f.out, "lease.price_discount,Price discount,0.25,"));
  CHECK(has(f.err, ":28:17: /lease/discount: \"discount\" is now \"price_discount\""));
  CHECK(has(f.err, "/cases/deep/lease.discount: lease.discount is now lease.price_discount"));
  // Both names in one place is an error, at the old one.
  text.replace(text.find("\"discount\""), 10, "\"price_discount\": 0.1, \"discount\"");
  std::ofstream(old_file) << text;
  const Result both = run("report " + old_file);
  CHECK(both.code == 3);
  CHECK(has(both.err, "\"discount\" is the old name of \"price_discount\": give one of them"));
  std::filesystem::remove(old_file);
}
