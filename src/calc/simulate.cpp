#include "leasecalc/simulate.hpp"

#include "leasecalc/keys.hpp"
#include "leasecalc/stats.hpp"
#include "leasecalc/text.hpp"

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

std::optional<PsdProblem> psd_problem(std::size_t inputs,
                                      const std::vector<RankCorrelation>& pairs) {
  Matrix c = Matrix::identity(inputs);
  for (const auto& p : pairs)
    c(p.a, p.b) = c(p.b, p.a) = p.rank;
  const Eigen e = eigen_symmetric(c);
  if (e.values.empty() || e.values.front() >= -1e-9) return std::nullopt;
  PsdProblem problem;
  problem.eigenvalue = e.values.front();
  double worst = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const double term = 2 * e.vectors(pairs[i].a, 0) * e.vectors(pairs[i].b, 0) * pairs[i].rank;
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
  if (const auto problem = psd_problem(inputs.size(), pairs)) {
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
                           std::uint64_t seed)
    : inputs_(inputs),
      correlator_(correlator),
      key_(stream_key(seed)),
      columns_(inputs.size(), std::vector<double>(block)) {
  for (auto& c : columns_)
    pointers_.push_back(c.data());
}

namespace {
// draw_keyed over a block for one input, its distribution fixed at compile time and its
// constants in locals (a column write cannot alias them): the first draw nearly always
// lands in the domain; one that does not is drawn again by draw_keyed, from the start.
template <Dist D>
void fill(double* col, const RangedInput& in, std::uint64_t key, std::size_t begin, std::size_t end,
          std::uint64_t j) {
  const Shape s = in.shape;
  const Domain d = in.domain;
  for (std::size_t i = begin; i < end; ++i) {
    double x = quantile_of<D>(s, uniform_at(key, i, j, 0));
    if (d.whole) x = std::round(x);
    col[i - begin] = d.contains(x) ? x : draw_keyed(in, key, i, j);
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

namespace {

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

// Count, mean and sum of squared deviations of a block; merged by Chan et al.'s formula.
struct Moments {
  double n = 0, mean = 0, m2 = 0;
  double lo = HUGE_VAL, hi = -HUGE_VAL;  // the least and greatest value
  void merge(const Moments& b) {
    if (b.n == 0) return;
    lo = std::min(lo, b.lo);
    hi = std::max(hi, b.hi);
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
    m.lo = std::min(m.lo, v);
    m.hi = std::max(m.hi, v);
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

constexpr std::size_t k_block = BlockSampler::block;  // 512 KiB of doubles, within L2
constexpr std::size_t k_sensitivity_blocks = 16;      // 1,048,576 samples

std::size_t block_count(std::size_t n) { return (n + k_block - 1) / k_block; }

// Runs work(state, b, begin, end) for each block b of n samples, [begin, end), whole
// blocks dealt to the threads in turn, so whatever a block yields does not depend on how
// many threads there are; each thread makes its state first. Returns the threads used.
template <class Make, class Work>
unsigned on_blocks(std::size_t n, unsigned threads, Make&& make, Work&& work) {
  const std::size_t blocks = block_count(n);
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(blocks)));
  on_threads(threads, [&](unsigned t) {
    auto state = make();
    for (std::size_t b = t; b < blocks; b += threads) {
      const std::size_t begin = b * k_block;
      work(state, b, begin, std::min(n, begin + k_block));
    }
  });
  return threads;
}

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

// Puts the order statistics at the (ascending, distinct) positions `at` of v[from, to)
// in place, as if v were sorted: nth_element at the middle one, then each side.
void select(double* v, std::size_t from, std::size_t to, const std::size_t* at, std::size_t count,
            unsigned threads) {
  if (count == 0 || from >= to) return;
  const std::size_t mid = count / 2;
  std::nth_element(v + from, v + at[mid], v + to);
  if (threads > 1 && to - from > (1u << 20)) {
    std::thread right([&] { select(v, at[mid] + 1, to, at + mid + 1, count - mid - 1, 1); });
    select(v, from, at[mid], at, mid, 1);
    right.join();
  } else {
    select(v, from, at[mid], at, mid, 1);
    select(v, at[mid] + 1, to, at + mid + 1, count - mid - 1, 1);
  }
}

// The values at ranks `at` (ascending, distinct, each < n) of v[0, n) as if it were
// sorted, without reordering v; lo and hi are its least and greatest values. Equal-width
// buckets between them: a count per bucket (in parallel) finds the bucket of each rank,
// and only those buckets' values are gathered and selected. Exact, since a value's bucket
// is monotone in it; two passes over v shared among threads, where nth_element is one
// serial pass per rank.
std::vector<double> select_ranks(const double* v, std::size_t n, const std::vector<std::size_t>& at,
                                 double lo, double hi, unsigned threads) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(n / k_block + 1)));
  auto slice = [&](unsigned t) { return std::pair{n * t / threads, n * (t + 1) / threads}; };
  constexpr std::size_t buckets = 1 << 12;  // 16 KiB of counts: within L1
  const double scale = static_cast<double>(buckets) / (hi - lo);
  if (!(hi > lo) || !std::isfinite(scale)) {  // one value, or a range beyond a double
    std::vector<double> copy(v, v + n);
    select(copy.data(), 0, n, at.data(), at.size(), threads);
    std::vector<double> out;
    for (std::size_t r : at)
      out.push_back(copy[r]);
    return out;
  }
  auto bucket = [&](double x) {
    return std::min(buckets - 1, static_cast<std::size_t>((x - lo) * scale));
  };
  std::vector<std::vector<std::uint32_t>> counts(threads, std::vector<std::uint32_t>(buckets, 0));
  on_threads(threads, [&](unsigned t) {
    const auto [begin, end] = slice(t);
    std::uint32_t* c = counts[t].data();
    for (std::size_t i = begin; i < end; ++i)
      ++c[bucket(v[i])];
  });
  // The first rank in each bucket; the bucket of each rank asked for.
  std::vector<std::size_t> slot_of(buckets, SIZE_MAX), first_rank;
  std::vector<std::size_t> needed;  // buckets, ascending
  std::size_t rank = 0, next = 0;
  for (std::size_t b = 0; b < buckets && next < at.size(); ++b) {
    std::size_t count = 0;
    for (unsigned t = 0; t < threads; ++t)
      count += counts[t][b];
    while (next < at.size() && at[next] < rank + count) {
      if (slot_of[b] == SIZE_MAX) {
        slot_of[b] = needed.size();
        needed.push_back(b);
        first_rank.push_back(rank);
      }
      ++next;
    }
    rank += count;
  }
  std::vector<std::vector<std::vector<double>>> gathered(
      threads, std::vector<std::vector<double>>(needed.size()));
  on_threads(threads, [&](unsigned t) {
    const auto [begin, end] = slice(t);
    for (std::size_t i = begin; i < end; ++i) {
      const std::size_t s = slot_of[bucket(v[i])];
      if (s != SIZE_MAX) gathered[t][s].push_back(v[i]);
    }
  });
  std::vector<double> out(at.size());
  for (std::size_t s = 0, a = 0; s < needed.size(); ++s) {
    std::vector<double> values;
    for (unsigned t = 0; t < threads; ++t)
      values.insert(values.end(), gathered[t][s].begin(), gathered[t][s].end());
    std::vector<std::size_t> local;  // the ranks in this bucket, from its first
    const std::size_t from = a;
    while (a < at.size() && at[a] < first_rank[s] + values.size())
      local.push_back(at[a++] - first_rank[s]);
    select(values.data(), 0, values.size(), local.data(), local.size(), 1);
    for (std::size_t q = 0; q < local.size(); ++q)
      out[from + q] = values[local[q]];
  }
  return out;
}

// The summary from the moments and the values: the percentiles as exact order statistics
// with linear interpolation (Hyndman-Fan type 7), their standard errors, the
// probabilities and the histogram. Reorders out[0, n).
Summary finish(const Moments& total, double* out, std::size_t n, unsigned threads,
               const SummaryRequest& request) {
  Summary s;
  s.samples = static_cast<std::size_t>(total.n);
  if (s.samples == 0) return s;
  s.mean = total.mean;
  s.sd = s.samples > 1 ? std::sqrt(total.m2 / (total.n - 1)) : 0;
  s.se_mean = s.sd / std::sqrt(total.n);
  std::size_t size = n;
  if (s.samples < n)  // leave out undefined samples
    size = static_cast<std::size_t>(
        std::remove_if(out, out + n, [](double x) { return std::isnan(x); }) - out);
  for (const auto& t : request.thresholds) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < size; ++i)
      if (t.holds(out[i])) ++count;
    const double p = static_cast<double>(count) / static_cast<double>(size);
    s.probabilities.push_back({t, p, std::sqrt(p * (1 - p) / static_cast<double>(size))});
  }
  // The order statistics every figure needs, selected together.
  const auto last = static_cast<double>(size - 1);
  auto clamp = [&](double r) { return static_cast<std::size_t>(std::min(last, std::max(0.0, r))); };
  // The ranks behind percentile p: type 7's two neighbours, and the binomial interval's
  // ends, 1-based ranks n p -/+ sqrt(n p (1 - p)).
  struct Ranks {
    std::size_t lo, hi, below, above;
  };
  auto ranks_of = [&](double p) {
    const double h = std::floor(last * p);
    const double np = static_cast<double>(size) * p;
    const double half = std::sqrt(np * (1 - p));
    return Ranks{clamp(h), clamp(h + 1), clamp(std::floor(np - half) - 1),
                 clamp(std::ceil(np + half) - 1)};
  };
  const std::size_t tail_lo = clamp(std::floor(last * 0.005)),
                    tail_hi = clamp(std::floor(last * 0.995));
  std::vector<std::size_t> at;
  for (double p : {0.05, 0.5, 0.95}) {
    const Ranks r = ranks_of(p);
    at.insert(at.end(), {r.lo, r.hi, r.below, r.above});
  }
  if (request.histogram_bins > 0) at.insert(at.end(), {0, tail_lo, tail_hi, size - 1});
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  const std::vector<double> values = select_ranks(out, size, at, total.lo, total.hi, threads);
  auto x = [&](std::size_t r) {  // the value of rank r, one of `at`
    return values[static_cast<std::size_t>(std::lower_bound(at.begin(), at.end(), r) - at.begin())];
  };
  auto percentile = [&](double p, double& se) {
    const Ranks r = ranks_of(p);
    const double h = last * p;
    se = (x(r.above) - x(r.below)) / 2;
    return x(r.lo) + (h - std::floor(h)) * (x(r.hi) - x(r.lo));
  };
  s.p5 = percentile(0.05, s.se_p5);
  s.p50 = percentile(0.5, s.se_p50);
  s.p95 = percentile(0.95, s.se_p95);
  if (request.histogram_bins > 0) {
    // The middle 99%, widened to show any threshold that samples reach.
    Histogram& h = s.histogram;
    h.lo = x(tail_lo);
    h.hi = x(tail_hi);
    for (const auto& t : request.thresholds)
      if (t.value >= x(0) && t.value <= x(size - 1)) {
        h.lo = std::min(h.lo, t.value);
        h.hi = std::max(h.hi, t.value);
      }
    if (!(h.hi > h.lo)) {  // one value: a bin around it
      const double pad = h.lo == 0 ? 1 : std::fabs(h.lo) * 0.01;
      h.lo -= pad;
      h.hi += pad;
    }
    h.counts.assign(request.histogram_bins, 0);
    const double scale = static_cast<double>(request.histogram_bins) / (h.hi - h.lo);
    for (std::size_t i = 0; i < size; ++i) {
      const double v = out[i];
      if (v < h.lo) {
        ++h.below;
      } else if (v > h.hi) {
        ++h.above;
      } else {
        auto bin = static_cast<std::size_t>((v - h.lo) * scale);
        h.counts[std::min(bin, request.histogram_bins - 1)]++;
      }
    }
  }
  return s;
}

