#include "leasecalc/note.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "leasecalc/format.hpp"
#include "leasecalc/text.hpp"

namespace leasecalc {

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return "PASS";
    case Verdict::fail:
      return "FAIL";
    case Verdict::expected_fail:
      return "XFAIL";
    case Verdict::unexpected_pass:
      return "XPASS";
  }
  return "?";
}

std::vector<Basis> bases_needed(const Note& note, Basis scenario_basis) {
  std::vector<Basis> out{scenario_basis};
  for (const auto& c : note.claims)
    if (c.basis && std::find(out.begin(), out.end(), *c.basis) == out.end())
      out.push_back(*c.basis);
  return out;
}

namespace {

std::string stated_text(const Claim& c, const Unit& unit) {
  Row r;
  r.unit = unit;
  if (c.stated) {
    r.value = *c.stated;
    return exact_with_unit(r) + (c.tolerance.amount > 1e-9 ? " ± " + c.tolerance.text : "");
  }
  std::string low, high;
  if (c.stated_low) {
    r.value = *c.stated_low;
    low = exact_with_unit(r);
  }
  if (c.stated_high) {
    r.value = *c.stated_high;
    high = exact_with_unit(r);
  }
  if (!c.stated_high) return "at least " + low;
  if (!c.stated_low) return "at most " + high;
  return low + " to " + high;
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
      const std::string hint = did_you_mean(c.key, keys);
      throw InputError(
          note.file, c.key_where,
          fmt::format("the scenario {} has no figure \"{}\"{}", report.file, c.key,
                      hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint)));
    }
    ClaimResult cr;
    cr.claim = &c;
    cr.figure = row;
    for (const auto& key : row->inputs)
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
    if (!row->defined) {
      cr.problems.push_back("the figure is " + row->note);
    } else {
      const double x = row->value;
      if (c.stated) {
        const double stated = *c.stated * factor;
        const double allowed = c.tolerance.relative ? c.tolerance.amount * std::fabs(stated)
                                                    : c.tolerance.amount * factor;
        if (!(std::fabs(x - stated) <= allowed + 1e-12 * std::fabs(stated))) {
          const double diff = x - stated;
          cr.problems.push_back(fmt::format(
              "value: stated {}, computed {}, difference {}{}{}", stated_text(c, row->unit),
              exact_with_unit(*row), diff >= 0 ? "+" : "", plain_number(diff),
              stated != 0 ? fmt::format(" ({:+.2f}%)", 100 * diff / std::fabs(stated)) : ""));
        }
      } else {
        const double low = c.stated_low ? *c.stated_low * factor : -HUGE_VAL;
        const double high = c.stated_high ? *c.stated_high * factor : HUGE_VAL;
        if (x < low || x > high)
          cr.problems.push_back(fmt::format("range: stated {}, computed {}, {} the range by {}",
                                            stated_text(c, row->unit), exact_with_unit(*row),
                                            x < low ? "below" : "above",
                                            plain_number(x < low ? low - x : x - high)));
      }
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

}  // namespace leasecalc
