#include "leasecalc/cli.hpp"

#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "leasecalc/embedded.hpp"
#include "leasecalc/errors.hpp"
#include "leasecalc/format.hpp"
#include "leasecalc/keys.hpp"
#include "leasecalc/loader.hpp"
#include "leasecalc/note.hpp"
#include "leasecalc/output.hpp"
#include "leasecalc/override.hpp"
#include "leasecalc/report.hpp"
#include "leasecalc/simulate.hpp"
#include "leasecalc/text.hpp"
#include "leasecalc/whatif.hpp"

#ifndef LEASECALC_VERSION
#define LEASECALC_VERSION "0.0.0"
#endif

namespace leasecalc {
namespace {

constexpr std::size_t k_default_max_rows = 100'000'000;

// Options shared by every command that reads a scenario.
struct ScenarioOptions {
  std::string scenario;  // a path, or empty for the bundled Colossus 1 scenario
  std::string basis;     // empty: the scenario's own
  std::string format;
  std::string output;  // -o FILE; empty: standard output
  std::vector<std::string> sets;
};

// -o FILE, the same for every command.
void add_output_option(CLI::App* cmd, std::string& output) {
  cmd->add_option("-o,--output", output,
                  "Write to FILE, atomically: a failed run leaves FILE as it was (default: "
                  "standard output)")
      ->type_name("FILE");
}

void add_scenario_options(CLI::App* cmd, ScenarioOptions& o, std::string default_format,
                          std::string_view formats) {
  o.format = std::move(default_format);
  cmd->add_option("scenario", o.scenario,
                  "Scenario file (leasecalc/scenario/v1); default: the bundled Colossus 1 lease")
      ->type_name("FILE");
  cmd->add_option("--set", o.sets,
                  "Override an input: KEY=VALUE[@TAG], repeatable; the tag defaults to assumption")
      ->type_name("KEY=VALUE[@TAG]")
      ->allow_extra_args(false);
  cmd->add_option("--basis", o.basis,
                  "H100-equivalence basis: bf16, fp8, hbm-bw or units (default: the scenario's, "
                  "else bf16)")
      ->type_name("BASIS");
  cmd->add_option("--format", o.format, fmt::format("Output format: {}", formats))
      ->type_name("FORMAT")
      ->capture_default_str();
  add_output_option(cmd, o.output);
}

Format format_option(const std::string& text, const std::vector<Format>& allowed) {
  std::vector<std::string> names;
  for (Format f : allowed)
    names.emplace_back(format_name(f));
  const auto f = parse_format(text);
  if (!f || std::find(allowed.begin(), allowed.end(), *f) == allowed.end())
    throw UsageError("--format: " + unknown_choice("format", text, names));
  return *f;
}

std::size_t count_option(std::string_view option, const std::string& text) {
  const NumberParse n = parse_count(text);
  if (!n.error.empty()) throw UsageError(fmt::format("{}: {}", option, n.error));
  return static_cast<std::size_t>(n.value);
}

// share/leasecalc beside the binary's bin/, as `cmake --install` and the .deb lay it out.
std::string installed_data_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : (exe.parent_path().parent_path() / "share" / "leasecalc").string();
}

// A bundled data file, by its path under data/: from $LEASECALC_DATA_DIR when set (it must
// hold the file), else the installed copy when there is one, else the one compiled in.
struct DataFile {
  std::string text;
  std::string label;  // the path read, or "(bundled) data/..."
};
DataFile data_file(std::string_view relative, std::string_view embedded_text) {
  if (const char* env = std::getenv("LEASECALC_DATA_DIR"); env != nullptr && env[0] != '\0') {
    const std::string path = fmt::format("{}/{}", env, relative);
    return {read_input_file(path), path};
  }
  if (const std::string dir = installed_data_dir(); !dir.empty()) {
    const std::string path = fmt::format("{}/{}", dir, relative);
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec)) return {read_input_file(path), path};
  }
  return {std::string(embedded_text), fmt::format("(bundled) data/{}", relative)};
}

