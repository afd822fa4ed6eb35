// The draws on vector instructions (simd::first_draws, Highway) against the scalar draw()
// of the same sample and input: the same bits, on every instruction set this machine runs.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "../src/calc/draws_simd.hpp"
#include "helpers.hpp"
#include "leasecalc/calc/simulate.hpp"

namespace leasecalc {
namespace {

RangedInput ranged(const char* key, double value, double low, double high, Dist dist) {
  Figure f;
  f.value = value;
  f.low = low;
  f.high = high;
  f.dist = dist;
  return RangedInput(key, f, Domain{});
}

struct Case {
  std::vector<RangedInput> inputs;
  std::size_t n = 0;
  std::size_t mismatches = 0;
  std::size_t compared = 0;
};

// Every draw of a block against draw(), input by input, samples from 1,000,000 on (a block
// that does not start at 0) and a count that is no multiple of any vector's lanes.
void compare(const char* name, void* context) {
  auto& c = *static_cast<Case*>(context);
  const Correlator independent;  // the sampler keeps a reference to it
  BlockSampler sampler(c.inputs, independent, 42, c.n);
  const std::size_t begin = 1000000, end = begin + c.n;
  sampler.draw(begin, end);
  for (std::size_t j = 0; j < c.inputs.size(); ++j)
    for (std::size_t i = begin; i < end; ++i) {
      const double want = draw(c.inputs[j], 42, i, j);
      const double got = sampler.column(j)[i - begin];
      ++c.compared;
      if (std::memcmp(&want, &got, sizeof want) != 0) {
        if (c.mismatches++ < 3)
          WARN(name << ": input " << j << " sample " << i << ": " << got << " != " << want);
      }
    }
}

}  // namespace

TEST_CASE("vector draws are the scalar draws' bits on every instruction set", "[simulate]") {
  Case c;
  // 1,100 inputs, so that some take the stream of the second group of 1,024.
  const Dist dists[] = {Dist::triangular, Dist::uniform, Dist::normal90, Dist::lognormal90};
  for (std::size_t j = 0; j < 1100; ++j) {
    const double lo = 1 + static_cast<double>(j % 7), hi = lo * (1.5 + static_cast<double>(j % 3));
    c.inputs.push_back(ranged("x", lo + (hi - lo) * 0.3, lo, hi, dists[j % 4]));
  }
  c.n = 1003;  // 125 vectors of 8 lanes and 3 more; 250 of 4 and 3 more
  simd::for_each_target(compare, &c);
  INFO("the machine's choice: " << simd::target_name());
  CHECK(c.compared >= 1100 * 1003);  // at least the scalar target ran
  CHECK(c.mismatches == 0);
}

}  // namespace leasecalc

namespace leasecalc {

TEST_CASE("vector draws at 1e7 samples: each distribution's mean and quantiles", "[statistics]") {
  // 10,000,000 samples through BlockSampler (the vector path), each distribution against its
  // closed form. A quantile q_p is checked by the share of draws below it, which is p within
  // 6 standard errors sqrt(p (1 - p) / n) (at most 0.00095); the mean within 6 of sd / sqrt(n).
  const std::size_t n = 10000000;
  const double z95 = 1.6448536269514722;
  struct Expect {
    RangedInput input;
    double mean, sd;
    std::array<double, 3> q;  // p5, p50, p95
  };
  const double s_log = std::log(4.0) / (2 * z95);  // lognormal90(5, 20): ln 20 - ln 5 = ln 4
  const std::vector<Expect> expect = {
      // uniform(2, 5): mean 3.5, sd 3 / sqrt(12); q_p = 2 + 3 p
      {ranged("u", 3, 2, 5, Dist::uniform), 3.5, 3 / std::sqrt(12.0), {2.15, 3.5, 4.85}},
      // triangular(1, mode 2, 4): mean 7/3, variance (1 + 4 + 16 - 2 - 4 - 8) / 18 = 7/18;
      // F(2) = 1/3, so q_p = 1 + sqrt(3 p) below it, 4 - sqrt(6 (1 - p)) above
      {ranged("t", 2, 1, 4, Dist::triangular),
       7.0 / 3,
       std::sqrt(7.0 / 18),
       {1 + std::sqrt(0.15), 4 - std::sqrt(3.0), 4 - std::sqrt(0.3)}},
      // normal90(10, 20): mean 15, sd 10 / (2 z95); p5 and p95 are the ends
      {ranged("n", 15, 10, 20, Dist::normal90), 15, 10 / (2 * z95), {10, 15, 20}},
      // lognormal90(5, 20): median 10, mean 10 exp(s^2 / 2), s = ln 4 / (2 z95)
      {ranged("l", 10, 5, 20, Dist::lognormal90),
       10 * std::exp(s_log * s_log / 2),
       10 * std::sqrt((std::exp(s_log * s_log) - 1) * std::exp(s_log * s_log)),
       {5, 10, 20}},
  };
  std::vector<RangedInput> inputs;
  for (const auto& e : expect)
    inputs.push_back(e.input);
  const Correlator independent;
  BlockSampler sampler(inputs, independent, 2026, n);
  std::vector<double> sum(inputs.size(), 0);
  std::vector<std::array<std::size_t, 3>> below(inputs.size(), {0, 0, 0});
  for (std::size_t begin = 0; begin < n; begin += BlockSampler::block) {
    const std::size_t end = std::min(n, begin + BlockSampler::block);
    sampler.draw(begin, end);
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      const double* x = sampler.column(j);
      for (std::size_t i = 0; i < end - begin; ++i) {
        sum[j] += x[i];
        for (std::size_t k = 0; k < 3; ++k)
          below[j][k] += x[i] < expect[j].q[k];
      }
    }
  }
  const double ps[] = {0.05, 0.5, 0.95};
  for (std::size_t j = 0; j < inputs.size(); ++j) {
    INFO(inputs[j].key);
    const double mean = sum[j] / static_cast<double>(n);
    CHECK(std::fabs(mean - expect[j].mean) < 6 * expect[j].sd / std::sqrt(static_cast<double>(n)));
    for (std::size_t k = 0; k < 3; ++k) {
      const double share = static_cast<double>(below[j][k]) / static_cast<double>(n);
      INFO("p" << ps[k]);
      CHECK(std::fabs(share - ps[k]) < 6 * std::sqrt(ps[k] * (1 - ps[k]) / static_cast<double>(n)));
    }
  }
}

}  // namespace leasecalc
