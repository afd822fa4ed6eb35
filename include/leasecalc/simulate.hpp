// Uncertainty: Monte Carlo over ranged inputs (`simulate`) and one-at-a-time
// sensitivity (`tornado`), on the same formulas as `report`, on plain doubles.
//
// Every draw comes from a counter-based stream: draw k of input j in sample i is a
// function of (seed, i, j, k) only, so a sample is the same whichever thread computes it
// and results are byte-identical for any thread count. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "leasecalc/calc.hpp"
#include "leasecalc/keys.hpp"

namespace leasecalc {

// A distribution's constants, computed once per input rather than once per draw.
struct Shape {
  Dist dist = Dist::triangular;
  double lo = 0, hi = 0;
  double split = 0;            // triangular: the CDF at the mode
  double left = 0, right = 0;  // triangular: sqrt((hi-lo)(mode-lo)), sqrt((hi-lo)(hi-mode))
  double mean = 0, sd = 0;     // normal90; for lognormal90, of the logarithm
};
Shape shape_of(const Figure& f);

// An input with a range, and how to sample it (SPEC §3).
struct RangedInput {
  RangedInput(std::string k, Figure f, Domain d, std::string l = "")
      : key(std::move(k)),
        label(std::move(l)),
        figure(std::move(f)),
        domain(d),
        shape(shape_of(figure)) {}
  std::string key;
  std::string label;  // the figure's label, for charts
  Figure figure;      // value, low, high, dist, tag
  Domain domain;      // draws outside it are drawn again (a truncated distribution)
  Shape shape;
};

// SPEC §13's tag ranges: the half-width w of the range an input with no low/high gets,
// value x (1 -/+ w), by its tag: exact 0, primary 0.02, reported 0.10, estimate 0.20,
// assumption and ai-prior 0.30; the scenario's "tag_ranges" overrides these.
double tag_range_width(const Scenario& scenario, Tag tag);
// Gives every input without a range its tag range (none for w = 0 or a value of 0). The
// range is cut to the input's domain (a share of 0.9 at w 0.3 runs 0.63 to 1), and a
// count's ends are whole. Returns the keys that got one.
std::vector<std::string> apply_tag_ranges(Scenario& scenario, Basis basis);

// The inputs of a scenario that have low/high, in report order.
std::vector<RangedInput> ranged_inputs(Scenario& scenario, Basis basis);
// Their keys, in the same order: the inputs of an Evaluator.
std::vector<std::string> keys_of(const std::vector<RangedInput>& inputs);

// A uniform double in (0, 1) for draw k (< 1024) of input j (< 1024) in sample i (< 2^44):
// output number i·2^20 + j·2^10 + k of SplitMix64 started from the hashed seed. Every draw
// has its own index, so any sample can be computed alone, on any thread.
double uniform01(std::uint64_t seed, std::uint64_t sample, std::uint64_t input, std::uint64_t draw);

// The standard normal quantile (inverse CDF), |relative error| < 1.2e-9 (Acklam).
double normal_quantile(double p);

// Maps a uniform u in (0, 1) to the input's distribution: triangular (mode = value),
// uniform, normal90 or lognormal90 (low and high are the 5th and 95th percentiles).
double quantile(const Figure& f, double u);
double quantile(const Shape& s, double u);

// The value of input j in sample i: redrawn (up to 1,000 times) until it lies in the
// input's domain. Throws std::runtime_error when a range leaves the domain almost surely.
double draw(const RangedInput& in, std::uint64_t seed, std::uint64_t sample, std::uint64_t j);

struct Summary {
  std::size_t samples = 0;  // defined ones; undefined (NaN) samples are left out
  double mean = 0, sd = 0, p5 = 0, p50 = 0, p95 = 0;
};

// Mean and sample standard deviation (compensated sums over fixed blocks of 65,536
// values, merged in order), and p5, p50 and p95 as exact order statistics with linear
// interpolation between them (Hyndman-Fan type 7, as numpy and Excel's PERCENTILE.INC).
// Undefined (NaN) values are left out. Reorders `values`; throws std::runtime_error on an
// infinity. simulate_summary runs the same code on the samples it draws.
Summary summarize(std::vector<double>& values);

// The whole of `simulate` for one output, in parallel and in O(n) memory: samples into
// one buffer, moments per fixed block of samples merged in block order (so the sums do
// not depend on `threads`), then the percentiles. Throws std::runtime_error when a sample
// overflows to an infinity.
Summary simulate_summary(const Model& model, const std::vector<RangedInput>& inputs,
                         std::uint64_t seed, std::size_t n, std::size_t output_index,
                         unsigned threads);

// Calls row(sample, values) for each sample in order: the ranged inputs' values, then
// the outputs' (by index). For --samples-out; stops when row returns false.
template <class F>
void for_each_sample(const Model& model, const std::vector<RangedInput>& inputs, std::uint64_t seed,
                     std::size_t n, const std::vector<std::size_t>& outputs, F&& row);

struct Swing {
  const RangedInput* input = nullptr;
  double at_low = 0, at_high = 0;
  double swing() const { return at_high > at_low ? at_high - at_low : at_low - at_high; }
};

// One-at-a-time: each ranged input at its low and at its high, the others at their
// values; sorted by swing, largest first (ties keep report order). `base` is the target
// with every input at its value.
std::vector<Swing> tornado(const Model& model, const std::vector<RangedInput>& inputs,
                           std::size_t output_index, double& base);

// --- implementation of the template ---

template <class F>
void for_each_sample(const Model& model, const std::vector<RangedInput>& inputs, std::uint64_t seed,
                     std::size_t n, const std::vector<std::size_t>& outputs, F&& row) {
  Evaluator eval(model, keys_of(inputs), outputs);
  std::vector<double> values(inputs.size() + outputs.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      values[j] = draw(inputs[j], seed, i, j);
      eval.set(j, values[j]);
    }
    const std::vector<double>& out = eval.run();
    for (std::size_t k = 0; k < outputs.size(); ++k)
      values[inputs.size() + k] = out[outputs[k]];
    if (!row(i, static_cast<const std::vector<double>&>(values))) return;
  }
}

}  // namespace leasecalc