// Sampled sensitivity (Spearman, rank regression): per block, the ranks of each input
// and of the output over the block's defined samples, and the sums of products of their
// deviations from the mean rank; pooled over blocks in order.
class RankSums {
 public:
  explicit RankSums(std::size_t inputs) : k_(inputs + 1) {}
  std::vector<double> block(const BlockSampler& sampler, const double* out, std::size_t m) {
    std::vector<double> sums(k_ * k_, 0.0);
    defined_.clear();
    for (std::size_t i = 0; i < m; ++i)
      if (!std::isnan(out[i])) defined_.push_back(static_cast<std::uint32_t>(i));
    const std::size_t d = defined_.size();
    if (d < 2) return sums;
    ranks_.resize(k_);
    values_.resize(d);
    order_.resize(d);
    for (std::size_t c = 0; c < k_; ++c) {
      const double* x = c + 1 < k_ ? sampler.column(c) : out;
      for (std::size_t i = 0; i < d; ++i)
        values_[i] = x[defined_[i]];
      argsort(values_.data(), d, order_.data(), radix_);
      ranks_[c].resize(d);
      ranks_from_order(values_.data(), order_.data(), d, ranks_[c].data());
      const double centre = static_cast<double>(d + 1) / 2;
      for (auto& r : ranks_[c])
        r -= centre;
    }
    for (std::size_t a = 0; a < k_; ++a)
      for (std::size_t b = a; b < k_; ++b) {
        double s = 0;
        const double* ra = ranks_[a].data();
        const double* rb = ranks_[b].data();
        for (std::size_t i = 0; i < d; ++i)
          s += ra[i] * rb[i];
        sums[a * k_ + b] = sums[b * k_ + a] = s;
      }
    return sums;
  }

