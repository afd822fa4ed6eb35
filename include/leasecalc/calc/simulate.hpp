// Uncertainty: Monte Carlo over ranged inputs (`simulate`) and one-at-a-time
// sensitivity (`tornado`), on the same formulas as `report`, on plain doubles.
//
// Every draw comes from a counter-based stream: draw k of input j in sample i is a
// function of (seed, i, j, k) only, so a sample is the same whichever thread computes it
// and results are byte-identical for any thread count. Pure: no I/O.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "leasecalc/calc/calc.hpp"
#include "leasecalc/model/keys.hpp"

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

// An input with a range, and how to sample it (README "Scenario files").
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

// README "Filing day" tag ranges: the half-width w of the range an input with no low/high gets,
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

// --- correlation (Iman-Conover) ---

// A rank correlation between two ranged inputs (indices into the inputs).
struct RankCorrelation {
  std::size_t a = 0, b = 0;
  double rank = 0;
};

// The scenario's "correlations" resolved to ranged inputs. Throws InputError (at the
// entry's place in the file) when a key is not an input, has no range, or the matrix is
// not positive semi-definite (naming the pair most at fault, see psd_fault).
std::vector<RankCorrelation> resolve_correlations(const Scenario& scenario,
                                                  const std::vector<RangedInput>& inputs);

// Whether a set of rank correlations can hold together, and if not, why: their matrix (1 on the
// diagonal, 0 for a pair not given) has a negative eigenvalue. With v the eigenvector of the
// smallest, v'Cv = sum of 2 v_a v_b rho_ab over the pairs plus |v|^2: the pair whose term
// is most negative is the one most at fault.
struct PsdFault {
  std::size_t pair = 0;   // index into the pairs
  double eigenvalue = 0;  // the smallest
};
// An answer that may be absent, as irr() is (nothing when the matrix is PSD): not an
// error; resolve_correlations turns a fault into an InputError at the pair.
std::optional<PsdFault> psd_fault(std::size_t inputs, const std::vector<RankCorrelation>& pairs);

// Imposes rank correlations on independent draws by the Iman-Conover method, in chunks
// of 8,192 samples of each block: each correlated input's draws are only reordered, so its
// distribution is exactly the one drawn (a truncated range, a whole count), and the reordering
// follows a matrix of normal scores made to have the target correlations through Cholesky factors.
// The target for the scores is 2 sin(pi rho / 6), the Pearson correlation of two normals whose rank
// correlation is rho.
class Correlator {
 public:
  Correlator() = default;
  Correlator(std::size_t inputs, const std::vector<RankCorrelation>& pairs);
  bool empty() const { return involved_.empty(); }
  // Reorders columns[j][0, m) for each correlated input j.
  void apply(const std::vector<double*>& columns, std::size_t m) const;

 private:
  void apply_chunk(const std::vector<double*>& columns, std::size_t m) const;
  std::vector<std::size_t> involved_;  // the inputs in some pair, ascending
  std::vector<double> factor_;         // lower Cholesky factor of the scores' target, row-major
};

// --- simulation ---

// A condition on an output for --prob: KEY>=T, KEY<=T, KEY>T or KEY<T.
enum class Compare { ge, le, gt, lt };
struct Threshold {
  Compare op = Compare::ge;
  double value = 0;
  bool holds(double x) const {
    switch (op) {
      case Compare::ge:
        return x >= value;
      case Compare::le:
        return x <= value;
      case Compare::gt:
        return x > value;
      case Compare::lt:
        return x < value;
    }
    return false;
  }
};
const char* compare_text(Compare op);  // ">=", ...

// What to compute besides the moments and percentiles.
struct SummaryRequest {
  std::vector<Threshold> thresholds;
  bool sensitivity = false;
  bool sort_by_rho = false;        // sensitivity by |Spearman's rho|; default by share
  std::size_t histogram_bins = 0;  // 0: no histogram; at most this many bins
  // How simulate_summary finds the percentiles of a long run in constant memory (the
  // defaults; tests make them small to exercise every path): the first `pilot_blocks`
  // blocks are kept, and a run no longer is summarized from them; beyond, a window of
  // values around each percentile is gathered, at most `gather_budget` values a window.
  std::size_t pilot_blocks = 4;
  std::size_t gather_budget = std::size_t{1} << 20;
};

struct Probability {
  Threshold threshold;
  double p = 0, se = 0;  // the share of defined samples meeting it; sqrt(p (1 - p) / n)
};

// An input's sampled sensitivity: its Spearman rank correlation with the output and its
// share of variance, standardized rank regression coefficient squared over the sum of
// all squared (so the shares add to 1; for independent inputs the squares add to r2).
struct InputSensitivity {
  std::size_t input = 0;
  double spearman = 0, share = 0;
};

struct Histogram {
  double lo = 0, hi = 0;             // the bins cover [lo, hi]
  std::vector<std::size_t> counts;   // equal widths
  std::size_t below = 0, above = 0;  // samples outside
  double min = 0, max = 0;           // the least and greatest sample
  // Every sample a whole number (months, GPUs): the bins are whole numbers wide, each
  // centred on one, [k - 0.5, k + 0.5) for width 1.
  bool whole = false;
};

