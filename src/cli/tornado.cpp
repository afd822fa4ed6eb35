// tornado: one-at-a-time sensitivity of a figure to every ranged input.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/model/errors.hpp"

#include "leasecalc/calc/report.hpp"

namespace leasecalc::cli {
namespace {

void run_tornado(const ScenarioOptions& o, const std::string& target) {
  const Format format = format_option(
      o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md, Format::svg});
  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  const std::vector<RangedInput> inputs = ranged_or_fail(s, basis, o.tag_ranges);
  const Model model(s, basis);
  const std::size_t i = output_indices(model, {target}).front();
  const Report report = build_report(s, basis);
  double base = 0;
  const std::vector<Swing> swings = tornado(model, inputs, i, base);
  std::ostringstream text;
  write_tornado(text, *report.find(target), base, swings, format, style_for(o.output));
  emit(o.output, text.str(), format);
}

}  // namespace

Command add_tornado(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto target = std::make_shared<std::string>("lease.annual_revenue");
  CLI::App* cmd = app.add_subcommand(
      "tornado", "Sensitivity of one figure to every ranged input, largest swing first");
  add_scenario_options(cmd, *o, "table", "table, csv, tsv, json, md or svg");
  add_tag_ranges_option(cmd, o->tag_ranges);
  cmd->add_option("--target", *target, "The figure to explain")
      ->type_name("KEY")
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  leasecalc tornado --target breakeven.coverage\n"
      "  leasecalc tornado tests/scenarios/nebula.json --format svg -o tornado.svg");

  return {cmd, exits_zero([o, target] { run_tornado(*o, *target); })};
}

}  // namespace leasecalc::cli
