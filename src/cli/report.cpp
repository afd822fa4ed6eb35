// report: every figure of a scenario.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/calc/report.hpp"
#include "leasecalc/model/errors.hpp"

namespace leasecalc::cli {
namespace {

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

}  // namespace

Command add_report(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Every figure of a scenario, as a table with the tag of each figure");
  add_scenario_options(cmd, *o, "table", "table, csv, tsv, json or md");
  add_keys_option(cmd,
                  "The key column in a table under 100 columns wide too (default: off there: the "
                  "labels stay whole; --wide shows every column)");
  cmd->footer(
      "Examples:\n"
      "  leasecalc report                                  # the bundled Colossus 1 lease\n"
      "  leasecalc report --set lease.occupancy=0.85       # a what-if from the shell\n"
      "  leasecalc report data/scenarios/colossus1-ipo.json --format csv -o ipo.csv");

  return {cmd, exits_zero([o] { run_report(*o); })};
}

}  // namespace leasecalc::cli
