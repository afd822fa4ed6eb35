// sweep: a grid over inputs, streamed row by row in constant memory.
#include <fmt/format.h>

#include <cmath>
#include "common.hpp"
#include "leasecalc/errors.hpp"

#include "leasecalc/keys.hpp"
#include "leasecalc/output.hpp"
#include "leasecalc/report.hpp"
#include "leasecalc/whatif.hpp"

namespace leasecalc::cli {
namespace {

constexpr std::size_t k_default_max_rows = 100'000'000;

struct SweepOptions {
  std::vector<std::string> vary;
  std::string out = "lease.annual_revenue";
  std::string max_rows = std::to_string(k_default_max_rows);
};

void run_sweep(const ScenarioOptions& o, const SweepOptions& so) {
  const Format format = format_option(o.format, {Format::csv, Format::tsv, Format::jsonl});
  Scenario s = load(o);
  std::vector<Axis> axes;
  for (const auto& text : so.vary) {
    auto parsed = parse_axis(text);
    if (auto* why = std::get_if<std::string>(&parsed)) throw UsageError("--vary " + *why);
    Axis a = std::get<Axis>(parsed);
    for (const auto& prev : axes)
      if (prev.key == a.key) throw UsageError(fmt::format("--vary {}: varied twice", a.key));
    // Both ends must be allowed values; the grid lies between them. Applying START as
    // an override also rejects an unknown key, with a "did you mean".
    apply(s, "--vary " + text, Override{a.key, a.start, Tag::assumption, {}, {}});
    if (const std::string why = domain_for_key(a.key).check(a.at(a.count - 1)); !why.empty())
      throw UsageError(fmt::format("--vary {}: {}", text, why));
    axes.push_back(std::move(a));
  }
  if (const std::string why = check_consistency(s); !why.empty())
    throw UsageError("--vary: " + why);
  const Basis basis = basis_option(o, s);
  const Model model(s, basis);
  auto made = Sweep::make(model, axes, split_keys(so.out));
  if (auto* why = std::get_if<std::string>(&made)) throw UsageError(*why);
  const Sweep& sweep = std::get<Sweep>(made);
  const std::size_t max_rows = count_option("--max-rows", so.max_rows);
  if (sweep.rows() > max_rows)
    throw UsageError(
        fmt::format("the grid has {} rows, above the limit of {}; raise it with "
                    "--max-rows",
                    sweep.rows(), so.max_rows));

  // Provenance, once: units and tags of every column, from one tracked evaluation.
  const Report report = build_report(s, basis);
  std::vector<std::string> columns;
  std::vector<const Row*> figures;
  for (const auto& a : sweep.axes())
    columns.push_back(a.key);
  for (const auto& k : sweep.outs())
    columns.push_back(k);
  for (const auto& c : columns)
    figures.push_back(report.find(c));

  Output out(o.output);
  RowWriter writer(
      format, figures, [&](std::string_view chunk) { out.write(chunk); }, axes.size());
  std::size_t n = 0;
  sweep.run([&](const std::vector<double>& values) {
    for (std::size_t j = axes.size(); j < values.size(); ++j)  // axis values are checked already
      if (std::isinf(values[j]))
        throw InputError(s.file,
                         fmt::format("{} overflows at row {} of the sweep", columns[j], n + 1));
    writer.row(values);
    ++n;
    return !out.closed();
  });
  writer.flush();
  out.commit();
}

}  // namespace

Command add_sweep(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto so = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "A grid over one or more inputs, streamed row by row in constant memory");
  add_scenario_options(cmd, *o, "csv", "csv, tsv or jsonl");
  cmd->add_option("--vary", so->vary, "KEY=START:STOP:STEP, inclusive, repeatable")
      ->required()
      ->type_name("KEY=START:STOP:STEP")
      ->allow_extra_args(false);
  cmd->add_option("--out", so->out, "Comma-separated figure keys to write")
      ->type_name("KEY,...")
      ->capture_default_str();
  cmd->add_option("--max-rows", so->max_rows, "Refuse a larger grid, before any output")
      ->type_name("N")
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  leasecalc sweep --vary lease.price_per_gpu_hour=2:3.2:0.2 --out "
      "lease.annual_revenue,breakeven.coverage\n"
      "  leasecalc sweep --vary lease.occupancy=0.5:1:0.1 --vary lease.price_per_gpu_hour=2:4:0.5 "
      "-o grid.csv\n"
      "  leasecalc sweep --vary lease.discount=0:0.3:0.05 --format jsonl");

  return {cmd, exits_zero([o, so] { run_sweep(*o, *so); })};
}

}  // namespace leasecalc::cli
