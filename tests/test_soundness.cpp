// Soundness of provenance: a figure's tag is only honest if its inputs list every input
// that moves it. For every bundled and test scenario, each numeric input is nudged up and
// down (by 1%, by 1 for a whole number, by 0.01 from 0) as `--set` would set it, the model
// is rebuilt, and every derived figure whose value moves must list that input among its
// inputs. The converse is allowed: an input listed that moves nothing here is hidden by a
// min, a max or a threshold at this point (take-or-pay's floor, a ramp step not reached).
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "helpers.hpp"
#include "leasecalc/calc/calc.hpp"
#include "leasecalc/calc/override.hpp"
#include "leasecalc/model/keys.hpp"

using namespace leasecalc;

namespace {

// The values a nudge tries: within the key's domain, on both sides.
std::vector<double> nudges(double v, const Domain& d) {
  std::vector<double> out;
  const std::vector<double> tries = d.whole  ? std::vector<double>{v + 1, v - 1}
                                    : v != 0 ? std::vector<double>{v * 1.01, v * 0.99}
                                             : std::vector<double>{0.01, -0.01};
  for (double x : tries)
    if (d.contains(x)) out.push_back(x);
  return out;
}

struct Evaluated {
  std::map<std::string, double> values;
  std::map<std::string, std::vector<std::string>> inputs;
};

Evaluated evaluate(const Scenario& s, Basis basis) {
  const Model m(s, basis);
  std::vector<Tracked> out;
  m.evaluate(m.tracked_inputs(), out);
  Evaluated e;
  for (std::size_t i = 0; i < out.size(); ++i) {
    e.values[m.outputs()[i].key] = out[i].v;
    e.inputs[m.outputs()[i].key] = out[i].inputs.list();
  }
  return e;
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

}  // namespace

TEST_CASE("soundness: every figure that moves with an input lists it", "[calc][soundness]") {
  std::size_t files = 0, nudged = 0, moves = 0;
  for (const auto& file : test::scenario_files())
    for (Basis basis : {Basis::bf16, Basis::units}) {
      const Scenario base_scenario = load_scenario(test::slurp(file), file, test::catalog());
      ++files;
      const Evaluated base = evaluate(base_scenario, basis);
      Scenario listing = base_scenario;
      for (const auto& ref : input_figures(listing, basis)) {
        for (double x : nudges(ref.figure->value, ref.domain)) {
          Scenario s = base_scenario;
          Override o{ref.key, x, ref.figure->tag, {}, ref.figure->sources};
          try {  // a nudge --set would refuse (inconsistent with the file) is skipped
            apply_override(s, o);
            check_consistency(s);
          } catch (const UsageError&) {
            continue;
          }
          ++nudged;
          const Evaluated after = evaluate(s, basis);
          for (const auto& [key, v] : after.values) {
            const auto was = base.values.find(key);
            if (was == base.values.end() || same(was->second, v)) continue;
            ++moves;
            const auto& listed = base.inputs.at(key);
            INFO(file << ": " << key << " moves with " << ref.key << " = " << x << " ("
                      << was->second << " -> " << v << ") but does not list it");
            CHECK(std::find(listed.begin(), listed.end(), ref.key) != listed.end());
          }
        }
      }
    }
  CHECK(files >= 16);   // the bundled scenarios and the tests' own, on two bases
  CHECK(nudged > 150);  // inputs really nudged
  CHECK(moves > 1000);  // and figures really moved: the check above is not vacuous
}
