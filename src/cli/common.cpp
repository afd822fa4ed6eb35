#include "common.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "leasecalc/cli/output.hpp"
#include "leasecalc/load/loader.hpp"
#include "leasecalc/model/embedded.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::cli {
namespace {

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

}  // namespace

Catalog bundled_catalog() {
  const DataFile f = data_file("gpus.json", embedded::gpus_json());
  return load_catalog(f.text, f.label);
}

CLI::Validator non_empty_path() {
  return CLI::Validator(
      [](const std::string& path) {
        return path.empty() ? std::string(
                                  "an empty path; leave the option out for standard "
                                  "output")
                            : std::string();
      },
      "", "non-empty path");
}

// -o FILE, the same for every command.
void add_output_option(CLI::App* cmd, std::string& output) {
  cmd->add_option("-o,--output", output,
                  "Write to FILE, atomically: a failed run leaves FILE as it was (default: "
                  "standard output)")
      ->type_name("FILE")
      ->check(non_empty_path());
}

namespace {
// --width and --wide, shared by every command with a text table (one parses per run).
struct Layout {
  std::string width;
  bool wide = false;
  bool keys = false;
} g_layout;
}  // namespace

void add_layout_options(CLI::App* cmd) {
  cmd->add_option("--width", g_layout.width,
                  "Fit text tables to N columns (default: the terminal's, or $COLUMNS, else 100)")
      ->type_name("N");
  cmd->add_flag("--wide", g_layout.wide,
                "Every column of a text table, however wide (default: fit the width)");
}

void add_keys_option(CLI::App* cmd, std::string_view what) {
  cmd->add_flag("--keys", g_layout.keys, std::string(what));
}

void add_format_options(CLI::App* cmd, std::string& format, std::string& output,
                        std::string_view formats) {
  cmd->add_option("--format", format, fmt::format("Output format: {}", formats))
      ->type_name("FORMAT")
      ->capture_default_str();
  add_output_option(cmd, output);
  add_layout_options(cmd);  // (sweep's table is --pivot's)
}

void add_scenario_inputs(CLI::App* cmd, ScenarioOptions& o) {
  cmd->add_option("scenario", o.scenario,
                  "Scenario file (leasecalc/scenario/v1); default: the bundled Colossus 1 lease")
      ->type_name("FILE");
  cmd->add_option(
         "--set", o.sets,
         "Override an input: KEY=VALUE[@TAG[:SOURCE]], repeatable; the tag defaults to assumption; "
         "a tag other than exact or assumption needs a declared source")
      ->type_name("KEY=VALUE[@TAG[:SOURCE]]")
      ->allow_extra_args(false);
  cmd->add_option("--basis", o.basis,
                  "H100-equivalence basis: bf16, fp8, hbm-bw or units (default: the scenario's, "
                  "else bf16)")
      ->type_name("BASIS");
  add_case_option(cmd, o.case_name);
}

void add_scenario_options(CLI::App* cmd, ScenarioOptions& o, std::string default_format,
                          std::string_view formats) {
  o.format = std::move(default_format);
  add_scenario_inputs(cmd, o);
  add_format_options(cmd, o.format, o.output, formats);
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
  const double n = with_context(std::string(option) + ": ", [&] { return parse_count(text); });
  return static_cast<std::size_t>(n);
}

std::string input_label(const std::string& path) { return path == "-" ? "<stdin>" : path; }

Period period_option(const std::string& text, std::string_view command) {
  const auto period = parse_name(period_names(), text);
  if (!period)
    throw UsageError(fmt::format("{}--period: {}", command,
                                 unknown_choice("period", text, names_of(period_names()))));
  return *period;
}

Basis basis_option(const ScenarioOptions& o, const Scenario& s) {
  if (o.basis.empty()) return s.basis;
  if (auto b = parse_basis(o.basis)) return *b;
  throw UsageError("--basis: " + unknown_choice("basis", o.basis, names_of(basis_names())));
}

void apply(Scenario& s, const std::string& option, const Override& ov) {
  with_context(option + ": ", [&] { apply_override(s, ov); });
}

