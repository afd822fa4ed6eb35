#include "leasecalc/calc/report.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "leasecalc/model/keys.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

const Row* Report::find(std::string_view key) const {
  Index& x = index_;
  if (x.rows != rows.data() || x.rows_size != rows.size() || x.unlisted != unlisted.data() ||
      x.unlisted_size != unlisted.size()) {
    x = {rows.data(), unlisted.data(), rows.size(), unlisted.size(), {}};
    for (const auto* list : {&unlisted, &rows})  // the first row of a key wins
      for (auto r = list->rbegin(); r != list->rend(); ++r)
        x.by_key[r->key] = &*r;
  }
  const auto it = x.by_key.find(key);
  return it == x.by_key.end() ? nullptr : it->second;
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
  row.sources = t.sources.list();
  row.bound = t.bound;  // mixed: bounded in neither direction; shown as no bound
  row.approx = t.approx;
  if (t.bound == Bound::mixed) row.note = "inputs bounded in opposite directions: no bound holds";
  return row;
}

}  // namespace

const std::vector<std::string>& headline_keys() {
  static const std::vector<std::string> keys{
      "lease.annual_revenue",    "breakeven.coverage", "breakeven.price",
      "pnl.ebitda_margin",       "contract.npv",       "contract.irr",
      "contract.payback_months", "equity.irr",         "debt.dscr_min"};
  return keys;
}

Report build_report(Scenario scenario, Basis basis) {
  const Model model(scenario, basis);
  Report report;
  report.scenario = scenario.name;
  report.file = scenario.file;
  report.as_of = scenario.as_of;
  report.basis = basis;
  report.start = scenario.start;
  report.capex_sunk =
      scenario.capex_at_start == false && model.find_output("capex.total") != Model::npos;

  const auto inputs = input_figures(scenario, basis);
  report.rows.reserve(inputs.size() + model.outputs().size());  // no copy as it grows
  for (const auto& ref : inputs) {
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
          scenario.file,
          fmt::format("{} overflows: the inputs {} give a result beyond the range of a "
                      "double (about 1.8e308)",
                      def.key, join(t.inputs.list())));
    }
    if (def.key == "breakeven.occupancy" && row.defined && row.value > 1)
      row.note = "unattainable: above 100% occupancy";
    (def.listed ? report.rows : report.unlisted).push_back(std::move(row));
  }
  // A fleet measured on another basis than the cluster's: the share is still computed,
  // and says so (README "Scenario files").
  if (scenario.fleet_basis && *scenario.fleet_basis != basis)
    for (auto& row : report.rows)
      if (row.key == "fleet.share_h100e") {
        row.incomparable = fmt::format("fleet measured on {}, cluster on {}",
                                       basis_name(*scenario.fleet_basis), basis_name(basis));
        row.note = row.note.empty() ? row.incomparable : row.incomparable + "; " + row.note;
      }
  return report;
}

std::string_view Change::tag_change() const {
  if (!old_row || !new_row || old_row->tag == new_row->tag) return "";
  return new_row->tag < old_row->tag ? "upgrade" : "downgrade";
}

std::vector<Change> diff_reports(const Report& before, const Report& after) {
  std::vector<Change> out;
  auto same_number = [](double a, double b) {
    return std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
  };
  auto same_range = [&](const Row& a, const Row& b) {
    if (a.low.has_value() != b.low.has_value()) return false;
    return !a.low || (same_number(*a.low, *b.low) && same_number(*a.high, *b.high));
  };
  for (const auto& r : after.rows) {
    const Row* old = before.find(r.key);
    if (!old) {
      out.push_back({nullptr, &r, {"added"}});
      continue;
    }
    std::vector<std::string> what;
    if (old->defined != r.defined || (r.defined && !same_number(old->value, r.value)))
      what.emplace_back("value");
    if (old->tag != r.tag) what.emplace_back("tag");
    if (!r.derived && old->sources != r.sources) what.emplace_back("sources");
    if (!r.derived && !same_range(*old, r)) what.emplace_back("range");
    if (one_sided(old->bound) != one_sided(r.bound) ||
        (one_sided(r.bound) && old->bound != r.bound))
      what.emplace_back("bound");
    if (old->approx != r.approx) what.emplace_back("approx");
    if (!r.derived && old->note != r.note) what.emplace_back("note");
    if (!what.empty()) out.push_back({old, &r, std::move(what)});
  }
  for (const auto& r : before.rows)
    if (!after.find(r.key)) out.push_back({&r, nullptr, {"removed"}});
  return out;
}

std::vector<SourceGroup> group_by_source(const Report& report,
                                         const std::function<bool(const Row&)>& keep,
                                         const std::string& source) {
  std::vector<SourceGroup> groups;
  auto group = [&](const std::string& id) -> SourceGroup& {
    for (auto& g : groups)
      if (g.source == id) return g;
    groups.push_back({id, {}});
    return groups.back();
  };
  for (const auto& r : report.rows) {
    if (keep && (r.derived || !keep(r))) continue;
    if (r.sources.empty()) group("").rows.push_back(&r);
    for (const auto& s : r.sources)
      group(s).rows.push_back(&r);
  }
  if (!source.empty())
    std::erase_if(groups, [&](const SourceGroup& g) { return g.source != source; });
  // Within a source, strongest tag first, in report order otherwise.
  for (auto& g : groups)
    std::stable_sort(g.rows.begin(), g.rows.end(),
                     [](const Row* a, const Row* b) { return a->tag < b->tag; });
  return groups;
}

}  // namespace leasecalc
