// The tornado chart as SVG: a horizontal bar per input, from the target at the input's
// low to at its high, around a line at the base value; labels name the input, its range
// and its tag.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "common.hpp"
#include "leasecalc/text.hpp"

namespace leasecalc {

void write_tornado_svg(std::ostream& out, const Row& target, double base,
                       const std::vector<Swing>& swings) {
  using render::xml_escape;
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
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0:.0f}\" height=\"{1:.0f}\" "
      "viewBox=\"0 0 {0:.0f} {1:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      width, height);
  out << "  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
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

}  // namespace leasecalc
