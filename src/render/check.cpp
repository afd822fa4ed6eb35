// check: a note's claims with their verdicts, as a table, md or json (JUnit and TAP in
// junit_tap.cpp).
#include <fmt/format.h>

#include "check.hpp"
#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {
namespace render {

namespace {
std::string inputs_text(const ClaimResult& c) {
  std::vector<std::string> parts;
  for (const Row* in : c.inputs)
    parts.push_back(fmt::format("{} = {} [{}]", in->key, exact_with_unit(*in), tag_name(in->tag)));
  return join(parts, "; ");
}

}  // namespace

// What the note states, in the figure's unit: "~$5B/yr ± 1%", "at least 300 MW".
std::string stated_summary(const ClaimResult& r) {
  const Claim& c = *r.claim;
  const Unit& unit = r.figure->unit;
  const double factor =
      c.unit && c.unit->same_dimension(unit) ? conversion_factor(*c.unit, unit) : 1;
  const std::string suffix =
      c.unit && !c.unit->same_dimension(unit) ? " (in " + std::string(c.unit->name) + ")" : "";
  if (c.stated)
    return std::string(bound_words(c.bound)) + human(*c.stated * factor, unit) + suffix +
           (c.tolerance.amount > 1e-9 ? " ± " + c.tolerance.text : "");
  if (!c.stated_high) return "at least " + human(*c.stated_low * factor, unit) + suffix;
  if (!c.stated_low) return "at most " + human(*c.stated_high * factor, unit) + suffix;
  return human(*c.stated_low * factor, unit) + " to " + human(*c.stated_high * factor, unit) +
         suffix;
}

// The lines that explain a claim's verdict: what failed, the text, the inputs.
std::vector<std::string> detail_lines(const ClaimResult& c) {
  std::vector<std::string> lines;
  lines.push_back("\"" + c.claim->text + "\"");
  for (const auto& p : c.problems)
    lines.push_back(p);
  if (c.verdict == Verdict::expected_fail) lines.push_back("expected failure: " + c.claim->reason);
  lines.push_back(fmt::format("computed {} [{}]{}", exact_with_unit(*c.figure),
                              tag_name(c.figure->tag), c.figure->derived ? ", derived" : ""));
  lines.push_back("inputs: " + inputs_text(c));
  return lines;
}

CheckTotals totals(const std::vector<NoteResult>& notes) {
  CheckTotals t;
  for (const auto& n : notes) {
    t.passed += n.passed;
    t.failed += n.failed;
    t.expected += n.expected;
    t.unexpected += n.unexpected;
    t.total += static_cast<int>(n.claims.size());
  }
  t.summary =
      fmt::format("{} claims in {} note{}: {} passed, {} failed, {} expected failure{}{}", t.total,
                  notes.size(), notes.size() == 1 ? "" : "s", t.passed, t.failed + t.unexpected,
                  t.expected, t.expected == 1 ? "" : "s",
                  t.unexpected ? fmt::format(" ({} passing unexpectedly)", t.unexpected) : "");
  return t;
}

}  // namespace render

