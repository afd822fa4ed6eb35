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
  // A horizontal bar per input, from the target at the input's low to at its high,
  // around a line at the base value; labels name the input, its range and its tag.
  double lo = base, hi = base;
  for (const auto& s : swings)
    lo = std::min({lo, s.at_low, s.at_high}), hi = std::max({hi, s.at_low, s.at_high});
  if (hi == lo) hi = lo + 1;
  const double left = 330, right = 740, top = 70, row_h = 44;
  auto x = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
  const double height = top + row_h * static_cast<double>(swings.size()) + 40;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"{:.0f}\" "
      "viewBox=\"0 0 800 {:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      height, height);
  out << "  <rect width=\"800\" height=\"100%\" fill=\"white\"/>\n";
  out << fmt::format("  <text x=\"20\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
                     xml_escape("Tornado: " + target.label));
  out << fmt::format(
      "  <text x=\"20\" y=\"48\" fill=\"#555\">{} [{}], base {}: each input from its low to its "
      "high, the others at their values</text>\n",
      xml_escape(target.key), tag_name(target.tag), xml_escape(human(base, u)));
  for (std::size_t i = 0; i < swings.size(); ++i) {
    const Swing& s = swings[i];
    const Figure& f = s.input->figure;
    const double y = top + row_h * static_cast<double>(i);
    out << fmt::format("  <text x=\"20\" y=\"{:.0f}\">{} [{}]</text>\n", y + 14,
                       xml_escape(s.input->key), tag_name(f.tag));
    out << fmt::format("  <text x=\"20\" y=\"{:.0f}\" fill=\"#555\">{} to {} ({})</text>\n", y + 30,
                       xml_escape(human(*f.low, f.unit)), xml_escape(human(*f.high, f.unit)),
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
  out << fmt::format(
      "  <line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.0f}\" y2=\"{2:.0f}\" stroke=\"black\"/>\n",
      x(base), top, top + row_h * static_cast<double>(swings.size()));
  out << fmt::format(
      "  <text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"middle\" fill=\"#555\">base {}</text>\n",
      x(base), top + row_h * static_cast<double>(swings.size()) + 16, xml_escape(human(base, u)));
  out << fmt::format(
      "  <text x=\"{}\" y=\"{:.0f}\" fill=\"#4e79a7\">blue: input at its low</text>\n", left,
      height - 8);
  out << fmt::format(
      "  <text x=\"{}\" y=\"{:.0f}\" fill=\"#f28e2b\">orange: input at its high</text>\n",
      left + 170, height - 8);
  out << "</svg>\n";
}

}  // namespace leasecalc
