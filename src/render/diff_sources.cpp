// diff (what changed between two scenarios) and sources (figures grouped by source).
#include <fmt/format.h>

#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

using render::figure_json;
using render::write_json;

namespace {

// A change in a share is also said in points: 45.6% -> 40.0% is -5.6 points.
bool is_share(const Change& c) { return (c.new_row ? c.new_row : c.old_row)->unit.name == "ratio"; }

// "sources mirae-2026-05-08 -> s1; range $1.75T to $2T -> none": the changes a value
// column cannot show.
std::string detail(const Change& c) {
  if (!c.old_row || !c.new_row) return "";
  const Row& a = *c.old_row;
  const Row& b = *c.new_row;
  auto listed = [](const std::vector<std::string>& ids) {
    return ids.empty() ? std::string("none") : join(ids, ", ");
  };
  std::vector<std::string> parts;
  for (const auto& w : c.what) {
    if (w == "sources")
      parts.push_back("sources " + listed(a.sources) + " -> " + listed(b.sources));
    if (w == "range") {
      auto range = [](const Row& r) {
        const std::string text = render::range_text(r);
        return text.empty() ? std::string("none") : text;
      };
      parts.push_back("range " + range(a) + " -> " + range(b));
    }
    if (w == "bound") {
      auto bound = [](const Row& r) {
        return one_sided(r.bound) ? std::string(bound_name(r.bound)) : std::string("none");
      };
      parts.push_back("bound " + bound(a) + " -> " + bound(b));
    }
    if (w == "approx") parts.push_back(b.approx ? "now approximate" : "no longer approximate");
    if (w == "note")
      parts.push_back("note \"" + a.note + "\" -> " +
                      (b.note.empty() ? "none" : "\"" + b.note + "\""));
  }
  return join(parts, "; ");
}

}  // namespace

