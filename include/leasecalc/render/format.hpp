// The render layer: every command hands what it computed to one of these writers, which
// render it in the format asked for. Their code is in src/render/, a file per command.
//
// `Table` is a command-neutral grid of cells; `write_table` renders it as an aligned
// text table, CSV (RFC 4180), TSV or Markdown, and every writer's tabular formats go
// through it. Machine formats carry raw numbers at full precision; the text table
// carries human units and the tag of every figure, coloured only when asked. JSON is
// built with nlohmann_json inside src/render/ and never appears in these headers.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/simulate.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

enum class Format { table, csv, tsv, json, md, jsonl, junit, tap, svg };

const NameTable<Format>& format_names();
inline std::string_view format_name(Format f) { return name_of(format_names(), f); }
inline std::optional<Format> parse_format(std::string_view text) {
  return parse_name(format_names(), text);
}

struct Style {
  bool colour = false;    // ANSI colours on tags: the command layer decides (terminal, NO_COLOR)
  std::size_t width = 0;  // text tables fit this many columns; 0: no limit (--wide)
  bool keys = false;      // --keys: the report's key column under 100 columns too
};

// The most input keys report --format json lists over all derived figures together
// (README "Hardening"): 1,000 tenants list 4 million.
inline constexpr std::size_t k_max_listed_inputs = 5'000'000;

struct Cell {
  Cell() = default;
  Cell(std::string t) : text(std::move(t)) {}  // NOLINT: plain text converts implicitly
  Cell(const char* t) : text(t) {}             // NOLINT
  Cell(std::string t, std::string_view a) : text(std::move(t)), ansi(a) {}

  std::string text;
  std::string_view ansi;  // an SGR code such as "32" (green), or empty
};

struct Table {
  std::vector<std::string> columns;
  // To fit Style::width, columns shrink in this order, each down to its minimum, their
  // cells cut with "…" (a column not listed keeps its width); a minimum of 0 drops the
  // column whole.
  std::vector<std::pair<std::size_t, std::size_t>> shrink;  // {column, minimum width}
  // A row of one cell is a heading: it spans the table and does not widen any column
  // (csv and tsv leave headings out).
  std::vector<std::vector<Cell>> rows;
  std::vector<bool> right_aligned;  // per column, for the text table; default left
  // A first-column cell too wide for its column is not cut when the table fits it whole:
  // it takes a line of its own, and the row's values follow on the next line under it.
  bool spill_first = false;
  // csv and tsv: the header line (off for the later parts of a table written in parts).
  bool header = true;
};

// Renders `table` as csv, tsv, md or an aligned text table. json is not a table format.
// A text table fits style.width when its shrinkable columns allow; headings are cut to it.
void write_table(std::ostream& out, const Table& table, Format format, const Style& style);
// The width of `table` as an aligned text table with no limit.
std::size_t natural_width(const Table& table);
// Whether `table` fits `limit` columns (0: no limit) once its columns shrink.
bool fits(const Table& table, std::size_t limit);

void write_report(std::ostream& out, const Report& report, Format format, const Style& style);

// What changed between two scenarios: table, csv, tsv, md or json. Columns: key, old,
// new, change, change_pct, old_tag, new_tag, tag_change.
void write_diff(std::ostream& out, const std::vector<Change>& changes, const std::string& old_file,
                const std::string& new_file, Format format, const Style& style);

// compare (README "Cases and comparisons"): table, csv, tsv, md or json. The text table
// has the label, then per column the value and tag, and after the first the change (points
// for a share or rate, else percent); too wide for style.width, the columns wrap into
// blocks, each with the labels whole. style.keys adds a key column. csv and tsv are wide:
// key, label, unit, then NAME, NAME_tag and after the first NAME_diff and NAME_change (a
// ratio).
void write_compare(std::ostream& out, const Comparison& c, Format format, const Style& style);

