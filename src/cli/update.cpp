// update: filing day (README "Filing day"): write the scenario with figures confirmed or revised.
#include <fmt/format.h>

#include <iostream>
#include <optional>
#include <sstream>
#include "common.hpp"
#include "leasecalc/calc/report.hpp"
#include "leasecalc/cli/output.hpp"
#include "leasecalc/load/loader.hpp"
#include "leasecalc/load/update.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::cli {
namespace {

struct UpdateOptions {
  std::string scenario, output, format = "table";
  std::vector<std::string> sets, notes;
  bool in_place = false;
  std::string source, title, date, kind;
  std::vector<std::string> figure_notes, ranges, drop_ranges;  // --note, --range, --drop-range
  std::string as_of;
};

// "KEY=TEXT" of --note and "KEY=LOW:HIGH" of --range: the key, checked as an input of the
// scenario, and the rest.
std::pair<std::string, std::string> key_and_rest(const Scenario& s, const std::string& option,
                                                 const std::string& text, const char* form) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(fmt::format("{} \"{}\": write it as {}", option, text, form));
  const std::string key = text.substr(0, eq);
  with_context(option + ": ", [&] { require_input(s, key); });
  return {key, text.substr(eq + 1)};
}

// A figure confirmed (primary or exact) that keeps its note: the note was written before the
// filing, and may say what the filing settles ("no dollar figure ... confirmed"). Said once
// on stderr per figure, with the way to replace or drop it.
void warn_stale_notes(const Scenario& before, const Scenario& after, const Update& update) {
  for (const Override& o : update.sets) {
    if (!o.tag || (*o.tag != Tag::primary && *o.tag != Tag::exact)) continue;
    if (std::any_of(update.figures.begin(), update.figures.end(),
                    [&](const FigureEdit& e) { return e.key == o.key && e.note; }))
      continue;
    const Figure* f = figure_for_key(before, o.key);
    if (!f || f->note.empty()) continue;
    std::string when = before.as_of.empty() ? "" : " of " + before.as_of;
    if (!o.sources.empty())
      if (const Source* src = after.find_source(o.sources.front()); src && !src->date.empty()) {
        if (!before.as_of.empty() && src->date > before.as_of)
          when += fmt::format(", older than {} ({})", src->id, src->date);
      }
    std::cerr << fmt::format(
        "leasecalc: note: {} is confirmed {} but keeps its note{}: \"{}\"; --note {}=TEXT "
        "replaces it, --note {}= drops it\n",
        o.key, tag_name(*o.tag), when, f->note, o.key, o.key);
  }
}

