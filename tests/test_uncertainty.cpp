// Issue 15's statistics against closed forms: Iman-Conover rank correlation, P(X >= t),
// standard errors, Spearman and the rank-regression share of variance. Each tolerance is
// a multiple of the estimator's standard error at the sample size used, worked out beside
// the check.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "helpers.hpp"
#include "leasecalc/calc/schedule.hpp"
#include "leasecalc/calc/simulate.hpp"
#include "leasecalc/calc/stats.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/keys.hpp"

using namespace leasecalc;

namespace {
using test::ranged;

// n samples of the inputs, correlated by `pairs`: column j holds input j.
std::vector<std::vector<double>> sample(const std::vector<RangedInput>& inputs,
                                        const std::vector<RankCorrelation>& pairs, std::size_t n,
                                        std::uint64_t seed = 2026) {
  const Correlator correlator(inputs.size(), pairs);
  BlockSampler sampler(inputs, correlator, seed, n);
  std::vector<std::vector<double>> cols(inputs.size(), std::vector<double>(n));
  for (std::size_t begin = 0; begin < n; begin += BlockSampler::block) {
    const std::size_t end = std::min(n, begin + BlockSampler::block);
    sampler.draw(begin, end);
    for (std::size_t j = 0; j < inputs.size(); ++j)
      std::copy(sampler.column(j), sampler.column(j) + (end - begin), cols[j].begin() + begin);
  }
  return cols;
}

// Two models' counts and a uniform price: revenue = 2 x 8,760 x (H100 + H200), additive.
const char* k_additive = R"({
  "schema": "leasecalc/scenario/v1", "name": "additive",
  "cluster": {"gpus": {
    "H100": {"count": {"value": 100000, "low": 90000, "high": 110000, "dist": "normal90", "tag": "assumption"}},
    "H200": {"count": {"value": 100000, "low": 80000, "high": 120000, "dist": "normal90", "tag": "assumption"}}}},
  "lease": {"price_per_gpu_hour": 2, "occupancy": 1}
})";
}  // namespace

TEST_CASE("argsort and ranks: ties share their average rank", "[statistics]") {
  const std::vector<double> x{3, -1, 2, 2, -0.0, 7, 2};
  std::vector<std::uint32_t> order(x.size());
  std::vector<std::uint64_t> scratch;
  argsort(x.data(), x.size(), order.data(), scratch);
  CHECK(order == std::vector<std::uint32_t>{1, 4, 2, 3, 6, 0, 5});
  std::vector<double> rank(x.size());
  ranks_from_order(x.data(), order.data(), x.size(), rank.data());
  // -1 is 1st, 0 2nd, the three 2s share (3 + 4 + 5) / 3 = 4, 3 is 6th, 7 is 7th
  CHECK(rank == std::vector<double>{6, 1, 4, 4, 2, 7, 4});
  // A block of 65,536 random values comes out in the order std::sort gives.
  std::vector<double> y(65536);
  for (std::size_t i = 0; i < y.size(); ++i)
    y[i] = std::round(uniform01(5, i, 0, 0) * 1e4) - 5e3;  // many ties, both signs
  order.resize(y.size());
  argsort(y.data(), y.size(), order.data(), scratch);
  std::vector<std::uint32_t> expected(y.size());
  for (std::uint32_t i = 0; i < expected.size(); ++i)
    expected[i] = i;
  std::sort(expected.begin(), expected.end(), [&](std::uint32_t a, std::uint32_t b) {
    return y[a] < y[b] || (y[a] == y[b] && a < b);
  });
  CHECK(order == expected);
  // Beyond a float's range every value rounds to an infinity: still in value order.
  const std::vector<double> huge{1e300, -1e300, 5e299, 3e38, -1e39, 1e39};
  order.resize(huge.size());
  argsort(huge.data(), huge.size(), order.data(), scratch);
  CHECK(order == std::vector<std::uint32_t>{1, 4, 3, 5, 2, 0});
}