// sweep --pivot: one output over two inputs, the first down and the second across.
// `values` row by row (NaN: undefined). csv and tsv hold raw numbers, the corner cell naming
// the output and both inputs; table and md human units under a title; json everything.
struct Pivot {
  const Row* out;
  const Row* down;
  const Row* across;
  std::vector<double> down_values, across_values, values;
};
void write_pivot(std::ostream& out, const Pivot& p, Format format, const Style& style);

// Figures grouped by source: table, csv, tsv, md or json. `scenario` names the sources.
struct Scenario;
void write_sources(std::ostream& out, const std::vector<SourceGroup>& groups,
                   const Scenario& scenario, Format format, const Style& style);

// sources --rank: the inputs not yet primary, largest swing of `target` first, with each
// input's tag and sources; then the inputs with no range, which cannot be ranked.
void write_rank(std::ostream& out, const Report& report, const Row& target, double base,
                const std::vector<Swing>& swings, const std::vector<const Row*>& unranged,
                Format format, const Style& style);

// simulate: one row per output, columns key,unit,tag,samples,seed,mean,sd,p5,p50,p95 and
// then the standard errors se_mean,se_p5,se_p50,se_p95. With --prob, a table of
// probabilities; with --sensitivity, each output's inputs by rank correlation. csv and
// tsv hold one table: the main one, or the one asked for; json holds everything.
struct SimulationRow {
  const Row* figure;  // the output as report computes it (label, unit, tag)
  Summary summary;
};
// Under a chart, the ranged inputs: each with its range (full), their keys in a line or
// two (brief), or nothing (none). simulate --legend full|short|none.
enum class Legend { full, brief, none };

struct Simulation {
  std::uint64_t seed = 0;
  Legend legend = Legend::full;
  std::vector<RangedInput> inputs;
  std::vector<RankCorrelation> correlations;
  std::vector<SimulationRow> rows;
  bool probabilities = false, sensitivity = false;  // asked for
};
void write_simulation(std::ostream& out, const Simulation& sim, Format format, const Style& style);
// One histogram per output, p5/p50/p95 marked and each --prob threshold drawn.
void write_simulation_svg(std::ostream& out, const Simulation& sim);

// simulate --schedule: cumulative cash at the end of each period, p5/p50/p95 over the
// samples (and the mean); svg is a fan chart.
struct CashFan {
  std::string scenario;
  std::vector<std::string> periods;  // labels
  std::vector<int> months;           // the contract months each holds
  std::vector<Summary> cash;         // per period
  Tag tag = Tag::exact;              // of cumulative cash
};
void write_cash_fan(std::ostream& out, const Simulation& sim, const CashFan& fan, Format format,
                    const Style& style);
void write_cash_fan_svg(std::ostream& out, const Simulation& sim, const CashFan& fan);

// tornado: one row per ranged input, largest swing first, columns
// input,low,high,at_low,at_high,swing; `table` draws bars; `svg` is a chart.
void write_tornado(std::ostream& out, const Row& target, double base,
                   const std::vector<Swing>& swings, Format format, const Style& style);
void write_tornado_svg(std::ostream& out, const Row& target, double base,
                       const std::vector<Swing>& swings);

struct Schedule;
// schedule: a row per period. table and md: human units, then the tags of the columns;
// csv and tsv: period, months, then each column's raw value and its tag; json: the same
// as data, with each column's unit, tag and sources.
void write_schedule(std::ostream& out, const Schedule& schedule, Format format, const Style& style);

struct CashFlowFigures;
// cashflows: one row per figure (table, md: human units, a note for each undefined one;
// csv, tsv: key, label, raw value, unit; json: the same as data).
void write_cashflows(std::ostream& out, const CashFlowFigures& figures, const std::string& file,
                     Format format, const Style& style);
// The warning when more than one rate makes the NPV 0 (for standard error), wrapped to
// style.width; nothing otherwise.
void write_cashflows_warning(std::ostream& out, const CashFlowFigures& figures, const Style& style);

