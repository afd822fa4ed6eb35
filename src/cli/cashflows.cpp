// cashflows: values a column of cash flows from a file or standard input (README "Cash
// flows").
#include <fmt/format.h>
#include <iostream>
#include <sstream>

#include "common.hpp"
#include "leasecalc/calc/cashflows.hpp"
#include "leasecalc/cli/output.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::cli {
namespace {

struct CashflowsOptions {
  std::string file = "-";
  std::string rate;
  std::string per = "year";
  std::string format = "table";
  std::string output;
};

void run_cashflows(const CashflowsOptions& o) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  const Period period = period_option(o.per, "cashflows: --per: ");
  const int per_year = period == Period::month ? 12 : period == Period::quarter ? 4 : 1;
  std::optional<double> rate;
  if (!o.rate.empty()) {
    rate = with_context("cashflows: --rate: ", [&] {
      const double r = parse_cli_number(o.rate);
      Domain::above(-1).require(r);  // as finance.discount_rate
      return r;
    });
  }
  const std::string label = input_label(o.file);
  const CashFlows flows = read_cashflows(read_input_file(o.file), label);
  const CashFlowFigures figures = analyse_cashflows(flows, rate, per_year);
  std::ostringstream text;
  write_cashflows(text, figures, label, format, style_for(o.output));
  emit(o.output, text.str(), format);
  write_cashflows_warning(std::cerr, figures, style_for(""));
}

}  // namespace

Command add_cashflows(CLI::App& app) {
  auto o = std::make_shared<CashflowsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "cashflows",
      "Values cash flows from a CSV: NPV, IRR and every rate with NPV 0, XNPV and XIRR by "
      "date, the multiple and the payback");
  cmd->add_option("file", o->file,
                  "CSV or TSV with a header of amount, period,amount or date,amount; - for "
                  "standard input")
      ->type_name("FILE|-")
      ->capture_default_str();
  cmd->add_option(
         "--rate", o->rate,
         "Annual discount rate for NPV and XNPV: 0.12 or 12% (default: none, no NPV or XNPV)")
      ->type_name("R");
  cmd->add_option("--per", o->per, "What a period is: month, quarter or year")
      ->type_name("PERIOD")
      ->capture_default_str();
  add_format_options(cmd, o->format, o->output, "table, csv, tsv, json or md");
  cmd->footer(
      "Examples:\n"
      "  leasecalc schedule data/scenarios/neocloud-build.json --flows | leasecalc cashflows - "
      "--per month --rate 0.12\n"
      "  leasecalc cashflows tests/cashflows/xirr.csv --rate 9%\n"
      "  leasecalc cashflows tests/cashflows/two-roots.csv --format json");
  return {cmd, exits_zero([o] { run_cashflows(*o); })};
}

}  // namespace leasecalc::cli