void write_diff(std::ostream& out, const std::vector<Change>& changes, const std::string& old_file,
                const std::string& new_file, Format format, const Style& style) {
  auto value = [&](const Row* r) -> std::string {
    if (!r || !r->defined) return r ? "undefined" : "";
    return format == Format::table || format == Format::md ? exact_with_unit(*r)
                                                           : plain_number(r->value);
  };
  auto both = [](const Change& c) {
    return c.old_row && c.new_row && c.old_row->defined && c.new_row->defined;
  };
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/diff/v1";
    doc["old"] = old_file;
    doc["new"] = new_file;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& c : changes) {
      nlohmann::ordered_json j;
      j["key"] = c.key();
      j["changed"] = c.what;
      if (c.old_row && c.old_row->defined) j["old"] = c.old_row->value;
      if (c.new_row && c.new_row->defined) j["new"] = c.new_row->value;
      if (both(c)) {
        j["change"] = c.new_row->value - c.old_row->value;
        if (is_share(c)) j["change_points"] = 100 * c.new_row->value - 100 * c.old_row->value;
        if (c.old_row->value != 0) j["change_ratio"] = c.new_row->value / c.old_row->value - 1;
      }
      j["unit"] = (c.new_row ? c.new_row : c.old_row)->unit.name;
      if (c.old_row) j["old_tag"] = tag_name(c.old_row->tag);
      if (c.new_row) j["new_tag"] = tag_name(c.new_row->tag);
      if (!c.tag_change().empty()) j["tag_change"] = c.tag_change();
      for (const auto& [side, row] : {std::pair{"old", c.old_row}, {"new", c.new_row}}) {
        if (!row || row->derived) continue;
        j[std::string(side) + "_sources"] = row->sources;
        if (row->low) {
          j[std::string(side) + "_low"] = *row->low;
          j[std::string(side) + "_high"] = *row->high;
        }
        if (one_sided(row->bound)) j[std::string(side) + "_bound"] = bound_name(row->bound);
      }
      if (!c.old_row) j["status"] = "added";
      if (!c.new_row) j["status"] = "removed";
      list.push_back(std::move(j));
    }
    doc["changes"] = std::move(list);
    write_json(out, doc);
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  auto header = [&] {
    const Style text_style = format == Format::table ? style : Style{};
    write_wrapped(out, "old " + old_file, text_style);
    write_wrapped(out, "new " + new_file, text_style);
    out << '\n';
  };
  auto footer = [&] {
    out << '\n' << changes.size() << " figure" << (changes.size() == 1 ? "" : "s") << " changed\n";
    // What the value columns cannot show: sources, ranges, bounds, notes.
    bool first = true;
    for (const auto& c : changes)
      if (const std::string d = detail(c); !d.empty()) {
        if (first) out << '\n';
        first = false;
        write_wrapped(out, c.key() + ": " + d, format == Format::table ? style : Style{}, 2);
      }
  };
  if (human_format && changes.empty()) {
    header();
    out << "no figure changed\n";
    return;
  }
  // The terminal's table (README "Filing day"): values and changes in human units, never cut;
  // the tag as a transition, "reported -> primary". When the keys do not fit beside the
  // values, each key heads its row on a line of its own. --wide (no width) gives exact
  // values and every column.
  if (format == Format::table && style.width != 0) {
    auto shown = [](const Row* r) {
      return !r ? std::string() : r->defined ? bounds_as_signs(human_value(*r)) : "undefined";
    };
    std::vector<std::vector<Cell>> rows;  // key, old, new, change, change %, tag
    for (const auto& c : changes) {
      std::string change, pct;
      if (both(c)) {
        const double d = c.new_row->value - c.old_row->value;
        if (d == 0)
          change = "0";
        else if (is_share(c))  // a share's change in points, as an analyst says it
          change = fmt::format("{:+.3g} points", 100 * c.new_row->value - 100 * c.old_row->value);
        else
          change = (d > 0 ? "+" : "-") + human(std::fabs(d), c.new_row->unit);
        if (c.old_row->value != 0 && d != 0)
          pct = fmt::format("{:+.1f}%", 100 * (c.new_row->value / c.old_row->value - 1));
      }
      Cell tag;
      if (!c.old_row) {
        tag = Cell("added, " + std::string(tag_name(c.new_row->tag)), tag_colour(c.new_row->tag));
      } else if (!c.new_row) {
        tag = Cell("removed");
      } else if (c.tag_change().empty()) {
        tag = Cell(std::string(tag_name(c.new_row->tag)), tag_colour(c.new_row->tag));
      } else {
        tag = Cell(fmt::format("{} \u2192 {}", tag_name(c.old_row->tag), tag_name(c.new_row->tag)),
                   c.tag_change() == "upgrade" ? "32" : "31");
      }
      rows.push_back({c.key(), shown(c.old_row), shown(c.new_row), change, pct, tag});
    }
    // The keys beside the values, else each key on its own line; in either, the change in
    // percent goes first when the width is short.
    auto table = [&](bool keys_beside) {
      Table t;
      t.columns = {keys_beside ? "key" : "", "old", "new", "change", "change %", "tag"};
      t.right_aligned = {false, true, true, true, true, false};
      t.shrink = {{4, 0}};
      for (const auto& r : rows) {
        if (!keys_beside) t.rows.push_back({r[0]});
        t.rows.push_back(r);
        if (!keys_beside) t.rows.back()[0] = Cell();
      }
      return t;
    };
    Table t = table(true);
    if (!fits(t, style.width)) t = table(false);
    header();
    write_table(out, t, format, style);
    footer();
    out << "(--wide: exact values and every column; --format csv for raw numbers)\n";
    return;
  }
  Table t;
  t.columns = {
      "key",     "old",     "new",        "change", human_format ? "change_pct" : "change_ratio",
      "old_tag", "new_tag", "tag_change", "changed"};
  if (!human_format) t.columns.insert(t.columns.begin() + 5, "change_points");
  if (!human_format) t.columns.push_back("detail");
  t.right_aligned = {false, true, true, true, true, false, false, false, false};
  t.shrink = {{5, 0}, {6, 0}, {8, 0}, {0, 24}, {4, 0}, {0, 16}, {1, 12}, {2, 12}};
  for (const auto& c : changes) {
    std::string change, points, pct;
    if (both(c)) {
      const double d = c.new_row->value - c.old_row->value;
      if (human_format && is_share(c))  // a share's change in points, as an analyst says it
        change = fmt::format("{:+.4g} points", 100 * c.new_row->value - 100 * c.old_row->value);
      else
        change =
            d == 0 ? "0" : (d > 0 ? "+" : "") + (human_format ? operand_text(d) : plain_number(d));
      if (is_share(c)) points = plain_number(100 * c.new_row->value - 100 * c.old_row->value);
      if (c.old_row->value != 0) {
        const double ratio = c.new_row->value / c.old_row->value - 1;
        pct = human_format ? fmt::format("{:+.2f}%", 100 * ratio) : plain_number(ratio);
      }
    }
    std::string tag_change(c.tag_change());
    if (!c.old_row) tag_change = "added";
    if (!c.new_row) tag_change = "removed";
    std::vector<Cell> row{
        c.key(),
        value(c.old_row),
        value(c.new_row),
        change,
        pct,
        c.old_row ? Cell(std::string(tag_name(c.old_row->tag)), tag_colour(c.old_row->tag))
                  : Cell(),
        c.new_row ? Cell(std::string(tag_name(c.new_row->tag)), tag_colour(c.new_row->tag))
                  : Cell(),
        Cell(tag_change, tag_change == "upgrade"     ? "32"
                         : tag_change == "downgrade" ? "31"
                                                     : ""),
        join(c.what, human_format ? ", " : ";")};
    if (!human_format) {
      row.insert(row.begin() + 5, points);
      row.emplace_back(detail(c));
    }
    t.rows.push_back(std::move(row));
  }
  if (human_format) header();
  write_table(out, t, format, style);
  if (human_format) footer();
}

