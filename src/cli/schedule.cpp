// schedule: the contract period by period (README "Costs, margin and the contract").
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/calc/schedule.hpp"
#include "leasecalc/model/errors.hpp"

namespace leasecalc::cli {
namespace {

struct ScheduleOptions {
  ScenarioOptions scenario;
  std::string period = "quarter";
  std::string out;
  std::string by;                      // "tenant": a row per tenant
  bool flows = false, equity = false;  // the investment's (equity's) flows as date,amount
};

void run_schedule(const ScheduleOptions& o) {
  const Format format = format_option(
      o.scenario.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  const Period period = period_option(o.period, "schedule: ");
  Scenario s = load(o.scenario);
  const Basis basis = basis_option(o.scenario, s);
  const Model model(s, basis);
  const std::vector<std::string> keys =
      o.out.empty() ? std::vector<std::string>{} : split_keys(o.out);
  if (!o.by.empty() && o.by != "tenant")
    throw UsageError("schedule: --by: " + unknown_choice("grouping", o.by, {"tenant"}));
  if (o.equity && !o.flows) throw UsageError("schedule: --equity goes with --flows");
  if (o.flows) {
    if (!o.out.empty() || !o.by.empty() || o.period != "quarter")
      throw UsageError("schedule: --flows writes date,amount: not with --out, --by or --period");
    if (format != Format::csv && format != Format::tsv && o.scenario.format != "table")
      throw UsageError("schedule --flows: --format csv or tsv");
    with_context("schedule: ", [&] { require_flows(model, o.equity); });
    const std::string sep = format == Format::tsv ? "\t" : ",";
    const auto flows = build_flows(model, o.equity);
    std::string text = (model.start().empty() ? "period" : "date") + sep + "amount\n";
    for (const auto& f : flows)
      text += f.date + sep + plain_number(f.amount) + "\n";
    emit(o.scenario.output, text, format);
    return;
  }
  with_context("schedule: ", [&] { require_schedule(model, keys, !o.by.empty()); });
  std::ostringstream text;
  write_schedule(text, build_schedule(model, s.name, period, keys, !o.by.empty()), format,
                 style_for(o.scenario.output));
  emit(o.scenario.output, text.str(), format);
}

}  // namespace

Command add_schedule(CLI::App& app) {
  auto o = std::make_shared<ScheduleOptions>();
  CLI::App* cmd = app.add_subcommand(
      "schedule", "The contract period by period: revenue, costs, cash and its present value");
  cmd->add_option("--period", o->period, "month, quarter or year")
      ->type_name("PERIOD")
      ->capture_default_str();
  cmd->add_option("--out", o->out,
                  "Columns, comma-separated: online, gpu_hours, revenue, opex, depreciation, "
                  "ebitda, ebit, cash, cumulative_cash, pv_cash; with debt and tax: interest, "
                  "principal, debt_service, balance, tax, equity_tax, equity_cash, dscr "
                  "(default: all)")
      ->type_name("KEY,...");
  cmd->add_option("--by", o->by,
                  "tenant: with several tenants, a row per tenant (its online share, GPU-hours "
                  "and revenue) before each period's total (default: totals only)")
      ->type_name("tenant");
  cmd->add_flag("--flows", o->flows,
                "The investment's cash flows as date,amount CSV: capex on the start date, each "
                "month's cash on the first day of the next, the terminal value with the last "
                "(for leasecalc cashflows or a spreadsheet's XIRR; default: off)");
  cmd->add_flag("--equity", o->equity,
                "With --flows: the equity's flows (after debt service and its tax; the debt "
                "left repaid from the terminal value; default: off)");
  add_scenario_options(cmd, o->scenario, "table", "table, csv, tsv, json or md");
  cmd->footer(
      "Examples:\n"
      "  leasecalc schedule data/scenarios/neocloud-build.json\n"
      "  leasecalc schedule data/scenarios/neocloud-build.json --period year --format csv\n"
      "  leasecalc schedule data/scenarios/neocloud-build.json --flows | leasecalc cashflows - "
      "--per month --rate 0.12");
  return {cmd, exits_zero([o] { run_schedule(*o); })};
}

}  // namespace leasecalc::cli
