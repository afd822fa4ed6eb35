#include "leasecalc/simulate.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <thread>

namespace leasecalc {

std::vector<RangedInput> ranged_inputs(Scenario& scenario, Basis basis) {
  std::vector<RangedInput> out;
  for (const auto& ref : input_figures(scenario, basis))
    if (ref.figure->low) out.push_back({ref.key, *ref.figure, ref.domain});
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

double uniform01(std::uint64_t seed, std::uint64_t sample, std::uint64_t input,
                 std::uint64_t draw) {
  const std::uint64_t x =
      mix(mix(mix(seed + 0x9E3779B97F4A7C15ull) ^ sample) ^ (input * 0xD1B54A32D192ED03ull + draw));
  return (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;  // never exactly 0 or 1
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

double quantile(const Figure& f, double u) {
  const double lo = *f.low, hi = *f.high;
  switch (f.dist) {
    case Dist::uniform:
      return lo + u * (hi - lo);
    case Dist::triangular: {
      if (hi == lo) return lo;
      const double c = f.value;
      const double split = (c - lo) / (hi - lo);
      return u < split ? lo + std::sqrt(u * (hi - lo) * (c - lo))
                       : hi - std::sqrt((1 - u) * (hi - lo) * (hi - c));
    }
    case Dist::normal90: {
      const double mean = (lo + hi) / 2, sd = (hi - lo) / (2 * k_z95);
      return mean + sd * normal_quantile(u);
    }
    case Dist::lognormal90: {
      const double mu = (std::log(lo) + std::log(hi)) / 2;
      const double sigma = (std::log(hi) - std::log(lo)) / (2 * k_z95);
      return std::exp(mu + sigma * normal_quantile(u));
    }
  }
  return f.value;
}

double draw(const RangedInput& in, std::uint64_t seed, std::uint64_t sample, std::uint64_t j) {
  for (std::uint64_t k = 0; k < 1000; ++k) {
    double x = quantile(in.figure, uniform01(seed, sample, j, k));
    if (in.domain.whole) x = std::round(x);  // a count is a whole number of GPUs
    if (in.domain.check(x).empty()) return x;
  }
  throw std::runtime_error(
      fmt::format("{}: 1,000 draws in a row fell outside {}; its range does not "
                  "fit the values it may take",
                  in.key, in.domain.describe()));
}

double percentile(std::vector<double>& v, double p) {
  const double h = static_cast<double>(v.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  const double x_lo = v[lo];
  if (lo + 1 >= v.size() || h == std::floor(h)) return x_lo;
  // The next order statistic is the smallest element above position lo.
  const double x_hi = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return x_lo + (h - std::floor(h)) * (x_hi - x_lo);
}

Summary summarize(std::vector<double>& v) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  Summary s;
  s.samples = v.size();
  if (v.empty()) return s;
  // Neumaier's compensated sums, in sample order: the same bits for any thread count.
  double sum = 0, comp = 0;
  for (double x : v) {
    const double t = sum + x;
    comp += std::fabs(sum) >= std::fabs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  s.mean = (sum + comp) / static_cast<double>(v.size());
  double ss = 0, ssc = 0;
  for (double x : v) {
    const double d = (x - s.mean) * (x - s.mean);
    const double t = ss + d;
    ssc += ss >= d ? (ss - t) + d : (d - t) + ss;
    ss = t;
  }
  s.sd = v.size() > 1 ? std::sqrt((ss + ssc) / static_cast<double>(v.size() - 1)) : 0;
  s.p5 = percentile(v, 0.05);
  s.p50 = percentile(v, 0.50);
  s.p95 = percentile(v, 0.95);
  return s;
}

void simulate_output(const Model& model, const std::vector<RangedInput>& inputs, std::uint64_t seed,
                     std::size_t n, std::size_t output_index, unsigned threads,
                     std::vector<double>& out) {
  out.resize(n);
  threads = std::max(
      1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, n / 10000))));
  auto run = [&](std::size_t begin, std::size_t end) {
    Inputs<double> in = model.plain_inputs();
    std::vector<std::vector<double*>> slots;
    for (const auto& r : inputs)
      slots.push_back(model.slots(in, r.key));
    const unsigned needs = model.needs_for({output_index});
    std::vector<double> values;
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = 0; j < inputs.size(); ++j) {
        const double x = draw(inputs[j], seed, i, j);
        for (double* p : slots[j])
          *p = x;
      }
      model.evaluate(in, values, needs);
      out[i] = values[output_index];
    }
  };
  if (threads == 1) {
    run(0, n);
    return;
  }
  std::vector<std::thread> pool;
  std::vector<std::exception_ptr> errors(threads);
  for (unsigned t = 0; t < threads; ++t) {
    const std::size_t begin = n * t / threads, end = n * (t + 1) / threads;
    pool.emplace_back([&, t, begin, end] {
      try {
        run(begin, end);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& th : pool)
    th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

std::vector<Swing> tornado(const Model& model, const std::vector<RangedInput>& inputs,
                           std::size_t output_index, double& base) {
  Inputs<double> in = model.plain_inputs();
  std::vector<double> out;
  model.evaluate(in, out);
  base = out[output_index];
  std::vector<Swing> swings;
  for (const auto& r : inputs) {
    const std::vector<double*> slots = model.slots(in, r.key);
    Swing s;
    s.input = &r;
    for (double* p : slots)
      *p = *r.figure.low;
    model.evaluate(in, out);
    s.at_low = out[output_index];
    for (double* p : slots)
      *p = *r.figure.high;
    model.evaluate(in, out);
    s.at_high = out[output_index];
    for (double* p : slots)
      *p = r.figure.value;
    swings.push_back(s);
  }
  std::stable_sort(swings.begin(), swings.end(),
                   [](const Swing& a, const Swing& b) { return a.swing() > b.swing(); });
  return swings;
}

}  // namespace leasecalc
