// The charts as SVG. Tornado: a horizontal bar per input, from the target at the input's
// low to at its high, around a line at the base value; labels name the input, its range
// and its tag. simulate: a histogram per output; simulate --schedule: a fan chart of
// cumulative cash. Every chart names the ranged inputs behind it.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

namespace {

using render::percent_text;
using render::xml_escape;

// About `count` round tick values (1, 2 or 5 times a power of ten) covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int count) {
  const double raw = (hi - lo) / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  std::vector<double> out;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  return out;
}

void svg_open(std::ostream& out, double width, double height) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      width, height);
  out << "  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
}

void svg_text(std::ostream& out, double x, double y, std::string_view text,
              std::string_view attributes = "") {
  out << fmt::format("  <text x=\"{:.1f}\" y=\"{:.1f}\"{}{}>{}</text>\n", x, y,
                     attributes.empty() ? "" : " ", attributes, xml_escape(text));
}

void svg_vline(std::ostream& out, double x, double y1, double y2, std::string_view attributes) {
  out << fmt::format("  <line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" {3}/>\n",
                     x, y1, y2, attributes);
}

// The lines naming the ranged inputs (and the correlations) under a chart, as
// --legend asks: each with its range (full), their keys wrapped (short), or none.
std::vector<std::pair<std::string, bool>> legend_lines(const Simulation& sim) {  // text, indented
  std::vector<std::pair<std::string, bool>> lines;
  if (sim.legend == Legend::none) return lines;
  if (sim.legend == Legend::brief) {
    std::vector<std::string> keys;
    for (const auto& in : sim.inputs)
      keys.push_back(in.key);
    std::string text = fmt::format("seed {}; {} ranged input{}: {}", sim.seed, sim.inputs.size(),
                                   sim.inputs.size() == 1 ? "" : "s", join(keys, ", "));
    if (!sim.correlations.empty())
      text += fmt::format("; {} rank correlation{}", sim.correlations.size(),
                          sim.correlations.size() == 1 ? "" : "s");
    for (const auto& line : wrap(text + " (--legend full gives the ranges)", 135, 2))
      lines.emplace_back(line, false);
    return lines;
  }
  lines.emplace_back(fmt::format("seed {}; ranged inputs:", sim.seed), false);
  for (const auto& in : sim.inputs)
    lines.emplace_back(
        fit(fmt::format("{} [{}]: {} {} to {}", in.key, tag_name(in.figure.tag),
                        dist_name(in.figure.dist), human(*in.figure.low, in.figure.unit),
                        human(*in.figure.high, in.figure.unit)),
            130),
        true);
  for (const auto& c : sim.correlations)
    lines.emplace_back(fmt::format("rank correlation {} between {} and {}", plain_number(c.rank),
                                   sim.inputs[c.a].key, sim.inputs[c.b].key),
                       true);
  return lines;
}

// Draws the legend's lines from y on; returns the y below them.
double inputs_legend(std::ostream& out, const Simulation& sim, double y) {
  bool first = true;
  for (const auto& [text, indented] : legend_lines(sim)) {
    if (!first) y += 16;
    first = false;
    svg_text(out, indented ? 32 : 20, y, text,
             indented ? "fill=\"#555\" font-size=\"11\"" : "fill=\"#555\"");
  }
  return y + 12;
}

double legend_height(const Simulation& sim) {
  const auto n = legend_lines(sim).size();
  return n == 0 ? 0 : 16.0 * static_cast<double>(n) + 12;
}

constexpr double k_width = 900, k_left = 90, k_right = 860;

}  // namespace

