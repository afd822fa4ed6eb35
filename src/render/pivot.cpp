// sweep --pivot: a two-way data table, the first input down and the second across, as a
// spreadsheet's data table lays it out (README "Sweep a grid").
#include <fmt/format.h>

#include <cmath>

#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

void write_pivot(std::ostream& out, const Pivot& p, Format format, const Style& style) {
  const std::size_t rows = p.down_values.size(), cols = p.across_values.size();
  auto at = [&](std::size_t i, std::size_t j) { return p.values[i * cols + j]; };
  if (format == Format::json) {
    using nlohmann::ordered_json;
    ordered_json doc;
    doc["schema"] = "leasecalc/pivot/v1";
    doc["out"] = render::figure_json(*p.out);
    doc["down"] = {{"key", p.down->key}, {"unit", p.down->unit.name}, {"values", p.down_values}};
    doc["across"] = {
        {"key", p.across->key}, {"unit", p.across->unit.name}, {"values", p.across_values}};
    ordered_json table = ordered_json::array();
    for (std::size_t i = 0; i < rows; ++i) {
      ordered_json row = ordered_json::array();
      for (std::size_t j = 0; j < cols; ++j)
        row.push_back(std::isnan(at(i, j)) ? ordered_json(nullptr) : ordered_json(at(i, j)));
      table.push_back(std::move(row));
    }
    doc["values"] = std::move(table);
    render::write_json(out, doc);
    return;
  }
  // csv and tsv: raw numbers, the corner naming what the table holds; table and md: human
  // units.
  const bool raw = format == Format::csv || format == Format::tsv;
  auto human_of = [&](double v, const Row& r) {
    if (std::isnan(v)) return std::string(raw ? "" : "undefined");
    return raw ? plain_number(v) : human(v, r.unit);
  };
  Table t;
  t.columns.push_back(
      fmt::format("{} by {} (down) and {} (across)", p.out->key, p.down->key, p.across->key));
  if (!raw) t.columns.front() = fmt::format("{} \\ {}", p.down->key, p.across->key);
  for (double v : p.across_values)
    t.columns.push_back(human_of(v, *p.across));
  t.right_aligned.assign(cols + 1, true);
  t.right_aligned.front() = false;
  for (std::size_t i = 0; i < rows; ++i) {
    std::vector<Cell> cells{human_of(p.down_values[i], *p.down)};
    for (std::size_t j = 0; j < cols; ++j)
      cells.emplace_back(human_of(at(i, j), *p.out));
    t.rows.push_back(std::move(cells));
  }
  if (!raw) {
    const std::string title = fmt::format("{} [{}] by {} (down) and {} (across)", p.out->label,
                                          tag_name(p.out->tag), p.down->label, p.across->label);
    out << (format == Format::md ? "**" + render::md_cell(title) + "**\n\n" : title + "\n");
  }
  write_table(out, t, format, style);
}

}  // namespace leasecalc