int run_update(const UpdateOptions& o) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  if (o.in_place == !o.output.empty())
    throw UsageError("update: give -o NEW or --in-place (one of them): where the new file goes");
  if (o.in_place && o.scenario == "-") throw UsageError("update: --in-place needs a file, not -");
  const std::string target = o.in_place ? o.scenario : o.output;
  if (target == "-") throw UsageError("update: -o needs a file: the diff goes to standard output");

  // --in-place: one update at a time on a file; a second waits, then reads what the first
  // wrote and applies its changes on top (README "Reliability").
  std::optional<FileLock> lock;
  if (o.in_place) lock.emplace(o.scenario);
  const std::string text = read_input_file(o.scenario);
  const Catalog catalog = bundled_catalog();
  const Scenario before = load_scenario(text, input_label(o.scenario), catalog);
  say_notices(before.notices);
  Scenario after = before;

  // A new source, declared as a file would.
  std::optional<NewSource> source;
  if (!o.source.empty()) {
    if (key_segment(o.source) != o.source)
      throw UsageError(
          fmt::format("--source \"{}\": an id is letters, digits, '_' and '-'", o.source));
    if (after.find_source(o.source)) {
      if (!o.title.empty() || !o.date.empty() || !o.kind.empty())
        throw UsageError(
            fmt::format("--source {}: already declared; --title, --date and --kind "
                        "declare a new one",
                        o.source));
    } else {
      if (o.title.empty())
        throw UsageError(fmt::format("--source {}: a new source needs --title", o.source));
      if (!o.date.empty() && !is_date(o.date))
        throw UsageError(fmt::format("--date: must be a date as YYYY-MM-DD, got \"{}\"", o.date));
      source = NewSource{o.source, o.title, o.date, o.kind};
      after.sources.push_back({o.source, o.title, "", o.date, o.kind, ""});
    }
  } else if (!o.title.empty() || !o.date.empty() || !o.kind.empty()) {
    throw UsageError("--title, --date and --kind describe a --source ID");
  }

  // Each --set, validated as everywhere; without :SOURCE it cites --source.
  std::vector<Override> sets;
  for (const auto& t : o.sets) {
    Override ov = with_context("--set ", [&] { return parse_override(t); });
    if (ov.sources.empty() && !o.source.empty() && ov.text.empty()) ov.sources = {o.source};
    apply(after, "--set " + t, ov);
    sets.push_back(std::move(ov));
  }
  with_context("--set: ", [&] { check_consistency(after); });

  Update update{std::move(sets), {}, o.as_of, source};
  if (!o.as_of.empty() && !is_date(o.as_of))
    throw UsageError(fmt::format("--as-of: must be a date as YYYY-MM-DD, got \"{}\"", o.as_of));
  for (const auto& t : o.figure_notes) {
    auto [key, note] = key_and_rest(before, "--note", t, "KEY=TEXT (KEY= drops the note)");
    FigureEdit e;
    e.key = key;
    e.note = note;
    update.figures.push_back(std::move(e));
  }
  for (const auto& t : o.ranges) {
    auto [key, range] = key_and_rest(before, "--range", t, "KEY=LOW:HIGH, such as 1.7T:2.2T");
    const auto colon = range.find(':');
    if (colon == std::string::npos)
      throw UsageError(
          fmt::format("--range \"{}\": write it as KEY=LOW:HIGH, such as 1.7T:2.2T", t));
    auto end = [&](const std::string& number) {  // parsed as --set parses a value
      return with_context("--range ", [&] { return parse_override(key + "=" + number); }).value;
    };
    FigureEdit e;
    e.key = key;
    e.range = std::pair{end(range.substr(0, colon)), end(range.substr(colon + 1))};
    update.figures.push_back(std::move(e));
  }
  for (const auto& key : o.drop_ranges) {
    with_context("--drop-range: ", [&] { require_input(before, key); });
    FigureEdit e;
    e.key = key;
    e.drop_range = true;
    update.figures.push_back(std::move(e));
  }

  const std::string updated =
      with_context("update: ", [&] { return update_text(text, before, update); });

  // Everything is checked in memory before a byte is written (README "Reliability"): the
  // new text must load and compute, and the notes must load. An error names the --set
  // behind it, not a place in a file that was never written.
  auto named = [&](const InputError& e) -> UsageError {
    for (std::size_t i = 0; i < update.sets.size(); ++i) {
      const Figure* f = figure_for_key(before, update.sets[i].key);
      if ((f && !f->pointer.empty() && e.where().pointer.starts_with(f->pointer)) ||
          e.message().find(update.sets[i].key) != std::string::npos)
        return UsageError(fmt::format("update: --set {}: {}", o.sets[i], e.message()));
    }
    return UsageError(fmt::format("update: the new file would not load: {}", e.message()));
  };
  std::optional<Scenario> written;
  std::optional<Report> a, b;
  try {
    written = load_scenario(updated, target, catalog);
    a = build_report(before, before.basis);
    b = build_report(*written, written->basis);
  } catch (const InputError& e) {
    throw named(e);
  }
  std::ostringstream shown;
  write_diff(shown, diff_reports(*a, *b), input_label(o.scenario), target, format, style_for(""));
  bool fails = false;
  if (!o.notes.empty()) {
    const auto old_checks = check_notes(o.notes, [&](const Note&) { return before; });
    const auto new_checks = check_notes(o.notes, [&](const Note&) { return *written; });
    shown << '\n';
    write_flips(shown, *old_checks, *new_checks, style_for(""));
    fails = new_checks->failed;
  }

  // The new file goes to a temporary one first; the diff to standard output; only then is
  // the file renamed into place, so a failure on either leaves the target as it was.
  Output out(target, /*may_be_an_input=*/o.in_place);
  out.write(updated);
  emit("", shown.str(), format);
  // An editor that does not take the lock may still have saved the file meanwhile: its
  // change is not overwritten.
  if (o.in_place && read_input_file(o.scenario) != text)
    throw OutputError(
        fmt::format("{} changed while update ran: nothing written; run the update "
                    "again on the new file",
                    o.scenario));
  out.commit();
  warn_stale_notes(before, after, update);  // once the file is written, not before a refusal
  return static_cast<int>(fails ? ExitCode::check_failed : ExitCode::success);
}

}  // namespace

