// check: re-check notes' claims; exit 1 if any fails.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/errors.hpp"

#include "leasecalc/note.hpp"
#include "leasecalc/output.hpp"
#include "leasecalc/report.hpp"

namespace leasecalc::cli {
namespace {

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
    notes.push_back(load_note(read_input_file(path), input_label(path)));
  // Reports live as long as the results that point into them.
  std::vector<std::vector<Report>> reports(notes.size());
  std::vector<NoteResult> results;
  bool failed = false;
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const Note& note = notes[i];
    const std::string path = scenario_path(note);
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

}  // namespace

Command add_check(CLI::App& app) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "Re-check a note's claims; exit 1 if any fails");
  cmd->add_option("note", o->notes, "Note files (leasecalc/note/v1)")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--set", o->sets,
                  "Override an input of every note's scenario: KEY=VALUE[@TAG[:SOURCE]], repeatable")
      ->type_name("KEY=VALUE[@TAG[:SOURCE]]")
      ->allow_extra_args(false);
  add_format_options(cmd, o->format, o->output, "table, md, json, junit or tap");
  cmd->footer(
      "Examples:\n"
      "  leasecalc check data/notes/*.json\n"
      "  leasecalc check data/notes/*.json --format junit -o leasecalc-junit.xml\n"
      "  leasecalc check data/notes/yk-2026-05-09.json --set lease.price_per_gpu_hour=2.2");

  return {cmd, [o] { return run_check(*o); }};
}

}  // namespace leasecalc::cli
