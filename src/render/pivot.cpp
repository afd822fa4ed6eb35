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
  // The table's columns `across` (indices of the across values).
  auto table = [&](const std::vector<std::size_t>& across) {
    Table t;
    t.columns.push_back(
        raw ? fmt::format("{} by {} (down) and {} (across)", p.out->key, p.down->key, p.across->key)
            : fmt::format("{} \\ {}", p.down->label, p.across->label));
    for (std::size_t j : across)
      t.columns.push_back(human_of(p.across_values[j], *p.across));
    t.right_aligned.assign(across.size() + 1, true);
    t.right_aligned.front() = false;
    t.shrink = {{0, 12}};
    for (std::size_t i = 0; i < rows; ++i) {
      std::vector<Cell> cells{human_of(p.down_values[i], *p.down)};
      for (std::size_t j : across)
        cells.emplace_back(human_of(at(i, j), *p.out));
      t.rows.push_back(std::move(cells));
    }
    return t;
  };
  std::vector<std::size_t> all(cols);
  for (std::size_t j = 0; j < cols; ++j)
    all[j] = j;
  if (raw) {
    write_table(out, table(all), format, style);
    return;
  }
  const std::string title = fmt::format("{} [{}] by {} (down) and {} (across)", p.out->label,
                                        tag_name(p.out->tag), p.down->label, p.across->label);
  if (format == Format::md) {
    out << "**" << render::md_cell(title) << "**\n\n";
    write_table(out, table(all), format, style);
    return;
  }
  for (const auto& line : style.width ? wrap(title, style.width, 0) : std::vector{title})
    out << line << '\n';
  // Too many columns for the terminal: blocks of them, each with the rows' values.
  const auto blocks = render::column_blocks(
      cols,
      [&](const std::vector<std::size_t>& block) {
        Table t = table(block);
        t.shrink.clear();
        return natural_width(t);
      },
      style);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (b) out << '\n';
    write_table(out, table(blocks[b]), format, style);
  }
}

}  // namespace leasecalc
