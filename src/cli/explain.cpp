// explain: how one figure was computed.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/whatif.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::cli {
namespace {

void run_explain(const ScenarioOptions& o, const std::string& key) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  const Model model(s, basis);
  const Report report = build_report(s, basis);
  const auto e = explain(report, model, key);
  if (!e) {
    std::vector<std::string> keys;
    for (const auto& r : report.rows)
      keys.push_back(r.key);
    const std::string hint = suggestion(key, keys);
    throw UsageError(
        fmt::format("explain: unknown figure key \"{}\"{}; `leasecalc report` lists "
                    "every key",
                    key, hint));
  }
  std::ostringstream text;
  write_explain(text, *e, format, style_for(o.output));
  emit(o.output, text.str(), format);
}

}  // namespace

Command add_explain(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto key = std::make_shared<std::string>();
  CLI::App* cmd =
      app.add_subcommand("explain", "How one figure was computed, with the inputs behind it");
  cmd->add_option("key", *key, "The figure key, e.g. lease.annual_revenue")
      ->type_name("KEY")
      ->required();
  add_scenario_options(cmd, *o, "table", "table, csv, tsv, json or md");
  cmd->footer(
      "Examples:\n"
      "  leasecalc explain lease.annual_revenue\n"
      "  leasecalc explain breakeven.price --set lease.occupancy=0.9\n"
      "  leasecalc explain fleet.share_h100e --basis units --format json");

  return {cmd, exits_zero([o, key] { run_explain(*o, *key); })};
}

}  // namespace leasecalc::cli