 private:
  std::size_t k_;
  std::vector<std::uint32_t> defined_, order_;
  std::vector<double> values_;
  std::vector<std::vector<double>> ranks_;
  std::vector<std::uint64_t> radix_;
};

// Spearman's rho of each input with the output, from the pooled rank sums, and the
// standardized rank regression of the output on the inputs.
void sensitivity_from(const std::vector<std::vector<double>>& blocks, std::size_t inputs,
                      Summary& s) {
  const std::size_t k = inputs + 1;
  std::vector<double> sums(k * k, 0.0);
  for (const auto& b : blocks)
    for (std::size_t i = 0; i < b.size(); ++i)
      sums[i] += b[i];
  Matrix r(k);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b)
      r(a, b) = a == b ? 1 : sums[a * k + b] / std::sqrt(sums[a * k + a] * sums[b * k + b]);
  Matrix xx(inputs);
  std::vector<double> xy(inputs);
  for (std::size_t a = 0; a < inputs; ++a) {
    xy[a] = r(a, inputs);
    for (std::size_t b = 0; b < inputs; ++b)
      xx(a, b) = r(a, b);
  }
  const auto beta = solve_spd(xx, xy);
  const double nan = std::nan("");
  double total = 0;
  s.r2 = beta ? 0 : nan;
  for (std::size_t j = 0; beta && j < inputs; ++j) {
    total += (*beta)[j] * (*beta)[j];
    s.r2 += (*beta)[j] * xy[j];
  }
  for (std::size_t j = 0; j < inputs; ++j)
    s.sensitivity.push_back({j, xy[j], beta && total > 0 ? (*beta)[j] * (*beta)[j] / total : nan});
  std::stable_sort(s.sensitivity.begin(), s.sensitivity.end(),
                   [](const InputSensitivity& a, const InputSensitivity& b) {
                     return std::fabs(a.spearman) > std::fabs(b.spearman);
                   });
}

}  // namespace