void write_tornado_svg(std::ostream& out, const Row& target, double base,
                       const std::vector<Swing>& swings) {
  const Unit& u = target.unit;
  // Drawn: the inputs that move the target; the others are listed under the chart.
  std::vector<const Swing*> drawn;
  std::vector<std::string> still;
  for (const auto& s : swings)
    if (s.swing() > 0)
      drawn.push_back(&s);
    else
      still.push_back(s.input->key);
  double lo = base, hi = base;
  for (const Swing* s : drawn)
    lo = std::min({lo, s->at_low, s->at_high}), hi = std::max({hi, s->at_low, s->at_high});
  // A share or a coverage: a line marks 100%, so the scale reaches it.
  const bool share = u.name == "ratio";
  if (share) lo = std::min(lo, 1.0), hi = std::max(hi, 1.0);
  if (hi == lo) hi = lo + 1;
  // Labels in [20, 360); value labels need up to ~80px beside their bars, so the bars
  // start at 440 and end at 800 with room for a value on the right.
  const double width = 900, left = 440, right = 800, top = 70, row_h = 48;
  auto x = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  const double rows = static_cast<double>(drawn.size());
  const double height = top + row_h * rows + 44 + (still.empty() ? 0 : 20);
  svg_open(out, width, height);
  out << fmt::format("  <text x=\"20\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
                     xml_escape("Tornado: " + target.label));
  out << fmt::format(
      "  <text x=\"20\" y=\"48\" fill=\"#555\">{} [{}], base {}: each input from its low to its "
      "high, the others at their values</text>\n",
      xml_escape(target.key), tag_name(target.tag), xml_escape(human(base, u)));
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    const Swing& s = *drawn[i];
    const Figure& f = s.input->figure;
    const double y = top + row_h * static_cast<double>(i);
    // The figure's label, cut to the label column (about 6.5px a character at 12px).
    const std::string label = fit(s.input->label.empty() ? s.input->key : s.input->label, 46);
    out << fmt::format("  <text x=\"20\" y=\"{:.0f}\">{} [{}]</text>\n", y + 14, xml_escape(label),
                       tag_name(f.tag));
    out << fmt::format(
        "  <text x=\"20\" y=\"{:.0f}\" font-size=\"10\" fill=\"#777\">{} ({})</text>\n", y + 29,
        xml_escape(fit(fmt::format("{}: {} to {}", s.input->key, human(*f.low, f.unit),
                                   human(*f.high, f.unit)),
                       54)),
        dist_name(f.dist));
    const double xl = x(s.at_low), xh = x(s.at_high), xb = x(base);
    out << fmt::format(
        "  <rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"20\" "
        "fill=\"#4e79a7\"><title>at low: {}</title></rect>\n",
        std::min(xl, xb), y + 6, std::fabs(xb - xl), xml_escape(human(s.at_low, u)));
    out << fmt::format(
        "  <rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"20\" "
        "fill=\"#f28e2b\"><title>at high: {}</title></rect>\n",
        std::min(xh, xb), y + 6, std::fabs(xh - xb), xml_escape(human(s.at_high, u)));
    out << fmt::format(
        "  <text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"{}\" font-size=\"11\">{}</text>\n",
        xl + (xl <= xb ? -4 : 4), y + 20, xl <= xb ? "end" : "start",
        xml_escape(human(s.at_low, u)));
    out << fmt::format(
        "  <text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"{}\" font-size=\"11\">{}</text>\n",
        xh + (xh >= xb ? 4 : -4), y + 20, xh >= xb ? "start" : "end",
        xml_escape(human(s.at_high, u)));
  }
  const double bottom = top + row_h * rows;
  out << fmt::format(
      "  <line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.0f}\" y2=\"{2:.0f}\" stroke=\"black\"/>\n",
      x(base), top, bottom);
  out << fmt::format(
      "  <text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"middle\" fill=\"#555\">base {}</text>\n",
      x(base), bottom + 16, xml_escape(human(base, u)));
  if (share)
    out << fmt::format(
        "  <line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.0f}\" y2=\"{2:.0f}\" stroke=\"#c00\" "
        "stroke-dasharray=\"4 3\"/>\n  <text x=\"{0:.1f}\" y=\"{3:.0f}\" text-anchor=\"middle\" "
        "fill=\"#c00\" font-size=\"11\">100%</text>\n",
        x(1.0), top - 4, bottom, top - 8);
  out << fmt::format(
      "  <text x=\"{}\" y=\"{:.0f}\" fill=\"#4e79a7\">blue: input at its low</text>\n", left,
      bottom + 36);
  out << fmt::format(
      "  <text x=\"{}\" y=\"{:.0f}\" fill=\"#f28e2b\">orange: input at its high</text>\n",
      left + 170, bottom + 36);
  if (!still.empty())
    out << fmt::format("  <text x=\"20\" y=\"{:.0f}\" fill=\"#555\">no effect on {}: {}</text>\n",
                       bottom + 56, xml_escape(target.key), xml_escape(join(still, ", ")));
  out << "</svg>\n";
}

