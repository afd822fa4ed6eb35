// solve: goal seek, the input value that makes a figure hit a target.
#include <fmt/format.h>

#include <sstream>
#include "common.hpp"
#include "leasecalc/model/errors.hpp"

#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/whatif.hpp"
#include "leasecalc/model/keys.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::cli {
namespace {

struct SolveOptions {
  std::string target;
  std::string vary;
};

int run_solve(const ScenarioOptions& o, const SolveOptions& so) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  const auto eq = so.target.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(fmt::format(
        "--target \"{}\": expected KEY=VALUE, such as breakeven.coverage=1", so.target));
  const std::string target_key = so.target.substr(0, eq);
  const double target = with_context("--target " + target_key + ": ", [&] {
    return parse_cli_number(std::string_view(so.target).substr(eq + 1));
  });

  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  // The varied input must be settable; an absent optional one (a discount, a GPU model
  // not in the cluster) is added at a value of its domain, which the solve then varies.
  with_context("--vary: ", [&] { require_input(s, so.vary); });
  if (!build_report(s, basis).find(so.vary)) {
    apply(s, "--vary",
          Override{
              so.vary, domain_for_key(so.vary).whole ? 1 : 0.5, Tag::assumption, {}, {}, {}, {}});
    with_context("--vary: ", [&] { check_consistency(s); });
  }
  const Model model(s, basis);
  if (model.find_output(target_key) == Model::npos) {
    std::vector<std::string> keys;
    for (const auto& d : model.outputs())
      keys.push_back(d.key);
    const std::string hint = suggestion(target_key, keys);
    throw UsageError(fmt::format("--target: \"{}\" is not a computed figure{}", target_key, hint));
  }
  const Solution sol = solve(model, so.vary, target_key, target, allowed_values(s, so.vary));
  if (!sol.found)
    throw NoSolution(
        no_solution_text(sol, model.outputs()[model.find_output(target_key)], so.vary, target));
  std::ostringstream text;
  write_report(text, solve_report(s, basis, so.vary, target_key, target, sol), format,
               style_for(o.output));
  emit(o.output, text.str(), format);
  return static_cast<int>(ExitCode::success);
}

}  // namespace

Command add_solve(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto so = std::make_shared<SolveOptions>();
  CLI::App* cmd =
      app.add_subcommand("solve", "Goal seek: the input value that makes a figure hit a target");
  add_scenario_options(cmd, *o, "table", "table, csv, tsv, json or md");
  cmd->add_option("--target", so->target,
                  "The figure and the value it should take, e.g. breakeven.coverage=1")
      ->type_name("KEY=VALUE")
      ->required();
  cmd->add_option("--vary", so->vary, "The input to solve for, e.g. lease.occupancy")
      ->type_name("KEY")
      ->required();
  cmd->footer(
      "Examples:\n"
      "  leasecalc solve --target breakeven.coverage=1 --vary lease.price_per_gpu_hour\n"
      "  leasecalc solve --target lease.annual_revenue=4e9 --vary lease.occupancy\n"
      "  leasecalc solve --target breakeven.coverage=1 --vary cluster.gpus.GB200.count");

  return {cmd, [o, so] { return run_solve(*o, *so); }};
}

}  // namespace leasecalc::cli