Catalog bundled_catalog() {
  const DataFile f = data_file("gpus.json", embedded::gpus_json());
  return load_catalog(f.text, f.label);
}

Basis basis_option(const ScenarioOptions& o, const Scenario& s) {
  if (o.basis.empty()) return s.basis;
  if (auto b = parse_basis(o.basis)) return *b;
  throw UsageError("--basis: " + unknown_choice("basis", o.basis, names_of(basis_names())));
}

void apply(Scenario& s, const std::string& option, const Override& ov) {
  const std::string why = apply_override(s, ov);
  if (!why.empty()) throw UsageError(fmt::format("{}: {}", option, why));
}

// Reads a scenario (the bundled one for an empty path) and applies every --set, in order.
Scenario load_path(const std::string& path, const std::vector<std::string>& sets) {
  const Catalog catalog = bundled_catalog();
  Scenario s = [&] {
    if (!path.empty()) return load_scenario(read_input_file(path), path, catalog);
    const DataFile f = data_file("scenarios/colossus1-lease.json", embedded::colossus1_json());
    return load_scenario(f.text, f.label, catalog);
  }();
  for (const auto& text : sets) {
    auto parsed = parse_override(text);
    if (auto* why = std::get_if<std::string>(&parsed)) throw UsageError("--set " + *why);
    // (parse errors name the key; apply errors below name the whole KEY=VALUE)
    apply(s, "--set " + text, std::get<Override>(parsed));
  }
  if (const std::string why = check_consistency(s); !why.empty()) throw UsageError("--set: " + why);
  return s;
}

Scenario load(const ScenarioOptions& o) { return load_path(o.scenario, o.sets); }

// Colour only on a terminal, never with NO_COLOR set (no-color.org), never into a file.
Style style_for(const std::string& output) {
  const char* no_color = std::getenv("NO_COLOR");
  const bool disabled = no_color != nullptr && no_color[0] != '\0';
  return Style{output.empty() && !disabled && ::isatty(STDOUT_FILENO) == 1};
}

void emit(const std::string& path, const std::string& text) {
  Output out(path);
  out.write(text);
  out.commit();
}

// --- report ---

void run_report(const ScenarioOptions& o) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  const Report report = build_report(std::move(s), basis);
  std::ostringstream text;
  write_report(text, report, format, style_for(o.output));
  emit(o.output, text.str());
}

// --- explain ---