struct Summary {
  // Defined samples; undefined (NaN) ones are left out. With none, every figure below is
  // NaN (undefined, not 0), a --prob too; with one, sd and the standard errors are.
  std::size_t samples = 0;
  double mean = 0, sd = 0, p5 = 0, p50 = 0, p95 = 0;
  // Standard errors: of the mean sd / sqrt(n); of a percentile, half the width of its
  // binomial order-statistic interval, the order statistics np -/+ sqrt(n p (1 - p)).
  double se_mean = 0, se_p5 = 0, se_p50 = 0, se_p95 = 0;
  std::vector<Probability> probabilities;
  std::vector<InputSensitivity> sensitivity;  // largest share first (or |spearman|)
  double r2 = 0;                              // of the rank regression
  std::size_t sensitivity_samples = 0;        // the first ones: at most 1,048,576
  Histogram histogram;
};

// Mean and sample standard deviation (compensated sums over fixed blocks of 65,536
// values, merged in order), and p5, p50 and p95 as exact order statistics with linear
// interpolation between them (Hyndman-Fan type 7, as numpy and Excel's PERCENTILE.INC).
// Undefined (NaN) values are left out. Reorders `values`; throws std::runtime_error on an
// infinity. simulate_summary runs the same code on the samples it draws.
Summary summarize(std::vector<double>& values, const SummaryRequest& request = {});

// The whole of `simulate` for one output, in parallel and in memory that does not grow
// with n: moments per fixed block of samples merged in block order (so the sums do not
// depend on `threads`), then the percentiles as exact order statistics. A run of up to
// pilot_blocks blocks is kept and summarized as `summarize` does. A longer one keeps only
// that pilot: from it, a window of values around each percentile is chosen; one pass
// over every sample counts the values below each window and gathers those in it. A
// percentile whose rank falls outside its window (rare) is found by further passes, each
// drawing and evaluating the samples again from their indices: a bucket count narrows
// its bracket until the bracket's values fit the budget and are gathered. The answer is
// the same bits as from a buffer of all n. Correlations and sensitivity work on the same
// blocks. Throws std::runtime_error when a sample overflows to an infinity.
Summary simulate_summary(const Model& model, const std::vector<RangedInput>& inputs,
                         const Correlator& correlator, std::uint64_t seed, std::size_t n,
                         std::size_t output_index, unsigned threads,
                         const SummaryRequest& request = {});

// Cumulative cash at the end of each period (period_ends: 0-based contract months,
// ascending), over n samples: one summary per period.
std::vector<Summary> simulate_cumulative_cash(const Model& model,
                                              const std::vector<RangedInput>& inputs,
                                              const Correlator& correlator, std::uint64_t seed,
                                              std::size_t n, const std::vector<int>& period_ends,
                                              unsigned threads);

// Calls row(sample, values) for each sample in order: the ranged inputs' values, then
// the outputs' (by index). For --samples-out; stops when row returns false.
template <class F>
void for_each_sample(const Model& model, const std::vector<RangedInput>& inputs,
                     const Correlator& correlator, std::uint64_t seed, std::size_t n,
                     const std::vector<std::size_t>& outputs, F&& row);

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

// The ranged inputs' values for a block of samples, correlated: column j holds input j's.
class BlockSampler {
 public:
  // `samples`: how many a run draws, so that a short run of many ranged inputs (10,000
  // tenants' prices) holds columns of its length, not of a whole block each.
  BlockSampler(const std::vector<RangedInput>& inputs, const Correlator& correlator,
               std::uint64_t seed, std::size_t samples);
  static constexpr std::size_t block = 1 << 16;  // samples per block
  // Draws samples [begin, end), end - begin <= block.
  void draw(std::size_t begin, std::size_t end);
  const double* column(std::size_t j) const { return columns_[j].data(); }
  // Sets the evaluator's inputs (the same ranged inputs, in order) to the block's sample
  // at `offset`.
  void feed(Evaluator& eval, std::size_t offset) const;

 private:
  const std::vector<RangedInput>& inputs_;
  const Correlator& correlator_;
  std::uint64_t key_;
  std::vector<std::vector<double>> columns_;
  std::vector<double*> pointers_;
};

template <class F>
void for_each_sample(const Model& model, const std::vector<RangedInput>& inputs,
                     const Correlator& correlator, std::uint64_t seed, std::size_t n,
                     const std::vector<std::size_t>& outputs, F&& row) {
  Evaluator eval(model, keys_of(inputs), outputs);
  BlockSampler sampler(inputs, correlator, seed, n);
  std::vector<double> values(inputs.size() + outputs.size());
  for (std::size_t begin = 0; begin < n; begin += BlockSampler::block) {
    const std::size_t end = std::min(n, begin + BlockSampler::block);
    sampler.draw(begin, end);
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = 0; j < inputs.size(); ++j) {
        values[j] = sampler.column(j)[i - begin];
        eval.set(j, values[j]);
      }
      const std::vector<double>& out = eval.run();
      for (std::size_t k = 0; k < outputs.size(); ++k)
        values[inputs.size() + k] = out[outputs[k]];
      if (!row(i, static_cast<const std::vector<double>&>(values))) return;
    }
  }
}

}  // namespace leasecalc