TEST_CASE("matrices: Jacobi eigenvalues, Cholesky, and the pair most at fault", "[statistics]") {
  // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
  Matrix m(2);
  m(0, 0) = m(1, 1) = 2;
  m(0, 1) = m(1, 0) = 1;
  const Eigen e = eigen_symmetric(m);
  CHECK(e.values[0] == Approx(1).epsilon(1e-12));
  CHECK(e.values[1] == Approx(3).epsilon(1e-12));
  const auto l = cholesky(m);
  REQUIRE(l);
  CHECK((*l)(0, 0) == Approx(std::sqrt(2.0)));
  CHECK((*l)(1, 0) == Approx(1 / std::sqrt(2.0)));
  CHECK((*l)(1, 1) == Approx(std::sqrt(1.5)));  // 2 - 1/2
  // a~b 0.9 and b~c 0.9 force a~c >= 2 x 0.81 - 1 = 0.62; -0.5 cannot hold. By the
  // symmetry a <-> c the smallest eigenvalue's vector is (x, y, x): (0.5 - l) x + 0.9 y = 0
  // and 1.8 x + (1 - l) y = 0 give l = (1.5 - sqrt(2.25 + 4.48)) / 2 = -0.547 and
  // (0.546, -0.635, 0.546). The terms 2 v_a v_b rho are -0.624 for a~b and b~c and
  // -0.298 for a~c: a strong pair is named. (It is also the cheaper fix: a~b alone must
  // fall to -0.073, a change of 0.97, where a~c must rise by 1.12.) With a~c 0.7 it holds.
  std::vector<RankCorrelation> pairs{{0, 2, -0.5}, {0, 1, 0.9}, {1, 2, 0.9}};
  const auto problem = psd_fault(3, pairs);
  REQUIRE(problem);
  CHECK(problem->eigenvalue < 0);
  CHECK(problem->pair != 0);
  pairs[0].rank = 0.7;
  CHECK_FALSE(psd_fault(3, pairs));
  CHECK(cholesky(Matrix::identity(3)).value().a == Matrix::identity(3).a);  // I = I I^T
}

TEST_CASE("Iman-Conover: the rank correlations asked for, the draws unchanged", "[statistics]") {
  // Spearman's rho estimated from n = 100,000 pairs has a standard error of about
  // (1 - rho^2) / sqrt(n) <= 1 / 316 = 0.0032; +-0.02 is over 6 of them, so a check fails
  // only when the method misses its target.
  const std::size_t n = 100000;
  SECTION("two inputs, positive and negative") {
    const std::vector<RangedInput> in{ranged("a", 2.6, 2.2, 3.0, Dist::triangular),
                                      ranged("b", 0.9, 0.7, 1.0, Dist::uniform)};
    for (double rho : {0.8, 0.5, -0.6}) {
      const auto cols = sample(in, {{0, 1, rho}}, n);
      CHECK(spearman(cols[0].data(), cols[1].data(), n) == Approx(rho).margin(0.02));
    }
  }
  SECTION("four inputs of four distributions") {
    const std::vector<RangedInput> in{
        ranged("a", 2.6, 2.2, 3.0, Dist::triangular), ranged("b", 0.9, 0.7, 1.0, Dist::uniform),
        ranged("c", 6e9, 5e9, 7e9, Dist::lognormal90), ranged("d", 10, 8, 12, Dist::normal90)};
    const std::vector<RankCorrelation> pairs{
        {0, 1, 0.5}, {0, 2, 0.3}, {0, 3, -0.2}, {1, 2, 0.4}, {2, 3, 0.1}};
    REQUIRE_FALSE(psd_fault(4, pairs));
    const auto cols = sample(in, pairs, n);
    Matrix target = Matrix::identity(4);
    for (const auto& p : pairs)
      target(p.a, p.b) = target(p.b, p.a) = p.rank;  // b~d not given: 0
    for (std::size_t a = 0; a < 4; ++a)
      for (std::size_t b = a + 1; b < 4; ++b)
        CHECK(spearman(cols[a].data(), cols[b].data(), n) == Approx(target(a, b)).margin(0.02));
    // Each input's values are the independent draws, only reordered.
    const auto independent = sample(in, {}, n);
    for (std::size_t j = 0; j < 4; ++j) {
      auto x = cols[j], y = independent[j];
      std::sort(x.begin(), x.end());
      std::sort(y.begin(), y.end());
      CHECK(x == y);
    }
  }
}