void write_simulation_svg(std::ostream& out, const Simulation& sim) {
  // A histogram's height with its title and axis, and a line per --prob threshold.
  auto panel_of = [](const SimulationRow& r) {
    return 236 + 14 * static_cast<double>(r.summary.probabilities.size());
  };
  const double top = 20;
  double height = top + legend_height(sim) + 10;
  for (const auto& r : sim.rows)
    height += panel_of(r);
  svg_open(out, k_width, height);
  double y0 = top;
  for (const auto& r : sim.rows) {
    const double panel = panel_of(r);
    const Summary& s = r.summary;
    const Histogram& h = s.histogram;
    const Unit& u = r.figure->unit;
    svg_text(out, 20, y0 + 18, fmt::format("{} [{}]", r.figure->label, tag_name(r.figure->tag)),
             "font-size=\"15\" font-weight=\"bold\"");
    svg_text(out, 20, y0 + 36,
             fit(fmt::format("{}: {} samples, mean {}, sd {}; the axis spans the middle 99%{}{}",
                             r.figure->key, grouped(static_cast<double>(s.samples), 0),
                             human(s.mean, u), human(s.sd, u),
                             h.below + h.above > 0
                                 ? fmt::format(" ({} beyond it)",
                                               grouped(static_cast<double>(h.below + h.above), 0))
                                 : "",
                             h.whole ? "; whole-number bins" : ""),
                 130),
             "fill=\"#555\"");
    const double plot_top = y0 + 66, plot_bottom = y0 + 200;
    if (h.counts.empty() || s.samples == 0) {
      svg_text(out, k_left, plot_top + 20, "no defined samples", "fill=\"#c00\"");
      y0 += panel;
      continue;
    }
    const std::size_t peak = *std::max_element(h.counts.begin(), h.counts.end());
    auto x = [&](double v) { return k_left + (v - h.lo) / (h.hi - h.lo) * (k_right - k_left); };
    const double bin_w = (k_right - k_left) / static_cast<double>(h.counts.size());
    for (std::size_t b = 0; b < h.counts.size(); ++b) {
      if (h.counts[b] == 0) continue;
      const double bar = (plot_bottom - plot_top) * static_cast<double>(h.counts[b]) /
                         static_cast<double>(std::max<std::size_t>(peak, 1));
      out << fmt::format(
          "  <rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
          "fill=\"#4e79a7\"/>\n",
          k_left + bin_w * static_cast<double>(b), plot_bottom - bar, std::max(bin_w - 1, 0.5),
          bar);
    }
    out << fmt::format(
        "  <line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"black\"/>\n",
        k_left, k_right, plot_bottom, plot_bottom);
    std::vector<double> marks_at = ticks(h.lo, h.hi, 6);
    if (h.whole) {  // whole numbers: ticks on them, at the bins' centres
      marks_at = ticks(std::ceil(h.lo), std::floor(h.hi), 6);
      std::erase_if(marks_at, [](double t) { return std::floor(t) != t; });
    }
    for (double t : marks_at) {
      svg_vline(out, x(t), plot_bottom, plot_bottom + 5, "stroke=\"black\"");
      svg_text(out, x(t), plot_bottom + 18, human(t, u), "text-anchor=\"middle\" font-size=\"11\"");
    }
    // p5, p50, p95: lines with their values above the plot.
    const std::pair<const char*, double> marks[] = {{"p5", s.p5}, {"p50", s.p50}, {"p95", s.p95}};
    for (std::size_t m = 0; m < 3; ++m) {
      const double xm = x(marks[m].second);
      // p50's label just above the plot, p5's and p95's a line higher, clear of it.
      svg_vline(out, xm, plot_top - (m == 1 ? 4 : 16), plot_bottom,
                "stroke=\"#e15759\" stroke-width=\"1.5\"");
      svg_text(out, xm, plot_top - (m == 1 ? 7 : 19),
               fmt::format("{} {}", marks[m].first, human(marks[m].second, u)),
               m == 0   ? "text-anchor=\"end\" font-size=\"11\" fill=\"#e15759\""
               : m == 1 ? "text-anchor=\"middle\" font-size=\"11\" fill=\"#e15759\""
                        : "text-anchor=\"start\" font-size=\"11\" fill=\"#e15759\"");
    }
    // A value off the axis is marked at its edge with an arrow pointing out, its label
    // inside the canvas.
    auto edge_arrow = [&](double v, double y, std::string_view colour) {
      const bool left = v < h.lo;
      const double xe = left ? k_left : k_right, d = left ? -8 : 8;
      out << fmt::format(
          "  <polygon points=\"{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}\" fill=\"{}\"/>\n", xe + d,
          y, xe, y - 5, xe, y + 5, colour);
    };
    // The base case: every input at its value (what report prints), dashed black.
    if (r.figure->defined) {
      const double base = r.figure->value;
      const bool inside = base >= h.lo && base <= h.hi;
      const double xb = x(std::clamp(base, h.lo, h.hi));
      svg_vline(out, xb, plot_top, plot_bottom,
                "stroke=\"black\" stroke-width=\"1.5\" stroke-dasharray=\"2 2\"");
      if (!inside) edge_arrow(base, plot_top + 8, "black");
      // Its label on the side away from the median's line, unless that runs off the plot.
      bool right = base < s.p50;
      if (right && xb - 6.6 * 12 < k_left) right = false;
      if (!right && xb + 6.6 * 12 > k_right) right = true;
      svg_text(out, xb + (right ? -4 : 4), plot_top + 12,
               fmt::format("base {}{}", human(base, u), inside ? "" : ", off the axis"),
               right ? "text-anchor=\"end\" font-size=\"11\"" : "font-size=\"11\"");
    }
    // --prob thresholds: dashed, with the probability below the axis; one outside the
    // samples at the axis's edge, said so.
    double below = plot_bottom + 36;
    for (const auto& p : s.probabilities) {
      const double v = p.threshold.value;
      const bool inside = v >= h.lo && v <= h.hi;
      const double xt = x(std::clamp(v, h.lo, h.hi));
      svg_vline(out, xt, plot_top, plot_bottom,
                "stroke=\"#59a14f\" stroke-width=\"2\" stroke-dasharray=\"5 3\"");
      std::string text =
          fmt::format("P({} {} {}) = {} \u00b1 {}", r.figure->label, compare_text(p.threshold.op),
                      human(v, u), percent_text(p.p), percent_text(p.se));
      std::string anchor = "middle";
      double at = xt;
      if (!inside) {
        edge_arrow(v, plot_bottom - 8, "#59a14f");
        text += fmt::format("; {} is {} every sample", human(v, u), v < h.lo ? "below" : "above");
        anchor = v < h.lo ? "start" : "end";
      } else {  // centred on its line, but inside the canvas
        const double half = 3.3 * static_cast<double>(display_width(text));
        at = std::clamp(xt, 20 + half, k_width - 20 - half);
      }
      svg_text(out, at, below, text,
               fmt::format("text-anchor=\"{}\" font-size=\"11\" fill=\"#59a14f\"", anchor));
      below += 14;
    }
    y0 += panel;
  }
  inputs_legend(out, sim, y0 + 4);
  out << "</svg>\n";
}