Summary summarize(std::vector<double>& values, const SummaryRequest& request) {
  const std::size_t n = values.size();
  const std::size_t blocks = block_count(n);
  std::vector<Moments> moments(blocks);
  std::vector<char> infinite(blocks, 0);
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t begin = b * k_block, end = std::min(n, begin + k_block);
    bool inf = false;
    moments[b] = block_moments(values.data() + begin, end - begin, inf);
    infinite[b] = inf;
  }
  return finish(all_moments(moments, infinite), values.data(), n, 1, request);
}

Summary simulate_summary(const Model& model, const std::vector<RangedInput>& inputs,
                         const Correlator& correlator, std::uint64_t seed, std::size_t n,
                         std::size_t output_index, unsigned threads,
                         const SummaryRequest& request) {
  // Uninitialized: the workers write every element, so there is no zero fill.
  std::unique_ptr<double[]> buffer(new double[n]);
  double* const out = buffer.get();
  const std::size_t blocks = block_count(n);
  std::vector<Moments> moments(blocks);
  std::vector<char> infinite(blocks, 0);
  // Sensitivity from the first blocks: at 2^20 samples the SE of Spearman's rho is at most
  // 0.001, far below what the inputs' ranges can say, and the ranks cost more than the rest.
  const std::size_t ranked = request.sensitivity ? std::min(blocks, k_sensitivity_blocks) : 0;
  std::vector<std::vector<double>> rank_sums(ranked);
  struct State {
    Evaluator eval;
    BlockSampler sampler;
    RankSums ranks;
  };
  threads = on_blocks(
      n, threads,
      [&] {
        return State{Evaluator(model, keys_of(inputs), {output_index}),
                     BlockSampler(inputs, correlator, seed), RankSums(inputs.size())};
      },
      [&](State& st, std::size_t b, std::size_t begin, std::size_t end) {
        st.sampler.draw(begin, end);
        for (std::size_t i = begin; i < end; ++i) {
          st.sampler.feed(st.eval, i - begin);
          out[i] = st.eval.run()[output_index];
        }
        bool inf = false;
        moments[b] = block_moments(out + begin, end - begin, inf);
        infinite[b] = inf;
        if (b < ranked) rank_sums[b] = st.ranks.block(st.sampler, out + begin, end - begin);
      });
  Summary s = finish(all_moments(moments, infinite), out, n, threads, request);
  if (request.sensitivity) {
    sensitivity_from(rank_sums, inputs.size(), s);
    s.sensitivity_samples = std::min(n, ranked * k_block);
  }
  return s;
}

