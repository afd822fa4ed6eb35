// The sampler: which inputs are ranged (their own ranges, or --tag-ranges), each range's
// distribution and quantile, the draws (counter-based: any sample can be drawn again from
// its index), the correlations imposed by Iman-Conover, and the block of draws that feeds
// an Evaluator. The statistics over the samples are in simulate.cpp; the vector draws in
// draws_simd.cpp.
// One file because the draw index (seed, sample, input, draw) is read by every part here:
// the stream, the redraws, the block, and the check that the vector draws start where the
// scalar ones do; split, the index's layout would be written in several places.
#include "leasecalc/calc/simulate.hpp"

#include "draws_simd.hpp"

#include "leasecalc/calc/stats.hpp"
#include "leasecalc/model/keys.hpp"
#include "leasecalc/model/text.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <thread>
#include <type_traits>

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
// Draw `draw` (< 1,024) of input `input` in sample `sample`: output number (sample, input
// mod 1,024, draw) of the stream. The index holds 10 bits of input: from input 1,024 on,
// each 1,024 inputs take a stream of their own, keyed by their group (they overlapped
// the next sample's first inputs: input 1,024 + m of sample s was input m of sample
// s + 1). The first 1,024 keep the stream they always had.
constexpr std::uint64_t k_golden = 0x9E3779B97F4A7C15ull;  // SplitMix64's increment
std::uint64_t group_key(std::uint64_t key, std::uint64_t input) {
  return input >= 1024 ? mix(key ^ ((input >> 10) * 0xD1B54A32D192ED03ull)) : key;
}
// SplitMix64's state before output #index: key + (index + 1) x the increment.
std::uint64_t state_at(std::uint64_t key, std::uint64_t sample, std::uint64_t input,
                       std::uint64_t draw) {
  const std::uint64_t index = (sample << 20) | ((input & 1023) << 10) | draw;
  return group_key(key, input) + (index + 1) * k_golden;
}
double uniform_at(std::uint64_t key, std::uint64_t sample, std::uint64_t input,
                  std::uint64_t draw) {
  const std::uint64_t x = mix(state_at(key, sample, input, draw));  // SplitMix64 output #index
  return (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;          // never exactly 0 or 1
}
}  // namespace

double uniform01(std::uint64_t seed, std::uint64_t sample, std::uint64_t input,
                 std::uint64_t draw) {
  return uniform_at(stream_key(seed), sample, input, draw);
}