void run_explain(const ScenarioOptions& o, const std::string& key) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  const Model model(s, basis);
  const Report report = build_report(s, basis);
  const auto e = explain(report, model, key);
  if (!e) {
    std::vector<std::string> keys;
    for (const auto& r : report.rows)
      keys.push_back(r.key);
    const std::string hint = did_you_mean(key, keys);
    throw UsageError(
        fmt::format("explain: unknown figure key \"{}\"{}; `leasecalc report` lists "
                    "every key",
                    key, hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
  }
  std::ostringstream text;
  write_explain(text, *e, format, style_for(o.output));
  emit(o.output, text.str());
}

// --- sweep ---

struct SweepOptions {
  std::vector<std::string> vary;
  std::string out = "lease.annual_revenue";
  std::string max_rows = std::to_string(k_default_max_rows);
};

std::vector<std::string> split_keys(const std::string& list) {
  std::vector<std::string> keys;
  std::string cur;
  for (char c : list + ",") {
    if (c != ',') {
      cur += c;
      continue;
    }
    if (cur.empty()) throw UsageError(fmt::format("--out \"{}\": an empty key", list));
    keys.push_back(cur);
    cur.clear();
  }
  return keys;
}

void run_sweep(const ScenarioOptions& o, const SweepOptions& so) {
  const Format format = format_option(o.format, {Format::csv, Format::tsv, Format::jsonl});
  Scenario s = load(o);
  std::vector<Axis> axes;
  for (const auto& text : so.vary) {
    auto parsed = parse_axis(text);
    if (auto* why = std::get_if<std::string>(&parsed)) throw UsageError("--vary " + *why);
    Axis a = std::get<Axis>(parsed);
    for (const auto& prev : axes)
      if (prev.key == a.key) throw UsageError(fmt::format("--vary {}: varied twice", a.key));
    // Both ends must be allowed values; the grid lies between them. Applying START as
    // an override also rejects an unknown key, with a "did you mean".
    apply(s, "--vary " + text, Override{a.key, a.start, Tag::assumption});
    if (const std::string why = domain_for_key(a.key).check(a.at(a.count - 1)); !why.empty())
      throw UsageError(fmt::format("--vary {}: {}", text, why));
    axes.push_back(std::move(a));
  }
  if (const std::string why = check_consistency(s); !why.empty())
    throw UsageError("--vary: " + why);
  const Basis basis = basis_option(o, s);
  const Model model(s, basis);
  auto made = Sweep::make(model, axes, split_keys(so.out));
  if (auto* why = std::get_if<std::string>(&made)) throw UsageError(*why);
  const Sweep& sweep = std::get<Sweep>(made);
  const std::size_t max_rows = count_option("--max-rows", so.max_rows);
  if (sweep.rows() > max_rows)
    throw UsageError(
        fmt::format("the grid has {} rows, above the limit of {}; raise it with "
                    "--max-rows",
                    sweep.rows(), so.max_rows));

  // Provenance, once: units and tags of every column, from one tracked evaluation.
  const Report report = build_report(s, basis);
  std::vector<std::string> columns;
  std::vector<const Row*> figures;
  for (const auto& a : sweep.axes())
    columns.push_back(a.key);
  for (const auto& k : sweep.outs())
    columns.push_back(k);
  for (const auto& c : columns)
    figures.push_back(report.find(c));

  Output out(o.output);
  RowWriter writer(
      format, figures, [&](std::string_view chunk) { out.write(chunk); }, axes.size());
  std::size_t n = 0;
  sweep.run([&](const std::vector<double>& values) {
    for (std::size_t j = axes.size(); j < values.size(); ++j)  // axis values are checked already
      if (std::isinf(values[j]))
        throw InputError(s.file, Location{1, 1, ""},
                         fmt::format("{} overflows at row {} of the sweep", columns[j], n + 1));
    writer.row(values);
    ++n;
    return !out.closed();
  });
  writer.flush();
  out.commit();
}

// --- solve ---

struct SolveOptions {
  std::string target;
  std::string vary;
};

int run_solve(const ScenarioOptions& o, const SolveOptions& so) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  const auto eq = so.target.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(fmt::format(
        "--target \"{}\": expected KEY=VALUE, such as breakeven.coverage=1", so.target));
  const std::string target_key = so.target.substr(0, eq);
  const NumberParse target = parse_number(std::string_view(so.target).substr(eq + 1));
  if (!target.error.empty()) throw UsageError("--target " + target_key + ": " + target.error);

  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  // The varied input must be in the scenario; an absent optional one is added at 0.
  const Report before = build_report(s, basis);
  if (!before.find(so.vary) || before.find(so.vary)->derived) {
    Scenario probe = s;
    const std::string why = apply_override(probe, Override{so.vary, 0.5, Tag::assumption});
    if (why.starts_with("unknown")) throw UsageError("--vary: " + why);
    if (!before.find(so.vary)) s = probe;
  }
  const Model model(s, basis);
  if (model.find_output(target_key) == Model::npos) {
    std::vector<std::string> keys;
    for (const auto& d : model.outputs())
      keys.push_back(d.key);
    const std::string hint = did_you_mean(target_key, keys);
    throw UsageError(fmt::format("--target: \"{}\" is not a computed figure{}", target_key,
                                 hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
  }
  const Solution sol = solve(model, so.vary, target_key, target.value);
  const OutputDef& def = model.outputs()[model.find_output(target_key)];
  if (!sol.found) {
    std::string why;
    if (!sol.depends)
      why = fmt::format("{} does not change with {}", target_key, so.vary);
    else
      why = fmt::format("{} stays between {} and {} for {} from {} to {}, never {}", target_key,
                        human(sol.reach_low, def.unit), human(sol.reach_high, def.unit), so.vary,
                        plain_number(sol.domain_low), plain_number(sol.domain_high),
                        human(target.value, def.unit));
    std::cerr << "leasecalc: no solution: " << why << '\n';
    return static_cast<int>(ExitCode::check_failed);
  }

  // Provenance: with the input fixed as exact, the target's tag and sources are those of
  // every other input it rests on, and so are the solved input's.
  Scenario solved = s;
  apply(solved, "--vary", Override{so.vary, sol.x, Tag::exact});
  const Report after = build_report(solved, basis);
  Row target_row = *after.find(target_key);
  Row input_row = *after.find(so.vary);
  input_row.tag = target_row.tag;
  input_row.sources = target_row.sources;
  input_row.derived = true;
  input_row.overridden = false;
  input_row.approx = target_row.approx;
  input_row.inputs = target_row.inputs;
  input_row.note = fmt::format("solved: {} = {}", target_key, plain_number(target.value));
  if (sol.crossing != sol.x)
    input_row.note += fmt::format("; the crossing is at {}, rounded up to a whole count",
                                  plain_number(sol.crossing));
  Report result;
  result.scenario = fmt::format("{}: solve {} = {} by varying {}", s.name, target_key,
                                plain_number(target.value), so.vary);
  result.file = s.file;
  result.as_of = s.as_of;
  result.basis = basis;
  result.rows = {input_row, target_row};
  std::ostringstream text;
  write_report(text, result, format, style_for(o.output));
  emit(o.output, text.str());
  return static_cast<int>(ExitCode::success);
}

// --- check, diff, sources ---

struct CheckOptions {
  std::vector<std::string> notes;
  std::vector<std::string> sets;
  std::string format = "table";
  std::string output;
};

int run_check(const CheckOptions& o) {
  const Format format = format_option(
      o.format, {Format::table, Format::md, Format::json, Format::junit, Format::tap});
  std::vector<Note> notes;
  notes.reserve(o.notes.size());
  for (const auto& path : o.notes)
    notes.push_back(load_note(read_input_file(path), path));
  // Reports live as long as the results that point into them.
  std::vector<std::vector<Report>> reports(notes.size());
  std::vector<NoteResult> results;
  bool failed = false;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const Note& note = notes[i];
    // The scenario path is relative to the note's directory.
    std::string path = note.scenario;
    if (!path.starts_with('/')) {
      const auto slash = note.file.rfind('/');
      if (slash != std::string::npos) path = note.file.substr(0, slash + 1) + path;
    }
    Scenario s = [&] {
      try {
        return load_path(path, o.sets);
      } catch (const InputError& e) {
        if (e.message().starts_with("cannot read"))
          throw InputError(note.file, note.scenario_where,
                           fmt::format("scenario {}: {}", path, e.message()));
        throw;
      }
    }();
    for (Basis b : bases_needed(note, s.basis))
      reports[i].push_back(build_report(s, b));
    results.push_back(check_note(note, reports[i], s.basis));
    failed = failed || results.back().failed + results.back().unexpected > 0;
  }
  std::ostringstream text;
  write_check(text, results, format, style_for(o.output));
  emit(o.output, text.str());
  return static_cast<int>(failed ? ExitCode::check_failed : ExitCode::success);
}

struct DiffOptions {
  std::string old_path, new_path, basis, format = "table", output;
};

void run_diff(const DiffOptions& o) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  const Scenario before = load_path(o.old_path, {});
  const Scenario after = load_path(o.new_path, {});
  ScenarioOptions basis_only;
  basis_only.basis = o.basis;
  const Report a = build_report(before, basis_option(basis_only, before));
  const Report b = build_report(after, basis_option(basis_only, after));
  std::ostringstream text;
  write_diff(text, diff_reports(a, b), o.old_path, o.new_path, format, style_for(o.output));
  emit(o.output, text.str());
}