void write_sources(std::ostream& out, const std::vector<SourceGroup>& groups,
                   const Scenario& scenario, Format format, const Style& style) {
  auto describe_source = [&](const std::string& id) -> std::string {
    if (id.empty()) return "(no source: exact figures and assumptions)";
    const Source* s = scenario.find_source(id);
    if (!s) return id;
    std::vector<std::string> parts;
    for (const auto* p : {&s->publisher, &s->date, &s->kind})
      if (!p->empty()) parts.push_back(*p);
    return s->title + (parts.empty() ? "" : " (" + join(parts) + ")");
  };
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/sources/v1";
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& g : groups) {
      nlohmann::ordered_json j;
      j["source"] = g.source.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(g.source);
      j["title"] = describe_source(g.source);
      nlohmann::ordered_json figures = nlohmann::ordered_json::array();
      for (const Row* r : g.rows) {
        nlohmann::ordered_json f = figure_json(*r);
        f["derived"] = r->derived;
        figures.push_back(std::move(f));
      }
      j["figures"] = std::move(figures);
      list.push_back(std::move(j));
    }
    doc["sources"] = std::move(list);
    write_json(out, doc);
    return;
  }
  Table t;
  const bool human_format = format == Format::table || format == Format::md;
  if (human_format) {
    t.columns = {"source", "tag", "key", "value", "note"};
    t.shrink = {{4, 12}, {2, 26}, {3, 14}, {4, 0}, {2, 18}};
    for (const auto& g : groups) {
      t.rows.push_back(
          {Cell((g.source.empty() ? "(none)" : g.source) + ": " + describe_source(g.source),
                style.colour ? "1" : "")});
      for (const Row* r : g.rows)
        t.rows.push_back(
            {"", Cell(std::string(tag_name(r->tag)) + (r->derived ? "*" : ""), tag_colour(r->tag)),
             r->key, human_value(*r), r->note});
    }
  } else {
    t.columns = {"source", "title", "key", "label", "value", "unit", "tag", "derived"};
    for (const auto& g : groups)
      for (const Row* r : g.rows)
        t.rows.push_back({g.source, describe_source(g.source), r->key, r->label,
                          r->defined ? plain_number(r->value) : "", std::string(r->unit.name),
                          std::string(tag_name(r->tag)), r->derived ? "true" : "false"});
  }
  if (human_format && groups.empty()) {
    out << "no figures match\n";
    return;
  }
  write_table(out, t, format, style);
}

}  // namespace leasecalc

