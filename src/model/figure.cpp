#include "leasecalc/model/figure.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace leasecalc {
namespace {

Tracked joined(const Tracked& a, const Tracked& b, double v, Unit unit, Bound bound) {
  Tracked t;
  t.v = v;
  t.unit = unit;
  t.tag = weakest(a.tag, b.tag);
  t.bound = bound;
  t.approx = a.approx || b.approx;
  t.sources = a.sources | b.sources;
  t.inputs = a.inputs | b.inputs;
  return t;
}

void require_same_unit(const Tracked& a, const Tracked& b, char op) {
  if (!a.unit.same_as(b.unit))
    throw UnitError(fmt::format("unit mismatch: {} {} {}", describe(a.unit), op, describe(b.unit)));
}

}  // namespace

const NameTable<Tag>& tag_names() {
  static const NameTable<Tag> table{{Tag::exact, "exact"},       {Tag::primary, "primary"},
                                    {Tag::primary, "confirmed"}, {Tag::reported, "reported"},
                                    {Tag::estimate, "estimate"}, {Tag::assumption, "assumption"},
                                    {Tag::ai_prior, "ai-prior"}};
  return table;
}

const NameTable<Bound>& bound_names() {
  static const NameTable<Bound> table{{Bound::at_least, "at-least"}, {Bound::at_most, "at-most"}};
  return table;
}

Bound flip(Bound b) {
  if (b == Bound::at_least) return Bound::at_most;
  if (b == Bound::at_most) return Bound::at_least;
  return b;
}

Bound combine(Bound a, Bound b) {
  if (a == Bound::none) return b;
  if (b == Bound::none || a == b) return a;
  return Bound::mixed;
}

const NameTable<Dist>& dist_names() {
  static const NameTable<Dist> table{{Dist::triangular, "triangular"},
                                     {Dist::uniform, "uniform"},
                                     {Dist::normal90, "normal90"},
                                     {Dist::lognormal90, "lognormal90"}};
  return table;
}

Tracked Tracked::constant(double value, const Unit& unit) {
  Tracked t;
  t.v = value;
  t.unit = unit;
  return t;
}

Tracked Tracked::input(const std::string& key, const Figure& figure) {
  Tracked t;
  t.v = figure.value;
  t.unit = figure.unit;
  t.tag = figure.tag;
  t.bound = figure.bound;
  t.approx = figure.approx;
  t.sources = KeySet(figure.sources);
  t.inputs = KeySet(key);
  return t;
}

Tracked operator+(const Tracked& a, const Tracked& b) {
  require_same_unit(a, b, '+');
  return joined(a, b, a.v + b.v, a.unit, combine(a.bound, b.bound));
}

Tracked operator-(const Tracked& a, const Tracked& b) {
  require_same_unit(a, b, '-');
  return joined(a, b, a.v - b.v, a.unit, combine(a.bound, flip(b.bound)));
}

Tracked operator*(const Tracked& a, const Tracked& b) {
  return joined(a, b, a.v * b.v, a.unit * b.unit, combine(a.bound, b.bound));
}

Tracked operator/(const Tracked& a, const Tracked& b) {
  return joined(a, b, a.v / b.v, a.unit / b.unit, combine(a.bound, flip(b.bound)));
}

Tracked max_of(const Tracked& a, const Tracked& b) {
  require_same_unit(a, b, '>');
  return joined(a, b, std::max(a.v, b.v), a.unit, combine(a.bound, b.bound));
}

Tracked min_of(const Tracked& a, const Tracked& b) {
  require_same_unit(a, b, '<');
  return joined(a, b, std::min(a.v, b.v), a.unit, combine(a.bound, b.bound));
}

double power(double base, double exponent) { return std::pow(base, exponent); }

Tracked power(const Tracked& base, double exponent) {
  if (!base.unit.dimensionless() || base.unit.scale != 1)
    throw UnitError(fmt::format("a power of {}, which is not a plain number", describe(base.unit)));
  Tracked t = base;
  t.v = std::pow(base.v, exponent);
  t.bound = exponent < 0 ? flip(base.bound) : exponent == 0 ? Bound::none : base.bound;
  return t;
}

Tracked depends_on(Tracked x, const Tracked& from) { return joined(x, from, x.v, x.unit, x.bound); }

std::string exact_number(double x, const Unit& unit) {
  if (unit.name == "ratio") return trim_zeros(grouped(x * 100, 4)) + "%";
  if (unit.name == "/yr") return trim_zeros(grouped(x * 100, 4)) + "%/yr";  // a rate
  if (std::fabs(x) >= 1000) return grouped(x, std::floor(x) == x ? 0 : 1);
  return trim_zeros(fmt::format("{:.4f}", x));
}

std::string exact_text(double value, const Unit& unit, Bound bound, bool approx) {
  const std::string prefix = std::string(bound_words(bound)) + (approx ? "~" : "");
  const std::string_view name = unit.name;
  if (name == "ratio" || name == "/yr" || name == "1") return prefix + exact_number(value, unit);
  if (name.starts_with("USD")) {
    const bool negative = value < 0;
    std::string digits = exact_number(value, unit);
    if (negative) digits.erase(0, 1);
    return prefix + (negative ? "-$" : "$") + digits + std::string(name.substr(3));
  }
  return prefix + exact_number(value, unit) + " " + std::string(name);
}

}  // namespace leasecalc
