// End-to-end: every figure `report` lists is a key that sweep and solve take (README "Sweep a
// grid", "Goal seek"): the keys that follow the term, a tenant's, the debt's.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "e2e.hpp"

using namespace leasecalc::e2e;

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
    const std::string solve_input = inputs_term.empty() ? an_input : inputs_term;
    for (const auto& key : outputs) {
      INFO(key);
      const Result solve = run("solve " + file + " --target " + key + "=1 --vary " + solve_input);
      INFO(solve.err);
      CHECK((solve.code == 0 || solve.code == 1));
      CHECK(!has(solve.err, "unknown"));
    }
  }
}
