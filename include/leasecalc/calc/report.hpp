// A report: every input and computed figure of a scenario, ready for any formatter.
// Pure: builds plain rows from a Scenario and a Model.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "leasecalc/calc/calc.hpp"

namespace leasecalc {

struct Row {
  std::string key;
  std::string label;
  double value = 0;
  bool defined = true;  // false: a zero denominator; `note` says why
  Unit unit;
  Tag tag = Tag::exact;
  bool derived = false;
  std::vector<std::string> sources;
  KeySet inputs;  // derived rows: the input keys behind the value
  std::optional<double> low, high;
  Bound bound = Bound::none;
  bool approx = false;
  bool overridden = false;
  std::string note;
  // Why the value cannot be compared with a figure in its unit ("fleet measured on units,
  // cluster on bf16"): a claim on it fails on units.
  std::string incomparable;
};

struct Report {
  std::string scenario;  // its name
  std::string file;
  std::string as_of;
  Basis basis = Basis::bf16;
  std::string start;        // lease.start, when given (README "Costs, margin and the contract")
  bool capex_sunk = false;  // capex given, not paid at the contract's start
  // report --brief: rows are the headline figures and what their formulas name; the text
  // table leaves out the headline figures, which the headline block shows.
  bool brief = false;
  std::vector<Row> rows;  // inputs first, in input_figures() order, then outputs
  // Outputs the report does not list but a command may name: the calendar years the
  // term in force does not reach (0).
  std::vector<Row> unlisted;

  // A listed or unlisted row by key, or nullptr. By an index made at the first call and
  // made again when either list has moved or changed its length since (a report of 10,000
  // tenants has 100,000 rows, each looked up by diff, explain and check).
  const Row* find(std::string_view key) const;

 private:
  struct Index {
    const Row *rows = nullptr, *unlisted = nullptr;
    std::size_t rows_size = 0, unlisted_size = 0;
    std::unordered_map<std::string_view, const Row*> by_key;
  };
  mutable Index index_;
};

// One difference between two reports: a value or a tag that changed, or a figure that
// one of them lacks (old_row or new_row is null).
struct Change {
  const Row* old_row = nullptr;
  const Row* new_row = nullptr;
  // What changed: value, tag, sources, range, bound, approx, note (sources, range and note
  // of inputs only: a derived figure's follow its inputs'), or added / removed.
  std::vector<std::string> what;
  const std::string& key() const { return (new_row ? new_row : old_row)->key; }
  // "upgrade" (reported -> primary), "downgrade", or "" when the tag is the same.
  std::string_view tag_change() const;
};

// What changed from `before` to `after`, in `after`'s order, then removed figures.
// Values count as equal when they differ by less than 1e-12 relative.
std::vector<Change> diff_reports(const Report& before, const Report& after);

// The figures citing one source (or none), with --tag / --source filters applied.
struct SourceGroup {
  std::string source;  // the id, or "" for figures with no source
  std::vector<const Row*> rows;
};
// Groups the report's figures by each source they cite, in the order sources are first
// cited; a figure with several sources appears under each. With `keep`, only the inputs
// it keeps (a tag, weaker than a tag, stale); with `source`, only that source's group.
std::vector<SourceGroup> group_by_source(const Report& report,
                                         const std::function<bool(const Row&)>& keep,
                                         const std::string& source);

// Throws InputError (at the scenario file) when a computed figure overflows a double:
// finite inputs must never produce an infinity in any output.
Report build_report(Scenario scenario, Basis basis);

// The figures a reader looks for first, in the report's headline and as compare's default:
// revenue, coverage, the break-even price, the margin, the contract's NPV, IRR and
// payback, the equity's IRR and the least DSCR. A report shows those it has.
const std::vector<std::string>& headline_keys();

// Reports side by side (README "Cases and comparisons"): one column per scenario or case,
// the first the one each change is against.
struct Comparison {
  struct Column {
    std::string name;  // the case's name, or the file's
    Report report;
  };
  std::vector<Column> columns;
  std::vector<std::string> keys;  // the figures compared, in order
};

}  // namespace leasecalc
