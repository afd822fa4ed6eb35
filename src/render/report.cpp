// report: every figure of a scenario as a table, csv, tsv, md or json.
#include <fmt/format.h>

#include "common.hpp"
#include "leasecalc/text.hpp"

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
  ordered_json figures = ordered_json::object();
  for (const auto& r : report.rows) {
    ordered_json f;
    f["label"] = r.label;
    if (r.defined) f["value"] = r.value;
    f["unit"] = r.unit.name;
    f["tag"] = tag_name(r.tag);
    f["derived"] = r.derived;
    f["sources"] = r.sources;
    if (r.derived) f["inputs"] = r.inputs;
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

}  // namespace

void write_report(std::ostream& out, const Report& report, Format format, const Style& style) {
  if (format == Format::json) {
    write_report_json(out, report);
    return;
  }
  Table t;
  if (format == Format::csv || format == Format::tsv) {
    // SPEC §7's columns, then bound, approx and note (§14), so nothing the table says is
    // lost: "at least", "~", "unattainable", "undefined: ...".
    t.columns = {"key", "label", "value",   "unit",  "tag",    "derived",
                 "low", "high",  "sources", "bound", "approx", "note"};
    for (const auto& r : report.rows)
      t.rows.push_back({r.key, r.label, r.defined ? plain_number(r.value) : "",
                        std::string(r.unit.name), std::string(tag_name(r.tag)),
                        r.derived ? "true" : "false", r.low ? plain_number(*r.low) : "",
                        r.high ? plain_number(*r.high) : "", join(r.sources, ";"),
                        one_sided(r.bound) ? std::string(bound_name(r.bound)) : "",
                        r.approx ? "true" : "false", r.note});
    write_table(out, t, format, style);
    return;
  }

  // table and md: a heading, then inputs and derived figures in one grid.
  const std::string basis =
      fmt::format("{} ({})", basis_name(report.basis), basis_description(report.basis));
  if (format == Format::md) {
    out << "# " << md_cell(report.scenario) << "\n\n";
    out << "- file: `" << report.file << "`\n";
    if (!report.as_of.empty()) out << "- as of: " << report.as_of << '\n';
    out << "- basis: " << basis << "\n\n";
  } else {
    out << (style.colour ? "\x1b[1m" : "") << report.scenario << (style.colour ? "\x1b[0m" : "")
        << '\n';
    out << "file " << report.file;
    if (!report.as_of.empty()) out << ", as of " << report.as_of;
    out << ", basis " << basis << "\n\n";
  }
  t.columns = {"figure", "value", "exact", "tag", "key", "sources", "note"};
  t.right_aligned = {false, true, true, false, false, false, false};
  bool inputs_heading = false, derived_heading = false;
  for (const auto& r : report.rows) {
    if (!r.derived && !inputs_heading) {
      t.rows.push_back({Cell("INPUTS", style.colour ? "1" : "")});
      inputs_heading = true;
    }
    if (r.derived && !derived_heading) {
      t.rows.push_back({Cell("DERIVED", style.colour ? "1" : "")});
      derived_heading = true;
    }
    std::string note = r.note;
    if (r.overridden) note = note.empty() ? "set from the shell" : "set from the shell; " + note;
    if (const std::string range = range_text(r); !range.empty())
      note = note.empty() ? "range " + range : "range " + range + "; " + note;
    t.rows.push_back(
        {"  " + r.label, human_value(r), exact_value(r),
         Cell(std::string(tag_name(r.tag)) + (r.derived ? "*" : ""), tag_colour(r.tag)), r.key,
         join(r.sources, " "), note});
  }
  write_table(out, t, format, style);
  if (format == Format::table)
    out << "\n* derived: the weakest tag of its inputs. Tags, strongest first: exact, primary, "
           "reported, estimate, assumption, ai-prior.\n";
  else
    out << "\n\\* derived: the weakest tag of its inputs.\n";
}

}  // namespace leasecalc
