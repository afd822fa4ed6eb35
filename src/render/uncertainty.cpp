// simulate (one row per output) and tornado (one row per ranged input; the chart in
// svg.cpp). One file for the two, since they share the inputs' line, the summaries' JSON
// and the tables of probabilities and sensitivity that both commands' formats draw on.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

using render::write_json;

std::string render::percent_text(double p) {
  if (std::isnan(p)) return "undefined";
  const double x = p * 100;
  if (x == 0 || x >= 10) return fmt::format("{:.1f}%", x);
  const int decimals = std::max(1, 1 - static_cast<int>(std::floor(std::log10(x))));
  return fmt::format("{:.{}f}%", x, decimals);
}

namespace {

std::string condition_text(const std::string& key, const Threshold& t) {
  return fmt::format("{}{}{}", key, compare_text(t.op), plain_number(t.value));
}

// The ranged inputs and correlations, in a line for the human formats.
std::string inputs_text(const Simulation& sim) {
  std::vector<std::string> parts;
  for (const auto& in : sim.inputs)
    parts.push_back(fmt::format("{} {} {} to {} [{}]", in.key, dist_name(in.figure.dist),
                                human(*in.figure.low, in.figure.unit),
                                human(*in.figure.high, in.figure.unit), tag_name(in.figure.tag)));
  std::string text = fmt::format("seed {} (repeat with --seed {}); ranged inputs: {}", sim.seed,
                                 sim.seed, join(parts, "; "));
  if (!sim.correlations.empty()) {
    std::vector<std::string> pairs;
    for (const auto& c : sim.correlations)
      pairs.push_back(fmt::format("{} ~ {} {}", sim.inputs[c.a].key, sim.inputs[c.b].key,
                                  plain_number(c.rank)));
    text += fmt::format("; rank correlations (Iman-Conover): {}", join(pairs, "; "));
  }
  return text;
}

Table probability_table(const Simulation& sim, bool human_format) {
  Table t;
  t.columns = {"key", "op", "threshold", "probability", "se", "samples", "seed"};
  if (human_format) t.columns = {"condition", "probability", "se", "samples"};
  t.right_aligned = human_format ? std::vector<bool>{false, true, true, true}
                                 : std::vector<bool>{false, false, true, true, true, true, true};
  for (const auto& r : sim.rows)
    for (const auto& p : r.summary.probabilities) {
      if (human_format)
        t.rows.push_back({fmt::format("{} {} {}", r.figure->key, compare_text(p.threshold.op),
                                      human(p.threshold.value, r.figure->unit)),
                          render::percent_text(p.p), render::percent_text(p.se),
                          grouped(static_cast<double>(r.summary.samples), 0)});
      else
        t.rows.push_back({r.figure->key, compare_text(p.threshold.op),
                          plain_number(p.threshold.value), plain_number(p.p), plain_number(p.se),
                          std::to_string(r.summary.samples), std::to_string(sim.seed)});
    }
  return t;
}

Table sensitivity_table(const Simulation& sim, bool human_format, bool with_output) {
  Table t;
  t.columns = {"output", "input", "tag", "spearman", "share", "r2"};
  t.right_aligned = {false, false, false, true, true, true};
  if (!with_output) {
    t.columns = {"input", "tag", "spearman", "share"};
    t.right_aligned = {false, false, true, true};
  }
  for (const auto& r : sim.rows) {
    if (!with_output)
      t.rows.push_back({fmt::format(
          "{}: rank regression R² {}, from the first {} samples", r.figure->key,
          std::isnan(r.summary.r2) ? std::string("undefined") : fmt::format("{:.3f}", r.summary.r2),
          grouped(static_cast<double>(r.summary.sensitivity_samples), 0))});
    for (const auto& e : r.summary.sensitivity) {
      const RangedInput& in = sim.inputs[e.input];
      auto num = [&](double x, const char* spec) {
        if (std::isnan(x)) return std::string(human_format ? "undefined" : "");
        return human_format ? fmt::format(fmt::runtime(spec), x) : plain_number(x);
      };
      std::vector<Cell> row;
      if (with_output) row.emplace_back(r.figure->key);
      row.emplace_back(in.key);
      row.emplace_back(std::string(tag_name(in.figure.tag)), tag_colour(in.figure.tag));
      row.emplace_back(num(e.spearman, "{:+.3f}"));
      row.emplace_back(human_format && !std::isnan(e.share) ? human(e.share, units::one)
                                                            : num(e.share, ""));
      if (with_output) row.emplace_back(num(r.summary.r2, "{:.3f}"));
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

// Why a summary's figures are undefined: no defined sample, or one (no spread).
std::string undefined_why(const Summary& s) {
  return s.samples == 0 ? "no sample is defined: the figure is undefined in every one"
                        : "one defined sample has no spread";
}

nlohmann::ordered_json summary_json(const Summary& s) {
  nlohmann::ordered_json j;
  j["samples"] = s.samples;
  // An undefined figure is left out (JSON has no NaN), and "undefined" says which and why.
  std::vector<std::string> undefined;
  for (auto [name, v] :
       {std::pair{"mean", s.mean}, {"sd", s.sd}, {"p5", s.p5}, {"p50", s.p50}, {"p95", s.p95}})
    if (std::isnan(v))
      undefined.emplace_back(name);
    else
      j[name] = v;
  nlohmann::ordered_json se = nlohmann::ordered_json::object();
  for (auto [name, v] :
       {std::pair{"mean", s.se_mean}, {"p5", s.se_p5}, {"p50", s.se_p50}, {"p95", s.se_p95}})
    if (!std::isnan(v)) se[name] = v;
  j["se"] = std::move(se);
  if (!undefined.empty()) j["undefined"] = {{"figures", undefined}, {"why", undefined_why(s)}};
  return j;
}

nlohmann::ordered_json simulation_json(const Simulation& sim, std::string_view schema) {
  nlohmann::ordered_json doc;
  doc["schema"] = schema;
  doc["seed"] = sim.seed;
  nlohmann::ordered_json ranged = nlohmann::ordered_json::array();
  for (const auto& in : sim.inputs) {
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
  if (!sim.correlations.empty()) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& c : sim.correlations)
      list.push_back({{"a", sim.inputs[c.a].key}, {"b", sim.inputs[c.b].key}, {"rank", c.rank}});
    doc["correlations"] = std::move(list);
  }
  return doc;
}

}  // namespace

void write_simulation(std::ostream& out, const Simulation& sim, Format format, const Style& style) {
  if (format == Format::svg) {
    write_simulation_svg(out, sim);
    return;
  }
  if (format == Format::json) {
    nlohmann::ordered_json doc = simulation_json(sim, "leasecalc/simulate/v1");
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : sim.rows) {
      nlohmann::ordered_json j;
      j["key"] = r.figure->key;
      j["unit"] = r.figure->unit.name;
      j["tag"] = tag_name(r.figure->tag);
      j.update(summary_json(r.summary));
      if (sim.probabilities) {
        nlohmann::ordered_json probs = nlohmann::ordered_json::array();
        for (const auto& p : r.summary.probabilities) {
          nlohmann::ordered_json one{{"condition", condition_text(r.figure->key, p.threshold)}};
          if (std::isnan(p.p)) {  // no defined sample: left out, said why
            one["undefined"] = undefined_why(r.summary);
          } else {
            one["probability"] = p.p;
            one["se"] = p.se;
          }
          probs.push_back(std::move(one));
        }
        j["probabilities"] = std::move(probs);
      }
      if (sim.sensitivity) {
        nlohmann::ordered_json list_s = nlohmann::ordered_json::array();
        for (const auto& e : r.summary.sensitivity)
          list_s.push_back({{"input", sim.inputs[e.input].key},
                            {"tag", tag_name(sim.inputs[e.input].figure.tag)},
                            {"spearman", e.spearman},
                            {"share", e.share}});
        j["sensitivity"] = {{"method", "standardized rank regression"},
                            {"samples", r.summary.sensitivity_samples},
                            {"r2", r.summary.r2},
                            {"inputs", std::move(list_s)}};
      }
      list.push_back(std::move(j));
    }
    doc["outputs"] = std::move(list);
    write_json(out, doc);
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  if (!human_format && sim.sensitivity) {  // csv, tsv: the table asked for
    write_table(out, sensitivity_table(sim, false, true), format, style);
    return;
  }
  if (!human_format && sim.probabilities) {
    write_table(out, probability_table(sim, false), format, style);
    return;
  }
  Table t;
  t.columns = {"key", "unit", "tag", "samples", "seed", "mean", "sd", "p5", "p50", "p95"};
  t.right_aligned = {false, false, false, true, true, true, true, true, true, true};
  if (!human_format) {
    for (const char* c : {"se_mean", "se_p5", "se_p50", "se_p95"})
      t.columns.emplace_back(c);
    t.right_aligned.resize(t.columns.size(), true);
  }
  Table se;  // human formats: the standard errors in a table of their own
  se.columns = {"standard error", "mean", "p5", "p50", "p95"};
  se.right_aligned = {false, true, true, true, true};
  for (const auto& r : sim.rows) {
    const Summary& s = r.summary;
    auto num = [&](double x) {
      if (std::isnan(x)) return std::string(human_format ? "undefined" : "");
      return human_format ? human(x, r.figure->unit) : plain_number(x);
    };
    std::vector<Cell> row{
        r.figure->key,
        std::string(r.figure->unit.name),
        Cell(std::string(tag_name(r.figure->tag)), tag_colour(r.figure->tag)),
        human_format ? grouped(static_cast<double>(s.samples), 0) : std::to_string(s.samples),
        std::to_string(sim.seed),
        num(s.mean),
        num(s.sd),
        num(s.p5),
        num(s.p50),
        num(s.p95)};
    if (!human_format)
      for (double x : {s.se_mean, s.se_p5, s.se_p50, s.se_p95})
        row.emplace_back(num(x));
    t.rows.push_back(std::move(row));
    // A share's or a rate's error is a fraction of a point: two significant digits
    // (0.032%, 0.0041%/yr), never 0.0%/yr.
    auto err = [&](double x) {
      const std::string_view unit = r.figure->unit.name;
      if (human_format && unit == units::one.name) return render::percent_text(x);
      if (human_format && unit == units::rate_per_year.name) return render::percent_text(x) + "/yr";
      return num(x);
    };
    se.rows.push_back({r.figure->key, err(s.se_mean), err(s.se_p5), err(s.se_p50), err(s.se_p95)});
  }
  if (!human_format) {
    write_table(out, t, format, style);
    return;
  }
  const Style wrap = format == Format::table ? style : Style{};
  write_wrapped(out, inputs_text(sim), wrap);
  out << '\n';
  if (format == Format::table && style.width > 0 && natural_width(t) > style.width) {
    // Too wide for the terminal: a block per output, its statistics wrapped below it.
    for (const auto& r : sim.rows) {
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
  } else {
    write_table(out, t, format, style);
  }
  // Why a figure is undefined: said under the table, not left as a bare word.
  for (const auto& r : sim.rows)
    if (r.summary.samples < 2)
      write_wrapped(out,
                    fmt::format("{}: {} undefined: {}", r.figure->key,
                                r.summary.samples == 0 ? "every figure" : "sd and the errors",
                                undefined_why(r.summary)),
                    wrap);
  out << '\n';
  se.shrink = {{0, 16}};
  write_table(out, se, format, style);
  if (sim.probabilities) {
    out << '\n';
    Table p = probability_table(sim, true);
    p.shrink = {{0, 24}};
    write_table(out, p, format, style);
  }
  if (sim.sensitivity) {
    out << '\n';
    write_wrapped(out,
                  "sampled sensitivity: Spearman's rank correlation of each input with the "
                  "output, and its share of variance from a standardized rank regression "
                  "(squared coefficients, scaled to add to 100%)",
                  wrap);
    out << '\n';
    Table st = sensitivity_table(sim, true, false);
    st.shrink = {{0, 24}};
    write_table(out, st, format, style);
  }
}

void write_cash_fan(std::ostream& out, const Simulation& sim, const CashFan& fan, Format format,
                    const Style& style) {
  if (format == Format::svg) {
    write_cash_fan_svg(out, sim, fan);
    return;
  }
  if (format == Format::json) {
    nlohmann::ordered_json doc = simulation_json(sim, "leasecalc/simulate-schedule/v1");
    doc["figure"] = "cumulative_cash";
    doc["unit"] = "USD";
    doc["tag"] = tag_name(fan.tag);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (std::size_t p = 0; p < fan.periods.size(); ++p) {
      nlohmann::ordered_json j;
      j["period"] = fan.periods[p];
      j["months"] = fan.months[p];
      j.update(summary_json(fan.cash[p]));
      list.push_back(std::move(j));
    }
    doc["periods"] = std::move(list);
    write_json(out, doc);
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  Table t;
  t.columns = {"period", "months", "samples", "mean", "p5", "p50", "p95"};
  if (!human_format) {
    t.columns.insert(t.columns.begin() + 3, {"tag", "seed"});
    for (const char* c : {"se_mean", "se_p5", "se_p50", "se_p95"})
      t.columns.emplace_back(c);
  }
  t.right_aligned.assign(t.columns.size(), true);
  t.right_aligned[0] = false;
  for (std::size_t p = 0; p < fan.periods.size(); ++p) {
    const Summary& s = fan.cash[p];
    auto num = [&](double x) { return human_format ? human(x, units::usd) : plain_number(x); };
    std::vector<Cell> row{
        fan.periods[p], std::to_string(fan.months[p]),
        human_format ? grouped(static_cast<double>(s.samples), 0) : std::to_string(s.samples)};
    if (!human_format) {
      row.emplace_back(std::string(tag_name(fan.tag)));
      row.emplace_back(std::to_string(sim.seed));
    }
    for (double x : {s.mean, s.p5, s.p50, s.p95})
      row.emplace_back(num(x));
    if (!human_format)
      for (double x : {s.se_mean, s.se_p5, s.se_p50, s.se_p95})
        row.emplace_back(num(x));
    t.rows.push_back(std::move(row));
  }
  if (human_format) {
    const Style wrap = format == Format::table ? style : Style{};
    write_wrapped(out,
                  fmt::format("{}: cumulative cash at the end of each period [{}], USD",
                              fan.scenario, tag_name(fan.tag)),
                  wrap);
    write_wrapped(out, inputs_text(sim), wrap);
    out << '\n';
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
