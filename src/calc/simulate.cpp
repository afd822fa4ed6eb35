#include "leasecalc/simulate.hpp"

#include "leasecalc/keys.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <thread>

namespace leasecalc {

std::vector<std::string> keys_of(const std::vector<RangedInput>& inputs) {
  std::vector<std::string> keys;
  for (const auto& r : inputs)
    keys.push_back(r.key);
  return keys;
}

double tag_range_width(const Scenario& scenario, Tag tag) {
  for (const auto& [t, w] : scenario.tag_ranges)
    if (t == tag) return w;
  switch (tag) {
    case Tag::exact:
      return 0;
    case Tag::primary:
      return 0.02;
    case Tag::reported:
      return 0.10;
    case Tag::estimate:
      return 0.20;
    case Tag::assumption:
    case Tag::ai_prior:
      return 0.30;
  }
  return 0;
}

std::vector<std::string> apply_tag_ranges(Scenario& scenario, Basis basis) {
  std::vector<std::string> keys;
  for (const auto& ref : input_figures(scenario, basis)) {
    Figure& f = *ref.figure;
    const double w = tag_range_width(scenario, f.tag);
    if (f.low || w == 0 || f.value == 0) continue;
    double lo = std::min(f.value * (1 - w), f.value * (1 + w));
    double hi = std::max(f.value * (1 - w), f.value * (1 + w));
    const Domain& d = ref.domain;
    if (d.whole) {
      lo = std::ceil(lo);
      hi = std::floor(hi);
    }
    // Cut to the domain: at its end when the end is allowed, else at the value.
    if (lo < d.min || (!d.min_inclusive && lo == d.min)) lo = d.min_inclusive ? d.min : f.value;
    if (d.max && (hi > *d.max || (!d.max_inclusive && hi == *d.max)))
      hi = d.max_inclusive ? *d.max : f.value;
    if (!(lo < hi)) continue;
    f.low = lo;
    f.high = hi;
    f.dist = Dist::triangular;
    keys.push_back(ref.key);
  }
  return keys;
}

std::vector<RangedInput> ranged_inputs(Scenario& scenario, Basis basis) {
  std::vector<RangedInput> out;
  for (const auto& ref : input_figures(scenario, basis))
    if (ref.figure->low) out.push_back({ref.key, *ref.figure, ref.domain, ref.label});
  return out;
}

namespace {
std::uint64_t mix(std::uint64_t z) {  // SplitMix64's finalizer
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
constexpr double k_z95 = 1.6448536269514722;  // the standard normal's 95th percentile
}  // namespace

namespace {
std::uint64_t stream_key(std::uint64_t seed) { return mix(seed + 0x9E3779B97F4A7C15ull); }
double uniform_at(std::uint64_t key, std::uint64_t sample, std::uint64_t input,
                  std::uint64_t draw) {
  const std::uint64_t index = (sample << 20) | (input << 10) | draw;
  const std::uint64_t x =
      mix(key + (index + 1) * 0x9E3779B97F4A7C15ull);       // SplitMix64 output #index
  return (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;  // never exactly 0 or 1
}
}  // namespace

double uniform01(std::uint64_t seed, std::uint64_t sample, std::uint64_t input,
                 std::uint64_t draw) {
  return uniform_at(stream_key(seed), sample, input, draw);
}

double normal_quantile(double p) {
  // Peter Acklam's rational approximation of the inverse normal CDF.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double low = 0.02425;
  if (p < low) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normal_quantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

Shape shape_of(const Figure& f) {
  Shape s;
  s.dist = f.dist;
  if (!f.low) return s;
  s.lo = *f.low;
  s.hi = *f.high;
  const double c = f.value;
  switch (f.dist) {
    case Dist::triangular:
      s.split = s.hi > s.lo ? (c - s.lo) / (s.hi - s.lo) : 0;
      s.left = std::sqrt((s.hi - s.lo) * (c - s.lo));
      s.right = std::sqrt((s.hi - s.lo) * (s.hi - c));
      break;
    case Dist::uniform:
      break;
    case Dist::normal90:
      s.mean = (s.lo + s.hi) / 2;
      s.sd = (s.hi - s.lo) / (2 * k_z95);
      break;
    case Dist::lognormal90:
      s.mean = (std::log(s.lo) + std::log(s.hi)) / 2;
      s.sd = (std::log(s.hi) - std::log(s.lo)) / (2 * k_z95);
      break;
  }
  return s;
}

double quantile(const Shape& s, double u) {
  switch (s.dist) {
    case Dist::uniform:
      return s.lo + u * (s.hi - s.lo);
    case Dist::triangular:
      // F^-1(u) = lo + sqrt(u (hi-lo)(mode-lo)) below the mode, hi - sqrt((1-u)(hi-lo)(hi-mode))
      // above
      return u < s.split ? s.lo + std::sqrt(u) * s.left : s.hi - std::sqrt(1 - u) * s.right;
    case Dist::normal90:
      return s.mean + s.sd * normal_quantile(u);
    case Dist::lognormal90:
      return std::exp(s.mean + s.sd * normal_quantile(u));
  }
  return s.lo;
}

double quantile(const Figure& f, double u) { return quantile(shape_of(f), u); }

namespace {
// draw() with the stream key computed: the first draw is nearly always in the domain.
inline double draw_keyed(const RangedInput& in, std::uint64_t key, std::uint64_t sample,
                         std::uint64_t j) {
  for (std::uint64_t k = 0; k < 1000; ++k) {  // k < 1024: each redraw has its own index
    double x = quantile(in.shape, uniform_at(key, sample, j, k));
    if (in.domain.whole) x = std::round(x);  // a count is a whole number of GPUs
    if (in.domain.contains(x)) return x;
  }
  throw std::runtime_error(
      fmt::format("{}: 1,000 draws in a row fell outside {}; its range does not "
                  "fit the values it may take",
                  in.key, in.domain.describe()));
}
}  // namespace

double draw(const RangedInput& in, std::uint64_t seed, std::uint64_t sample, std::uint64_t j) {
  return draw_keyed(in, stream_key(seed), sample, j);
}

namespace {

// Evaluates one output for a range of samples: the loop that simulate_output and
// simulate_summary share. Each instance owns its input slots, one per thread.
// Runs work(t) for t = 0 .. threads-1, t = 0 on the calling thread; rethrows the first
// error any of them threw.
template <class F>
void on_threads(unsigned threads, F&& work) {
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors(threads);
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&, t] {
      try {
        work(t);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  try {
    work(0u);
  } catch (...) {
    errors[0] = std::current_exception();
  }
  for (auto& th : pool)
    th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

class SampleRunner {
 public:
  SampleRunner(const Model& model, const std::vector<RangedInput>& inputs, std::uint64_t seed,
               std::size_t output_index)
      : inputs_(inputs),
        key_(stream_key(seed)),
        output_(output_index),
        eval_(model, keys_of(inputs), {output_index}) {}

  void run(std::size_t begin, std::size_t end, double* out) {
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = 0; j < inputs_.size(); ++j)
        eval_.set(j, draw_keyed(inputs_[j], key_, i, j));
      out[i] = eval_.run()[output_];
    }
  }

 private:
  const std::vector<RangedInput>& inputs_;
  std::uint64_t key_;
  std::size_t output_;
  Evaluator eval_;
};

}  // namespace

namespace {

// Count, mean and sum of squared deviations of a block; merged by Chan et al.'s formula.
struct Moments {
  double n = 0, mean = 0, m2 = 0;
  void merge(const Moments& b) {
    if (b.n == 0) return;
    const double total = n + b.n, delta = b.mean - mean;
    mean += delta * b.n / total;
    m2 += b.m2 + delta * delta * n * b.n / total;
    n = total;
  }
};

// One pass over a block: a compensated sum of the deviations from the block's first value
// (a shift that keeps the sum of squares well conditioned), and their squares; the
// moments about the block mean follow: m2 = sum d^2 - n (mean d)^2.
Moments block_moments(const double* x, std::size_t n, bool& infinite) {
  Moments m;
  double ref = 0;
  std::size_t first = 0;
  while (first < n && std::isnan(x[first]))
    ++first;
  if (first == n) return m;
  ref = x[first];
  double sum = 0, comp = 0, squares = 0, count = 0;
  for (std::size_t i = first; i < n; ++i) {
    const double v = x[i];
    if (std::isnan(v)) continue;
    if (std::isinf(v)) infinite = true;
    const double d = v - ref;
    const double t = sum + d;
    comp += std::fabs(sum) >= std::fabs(d) ? (sum - t) + d : (d - t) + sum;
    sum = t;
    squares += d * d;
    ++count;
  }
  const double mean_d = (sum + comp) / count;
  m.n = count;
  m.mean = ref + mean_d;
  m.m2 = std::max(0.0, squares - count * mean_d * mean_d);
  return m;
}

constexpr std::size_t k_block = 1 << 16;  // samples per block: 512 KiB, within L2

// The moments of n values (undefined NaN ones left out), block by block in order, so the
// sums are the same bits whichever thread computed each block. Throws on an infinity.
Moments all_moments(const std::vector<Moments>& blocks, const std::vector<char>& infinite) {
  if (std::find(infinite.begin(), infinite.end(), 1) != infinite.end())
    throw std::runtime_error("a sample overflows: the result is beyond the range of a double");
  Moments total;
  for (const auto& m : blocks)
    total.merge(m);
  return total;
}

// The summary from the moments and the values: the percentiles as exact order statistics
// with linear interpolation (Hyndman-Fan type 7). Reorders out[0, n).
Summary finish(const Moments& total, double* out, std::size_t n, unsigned threads) {
  Summary s;
  s.samples = static_cast<std::size_t>(total.n);
  if (s.samples == 0) return s;
  s.mean = total.mean;
  s.sd = s.samples > 1 ? std::sqrt(total.m2 / (total.n - 1)) : 0;
  std::size_t size = n;
  if (s.samples < n)  // leave out undefined samples
    size = static_cast<std::size_t>(
        std::remove_if(out, out + n, [](double x) { return std::isnan(x); }) - out);
  // The median partitions the samples; then p5 and p95 search their halves at once.
  auto at = [&](double p, std::size_t from, std::size_t to) {
    const double h = static_cast<double>(size - 1) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    std::nth_element(out + from, out + lo, out + to);
    const double x_lo = out[lo];
    if (lo + 1 >= size || h == std::floor(h)) return x_lo;
    const double x_hi = *std::min_element(out + lo + 1, out + to);
    return x_lo + (h - std::floor(h)) * (x_hi - x_lo);
  };
  const auto mid = static_cast<std::size_t>(std::floor(static_cast<double>(size - 1) * 0.5));
  s.p50 = at(0.5, 0, size);
  if (threads > 1) {
    std::thread upper([&] { s.p95 = at(0.95, mid, size); });
    s.p5 = at(0.05, 0, mid + 1);
    upper.join();
  } else {
    s.p5 = at(0.05, 0, mid + 1);
    s.p95 = at(0.95, mid, size);
  }
  return s;
}

}  // namespace

Summary summarize(std::vector<double>& values) {
  const std::size_t n = values.size();
  const std::size_t blocks = (n + k_block - 1) / k_block;
  std::vector<Moments> moments(blocks);
  std::vector<char> infinite(blocks, 0);
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t begin = b * k_block, end = std::min(n, begin + k_block);
    bool inf = false;
    moments[b] = block_moments(values.data() + begin, end - begin, inf);
    infinite[b] = inf;
  }
  return finish(all_moments(moments, infinite), values.data(), n, 1);
}

Summary simulate_summary(const Model& model, const std::vector<RangedInput>& inputs,
                         std::uint64_t seed, std::size_t n, std::size_t output_index,
                         unsigned threads) {
  // Uninitialized: the workers write every element, so there is no zero fill.
  std::unique_ptr<double[]> buffer(new double[n]);
  double* const out = buffer.get();
  const std::size_t blocks = (n + k_block - 1) / k_block;
  std::vector<Moments> moments(blocks);
  std::vector<char> infinite(blocks, 0);
  auto work = [&](unsigned t, unsigned count) {
    SampleRunner runner(model, inputs, seed, output_index);
    for (std::size_t b = t; b < blocks; b += count) {  // whole blocks: the same sums on any thread
      const std::size_t begin = b * k_block, end = std::min(n, begin + k_block);
      runner.run(begin, end, out);
      bool inf = false;
      moments[b] = block_moments(out + begin, end - begin, inf);
      infinite[b] = inf;
    }
  };
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(blocks)));
  on_threads(threads, [&](unsigned t) { work(t, threads); });
  return finish(all_moments(moments, infinite), out, n, threads);
}

std::vector<Swing> tornado(const Model& model, const std::vector<RangedInput>& inputs,
                           std::size_t output_index, double& base) {
  Evaluator eval(model, keys_of(inputs), {output_index});
  base = eval.run()[output_index];
  std::vector<Swing> swings;
  for (std::size_t j = 0; j < inputs.size(); ++j) {
    const RangedInput& r = inputs[j];
    Swing s;
    s.input = &r;
    eval.set(j, *r.figure.low);
    s.at_low = eval.run()[output_index];
    eval.set(j, *r.figure.high);
    s.at_high = eval.run()[output_index];
    eval.set(j, r.figure.value);
    swings.push_back(s);
  }
  std::stable_sort(swings.begin(), swings.end(),
                   [](const Swing& a, const Swing& b) { return a.swing() > b.swing(); });
  return swings;
}

}  // namespace leasecalc
