// One file for the what-if core (--set, sweep, solve, explain): each test builds on the
// scenarios and the independent arithmetic evaluator at the top.
// --set overrides, sweep grids, goal seeking and explanations, against hand arithmetic.
#include <catch2/catch.hpp>
#include <cctype>
#include <cmath>
#include <map>

#include "helpers.hpp"
#include "leasecalc/calc/override.hpp"
#include "leasecalc/calc/whatif.hpp"
#include "leasecalc/model/text.hpp"

using namespace leasecalc;

namespace {
Override ok_override(std::string_view text) { return parse_override(text); }
std::string bad_override(std::string_view text) {
  const std::string why = test::usage_error([&] { parse_override(text); });
  REQUIRE_FALSE(why.empty());
  return why;
}
Axis ok_axis(std::string_view text) { return parse_axis(text); }
std::string bad_axis(std::string_view text) {
  const std::string why = test::usage_error([&] { parse_axis(text); });
  REQUIRE_FALSE(why.empty());
  return why;
}

// Evaluates an explain values-form such as "(1,000 x 2 + 400 x 5) x 8,760 / 3" with the
// usual precedence: an evaluator independent of the model's code.
// An evaluator of explain's values line, written apart from the model: numbers with
// thousands commas, x / + - ^, unary minus, max(), min(), floor(), if(c, a, b) with
// `undefined`, < >= and `and`, and ", rounded up to a whole number". NaN is undefined.
struct Arithmetic {
  std::string s;
  std::size_t i = 0;
  // The month index m, and the month's quantities ("revenue" -> its values text), for
  // the sums over the contract's months.
  double m = std::nan("");
  const std::map<std::string, std::string>* months = nullptr;
  // A month's quantity at a month, once computed: a quantity carried from month to month
  // (a balance, a loss carried forward) sums its own earlier months.
  std::map<std::pair<std::string, int>, double>* memo = nullptr;
  double quantity(const std::string& name, double at) {
    const auto key = std::make_pair(name, static_cast<int>(at));
    if (memo)
      if (auto it = memo->find(key); it != memo->end()) return it->second;
    Arithmetic inner{months->at(name)};
    inner.m = at;
    inner.months = months;
    inner.memo = memo;
    const double v = inner.value();
    if (memo) (*memo)[key] = v;
    return v;
  }
  void ws() {
    while (i < s.size() && s[i] == ' ')
      ++i;
  }
  bool take(std::string_view word) {
    ws();
    if (s.compare(i, word.size(), word) != 0) return false;
    i += word.size();
    return true;
  }
  double number() {
    ws();
    if (take("(")) {  // a constant written as a fraction, "(1/12)"
      const double v = sum();
      take(")");
      return v;
    }
    std::string digits;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' ||
                            (s[i] == ',' && i + 1 < s.size() &&
                             std::isdigit(static_cast<unsigned char>(s[i + 1])))))
      if (s[i++] != ',') digits += s[i - 1];
    if (digits.empty()) throw std::runtime_error("a number expected at " + s.substr(i));
    return std::stod(digits);
  }
  double primary() {
    if (take("(")) {
      const double v = condition();
      take(")");
      return v;
    }
    if (take("undefined")) return std::nan("");
    if (take("online share at month ")) {  // the ramp: the last step at or before k
      const double k = sum();
      double share = 0;
      take("(");
      while (take("from month ")) {
        const double from = number();
        take(":");
        const double value = condition();
        if (from <= k) share = value;
        take(",");
      }
      take("; before the first step: 0)");
      return share;
    }
    if (take("market price at month ")) {  // linear between the points, flat outside
      const double k = sum();
      std::vector<std::pair<double, double>> points;
      take("(");
      while (take("at month ")) {
        const double at = take("-") ? -number() : number();
        take(":");
        points.emplace_back(at, condition());
        take(",");
      }
      take("; linear between, flat outside)");
      if (k <= points.front().first) return points.front().second;
      for (std::size_t j = 1; j < points.size(); ++j)
        if (k < points[j].first) {
          const auto [a, va] = points[j - 1];
          const auto [b, vb] = points[j];
          return va + (vb - va) * (k - a) / (b - a);
        }
      return points.back().second;
    }
    if (months) {  // a month's quantity, "revenue(m)": its own definition at this m
      ws();
      for (const auto& [name, text] : *months)
        if (take(name + "(m)")) return quantity(name, m);
      if (take("sum over months j = 0 .. m - 1 of ")) {  // its earlier months
        for (const auto& [name, text] : *months)
          if (take(name + "(j)")) {
            double total = 0;
            for (int j = 0; j < static_cast<int>(m); ++j)
              total += quantity(name, j);
            return total;
          }
        throw std::runtime_error("a month's quantity expected at " + s.substr(i));
      }
    }
    ws();
    if (!std::isnan(m) && s.compare(i, 1, "m") == 0 &&
        (i + 1 == s.size() || !std::isalpha(static_cast<unsigned char>(s[i + 1])))) {
      ++i;  // the month index, not the m of max(
      return m;
    }
    for (std::string_view f : {"max(", "min(", "floor("}) {
      if (!take(f)) continue;
      double v = condition();
      while (take(","))
        v = f == "max(" ? std::max(v, condition()) : std::min(v, condition());
      take(")");
      return f == "floor(" ? std::floor(v) : v;
    }
    if (take("if(")) {
      const double c = condition();
      take(",");
      const double a = condition();
      take(",");
      const double b = condition();
      take(")");
      return c != 0 ? a : b;
    }
    return number();
  }
  double power() {
    const double v = primary();
    return take("^") ? std::pow(v, unary()) : v;
  }
  double unary() { return take("-") ? -unary() : power(); }
  double product() {
    double v = unary();
    while (true) {
      if (take("x "))
        v *= unary();
      else if (take("/"))
        v /= unary();
      else
        return v;
    }
  }
  double sum() {
    double v = product();
    while (true) {
      if (take("+"))
        v += product();
      else if (take("- "))
        v -= product();
      else
        return v;
    }
  }
  double condition() {
    double v = sum();
    if (take("<")) v = v < sum() ? 1 : 0;
    if (take(">=")) v = v >= sum() ? 1 : 0;
    while (take("and")) {
      const double rhs = condition();  // read it whatever v is
      v = (v != 0 && rhs != 0) ? 1 : 0;
    }
    return v;
  }
  double value() {
    double v = condition();
    if (take(", rounded up to a whole number")) v = std::ceil(v);
    ws();
    if (i != s.size()) throw std::runtime_error("left over: " + s.substr(i));
    return v;
  }
};
}  // namespace