TEST_CASE("more than 1,024 ranged inputs draw independently of one another", "[statistics]") {
  // 1,100 inputs of one shape: the draw index held 10 bits of input, so input 1,024 + m of
  // sample s drew what input m drew in sample s + 1, exactly.
  std::vector<RangedInput> inputs;
  for (int j = 0; j < 1100; ++j)
    inputs.push_back(ranged("x" + std::to_string(j), 0.5, 0.1, 0.9, Dist::uniform));
  const std::size_t n = 2000;
  const auto cols = sample(inputs, {}, n);
  std::size_t equal = 0;
  double worst = 0;
  for (std::size_t m = 0; m + 1024 < inputs.size(); ++m) {
    const auto& late = cols[1024 + m];
    const auto& early = cols[m];
    for (std::size_t i = 0; i + 1 < n; ++i)
      equal += late[i] == early[i + 1] || late[i] == early[i];
    // Pearson's r of the pair, shifted by a sample and not: about 0 for independent
    // draws (its sd is 1 / sqrt(2,000) = 0.022; 0.15 is beyond 6 sd).
    for (std::size_t shift : {0, 1}) {
      double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      const double k = static_cast<double>(n - 1);
      for (std::size_t i = 0; i + 1 < n; ++i) {
        const double a = late[i], b = early[i + shift];
        sa += a, sb += b, saa += a * a, sbb += b * b, sab += a * b;
      }
      const double r = (sab - sa * sb / k) / std::sqrt((saa - sa * sa / k) * (sbb - sb * sb / k));
      worst = std::max(worst, std::fabs(r));
    }
  }
  CHECK(equal == 0);
  CHECK(worst < 0.15);
  // The first 1,024 keep the stream they had: the same as a run of 1,024 inputs.
  const std::vector<RangedInput> first(inputs.begin(), inputs.begin() + 1024);
  CHECK(sample(first, {}, n)[1023] == cols[1023]);
}

TEST_CASE("correlated simulate is the same for any thread count", "[statistics]") {
  Scenario s = test::nebula();
  const auto inputs = ranged_inputs(s, Basis::bf16);  // the A100 price, occupancy, the loss
  const Model m(s, Basis::bf16);
  const Correlator c(inputs.size(), {{0, 2, -0.5}, {0, 1, 0.3}});
  const std::size_t cov = m.find_output("breakeven.coverage");
  SummaryRequest request;
  request.sensitivity = true;
  request.thresholds = {{Compare::ge, 1.3}};
  const Summary one = simulate_summary(m, inputs, c, 9, 200000, cov, 1, request);
  const Summary two = simulate_summary(m, inputs, c, 9, 200000, cov, 2, request);
  CHECK(one.mean == two.mean);
  CHECK(one.p95 == two.p95);
  CHECK(one.se_p50 == two.se_p50);
  CHECK(one.probabilities[0].p == two.probabilities[0].p);
  CHECK(one.sensitivity[0].spearman == two.sensitivity[0].spearman);
  CHECK(one.r2 == two.r2);
  // Revenue (with the A100 price) and the loss correlated negatively spread coverage
  // (revenue / loss) wider than independent draws do.
  const Summary free = simulate_summary(m, inputs, {}, 9, 200000, cov, 2, request);
  CHECK(free.sd < one.sd);
}

TEST_CASE("P(X >= t) and its standard error against the closed form", "[statistics]") {
  // 1,000,000 draws: the estimate's standard error is sqrt(p (1 - p) / 1e6) <= 0.0005;
  // the margin is 4 of them.
  const std::size_t n = 1000000;
  auto probability = [&](const RangedInput& in, Threshold t) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i)
      v[i] = draw(in, 77, i, 0);
    SummaryRequest r;
    r.thresholds = {t};
    return summarize(v, r).probabilities.at(0);
  };
  SECTION("uniform(0.5, 0.9): P(X >= 0.8) = (0.9 - 0.8) / 0.4 = 0.25") {
    const Probability p =
        probability(ranged("u", 0.7, 0.5, 0.9, Dist::uniform), {Compare::ge, 0.8});
    const double se = std::sqrt(0.25 * 0.75 / 1e6);  // 0.000433
    CHECK(p.p == Approx(0.25).margin(4 * se));
    CHECK(p.se == Approx(std::sqrt(p.p * (1 - p.p) / 1e6)).epsilon(1e-12));
  }
  SECTION(
      "triangular(2.2, 2.6, 3.0): P(X > 2.8) = (3.0 - 2.8)^2 / ((3.0 - 2.2)(3.0 - 2.6)) = 0.125") {
    const Probability p =
        probability(ranged("t", 2.6, 2.2, 3.0, Dist::triangular), {Compare::gt, 2.8});
    CHECK(p.p == Approx(0.125).margin(4 * std::sqrt(0.125 * 0.875 / 1e6)));  // 4 x 0.00033
  }
  SECTION("triangular below the mode: P(X <= 2.4) = (2.4 - 2.2)^2 / (0.8 x 0.4) = 0.125") {
    const Probability p =
        probability(ranged("t", 2.6, 2.2, 3.0, Dist::triangular), {Compare::le, 2.4});
    CHECK(p.p == Approx(0.125).margin(4 * std::sqrt(0.125 * 0.875 / 1e6)));
  }
}

