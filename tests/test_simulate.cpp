// simulate and tornado: distributions against their analytic quantiles, determinism,
// summaries by exact order statistics, and tornado order on a scenario of our own.
#include <catch2/catch.hpp>
#include <cmath>

#include "helpers.hpp"
#include "leasecalc/calc/simulate.hpp"

using namespace leasecalc;

namespace {
RangedInput ranged(double value, double low, double high, Dist dist) {
  return test::ranged("x", value, low, high, dist, units::usd_per_gpu_hour);
}
// N draws of one input, summarized.
Summary sampled(const RangedInput& in, std::size_t n, std::uint64_t seed = 2026) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = draw(in, seed, i, 0);
  return summarize(v);
}
constexpr std::size_t k_n = 400000;
}  // namespace

TEST_CASE("normal quantiles", "[simulate]") {
  CHECK(normal_quantile(0.5) == Approx(0).margin(1e-12));
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-8));
  CHECK(normal_quantile(0.05) == Approx(-1.6448536269514722).epsilon(1e-8));
  CHECK(normal_quantile(0.001) == Approx(-3.090232306167813).epsilon(1e-8));  // the tail branch
}

TEST_CASE("each distribution maps u to its analytic quantile", "[simulate]") {
  // triangular(2.2, mode 2.6, 3.0): F^-1(p) = 2.2 + sqrt(p x 0.8 x 0.4) below the mode
  const Figure tri = ranged(2.6, 2.2, 3.0, Dist::triangular).figure;
  CHECK(quantile(tri, 0.05) == Approx(2.2 + std::sqrt(0.05 * 0.8 * 0.4)));  // 2.32649
  CHECK(quantile(tri, 0.5) == Approx(2.6));
  CHECK(quantile(tri, 0.95) == Approx(3.0 - std::sqrt(0.05 * 0.8 * 0.4)));  // 2.87351
  CHECK(quantile(ranged(0.7, 0.5, 0.9, Dist::uniform).figure, 0.25) ==
        Approx(0.6));  // 0.5 + 0.25 x 0.4
  // normal90 and lognormal90: low and high are the 5th and 95th percentiles.
  const Figure n90 = ranged(5, 4, 6, Dist::normal90).figure;
  CHECK(quantile(n90, 0.05) == Approx(4).epsilon(1e-8));
  CHECK(quantile(n90, 0.5) == Approx(5).epsilon(1e-12));
  CHECK(quantile(n90, 0.95) == Approx(6).epsilon(1e-8));
  const Figure ln90 = ranged(5.7e9, 4e9, 8e9, Dist::lognormal90).figure;
  CHECK(quantile(ln90, 0.05) == Approx(4e9).epsilon(1e-8));
  CHECK(quantile(ln90, 0.5) == Approx(std::sqrt(4e9 * 8e9)).epsilon(1e-12));  // the geometric mean
  CHECK(quantile(ln90, 0.95) == Approx(8e9).epsilon(1e-8));
}

TEST_CASE("triangular samples: quantiles and moments", "[simulate][statistics]") {
  // triangular(a=2.2, c=2.6, b=3.0), 400,000 draws.
  // Quantile standard error: sqrt(p(1-p)/N) / f(q). At p = 0.05, q = 2.32649 and
  // f(q) = 2(q-a)/((b-a)(c-a)) = 0.7906, so SE = sqrt(0.0475/4e5)/0.7906 = 0.00044;
  // at the median f = 2.5 and SE = 0.00032. Tolerance: 0.0025, over 5 SE.
  const Summary s = sampled(ranged(2.6, 2.2, 3.0, Dist::triangular), k_n);
  CHECK(s.samples == k_n);
  CHECK(s.p5 == Approx(2.2 + std::sqrt(0.05 * 0.32)).margin(0.0025));
  CHECK(s.p50 == Approx(2.6).margin(0.0025));
  CHECK(s.p95 == Approx(3.0 - std::sqrt(0.05 * 0.32)).margin(0.0025));
  // mean (a+b+c)/3 = 2.6; sd sqrt((a²+b²+c²-ab-ac-bc)/18) = sqrt(0.48/18) = 0.16330.
  // SE of the mean: 0.1633/sqrt(4e5) = 0.00026; tolerance 0.0015.
  CHECK(s.mean == Approx(2.6).margin(0.0015));
  CHECK(s.sd == Approx(std::sqrt(0.48 / 18)).margin(0.0015));
}