// What every number error from the command line ends with.
const std::string k_units_hint =
    "; write a plain number, a share as 85%, a price as $2.20, or 550k, 5.0B, 1.8T";

TEST_CASE("set: values are parsed strictly, base 10", "[whatif]") {
  const Override o = ok_override("lease.occupancy=0.85");
  CHECK(o.key == "lease.occupancy");
  CHECK(o.value == 0.85);
  CHECK_FALSE(o.tag);
  CHECK(ok_override("lease.price_per_gpu_hour.H200=3.5@reported").tag == Tag::reported);
  CHECK(ok_override("loss.annual_net_loss=6e9@confirmed").tag == Tag::primary);
  // @TAG:SOURCE,... (README "Filing day")
  const Override sourced = ok_override("valuation=1.8T@primary:s-1,broker");
  CHECK(sourced.value == 1.8e12);
  CHECK(sourced.tag == Tag::primary);
  CHECK(sourced.sources == std::vector<std::string>{"s-1", "broker"});
  CHECK(bad_override("valuation=1.8T@primary:") ==
        "valuation: an empty source id after \"primary:\"; write KEY=VALUE@TAG:SOURCE");
  CHECK(ok_override("x=-0.5").value == -0.5);  // the domain, not the parser, rejects it
  CHECK(bad_override("lease.occupancy=0x1") ==
        "lease.occupancy: \"0x1\" is not a number: unexpected 'x'" + k_units_hint);
  CHECK(
      bad_override("lease.occupancy=010") ==
      "lease.occupancy: \"010\" is not a number: leading zeros are not allowed (write 8, not 08)" +
          k_units_hint);
  CHECK(
      bad_override("lease.occupancy=nan")
          .ends_with("\"nan\" is not a number: expected a base-10 number such as 2.6, 1e9 or -0.5" +
                     k_units_hint));
  CHECK(bad_override("lease.occupancy=inf")
            .ends_with("\"inf\" is not a number: expected a base-10 "
                       "number such as 2.6, 1e9 or -0.5" +
                       k_units_hint));
  CHECK(bad_override("lease.occupancy=0.5abc") ==
        "lease.occupancy: \"0.5abc\" is not a number: unexpected 'a'" + k_units_hint);
  CHECK(bad_override("lease.occupancy=+1")
            .ends_with("expected a base-10 number such as 2.6, 1e9 or -0.5" + k_units_hint));
  CHECK(bad_override("lease.occupancy=.5")
            .ends_with("expected a base-10 number such as 2.6, 1e9 or -0.5" + k_units_hint));
  CHECK(bad_override("lease.occupancy=1,000").ends_with("unexpected ','" + k_units_hint));
  CHECK(bad_override("lease.occupancy=1e999")
            .ends_with("out of the range of a double" + k_units_hint));
  CHECK(bad_override("lease.occupancy=").ends_with("it is empty" + k_units_hint));
  CHECK(bad_override("lease.occupancy") ==
        "\"lease.occupancy\": expected KEY=VALUE[@TAG], such as lease.occupancy=0.85@assumption");
  CHECK(bad_override("lease.occupancy=0.5@reportd") ==
        "lease.occupancy: unknown tag \"reportd\" (did you mean \"reported\"?); allowed: exact, "
        "primary, confirmed, reported, estimate, assumption, ai-prior");
}

