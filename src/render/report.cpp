// report: every figure of a scenario as a table, csv, tsv, md or json.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {
namespace {

using render::md_cell;
using render::range_text;

void write_report_json(std::ostream& out, const Report& report) {
  using nlohmann::ordered_json;
  ordered_json doc;
  doc["schema"] = "leasecalc/report/v1";
  doc["scenario"] = report.scenario;
  doc["file"] = report.file;
  if (!report.as_of.empty()) doc["as_of"] = report.as_of;
  doc["basis"] = basis_name(report.basis);
  doc["basis_description"] = basis_description(report.basis);
  if (!report.start.empty()) doc["lease_start"] = report.start;
  if (report.capex_sunk) doc["capex_at_start"] = false;
  // Each derived figure lists every input that moves it. A tenant's share of the revenue
  // reads every tenant's inputs, so with n tenants the lists grow as n squared: refused
  // beyond a limit, before anything is written.
  std::size_t listed = 0;
  for (const auto& r : report.rows)
    if (r.derived && (listed += r.inputs.count(k_max_listed_inputs - listed)) > k_max_listed_inputs)
      throw UsageError(fmt::format(
          "--format json: the derived figures' lists of inputs would hold more than {} keys "
          "(each lists every input that moves it; with many tenants, each tenant's share "
          "reads every tenant's inputs); use --format csv or tsv, which list sources, not "
          "inputs, or explain KEY for one figure's inputs",
          grouped(static_cast<double>(k_max_listed_inputs), 0)));
  ordered_json figures = ordered_json::object();
  for (const auto& r : report.rows) {
    ordered_json f;
    f["label"] = r.label;
    if (r.defined) f["value"] = r.value;
    f["unit"] = r.unit.name;
    f["tag"] = tag_name(r.tag);
    f["derived"] = r.derived;
    f["sources"] = r.sources;
    if (r.derived) f["inputs"] = r.inputs.list();
    if (r.low) {
      f["low"] = *r.low;
      f["high"] = *r.high;
    }
    if (one_sided(r.bound)) f["bound"] = bound_name(r.bound);
    if (r.approx) f["approx"] = true;
    if (r.overridden) f["overridden"] = true;
    if (!r.defined)
      f["undefined"] = r.note;
    else if (!r.note.empty())
      f["note"] = r.note;
    figures[r.key] = std::move(f);
  }
  doc["figures"] = std::move(figures);
  render::write_json(out, doc);
}

std::string fit_to(const std::string& text, std::size_t width) {
  return width ? fit(text, width) : text;
}

// The figures a reader looks for first, before the table: revenue, coverage, the
// break-even price (README "Spreadsheets").
void write_headline(std::ostream& out, const Report& report, const Style& style) {
  if (!report.find("lease.annual_revenue") || report.rows.size() < 4) return;  // not a solve's
  Table h;
  h.columns = {"", "", ""};
  h.right_aligned = {false, true, false};
  h.shrink = {{0, 12}};
  for (const std::string& key : headline_keys())
    if (const Row* r = report.find(key))
      h.rows.push_back({"  " + r->label, human_value(*r),
                        Cell(std::string(tag_name(r->tag)), tag_colour(r->tag))});
  if (h.rows.empty()) return;
  std::ostringstream text;
  write_table(text, h, Format::table, style);
  const std::string body = text.str();
  out << body.substr(body.find('\n') + 1) << '\n';  // without the empty header line
}

}  // namespace

