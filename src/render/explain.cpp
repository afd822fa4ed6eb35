// explain: how one figure was computed, with the inputs behind it.
#include <fmt/format.h>

#include "common.hpp"
#include "leasecalc/calc/whatif.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

using render::figure_json;
using render::write_json;

void write_explain(std::ostream& out, const Explanation& e, Format format, const Style& style) {
  const Row& r = *e.figure;
  const std::string result = fmt::format("{} [{}]", exact_with_unit(r), tag_name(r.tag));
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/explain/v1";
    doc["key"] = r.key;
    doc["label"] = r.label;
    doc["derived"] = r.derived;
    if (r.derived) {
      doc["formula"] = e.names;
      doc["with_values"] = e.values;
      if (!e.where.empty()) doc["where"] = e.where;
    }
    if (r.defined) doc["value"] = r.value;
    doc["unit"] = r.unit.name;
    doc["tag"] = tag_name(r.tag);
    doc["sources"] = r.sources;
    if (one_sided(r.bound)) doc["bound"] = bound_name(r.bound);
    if (!r.note.empty()) doc[r.defined ? "note" : "undefined"] = r.note;
    nlohmann::ordered_json operands = nlohmann::ordered_json::array();
    for (const Row* in : e.operands) {
      nlohmann::ordered_json x = figure_json(*in);
      x["derived"] = in->derived;
      x["sources"] = in->sources;
      operands.push_back(std::move(x));
    }
    doc["inputs"] = std::move(operands);
    write_json(out, doc);
    return;
  }
  if (format == Format::csv || format == Format::tsv) {
    // README "Spreadsheets": raw numbers. The figure, then each operand; formula is the figure's.
    Table t;
    t.columns = {"key", "value", "unit", "tag", "derived", "sources", "formula"};
    auto line = [&](const Row& x, const std::string& formula) {
      t.rows.push_back({x.key, x.defined ? plain_number(x.value) : "", std::string(x.unit.name),
                        std::string(tag_name(x.tag)), x.derived ? "true" : "false",
                        join(x.sources, ";"), formula});
    };
    line(r, r.derived ? e.names : "");
    for (const Row* in : e.operands)
      line(*in, "");
    write_table(out, t, format, Style{});
    return;
  }
  Table t;
  t.columns = {"input", "value", "tag", "sources", "note"};
  t.right_aligned = {false, true, false, false, false};
  t.shrink = {{4, 12}, {3, 12}, {0, 26}, {4, 0}, {3, 0}};
  for (const Row* in : e.operands)
    t.rows.push_back(
        {in->key, exact_with_unit(*in),
         Cell(std::string(tag_name(in->tag)) + (in->derived ? "*" : ""), tag_colour(in->tag)),
         join(in->sources, " "), in->overridden ? "set from the shell" : in->note});
  const bool md = format == Format::md;
  if (md) out << "```\n";
  out << r.key << ": " << r.label << '\n';
  if (!r.derived) {
    const Style text = md ? Style{} : style;
    write_wrapped(
        out, "  an input: " + result + (r.sources.empty() ? "" : ", from " + join(r.sources, ", ")),
        text, 4);
    if (!r.note.empty()) write_wrapped(out, "  note: " + r.note, text, 4);
  } else {
    const std::string pad(r.key.size() + 3, ' ');
    const Style text = md ? Style{} : style;
    const std::size_t hang = pad.size() + 2 < 40 ? pad.size() + 2 : 4;
    write_wrapped(out, "  " + e.names, text, hang);
    write_wrapped(out, "  " + pad + "= " + e.values, text, 2);
    write_wrapped(out, "  " + pad + "= " + result, text, 2);
    for (const auto& w : e.where)
      write_wrapped(out, "  where " + w, text, 8);
    if (!r.note.empty()) write_wrapped(out, "  note: " + r.note, text, 4);
    write_wrapped(out, "  sources: " + (r.sources.empty() ? "none" : join(r.sources, ", ")), text,
                  4);
  }
  if (md) out << "```\n";
  if (!e.operands.empty()) {
    out << '\n';
    write_table(out, t, format, style);
  }
}

}  // namespace leasecalc
