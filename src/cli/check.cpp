// check: re-check notes' claims; exit 1 if any fails.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/model/errors.hpp"

#include "leasecalc/calc/note.hpp"
#include "leasecalc/calc/report.hpp"
#include "leasecalc/cli/output.hpp"

namespace leasecalc::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> notes;
  std::vector<std::string> sets;
  std::string scenario;   // --scenario: instead of each note's own
  std::string case_name;  // --case: of the scenario checked against
  std::string format = "table";
  std::string output;
};

int run_check(const CheckOptions& o) {
  const Format format = format_option(
      o.format, {Format::table, Format::md, Format::json, Format::junit, Format::tap});
  const auto checks = check_notes(o.notes, [&](const Note& note) {
    return o.scenario.empty() ? own_scenario(note, o.sets, o.case_name)
                              : load_path(o.scenario, o.sets, o.case_name);
  });
  std::ostringstream text;
  write_check(text, checks->results, format, style_for(o.output));
  emit(o.output, text.str(), format);
  return static_cast<int>(checks->failed ? ExitCode::check_failed : ExitCode::success);
}

}  // namespace

Command add_check(CLI::App& app) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "Re-check a note's claims; exit 1 if any fails");
  cmd->add_option("note", o->notes, "Note files (leasecalc/note/v1)")
      ->type_name("FILE")
      ->required();
  cmd->add_option(
         "--set", o->sets,
         "Override an input of every note's scenario: KEY=VALUE[@TAG[:SOURCE]], repeatable")
      ->type_name("KEY=VALUE[@TAG[:SOURCE]]")
      ->allow_extra_args(false);
  cmd->add_option("--scenario", o->scenario,
                  "Check against this scenario (the filed version); default: each note's own")
      ->type_name("FILE");
  add_case_option(cmd, o->case_name);
  add_format_options(cmd, o->format, o->output, "table, md, json, junit or tap");
  cmd->footer(
      "Examples:\n"
      "  leasecalc check data/notes/*.json\n"
      "  leasecalc check data/notes/yk-2026-05-09.json --set lease.price_per_gpu_hour=2.2\n"
      "  leasecalc check data/notes/note-2026-05-31.json --scenario "
      "data/scenarios/colossus1-ipo.json");

  return {cmd, [o] { return run_check(*o); }};
}

}  // namespace leasecalc::cli
