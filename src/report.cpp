#include "leasecalc/report.hpp"

#include <fmt/format.h>
#include <cmath>

#include "leasecalc/text.hpp"

namespace leasecalc {

const Row* Report::find(std::string_view key) const {
  for (const auto& r : rows)
    if (r.key == key) return &r;
  return nullptr;
}

namespace {

// A row from a tracked value: the one place that copies provenance into a row.
Row row_of(std::string key, std::string label, const Tracked& t, const Unit& unit) {
  Row row;
  row.key = std::move(key);
  row.label = std::move(label);
  row.value = t.v;
  row.unit = unit;
  row.tag = t.tag;
  row.sources = t.sources;
  row.bound = t.bound == Bound::mixed ? Bound::none : t.bound;
  row.approx = t.approx;
  if (t.bound == Bound::mixed) row.note = "inputs bounded in opposite directions: no bound holds";
  return row;
}

}  // namespace

Report build_report(Scenario scenario, Basis basis) {
  const Model model(scenario, basis);
  Report report;
  report.scenario = scenario.name;
  report.file = scenario.file;
  report.as_of = scenario.as_of;
  report.basis = basis;

  for (const auto& ref : input_figures(scenario, basis)) {
    const Figure& f = *ref.figure;
    Row row = row_of(ref.key, ref.label, Tracked::input(ref.key, f), f.unit);
    row.low = f.low;
    row.high = f.high;
    row.overridden = f.overridden;
    row.note = f.note;
    report.rows.push_back(std::move(row));
  }

  std::vector<Tracked> out;
  model.evaluate(model.tracked_inputs(), out);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const OutputDef& def = model.outputs()[i];
    const Tracked& t = out[i];
    // Each formula must land in its declared unit exactly (no hidden scale), so the
    // plain-double evaluation used by sweeps gives the same numbers as this one.
    if (!t.unit.same_as(def.unit))
      throw UnitError(fmt::format("{}: computed in {}, declared in {}", def.key, describe(t.unit),
                                  describe(def.unit)));
    Row row = row_of(def.key, def.label, t, def.unit);
    row.derived = true;
    row.inputs = t.inputs;
    if (std::isnan(row.value)) {
      row.defined = false;
      row.value = 0;
      row.note = "undefined: " + def.undefined;
    } else if (std::isinf(row.value)) {
      throw InputError(
          scenario.file, Location{1, 1, ""},
          fmt::format("{} overflows: the inputs {} give a result beyond the range of a "
                      "double (about 1.8e308)",
                      def.key, join(t.inputs)));
    }
    if (def.key == "breakeven.occupancy" && row.defined && row.value > 1)
      row.note = "unattainable: above 100% occupancy";
    report.rows.push_back(std::move(row));
  }
  return report;
}

}  // namespace leasecalc
