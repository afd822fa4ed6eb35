#include "leasecalc/calc/note.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "leasecalc/model/text.hpp"

namespace leasecalc {

std::string_view verdict_name(Verdict v) {
  static const NameTable<Verdict> names{{Verdict::pass, "PASS"},
                                        {Verdict::fail, "FAIL"},
                                        {Verdict::expected_fail, "XFAIL"},
                                        {Verdict::unexpected_pass, "XPASS"}};
  return name_of(names, v);
}

std::string scenario_path(const Note& note) {
  std::string path = note.scenario;
  if (!path.starts_with('/')) {
    const auto slash = note.file.rfind('/');
    if (slash != std::string::npos) path = note.file.substr(0, slash + 1) + path;
  }
  return path;
}

std::vector<Basis> bases_needed(const Note& note, Basis scenario_basis) {
  std::vector<Basis> out{scenario_basis};
  for (const auto& c : note.claims)
    if (c.basis && std::find(out.begin(), out.end(), *c.basis) == out.end())
      out.push_back(*c.basis);
  return out;
}

namespace {

std::string in_unit(double x, const Unit& unit) { return exact_text(x, unit); }

// The computed figure as a message states it.
std::string computed_text(const Row& row) {
  return row.defined ? exact_text(row.value, row.unit, row.bound, row.approx) : "undefined";
}

// The size of a difference in the figure's human units: "$760,160,000/yr", and for a
// share percentage points, "5.5557 points" (40% to 45.5557%).
std::string magnitude_text(double size, const Unit& unit) {
  std::string text = in_unit(std::fabs(size), unit);
  if (unit.name == "ratio" && text.ends_with('%')) text.replace(text.size() - 1, 1, " points");
  return text;
}

// The same with its sign: "+5.5557 points", "-$760,160,000/yr".
std::string difference_text(double diff, const Unit& unit) {
  return (diff > 0 ? "+" : diff < 0 ? "-" : "") + magnitude_text(diff, unit);
}

// What the claim states, in the figure's unit (`factor` converts the claim's unit).
std::string stated_text(const Claim& c, const Unit& unit, double factor) {
  if (c.stated)
    return std::string(bound_words(c.bound)) + in_unit(*c.stated * factor, unit) +
           (c.tolerance.amount > 1e-9 ? " ± " + c.tolerance.text : "");
  if (!c.stated_high) return "at least " + in_unit(*c.stated_low * factor, unit);
  if (!c.stated_low) return "at most " + in_unit(*c.stated_high * factor, unit);
  return in_unit(*c.stated_low * factor, unit) + " to " + in_unit(*c.stated_high * factor, unit);
}

// The interval a claim states, in the figure's unit; infinite on an open side.
struct Interval {
  double low = -HUGE_VAL, high = HUGE_VAL;
};

Interval stated_interval(const Claim& c, double factor) {
  Interval i;
  if (c.stated) {
    const double stated = *c.stated * factor;
    // The default tolerance is rounding (value_problem's eps), not a part of the interval.
    const bool rounding = c.tolerance.relative && c.tolerance.amount <= 1e-9;
    const double allowed = rounding               ? 0
                           : c.tolerance.relative ? c.tolerance.amount * std::fabs(stated)
                                                  : c.tolerance.amount * factor;
    if (c.bound != Bound::at_most) i.low = stated - allowed;
    if (c.bound != Bound::at_least) i.high = stated + allowed;
  } else {
    if (c.stated_low) i.low = *c.stated_low * factor;
    if (c.stated_high) i.high = *c.stated_high * factor;
  }
  return i;
}

// Why the computed figure does not lie inside the stated interval, or "" when it does:
// its value is outside, or it is open on a side where the claim is closed.
std::string value_problem(const Claim& c, const Row& row, double factor) {
  const Interval want = stated_interval(c, factor);
  const std::string stated = stated_text(c, row.unit, factor);
  const double x = row.value;
  const double eps = 1e-9 * std::fabs(x);  // rounding, not tolerance
  if (x < want.low - eps || x > want.high + eps) {
    if (c.stated && c.bound == Bound::none) {
      const double diff = x - *c.stated * factor;
      return fmt::format(
          "value: stated {}, computed {}, difference {}{}", stated, computed_text(row),
          difference_text(diff, row.unit),
          *c.stated != 0 ? fmt::format(" ({:+.2f}%)", 100 * diff / std::fabs(*c.stated * factor))
                         : "");
    }
    const bool below = x < want.low;
    return fmt::format("{}: stated {}, computed {}, {} the {} by {}", c.stated ? "value" : "range",
                       stated, computed_text(row), below ? "below" : "above",
                       c.stated ? "bound" : "range",
                       magnitude_text(below ? want.low - x : x - want.high, row.unit));
  }
  const bool mixed = row.bound == Bound::mixed;
  const std::string_view why =
      mixed ? "its inputs are bounded in opposite directions" : "it is a bound, not a value";
  if ((row.bound == Bound::at_least || mixed) && want.high < HUGE_VAL)
    return fmt::format(
        "bound: stated {}, computed {}: the figure has no upper bound ({}), so it "
        "cannot be shown to be at most {}",
        stated, computed_text(row), why, in_unit(want.high, row.unit));
  if ((row.bound == Bound::at_most || mixed) && want.low > -HUGE_VAL)
    return fmt::format(
        "bound: stated {}, computed {}: the figure has no lower bound ({}), so it "
        "cannot be shown to be at least {}",
        stated, computed_text(row), why, in_unit(want.low, row.unit));
  return "";
}

}  // namespace

NoteResult check_note(const Note& note, const std::vector<Report>& reports, Basis scenario_basis) {
  NoteResult result;
  result.note = &note;
  const std::vector<Basis> bases = bases_needed(note, scenario_basis);
  for (const Claim& c : note.claims) {
    const Basis b = c.basis.value_or(scenario_basis);
    const Report& report =
        reports[static_cast<std::size_t>(std::find(bases.begin(), bases.end(), b) - bases.begin())];
    result.scenario_file = report.file;
    const Row* row = report.find(c.key);
    if (!row) {
      std::vector<std::string> keys;
      for (const auto& r : report.rows)
        keys.push_back(r.key);
      const std::string hint = suggestion(c.key, keys);
      throw InputError(
          note.file, c.key_where,
          fmt::format("the scenario {} has no figure \"{}\"{}", report.file, c.key, hint));
    }
    ClaimResult cr;
    cr.claim = &c;
    cr.figure = row;
    for (const auto& key : row->inputs.list())
      if (const Row* in = report.find(key)) cr.inputs.push_back(in);
    if (!row->derived) cr.inputs.push_back(row);

    // Units: the same dimension converts (MW and GW); another dimension fails.
    double factor = 1;
    if (c.unit) {
      if (c.unit->same_dimension(row->unit)) {
        factor = conversion_factor(*c.unit, row->unit);
      } else {
        cr.problems.push_back(fmt::format("unit: the note states {}, the figure is in {}",
                                          c.unit->name, row->unit.name));
      }
    }
    if (!row->incomparable.empty()) cr.problems.push_back("unit: " + row->incomparable);
    if (!row->defined) {
      cr.problems.push_back("the figure is " + row->note);
    } else if (std::string p = value_problem(c, *row, factor); !p.empty()) {
      cr.problems.push_back(std::move(p));
    }
    if (c.tag && *c.tag < row->tag)
      cr.problems.push_back(fmt::format(
          "tag: the note states {}, but the inputs support only {} (a {} claim needs every input "
          "behind the figure to be {} or stronger)",
          tag_name(*c.tag), tag_name(row->tag), tag_name(*c.tag), tag_name(*c.tag)));

    const bool holds = cr.problems.empty();
    if (c.expect_fail) {
      cr.verdict = holds ? Verdict::unexpected_pass : Verdict::expected_fail;
      if (holds)
        cr.problems.push_back("expected to fail (" + c.reason +
                              ") but passes now: update the note and drop \"expect\"");
    } else {
      cr.verdict = holds ? Verdict::pass : Verdict::fail;
    }
    switch (cr.verdict) {
      case Verdict::pass:
        ++result.passed;
        break;
      case Verdict::fail:
        ++result.failed;
        break;
      case Verdict::expected_fail:
        ++result.expected;
        break;
      case Verdict::unexpected_pass:
        ++result.unexpected;
        break;
    }
    result.claims.push_back(std::move(cr));
  }
  return result;
}

std::vector<Flip> flipped(const NoteResult& before, const NoteResult& after) {
  std::vector<Flip> out;
  for (const auto& a : after.claims)
    for (const auto& b : before.claims)
      if (b.claim->id == a.claim->id && b.verdict != a.verdict) out.push_back({&b, &a});
  return out;
}

}  // namespace leasecalc