namespace leasecalc {

void write_rank(std::ostream& out, const Report& report, const Row& target, double base,
                const std::vector<Swing>& swings, const std::vector<const Row*>& unranged,
                Format format, const Style& style) {
  const Unit& u = target.unit;
  auto sources_of = [&](const std::string& key) {
    const Row* r = report.find(key);
    return r ? r->sources : std::vector<std::string>{};
  };
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/rank/v1";
    doc["target"] = target.key;
    doc["unit"] = u.name;
    doc["base"] = base;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& s : swings) {
      const Figure& f = s.input->figure;
      list.push_back({{"input", s.input->key},
                      {"tag", tag_name(f.tag)},
                      {"sources", sources_of(s.input->key)},
                      {"value", f.value},
                      {"low", *f.low},
                      {"high", *f.high},
                      {"at_low", s.at_low},
                      {"at_high", s.at_high},
                      {"swing", s.swing()}});
    }
    doc["ranked"] = std::move(list);
    nlohmann::ordered_json none = nlohmann::ordered_json::array();
    for (const Row* r : unranged)
      none.push_back(r->key);
    doc["no_range"] = std::move(none);
    render::write_json(out, doc);
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  Table t;
  if (human_format) {
    write_wrapped(out,
                  fmt::format("What to confirm next for {} ({}, {} [{}]): the inputs not yet "
                              "primary, by how far each moves it over its range",
                              target.key, target.label, human_value(target), tag_name(target.tag)),
                  style, 2);
    out << '\n';
    t.columns = {"#", "input", "tag", "range", "moves it", "swing", "sources"};
    t.right_aligned = {true, false, false, false, false, true, false};
    t.shrink = {{6, 0}, {1, 18}, {3, 12}, {4, 14}};
    std::size_t n = 0;
    for (const auto& s : swings) {
      const Figure& f = s.input->figure;
      if (s.swing() == 0) continue;  // listed below the table
      t.rows.push_back({std::to_string(++n), s.input->key,
                        Cell(std::string(tag_name(f.tag)), tag_colour(f.tag)),
                        human(*f.low, f.unit) + " to " + human(*f.high, f.unit),
                        human(s.at_low, u) + " to " + human(s.at_high, u), human(s.swing(), u),
                        join(sources_of(s.input->key), " ")});
    }
  } else {
    t.columns = {"input", "tag", "sources", "value", "low", "high", "at_low", "at_high", "swing"};
    for (const auto& s : swings) {
      const Figure& f = s.input->figure;
      t.rows.push_back({s.input->key, std::string(tag_name(f.tag)),
                        join(sources_of(s.input->key), ";"), plain_number(f.value),
                        plain_number(*f.low), plain_number(*f.high), plain_number(s.at_low),
                        plain_number(s.at_high), plain_number(s.swing())});
    }
  }
  write_table(out, t, format, style);
  if (!human_format) return;
  std::vector<std::string> still, keys;
  for (const auto& s : swings)
    if (s.swing() == 0) still.push_back(s.input->key);
  for (const Row* r : unranged)
    keys.push_back(r->key);
  if (!still.empty()) {
    out << '\n';
    write_wrapped(out, fmt::format("Do not move it over their ranges: {}", join(still, ", ")),
                  style, 2);
  }
  if (!keys.empty()) {
    out << '\n';
    write_wrapped(out,
                  fmt::format("Not ranked, having no range (give one, or --tag-ranges): {}",
                              join(keys, ", ")),
                  style, 2);
  }
}

}  // namespace leasecalc