struct Explanation;
// explain: the formula with names and with values, the result with its tag, then the
// operands (table, md); csv/tsv: the figure then its operands, as raw numbers; json: the
// same as data.
void write_explain(std::ostream& out, const Explanation& explanation, Format format,
                   const Style& style);

struct NoteResult;
// The results of `check`: table (a line per claim, details under each failure), junit
// (JUnit XML: a testsuite per note, a testcase per claim, expected failures as skipped),
// tap (TAP 13: expected failures as TODO) or json.
void write_check(std::ostream& out, const std::vector<NoteResult>& notes, Format format,
                 const Style& style);

// Streams rows of numbers (a sweep) as csv, tsv or jsonl in constant memory: rows are
// formatted into a buffer that is handed to `sink` every 64 KiB and at flush(). Numbers
// are written at full precision (shortest round-trip text); NaN (undefined) is an empty
// cell, or a member left out in jsonl.
class RowWriter {
 public:
  using Sink = std::function<void(std::string_view)>;
  // Writes the header at once: csv/tsv a row of column names; jsonl a first line
  // {"schema": "leasecalc/sweep/v1", "columns": [...]} with each column's key, unit, tag
  // and sources, from `figures` (the report rows of the columns, in order).
  // The first `repeating` columns take few distinct values (a sweep's axes): their text
  // is formatted once per value and then copied from a cache.
  // Without `with_header`, rows only: a share of the rows that another writer heads.
  RowWriter(Format format, const std::vector<const Row*>& figures, Sink sink,
            std::size_t repeating = 0, bool with_header = true);
  void row(const std::vector<double>& values);
  void flush();

 private:
  struct Cached {
    std::uint64_t bits = ~std::uint64_t{0};  // of the double; all ones is a NaN, never looked up
    std::uint8_t length = 0;
    char text[32];
  };
  static constexpr std::size_t k_cache_slots = 4096;
  char* number(char* p, std::size_t column, double x);
  void append(std::string_view text);
  std::size_t repeating_;
  std::vector<Cached> cache_;  // k_cache_slots per repeating column, direct-mapped
  Format format_;
  std::vector<std::string> json_names_;  // "\"key\":" per column
  Sink sink_;
  std::vector<char> buf_;  // fixed size; rows are written into it, flushed when nearly full
  std::size_t used_ = 0;
  std::size_t row_room_ = 0;  // the most a row can take
};

// The value of a figure as the text table shows it: "~$5.01B/yr", "<=45.6%".
std::string human_value(const Row& row);
// The full-precision figure with thousands separators: "5,010,720,000", "45.5557%".
std::string exact_value(const Row& row);
// exact_value with its unit and bound: "$5,010,720,000/yr", "at most 45.5557%".
std::string exact_with_unit(const Row& row);
std::string_view tag_colour(Tag tag);
// The same colour as RGB (0xRRGGBB), for a sheet: the workbook's tags.
std::uint32_t tag_rgb(Tag tag);

// "at least 300 MW" as "≥300 MW", "at most ~45.6%" as "≤~45.6%": for narrow columns.
std::string bounds_as_signs(std::string text);
// `text` cut to `width` display columns, ending in "…" when cut.
std::string fit(std::string_view text, std::size_t width);
// `text` with every control character shown as \xHH (C0 but line feed and tab, DEL, and
// C1 as \u0080-\u009f), except the SGR colour codes this program writes (ESC [ digits
// and ; m): a name holding ESC ] 0; ... BEL reaches the terminal as text.
std::string terminal_safe(std::string_view text);
// The characters of UTF-8 `text`, as a terminal shows them (one column each).
std::size_t display_width(std::string_view text);
// Writes `text` and a newline: wrapped to style.width (continuation lines indented by
// `indent`), or as it is when the width is unlimited.
void write_wrapped(std::ostream& out, std::string_view text, const Style& style,
                   std::size_t indent = 2);
// `text` wrapped at spaces to lines of at most `width` columns, every line after the
// first indented by `indent` spaces; a word longer than a line is cut with "…".
std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t indent = 0);

}  // namespace leasecalc
