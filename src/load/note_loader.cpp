#include "leasecalc/calc/note.hpp"
#include "leasecalc/load/loader.hpp"
#include "reader.hpp"

namespace leasecalc {

using namespace load;

Note load_note(std::string_view text, std::string_view file) {
  Reader r(text, file);
  const Value root = r.parse();
  check_schema(r, root, "leasecalc/note/v1");
  r.only_keys(root,
              {"$schema", "schema", "title", "publisher", "date", "scenario", "note", "claims"});
  Note note;
  note.file = std::string(file);
  note.title = r.nonempty_string(r.require(root, "title"));
  if (const Value* v = root.find("publisher")) note.publisher = r.string(*v);
  if (const Value* v = root.find("date")) note.date = r.date(*v);
  const Value& scenario = r.require(root, "scenario");
  note.scenario = r.nonempty_string(scenario);
  note.scenario_where = r.where(scenario);
  const Value& claims = r.require(root, "claims");
  r.expect(claims, Kind::array);
  if (claims.items.empty()) r.fail(claims, "a note needs at least one claim");
  for (const Value& c : claims.items) {
    r.expect(c, Kind::object);
    r.only_keys(c, {"id", "text", "key", "stated", "stated_low", "stated_high", "bound",
                    "tolerance", "tag", "unit", "basis", "expect", "reason", "note"});
    Claim claim;
    claim.where = r.where(c);
    claim.id = r.identifier(r.require(c, "id"), "a claim id");
    for (const auto& prev : note.claims)
      if (prev.id == claim.id)
        r.fail(r.require(c, "id"), fmt::format("claim id \"{}\" is used twice", claim.id));
    claim.text = r.nonempty_string(r.require(c, "text"));
    claim.key =
        r.current_key(r.require(c, "key"), r.nonempty_string(r.require(c, "key")), note.notices);
    claim.key_where = r.where(r.require(c, "key"));
    const Domain any{-1.7976931348623157e308, true, std::nullopt, true, false};
    const Value* stated = c.find("stated");
    const Value* low = c.find("stated_low");
    const Value* high = c.find("stated_high");
    if (stated && (low || high))
      r.fail(*stated, "give either \"stated\" or \"stated_low\" and \"stated_high\", not both");
    if (stated) {
      claim.stated = r.number(*stated, any);
    } else if (low || high) {
      // One side alone is "at least" (stated_low) or "at most" (stated_high).
      if (low) claim.stated_low = r.number(*low, any);
      if (high) claim.stated_high = r.number(*high, any);
      if (low && high && *claim.stated_low > *claim.stated_high)
        r.fail(*low,
               fmt::format("stated_low {} is above stated_high {}", plain_number(*claim.stated_low),
                           plain_number(*claim.stated_high)));
    } else {
      r.fail(c, "a claim needs \"stated\", or \"stated_low\" and/or \"stated_high\"");
    }
    if (const Value* b = c.find("bound")) {
      if (!claim.stated)
        r.fail(*b,
               "a bound goes with \"stated\" (\"550k+\" is stated 550000, bound at-least); "
               "stated_low or stated_high alone is already one-sided");
      claim.bound = choice(r, *b, "bound", bound_names());
    }
    if (const Value* t = c.find("tolerance")) {
      if (!claim.stated) r.fail(*t, "a tolerance goes with \"stated\"; a range has none");
      Tolerance tol;
      if (t->kind == Kind::number) {
        tol = {false, r.number(*t, Domain::at_least(0)), t->text};
      } else {
        const std::string s = r.string(*t);
        const bool percent = !s.empty() && s.back() == '%';
        const std::string why = fmt::format(
            "tolerance \"{}\" must be a relative \"1%\" or an absolute \"0.02\", at least 0", s);
        double amount = -1;
        try {
          amount = parse_number(percent ? std::string_view(s).substr(0, s.size() - 1) : s);
        } catch (const ValueError&) {  // the message says what a tolerance may be
        }
        if (amount < 0) r.fail(*t, why);
        tol = {percent, percent ? amount / 100 : amount, s};
      }
      claim.tolerance = tol;
    }
    if (const Value* t = c.find("tag")) claim.tag = choice(r, *t, "tag", tag_names());
    if (const Value* u = c.find("unit")) {
      claim.unit = parse_unit(r.string(*u));
      if (!claim.unit)
        r.fail(*u, fmt::format("unknown unit \"{}\"; write units as USD, USD/yr, GW, GPU, H100e, "
                               "ratio, x, or combinations such as GPU/H100e",
                               u->text));
    }
    if (const Value* b = c.find("basis")) claim.basis = choice(r, *b, "basis", basis_names());
    if (const Value* e = c.find("expect")) {
      if (r.string(*e) != "fail")
        r.fail(*e, fmt::format("\"expect\" may only be \"fail\", got \"{}\"", e->text));
      claim.expect_fail = true;
      const Value* reason = c.find("reason");
      if (!reason) r.fail(*e, "an expected failure needs a \"reason\": why the note is off");
      claim.reason = r.nonempty_string(*reason);
    } else if (const Value* reason = c.find("reason")) {
      r.fail(*reason, "\"reason\" goes with \"expect\": \"fail\"");
    }
    note.claims.push_back(std::move(claim));
  }
  return note;
}

}  // namespace leasecalc
