// schedule: the contract period by period.
#include <fmt/format.h>
#include <map>

#include "common.hpp"
#include "leasecalc/calc/schedule.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

namespace {

// The text table's cell: money as $2.34M, shares as 50.0%, GPU-hours as a plain 1.68M.
std::string human_cell(const Tracked& v, const Unit& unit) {
  if (std::isnan(v.v)) return "";
  if (unit.name == "1") return fmt::format("{:.2f}x", v.v);  // a DSCR
  return unit.name == "GPU-h" ? human(v.v, units::plain) : human(v.v, unit);
}

std::string raw(const Tracked& v) { return std::isnan(v.v) ? "" : plain_number(v.v); }

// "Tags: assumption* (online, revenue, ...); exact (depreciation)": strongest first.
std::string tag_line(const Schedule& s) {
  std::map<Tag, std::vector<std::string>> by_tag;
  for (std::size_t c = 0; c < s.columns.size(); ++c)
    by_tag[s.tags[c]].push_back(s.columns[c].heading);
  std::vector<std::string> parts;
  for (const auto& [tag, headings] : by_tag)
    parts.push_back(fmt::format("{} ({})", tag_name(tag), join(headings)));
  return "Tags: " + join(parts, "; ") +
         ". Each column takes the weakest tag of the inputs behind it.";
}

}  // namespace

void write_schedule(std::ostream& out, const Schedule& s, Format format, const Style& style) {
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/schedule/v1";
    doc["scenario"] = s.scenario;
    if (!s.start.empty()) doc["start"] = s.start;
    doc["term_months"] = s.term;
    doc["period"] = name_of(period_names(), s.period);
    nlohmann::ordered_json columns = nlohmann::ordered_json::array();
    for (std::size_t c = 0; c < s.columns.size(); ++c)
      columns.push_back({{"key", s.columns[c].key},
                         {"unit", s.columns[c].unit.name},
                         {"tag", tag_name(s.tags[c])},
                         {"sources", s.sources[c]}});
    doc["columns"] = std::move(columns);
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& p : s.rows) {
      nlohmann::ordered_json row;
      row["period"] = p.label;
      if (s.by_tenant) row["tenant"] = p.tenant;
      row["months"] = p.months;
      if (!p.start_date.empty()) {
        row["start_date"] = p.start_date;
        row["end_date"] = p.end_date;
      }
      nlohmann::ordered_json tags;
      for (std::size_t c = 0; c < s.columns.size(); ++c) {
        if (!std::isnan(p.values[c].v)) row[s.columns[c].key] = p.values[c].v;
        tags[s.columns[c].key] = tag_name(p.values[c].tag);
      }
      row["tags"] = std::move(tags);
      rows.push_back(std::move(row));
    }
    doc["rows"] = std::move(rows);
    render::write_json(out, doc);
    return;
  }
  Table t;
  if (format == Format::csv || format == Format::tsv) {
    t.columns = {"period", "months", "start_date", "end_date"};
    if (s.by_tenant) t.columns.insert(t.columns.begin() + 1, "tenant");
    for (const auto& c : s.columns) {
      t.columns.push_back(c.key);
      t.columns.push_back(c.key + "_tag");
    }
    for (const auto& p : s.rows) {
      std::vector<Cell> row{p.label, std::to_string(p.months), p.start_date, p.end_date};
      if (s.by_tenant) row.insert(row.begin() + 1, p.tenant);
      for (const auto& v : p.values) {
        row.emplace_back(raw(v));
        row.emplace_back(std::string(tag_name(v.tag)));
      }
      t.rows.push_back(std::move(row));
    }
    write_table(out, t, format, style);
    return;
  }
  // table and md
  const std::string title =
      fmt::format("{}: {} months{}, by {}", s.scenario, s.term,
                  s.start.empty() ? "" : " from " + s.start, name_of(period_names(), s.period));
  if (format == Format::md)
    out << "# " << render::md_cell(title) << "\n\n";
  else
    write_wrapped(out, title, style);
  t.columns = {"period"};
  t.right_aligned = {false};
  const std::size_t first = s.by_tenant ? 2 : 1;  // the first column of figures
  if (s.by_tenant) {
    t.columns.emplace_back("tenant");
    t.right_aligned.push_back(false);
    t.shrink.push_back({1, 10});
  }
  for (const auto& c : s.columns) {
    t.columns.push_back(c.heading);
    t.right_aligned.push_back(true);
  }
  // Narrow terminals lose, in turn: cash (EBITDA again without tax), GPU-hours,
  // depreciation, EBIT, and with debt and tax the parts of the figures kept: interest and
  // principal (debt service), the taxes (equity cash), PV cash, online, the balance and
  // opex.
  for (const char* key : {"cash", "gpu_hours", "depreciation", "ebit", "interest", "principal",
                          "equity_tax", "tax", "pv_cash", "online", "balance", "opex"})
    for (std::size_t c = 0; c < s.columns.size(); ++c)
      if (s.columns[c].key == key) t.shrink.push_back({c + first, 0});
  const int full = s.period == Period::year ? 12 : s.period == Period::quarter ? 3 : 1;
  bool partial = false;
  for (const auto& p : s.rows) {
    partial = partial || p.months < full;
    std::vector<Cell> row{p.months < full ? p.label + "*" : p.label};
    if (s.by_tenant) row.emplace_back(p.tenant);
    for (std::size_t c = 0; c < s.columns.size(); ++c)
      row.emplace_back(human_cell(p.values[c], s.columns[c].unit));
    t.rows.push_back(std::move(row));
  }
  write_table(out, t, format, style);
  out << '\n';
  std::string foot = tag_line(s);
  if (partial) foot += " * a partial period: it holds only the months the schedule covers.";
  write_wrapped(out, foot, style, 0);
}

}  // namespace leasecalc
