// simulate: Monte Carlo over the ranged inputs.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>
#include <thread>
#include "common.hpp"
#include "leasecalc/model/errors.hpp"

#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/schedule.hpp"
#include "leasecalc/cli/output.hpp"

namespace leasecalc::cli {
namespace {

struct SimulateOptions {
  std::string samples = "100000";
  std::string seed;  // empty: a random one, printed
  std::string threads;
  std::string out = "lease.annual_revenue";
  std::string samples_out;
  std::string max_samples = "100000000";
  std::vector<std::string> probs;  // --prob KEY>=T, repeatable
  bool sensitivity = false;
  std::string sort = "share";
  std::string legend = "full";
  bool schedule = false;
  std::string period = "quarter";
};

// "breakeven.coverage>=1": the output key, the comparison and the threshold, which may be
// written in the units the tool prints ("85%", "5B").
std::pair<std::string, Threshold> parse_prob(const std::string& text) {
  static const std::pair<const char*, Compare> ops[] = {
      {">=", Compare::ge}, {"<=", Compare::le}, {">", Compare::gt}, {"<", Compare::lt}};
  for (const auto& [op, cmp] : ops) {
    const auto at = text.find(op);
    if (at == std::string::npos || at == 0) continue;
    const std::string value = text.substr(at + std::string_view(op).size());
    const double n =
        with_context(fmt::format("--prob {}: ", text), [&] { return parse_cli_number(value); });
    return {text.substr(0, at), Threshold{cmp, n}};
  }
  throw UsageError(fmt::format(
      "--prob {}: expected KEY>=T, KEY<=T, KEY>T or KEY<T, such as breakeven.coverage>=1", text));
}

// The most memory the samplers' draws may take, all threads together (README "Hardening").
constexpr double k_max_draw_bytes = 4e9;

void run_simulate(const ScenarioOptions& o, const SimulateOptions& so) {
  const Format format = format_option(
      o.format, {Format::table, Format::csv, Format::tsv, Format::json, Format::md, Format::svg});
  const std::size_t n = count_option("--samples", so.samples);
  const std::size_t max = count_option("--max-samples", so.max_samples);
  if (n == 0) throw UsageError("--samples: at least 1");
  if (n > max)
    throw UsageError(
        fmt::format("--samples {} is above the limit of {}; raise it with --max-samples "
                    "(a guard on time: 1e8 samples take seconds)",
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
  Simulation sim;
  sim.seed = seed;
  sim.legend = so.legend == "none"    ? Legend::none
               : so.legend == "short" ? Legend::brief
                                      : Legend::full;
  sim.inputs = ranged_or_fail(s, basis, o.tag_ranges);
  const std::vector<RangedInput>& inputs = sim.inputs;
  {  // Each thread draws a block at a time: ranged inputs x min(samples, 65,536) doubles.
    const std::size_t block = std::min<std::size_t>(n, BlockSampler::block);
    const std::size_t used =
        std::min<std::size_t>(threads, (n + BlockSampler::block - 1) / BlockSampler::block);
    const double bytes = 8.0 * static_cast<double>(inputs.size() * block * used);
    if (bytes > k_max_draw_bytes)
      throw UsageError(fmt::format(
          "{} ranged inputs, {} samples a block and {} thread{} need {:.1f} GB for their "
          "draws, over the limit of {:.1f} GB; use fewer --samples (a block holds at most "
          "{}) or fewer --threads",
          grouped(static_cast<double>(inputs.size()), 0), grouped(static_cast<double>(block), 0),
          used, used == 1 ? "" : "s", bytes / 1e9, k_max_draw_bytes / 1e9,
          grouped(static_cast<double>(BlockSampler::block), 0)));
  }
  const Model model(s, basis);
  sim.correlations = resolve_correlations(s, inputs);
  const Correlator correlator(inputs.size(), sim.correlations);
  const Report report = build_report(s, basis);
  const Style style = style_for(o.output);
  auto failed = [&](std::string_view what, const std::runtime_error& e) {
    return InputError(s.file, fmt::format("{} in the simulation: {}", what, e.what()));
  };

  if (so.schedule) {  // cumulative cash per period, over the samples
    if (!so.probs.empty() || so.sensitivity || !so.samples_out.empty())
      throw UsageError("--schedule: not with --prob, --sensitivity or --samples-out");
    const Period period = period_option(so.period, "");
    with_context("simulate --schedule: ", [&] { require_schedule(model, {"cumulative_cash"}); });
    for (const auto& in : inputs)
      // The lease terms and the tail set the periods; a loan's term does not.
      if ((in.key.starts_with("lease.") && in.key.ends_with("term_months")) ||
          in.key == "tail.until_months")
        throw UsageError(fmt::format(
            "simulate --schedule: {} has a range, so the periods would differ from sample to "
            "sample; fix it with --set {}={}",
            in.key, in.key, plain_number(in.figure.value)));
    const Schedule plan = build_schedule(model, s.name, period, {"cumulative_cash"});
    if (n > max / std::max<std::size_t>(1, plan.rows.size()))
      throw UsageError(
          fmt::format("--samples {} over {} periods is above the limit of {} values; raise it with "
                      "--max-samples (each period keeps 8 bytes a sample)",
                      n, plan.rows.size(), max));
    CashFan fan;
    fan.scenario = s.name;
    fan.tag = plan.tags.front();
    std::vector<int> ends;
    int month = 0;
    for (const auto& row : plan.rows) {
      month += row.months;
      ends.push_back(month - 1);
      fan.periods.push_back(row.label);
      fan.months.push_back(row.months);
    }
    try {
      fan.cash = simulate_cumulative_cash(model, inputs, correlator, seed, n, ends, threads);
    } catch (const std::runtime_error& e) {
      throw failed("contract.cumulative_cash", e);
    }
    std::ostringstream text;
    write_cash_fan(text, sim, fan, format, style);
    emit(o.output, text.str(), format);
    return;
  }

  const std::vector<std::size_t> outs = output_indices(model, split_keys(so.out));
  std::vector<std::pair<std::string, Threshold>> probs;
  for (const auto& p : so.probs) {
    probs.push_back(parse_prob(p));
    if (std::find_if(outs.begin(), outs.end(), [&](std::size_t i) {
          return model.outputs()[i].key == probs.back().first;
        }) == outs.end())
      throw UsageError(fmt::format("--prob {}: {} is not among the --out keys ({})", p,
                                   probs.back().first, so.out));
  }
  sim.probabilities = !probs.empty();
  sim.sensitivity = so.sensitivity;
  if ((format == Format::csv || format == Format::tsv) && sim.probabilities && sim.sensitivity)
    throw UsageError(fmt::format(
        "--format {} holds one table: --prob or --sensitivity, not both (json holds both)",
        format_name(format)));

  if (!so.samples_out.empty()) {  // the raw samples, streamed: an audit trail
    // Refused before a sample is drawn: the two outputs would overwrite each other.
    std::error_code ec;
    if (!o.output.empty() && o.output != "-" &&
        std::filesystem::weakly_canonical(o.output, ec) ==
            std::filesystem::weakly_canonical(so.samples_out, ec))
      throw UsageError(fmt::format(
          "{}: written twice by this command: give each output its own file", o.output));
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
    for_each_sample(model, inputs, correlator, seed, n, outs,
                    [&](std::size_t i, const std::vector<double>& v) {
                      row[0] = static_cast<double>(i);
                      std::copy(v.begin(), v.end(), row.begin() + 1);
                      writer.row(row);
                      return true;
                    });
    writer.flush();
    raw.commit();
  }

  for (std::size_t i : outs) {
    SummaryRequest request;
    request.sensitivity = so.sensitivity;
    request.sort_by_rho = so.sort == "rho";
    request.histogram_bins = format == Format::svg ? 60 : 0;
    for (const auto& [key, t] : probs)
      if (key == model.outputs()[i].key) request.thresholds.push_back(t);
    try {
      sim.rows.push_back(
          {report.find(model.outputs()[i].key),
           simulate_summary(model, inputs, correlator, seed, n, i, threads, request)});
    } catch (const std::runtime_error& e) {
      throw failed(model.outputs()[i].key, e);
    }
  }
  std::ostringstream text;
  write_simulation(text, sim, format, style);
  emit(o.output, text.str(), format);
}

}  // namespace

Command add_simulate(CLI::App& app) {
  auto o = std::make_shared<ScenarioOptions>();
  auto so = std::make_shared<SimulateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "simulate", "Monte Carlo over the inputs that have low/high: mean, sd, p5, p50, p95");
  add_scenario_options(
      cmd, *o, "table",
      "table, csv, tsv, json, md or svg (histograms; with --schedule a fan chart)");
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
      ->type_name("FILE")
      ->check(non_empty_path());
  cmd->add_option("--prob", so->probs,
                  "The probability that an output meets a threshold, with its Monte Carlo "
                  "standard error: KEY>=T, KEY<=T, KEY>T or KEY<T; repeatable (default: none)")
      ->type_name("'KEY>=T'");
  cmd->add_flag("--sensitivity", so->sensitivity,
                "Each ranged input's Spearman rank correlation with each output and its share "
                "of variance (standardized rank regression), the largest share first (default: "
                "off)");
  cmd->add_option("--sort", so->sort,
                  "With --sensitivity: inputs by their share of variance (share) or by "
                  "|Spearman's rho| (rho)")
      ->type_name("share|rho")
      ->check(CLI::IsMember({"share", "rho"}))
      ->capture_default_str();
  cmd->add_option("--legend", so->legend,
                  "Under an svg chart: every ranged input with its range (full), their keys "
                  "only (short), or none")
      ->type_name("full|short|none")
      ->check(CLI::IsMember({"full", "short", "none"}))
      ->capture_default_str();
  cmd->add_flag("--schedule", so->schedule,
                "Cumulative cash at the end of each period: p5, p50 and p95 over the samples "
                "(default: off; needs lease.term_months)");
  cmd->add_option("--period", so->period, "With --schedule: month, quarter or year")
      ->type_name("PERIOD")
      ->capture_default_str();
  cmd->add_option("--max-samples", so->max_samples, "Refuse more samples than this")
      ->type_name("N")
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  leasecalc simulate --samples 1000000 --seed 42 --out "
      "lease.annual_revenue,breakeven.coverage\n"
      "  leasecalc simulate data/scenarios/neocloud-build.json --out contract.npv --sensitivity "
      "--prob 'contract.npv>=0'\n"
      "  leasecalc simulate data/scenarios/neocloud-build.json --schedule --set "
      "lease.term_months=48 --format svg -o fan.svg");

  return {cmd, exits_zero([o, so] { run_simulate(*o, *so); })};
}

}  // namespace leasecalc::cli