struct SourcesOptions {
  std::string tag, source;
};

void run_sources(const ScenarioOptions& o, const SourcesOptions& so) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  std::optional<Tag> tag;
  if (!so.tag.empty()) {
    tag = parse_tag(so.tag);
    if (!tag) throw UsageError("--tag: " + unknown_choice("tag", so.tag, names_of(tag_names())));
  }
  Scenario s = load(o);
  if (!so.source.empty() && !s.find_source(so.source)) {
    std::vector<std::string> ids;
    for (const auto& src : s.sources)
      ids.push_back(src.id);
    for (const auto& src : s.catalog.sources)
      ids.push_back(src.id);
    throw UsageError("--source: " + unknown_choice("source", so.source, ids));
  }
  const Basis basis = basis_option(o, s);
  const Report report = build_report(s, basis);
  std::ostringstream text;
  write_sources(text, group_by_source(report, tag, so.source), s, format, style_for(o.output));
  emit(o.output, text.str());
}

// --- simulate, tornado ---

std::vector<RangedInput> ranged_or_fail(Scenario& s, Basis basis) {
  std::vector<RangedInput> inputs = ranged_inputs(s, basis);
  if (inputs.empty())
    throw InputError(s.file, Location{1, 1, ""},
                     "no input has a range: give a figure \"low\" and \"high\" (and \"dist\") to "
                     "simulate it");
  return inputs;
}