void write_report(std::ostream& out, const Report& report, Format format, const Style& style) {
  if (format == Format::json) {
    write_report_json(out, report);
    return;
  }
  Table t;
  if (format == Format::csv || format == Format::tsv) {
    // The documented columns (README "Spreadsheets"), then bound, approx and note, so nothing the
    // table says is lost: "at least", "~", "unattainable", "undefined: ...".
    t.columns = {"key", "label", "value",   "unit",  "tag",    "derived",
                 "low", "high",  "sources", "bound", "approx", "note"};
    // Written 4,096 rows at a time: the cells of 140,000 rows (10,000 tenants) take 80 MB.
    for (std::size_t i = 0; i < report.rows.size(); ++i) {
      const Row& r = report.rows[i];
      t.rows.push_back({r.key, r.label, r.defined ? plain_number(r.value) : "",
                        std::string(r.unit.name), std::string(tag_name(r.tag)),
                        r.derived ? "true" : "false", r.low ? plain_number(*r.low) : "",
                        r.high ? plain_number(*r.high) : "", join(r.sources, ";"),
                        one_sided(r.bound) ? std::string(bound_name(r.bound)) : "",
                        r.approx ? "true" : "false", r.note});
      if (t.rows.size() == 4096 || i + 1 == report.rows.size()) {
        write_table(out, t, format, style);
        t.rows.clear();
        t.header = false;
      }
    }
    if (t.header) write_table(out, t, format, style);  // no rows: the header alone
    return;
  }

  // table and md: a heading, then inputs and derived figures in one grid.
  const std::string basis =
      fmt::format("{} ({})", basis_name(report.basis), basis_description(report.basis));
  if (format == Format::md) {
    out << "# " << md_cell(report.scenario) << "\n\n";
    out << "- file: `" << report.file << "`\n";
    if (!report.as_of.empty()) out << "- as of: " << report.as_of << '\n';
    out << "- basis: " << basis << '\n';
    if (!report.start.empty()) out << "- lease from: " << report.start << '\n';
    if (report.capex_sunk) out << "- capex: sunk, not paid at the start\n";
    out << '\n';
  } else {
    out << (style.colour ? "\x1b[1m" : "") << fit_to(report.scenario, style.width)
        << (style.colour ? "\x1b[0m" : "") << '\n';
    std::string where = "file " + report.file;
    if (!report.as_of.empty()) where += ", as of " + report.as_of;
    where += ", basis " + basis;
    if (!report.start.empty()) where += ", lease from " + report.start;
    if (report.capex_sunk) where += ", capex sunk";
    for (const auto& line : style.width ? wrap(where, style.width, 2) : std::vector{where})
      out << line << '\n';
    out << '\n';
    write_headline(out, report, style);
  }
  auto note_of = [](const Row& r) {
    std::string note = r.note;
    if (r.overridden) note = note.empty() ? "set from the shell" : "set from the shell; " + note;
    if (const std::string range = range_text(r); !range.empty())
      note = note.empty() ? "range " + range : "range " + range + "; " + note;
    return note;
  };
  auto headings = [&](Table& table, const Row& r, bool& inputs, bool& derived, std::size_t n) {
    auto heading = [&](const char* text) {
      std::vector<Cell> row{Cell(text, style.colour ? "1" : "")};
      (void)n;
      table.rows.push_back(std::move(row));
    };
    if (!r.derived && !inputs) heading("INPUTS"), inputs = true;
    if (r.derived && !derived) heading("DERIVED"), derived = true;
  };
  // report --brief: the headline block shows the headline figures; the table, what they read.
  auto in_table = [&](const Row& r) {
    const auto& headline = headline_keys();
    return format == Format::md || !report.brief ||
           std::find(headline.begin(), headline.end(), r.key) == headline.end();
  };
  t.columns = {"figure", "value", "exact", "tag", "key", "sources", "note"};
  t.right_aligned = {false, true, true, false, false, false, false};
  bool inputs_heading = false, derived_heading = false;
  for (const auto& r : report.rows) {
    if (!in_table(r)) continue;
    headings(t, r, inputs_heading, derived_heading, 7);
    t.rows.push_back(
        {"  " + r.label, human_value(r), exact_value(r),
         Cell(std::string(tag_name(r.tag)) + (r.derived ? "*" : ""), tag_colour(r.tag)), r.key,
         join(r.sources, " "), note_of(r)});
  }
  const char* legend =
      "* derived: the weakest tag of its inputs. Tags, strongest first: exact, primary, "
      "reported, estimate, assumption, ai-prior.";
  if (format == Format::md) {
    write_table(out, t, format, style);
    out << "\n\\* derived: the weakest tag of its inputs.\n";
    return;
  }
  if (style.width == 0 || natural_width(t) <= style.width) {
    write_table(out, t, format, style);
    out << '\n';
    for (const auto& line :
         style.width ? wrap(legend, style.width, 2) : std::vector<std::string>{legend})
      out << line << '\n';
    return;
  }

  // Narrow (README "Spreadsheets"): figure, value, tag and key, with sources and notes as numbered
  // references listed below; --wide shows every column.
  t = Table{};                       // the wide table's memory, before the narrow one takes its own
  std::vector<std::string> sources;  // in order of first citation
  std::vector<std::string> notes;
  // Under 100 columns the key column goes (--keys keeps it) and the labels stay whole: the
  // references shrink first, and a label still too long takes a line of its own.
  const bool keys = style.keys || style.width >= 100;
  Table n;
  if (keys) {
    n.columns = {"figure", "value", "tag", "key", "refs"};  // refs: sources 1..n, notes a..z
    n.right_aligned = {false, true, false, false, false};
    n.shrink = {{0, 20}, {3, 26}, {4, 8}, {0, 12}, {3, 18}};
  } else {
    n.columns = {"figure", "value", "tag", "refs"};
    n.right_aligned = {false, true, false, false};
    n.shrink = {{3, 7}, {0, 36}, {3, 4}, {0, 20}};
    n.spill_first = true;
  }
  inputs_heading = derived_heading = false;
  for (const auto& r : report.rows) {
    if (!in_table(r)) continue;
    headings(n, r, inputs_heading, derived_heading, 5);
    std::vector<std::size_t> numbers;
    for (const auto& id : r.sources) {
      auto at = std::find(sources.begin(), sources.end(), id);
      if (at == sources.end()) at = sources.insert(sources.end(), id);
      numbers.push_back(static_cast<std::size_t>(at - sources.begin()) + 1);
    }
    std::sort(numbers.begin(), numbers.end());
    std::vector<std::string> refs;  // runs collapsed: 1,9-11
    for (std::size_t i = 0; i < numbers.size();) {
      std::size_t j = i;
      while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1)
        ++j;
      refs.push_back(j > i + 1    ? fmt::format("{}-{}", numbers[i], numbers[j])
                     : j == i + 1 ? fmt::format("{},{}", numbers[i], numbers[j])
                                  : std::to_string(numbers[i]));
      i = j + 1;
    }
    std::string ref_text = join(refs, ",");
    if (const std::string note = report.brief ? "" : note_of(r); !note.empty()) {
      notes.push_back(fmt::format("{}: {}", r.key, note));
      ref_text += (ref_text.empty() ? "" : " ") +
                  std::string(1, static_cast<char>('a' + (notes.size() - 1) % 26)) +
                  (notes.size() > 26 ? std::to_string((notes.size() - 1) / 26) : "");
    }
    // Bounds as signs, to keep the value whole in a narrow column: "≥300 MW".
    const std::string value = bounds_as_signs(human_value(r));
    std::vector<Cell> row;
    row.reserve(n.columns.size());  // no slack: a report may have 100,000 rows
    row.emplace_back("  " + r.label);
    row.emplace_back(value);
    row.emplace_back(std::string(tag_name(r.tag)) + (r.derived ? "*" : ""), tag_colour(r.tag));
    if (keys) row.emplace_back(r.key);
    row.emplace_back(ref_text);
    n.rows.push_back(std::move(row));
  }
  write_table(out, n, format, style);
  out << '\n';
  for (const auto& line : wrap(legend, style.width, 2))
    out << line << '\n';
  std::vector<std::string> listed;
  for (std::size_t i = 0; i < sources.size(); ++i)
    listed.push_back(fmt::format("{} {}", i + 1, sources[i]));
  if (!listed.empty())
    for (const auto& line : wrap("sources: " + join(listed, "; "), style.width, 2))
      out << line << '\n';
  for (std::size_t i = 0; i < notes.size(); ++i) {
    const std::string mark =
        std::string(1, static_cast<char>('a' + i % 26)) + (i >= 26 ? std::to_string(i / 26) : "");
    for (const auto& line : wrap(mark + " " + notes[i], style.width, 4))
      out << line << '\n';
  }
  if (report.brief)
    out << "(--brief: the headline and what its formulas name; the report has every figure)\n";
  else
    out << (keys ? "(--wide shows every column: exact values, sources and notes in the table)\n"
                 : "(--keys adds the figure keys; --wide shows every column)\n");
}

}  // namespace leasecalc