TEST_CASE("uniform samples: the mean", "[simulate][statistics]") {
  // uniform(0.5, 0.9): mean 0.7, sd 0.4/sqrt(12) = 0.11547; SE of the mean with
  // 400,000 draws: 0.11547/632.5 = 0.00018; tolerance 0.001, over 5 SE.
  const Summary s = sampled(ranged(0.7, 0.5, 0.9, Dist::uniform), k_n);
  CHECK(s.mean == Approx(0.7).margin(0.001));
  CHECK(s.sd == Approx(0.4 / std::sqrt(12.0)).margin(0.001));
  CHECK(s.p5 ==
        Approx(0.52).margin(0.002));  // 0.5 + 0.05 x 0.4; SE sqrt(0.0475/4e5) x 0.4 = 0.00014
}

TEST_CASE("lognormal90 samples: the 5th and 95th percentiles are low and high",
          "[simulate][statistics]") {
  // lognormal90(4e9, 8e9): sigma = ln 2 / (2 x 1.6449) = 0.2107. The density at 4e9 is
  // phi(1.6449) / (4e9 x 0.2107) = 1.224e-10, so with 400,000 draws the p5 standard error
  // is sqrt(0.0475/4e5) / 1.224e-10 = 8.9e6; at 8e9 it is 1.8e7. Tolerance 1e8 (1.25%).
  const Summary s = sampled(ranged(5.7e9, 4e9, 8e9, Dist::lognormal90), k_n);
  CHECK(s.p5 == Approx(4e9).margin(1e8));
  CHECK(s.p95 == Approx(8e9).margin(1e8));
  CHECK(s.p50 == Approx(std::sqrt(32e18)).margin(5e7));  // 5.657e9, the median of a lognormal
}

TEST_CASE("draws outside the domain are drawn again, and counts are whole", "[simulate]") {
  // normal90(0.1, 1.9) puts about 1.9% of its mass below 0; a price must be above 0.
  const Summary s = sampled(ranged(1, 0.1, 1.9, Dist::normal90), 100000);
  CHECK(s.samples == 100000);
  std::vector<double> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i)
    v[i] = draw(ranged(1, 0.1, 1.9, Dist::normal90), 1, i, 0);
  CHECK(*std::min_element(v.begin(), v.end()) > 0);
  RangedInput count = ranged(150000, 140000, 160000, Dist::uniform);
  count.domain = Domain::count();
  for (std::size_t i = 0; i < 100; ++i) {
    const double x = draw(count, 3, i, 0);
    CHECK(x == std::floor(x));
  }
  RangedInput hopeless = ranged(1, 0.1, 1.9, Dist::normal90);
  hopeless.domain = Domain::above(100);
  CHECK_THROWS_AS(draw(hopeless, 1, 0, 0), std::runtime_error);
}

TEST_CASE("percentiles: linear interpolation between order statistics", "[simulate]") {
  std::vector<double> v{5, 1, 4, 2, 3};  // sorted 1..5; (n-1)p = 4 x 0.05 = 0.2 -> 1 + 0.2 x (2-1)
  const Summary p = summarize(v);
  CHECK(p.p5 == Approx(1.2));
  CHECK(p.p50 == 3);
  CHECK(p.p95 == Approx(4.8));  // 4 x 0.95 = 3.8 -> 4 + 0.8 x (5 - 4)
  std::vector<double> inf{1, HUGE_VAL};
  CHECK_THROWS_AS(summarize(inf), std::runtime_error);
  std::vector<double> w{10, 20, std::nan(""), 30};
  const Summary s = summarize(w);  // the undefined sample is left out
  CHECK(s.samples == 3);
  CHECK(s.mean == Approx(20));
  CHECK(s.sd == Approx(10));  // sqrt(((-10)² + 0 + 10²) / 2)
}

TEST_CASE("simulate: the same seed gives the same samples, whatever the threads", "[simulate]") {
  Scenario s = test::nebula();
  const auto inputs = ranged_inputs(s, Basis::bf16);
  REQUIRE(inputs.size() == 3);  // occupancy, the A100 price, the loss
  const Model m(s, Basis::bf16);
  const std::size_t cov = m.find_output("breakeven.coverage");
  // 200,000 samples are 4 blocks of 65,536, so two threads share the work.
  auto bits = [](const Summary& x) {
    return std::vector<double>{static_cast<double>(x.samples), x.mean, x.sd, x.p5, x.p50, x.p95};
  };
  const auto one = bits(simulate_summary(m, inputs, {}, 7, 200000, cov, 1));
  const auto two = bits(simulate_summary(m, inputs, {}, 7, 200000, cov, 2));
  const auto again = bits(simulate_summary(m, inputs, {}, 7, 200000, cov, 2));
  const auto other = bits(simulate_summary(m, inputs, {}, 8, 200000, cov, 2));
  CHECK(one == two);
  CHECK(two == again);
  CHECK(one != other);
  // Through the model: revenue is linear in occupancy, 44,150,400 x occupancy at the
  // other inputs' values; so with only occupancy ranged (uniform 0.8..0.95) its mean is
  // 44,150,400 x 0.875 = 38,631,600 and the A100 and loss ranges add their own spread.
  Scenario only = test::nebula();
  only.gpus[2].price->low.reset();
  only.gpus[2].price->high.reset();
  only.loss->low.reset();
  only.loss->high.reset();
  const auto occ = ranged_inputs(only, Basis::bf16);
  REQUIRE(occ.size() == 1);
  const Model mo(only, Basis::bf16);
  const Summary r =
      simulate_summary(mo, occ, {}, 11, k_n, mo.find_output("lease.annual_revenue"), 2);
  // SE: 44,150,400 x 0.15/sqrt(12)/sqrt(4e5) = 3,023; tolerance 20,000
  CHECK(r.mean == Approx(44150400.0 * 0.875).margin(20000));
  CHECK(r.p5 == Approx(44150400.0 * (0.8 + 0.05 * 0.15)).margin(20000));
}

