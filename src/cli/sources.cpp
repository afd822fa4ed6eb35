// sources: figures grouped by source and tag; what is stale; what to confirm next.
#include <fmt/format.h>

#include <chrono>
#include <sstream>
#include "common.hpp"
#include "leasecalc/model/errors.hpp"

#include "leasecalc/calc/report.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::cli {
namespace {

struct SourcesOptions {
  std::vector<std::string> tags;
  std::string below, source, older_than, as_of, rank;
  bool tag_ranges = false;
};

Tag tag_option(std::string_view option, const std::string& text) {
  if (auto t = parse_tag(text)) return *t;
  throw UsageError(
      fmt::format("{}: {}", option, unknown_choice("tag", text, names_of(tag_names()))));
}

std::string today() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{now};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// The newest date among a row's sources, or "" when none of them is dated.
std::string newest_date(const Row& r, const Scenario& s) {
  std::string newest;
  for (const auto& id : r.sources)
    if (const Source* src = s.find_source(id); src && src->date > newest) newest = src->date;
  return newest;
}

// sources --rank KEY: the inputs not yet primary, by how far each moves KEY over its range.
void run_rank(const ScenarioOptions& o, const SourcesOptions& so, Format format) {
  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  if (so.tag_ranges) apply_tag_ranges(s, basis);
  const Model model(s, basis);
  const std::size_t target = output_indices(model, {so.rank}).front();
  const Report report = build_report(s, basis);
  std::vector<RangedInput> ranged;
  std::vector<const Row*> unranged;
  for (auto& in : ranged_inputs(s, basis))
    if (in.figure.tag > Tag::primary) ranged.push_back(in);
  for (const auto& r : report.rows)
    if (!r.derived && r.tag > Tag::primary && !r.low) unranged.push_back(&r);
  double base = 0;
  const std::vector<Swing> swings = tornado(model, ranged, target, base);
  std::ostringstream text;
  write_rank(text, report, *report.find(so.rank), base, swings, unranged, format,
             style_for(o.output));
  emit(o.output, text.str(), format);
}

void run_sources(const ScenarioOptions& o, const SourcesOptions& so) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  if (!so.rank.empty()) return run_rank(o, so, format);
  if (so.tag_ranges) throw UsageError("--tag-ranges: only with --rank");
  std::vector<Tag> tags;
  for (const auto& t : so.tags)
    tags.push_back(tag_option("--tag", t));
  std::optional<Tag> below;
  if (!so.below.empty()) below = tag_option("--below", so.below);
  std::optional<long> max_age;
  if (!so.older_than.empty())
    max_age = static_cast<long>(count_option("--older-than", so.older_than));
  const std::string as_of = so.as_of.empty() ? today() : so.as_of;
  if (!is_date(as_of))
    throw UsageError(fmt::format("--as-of: must be a date as YYYY-MM-DD, got \"{}\"", as_of));
  if (!so.as_of.empty() && !max_age) throw UsageError("--as-of: only with --older-than");

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
  Report report = build_report(s, basis);
  // Staleness: the newest source date behind each input, said in its note.
  if (max_age)
    for (auto& r : report.rows) {
      if (r.derived || r.sources.empty()) continue;
      const std::string newest = newest_date(r, s);
      const std::string age =
          newest.empty()
              ? "no dated source"
              : fmt::format("{} days old (newest source {}, as of {})",
                            days_since_epoch(as_of) - days_since_epoch(newest), newest, as_of);
      r.note = r.note.empty() ? age : age + "; " + r.note;
    }
  auto keep = [&](const Row& r) {
    if (!tags.empty() && std::find(tags.begin(), tags.end(), r.tag) == tags.end()) return false;
    if (below && r.tag <= *below) return false;
    if (max_age) {
      if (r.sources.empty()) return false;  // nothing to go stale: exact or an assumption
      const std::string newest = newest_date(r, s);
      if (!newest.empty() && days_since_epoch(as_of) - days_since_epoch(newest) <= *max_age)
        return false;
    }
    return true;
  };
  const bool filtered = !tags.empty() || below || max_age;
  std::ostringstream text;
  write_sources(text,
                group_by_source(report, filtered ? std::function<bool(const Row&)>(keep) : nullptr,
                                so.source),
                s, format, style_for(o.output));
  emit(o.output, text.str(), format);
}

}  // namespace

Command add_sources(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto so = std::make_shared<SourcesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sources", "Figures grouped by source and tag: the list to confirm when a filing lands");
  add_scenario_options(cmd, *o, "table", "table, csv, tsv, json or md");
  cmd->add_option("--tag", so->tags,
                  "Only inputs of this tag, e.g. reported or ai-prior; repeatable (default: every "
                  "tag)")
      ->type_name("TAG")
      ->allow_extra_args(false);
  cmd->add_option("--below", so->below,
                  "Only inputs weaker than this tag: --below primary lists what a filing could "
                  "confirm (default: every tag)")
      ->type_name("TAG");
  cmd->add_option("--source", so->source,
                  "Only the figures citing this source id (default: every source)")
      ->type_name("ID");
  cmd->add_option("--older-than", so->older_than,
                  "Only inputs whose newest source is more than DAYS old, or undated (default: "
                  "any age)")
      ->type_name("DAYS");
  cmd->add_option("--as-of", so->as_of, "The date --older-than counts from (default: today)")
      ->type_name("DATE");
  cmd->add_option("--rank", so->rank,
                  "What to confirm next: the inputs not yet primary, ordered by how far each moves "
                  "KEY over its range (default: no ranking)")
      ->type_name("KEY");
  cmd->add_flag(
      "--tag-ranges", so->tag_ranges,
      "With --rank: an input with no range gets one by its tag (primary 2%, reported 10%, "
      "estimate 20%, assumption and ai-prior 30%, exact 0; default: "
      "off)");
  cmd->footer(
      "Examples:\n"
      "  leasecalc sources --below primary                 # what a filing could confirm\n"
      "  leasecalc sources --rank breakeven.coverage --tag-ranges\n"
      "  leasecalc sources --older-than 180 --as-of 2026-11-22");

  return {cmd, exits_zero([o, so] { run_sources(*o, *so); })};
}

}  // namespace leasecalc::cli
