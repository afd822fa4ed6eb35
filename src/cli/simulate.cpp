// simulate: Monte Carlo over the ranged inputs.
#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <sstream>
#include <thread>
#include "common.hpp"
#include "leasecalc/errors.hpp"

#include "leasecalc/output.hpp"
#include "leasecalc/report.hpp"

namespace leasecalc::cli {
namespace {

struct SimulateOptions {
  std::string samples = "100000";
  std::string seed;  // empty: a random one, printed
  std::string threads;
  std::string out = "lease.annual_revenue";
  std::string samples_out;
  std::string max_samples = "100000000";
};

void run_simulate(const ScenarioOptions& o, const SimulateOptions& so) {
  const Format format =
      format_option(o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md});
  const std::size_t n = count_option("--samples", so.samples);
  const std::size_t max = count_option("--max-samples", so.max_samples);
  if (n == 0) throw UsageError("--samples: at least 1");
  if (n > max)
    throw UsageError(
        fmt::format("--samples {} is above the limit of {}; raise it with --max-samples "
                    "(each output keeps 8 bytes a sample)",
                    n, max));
  std::uint64_t seed = 0;
  if (so.seed.empty()) {
    std::random_device rd;
    seed = ((std::uint64_t{rd()} << 32) ^ rd()) & ((std::uint64_t{1} << 53) - 1);
  } else {
    seed = count_option("--seed", so.seed);
  }
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (!so.threads.empty()) {
    const std::size_t t = count_option("--threads", so.threads);
    if (t == 0 || t > 256) throw UsageError("--threads: from 1 to 256");
    threads = static_cast<unsigned>(t);
  }
  Scenario s = load(o);
  const Basis basis = basis_option(o, s);
  const std::vector<RangedInput> inputs = ranged_or_fail(s, basis, o.tag_ranges);
  const Model model(s, basis);
  const std::vector<std::size_t> outs = output_indices(model, split_keys(so.out));
  const Report report = build_report(s, basis);

  if (!so.samples_out.empty()) {  // the raw samples, streamed: an audit trail
    Output raw(so.samples_out);
    Row sample;
    sample.key = "sample";
    std::vector<const Row*> columns{&sample};
    for (const auto& in : inputs)
      columns.push_back(report.find(in.key));
    for (std::size_t i : outs)
      columns.push_back(report.find(model.outputs()[i].key));
    RowWriter writer(Format::csv, columns, [&](std::string_view chunk) { raw.write(chunk); });
    std::vector<double> row(columns.size());
    for_each_sample(model, inputs, seed, n, outs, [&](std::size_t i, const std::vector<double>& v) {
      row[0] = static_cast<double>(i);
      std::copy(v.begin(), v.end(), row.begin() + 1);
      writer.row(row);
      return true;
    });
    writer.flush();
    raw.commit();
  }

  std::vector<SimulationRow> rows;
  for (std::size_t i : outs) {
    try {
      rows.push_back({report.find(model.outputs()[i].key),
                      simulate_summary(model, inputs, seed, n, i, threads)});
    } catch (const std::runtime_error& e) {
      throw InputError(s.file,
                       fmt::format("{} in the simulation: {}", model.outputs()[i].key, e.what()));
    }
  }
  std::ostringstream text;
  write_simulation(text, rows, seed, inputs, format, style_for(o.output));
  emit(o.output, text.str());
}

}  // namespace

Command add_simulate(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto so = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Monte Carlo over the inputs that have low/high: mean, sd, p5, p50, p95");
  add_scenario_options(cmd, *o, "table", "table, csv, tsv, json or md");
  add_tag_ranges_option(cmd, o->tag_ranges);
  cmd->add_option("--samples", so->samples, "Number of samples")
      ->type_name("N")
      ->capture_default_str();
  cmd->add_option("--seed", so->seed,
                  "Random seed, 0 to 2^53 (default: a random one, printed with the results)")
      ->type_name("S");
  cmd->add_option("--threads", so->threads,
                  "Threads (default: the machine's cores); results do not depend on it")
      ->type_name("N");
  cmd->add_option("--out", so->out, "Comma-separated output keys")
      ->type_name("KEY,...")
      ->capture_default_str();
  cmd->add_option("--samples-out", so->samples_out,
                  "Also write every sample (inputs and outputs) to this CSV file (default: none)")
      ->type_name("FILE");
  cmd->add_option("--max-samples", so->max_samples, "Refuse more samples than this")
      ->type_name("N")
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  leasecalc simulate --samples 1000000 --seed 42\n"
      "  leasecalc simulate --out lease.annual_revenue,breakeven.coverage --format csv\n"
      "  leasecalc simulate tests/scenarios/nebula.json --seed 7 --samples-out samples.csv");

  return {cmd, exits_zero([o, so] { run_simulate(*o, *so); })};
}

}  // namespace leasecalc::cli