TEST_CASE("tornado: sorted by swing on the second scenario", "[simulate]") {
  Scenario s = test::nebula();
  const auto inputs = ranged_inputs(s, Basis::bf16);
  const Model m(s, Basis::bf16);
  double base = 0;
  const auto swings = tornado(m, inputs, m.find_output("breakeven.coverage"), base);
  CHECK(base == Approx(39735360.0 / 30e6));  // 1.3245
  REQUIRE(swings.size() == 3);
  // loss 25M..40M: 39,735,360 / 25e6 = 1.5894 and / 40e6 = 0.9934; swing 0.5960
  CHECK(swings[0].input->key == "loss.annual_net_loss");
  CHECK(swings[0].at_low == Approx(39735360.0 / 25e6));
  CHECK(swings[0].at_high == Approx(39735360.0 / 40e6));
  // occupancy 0.8..0.95: 44,150,400 x 0.8 / 30e6 = 1.1773, x 0.95 = 1.3981; swing 0.2208
  CHECK(swings[1].input->key == "lease.occupancy");
  CHECK(swings[1].swing() == Approx(44150400.0 * 0.15 / 30e6));
  // A100 price 0.6..1.0: 7,095.6 x (4,000 + 2,000 x p) / 30e6 = 1.2299 .. 1.4191; swing 0.1892
  CHECK(swings[2].input->key == "lease.price_per_gpu_hour.A100");
  CHECK(swings[2].swing() == Approx(7095.6 * 800 / 30e6));
}

TEST_CASE("histogram: whole-number samples get whole-number bins, centred on them", "[simulate]") {
  // 1, 2, 2, 3, 3, 3: the middle 99% runs from rank floor(5 x 0.005) = 0 (value 1) to rank
  // floor(5 x 0.995) = 4 (value 3); whole numbers: lo = 1 - 0.5 = 0.5, hi = 3 + 0.5 = 3.5;
  // a width of ceil(3 / 60) = 1, so 3 bins: {1}, {2, 2}, {3, 3, 3}.
  std::vector<double> v{3, 1, 2, 3, 2, 3};
  SummaryRequest request;
  request.histogram_bins = 60;
  const Summary s = summarize(v, request);
  CHECK(s.histogram.whole);
  CHECK(s.histogram.lo == 0.5);
  CHECK(s.histogram.hi == 3.5);
  CHECK(s.histogram.counts == std::vector<std::size_t>{1, 2, 3});
  CHECK(s.histogram.min == 1);
  CHECK(s.histogram.max == 3);
  // 0 to 200 in steps of 1 (201 values): the middle 99% is ranks floor(200 x 0.005) = 1
  // to floor(200 x 0.995) = 199, values 1 to 199, so lo = 0.5 and hi = 199.5: 199 wide,
  // a width of ceil(199 / 60) = 4, ceil(199 / 4) = 50 bins, to 0.5 + 50 x 4 = 200.5.
  std::vector<double> w;
  for (int i = 0; i <= 200; ++i)
    w.push_back(i);
  const Summary t = summarize(w, request);
  CHECK(t.histogram.whole);
  CHECK(t.histogram.lo == 0.5);
  CHECK(t.histogram.hi == 200.5);
  CHECK(t.histogram.counts.size() == 50);
  CHECK(t.histogram.below == 1);  // the 0
  CHECK(t.histogram.above == 0);  // 200 falls in the last bin, [196.5, 200.5]
  // Not whole: 60 equal bins over the middle 99%, as before.
  std::vector<double> x{0.5, 1.5, 2.25};
  const Summary u = summarize(x, request);
  CHECK_FALSE(u.histogram.whole);
  CHECK(u.histogram.counts.size() == 60);
}