TEST_CASE("a whole number must be one as written, not only once a double rounds it", "[whatif]") {
  CHECK(exact_whole("1000"));
  CHECK(exact_whole("1000.000"));
  CHECK(exact_whole("1e3"));
  CHECK(exact_whole("1.5e3"));  // 1,500
  CHECK(exact_whole("1.5k"));   // 1,500
  CHECK(exact_whole("300%"));   // 3
  CHECK(exact_whole("-0"));
  CHECK(exact_whole("0e999999"));
  CHECK(exact_whole("9007199254740992"));  // 2^53
  CHECK(exact_whole("9007199254740992.000"));
  CHECK(exact_whole("90071992547409920e-1"));
  CHECK_FALSE(exact_whole("1000.0000000000000001"));  // a double holds 1000
  CHECK_FALSE(exact_whole("9007199254740993"));       // 2^53 + 1: a double holds 2^53
  CHECK_FALSE(exact_whole("9007199254740992.5"));
  CHECK_FALSE(exact_whole("1e16"));  // whole, and a double holds it, but above 2^53
  CHECK_FALSE(exact_whole("1.5e0"));
  CHECK_FALSE(exact_whole("250%"));  // 2.5
  CHECK_FALSE(exact_whole("1e-400"));
  CHECK(parse_count("9007199254740992") == 9007199254740992.0);
  CHECK_THROWS_WITH(parse_count("9007199254740993"),
                    "\"9007199254740993\" is not a whole number from 0 to 2^53");
  // A count from the command line, and one that is not a count.
  Scenario s = test::colossus();
  CHECK_THROWS_WITH(apply_override(s, ok_override("cluster.gpus.H100.count=1000.0000000000000001")),
                    "must be a whole number, got 1000.0000000000000001 (a double would hold it "
                    "as 1000)");
  REQUIRE_NOTHROW(apply_override(s, ok_override("lease.price_per_gpu_hour=2.6000000000000000001")));
}

