// What the commands share: scenario options, loading with --set, formats, output.
// Private to src/cli/, the only layer with I/O, the environment and CLI11.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <deque>
#include <memory>

#include "leasecalc/calc/note.hpp"
#include "leasecalc/calc/override.hpp"
#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/schedule.hpp"
#include "leasecalc/calc/simulate.hpp"
#include "leasecalc/model/catalog.hpp"
#include "leasecalc/model/scenario.hpp"
#include "leasecalc/render/format.hpp"

namespace leasecalc::cli {

// A registered command: its CLI11 subcommand and what runs it (returning the exit code).
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

// Each command's file registers it.
Command add_report(CLI::App& app);
Command add_explain(CLI::App& app);
Command add_sweep(CLI::App& app);
Command add_solve(CLI::App& app);
Command add_check(CLI::App& app);
Command add_diff(CLI::App& app);
Command add_sources(CLI::App& app);
Command add_simulate(CLI::App& app);
Command add_tornado(CLI::App& app);
Command add_schedule(CLI::App& app);
Command add_update(CLI::App& app);
Command add_cashflows(CLI::App& app);
Command add_workbook(CLI::App& app);
Command add_compare(CLI::App& app);

// Options shared by every command that reads a scenario.
struct ScenarioOptions {
  std::string scenario;  // a path, or empty for the bundled Colossus 1 scenario
  std::string basis;     // empty: the scenario's own
  std::string format;
  std::string output;  // -o FILE; empty: standard output
  std::vector<std::string> sets;
  std::string case_name;    // --case: one of the scenario's cases, before --set
  bool tag_ranges = false;  // --tag-ranges (simulate, tornado): ranges by tag (README "Filing day")
};

// --tag-ranges, for the commands that use ranges.
void add_tag_ranges_option(CLI::App* cmd, bool& flag);

// Says each of a file's notices (an old key it uses) on stderr, once a run.
void say_notices(const std::vector<std::string>& notices);

// The command line with each old figure key (lease.discount) replaced by its new one, as
// an option's value or a comma-separated list's item, each said once on stderr (README
// "Figures, tags and units").
std::vector<std::string> current_keys(std::vector<std::string> args);

void add_output_option(CLI::App* cmd, std::string& output);
// Refuses an empty path (-o ''), which would otherwise mean standard output.
CLI::Validator non_empty_path();
// --format (with its default shown), -o, and for text tables --width and --wide.
void add_format_options(CLI::App* cmd, std::string& format, std::string& output,
                        std::string_view formats);
// A command that has no exit code of its own: 0 when it returns.
template <class F>
std::function<int()> exits_zero(F run) {
  return [run] {
    run();
    return 0;
  };
}
// --width N and --wide, for a command with a text table (add_scenario_options adds them).
void add_layout_options(CLI::App* cmd);
// --keys: the figure keys in a text table that leaves them out to fit (Style::keys).
void add_keys_option(CLI::App* cmd, std::string_view what);
// The scenario, --set and --basis.
void add_scenario_inputs(CLI::App* cmd, ScenarioOptions& o);
void add_scenario_options(CLI::App* cmd, ScenarioOptions& o, std::string default_format,
                          std::string_view formats);
// Throws UsageError unless `text` names one of `allowed`.
Format format_option(const std::string& text, const std::vector<Format>& allowed);
// A whole number for an option such as --samples; throws UsageError.
std::size_t count_option(std::string_view option, const std::string& text);
Basis basis_option(const ScenarioOptions& o, const Scenario& s);
// --period: month, quarter or year; a UsageError naming `command` ("schedule: ") otherwise.
Period period_option(const std::string& text, std::string_view command);
// How messages name an input file: "<stdin>" for "-".
std::string input_label(const std::string& path);
// Runs f; a UsageError it throws gets `context` in front ("--set KEY=VALUE: "). The core
// says what is wrong; the command layer, which knows the option that said it, names it.
template <class F>
decltype(auto) with_context(const std::string& context, F&& f) {
  try {
    return f();
  } catch (const UsageError& e) {
    throw UsageError(context + e.what());
  }
}

// Applies an override; throws UsageError naming `option`.
void apply(Scenario& s, const std::string& option, const Override& ov);
// Reads a scenario (the bundled one for an empty path), applies the case named (README
// "Cases and comparisons"), then every --set, in order.
Scenario load_path(const std::string& path, const std::vector<std::string>& sets,
                   const std::string& case_name = "");
// --case NAME, for a command that reads scenarios.
void add_case_option(CLI::App* cmd, std::string& case_name);
Scenario load(const ScenarioOptions& o);
// The GPU catalog: the installed or compiled-in one, or $LEASECALC_DATA_DIR's.
Catalog bundled_catalog();
// Colour only on a terminal, never with NO_COLOR set (no-color.org), never into a file;
// the width text tables fit: --wide, --width, $COLUMNS, the terminal's, else 100.
Style style_for(const std::string& output);
// Writes `text` to the -o path (atomically) or standard output, as it is (the workbook's
// bytes).
void emit(const std::string& path, const std::string& text);
// The same for a command's output in `format`: in a human format (table, md) every control
// character a file brought in is made visible, so that no scenario can drive the terminal
// (terminal_safe); machine formats escape them as their format requires.
void emit(const std::string& path, const std::string& text, Format format);
// Notes checked against scenarios: the results point into the notes and reports held
// here, which never move.
struct NoteChecks {
  std::deque<Note> notes;
  std::deque<std::vector<Report>> reports;
  std::vector<NoteResult> results;
  bool failed = false;  // a claim failed or passed unexpectedly
};
// Reads each note and checks it against `scenario_for(note)` (its own scenario, the one
// of check --scenario, a scenario before or after update).
std::unique_ptr<NoteChecks> check_notes(const std::vector<std::string>& note_paths,
                                        const std::function<Scenario(const Note&)>& scenario_for);
// A note's own scenario, with --set applied; a missing file is an error at the note's
// "scenario".
Scenario own_scenario(const Note& note, const std::vector<std::string>& sets,
                      const std::string& case_name = "");
// Writes the claims whose verdict differs between `before` and `after` (the same notes
// checked against two scenarios); returns whether any now fails.
bool write_flips(std::ostream& out, const NoteChecks& before, const NoteChecks& after,
                 const Style& style);

// "a,b,c" -> keys; throws UsageError on an empty one.
std::vector<std::string> split_keys(const std::string& list);
// The output indices of `keys`; throws UsageError with a "did you mean".
std::vector<std::size_t> output_indices(const Model& model, const std::vector<std::string>& keys);
// The ranged inputs, or an InputError when there is none.
// The ranged inputs (with --tag-ranges, after giving ranges by tag), or an InputError.
std::vector<RangedInput> ranged_or_fail(Scenario& s, Basis basis, bool tag_ranges = false);

}  // namespace leasecalc::cli