void write_check(std::ostream& out, const std::vector<NoteResult>& notes, Format format,
                 const Style& style) {
  // In a table that must fit a width, bounds as signs: "≥300 MW".
  auto compact = [&](std::string text) {
    return format == Format::table && style.width > 0 ? bounds_as_signs(std::move(text)) : text;
  };
  using namespace render;
  const CheckTotals totals_ = totals(notes);
  const int passed = totals_.passed, failed = totals_.failed, expected = totals_.expected,
            unexpected = totals_.unexpected;
  const std::string& summary = totals_.summary;
  if (format == Format::junit) {
    write_check_junit(out, notes);
    return;
  }
  if (format == Format::tap) {
    write_check_tap(out, notes);
    return;
  }
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/check/v1";
    doc["passed"] = passed;
    doc["failed"] = failed + unexpected;
    doc["expected_failures"] = expected;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& n : notes) {
      nlohmann::ordered_json note;
      note["file"] = n.note->file;
      note["title"] = n.note->title;
      note["scenario"] = n.scenario_file;
      nlohmann::ordered_json claims = nlohmann::ordered_json::array();
      for (const auto& c : n.claims) {
        nlohmann::ordered_json j;
        j["id"] = c.claim->id;
        j["text"] = c.claim->text;
        j["key"] = c.claim->key;
        j["verdict"] = verdict_name(c.verdict);
        if (c.claim->stated) j["stated"] = *c.claim->stated;
        if (c.claim->stated_low) j["stated_low"] = *c.claim->stated_low;
        if (c.claim->stated_high) j["stated_high"] = *c.claim->stated_high;
        if (c.figure->defined) j["computed"] = c.figure->value;
        j["unit"] = c.figure->unit.name;
        j["tag"] = tag_name(c.figure->tag);
        if (c.claim->tag) j["stated_tag"] = tag_name(*c.claim->tag);
        j["problems"] = c.problems;
        if (c.claim->expect_fail) j["reason"] = c.claim->reason;
        nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
        for (const Row* in : c.inputs) {
          nlohmann::ordered_json x = figure_json(*in);
          x["sources"] = in->sources;
          inputs.push_back(std::move(x));
        }
        j["inputs"] = std::move(inputs);
        claims.push_back(std::move(j));
      }
      note["claims"] = std::move(claims);
      list.push_back(std::move(note));
    }
    doc["notes"] = std::move(list);
    write_json(out, doc);
    return;
  }

  // table and md
  for (const auto& n : notes) {
    const Note& note = *n.note;
    std::string title = (format == Format::md ? "## " : "") + note.title;
    std::vector<std::string> by;
    for (const auto* x : {&note.publisher, &note.date})
      if (!x->empty()) by.push_back(*x);
    if (!by.empty()) title += " (" + join(by, ", ") + ")";
    const Style text_style = format == Format::md ? Style{} : style;
    write_wrapped(out, title, text_style);
    if (format == Format::md) out << '\n';
    write_wrapped(out, "note " + note.file + ", scenario " + n.scenario_file, text_style);
    out << '\n';
    // The stated and computed values are never cut (README "Checking a note in CI"): when
    // they do not fit beside the claim and key, each claim heads its values on a line of
    // its own.
    auto table = [&](bool beside) {
      Table t;
      t.columns = {"verdict", "claim", "key", "stated", "computed", "tag"};
      t.shrink = {{5, 10}, {2, 24}, {1, 16}, {2, 18}, {1, 12}};
      if (!beside) {
        t.columns = {"", "stated", "computed", "tag"};
        t.shrink = {{3, 10}};
      }
      for (const auto& c : n.claims) {
        const std::string_view colour = c.verdict == Verdict::pass            ? "32"
                                        : c.verdict == Verdict::expected_fail ? "33"
                                                                              : "31";
        Cell verdict(std::string(verdict_name(c.verdict)), colour);
        Cell tag(std::string(tag_name(c.figure->tag)) +
                     (c.claim->tag && *c.claim->tag != c.figure->tag
                          ? " (stated " + std::string(tag_name(*c.claim->tag)) + ")"
                          : ""),
                 tag_colour(c.figure->tag));
        const std::string stated = compact(stated_summary(c));
        const std::string computed = compact(human_value(*c.figure));
        if (beside) {
          t.rows.push_back({verdict, c.claim->id, c.claim->key, stated, computed, tag});
        } else {
          t.rows.push_back({Cell(
              fmt::format("{:<7}  {}  {}", verdict.text, c.claim->id, c.claim->key), colour)});
          t.rows.push_back({"", stated, computed, tag});
        }
      }
      return t;
    };
    Table t = table(true);
    if (format == Format::table && !fits(t, style.width)) t = table(false);
    write_table(out, t, format, style);
    out << '\n';
    for (const auto& c : n.claims) {
      if (c.verdict == Verdict::pass) continue;
      out << (format == Format::md ? "- **" : "") << verdict_name(c.verdict) << ' ' << c.claim->id
          << (format == Format::md ? "**" : "") << '\n';
      for (const auto& d : detail_lines(c))
        write_wrapped(out, (format == Format::md ? "  - " : "    ") + d, text_style);
      out << '\n';
    }
  }
  write_wrapped(out, summary, format == Format::md ? Style{} : style);
}

}  // namespace leasecalc
