// explain: how one figure was computed, with the inputs behind it.
#include <fmt/format.h>

#include "common.hpp"
#include "leasecalc/text.hpp"
#include "leasecalc/whatif.hpp"

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
    // SPEC §7: raw numbers. The figure, then each operand; formula is the figure's.
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
  for (const Row* in : e.operands)
    t.rows.push_back(
        {in->key, exact_with_unit(*in),
         Cell(std::string(tag_name(in->tag)) + (in->derived ? "*" : ""), tag_colour(in->tag)),
         join(in->sources, " "), in->overridden ? "set from the shell" : in->note});
  const bool md = format == Format::md;
  if (md) out << "```\n";
  out << r.key << ": " << r.label << '\n';
  if (!r.derived) {
    out << "  an input: " << result;
    if (!r.sources.empty()) out << ", from " << join(r.sources, ", ");
    out << '\n';
    if (!r.note.empty()) out << "  note: " << r.note << '\n';
  } else {
    const std::string pad(r.key.size() + 3, ' ');
    out << "  " << e.names << '\n';
    out << "  " << pad << "= " << e.values << '\n';
    out << "  " << pad << "= " << result << '\n';
    if (!r.note.empty()) out << "  note: " << r.note << '\n';
    out << "  sources: " << (r.sources.empty() ? "none" : join(r.sources, ", ")) << '\n';
  }
  if (md) out << "```\n";
  if (!e.operands.empty()) {
    out << '\n';
    write_table(out, t, format, style);
  }
}

}  // namespace leasecalc