double normal_quantile(double p) {
  // Peter Acklam's rational approximation of the inverse normal CDF (draws_simd.hpp).
  using acklam::a, acklam::b, acklam::c, acklam::d, acklam::low;
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

namespace {
// Calls f(std::integral_constant<Dist, D>{}) for distribution d: the one switch over the
// distributions, for code compiled once for each.
template <class F>
decltype(auto) on_dist(Dist d, F&& f) {
  switch (d) {
    case Dist::uniform:
      return f(std::integral_constant<Dist, Dist::uniform>{});
    case Dist::normal90:
      return f(std::integral_constant<Dist, Dist::normal90>{});
    case Dist::lognormal90:
      return f(std::integral_constant<Dist, Dist::lognormal90>{});
    case Dist::triangular:
      break;
  }
  return f(std::integral_constant<Dist, Dist::triangular>{});
}

template <Dist D>
inline double quantile_of(const Shape& s, double u) {
  if constexpr (D == Dist::uniform) {
    return s.lo + u * (s.hi - s.lo);
  } else if constexpr (D == Dist::triangular) {
    // F^-1(u) = lo + sqrt(u (hi-lo)(mode-lo)) below the mode, hi - sqrt((1-u)(hi-lo)(hi-mode))
    // above
    return u < s.split ? s.lo + std::sqrt(u) * s.left : s.hi - std::sqrt(1 - u) * s.right;
  } else if constexpr (D == Dist::normal90) {
    return s.mean + s.sd * normal_quantile(u);
  } else {
    return std::exp(s.mean + s.sd * normal_quantile(u));
  }
}
}  // namespace

double quantile(const Shape& s, double u) {
  return on_dist(s.dist, [&](auto d) { return quantile_of<decltype(d)::value>(s, u); });
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

const char* compare_text(Compare op) {
  switch (op) {
    case Compare::ge:
      return ">=";
    case Compare::le:
      return "<=";
    case Compare::gt:
      return ">";
    case Compare::lt:
      return "<";
  }
  return "?";
}

// --- correlation ---

std::optional<PsdFault> psd_fault(std::size_t inputs, const std::vector<RankCorrelation>& pairs) {
  // Only the inputs the pairs name: the others add eigenvalues of 1 (10,000 tenants'
  // ranged prices made a matrix of 800 MB and an eigenproblem of 10,000).
  std::vector<std::size_t> position(inputs, inputs);
  std::size_t involved = 0;
  for (const auto& p : pairs)
    for (std::size_t j : {p.a, p.b})
      if (position[j] == inputs) position[j] = involved++;
  Matrix c = Matrix::identity(involved);
  for (const auto& p : pairs)
    c(position[p.a], position[p.b]) = c(position[p.b], position[p.a]) = p.rank;
  const Eigen e = eigen_symmetric(c);
  if (e.values.empty() || e.values.front() >= -1e-9) return std::nullopt;
  PsdFault problem;
  problem.eigenvalue = e.values.front();
  double worst = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const double term =
        2 * e.vectors(position[pairs[i].a], 0) * e.vectors(position[pairs[i].b], 0) * pairs[i].rank;
    if (term < worst) {
      worst = term;
      problem.pair = i;
    }
  }
  return problem;
}

std::vector<RankCorrelation> resolve_correlations(const Scenario& scenario,
                                                  const std::vector<RangedInput>& inputs) {
  std::vector<RankCorrelation> pairs;
  auto index = [&](const std::string& key, const Location& at) {
    for (std::size_t j = 0; j < inputs.size(); ++j)
      if (inputs[j].key == key) return j;
    throw InputError(scenario.file, at,
                     fmt::format("\"{}\" is not a ranged input of this scenario: correlations "
                                 "need inputs with low/high (or --tag-ranges); ranged here: {}",
                                 key, inputs.empty() ? "none" : join(keys_of(inputs), ", ")));
  };
  for (const auto& c : scenario.correlations)
    pairs.push_back({index(c.a, c.a_at), index(c.b, c.b_at), c.rank});
  if (const auto problem = psd_fault(inputs.size(), pairs)) {
    const auto& c = scenario.correlations[problem->pair];
    throw InputError(
        scenario.file, c.at,
        fmt::format("the correlations cannot all hold: their matrix is not positive "
                    "semi-definite (smallest eigenvalue {:.3g}); the pair most at fault is {} and "
                    "{} (rank {}): weaken it or the pairs it conflicts with",
                    problem->eigenvalue, c.a, c.b, plain_number(c.rank)));
  }
  return pairs;
}

Correlator::Correlator(std::size_t inputs, const std::vector<RankCorrelation>& pairs) {
  std::vector<int> position(inputs, -1);
  for (const auto& p : pairs)
    position[p.a] = position[p.b] = 0;
  for (std::size_t j = 0; j < inputs; ++j)
    if (position[j] == 0) {
      position[j] = static_cast<int>(involved_.size());
      involved_.push_back(j);
    }
  const std::size_t c = involved_.size();
  Matrix rank = Matrix::identity(c), scores = Matrix::identity(c);
  for (const auto& p : pairs) {
    const auto a = static_cast<std::size_t>(position[p.a]);
    const auto b = static_cast<std::size_t>(position[p.b]);
    rank(a, b) = rank(b, a) = p.rank;
    scores(a, b) = scores(b, a) = 2 * std::sin(M_PI * p.rank / 6);
  }
  // The scores' target is nearly always positive semi-definite when the ranks' is; when
  // it is not (a matrix on the edge), the ranks' own serves.
  auto factor = cholesky(scores);
  if (!factor) factor = cholesky(rank, 1e-9);
  if (factor) factor_ = factor->a;
}

namespace {
// The block's own copies: scores, the drawn values sorted, the orders.
struct CorrelatorScratch {
  std::size_t m = 0;
  std::vector<double> scores;  // van der Waerden: the normal quantile of r / (m + 1)
  std::vector<std::uint32_t> order;
  std::vector<std::uint64_t> radix;
  std::vector<std::vector<double>> s, sorted, t;
};
thread_local CorrelatorScratch t_scratch;
}  // namespace

void Correlator::apply(const std::vector<double*>& columns, std::size_t m) const {
  if (involved_.empty()) return;
  // Chunks of 8,192 samples: each chunk's arrays stay in the core's cache, where a block's
  // would not; the last chunk takes any remainder under a chunk (so none is tiny).
  constexpr std::size_t chunk = 8192;
  std::vector<double*> at(columns.size());
  for (std::size_t begin = 0; begin < m;) {
    const std::size_t end = m - begin < 2 * chunk ? m : begin + chunk;
    for (std::size_t j = 0; j < columns.size(); ++j)
      at[j] = columns[j] + begin;
    apply_chunk(at, end - begin);
    begin = end;
  }
}

void Correlator::apply_chunk(const std::vector<double*>& columns, std::size_t m) const {
  const std::size_t c = involved_.size();
  if (c == 0 || m < 2) return;
  CorrelatorScratch& w = t_scratch;
  if (w.m != m) {
    w.m = m;
    w.scores.resize(m);
    for (std::size_t r = 0; r < m; ++r)
      w.scores[r] = normal_quantile(static_cast<double>(r + 1) / static_cast<double>(m + 1));
    w.order.resize(m);
  }
  w.s.resize(c);
  w.sorted.resize(c);
  w.t.resize(c);
  // Scores in the order of each input's independent draws: a random permutation each.
  for (std::size_t q = 0; q < c; ++q) {
    const double* x = columns[involved_[q]];
    argsort(x, m, w.order.data(), w.radix);
    w.s[q].resize(m);
    w.sorted[q].resize(m);
    w.t[q].resize(m);
    for (std::size_t r = 0; r < m; ++r) {
      w.s[q][w.order[r]] = w.scores[r];
      w.sorted[q][r] = x[w.order[r]];
    }
  }
  // Whiten the scores by the Cholesky factor of their own correlation, then give them the
  // target's: t = P F^-1 s, row by row.
  std::vector<const double*> cols;
  for (const auto& v : w.s)
    cols.push_back(v.data());
  const auto own = cholesky(correlation(cols, m), 1e-12);
  bool whiten = own.has_value();
  if (whiten)
    for (std::size_t q = 0; q < c; ++q)
      whiten = whiten && (*own)(q, q) > 0;
  std::vector<double> z(c);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t q = 0; q < c; ++q) {
      double v = w.s[q][i];
      if (whiten) {
        for (std::size_t p = 0; p < q; ++p)
          v -= (*own)(q, p) * z[p];
        v /= (*own)(q, q);
      }
      z[q] = v;
    }
    for (std::size_t q = 1; q < c; ++q) {  // the first column is not needed: see below
      double v = 0;
      for (std::size_t p = 0; p <= q; ++p)
        v += factor_[q * c + p] * z[p];
      w.t[q][i] = v;
    }
  }
  // Each input's draws, reordered to the ranks of its column of t. The first column of t
  // is its scores times a positive constant, so in the order of its own draws already.
  for (std::size_t q = 1; q < c; ++q) {
    argsort(w.t[q].data(), m, w.order.data(), w.radix);
    double* x = columns[involved_[q]];
    for (std::size_t r = 0; r < m; ++r)
      x[w.order[r]] = w.sorted[q][r];
  }
}