void write_cash_fan_svg(std::ostream& out, const Simulation& sim, const CashFan& fan) {
  const double top = 70, plot_h = 320;
  const double height = top + plot_h + 60 + legend_height(sim);
  svg_open(out, k_width, height);
  svg_text(out, 20, 28, fmt::format("Cumulative cash: {}", fan.scenario),
           "font-size=\"16\" font-weight=\"bold\"");
  svg_text(out, 20, 48,
           fmt::format("[{}] p5 to p95 of the samples shaded, p50 drawn, at the end of each period",
                       tag_name(fan.tag)),
           "fill=\"#555\"");
  const std::size_t n = fan.periods.size();
  if (n == 0) {
    out << "</svg>\n";
    return;
  }
  double lo = 0, hi = 0;
  for (const auto& s : fan.cash)
    lo = std::min(lo, s.p5), hi = std::max(hi, s.p95);
  if (hi == lo) hi = lo + 1;
  const double bottom = top + plot_h;
  // Each period drawn to its length: a point at the end of each, on an axis of months
  // from the start, so a last period of one month is a month wide, not a quarter.
  std::vector<double> ends(n);
  double months = 0;
  for (std::size_t p = 0; p < n; ++p)
    ends[p] = months += fan.months[p];
  auto x = [&](std::size_t p) { return k_left + ends[p] / months * (k_right - k_left); };
  auto y = [&](double v) { return bottom - (v - lo) / (hi - lo) * plot_h; };
  for (double t : ticks(lo, hi, 6)) {
    out << fmt::format(
        "  <line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\"/>\n", k_left,
        k_right, y(t), y(t), t == 0 ? "black" : "#ddd");
    svg_text(out, k_left - 6, y(t) + 4, t == 0 ? std::string("0") : human(t, units::usd),
             "text-anchor=\"end\" font-size=\"11\"");
  }
  std::string band;
  for (std::size_t p = 0; p < n; ++p)
    band += fmt::format("{:.1f},{:.1f} ", x(p), y(fan.cash[p].p95));
  for (std::size_t p = n; p-- > 0;)
    band += fmt::format("{:.1f},{:.1f} ", x(p), y(fan.cash[p].p5));
  out << fmt::format("  <polygon points=\"{}\" fill=\"#4e79a7\" fill-opacity=\"0.3\"/>\n", band);
  std::string median;
  for (std::size_t p = 0; p < n; ++p)
    median += fmt::format("{:.1f},{:.1f} ", x(p), y(fan.cash[p].p50));
  out << fmt::format(
      "  <polyline points=\"{}\" fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\"/>\n", median);
  // Period labels, thinned to about a dozen.
  const std::size_t every = std::max<std::size_t>(1, (n + 11) / 12);
  for (std::size_t p = 0; p < n; p += every) {
    svg_vline(out, x(p), bottom, bottom + 5, "stroke=\"black\"");
    svg_text(out, x(p), bottom + 18, fan.periods[p], "text-anchor=\"middle\" font-size=\"11\"");
  }
  const Summary& last = fan.cash.back();
  svg_text(out, k_right, y(last.p95) - 6, fmt::format("p95 {}", human(last.p95, units::usd)),
           "text-anchor=\"end\" font-size=\"11\" fill=\"#4e79a7\"");
  svg_text(out, k_right, y(last.p5) + 14, fmt::format("p5 {}", human(last.p5, units::usd)),
           "text-anchor=\"end\" font-size=\"11\" fill=\"#4e79a7\"");
  inputs_legend(out, sim, bottom + 44);
  out << "</svg>\n";
}

}  // namespace leasecalc
