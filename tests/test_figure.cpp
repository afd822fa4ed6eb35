// Tags, bounds, units and the Tracked number type.
#include <catch2/catch.hpp>

#include "leasecalc/model/expr.hpp"
#include "leasecalc/model/figure.hpp"
#include "leasecalc/model/keys.hpp"

using namespace leasecalc;

namespace {
Figure fig(double v, const Unit& u, Tag tag, std::vector<std::string> sources = {},
           Bound bound = Bound::none) {
  Figure f;
  f.value = v;
  f.unit = u;
  f.tag = tag;
  f.sources = std::move(sources);
  f.bound = bound;
  return f;
}
}  // namespace

TEST_CASE("tags: names, the confirmed alias and strength order", "[figure]") {
  CHECK(parse_tag("confirmed") == Tag::primary);
  CHECK(parse_tag("ai-prior") == Tag::ai_prior);
  CHECK_FALSE(parse_tag("ai_prior"));
  CHECK_FALSE(parse_tag("Primary"));  // exact names only
  CHECK(weakest(Tag::primary, Tag::reported) == Tag::reported);
  CHECK(weakest(Tag::ai_prior, Tag::exact) == Tag::ai_prior);
  CHECK(weakest(Tag::estimate, Tag::assumption) == Tag::assumption);
}

TEST_CASE("a derived figure takes the weakest tag and the union of sources", "[figure]") {
  const Tracked count =
      Tracked::input("n", fig(220000, units::gpu, Tag::reported, {"yk", "mirae"}));
  const Tracked price =
      Tracked::input("p", fig(2.6, units::usd_per_gpu_hour, Tag::estimate, {"mirae"}));
  const Tracked hours = Tracked::input("h", fig(8760, units::hours_per_year, Tag::exact));
  const Tracked revenue = count * price * hours;
  CHECK(revenue.v == Approx(220000 * 2.6 * 8760));  // 5,010,720,000
  CHECK(revenue.tag == Tag::estimate);
  CHECK(revenue.sources.list() == std::vector<std::string>{"mirae", "yk"});
  CHECK(revenue.inputs.list() == std::vector<std::string>{"h", "n", "p"});
  CHECK(revenue.unit.same_as(units::usd_per_year));
  CHECK_FALSE(revenue.unit.same_as(units::usd));  // USD and USD/yr are different units
}

TEST_CASE("a key set: union, order, count, and a chain of 100,000 unions", "[figure]") {
  const KeySet a(std::vector<std::string>{"b", "a"}), b("c"), none;
  CHECK(a.list() == std::vector<std::string>{"a", "b"});
  CHECK((a | b).list() == std::vector<std::string>{"a", "b", "c"});
  CHECK((b | a).list() == (a | b).list());
  CHECK((a | a).list() == a.list());
  CHECK((a | none).list() == a.list());
  CHECK((none | none).empty());
  CHECK(((a | b) | (b | a) | KeySet("a")).list() == std::vector<std::string>{"a", "b", "c"});
  // A sum over many tenants: one name each, then the same sum again (the next month).
  auto sum = [](int n) {
    KeySet s;
    for (int i = 0; i < n; ++i)
      s = s | KeySet(std::to_string(i));
    return s;
  };
  const KeySet first = sum(100000), again = sum(100000);
  CHECK(first.count(1000000) == 100000);
  CHECK(again.list() == first.list());
  CHECK(first.count(10) == 11);  // counts no further than asked, plus one
  CHECK(first.list().front() == "0");
  CHECK(first.list().back() == "99999");
}

TEST_CASE("a formula's text: parentheses where the order needs them, and a sum 20,000 deep",
          "[figure]") {
  const Expr a = Expr::input("a"), b = Expr::input("b"), c = Expr::input("c");
  auto text = [](const Expr& e) { return e.text([](const Expr&) { return std::string(); }); };
  CHECK(text(a - b - c) == "{a} - {b} - {c}");
  CHECK(text(a - (b - c)) == "{a} - ({b} - {c})");
  CHECK(text((a + b) * c) == "({a} + {b}) x {c}");
  CHECK(text(a / (b * c)) == "{a} / ({b} x {c})");
  CHECK(text(a * b / c + a) == "{a} x {b} / {c} + {a}");
  // A sum over 20,000 tenants, written along its left side (it recursed 60,000 frames).
  Expr sum = Expr::input("t0");
  for (int i = 1; i < 20000; ++i)
    sum = sum + Expr::input("t" + std::to_string(i));
  const std::string written = text(sum);
  CHECK(written.starts_with("{t0} + {t1} + {t2}"));
  CHECK(written.ends_with("+ {t19999}"));
  std::size_t pluses = 0;
  for (std::size_t at = written.find(" + "); at != std::string::npos;
       at = written.find(" + ", at + 1))
    ++pluses;
  CHECK(pluses == 19999);
}