void BlockSampler::feed(Evaluator& eval, std::size_t offset) const {
  for (std::size_t j = 0; j < columns_.size(); ++j)
    eval.set(j, columns_[j][offset]);
}

BlockSampler::BlockSampler(const std::vector<RangedInput>& inputs, const Correlator& correlator,
                           std::uint64_t seed, std::size_t samples)
    : inputs_(inputs),
      correlator_(correlator),
      key_(stream_key(seed)),
      columns_(inputs.size(), std::vector<double>(std::min(block, samples))) {
  for (auto& c : columns_)
    pointers_.push_back(c.data());
}

namespace {
// draw_keyed over a block for one input, its distribution fixed at compile time and its
// constants in locals (a column write cannot alias them). The first draws come from
// simd::first_draws, on the widest vector instructions, as the same bits: the uniforms,
// a uniform or triangular range's quantiles, and a normal's in Acklam's central region;
// a normal's tails (a logarithm) and a lognormal's exponential are taken here, by the C
// library, as before. The first
// draw nearly always lands in the domain; one that does not is drawn again by
// draw_keyed, from the start.
template <Dist D>
void fill(double* col, const RangedInput& in, std::uint64_t key, std::size_t begin, std::size_t end,
          std::uint64_t j) {
  const Shape s = in.shape;
  const Domain d = in.domain;
  // Sample i's state is state_at(begin) + (i - begin) x the increment x 2^20.
  const std::size_t m = end - begin;
  const std::size_t done = simd::first_draws(s, state_at(key, begin, j, 0), k_golden << 20, m, col);
  for (std::size_t i = 0; i < m; ++i) {
    double x = col[i];               // the quantile, or for a lognormal its logarithm
    if (i >= done || std::isnan(x))  // past the vectors, or in a normal's tail
      x = quantile_of<D>(s, uniform_at(key, begin + i, j, 0));
    else if constexpr (D == Dist::lognormal90)
      x = std::exp(x);
    if (d.whole) x = std::round(x);
    col[i] = d.contains(x) ? x : draw_keyed(in, key, begin + i, j);
  }
}
}  // namespace

void BlockSampler::draw(std::size_t begin, std::size_t end) {
  for (std::size_t j = 0; j < inputs_.size(); ++j) {
    double* col = pointers_[j];
    on_dist(inputs_[j].shape.dist,
            [&](auto d) { fill<decltype(d)::value>(col, inputs_[j], key_, begin, end, j); });
  }
  correlator_.apply(pointers_, end - begin);
}

}  // namespace leasecalc