TEST_CASE("standard errors of the mean and of the percentiles", "[statistics]") {
  // uniform(0, 1) by its quantile, 1,000,000 draws: sd = 1/sqrt 12 = 0.288675, so the
  // mean's SE is 0.000288675. A percentile's SE is sqrt(p (1 - p) / n) / f(x_p), and the
  // density f is 1: 0.0005 at p50, 0.000218 at p5 and p95. The estimate is half the gap
  // between order statistics about 2 sqrt(n p (1 - p)) ranks apart (436 to 1,000), so it
  // varies by about 1 / sqrt(436) = 5%; the margin is 20%.
  const std::size_t n = 1000000;
  const RangedInput in = ranged("u", 0.5, 1e-12, 1, Dist::uniform);
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = draw(in, 3, i, 0);
  const Summary s = summarize(v);
  CHECK(s.se_mean == Approx(s.sd / 1000).epsilon(1e-12));
  CHECK(s.se_mean == Approx(1 / std::sqrt(12.0) / 1000).epsilon(0.01));
  CHECK(s.se_p50 == Approx(0.0005).epsilon(0.2));
  CHECK(s.se_p5 == Approx(std::sqrt(0.05 * 0.95 / 1e6)).epsilon(0.2));
  CHECK(s.se_p95 == Approx(std::sqrt(0.05 * 0.95 / 1e6)).epsilon(0.2));
}

TEST_CASE("sampled sensitivity: Spearman and the share of variance", "[statistics]") {
  SECTION("a monotone model of one input: Spearman 1, the whole share") {
    // Revenue is the price times a constant: the ranks agree exactly.
    Scenario s = test::nebula();
    s.gpus[2].price->low.reset();
    s.gpus[2].price->high.reset();
    s.loss->low.reset();
    s.loss->high.reset();
    const auto inputs = ranged_inputs(s, Basis::bf16);
    REQUIRE(inputs.size() == 1);  // occupancy: revenue is linear in it
    const Model m(s, Basis::bf16);
    SummaryRequest r;
    r.sensitivity = true;
    const Summary sum =
        simulate_summary(m, inputs, {}, 5, 100000, m.find_output("lease.annual_revenue"), 2, r);
    REQUIRE(sum.sensitivity.size() == 1);
    CHECK(sum.sensitivity[0].spearman == Approx(1).margin(1e-12));
    CHECK(sum.sensitivity[0].share == Approx(1).margin(1e-12));
    CHECK(sum.r2 == Approx(1).margin(1e-12));
  }
  SECTION("an additive model of independent normal inputs") {
    // Y = 17,520 (H100 + H200) with H100 ~ N(100k, 10k/z95) and H200 ~ N(100k, 20k/z95):
    // (Y, X_j) is bivariate normal with r_j = s_j / sqrt(s1^2 + s2^2): r1 = 1/sqrt 5 =
    // 0.447214, r2 = 2/sqrt 5 = 0.894427. For normals Spearman's rho is
    // (6/pi) asin(r/2): 0.430686 and 0.885513. With independent inputs the rank
    // regression's coefficients are those rhos, so the shares are rho_j^2 / (rho_1^2 +
    // rho_2^2): 0.191305 and 0.808695 (against 0.2 and 0.8 for the variance of the
    // values). At 200,000 samples rho's SE is (1 - rho^2)/sqrt(n) <= 0.0019 and a share's
    // about twice that; the margins are 0.01.
    Scenario s = test::from_text(k_additive);
    const auto inputs = ranged_inputs(s, Basis::bf16);
    REQUIRE(inputs.size() == 2);
    const Model m(s, Basis::bf16);
    SummaryRequest r;
    r.sensitivity = true;
    const Summary sum =
        simulate_summary(m, inputs, {}, 21, 200000, m.find_output("lease.annual_revenue"), 2, r);
    const double pi = std::acos(-1.0);
    const double rho1 = 6 / pi * std::asin(1 / std::sqrt(5.0) / 2);
    const double rho2 = 6 / pi * std::asin(2 / std::sqrt(5.0) / 2);
    REQUIRE(sum.sensitivity.size() == 2);
    CHECK(inputs[sum.sensitivity[0].input].key == "cluster.gpus.H200.count");  // the stronger
    CHECK(sum.sensitivity[0].spearman == Approx(rho2).margin(0.01));
    CHECK(sum.sensitivity[1].spearman == Approx(rho1).margin(0.01));
    CHECK(sum.sensitivity[0].share ==
          Approx(rho2 * rho2 / (rho1 * rho1 + rho2 * rho2)).margin(0.01));
    CHECK(sum.sensitivity[1].share ==
          Approx(rho1 * rho1 / (rho1 * rho1 + rho2 * rho2)).margin(0.01));
    CHECK(sum.sensitivity[0].share + sum.sensitivity[1].share == Approx(1).epsilon(1e-12));
    // The rank regression explains rho1^2 + rho2^2 = 0.969603 of the rank variance.
    CHECK(sum.r2 == Approx(rho1 * rho1 + rho2 * rho2).margin(0.01));
  }
}

