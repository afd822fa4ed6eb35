// report: every figure of a scenario.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/whatif.hpp"
#include "leasecalc/model/errors.hpp"

namespace leasecalc::cli {
namespace {

void run_report(const ScenarioOptions& o, bool brief) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  std::ostringstream text;
  {  // the scenario and the report go before the text is written out (10,000 tenants)
    Scenario s = load(o);
    const Basis basis = basis_option(o, s);
    Report report = brief ? brief_report(build_report(s, basis), Model(s, basis))
                          : build_report(std::move(s), basis);
    write_report(text, report, format, style_for(o.output));
  }
  emit(o.output, std::move(text).str(), format);
}

}  // namespace

Command add_report(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto brief = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "report", "Every figure of a scenario, as a table with the tag of each figure");
  add_scenario_options(cmd, *o, "table", "table, csv, tsv, json or md");
  add_keys_option(cmd,
                  "The key column in a table under 100 columns wide too (default: off there: the "
                  "labels stay whole; --wide shows every column)");
  cmd->add_flag(
      "--brief", *brief,
      "The headline figures and the figures their formulas name, nothing else (default: off)");
  cmd->footer(
      "Examples:\n"
      "  leasecalc report --brief                          # the headline and what it reads\n"
      "  leasecalc report --set lease.occupancy=0.85       # a what-if from the shell\n"
      "  leasecalc report data/scenarios/colossus1-ipo.json --format csv -o ipo.csv");

  return {cmd, exits_zero([o, brief] { run_report(*o, *brief); })};
}

}  // namespace leasecalc::cli