TEST_CASE("set: replaces a figure and every result moves", "[whatif]") {
  Scenario s = test::colossus();
  REQUIRE_NOTHROW(apply_override(s, ok_override("lease.occupancy=0.85")));
  CHECK(s.occupancy.value == 0.85);
  CHECK(s.occupancy.tag == Tag::assumption);
  CHECK(s.occupancy.overridden);
  CHECK(s.occupancy.sources.empty());
  CHECK(s.occupancy.note == "was 100.0% [estimate]");  // in the figure's human units
  const Report r = build_report(s, Basis::bf16);
  // 5,010,720,000 x 0.85 = 4,259,112,000; the assumption is now the weakest tag
  CHECK(test::row(r, "lease.annual_revenue").value == Approx(4259112000.0));
  CHECK(test::row(r, "lease.annual_revenue").tag == Tag::assumption);
  CHECK(test::row(r, "lease.occupancy").overridden);
}

TEST_CASE("set: a tag stronger than assumption needs a declared source, as in a file", "[whatif]") {
  Scenario s = test::colossus();
  CHECK_THROWS_WITH(
      apply_override(s, ok_override("lease.occupancy=0.9@primary")),
      "a primary figure needs a source, as in a file: write lease.occupancy=VALUE@primary:SOURCE, "
      "with an id the scenario declares (`leasecalc sources` lists them) or one declared by "
      "`leasecalc update --source ID`");
  CHECK_THROWS_WITH(
      apply_override(s, ok_override("lease.occupancy=0.9@primary:mirae")),
      "undeclared source id \"mirae\" (did you mean \"mirae-2026-05-08\"?); `leasecalc "
      "sources` lists the ids the scenario declares");
  REQUIRE_NOTHROW(apply_override(s, ok_override("lease.occupancy=0.9@primary:mirae-2026-05-08")));
  const Report r = build_report(s, Basis::bf16);
  CHECK(test::row(r, "lease.occupancy").tag == Tag::primary);
  CHECK(test::row(r, "lease.occupancy").sources == std::vector<std::string>{"mirae-2026-05-08"});
  // exact and assumption need none; a catalog source counts as declared
  CHECK_NOTHROW(apply_override(s, ok_override("lease.hours_per_year=8784@exact")));
  CHECK_NOTHROW(
      apply_override(s, ok_override("catalog.H100.bf16_tflops=990@primary:nvidia-h100-spec")));
}

TEST_CASE("set: a per-type price on a uniform lease, add a discount, add a model", "[whatif]") {
  Scenario s = test::colossus();
  REQUIRE_NOTHROW(apply_override(
      s, ok_override("lease.price_per_gpu_hour.H200=3.5@reported:mirae-2026-05-08")));
  CHECK_FALSE(s.price);
  // 8,760 x (150,000 x 2.60 + 50,000 x 3.50 + 20,000 x 2.60) = 8,760 x 617,000 = 5,404,920,000
  Report r = build_report(s, Basis::bf16);
  CHECK(test::row(r, "lease.annual_revenue").value == Approx(5404920000.0));
  CHECK(test::row(r, "lease.price_per_gpu_hour.H100").tag == Tag::estimate);  // kept
  CHECK(test::row(r, "lease.price_per_gpu_hour.H200").tag == Tag::reported);

  REQUIRE_NOTHROW(apply_override(s, ok_override("lease.price_discount=0.1")));
  r = build_report(s, Basis::bf16);
  CHECK(test::row(r, "lease.annual_revenue").value == Approx(5404920000.0 * 0.9));  // 4,864,428,000

  Scenario t = test::colossus();
  REQUIRE_NOTHROW(apply_override(t, ok_override("cluster.gpus.B200.count=10000")));
  // A uniform price covers the new model; the per-model capex does not.
  CHECK_THROWS_WITH(check_consistency(t),
                    "B200 has no capex: with per-model capex, also set capex.per_gpu.B200=VALUE");
  REQUIRE_NOTHROW(apply_override(t, ok_override("capex.per_gpu.B200=60000")));
  CHECK_NOTHROW(check_consistency(t));
  r = build_report(t, Basis::bf16);
  CHECK(test::row(r, "cluster.gpus.total").value == 230000);
  // B200: 10,000 x 2250/989 = 22,750.25 H100e on top of 250,556.12
  CHECK(test::row(r, "cluster.h100e.total").value == Approx(250556.117 + 22750.253).epsilon(1e-8));

  Scenario n = test::nebula();  // per-type prices: a new model needs its own price
  REQUIRE_NOTHROW(apply_override(n, ok_override("cluster.gpus.H200.count=5")));
  CHECK_THROWS_WITH(
      check_consistency(n),
      "H200 has no price: with per-type prices, also set lease.price_per_gpu_hour.H200=VALUE");
  REQUIRE_NOTHROW(apply_override(n, ok_override("lease.price_per_gpu_hour=3")));  // uniform again
  CHECK_NOTHROW(check_consistency(n));
  for (const auto& g : n.gpus)
    CHECK_FALSE(g.price);  // the per-type prices are gone, not left beside the uniform one
  // (1,000 + 400 + 2,000 + 5) GPUs x $3 x 8,760 h x 0.9 occupancy x (1 - 0.1) = 72,476,892
  CHECK(test::row(build_report(n, Basis::bf16), "lease.annual_revenue").value ==
        Approx(3405.0 * 3 * 8760 * 0.9 * 0.9));
}

