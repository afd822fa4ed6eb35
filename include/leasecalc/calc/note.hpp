// Notes (`leasecalc/note/v1`, README "Checking a note in CI"): a research note's claims as data,
// re-checked against a scenario so a note keeps holding as its inputs are updated.
//
// A claim names a figure key and what the note states about it: a value with a tolerance,
// or a range, or a one-sided bound; optionally the tag it claims, the unit it is in, the basis it
// assumes, and `expect: fail` with a reason for a discrepancy that is known and recorded. Pure: the
// loader takes text, the checker takes reports.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/calc/report.hpp"
#include "leasecalc/model/catalog.hpp"
#include "leasecalc/model/errors.hpp"

namespace leasecalc {

struct Tolerance {
  bool relative = true;
  double amount = 1e-9;  // default: equal to rounding
  std::string text;      // as written: "1%", "0.02"
};

struct Claim {
  std::string id;
  std::string text;
  std::string key;
  std::optional<double> stated;
  std::optional<double> stated_low, stated_high;
  Bound bound = Bound::none;  // with `stated`: "550k+" is at_least 550k, open above
  Tolerance tolerance;
  std::optional<Tag> tag;    // the tag the note states
  std::optional<Unit> unit;  // the unit the note's number is in
  std::optional<Basis> basis;
  bool expect_fail = false;
  std::string reason;
  Location where;      // of the claim in the note
  Location key_where;  // of its "key"
};

struct Note {
  std::string file;
  std::string title;
  std::string publisher;
  std::string date;
  std::string scenario;  // as written: relative to the note's directory
  Location scenario_where;
  std::vector<Claim> claims;
  std::vector<std::string> notices;  // old keys it names, as Scenario::notices
};

// Reads a note. Throws InputError.
Note load_note(std::string_view text, std::string_view file);

// The path of the note's scenario: as written when absolute, else relative to the
// directory of the note's file.
std::string scenario_path(const Note& note);

enum class Verdict { pass, fail, expected_fail, unexpected_pass };
std::string_view verdict_name(Verdict v);  // PASS, FAIL, XFAIL, XPASS

struct ClaimResult {
  const Claim* claim = nullptr;
  Verdict verdict = Verdict::pass;
  const Row* figure = nullptr;        // the computed figure
  std::vector<std::string> problems;  // why it fails (value, range, unit, tag, undefined)
  std::vector<const Row*> inputs;     // the input figures behind the computed one
};

struct NoteResult {
  const Note* note = nullptr;
  std::string scenario_file;
  std::vector<ClaimResult> claims;
  int passed = 0, failed = 0, expected = 0, unexpected = 0;
};

// How a claim holds: the computed figure stands for an interval (its value; [value, +inf)
// when it is "at least"; (-inf, value] when "at most"; unbounded both ways when its inputs
// are bounded in opposite directions), the claim states an interval (stated ± tolerance,
// stated_low..stated_high, or open on one side with a bound), and the claim holds only
// when the computed interval lies inside the stated one.
//
// Checks every claim of `note` against the report of its basis: `reports` holds one
// report per basis, and `report_for(basis)` picks it. Throws InputError (at the claim)
// for a key that the scenario does not have.
NoteResult check_note(const Note& note, const std::vector<Report>& reports, Basis scenario_basis);

// A claim whose verdict differs between two checks of one note (before and after a
// filing): `before` and `after` point into the two NoteResults.
struct Flip {
  const ClaimResult* before;
  const ClaimResult* after;
};
// The claims of `after` whose verdict differs from the same claim (by id) in `before`.
std::vector<Flip> flipped(const NoteResult& before, const NoteResult& after);

// The bases a note's claims need, besides the scenario's own.
std::vector<Basis> bases_needed(const Note& note, Basis scenario_basis);

}  // namespace leasecalc
