// Monte Carlo statistics: blocks of samples evaluated on every core, their moments merged
// in order, exact percentiles by a bucket count and selection, standard errors,
// probabilities, histograms, the sampled sensitivity, and the cumulative cash by period.
// The draws are in sampler.cpp.
// One file because the statistics share one pass structure: a sample's moments, its
// percentile buckets and its rank sums are gathered in the same blocks, in the same
// order, so that output is byte-identical for any thread count.
#include "leasecalc/calc/simulate.hpp"

#include "leasecalc/calc/stats.hpp"
#include "leasecalc/model/keys.hpp"
#include "leasecalc/model/text.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <thread>
#include <type_traits>

namespace leasecalc {
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

// The order statistics a summary needs, for `size` defined samples: the ranks behind each
// percentile (type 7's two neighbours, and the binomial interval's ends, 1-based ranks
// n p -/+ sqrt(n p (1 - p))), and for a histogram the least, the greatest and the middle
// 99%'s ends. Whichever way the values are found, a buffer or passes, these are the ranks.
class OrderPlan {
 public:
  struct Ranks {
    std::size_t lo, hi, below, above;
  };
  OrderPlan(std::size_t size, bool histogram) : size_(size), last_(static_cast<double>(size - 1)) {
    tail_lo = clamp(std::floor(last_ * 0.005));
    tail_hi = clamp(std::floor(last_ * 0.995));
    for (double p : k_percentiles) {
      const Ranks r = of(p);
      at.insert(at.end(), {r.lo, r.hi, r.below, r.above});
    }
    if (histogram) at.insert(at.end(), {0, tail_lo, tail_hi, size - 1});
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
  }
  static constexpr double k_percentiles[] = {0.05, 0.5, 0.95};
  Ranks of(double p) const {
    const double h = std::floor(last_ * p);
    const double np = static_cast<double>(size_) * p;
    const double half = std::sqrt(np * (1 - p));
    return Ranks{clamp(h), clamp(h + 1), clamp(std::floor(np - half) - 1),
                 clamp(std::ceil(np + half) - 1)};
  }
  // The value of rank r (one of `at`), given the values at `at`.
  double x(const std::vector<double>& values, std::size_t r) const {
    return values[static_cast<std::size_t>(std::lower_bound(at.begin(), at.end(), r) - at.begin())];
  }
  std::vector<std::size_t> at;  // ascending, distinct
  std::size_t tail_lo = 0, tail_hi = 0;