TEST_CASE("set: rejects unknown keys and values outside the domain", "[whatif]") {
  Scenario s = test::colossus();
  CHECK(
      test::usage_error([&] {
        apply_override(s, ok_override("lease.ocupancy=0.5"));
      }).starts_with("unknown figure key \"lease.ocupancy\" (did you mean \"lease.occupancy\"?)"));
  CHECK(test::usage_error([&] { apply_override(s, ok_override("cluster.gpus.GB400.count=5")); })
            .starts_with("unknown figure key \"cluster.gpus.GB400.count\" (did you mean "
                         "\"cluster.gpus.GB200.count\"?)"));
  CHECK_THROWS_WITH(apply_override(s, ok_override("lease.occupancy=1.3")),
                    "must be between 0 and 1, got 1.3");
  CHECK_THROWS_WITH(apply_override(s, ok_override("lease.price_per_gpu_hour=0")),
                    "must be greater than 0, got 0");
  CHECK_THROWS_WITH(apply_override(s, ok_override("cluster.gpus.H100.count=10.5")),
                    "must be a whole number, got 10.5");
  CHECK(s.occupancy.value == 1.0);  // nothing was changed by the rejected overrides
}

TEST_CASE("sweep axes: inclusive ends, rounded counts, typed decimals", "[whatif]") {
  const Axis a = ok_axis("lease.price_per_gpu_hour=1.50:4.00:0.001");
  CHECK(a.count == 2501);  // (4.00 - 1.50) / 0.001 + 1
  CHECK(a.at(0) == 1.5);
  CHECK(a.at(1234) == 2.734);  // exactly the double nearest 2.734, not 2.7340000000000004
  CHECK(a.at(2500) == 4.0);
  CHECK(ok_axis("lease.occupancy=0.50:1.00:0.0005").count == 1001);
  CHECK(ok_axis("x=0:1:0.3").count == 4);    // 0, 0.3, 0.6, 0.9: never past STOP
  CHECK(ok_axis("x=0:0.9:0.3").count == 4);  // 0.9 / 0.3 = 2.9999999999999996: rounds to 3
  CHECK(ok_axis("x=5:5:1").count == 1);
  CHECK(ok_axis("x=1e9:3e9:1e9").count == 3);
  CHECK(bad_axis("x=1:0:0.5") == "x: STOP 0 is below START 1; a sweep runs upward");
  CHECK(bad_axis("x=0:1:0") == "x: the step must be greater than 0, got 0");
  CHECK(bad_axis("x=0:1:-0.5") == "x: the step must be greater than 0, got -0.5");
  CHECK(bad_axis("x=0:1") ==
        "\"x=0:1\": expected KEY=START:STOP:STEP, such as lease.price_per_gpu_hour=1.5:4:0.5");
  CHECK(bad_axis("x=0:1:0x1") == "x: \"0x1\" is not a number: unexpected 'x'" + k_units_hint);
}