std::vector<std::size_t> output_indices(const Model& model, const std::vector<std::string>& keys) {
  std::vector<std::size_t> out;
  std::vector<std::string> known;
  for (const auto& d : model.outputs())
    known.push_back(d.key);
  for (const auto& k : keys) {
    const std::size_t i = model.find_output(k);
    if (i == Model::npos) {
      const std::string hint = did_you_mean(k, known);
      throw UsageError(
          fmt::format("--out: \"{}\" is not a computed figure{}", k,
                      hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
    }
    out.push_back(i);
  }
  return out;
}

struct SimulateOptions {
  std::string samples = "100000";
  std::string seed;  // empty: a random one, printed
  std::string threads;
  std::string out = "lease.annual_revenue";
  std::string samples_out;
  std::string max_samples = "100000000";
};

void run_simulate(const ScenarioOptions& o, const SimulateOptions& so) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  const std::size_t n = count_option("--samples", so.samples);
  const std::size_t max = count_option("--max-samples", so.max_samples);
  if (n == 0) throw UsageError("--samples: at least 1");
  if (n > max)
    throw UsageError(
        fmt::format("--samples {} is above the limit of {}; raise it with --max-samples "
                    "(each output keeps 8 bytes a sample)",
                    n, max));
  std::uint64_t seed = 0;
  if (so.seed.empty()) {
    std::random_device rd;
    seed = ((std::uint64_t{rd()} << 32) ^ rd()) & ((std::uint64_t{1} << 53) - 1);
  } else {
    seed = count_option("--seed", so.seed);
  }
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (!so.threads.empty()) {
    const std::size_t t = count_option("--threads", so.threads);
    if (t == 0 || t > 256) throw UsageError("--threads: from 1 to 256");
    threads = static_cast<unsigned>(t);
  }
  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  const std::vector<RangedInput> inputs = ranged_or_fail(s, basis);
  const Model model(s, basis);
  const std::vector<std::size_t> outs = output_indices(model, split_keys(so.out));
  const Report report = build_report(s, basis);

  if (!so.samples_out.empty()) {  // the raw samples, streamed: an audit trail
    Output raw(so.samples_out);
    Row sample;
    sample.key = "sample";
    std::vector<const Row*> columns{&sample};
    for (const auto& in : inputs)
      columns.push_back(report.find(in.key));
    for (std::size_t i : outs)
      columns.push_back(report.find(model.outputs()[i].key));
    RowWriter writer(Format::csv, columns, [&](std::string_view chunk) { raw.write(chunk); });
    std::vector<double> row(columns.size());
    for_each_sample(model, inputs, seed, n, outs, [&](std::size_t i, const std::vector<double>& v) {
      row[0] = static_cast<double>(i);
      std::copy(v.begin(), v.end(), row.begin() + 1);
      writer.row(row);
      return true;
    });
    writer.flush();
    raw.commit();
  }

  std::vector<SimulationRow> rows;
  for (std::size_t i : outs) {
    try {
      rows.push_back({report.find(model.outputs()[i].key),
                      simulate_summary(model, inputs, seed, n, i, threads)});
    } catch (const std::runtime_error& e) {
      throw InputError(s.file, Location{1, 1, ""},
                       fmt::format("{} in the simulation: {}", model.outputs()[i].key, e.what()));
    }
  }
  std::ostringstream text;
  write_simulation(text, rows, seed, inputs, format, style_for(o.output));
  emit(o.output, text.str());
}

void run_tornado(const ScenarioOptions& o, const std::string& target) {
  const Format format = format_option(
      o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md, Format::svg});
  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  const std::vector<RangedInput> inputs = ranged_or_fail(s, basis);
  const Model model(s, basis);
  const std::size_t i = output_indices(model, {target}).front();
  const Report report = build_report(s, basis);
  double base = 0;
  const std::vector<Swing> swings = tornado(model, inputs, i, base);
  std::ostringstream text;
  write_tornado(text, *report.find(target), base, swings, format, style_for(o.output));
  emit(o.output, text.str());
}