Command add_update(CLI::App& app) {
  auto o = std::make_shared<UpdateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "update", "Filing day: write the scenario with figures confirmed or revised, and the diff");
  cmd->add_option("scenario", o->scenario, "The scenario file to update")
      ->type_name("FILE")
      ->required();
  cmd->add_option("--set", o->sets,
                  "A figure's new value, tag and source: KEY=VALUE[@TAG[:SOURCE]], repeatable; "
                  "without :SOURCE it cites --source")
      ->type_name("KEY=VALUE[@TAG[:SOURCE]]")
      ->allow_extra_args(false);
  cmd->add_option("--source", o->source, "The source the changes cite (default: none)")
      ->type_name("ID");
  cmd->add_option("--title", o->title, "Declares --source anew with this title (default: none)")
      ->type_name("TEXT");
  cmd->add_option("--date", o->date, "The new source's date, YYYY-MM-DD (default: none)")
      ->type_name("DATE");
  cmd->add_option("--kind", o->kind, "The new source's kind, such as primary (default: none)")
      ->type_name("KIND");
  cmd->add_option("--note", o->figure_notes,
                  "A figure's new note: KEY=TEXT, repeatable; KEY= drops it (default: the "
                  "notes stay)")
      ->type_name("KEY=TEXT")
      ->allow_extra_args(false);
  cmd->add_option("--range", o->ranges,
                  "A figure's new range: KEY=LOW:HIGH, repeatable; a --set's value must lie "
                  "in it (default: the ranges stay)")
      ->type_name("KEY=LOW:HIGH")
      ->allow_extra_args(false);
  cmd->add_option("--drop-range", o->drop_ranges,
                  "Drop a figure's range (low, high and dist), repeatable (default: none)")
      ->type_name("KEY")
      ->allow_extra_args(false);
  cmd->add_option("--as-of", o->as_of, "The file's new as_of date, YYYY-MM-DD (default: kept)")
      ->type_name("DATE");
  cmd->add_option("-o,--output", o->output,
                  "Write the new scenario to FILE, atomically (default: none; or --in-place)")
      ->type_name("FILE")
      ->check(non_empty_path());
  cmd->add_flag("--in-place", o->in_place,
                "Replace the scenario file itself, atomically (default: off; or -o)");
  cmd->add_option("--notes", o->notes,
                  "Notes whose claims to re-check: lists the claims whose verdict changed; exit "
                  "1 if any now fails, as check (default: none)")
      ->type_name("NOTE")
      ->allow_extra_args(false);
  cmd->add_option("--format", o->format, "The diff's format: table, csv, tsv, json or md")
      ->type_name("FORMAT")
      ->capture_default_str();
  add_layout_options(cmd);
  cmd->footer(
      "Examples:\n"
      "  leasecalc update data/scenarios/colossus1-ipo.json -o filed.json --source s1 --title "
      "\"S-1 (what-if)\" --date 2026-06-15 --kind primary --set valuation=1.85T@primary\n"
      "  leasecalc update data/scenarios/colossus1-lease.json -o filed.json --set "
      "lease.start=2026-06-01 --notes data/notes/yk-2026-05-09.json\n"
      "  leasecalc update filed.json --in-place --set lease.occupancy=0.95@estimate:yk-2026-05-09");
  return {cmd, [o] { return run_update(*o); }};
}

}  // namespace leasecalc::cli