TEST_CASE("a 3x3 sweep, cell by cell", "[whatif]") {
  Scenario s = test::colossus();
  const Axis price = ok_axis("lease.price_per_gpu_hour=2:3:0.5");
  const Axis occ = ok_axis("lease.occupancy=0.8:1:0.1");
  const Model m(s, Basis::bf16);
  const Sweep sweep = Sweep::make(m, {price, occ}, {"lease.annual_revenue", "breakeven.coverage"});
  CHECK(sweep.rows() == 9);
  // revenue = 220,000 x 8,760 x price x occupancy = 1,927,200,000 x p x o; coverage = / 6e9
  const std::vector<std::vector<double>> expected{
      {2, 0.8, 3083520000, 0.51392},  {2, 0.9, 3468960000, 0.57816},  {2, 1.0, 3854400000, 0.6424},
      {2.5, 0.8, 3854400000, 0.6424}, {2.5, 0.9, 4336200000, 0.7227}, {2.5, 1.0, 4818000000, 0.803},
      {3, 0.8, 4625280000, 0.77088},  {3, 0.9, 5203440000, 0.86724},  {3, 1.0, 5781600000, 0.9636}};
  std::size_t row = 0;
  sweep.run([&](const std::vector<double>& v) {
    REQUIRE(row < expected.size());
    for (std::size_t c = 0; c < 4; ++c) {
      INFO("row " << row << " column " << c);
      CHECK(v[c] == Approx(expected[row][c]).epsilon(1e-12));
    }
    ++row;
    return true;
  });
  CHECK(row == 9);
}

TEST_CASE("a sweep on the second scenario, and stopping early", "[whatif]") {
  Scenario s = test::nebula();
  REQUIRE_NOTHROW(apply_override(s, {"lease.price_discount", 0, Tag::assumption}));
  const Model m(s, Basis::bf16);
  const Sweep made = Sweep::make(
      m, {ok_axis("lease.price_discount=0:0.2:0.1"), ok_axis("lease.occupancy=0.5:0.9:0.2")},
      {"lease.annual_revenue", "lease.occupancy"});
  // revenue = 8,760 x occupancy x (1 - discount) x 5,600 = 49,056,000 x o x (1 - d)
  const double revenue[] = {24528000, 34339200, 44150400, 22075200, 30905280,
                            39735360, 19622400, 27472320, 35320320};
  std::size_t row = 0;
  made.run([&](const std::vector<double>& v) {
    CHECK(v[2] == Approx(revenue[row]));
    CHECK(v[3] == v[1]);  // an input key as an output echoes the swept value
    return ++row < 4;     // stop after four rows
  });
  CHECK(row == 4);

  CHECK_THROWS_WITH(
      Sweep::make(m, {}, {"lease.anual_revenue"}),
      "--out: unknown figure key \"lease.anual_revenue\" (did you mean \"lease.annual_revenue\"?)");
}