int fail(ExitCode code, std::string_view message) {
  std::cerr << "leasecalc: error: " << message << '\n';
  return static_cast<int>(code);
}

}  // namespace

int cli_main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe becomes EPIPE, handled quietly
  CLI::App app{
      "leasecalc: GPU lease economics, with the confidence of the evidence behind every "
      "figure.",
      "leasecalc"};
  app.set_version_flag("--version", std::string("leasecalc ") + LEASECALC_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 success, 1 a check failed or no solution, 2 usage error, 3 input error, "
      "4 output error.\nRun 'leasecalc COMMAND --help' for a command's options and examples.");

  ScenarioOptions report_opts;
  CLI::App* report = app.add_subcommand(
      "report", "Every figure of a scenario, as a table with the tag of each figure");
  add_scenario_options(report, report_opts, "table", "table, csv, tsv, json or md");
  report->footer(
      "Examples:\n"
      "  leasecalc report                                  # the bundled Colossus 1 lease\n"
      "  leasecalc report --set lease.occupancy=0.85       # a what-if from the shell\n"
      "  leasecalc report data/scenarios/colossus1-ipo.json --format csv -o ipo.csv");

  ScenarioOptions explain_opts;
  std::string explain_key;
  CLI::App* explain_cmd =
      app.add_subcommand("explain", "How one figure was computed, with the inputs behind it");
  explain_cmd->add_option("key", explain_key, "The figure key, e.g. lease.annual_revenue")
      ->type_name("KEY")
      ->required();
  add_scenario_options(explain_cmd, explain_opts, "table", "table, csv, tsv, json or md");
  explain_cmd->footer(
      "Examples:\n"
      "  leasecalc explain lease.annual_revenue\n"
      "  leasecalc explain breakeven.price --set lease.occupancy=0.9\n"
      "  leasecalc explain fleet.share_h100e --basis units --format json");

  ScenarioOptions sweep_opts;
  SweepOptions sweep_so;
  CLI::App* sweep = app.add_subcommand(
      "sweep", "A grid over one or more inputs, streamed row by row in constant memory");
  add_scenario_options(sweep, sweep_opts, "csv", "csv, tsv or jsonl");
  sweep->add_option("--vary", sweep_so.vary, "KEY=START:STOP:STEP, inclusive, repeatable")
      ->required()
      ->type_name("KEY=START:STOP:STEP")
      ->allow_extra_args(false);
  sweep->add_option("--out", sweep_so.out, "Comma-separated figure keys to write")
      ->type_name("KEY,...")
      ->capture_default_str();
  sweep->add_option("--max-rows", sweep_so.max_rows, "Refuse a larger grid, before any output")
      ->type_name("N")
      ->capture_default_str();
  sweep->footer(
      "Examples:\n"
      "  leasecalc sweep --vary lease.price_per_gpu_hour=2:3.2:0.2 --out "
      "lease.annual_revenue,breakeven.coverage\n"
      "  leasecalc sweep --vary lease.occupancy=0.5:1:0.1 --vary lease.price_per_gpu_hour=2:4:0.5 "
      "-o grid.csv\n"
      "  leasecalc sweep --vary lease.discount=0:0.3:0.05 --format jsonl");

  ScenarioOptions solve_opts;
  SolveOptions solve_so;
  CLI::App* solve_cmd =
      app.add_subcommand("solve", "Goal seek: the input value that makes a figure hit a target");
  add_scenario_options(solve_cmd, solve_opts, "table", "table, csv, tsv, json or md");
  solve_cmd
      ->add_option("--target", solve_so.target,
                   "The figure and the value it should take, e.g. breakeven.coverage=1")
      ->type_name("KEY=VALUE")
      ->required();
  solve_cmd->add_option("--vary", solve_so.vary, "The input to solve for, e.g. lease.occupancy")
      ->type_name("KEY")
      ->required();
  solve_cmd->footer(
      "Examples:\n"
      "  leasecalc solve --target breakeven.coverage=1 --vary lease.price_per_gpu_hour\n"
      "  leasecalc solve --target lease.annual_revenue=4e9 --vary lease.occupancy\n"
      "  leasecalc solve --target breakeven.coverage=1 --vary cluster.gpus.GB200.count");

  CheckOptions check_opts;
  CLI::App* check = app.add_subcommand("check", "Re-check a note's claims; exit 1 if any fails");
  check->add_option("note", check_opts.notes, "Note files (leasecalc/note/v1)")
      ->type_name("FILE")
      ->required();
  check
      ->add_option("--set", check_opts.sets,
                   "Override an input of every note's scenario: KEY=VALUE[@TAG], repeatable")
      ->type_name("KEY=VALUE[@TAG]")
      ->allow_extra_args(false);
  check->add_option("--format", check_opts.format, "Output format: table, md, json, junit or tap")
      ->type_name("FORMAT")
      ->capture_default_str();
  add_output_option(check, check_opts.output);
  check->footer(
      "Examples:\n"
      "  leasecalc check data/notes/*.json\n"
      "  leasecalc check data/notes/*.json --format junit -o leasecalc-junit.xml\n"
      "  leasecalc check data/notes/yk-2026-05-09.json --set lease.price_per_gpu_hour=2.2");

  DiffOptions diff_opts;
  CLI::App* diff = app.add_subcommand(
      "diff", "What changed between two scenario files: values moved, tags upgraded or downgraded");
  diff->add_option("old", diff_opts.old_path, "The old scenario file")
      ->type_name("FILE")
      ->required();
  diff->add_option("new", diff_opts.new_path, "The new scenario file")
      ->type_name("FILE")
      ->required();
  diff->add_option("--basis", diff_opts.basis,
                   "H100-equivalence basis for both (default: each file's)")
      ->type_name("BASIS");
  diff->add_option("--format", diff_opts.format, "Output format: table, csv, tsv, json or md")
      ->type_name("FORMAT")
      ->capture_default_str();
  add_output_option(diff, diff_opts.output);
  diff->footer(
      "Examples:\n"
      "  leasecalc diff tests/diff/old.json tests/diff/new.json\n"
      "  leasecalc diff data/scenarios/colossus1-lease.json data/scenarios/colossus1-ipo.json "
      "--format csv");

  ScenarioOptions sources_opts;
  SourcesOptions sources_so;
  CLI::App* sources = app.add_subcommand(
      "sources", "Figures grouped by source and tag: the list to confirm when a filing lands");
  add_scenario_options(sources, sources_opts, "table", "table, csv, tsv, json or md");
  sources
      ->add_option("--tag", sources_so.tag,
                   "Only inputs of this tag, e.g. reported or ai-prior (default: every tag)")
      ->type_name("TAG");
  sources
      ->add_option("--source", sources_so.source,
                   "Only the figures citing this source id (default: every source)")
      ->type_name("ID");
  sources->footer(
      "Examples:\n"
      "  leasecalc sources\n"
      "  leasecalc sources --tag reported                  # what a filing could confirm\n"
      "  leasecalc sources --source mirae-2026-05-08");

  ScenarioOptions sim_opts;
  SimulateOptions sim_so;
  CLI::App* simulate = app.add_subcommand(
      "simulate", "Monte Carlo over the inputs that have low/high: mean, sd, p5, p50, p95");
  add_scenario_options(simulate, sim_opts, "table", "table, csv, tsv, json or md");
  simulate->add_option("--samples", sim_so.samples, "Number of samples")
      ->type_name("N")
      ->capture_default_str();
  simulate
      ->add_option("--seed", sim_so.seed,
                   "Random seed, 0 to 2^53 (default: a random one, printed with the results)")
      ->type_name("S");
  simulate
      ->add_option("--threads", sim_so.threads,
                   "Threads (default: the machine's cores); results do not depend on it")
      ->type_name("N");
  simulate->add_option("--out", sim_so.out, "Comma-separated output keys")
      ->type_name("KEY,...")
      ->capture_default_str();
  simulate
      ->add_option("--samples-out", sim_so.samples_out,
                   "Also write every sample (inputs and outputs) to this CSV file (default: none)")
      ->type_name("FILE");
  simulate->add_option("--max-samples", sim_so.max_samples, "Refuse more samples than this")
      ->type_name("N")
      ->capture_default_str();
  simulate->footer(
      "Examples:\n"
      "  leasecalc simulate --samples 1000000 --seed 42\n"
      "  leasecalc simulate --out lease.annual_revenue,breakeven.coverage --format csv\n"
      "  leasecalc simulate tests/scenarios/nebula.json --seed 7 --samples-out samples.csv");

  ScenarioOptions tornado_opts;
  std::string tornado_target = "lease.annual_revenue";
  CLI::App* tornado_cmd = app.add_subcommand(
      "tornado", "Sensitivity of one figure to every ranged input, largest swing first");
  add_scenario_options(tornado_cmd, tornado_opts, "table", "table, csv, tsv, json, md or svg");
  tornado_cmd->add_option("--target", tornado_target, "The figure to explain")
      ->type_name("KEY")
      ->capture_default_str();
  tornado_cmd->footer(
      "Examples:\n"
      "  leasecalc tornado --target breakeven.coverage\n"
      "  leasecalc tornado tests/scenarios/nebula.json --format svg -o tornado.svg");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    return fail(ExitCode::usage, std::string(e.what()) + "\nRun 'leasecalc --help' for usage.");
  }

  try {
    if (report->parsed())
      run_report(report_opts);
    else if (explain_cmd->parsed())
      run_explain(explain_opts, explain_key);
    else if (sweep->parsed())
      run_sweep(sweep_opts, sweep_so);
    else if (solve_cmd->parsed())
      return run_solve(solve_opts, solve_so);
    else if (check->parsed())
      return run_check(check_opts);
    else if (diff->parsed())
      run_diff(diff_opts);
    else if (sources->parsed())
      run_sources(sources_opts, sources_so);
    else if (simulate->parsed())
      run_simulate(sim_opts, sim_so);
    else if (tornado_cmd->parsed())
      run_tornado(tornado_opts, tornado_target);
    return static_cast<int>(ExitCode::success);
  } catch (const UsageError& e) {
    return fail(ExitCode::usage, e.what());
  } catch (const InputError& e) {
    return fail(ExitCode::input, e.what());
  } catch (const OutputError& e) {
    return fail(ExitCode::output, e.what());
  } catch (const std::exception& e) {
    std::cerr << "leasecalc: internal error: " << e.what() << '\n';
    return 70;
  }
}

}  // namespace leasecalc
