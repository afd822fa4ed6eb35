#include "leasecalc/figure.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <stdexcept>

namespace leasecalc {
namespace {

std::vector<std::string> merged(const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
  std::vector<std::string> out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

Tracked joined(const Tracked& a, const Tracked& b, double v, Unit unit, Bound bound) {
  Tracked t;
  t.v = v;
  t.unit = unit;
  t.tag = weakest(a.tag, b.tag);
  t.bound = bound;
  t.approx = a.approx || b.approx;
  t.sources = merged(a.sources, b.sources);
  t.inputs = merged(a.inputs, b.inputs);
  return t;
}

void require_same_unit(const Tracked& a, const Tracked& b, char op) {
  if (!a.unit.same_as(b.unit))
    throw UnitError(fmt::format("unit mismatch: {} {} {}", describe(a.unit), op, describe(b.unit)));
}

}  // namespace

std::string_view tag_name(Tag tag) {
  switch (tag) {
    case Tag::exact:
      return "exact";
    case Tag::primary:
      return "primary";
    case Tag::reported:
      return "reported";
    case Tag::estimate:
      return "estimate";
    case Tag::assumption:
      return "assumption";
    case Tag::ai_prior:
      return "ai-prior";
  }
  return "?";
}

std::optional<Tag> parse_tag(std::string_view text) {
  for (Tag t :
       {Tag::exact, Tag::primary, Tag::reported, Tag::estimate, Tag::assumption, Tag::ai_prior})
    if (text == tag_name(t)) return t;
  if (text == "confirmed") return Tag::primary;
  return std::nullopt;
}

std::string_view tag_list() {
  return "exact, primary (or confirmed), reported, estimate, assumption, ai-prior";
}

std::string_view bound_name(Bound bound) {
  switch (bound) {
    case Bound::at_least:
      return "at-least";
    case Bound::at_most:
      return "at-most";
    default:
      return "";
  }
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

std::string_view dist_name(Dist dist) {
  switch (dist) {
    case Dist::triangular:
      return "triangular";
    case Dist::uniform:
      return "uniform";
    case Dist::normal90:
      return "normal90";
    case Dist::lognormal90:
      return "lognormal90";
  }
  return "?";
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
  t.sources = figure.sources;
  std::sort(t.sources.begin(), t.sources.end());
  t.sources.erase(std::unique(t.sources.begin(), t.sources.end()), t.sources.end());
  t.inputs = {key};
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

}  // namespace leasecalc