std::vector<Summary> simulate_cumulative_cash(const Model& model,
                                              const std::vector<RangedInput>& inputs,
                                              const Correlator& correlator, std::uint64_t seed,
                                              std::size_t n, const std::vector<int>& period_ends,
                                              unsigned threads) {
  const std::size_t periods = period_ends.size();
  std::vector<double> cash(periods * n);  // period p's samples at [p n, (p + 1) n)
  struct State {
    Evaluator eval;
    BlockSampler sampler;
    std::vector<Month<double>> months;
  };
  on_blocks(
      n, threads,
      [&] {
        // The contract's totals need what its months need (costs, capex): not the IRR.
        return State{
            Evaluator(model, keys_of(inputs), {model.find_output("contract.ebitda_total")}),
            BlockSampler(inputs, correlator, seed),
            {}};
      },
      [&](State& st, std::size_t, std::size_t begin, std::size_t end) {
        st.sampler.draw(begin, end);
        for (std::size_t i = begin; i < end; ++i) {
          st.sampler.feed(st.eval, i - begin);
          st.eval.run_months(st.months);
          for (std::size_t p = 0; p < periods; ++p) {
            const auto m = static_cast<std::size_t>(period_ends[p]);
            cash[p * n + i] = m < st.months.size() ? st.months[m].cumulative_cash : std::nan("");
          }
        }
      });
  std::vector<Summary> out;
  for (std::size_t p = 0; p < periods; ++p) {
    std::vector<double> one(cash.begin() + static_cast<std::ptrdiff_t>(p * n),
                            cash.begin() + static_cast<std::ptrdiff_t>((p + 1) * n));
    out.push_back(summarize(one));
  }
  return out;
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
