// diff: what changed between two scenario files.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/model/errors.hpp"

#include "leasecalc/calc/report.hpp"

namespace leasecalc::cli {
namespace {

struct DiffOptions {
  std::string old_path, new_path, basis, case_name, format = "table", output;
  std::vector<std::string> notes;
};

int run_diff(const DiffOptions& o) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  if (o.old_path == "-" && o.new_path == "-")
    throw UsageError(
        "diff: OLD and NEW are both standard input, which can be read once: give "
        "one of them as a file");
  const Scenario before = load_path(o.old_path, {}, o.case_name);
  const Scenario after = load_path(o.new_path, {}, o.case_name);
  ScenarioOptions basis_only;
  basis_only.basis = o.basis;
  const Report a = build_report(before, basis_option(basis_only, before));
  const Report b = build_report(after, basis_option(basis_only, after));
  std::ostringstream text;
  write_diff(text, diff_reports(a, b), o.old_path, o.new_path, format, style_for(o.output));
  bool fails = false;
  if (!o.notes.empty()) {  // the claims whose verdict flips from the old file to the new
    const auto old_checks = check_notes(o.notes, [&](const Note&) { return before; });
    const auto new_checks = check_notes(o.notes, [&](const Note&) { return after; });
    text << '\n';
    fails = write_flips(text, *old_checks, *new_checks, style_for(o.output));
  }
  emit(o.output, text.str(), format);
  return static_cast<int>(fails ? ExitCode::check_failed : ExitCode::success);
}

}  // namespace

Command add_diff(CLI::App& app) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "What changed between two scenario files: values moved, tags upgraded or downgraded");
  cmd->add_option("old", o->old_path, "The old scenario file")->type_name("FILE")->required();
  cmd->add_option("new", o->new_path, "The new scenario file")->type_name("FILE")->required();
  cmd->add_option("--basis", o->basis, "H100-equivalence basis for both (default: each file's)")
      ->type_name("BASIS");
  cmd->add_option("--case", o->case_name,
                  "Apply this case to both files: how a filing moves the bear case (default: "
                  "none, the files as they are)")
      ->type_name("NAME");
  cmd->add_option("--notes", o->notes,
                  "Notes whose claims to check against both files: lists the claims whose verdict "
                  "flips; exit 1 if one now fails (default: none)")
      ->type_name("NOTE")
      ->allow_extra_args(false);
  add_format_options(cmd, o->format, o->output, "table, csv, tsv, json or md");
  cmd->footer(
      "Examples:\n"
      "  leasecalc diff tests/diff/old.json tests/diff/new.json\n"
      "  leasecalc diff data/scenarios/colossus1-lease.json data/scenarios/colossus1-ipo.json "
      "--format csv");

  return {cmd, [o] { return run_diff(*o); }};
}

}  // namespace leasecalc::cli
