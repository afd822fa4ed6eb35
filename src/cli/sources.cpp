// sources: figures grouped by source and tag.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/errors.hpp"

#include "leasecalc/report.hpp"
#include "leasecalc/text.hpp"

namespace leasecalc::cli {
namespace {

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

}  // namespace

Command add_sources(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto so = std::make_shared<SourcesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sources", "Figures grouped by source and tag: the list to confirm when a filing lands");
  add_scenario_options(cmd, *o, "table", "table, csv, tsv, json or md");
  cmd->add_option("--tag", so->tag,
                  "Only inputs of this tag, e.g. reported or ai-prior (default: every tag)")
      ->type_name("TAG");
  cmd->add_option("--source", so->source,
                  "Only the figures citing this source id (default: every source)")
      ->type_name("ID");
  cmd->footer(
      "Examples:\n"
      "  leasecalc sources\n"
      "  leasecalc sources --tag reported                  # what a filing could confirm\n"
      "  leasecalc sources --source mirae-2026-05-08");

  return {cmd, exits_zero([o, so] { run_sources(*o, *so); })};
}

}  // namespace leasecalc::cli
