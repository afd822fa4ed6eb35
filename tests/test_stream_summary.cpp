// simulate's summary of a long run, in memory that does not grow with the samples: the
// pilot's windows, and the passes that find a percentile outside its window, must give
// the same bits as the summary of a buffer holding every sample.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "helpers.hpp"
#include "leasecalc/calc/simulate.hpp"

namespace leasecalc {
namespace {

// Every figure of a summary, as bits (NaN equal to NaN), for an exact comparison.
std::vector<std::uint64_t> bits(const Summary& s) {
  std::vector<double> v{static_cast<double>(s.samples),
                        s.mean,
                        s.sd,
                        s.p5,
                        s.p50,
                        s.p95,
                        s.se_mean,
                        s.se_p5,
                        s.se_p50,
                        s.se_p95,
                        s.histogram.lo,
                        s.histogram.hi,
                        s.histogram.min,
                        s.histogram.max,
                        static_cast<double>(s.histogram.whole),
                        static_cast<double>(s.histogram.below),
                        static_cast<double>(s.histogram.above)};
  for (const auto& p : s.probabilities)
    v.insert(v.end(), {p.p, p.se});
  for (std::size_t c : s.histogram.counts)
    v.push_back(static_cast<double>(c));
  std::vector<std::uint64_t> out(v.size());
  std::memcpy(out.data(), v.data(), v.size() * sizeof(double));
  return out;
}

// The summary of every sample held in one buffer: the reference.
Summary buffered(const Model& m, const std::vector<RangedInput>& inputs, std::uint64_t seed,
                 std::size_t n, std::size_t output, const SummaryRequest& request) {
  std::vector<double> all;
  for_each_sample(m, inputs, {}, seed, n, {output}, [&](std::size_t, const std::vector<double>& v) {
    all.push_back(v.back());
    return true;
  });
  return summarize(all, request);
}

// The ways simulate_summary may take: the pilot holds the run; windows from a pilot of one
// block; windows so small they overflow at once, so every percentile is found by passes;
// each on one thread and on two.
void check_every_path(const Model& m, const std::vector<RangedInput>& inputs, std::uint64_t seed,
                      std::size_t n, std::size_t output, SummaryRequest request) {
  const auto want = bits(buffered(m, inputs, seed, n, output, request));
  for (std::size_t pilot : {16, 1})
    for (std::size_t budget : {std::size_t{1} << 20, std::size_t{64}})
      for (unsigned threads : {1u, 2u}) {
        request.pilot_blocks = pilot;
        request.gather_budget = budget;
        INFO("pilot " << pilot << ", budget " << budget << ", threads " << threads);
        CHECK(bits(simulate_summary(m, inputs, {}, seed, n, output, threads, request)) == want);
      }
}

}  // namespace

TEST_CASE("a long run's summary is the buffer's, to the bit, by every path", "[simulate]") {
  // 300,000 samples: four whole blocks of 65,536 and one of 37,856.
  const std::size_t n = 300000;
  SECTION("a continuous output, with thresholds and a histogram") {
    Scenario s = test::nebula();
    const auto inputs = ranged_inputs(s, Basis::bf16);
    const Model m(s, Basis::bf16);
    SummaryRequest request;
    request.thresholds = {{Compare::ge, 1.3}, {Compare::lt, 0.9}};
    request.histogram_bins = 60;
    check_every_path(m, inputs, 3, n, m.find_output("breakeven.coverage"), request);
  }
  SECTION("a whole-number output of 11 values: point masses far above the budget") {
    // The H100 count drawn from 995 to 1,005 (whole numbers): cluster.gpus.total is
    // 3,395 to 3,405, each value some 27,000 samples, so a bucket holding a percentile's
    // rank holds one value and the passes stop at it.
    Scenario s = test::nebula();
    s.gpus[0].count.low = 995;
    s.gpus[0].count.high = 1005;
    const auto inputs = ranged_inputs(s, Basis::bf16);
    const Model m(s, Basis::bf16);
    SummaryRequest request;
    request.histogram_bins = 60;
    request.thresholds = {{Compare::ge, 3400}};
    const std::size_t total = m.find_output("cluster.gpus.total");
    check_every_path(m, inputs, 5, n, total, request);
    request.pilot_blocks = 1;
    const Summary got = simulate_summary(m, inputs, {}, 5, n, total, 2, request);
    CHECK(got.p50 == std::round(got.p50));
    CHECK(got.histogram.whole);
    CHECK(got.p5 >= 3395);  // 1,000 + 400 + 2,000 with the H100 count at 995..1,005
    CHECK(got.p95 <= 3405);
  }
}

}  // namespace leasecalc