// Reads a scenario (the bundled one for an empty path) and applies every --set, in order.
void add_case_option(CLI::App* cmd, std::string& case_name) {
  cmd->add_option("--case", case_name,
                  "Apply one of the scenario's cases (its \"cases\" block) on top of the file, "
                  "before any --set; base is the file as it is (default: none)")
      ->type_name("NAME");
}

void say_notices(const std::vector<std::string>& notices) {
  static std::vector<std::string> said;  // each once a run, however often a file is read
  for (const auto& n : notices)
    if (std::find(said.begin(), said.end(), n) == said.end()) {
      said.push_back(n);
      std::cerr << "leasecalc: note: " << n << '\n';
    }
}

Scenario load_path(const std::string& path, const std::vector<std::string>& sets,
                   const std::string& case_name) {
  const Catalog catalog = bundled_catalog();
  Scenario s = [&] {
    if (!path.empty()) return load_scenario(read_input_file(path), input_label(path), catalog);
    const DataFile f = data_file("scenarios/colossus1-lease.json", embedded::colossus1_json());
    return load_scenario(f.text, f.label, catalog);
  }();
  say_notices(s.notices);
  if (!case_name.empty())
    with_context("--case " + case_name + ": ", [&] { apply_case(s, case_name); });
  for (const auto& text : sets) {
    // (parse errors name the key; apply errors below name the whole KEY=VALUE)
    const Override ov = with_context("--set ", [&] { return parse_override(text); });
    apply(s, "--set " + text, ov);
  }
  with_context("--set: ", [&] { check_consistency(s); });
  return s;
}

Scenario load(const ScenarioOptions& o) { return load_path(o.scenario, o.sets, o.case_name); }

// Colour only on a terminal, never with NO_COLOR set (no-color.org), never into a file.
namespace {
// COLUMNS when it holds a whole number of at least 40. The shell sets it, not the user: a
// value that is not one is passed over, not an error.
std::optional<std::size_t> columns_from_env() {
  const char* columns = std::getenv("COLUMNS");
  if (!columns) return std::nullopt;
  try {
    const double n = parse_count(columns);
    if (n >= 40) return static_cast<std::size_t>(n);
  } catch (const ValueError&) {
  }
  return std::nullopt;
}
}  // namespace

Style style_for(const std::string& output) {
  const char* no_color = std::getenv("NO_COLOR");
  const bool disabled = no_color != nullptr && no_color[0] != '\0';
  const bool terminal = output.empty() && ::isatty(STDOUT_FILENO) == 1;
  Style style{terminal && !disabled};
  style.keys = g_layout.keys;
  // The width: --wide (none), --width N, $COLUMNS, the terminal's (standard output's, or
  // standard error's when the output is piped on), else 100 (README "Spreadsheets").
  if (g_layout.wide) {
    style.width = 0;
  } else if (!g_layout.width.empty()) {
    style.width = count_option("--width", g_layout.width);
    if (style.width < 40) throw UsageError("--width: at least 40 columns");
  } else if (const auto columns = columns_from_env()) {
    style.width = *columns;
  } else if (winsize ws{};
             terminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) {
    style.width = ws.ws_col;
  } else if (winsize ews{}; output.empty() && ::isatty(STDERR_FILENO) == 1 &&
                            ::ioctl(STDERR_FILENO, TIOCGWINSZ, &ews) == 0 && ews.ws_col >= 40) {
    style.width = ews.ws_col;  // piped to head or less from a terminal: that terminal's width
  } else {
    style.width = 100;
  }
  return style;
}

void emit(const std::string& path, const std::string& text) {
  Output out(path);
  out.write(text);
  out.commit();
}

void emit(const std::string& path, const std::string& text, Format format) {
  emit(path, format == Format::table || format == Format::md ? terminal_safe(text) : text);
}

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

std::vector<std::size_t> output_indices(const Model& model, const std::vector<std::string>& keys) {
  std::vector<std::size_t> out;
  std::vector<std::string> known;
  for (const auto& d : model.outputs())
    known.push_back(d.key);
  for (const auto& k : keys) {
    const std::size_t i = model.find_output(k);
    if (i == Model::npos) {
      const std::string hint = suggestion(k, known);
      throw UsageError(fmt::format("--out: \"{}\" is not a computed figure{}", k, hint));
    }
    out.push_back(i);
  }
  return out;
}