 private:
  std::size_t clamp(double r) const {
    return static_cast<std::size_t>(std::min(last_, std::max(0.0, r)));
  }
  std::size_t size_;
  double last_;
};

// A summary's moments; with no defined sample every figure is undefined (NaN), not 0.
Summary from_moments(const Moments& total, const SummaryRequest& request) {
  Summary s;
  s.samples = static_cast<std::size_t>(total.n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (s.samples == 0) {  // no defined sample: nothing to summarize, not zeros
    s.mean = s.sd = s.p5 = s.p50 = s.p95 = nan;
    s.se_mean = s.se_p5 = s.se_p50 = s.se_p95 = nan;
    for (const auto& t : request.thresholds)
      s.probabilities.push_back({t, nan, nan});
    return s;
  }
  s.mean = total.mean;
  s.sd = s.samples > 1 ? std::sqrt(total.m2 / (total.n - 1)) : nan;  // one sample: no spread
  s.se_mean = s.sd / std::sqrt(total.n);
  return s;
}

// The rest of a summary of defined samples, from the values at the plan's ranks, the
// count meeting each threshold and whether every sample is a whole number: percentiles
// by linear interpolation (Hyndman-Fan type 7), their standard errors, the probabilities,
// and the histogram's range (its counts are added by add_to_bins).
void from_order(Summary& s, const OrderPlan& plan, const std::vector<double>& values,
                const std::vector<std::size_t>& meeting, bool whole,
                const SummaryRequest& request) {
  const std::size_t size = s.samples;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < request.thresholds.size(); ++k) {
    const double p = static_cast<double>(meeting[k]) / static_cast<double>(size);
    s.probabilities.push_back(
        {request.thresholds[k], p, std::sqrt(p * (1 - p) / static_cast<double>(size))});
  }
  auto x = [&](std::size_t r) { return plan.x(values, r); };
  const double last = static_cast<double>(size - 1);
  auto percentile = [&](double p, double& se) {
    const OrderPlan::Ranks r = plan.of(p);
    const double h = last * p;
    se = (x(r.above) - x(r.below)) / 2;
    return x(r.lo) + (h - std::floor(h)) * (x(r.hi) - x(r.lo));
  };
  s.p5 = percentile(0.05, s.se_p5);
  s.p50 = percentile(0.5, s.se_p50);
  s.p95 = percentile(0.95, s.se_p95);
  if (size == 1) s.se_p5 = s.se_p50 = s.se_p95 = nan;  // one sample: no error to speak of
  if (request.histogram_bins == 0) return;
  // The middle 99%, widened to show any threshold that samples reach.
  Histogram& h = s.histogram;
  h.lo = x(plan.tail_lo);
  h.hi = x(plan.tail_hi);
  for (const auto& t : request.thresholds)
    if (t.value >= x(0) && t.value <= x(size - 1)) {
      h.lo = std::min(h.lo, t.value);
      h.hi = std::max(h.hi, t.value);
    }
  h.min = x(0);
  h.max = x(size - 1);
  h.whole = whole;
  if (!(h.hi > h.lo) && !h.whole) {  // one value: a bin around it
    const double pad = h.lo == 0 ? 1 : std::fabs(h.lo) * 0.01;
    h.lo -= pad;
    h.hi += pad;
  }
  std::size_t bins = request.histogram_bins;
  if (h.whole) {  // whole numbers: bins a whole number wide, centred on them
    h.lo = std::floor(h.lo) - 0.5;
    h.hi = std::ceil(h.hi) + 0.5;
    const double width = std::ceil((h.hi - h.lo) / static_cast<double>(bins));
    bins = static_cast<std::size_t>(std::ceil((h.hi - h.lo) / width));
    h.hi = h.lo + width * static_cast<double>(bins);
  }
  h.counts.assign(bins, 0);
}

// Adds the defined values among v[0, m) to the histogram's bins (or below or above them).
void add_to_bins(Histogram& h, const double* v, std::size_t m) {
  const std::size_t bins = h.counts.size();
  const double scale = static_cast<double>(bins) / (h.hi - h.lo);
  for (std::size_t i = 0; i < m; ++i) {
    const double x = v[i];
    if (std::isnan(x)) continue;
    if (x < h.lo) {
      ++h.below;
    } else if (x > h.hi) {
      ++h.above;
    } else {
      auto bin = static_cast<std::size_t>((x - h.lo) * scale);
      h.counts[std::min(bin, bins - 1)]++;
    }
  }
}

// The summary from the moments and the values held in one buffer. Reorders out[0, n).
Summary finish(const Moments& total, double* out, std::size_t n, unsigned threads,
               const SummaryRequest& request) {
  Summary s = from_moments(total, request);
  if (s.samples == 0) return s;
  std::size_t size = n;
  if (s.samples < n)  // leave out undefined samples
    size = static_cast<std::size_t>(
        std::remove_if(out, out + n, [](double x) { return std::isnan(x); }) - out);
  std::vector<std::size_t> meeting;
  for (const auto& t : request.thresholds)
    meeting.push_back(static_cast<std::size_t>(
        std::count_if(out, out + size, [&](double v) { return t.holds(v); })));
  const OrderPlan plan(size, request.histogram_bins > 0);
  const std::vector<double> values = select_ranks(out, size, plan.at, total.lo, total.hi, threads);
  const bool whole = request.histogram_bins > 0 &&
                     std::all_of(out, out + size, [](double v) { return std::floor(v) == v; });
  from_order(s, plan, values, meeting, whole, request);
  if (request.histogram_bins > 0) add_to_bins(s.histogram, out, size);
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
                      bool sort_by_rho, Summary& s) {
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
  // Largest share of variance first (what an analyst reads), an undefined share last;
  // --sort rho: the strongest rank correlation first. Ties keep the inputs' order.
  std::stable_sort(
      s.sensitivity.begin(), s.sensitivity.end(),
      [&](const InputSensitivity& a, const InputSensitivity& b) {
        if (!sort_by_rho && !std::isnan(a.share) && !std::isnan(b.share) && a.share != b.share)
          return a.share > b.share;
        if (!sort_by_rho && std::isnan(a.share) != std::isnan(b.share)) return std::isnan(b.share);
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

namespace {

// A half-open range of values [a, b) that holds the ranks [offset, offset + count) of the
// defined samples: where a percentile is known to lie.
struct Bracket {
  double a = -HUGE_VAL, b = HUGE_VAL;
  std::size_t offset = 0, count = 0;
  bool operator==(const Bracket& o) const { return a == o.a && b == o.b; }
};

// A window's or a bracket's tallies on one thread: values below it, in it, gathered; for
// a bracket counted by buckets, each bucket's count, least and greatest value.
struct Tally {
  std::size_t below = 0, in = 0;
  std::vector<double> gathered;
  std::vector<std::size_t> counts;
  std::vector<double> least, most;
};

// The passes of a long run over its samples: each pass draws and evaluates the blocks
// again (a sample is a function of its index) on every thread, into the thread's one
// block of values: no buffer of the run.
class Passes {
 public:
  Passes(const Model& model, const std::vector<RangedInput>& inputs, const Correlator& correlator,
         std::uint64_t seed, std::size_t n, std::size_t output, unsigned threads)
      : model_(model),
        inputs_(inputs),
        correlator_(correlator),
        seed_(seed),
        n_(n),
        output_(output),
        threads_(threads),
        states_(threads) {}
  unsigned threads() const { return threads_; }
  struct State {
    Evaluator eval;
    BlockSampler sampler;
    RankSums ranks;
    std::vector<double> values;
    unsigned thread;
  };
  // Blocks [first, last), dealt to the threads in turn; evaluated(st, b, values, m) runs
  // after block b's m values are evaluated, with the thread's sampler still on the block.
  template <class Evaluated>
  void run(std::size_t first, std::size_t last, Evaluated&& evaluated) const {
    if (first >= last) return;
    const auto threads =
        std::max(1u, std::min<unsigned>(threads_, static_cast<unsigned>(last - first)));
    on_threads(threads, [&](unsigned t) {
      if (!states_[t])  // made once, kept for every pass: no pages touched again
        states_[t] = std::make_unique<State>(State{Evaluator(model_, keys_of(inputs_), {output_}),
                                                   BlockSampler(inputs_, correlator_, seed_, n_),
                                                   RankSums(inputs_.size()),
                                                   std::vector<double>(std::min(n_, k_block)), t});
      State& st = *states_[t];
      for (std::size_t b = first + t; b < last; b += threads) {
        const std::size_t begin = b * k_block, end = std::min(n_, begin + k_block);
        st.sampler.draw(begin, end);
        for (std::size_t i = begin; i < end; ++i) {
          st.sampler.feed(st.eval, i - begin);
          st.values[i - begin] = st.eval.run()[output_];
        }
        evaluated(st, b, st.values.data(), end - begin);
      }
    });
  }
  // Every block, for a pass that only looks at the values: look(thread, values, m).
  template <class Look>
  void each(Look&& look) const {
    run(0, block_count(n_),
        [&](State& st, std::size_t, const double* v, std::size_t m) { look(st.thread, v, m); });
  }

 private:
  const Model& model_;
  const std::vector<RangedInput>& inputs_;
  const Correlator& correlator_;
  std::uint64_t seed_;
  std::size_t n_, output_;
  unsigned threads_;
  mutable std::vector<std::unique_ptr<State>> states_;
};

// The pilot's windows: around each fraction p the percentiles need, the values between the
// pilot's order statistics at p -/+ delta: six standard errors of the pilot's quantile
// and the run's own, or less, so that a window holds about the gather budget of the run's
// values. Overlapping windows are merged. Reorders the pilot and drops its undefined
// (NaN) values, which no count or window takes (a copy would touch 8 MB of new pages).
std::vector<Bracket> pilot_windows(std::vector<double>& pilot, std::size_t n,
                                   const SummaryRequest& request) {
  pilot.erase(std::remove_if(pilot.begin(), pilot.end(), [](double v) { return std::isnan(v); }),
              pilot.end());
  const std::size_t m = pilot.size();
  std::vector<Bracket> windows;
  if (m < 2) return windows;
  std::vector<double> fractions(std::begin(OrderPlan::k_percentiles),
                                std::end(OrderPlan::k_percentiles));
  if (request.histogram_bins > 0) fractions.insert(fractions.end(), {0.005, 0.995});
  const double last = static_cast<double>(m - 1);
  auto at_rank = [&](double r) {  // the pilot's order statistic of rank r
    auto k = static_cast<std::size_t>(std::min(last, std::max(0.0, r)));
    std::nth_element(pilot.begin(), pilot.begin() + static_cast<std::ptrdiff_t>(k), pilot.end());
    return pilot[k];
  };
  const double most = static_cast<double>(request.gather_budget) / (2.0 * static_cast<double>(n));
  for (double p : fractions) {
    const double se = std::sqrt(p * (1 - p) / static_cast<double>(m)) +
                      std::sqrt(p * (1 - p) / static_cast<double>(n));
    const double delta = std::min(6 * se + 2 / static_cast<double>(m), most);
    Bracket w;
    if (p - delta > 0) w.a = at_rank(std::floor((p - delta) * last));
    if (p + delta < 1) w.b = std::nextafter(at_rank(std::ceil((p + delta) * last)), HUGE_VAL);
    windows.push_back(w);
  }
  std::sort(windows.begin(), windows.end(),
            [](const Bracket& x, const Bracket& y) { return x.a < y.a; });
  std::vector<Bracket> merged;
  for (const auto& w : windows)
    if (!merged.empty() && w.a <= merged.back().b)
      merged.back().b = std::max(merged.back().b, w.b);
    else
      merged.push_back(w);
  return merged;
}

// A tally's per-thread parts, summed; the gathered values joined in thread order.
Tally joined(std::vector<Tally>& parts) {
  Tally t = std::move(parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    t.below += parts[i].below;
    t.in += parts[i].in;
    t.gathered.insert(t.gathered.end(), parts[i].gathered.begin(), parts[i].gathered.end());
    for (std::size_t k = 0; k < t.counts.size(); ++k) {
      t.counts[k] += parts[i].counts[k];
      t.least[k] = std::min(t.least[k], parts[i].least[k]);
      t.most[k] = std::max(t.most[k], parts[i].most[k]);
    }
  }
  parts.clear();
  return t;
}

// The value of rank `local` among the gathered values.
double select_gathered(std::vector<double>& gathered, std::size_t local) {
  std::nth_element(gathered.begin(), gathered.begin() + static_cast<std::ptrdiff_t>(local),
                   gathered.end());
  return gathered[local];
}

constexpr std::size_t k_buckets = 4096;  // a bracket too full to gather is cut this finely

// The values at `ranks` not yet `known` (NaN), each in its bracket, by passes over the
// samples, whose least and greatest are lo and hi: each pass gathers the values of every
// bracket that fits the budget and counts the others' by buckets; a rank's next bracket
// is its bucket, from the bucket's least value to its greatest (one value: found).
void refine(const Passes& passes, const std::vector<std::size_t>& ranks,
            std::vector<Bracket> brackets, std::vector<double>& known, double lo, double hi,
            std::size_t budget) {
  for (;;) {
    std::vector<Bracket> open;  // the distinct brackets still open
    std::vector<std::size_t> which(ranks.size(), SIZE_MAX);
    for (std::size_t r = 0; r < ranks.size(); ++r) {
      if (!std::isnan(known[r])) continue;
      auto it = std::find(open.begin(), open.end(), brackets[r]);
      which[r] = static_cast<std::size_t>(it - open.begin());
      if (it == open.end()) open.push_back(brackets[r]);
    }
    if (open.empty()) return;
    std::vector<char> gather(open.size());
    std::vector<double> from(open.size()), scale(open.size());
    std::vector<std::vector<Tally>> parts(open.size(), std::vector<Tally>(passes.threads()));
    for (std::size_t k = 0; k < open.size(); ++k) {
      from[k] = std::max(open[k].a, lo);
      const double to = std::min(open[k].b, std::nextafter(hi, HUGE_VAL));
      scale[k] = static_cast<double>(k_buckets) / (to - from[k]);
      gather[k] = open[k].count <= budget || !std::isfinite(scale[k]);
      for (auto& t : parts[k])
        if (!gather[k]) {
          t.counts.assign(k_buckets, 0);
          t.least.assign(k_buckets, HUGE_VAL);
          t.most.assign(k_buckets, -HUGE_VAL);
        }
    }
    passes.each([&](unsigned thread, const double* v, std::size_t m) {
      for (std::size_t k = 0; k < open.size(); ++k) {
        Tally& t = parts[k][thread];
        const double a = open[k].a, b = open[k].b;
        for (std::size_t i = 0; i < m; ++i) {
          const double x = v[i];
          if (!(x >= a && x < b)) continue;  // NaN is in no bracket
          if (gather[k]) {
            t.gathered.push_back(x);
            continue;
          }
          const auto q =
              std::min(k_buckets - 1, static_cast<std::size_t>((x - from[k]) * scale[k]));
          ++t.counts[q];
          t.least[q] = std::min(t.least[q], x);
          t.most[q] = std::max(t.most[q], x);
        }
      }
    });
    for (std::size_t k = 0; k < open.size(); ++k) {
      Tally t = joined(parts[k]);
      for (std::size_t r = 0; r < ranks.size(); ++r) {
        if (which[r] != k) continue;
        const std::size_t local = ranks[r] - open[k].offset;
        if (gather[k]) {
          known[r] = select_gathered(t.gathered, local);
          continue;
        }
        std::size_t before = 0, q = 0;
        while (before + t.counts[q] <= local)
          before += t.counts[q++];
        if (t.least[q] == t.most[q])
          known[r] = t.least[q];  // one value fills the bucket
        else
          brackets[r] = Bracket{t.least[q], std::nextafter(t.most[q], HUGE_VAL),
                                open[k].offset + before, t.counts[q]};
      }
    }
  }
}

// What the first pass over a block finds, wherever the block was evaluated: its
// moments, and its ranks for the sensitivity.
struct FirstLook {
  std::vector<Moments>& moments;
  std::vector<char>& infinite;
  std::size_t ranked;
  std::vector<std::vector<double>>& rank_sums;
  void operator()(Passes::State& st, std::size_t b, const double* v, std::size_t m) const {
    bool inf = false;
    moments[b] = block_moments(v, m, inf);
    infinite[b] = inf;
    if (b < ranked) rank_sums[b] = st.ranks.block(st.sampler, v, m);
  }
};

// simulate_summary beyond the pilot (see the header): the pilot's blocks are in `pilot`
// and `look` has seen them.
Summary stream_summary(const Passes& passes, std::size_t n, std::vector<double>& pilot,
                       const FirstLook& look, const SummaryRequest& request) {
  const std::size_t blocks = block_count(n), kept = pilot.size() / k_block;
  const std::vector<Bracket> windows = pilot_windows(pilot, n, request);
  const unsigned threads = passes.threads();
  const std::size_t thresholds = request.thresholds.size();
  // Per thread: each window's tally, the count meeting each threshold, whether all whole.
  std::vector<std::vector<Tally>> tallies(windows.size(), std::vector<Tally>(threads));
  std::vector<std::vector<std::size_t>> meeting(threads, std::vector<std::size_t>(thresholds));
  std::vector<char> whole(threads, 1);
  std::vector<std::atomic<std::size_t>> taken(windows.size());
  std::vector<std::atomic<bool>> full(windows.size());
  auto observe = [&](unsigned t, const double* v, std::size_t m) {
    for (std::size_t k = 0; k < thresholds; ++k)
      for (std::size_t i = 0; i < m; ++i)
        if (request.thresholds[k].holds(v[i])) ++meeting[t][k];
    if (request.histogram_bins > 0)
      for (std::size_t i = 0; i < m; ++i)
        if (std::floor(v[i]) != v[i] && !std::isnan(v[i])) whole[t] = 0;
    for (std::size_t w = 0; w < windows.size(); ++w) {
      Tally& tally = tallies[w][t];
      const double a = windows[w].a, b = windows[w].b;
      const bool gather = !full[w].load(std::memory_order_relaxed);
      const std::size_t had = tally.gathered.size();
      // Branch-free counts (a value is below the median's window half the time, a branch
      // on it mispredicted half the time); the rare value in the window is taken apart.
      std::size_t below = 0, in = 0;
      for (std::size_t i = 0; i < m; ++i) {
        const double x = v[i];
        below += x < a;
        const bool inside = (x >= a) & (x < b);
        in += inside;
        if (inside && gather) tally.gathered.push_back(x);
      }
      tally.below += below;
      tally.in += in;
      // Past the budget a window gathers no more, and refine finds its ranks.
      const std::size_t added = tally.gathered.size() - had;
      if (taken[w].fetch_add(added) + added > request.gather_budget) full[w] = true;
    }
  };
  // The first pass: the pilot's values (in any order: they are counted and gathered),
  // the other blocks drawn and evaluated.
  observe(0, pilot.data(), pilot.size());
  passes.run(kept, blocks, [&](Passes::State& st, std::size_t b, const double* v, std::size_t m) {
    look(st, b, v, m);
    observe(st.thread, v, m);
  });
  const Moments total = all_moments(look.moments, look.infinite);
  Summary s = from_moments(total, request);
  if (s.samples == 0) return s;
  for (std::size_t t = 1; t < threads; ++t)
    for (std::size_t k = 0; k < thresholds; ++k)
      meeting[0][k] += meeting[t][k];
  // Each rank from its window's values, or else a bracket between the windows' edges,
  // whose counts below are known.
  const OrderPlan plan(s.samples, request.histogram_bins > 0);
  std::vector<double> values(plan.at.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<Bracket> edges{{-HUGE_VAL, -HUGE_VAL, 0, 0}};  // a value, the count below it
  for (std::size_t w = 0; w < windows.size(); ++w) {
    Tally t = joined(tallies[w]);
    edges.push_back({windows[w].a, windows[w].a, t.below, 0});
    edges.push_back({windows[w].b, windows[w].b, t.below + t.in, 0});
    for (std::size_t r = 0; r < plan.at.size() && !full[w]; ++r)
      if (plan.at[r] >= t.below && plan.at[r] < t.below + t.in)
        values[r] = select_gathered(t.gathered, plan.at[r] - t.below);
  }
  edges.push_back({HUGE_VAL, HUGE_VAL, s.samples, 0});
  std::vector<Bracket> brackets(plan.at.size());
  for (std::size_t r = 0; r < plan.at.size(); ++r) {
    std::size_t e = 0;  // the last edge with at most at[r] values below it
    while (e + 1 < edges.size() && edges[e + 1].offset <= plan.at[r])
      ++e;
    brackets[r] =
        Bracket{edges[e].a, edges[e + 1].a, edges[e].offset, edges[e + 1].offset - edges[e].offset};
  }
  refine(passes, plan.at, brackets, values, total.lo, total.hi, request.gather_budget);
  const bool all_whole = std::all_of(whole.begin(), whole.end(), [](char c) { return c != 0; });
  from_order(s, plan, values, meeting[0], all_whole, request);
  if (request.histogram_bins > 0) {  // one more pass, the bins known now
    std::vector<Histogram> bins(threads, s.histogram);
    passes.each([&](unsigned t, const double* v, std::size_t m) { add_to_bins(bins[t], v, m); });
    for (const auto& h : bins) {
      s.histogram.below += h.below;
      s.histogram.above += h.above;
      for (std::size_t k = 0; k < h.counts.size(); ++k)
        s.histogram.counts[k] += h.counts[k];
    }
  }
  return s;
}

}  // namespace

Summary simulate_summary(const Model& model, const std::vector<RangedInput>& inputs,
                         const Correlator& correlator, std::uint64_t seed, std::size_t n,
                         std::size_t output_index, unsigned threads,
                         const SummaryRequest& request) {
  const std::size_t blocks = block_count(n);
  const std::size_t kept = std::min(blocks, std::max<std::size_t>(1, request.pilot_blocks));
  std::vector<Moments> moments(blocks);
  std::vector<char> infinite(blocks, 0);
  // Sensitivity from the first blocks: at 2^20 samples the SE of Spearman's rho is at most
  // 0.001, far below what the inputs' ranges can say, and the ranks cost more than the rest.
  const std::size_t ranked = request.sensitivity ? std::min(blocks, k_sensitivity_blocks) : 0;
  std::vector<std::vector<double>> rank_sums(ranked);
  const FirstLook look{moments, infinite, ranked, rank_sums};
  const Passes passes(model, inputs, correlator, seed, n, output_index, threads);
  // The pilot: the first blocks, kept.
  std::vector<double> pilot(std::min(n, kept * k_block));
  passes.run(0, kept, [&](Passes::State& st, std::size_t b, const double* v, std::size_t m) {
    std::copy(v, v + m, pilot.begin() + static_cast<std::ptrdiff_t>(b * k_block));
    look(st, b, v, m);
  });
  Summary s;
  if (kept == blocks) {
    const unsigned used = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(blocks)));
    s = finish(all_moments(moments, infinite), pilot.data(), n, used, request);
  } else {
    s = stream_summary(passes, n, pilot, look, request);
  }
  if (request.sensitivity) {
    sensitivity_from(rank_sums, inputs.size(), request.sort_by_rho, s);
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
            BlockSampler(inputs, correlator, seed, n),
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