TEST_CASE("solve: break-even price, occupancy and GPUs", "[whatif]") {
  const Model m(test::colossus(), Basis::bf16);
  // 6,000,000,000 / (220,000 x 8,760) = 3.11332503...
  Solution p = solve(m, "lease.price_per_gpu_hour", "breakeven.coverage", 1.0);
  REQUIRE(p.found);
  CHECK(p.x == Approx(6e9 / (220000.0 * 8760)).epsilon(1e-12));
  CHECK(p.achieved == Approx(1.0).epsilon(1e-12));
  // The GB200 count that covers the loss: 6e9 / (2.60 x 8,760) - 200,000 = 63,435.19, so
  // 63,436 whole GPUs: (263,436 x 2.60 x 8,760) / 6e9 = 6,000,018,336 / 6e9 = 1.000003056
  Solution g = solve(m, "cluster.gpus.GB200.count", "breakeven.coverage", 1.0);
  REQUIRE(g.found);
  CHECK(g.crossing == Approx(6e9 / (2.6 * 8760) - 200000).epsilon(1e-10));
  CHECK(g.x == 63436);
  CHECK(g.achieved == Approx(6000018336.0 / 6e9).epsilon(1e-12));
  // Occupancy cannot reach it: at most 5,010,720,000 / 6e9 = 83.5% at occupancy 1.
  Solution o = solve(m, "lease.occupancy", "breakeven.coverage", 1.0);
  CHECK_FALSE(o.found);
  CHECK(o.depends);
  CHECK(o.reach_low == 0);
  CHECK(o.reach_high == Approx(5010720000.0 / 6e9));
  CHECK(o.domain_low == 0);
  CHECK(o.domain_high == 1);
  // Fleet share does not move with occupancy at all.
  Solution none = solve(m, "lease.occupancy", "fleet.share_h100e", 0.5);
  CHECK_FALSE(none.found);
  CHECK_FALSE(none.depends);

  // Nebula: coverage 1 needs 30,000,000 / (8,760 x 5,600 x 0.9) = 0.679495 occupancy,
  // which is breakeven.occupancy computed by the report.
  const Model n(test::nebula(), Basis::bf16);
  Solution no = solve(n, "lease.occupancy", "breakeven.coverage", 1.0);
  REQUIRE(no.found);
  CHECK(no.x == Approx(30000000.0 / (8760 * 5600 * 0.9)).epsilon(1e-12));
  CHECK(no.x == no.crossing);  // occupancy is not a count: no rounding
  // B200 count for $50M a year: 50e6 / (8,760 x 0.9 x 0.9) = 7,046.62 $/h, less the H100s'
  // 2,000 and the A100s' 1,600 = 3,446.62, / $5 = 689.32 -> 690 B200s, which earn
  // (3,600 + 690 x 5) x 7,095.6 = 7,050 x 7,095.6 = 50,023,980.
  Solution b = solve(n, "cluster.gpus.B200.count", "lease.annual_revenue", 50e6);
  REQUIRE(b.found);
  CHECK(b.crossing == Approx((50e6 / (8760 * 0.81) - 3600) / 5).epsilon(1e-10));
  CHECK(b.x == 690);
  CHECK(b.achieved == Approx(50023980.0).epsilon(1e-12));
}

TEST_CASE("explain: the formula with names and with values", "[whatif]") {
  const Scenario s = test::colossus();
  const Model m(s, Basis::bf16);
  const Report r = build_report(s, Basis::bf16);
  auto e = explain(r, m, "lease.annual_revenue");
  REQUIRE(e);
  // The text is the formula's own expression: the revenue is summed per model (so each
  // count's product is exact), 150,000 + 50,000 + 20,000 GPUs at $2.6 for 8,760 h.
  CHECK(e->names ==
        "lease.annual_revenue = (cluster.gpus.H100.count x lease.hours_per_year x "
        "lease.price_per_gpu_hour + cluster.gpus.H200.count x lease.hours_per_year x "
        "lease.price_per_gpu_hour + cluster.gpus.GB200.count x lease.hours_per_year x "
        "lease.price_per_gpu_hour) x lease.occupancy");
  CHECK(e->values == "(150,000 x 8,760 x 2.6 + 50,000 x 8,760 x 2.6 + 20,000 x 8,760 x 2.6) x 1");
  REQUIRE(e->operands.size() == 6);  // three counts, hours, the price and occupancy, once each
  CHECK(e->operands[0]->key == "cluster.gpus.H100.count");
  CHECK(e->operands[2]->key == "lease.price_per_gpu_hour");
  CHECK(e->operands[2]->tag == Tag::estimate);

  auto f = explain(r, m, "fleet.share_h100e");
  REQUIRE(f);
  CHECK(f->names == "fleet.share_h100e = cluster.h100e.total / fleet.h100e");
  CHECK(f->values == "250,556.1 / 550,000");  // 150,000 + 50,000 + 20,000 x 2500/989

  auto in = explain(r, m, "lease.occupancy");
  REQUIRE(in);
  CHECK(in->names.empty());  // an input is given, not computed
  CHECK_FALSE(explain(r, m, "no.such.key"));

  const Scenario n = test::nebula();
  const Model mn(n, Basis::bf16);
  const Report rn = build_report(n, Basis::bf16);
  // The order the code multiplies in: per model count x hours x price, then the share
  // kept after the discount, then the share billed (the old hand-written text had the
  // discount last, which the code never did).
  CHECK(explain(rn, mn, "lease.annual_revenue")->names ==
        "lease.annual_revenue = (cluster.gpus.H100.count x lease.hours_per_year x "
        "lease.price_per_gpu_hour.H100 + cluster.gpus.B200.count x lease.hours_per_year x "
        "lease.price_per_gpu_hour.B200 + cluster.gpus.A100.count x lease.hours_per_year x "
        "lease.price_per_gpu_hour.A100) x (1 - lease.price_discount) x lease.occupancy");
  CHECK(explain(rn, mn, "lease.annual_revenue")->values ==
        "(1,000 x 8,760 x 2 + 400 x 8,760 x 5 + 2,000 x 8,760 x 0.8) x (1 - 0.1) x 0.9");
}

