// compare: figures side by side, one column per scenario or case, each with its tag and
// its change against the first column (README "Cases and comparisons").
#include <fmt/format.h>

#include <cmath>
#include <optional>
#include <sstream>

#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {
namespace {

// A share or a rate changes by points; anything else by its ratio to the first column.
bool in_points(const Row& r) { return r.unit.name == "ratio" || r.unit.name == "/yr"; }

struct Difference {
  std::optional<double> diff;   // the value less the first column's, in the figure's unit
  std::optional<double> ratio;  // the value over the first column's, less 1
};

Difference change(const Row* first, const Row* r) {
  Difference c;
  if (!first || !r || !first->defined || !r->defined) return c;
  c.diff = r->value - first->value;
  if (first->value != 0) c.ratio = r->value / first->value - 1;
  return c;
}

// The change in the figure's own units: points for a share or a rate ("+5.4 pts"), else
// the difference as the figure reads ("-$219M", "-11 mo").
std::string change_text(const Row& r, const Difference& c) {
  if (!c.diff) return "";
  if (in_points(r)) {
    const double points = *c.diff * 100;
    return std::fabs(points) < 0.05 ? "0 pts" : fmt::format("{:+.1f} pts", points);
  }
  if (*c.diff == 0) return "0";
  const std::string text = human(*c.diff, r.unit);
  return *c.diff > 0 ? "+" + text : text;
}

// The first report that has `key`: its label and unit speak for the row.
const Row* any_row(const Comparison& c, const std::string& key) {
  for (const auto& col : c.columns)
    if (const Row* r = col.report.find(key)) return r;
  return nullptr;
}

std::string number_or_empty(const Row* r) { return r && r->defined ? plain_number(r->value) : ""; }

std::string optional_number(const std::optional<double>& x) { return x ? plain_number(*x) : ""; }

void write_compare_json(std::ostream& out, const Comparison& c) {
  using nlohmann::ordered_json;
  ordered_json doc;
  doc["schema"] = "leasecalc/compare/v1";
  ordered_json columns = ordered_json::array();
  for (const auto& col : c.columns)
    columns.push_back(
        {{"name", col.name}, {"scenario", col.report.scenario}, {"file", col.report.file}});
  doc["columns"] = std::move(columns);
  ordered_json figures = ordered_json::object();
  for (const auto& key : c.keys) {
    const Row* row = any_row(c, key);
    ordered_json f;
    f["label"] = row->label;
    f["unit"] = row->unit.name;
    ordered_json values = ordered_json::array();
    const Row* first = c.columns.front().report.find(key);
    for (std::size_t i = 0; i < c.columns.size(); ++i) {
      const Row* r = c.columns[i].report.find(key);
      ordered_json v;
      v["column"] = c.columns[i].name;
      if (r && r->defined) v["value"] = r->value;
      if (r) v["tag"] = tag_name(r->tag);
      if (r && !r->defined) v["undefined"] = r->note;
      if (i > 0) {
        const Difference ch = change(first, r);
        if (ch.diff) v["diff"] = *ch.diff;
        if (ch.ratio) v["change"] = *ch.ratio;
      }
      values.push_back(std::move(v));
    }
    f["values"] = std::move(values);
    figures[key] = std::move(f);
  }
  doc["figures"] = std::move(figures);
  render::write_json(out, doc);
}

// The text table of `columns` (indices into c.columns): the label, then each column's
// value and tag, and its change against the first.
Table text_table(const Comparison& c, const std::vector<std::size_t>& columns, bool keys,
                 const Style& style) {
  Table t;
  t.columns = {"figure"};
  t.right_aligned = {false};
  if (keys) {
    t.columns.push_back("key");
    t.right_aligned.push_back(false);
  }
  for (std::size_t i : columns) {
    t.columns.push_back(c.columns[i].name);
    t.columns.push_back("tag");
    t.right_aligned.insert(t.right_aligned.end(), {true, false});
    if (i > 0) {
      t.columns.push_back("vs " + c.columns.front().name);
      t.right_aligned.push_back(true);
    }
  }
  for (const auto& key : c.keys) {
    const Row* row = any_row(c, key);
    std::vector<Cell> cells{row->label};
    if (keys) cells.emplace_back(key);
    const Row* first = c.columns.front().report.find(key);
    for (std::size_t i : columns) {
      const Row* r = c.columns[i].report.find(key);
      cells.emplace_back(r ? human_value(*r) : "-");
      cells.push_back(
          r ? Cell(std::string(tag_name(r->tag)), style.colour ? tag_colour(r->tag) : "")
            : Cell(""));
      if (i > 0) cells.emplace_back(r ? change_text(*r, change(first, r)) : "");
    }
    t.rows.push_back(std::move(cells));
  }
  return t;
}

}  // namespace

std::vector<std::vector<std::size_t>> render::column_blocks(
    std::size_t n, const std::function<std::size_t(const std::vector<std::size_t>&)>& width_of,
    const Style& style) {
  std::vector<std::vector<std::size_t>> blocks{{}};
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::size_t> wider = blocks.back();
    wider.push_back(i);
    if (style.width && !blocks.back().empty() && width_of(wider) > style.width)
      blocks.push_back({i});
    else
      blocks.back() = std::move(wider);
  }
  return blocks;
}

void write_compare(std::ostream& out, const Comparison& c, Format format, const Style& style) {
  const bool keys = style.keys;
  if (format == Format::json) {
    write_compare_json(out, c);
    return;
  }
  if (format == Format::csv || format == Format::tsv) {
    // Wide, for a spreadsheet: per column its value and tag, and after the first the
    // difference (in the figure's unit) and the change (a ratio: 0.1 is 10% more).
    Table t;
    t.columns = {"key", "label", "unit"};
    for (std::size_t i = 0; i < c.columns.size(); ++i) {
      const std::string& n = c.columns[i].name;
      t.columns.insert(t.columns.end(), {n, n + "_tag"});
      if (i > 0) t.columns.insert(t.columns.end(), {n + "_diff", n + "_change"});
    }
    for (const auto& key : c.keys) {
      const Row* row = any_row(c, key);
      std::vector<Cell> cells{key, row->label, std::string(row->unit.name)};
      const Row* first = c.columns.front().report.find(key);
      for (std::size_t i = 0; i < c.columns.size(); ++i) {
        const Row* r = c.columns[i].report.find(key);
        cells.emplace_back(number_or_empty(r));
        cells.emplace_back(r ? std::string(tag_name(r->tag)) : "");
        if (i > 0) {
          const Difference ch = change(first, r);
          cells.emplace_back(optional_number(ch.diff));
          cells.emplace_back(optional_number(ch.ratio));
        }
      }
      t.rows.push_back(std::move(cells));
    }
    write_table(out, t, format, style);
    return;
  }
  // table and md. Too wide for the terminal, the columns wrap: the table again with the
  // columns that did not fit, each block with the labels whole.
  const auto blocks = render::column_blocks(
      c.columns.size(),
      [&](const std::vector<std::size_t>& block) {
        return natural_width(text_table(c, block, keys, style));
      },
      format == Format::table ? style : Style{});
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    if (b) out << '\n';
    Table t = text_table(c, blocks[b], keys, style);
    t.shrink = {{0, 16}};  // a label is cut only when one column cannot fit beside it
    write_table(out, t, format, style);
  }
}

}  // namespace leasecalc
