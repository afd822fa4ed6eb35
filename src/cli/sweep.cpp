// sweep: a grid over inputs, streamed row by row in constant memory.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <memory>
#include <sstream>
#include <thread>
#include "common.hpp"
#include "leasecalc/model/errors.hpp"

#include "leasecalc/calc/report.hpp"
#include "leasecalc/calc/whatif.hpp"
#include "leasecalc/cli/output.hpp"
#include "leasecalc/model/keys.hpp"

namespace leasecalc::cli {
namespace {

constexpr std::size_t k_default_max_rows = 100'000'000;

struct SweepOptions {
  std::vector<std::string> vary;
  std::string out = "lease.annual_revenue";
  std::string max_rows = std::to_string(k_default_max_rows);
  bool pivot = false;
};

// A spreadsheet's sheet: 1,048,576 rows and 16,384 columns.
constexpr std::size_t k_pivot_rows = 1'048'575, k_pivot_columns = 16'383;

// sweep --pivot: the grid held whole, then written as a two-way table.
void write_pivot_table(const ScenarioOptions& o, const Sweep& sweep, const Report& report,
                       const std::string& file) {
  const Format format =
      format_option(o.format, {Format::csv, Format::tsv, Format::json, Format::md, Format::table});
  const Axis& down = sweep.axes()[0];
  const Axis& across = sweep.axes()[1];
  if (down.count > k_pivot_rows || across.count > k_pivot_columns)
    throw UsageError(fmt::format(
        "sweep --pivot: {} rows by {} columns, beyond a spreadsheet's {} by {}; write the long "
        "format (without --pivot)",
        down.count, across.count, k_pivot_rows, k_pivot_columns));
  Pivot p{report.find(sweep.outs()[0]), report.find(down.key), report.find(across.key), {}, {}, {}};
  for (std::size_t i = 0; i < down.count; ++i)
    p.down_values.push_back(down.at(i));
  for (std::size_t j = 0; j < across.count; ++j)
    p.across_values.push_back(across.at(j));
  p.values.reserve(sweep.rows());
  std::size_t n = 0;
  sweep.run([&](const std::vector<double>& values) {
    if (std::isinf(values[2]))
      throw InputError(file, fmt::format("{} overflows at row {} of the sweep", p.out->key, n + 1));
    p.values.push_back(values[2]);
    ++n;
    return true;
  });
  std::ostringstream text;
  write_pivot(text, p, format, style_for(o.output));
  emit(o.output, text.str(), format);
}

void write_rows(const Sweep& sweep, Format format, const std::vector<const Row*>& figures,
                const std::string& file, Output& out);

void run_sweep(const ScenarioOptions& o, const SweepOptions& so) {
  if (so.pivot && (so.vary.size() != 2 || split_keys(so.out).size() != 1))
    throw UsageError(fmt::format(
        "sweep --pivot: exactly two --vary (the first down, the second across) and one --out; "
        "got {} and {}",
        so.vary.size(), split_keys(so.out).size()));
  const Format format =
      so.pivot ? Format::csv : format_option(o.format, {Format::csv, Format::tsv, Format::jsonl});
  Scenario s = load(o);
  std::vector<Axis> axes;
  for (const auto& text : so.vary) {
    Axis a = with_context("--vary ", [&] { return parse_axis(text); });
    for (const auto& prev : axes)
      if (prev.key == a.key) throw UsageError(fmt::format("--vary {}: varied twice", a.key));
    // Both ends must be allowed values; the grid lies between them. Applying START as
    // an override also rejects an unknown key, with a "did you mean".
    apply(s, "--vary " + text, Override{a.key, a.start, Tag::assumption, {}, {}, {}, {}});
    with_context(fmt::format("--vary {}: ", text),
                 [&] { domain_for_key(a.key).require(a.at(a.count - 1)); });
    // A whole-number input (a count, months) takes whole steps: 1.5 months would be
    // refused by --set and in a file, so it is not computed either.
    if (domain_for_key(a.key).whole && std::floor(a.step) != a.step)
      throw UsageError(
          fmt::format("--vary {}: {} is a whole number, so its step must be one too, got {}", text,
                      a.key, plain_number(a.step)));
    axes.push_back(std::move(a));
  }
  with_context("--vary: ", [&] { check_consistency(s); });
  const Basis basis = basis_option(o, s);
  const Model model(s, basis);
  const Sweep sweep = Sweep::make(model, axes, split_keys(so.out));
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
  if (so.pivot) {
    write_pivot_table(o, sweep, report, s.file);
    return;
  }

  Output out(o.output);
  RowWriter head(
      format, figures, [&](std::string_view chunk) { out.write(chunk); }, axes.size());
  head.flush();
  write_rows(sweep, format, figures, s.file, out);
  out.commit();
}

// The rows, formatted on every core and written in order: the grid is cut into chunks
// of k_chunk rows; in each round every thread formats one chunk into its own buffer, then
// the calling thread writes the round's chunks in order. Memory stays a few MB whatever
// the grid; the output is the same bytes as one thread writes.
constexpr std::size_t k_chunk = 16384;

void write_rows(const Sweep& sweep, Format format, const std::vector<const Row*>& figures,
                const std::string& file, Output& out) {
  const std::size_t rows = sweep.rows(), axes = sweep.axes().size();
  const std::size_t chunks = (rows + k_chunk - 1) / k_chunk;
  const auto threads = static_cast<unsigned>(std::clamp<std::size_t>(
      std::thread::hardware_concurrency(), 1, std::max<std::size_t>(chunks, 1)));
  struct Worker {
    std::string text;
    std::unique_ptr<RowWriter> writer;
    std::exception_ptr error;
  };
  std::vector<Worker> workers(threads);
  for (auto& w : workers)
    w.writer = std::make_unique<RowWriter>(
        format, figures, [&w](std::string_view chunk) { w.text.append(chunk); }, axes, false);
  auto format_chunk = [&](Worker& w, std::size_t c) {
    w.text.clear();
    w.error = nullptr;
    const std::size_t begin = c * k_chunk, end = std::min(rows, begin + k_chunk);
    if (begin >= end) return;
    std::size_t n = begin;
    try {
      sweep.run_range(begin, end, [&](const std::vector<double>& values) {
        for (std::size_t j = axes; j < values.size(); ++j)  // axis values are checked already
          if (std::isinf(values[j]))
            throw InputError(
                file, fmt::format("{} overflows at row {} of the sweep", figures[j]->key, n + 1));
        w.writer->row(values);
        ++n;
        return true;
      });
    } catch (...) {
      w.error = std::current_exception();
    }
    w.writer->flush();
  };
  std::atomic<bool> stop{false};
  std::barrier sync(static_cast<std::ptrdiff_t>(threads));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t round = 0;; ++round) {
        format_chunk(workers[t], round * threads + t);
        sync.arrive_and_wait();  // the round is formatted
        sync.arrive_and_wait();  // and written
        if (stop) return;
      }
    });
  std::exception_ptr failed;
  for (std::size_t round = 0; !stop; ++round) {
    format_chunk(workers[0], round * threads);
    sync.arrive_and_wait();
    for (auto& w : workers) {
      if (!failed && !out.closed()) out.write(w.text);
      if (w.error && !failed) failed = w.error;
    }
    if (failed || out.closed() || (round + 1) * threads >= chunks) stop = true;
    sync.arrive_and_wait();
  }
  for (auto& t : pool)
    t.join();
  if (failed) std::rethrow_exception(failed);
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
  cmd->add_flag("--pivot", so->pivot,
                "A two-way data table: exactly two --vary (the first down, the second across) "
                "and one --out; formats csv, tsv, json, md and table (default: off, the long "
                "format)");
  cmd->add_option("--max-rows", so->max_rows, "Refuse a larger grid, before any output")
      ->type_name("N")
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  leasecalc sweep --vary lease.price_per_gpu_hour=2:3.2:0.2 --out "
      "lease.annual_revenue,breakeven.coverage\n"

      "  leasecalc sweep data/scenarios/neocloud-build.json --vary lease.occupancy=0.7:1:0.1 "
      "--vary lease.price_per_gpu_hour.H200=2:3:0.5 --out contract.npv --pivot");

  return {cmd, exits_zero([o, so] { run_sweep(*o, *so); })};
}

}  // namespace leasecalc::cli
