// simulate (one row per output) and tornado (one row per ranged input; the chart in
// svg.cpp).
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "common.hpp"
#include "leasecalc/text.hpp"

namespace leasecalc {

using render::write_json;

void write_simulation(std::ostream& out, const std::vector<SimulationRow>& rows, std::uint64_t seed,
                      const std::vector<RangedInput>& inputs, Format format, const Style& style) {
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/simulate/v1";
    doc["seed"] = seed;
    nlohmann::ordered_json ranged = nlohmann::ordered_json::array();
    for (const auto& in : inputs) {
      nlohmann::ordered_json j;
      j["key"] = in.key;
      j["dist"] = dist_name(in.figure.dist);
      j["value"] = in.figure.value;
      j["low"] = *in.figure.low;
      j["high"] = *in.figure.high;
      j["tag"] = tag_name(in.figure.tag);
      ranged.push_back(std::move(j));
    }
    doc["ranged_inputs"] = std::move(ranged);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
      nlohmann::ordered_json j;
      j["key"] = r.figure->key;
      j["unit"] = r.figure->unit.name;
      j["tag"] = tag_name(r.figure->tag);
      j["samples"] = r.summary.samples;
      for (auto [name, v] : {std::pair{"mean", r.summary.mean},
                             {"sd", r.summary.sd},
                             {"p5", r.summary.p5},
                             {"p50", r.summary.p50},
                             {"p95", r.summary.p95}})
        j[name] = v;
      list.push_back(std::move(j));
    }
    doc["outputs"] = std::move(list);
    write_json(out, doc);
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  Table t;
  t.columns = {"key", "unit", "tag", "samples", "seed", "mean", "sd", "p5", "p50", "p95"};
  t.right_aligned = {false, false, false, true, true, true, true, true, true, true};
  for (const auto& r : rows) {
    const Summary& s = r.summary;
    auto num = [&](double x) { return human_format ? human(x, r.figure->unit) : plain_number(x); };
    t.rows.push_back(
        {r.figure->key, std::string(r.figure->unit.name),
         Cell(std::string(tag_name(r.figure->tag)), tag_colour(r.figure->tag)),
         human_format ? grouped(static_cast<double>(s.samples), 0) : std::to_string(s.samples),
         std::to_string(seed), num(s.mean), num(s.sd), num(s.p5), num(s.p50), num(s.p95)});
  }
  if (human_format) {
    std::vector<std::string> parts;
    for (const auto& in : inputs)
      parts.push_back(fmt::format("{} {} {} to {} [{}]", in.key, dist_name(in.figure.dist),
                                  human(*in.figure.low, in.figure.unit),
                                  human(*in.figure.high, in.figure.unit), tag_name(in.figure.tag)));
    const std::string head = fmt::format("seed {} (repeat with --seed {}); ranged inputs: {}", seed,
                                         seed, join(parts, "; "));
    write_wrapped(out, head, format == Format::table ? style : Style{});
    out << '\n';
  }
  if (format == Format::table && style.width > 0 && natural_width(t) > style.width) {
    // Too wide for the terminal: a block per output, its statistics wrapped below it.
    for (const auto& r : rows) {
      const Summary& s = r.summary;
      const Unit& unit = r.figure->unit;
      write_wrapped(out,
                    fmt::format("{} [{}], {} samples", r.figure->key, tag_name(r.figure->tag),
                                grouped(static_cast<double>(s.samples), 0)),
                    style);
      write_wrapped(
          out,
          fmt::format("  mean {}  sd {}  p5 {}  p50 {}  p95 {}", human(s.mean, unit),
                      human(s.sd, unit), human(s.p5, unit), human(s.p50, unit), human(s.p95, unit)),
          style, 2);
    }
    return;
  }
  write_table(out, t, format, style);
}

void write_tornado(std::ostream& out, const Row& target, double base,
                   const std::vector<Swing>& swings, Format format, const Style& style) {
  const Unit& u = target.unit;
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/tornado/v1";
    doc["target"] = target.key;
    doc["unit"] = u.name;
    doc["base"] = base;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& s : swings) {
      nlohmann::ordered_json j;
      j["input"] = s.input->key;
      j["tag"] = tag_name(s.input->figure.tag);
      j["low"] = *s.input->figure.low;
      j["high"] = *s.input->figure.high;
      j["at_low"] = s.at_low;
      j["at_high"] = s.at_high;
      j["swing"] = s.swing();
      list.push_back(std::move(j));
    }
    doc["inputs"] = std::move(list);
    write_json(out, doc);
    return;
  }
  if (format == Format::svg) {
    write_tornado_svg(out, target, base, swings);
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  Table t;
  t.columns = {"input", "low", "high", "at_low", "at_high", "swing"};
  if (format == Format::table) t.columns.push_back("to scale");
  t.right_aligned = {false, true, true, true, true, true, false};
  double widest = 0;
  for (const auto& s : swings)
    widest = std::max(widest, s.swing());
  // The bars get what the width leaves, up to 40 characters.
  std::size_t bar = 40;
  if (format == Format::table && style.width > 0) {
    Table probe = t;
    probe.columns.pop_back();  // the bars' own column
    for (const auto& s : swings)
      if (s.swing() > 0)
        probe.rows.push_back({s.input->key, human(*s.input->figure.low, s.input->figure.unit),
                              human(*s.input->figure.high, s.input->figure.unit),
                              human(s.at_low, u), human(s.at_high, u), human(s.swing(), u)});
    const std::size_t others = natural_width(probe) + 2;
    bar = others + 8 <= style.width ? std::min<std::size_t>(40, style.width - others) : 8;
  }
  t.shrink = {{0, 24}, {0, 12}, {0, 8}};
  std::vector<std::string> still;  // inputs that do not move the target: listed, not drawn
  for (const auto& s : swings) {
    if (human_format && s.swing() == 0) {
      still.push_back(s.input->key);
      continue;
    }
    const Figure& f = s.input->figure;
    std::vector<Cell> row{s.input->key,
                          human_format ? human(*f.low, f.unit) : plain_number(*f.low),
                          human_format ? human(*f.high, f.unit) : plain_number(*f.high),
                          human_format ? human(s.at_low, u) : plain_number(s.at_low),
                          human_format ? human(s.at_high, u) : plain_number(s.at_high),
                          human_format ? human(s.swing(), u) : plain_number(s.swing())};
    if (format == Format::table) {
      const int len =
          widest > 0 ? static_cast<int>(std::lround(static_cast<double>(bar) * s.swing() / widest))
                     : 0;
      row.push_back(
          Cell(std::string(static_cast<std::size_t>(std::max(len, s.swing() > 0 ? 1 : 0)), '#'),
               tag_colour(f.tag)));
    }
    t.rows.push_back(std::move(row));
  }
  if (human_format) {
    write_wrapped(out,
                  fmt::format("tornado: {} ({}), base {} [{}]", target.key, target.label,
                              human(base, u), tag_name(target.tag)),
                  format == Format::table ? style : Style{});
    out << '\n';
  }
  write_table(out, t, format, style);
  if (!still.empty()) {
    out << '\n';
    write_wrapped(out, fmt::format("no effect on {}: {}", target.key, join(still, ", ")),
                  format == Format::table ? style : Style{});
  }
}

}  // namespace leasecalc
