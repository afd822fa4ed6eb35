// Figures: numbers with the standing of the evidence behind them.
//
// Tags run from strongest to weakest (README "Figures, tags and units"). A derived figure takes the
// weakest tag of its inputs and the union of their sources; `Tracked` does that bookkeeping as a
// number type, so each formula is written once, generically, and evaluated either on
// `Tracked` (report, explain: with provenance) or on plain `double` (sweeps, samples).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/model/keyset.hpp"
#include "leasecalc/model/text.hpp"
#include "leasecalc/model/units.hpp"

namespace leasecalc {

enum class Tag { exact, primary, reported, estimate, assumption, ai_prior };

// The documented names, strongest first, and `confirmed` as an alias of `primary`.
const NameTable<Tag>& tag_names();
inline std::string_view tag_name(Tag tag) { return name_of(tag_names(), tag); }
inline std::optional<Tag> parse_tag(std::string_view text) { return parse_name(tag_names(), text); }
inline Tag weakest(Tag a, Tag b) { return a > b ? a : b; }

// A one-sided statement about the true value: "550k+" is at_least 550k.
// `mixed` means inputs bounded in opposite directions met: no bound can be stated.
enum class Bound { none, at_least, at_most, mixed };
const NameTable<Bound>& bound_names();  // at-least, at-most
inline std::string_view bound_name(Bound bound) { return name_of(bound_names(), bound); }
Bound flip(Bound b);
inline bool one_sided(Bound b) { return b == Bound::at_least || b == Bound::at_most; }
// "at least ", "at most " or "": how a bound reads before a number.
inline std::string_view bound_words(Bound b) {
  return b == Bound::at_least ? "at least " : b == Bound::at_most ? "at most " : "";
}
Bound combine(Bound a, Bound b);

enum class Dist { triangular, uniform, normal90, lognormal90 };
const NameTable<Dist>& dist_names();
inline std::string_view dist_name(Dist dist) { return name_of(dist_names(), dist); }

// An input figure as read from a scenario file.
struct Figure {
  double value = 0;
  Unit unit;
  Tag tag = Tag::assumption;
  std::vector<std::string> sources;
  std::optional<double> low, high;
  Dist dist = Dist::triangular;
  Bound bound = Bound::none;
  bool approx = false;
  std::string note;
  bool overridden = false;  // set from the shell (--set), not from the file
  std::string pointer;  // where the scenario file holds it ("/lease/occupancy"); "" if not there
};

// A number that carries its unit and provenance through arithmetic.
// Multiplication and division assume positive quantities, which every figure is, when
// they decide which way a bound points: x / y with y "at least" is "at most".
struct Tracked {
  double v = 0;
  Unit unit;
  Tag tag = Tag::exact;
  Bound bound = Bound::none;
  bool approx = false;
  KeySet sources;
  KeySet inputs;  // figure keys behind this value

  static Tracked constant(double value, const Unit& unit);
  static Tracked input(const std::string& key, const Figure& figure);
};

Tracked operator+(const Tracked& a, const Tracked& b);  // Throws UnitError unless same unit
Tracked operator-(const Tracked& a, const Tracked& b);  // Throws UnitError unless same unit
Tracked operator*(const Tracked& a, const Tracked& b);
Tracked operator/(const Tracked& a, const Tracked& b);

struct UnitError : std::logic_error {
  using std::logic_error::logic_error;
};

// A number in its unit at full precision, with thousands separators: "$5,010,720,000/yr",
// "at most ~45.5557%", "1.364 kW/GPU". What a message (a failed claim, an explanation)
// says of a value; the render layer's tables use it too.
std::string exact_number(double value, const Unit& unit);  // "5,010,720,000", "45.5557%"
std::string exact_text(double value, const Unit& unit, Bound bound = Bound::none,
                       bool approx = false);

// Generic helpers so formulas read the same for double and Tracked.
inline double value_of(double x) { return x; }
inline double value_of(const Tracked& x) { return x.v; }
// The larger and the smaller of two figures in one unit: both are inputs of the result.
inline double max_of(double a, double b) { return a > b ? a : b; }
Tracked max_of(const Tracked& a, const Tracked& b);  // Throws UnitError unless same unit
inline double min_of(double a, double b) { return a < b ? a : b; }
Tracked min_of(const Tracked& a, const Tracked& b);  // Throws UnitError unless same unit
// base^exponent for a dimensionless base (a growth or discount factor); a negative
// exponent turns the base's bound around.
double power(double base, double exponent);
Tracked power(const Tracked& base, double exponent);  // Throws UnitError unless dimensionless
// `x`, with `from` among the inputs behind it (tag, sources, inputs): for a figure that
// depends on another in a way no arithmetic shows, such as a sum over `from` months.
inline double depends_on(double x, double) { return x; }
Tracked depends_on(Tracked x, const Tracked& from);

}  // namespace leasecalc