TEST_CASE("every explanation evaluates to its figure", "[whatif]") {
  // Re-computes each derived figure from its explain values-form with an independent
  // evaluator, on every bundled and test scenario: the text is the formula's own
  // expression, so it cannot drift from the formula. A sum over the contract's months is
  // evaluated month by month from the printed definitions of the month's quantities; a
  // search (IRR, payback) and a calendar year (whose months depend on the start date) are
  // checked against the schedule's months instead (tests/test_contract.cpp).
  int sums = 0;
  for (const auto& file : test::scenario_files()) {
    const Scenario s = load_scenario(test::slurp(file), file, test::catalog());
    for (Basis b : {Basis::bf16, Basis::units}) {
      const Model m(s, b);
      const Report r = build_report(s, b);
      int checked = 0;
      for (const auto& row : r.rows) {
        if (!row.derived) continue;
        const auto e = explain(r, m, row.key);
        REQUIRE(e);
        const std::string over = "sum over months m = 0 .. ";
        if (e->values.starts_with(over)) {
          INFO(file << ": " << row.key << " = " << e->values);
          std::map<std::string, std::string> months;
          for (const auto& w : e->where_values)
            months[w.substr(0, w.find("(m) = "))] = w.substr(w.find("(m) = ") + 6);
          const std::size_t of = e->values.find(" - 1 of ");
          const int n =
              static_cast<int>(Arithmetic{e->values.substr(over.size(), of - over.size())}.value());
          double total = 0;
          std::map<std::pair<std::string, int>, double> memo;
          for (int k = 0; k < n; ++k) {
            Arithmetic month{e->values.substr(of + 8)};
            month.m = k;
            month.months = &months;
            month.memo = &memo;
            total += month.value();
          }
          CHECK(total == Approx(row.value).epsilon(1e-5));
          ++sums;
          continue;
        }
        if (e->values.find(" m ") != std::string::npos ||
            e->values.find("(m)") != std::string::npos)
          continue;
        INFO(file << ": " << row.key << " = " << e->values);
        Arithmetic a{e->values};
        const double v = a.value();
        if (!row.defined)
          CHECK(std::isnan(v));
        else
          CHECK(v == Approx(row.value).epsilon(1e-5));  // operands carry 7 significant digits
        ++checked;
      }
      CHECK(checked >= 12);
    }
  }
  CHECK(sums >= 20);  // the contract's sums of four scenarios, on two bases
}

TEST_CASE("operands print with 7 significant digits", "[whatif]") {
  CHECK(operand_text(220000) == "220,000");
  CHECK(operand_text(2.6) == "2.6");
  CHECK(operand_text(2500.0 / 989) == "2.527806");
  CHECK(operand_text(0.4555565768912584) == "0.4555566");
  CHECK(operand_text(5010720000.0) == "5,010,720,000");
  CHECK(operand_text(0) == "0");
}