TEST_CASE("bounds point the right way through arithmetic", "[figure]") {
  const Tracked fleet =
      Tracked::input("f", fig(550000, units::h100e, Tag::reported, {}, Bound::at_least));
  const Tracked cluster = Tracked::input("c", fig(250556, units::h100e, Tag::reported));
  CHECK((cluster / fleet).bound == Bound::at_most);  // a share of a "550k+" fleet is "at most"
  CHECK((fleet / cluster).bound == Bound::at_least);
  CHECK((fleet * cluster).bound == Bound::at_least);
  CHECK((cluster - fleet).bound == Bound::at_most);
  CHECK((fleet + cluster).bound == Bound::at_least);
  // Two inputs bounded in opposite directions: no bound can be stated.
  const Tracked cap = Tracked::input("x", fig(10, units::h100e, Tag::reported, {}, Bound::at_most));
  CHECK((fleet + cap).bound == Bound::mixed);
  CHECK(((fleet + cap) * cluster).bound == Bound::mixed);  // and it stays mixed
}

TEST_CASE("units: GPUs and H100e are different dimensions", "[figure]") {
  const Tracked gpus = Tracked::input("g", fig(220000, units::gpu, Tag::reported));
  const Tracked fleet = Tracked::input("f", fig(550000, units::h100e, Tag::reported));
  // The note's "40%" divides 220k GPUs by 550k H100e: the result is not a share.
  const Tracked wrong = gpus / fleet;
  CHECK(wrong.v == Approx(0.4));  // 220,000 / 550,000
  CHECK_FALSE(wrong.unit.same_as(units::one));
  CHECK_THROWS_AS(gpus + fleet, UnitError);
  CHECK_THROWS_WITH(gpus - fleet, "unit mismatch: GPU - H100e");
  // Through a basis factor (H100e per GPU) the division is a share.
  const Tracked factor = Tracked::constant(1, units::h100e_per_gpu);
  CHECK((gpus * factor / fleet).unit.same_as(units::one));
}

TEST_CASE("units: power and time convert by exact scales", "[figure]") {
  CHECK(conversion_factor(units::gw, units::mw) == 1000);  // 1 GW = 1,000 MW
  CHECK(conversion_factor(units::mw, units::gw) == Approx(0.001));
  CHECK_THROWS_AS(conversion_factor(units::mw, units::gpu), std::logic_error);
  // 300 MW over 220,000 GPUs through the exact 1000 kW/MW is 1.3636 kW per GPU.
  const Tracked mw = Tracked::input("p", fig(300, units::mw, Tag::primary));
  const Tracked gpus = Tracked::input("g", fig(220000, units::gpu, Tag::reported));
  const Tracked kw = mw * Tracked::constant(1000, units::kw_per_mw) / gpus;
  CHECK(kw.unit.same_as(units::kw_per_gpu));
  CHECK(kw.v == Approx(300.0 * 1000 / 220000));  // 1.363636...
  // USD/yr per MW is USD per MW-year.
  const Tracked revenue = Tracked::input("r", fig(5.01072e9, units::usd_per_year, Tag::estimate));
  CHECK((revenue / mw).unit.same_as(units::usd_per_mw_year));
}

TEST_CASE("domains reject, never clamp, and say what is allowed", "[figure]") {
  CHECK_THROWS_WITH(domain_for_key("lease.occupancy").require(1.3),
                    "must be between 0 and 1, got 1.3");
  CHECK_NOTHROW(domain_for_key("lease.occupancy").require(0));
  CHECK_THROWS_WITH(domain_for_key("lease.price_per_gpu_hour").require(0),
                    "must be greater than 0, got 0");
  CHECK_THROWS_WITH(domain_for_key("lease.price_per_gpu_hour.H200").require(-2.5),
                    "must be greater than 0, got -2.5");
  CHECK_THROWS_WITH(domain_for_key("cluster.gpus.H100.count").require(-5),
                    "must be a whole number at least 0, got -5");
  CHECK_THROWS_WITH(domain_for_key("cluster.gpus.H100.count").require(42.7),
                    "must be a whole number, got 42.7");
  CHECK_THROWS_WITH(domain_for_key("cluster.gpus.H100.count").require(1e17),
                    "must be at most 2^53 = 9007199254740992, got 1e+17");
  CHECK_THROWS_WITH(domain_for_key("lease.price_discount").require(1),
                    "must be at least 0 and less than 1, got 1");
  CHECK_THROWS_WITH(domain_for_key("lease.hours_per_year").require(8785),
                    "must be greater than 0 and at most 8784, got 8785");
  CHECK_NOTHROW(domain_for_key("loss.annual_net_loss").require(0));
}