TEST_CASE("correlations: keys must be ranged inputs, and the matrix must hold", "[statistics]") {
  Scenario s = test::nebula();
  const auto inputs = ranged_inputs(s, Basis::bf16);
  s.correlations.push_back(
      {"lease.occupancy", "cluster.gpus.H100.count", 0.5, {}, {}, {7, 9, "/correlations/0/b"}});
  try {
    resolve_correlations(s, inputs);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) ==
          "nebula.json:7:9: /correlations/0/b: \"cluster.gpus.H100.count\" is not a ranged input "
          "of this scenario: correlations need inputs with low/high (or --tag-ranges); ranged "
          "here: lease.price_per_gpu_hour.A100, lease.occupancy, loss.annual_net_loss");
  }
  s.correlations = {{"lease.occupancy", "loss.annual_net_loss", 0.5, {}, {}, {}}};
  const auto pairs = resolve_correlations(s, inputs);
  REQUIRE(pairs.size() == 1);
  CHECK(pairs[0].a == 1);
  CHECK(pairs[0].b == 2);
  CHECK(pairs[0].rank == 0.5);
}

TEST_CASE("simulate --schedule: cumulative cash per period over the samples", "[statistics]") {
  // Kestrel with its other opex ranged uniform $1,000 to $3,000 a GPU-year around its value
  // of $2,000. Cash is linear in it, so the mean of cumulative cash at each period's end is
  // the schedule's at $2,000, and p5 and p95 lie symmetrically about it. Over the 36 months
  // the 1,500 GPUs' opex is 1,500 x 3 x opex: the sd of the final cash is 4,500 x 2,000 /
  // sqrt 12 = 2.598M, the SE of its mean at 100,000 samples 8.2k; the margin is 50k.
  Scenario s = test::kestrel();
  for (auto& [key, f] : s.figures)
    if (key == "costs.opex_per_gpu_year") {
      f.low = 1000;
      f.high = 3000;
      f.dist = Dist::uniform;
    }
  // The catalog's GB200 server power has a range of its own (120-132 kW a rack): pinned.
  Figure* gb200 = input_key("catalog.{}").figure(s, "GB200.server_w_per_gpu");
  REQUIRE(gb200);
  gb200->low.reset();
  gb200->high.reset();
  const auto inputs = ranged_inputs(s, Basis::bf16);
  REQUIRE(inputs.size() == 1);
  const Model m(s, Basis::bf16);
  const Schedule plan = build_schedule(m, s.name, Period::quarter, {"cumulative_cash"});
  std::vector<int> ends;
  int month = 0;
  for (const auto& row : plan.rows)
    ends.push_back((month += row.months) - 1);
  const auto cash = simulate_cumulative_cash(m, inputs, {}, 4, 100000, ends, 2);
  REQUIRE(cash.size() == plan.rows.size());
  for (std::size_t p = 0; p < cash.size(); ++p) {
    const double at_value = plan.rows[p].values[0].v;
    CHECK(cash[p].mean == Approx(at_value).margin(50000));
    CHECK(cash[p].p50 == Approx(at_value).margin(50000));
    CHECK(cash[p].p95 - cash[p].p50 == Approx(cash[p].p50 - cash[p].p5).margin(100000));
  }
  // At the end: opex's p5 and p95 are 1,100 and 2,900, so cash's p5 is 4,500 x 900 =
  // 4.05M below the value and p95 as far above; each percentile's SE is about 16k.
  CHECK(cash.back().p95 - cash.back().p5 == Approx(2 * 4500.0 * 900).margin(100000));
}