void add_tag_ranges_option(CLI::App* cmd, bool& flag) {
  cmd->add_flag("--tag-ranges", flag,
                "Give each input with no range one by its tag: value x (1 -/+ w), w 0.02 primary, "
                "0.10 reported, 0.20 estimate, 0.30 assumption and ai-prior (default: off)");
}

std::vector<RangedInput> ranged_or_fail(Scenario& s, Basis basis, bool tag_ranges) {
  if (tag_ranges) apply_tag_ranges(s, basis);
  std::vector<RangedInput> inputs = ranged_inputs(s, basis);
  if (inputs.empty())
    throw InputError(s.file,
                     "no input has a range: give a figure \"low\" and \"high\" (and \"dist\") to "
                     "simulate it, or use --tag-ranges");
  return inputs;
}

Scenario own_scenario(const Note& note, const std::vector<std::string>& sets,
                      const std::string& case_name) {
  const std::string path = scenario_path(note);
  try {
    return load_path(path, sets, case_name);
  } catch (const InputError& e) {
    if (e.message().starts_with("cannot read"))
      throw InputError(note.file, note.scenario_where,
                       fmt::format("scenario {}: {}", path, e.message()));
    throw;
  }
}

std::unique_ptr<NoteChecks> check_notes(const std::vector<std::string>& note_paths,
                                        const std::function<Scenario(const Note&)>& scenario_for) {
  auto c = std::make_unique<NoteChecks>();
  for (const auto& path : note_paths) {
    const Note& note = c->notes.emplace_back(load_note(read_input_file(path), input_label(path)));
    say_notices(note.notices);
    const Scenario s = scenario_for(note);
    auto& reports = c->reports.emplace_back();
    for (Basis b : bases_needed(note, s.basis))
      reports.push_back(build_report(s, b));
    c->results.push_back(check_note(note, reports, s.basis));
    c->failed = c->failed || c->results.back().failed + c->results.back().unexpected > 0;
  }
  return c;
}

bool write_flips(std::ostream& out, const NoteChecks& before, const NoteChecks& after,
                 const Style& style) {
  Table t;
  t.columns = {"note", "claim", "key", "was", "now", "computed"};
  t.shrink = {{0, 8}, {2, 12}, {5, 10}};
  bool fails = false;
  std::size_t flips = 0;
  for (std::size_t i = 0; i < after.results.size(); ++i)
    for (const Flip& f : flipped(before.results[i], after.results[i])) {
      ++flips;
      fails = fails || f.after->verdict == Verdict::fail ||
              f.after->verdict == Verdict::unexpected_pass;
      t.rows.push_back({std::filesystem::path(after.results[i].note->file).filename().string(),
                        f.after->claim->id, f.after->claim->key,
                        std::string(verdict_name(f.before->verdict)),
                        std::string(verdict_name(f.after->verdict)),
                        bounds_as_signs(human_value(*f.after->figure))});
    }
  if (flips == 0) {
    out << "No claim changed its verdict.\n";
    return false;
  }
  out << flips
      << (flips == 1 ? " claim changed its verdict:\n" : " claims changed their verdict:\n");
  write_table(out, t, Format::table, style);
  return fails;
}

}  // namespace leasecalc::cli

namespace leasecalc::cli {

std::vector<std::string> current_keys(std::vector<std::string> args) {
  static constexpr std::string_view key_chars =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";
  for (auto& arg : args) {
    // An option's value (--set=KEY=V) or the argument itself, then each comma-separated item.
    std::size_t at = arg.starts_with("--") && arg.find('=') != std::string::npos
                         ? arg.find('=') + 1
                         : (arg.starts_with("-") ? arg.size() : 0);
    while (at < arg.size()) {
      const std::size_t end = std::min(arg.find_first_not_of(key_chars, at), arg.size());
      if (const auto now = renamed_key(std::string_view(arg).substr(at, end - at))) {
        say_notices({renamed_notice(arg.substr(at, end - at), *now)});
        arg.replace(at, end - at, *now);
      }
      const std::size_t comma = arg.find(',', at);
      at = comma == std::string::npos ? arg.size() : comma + 1;
    }
  }
  return args;
}

}  // namespace leasecalc::cli
