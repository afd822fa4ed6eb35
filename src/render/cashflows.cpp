// cashflows: NPV, IRR and its roots, XNPV, XIRR, the multiple and the payback of a column
// of cash flows (README "Cash flows").
#include <fmt/format.h>
#include <cmath>

#include "common.hpp"
#include "leasecalc/calc/cashflows.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {
namespace {

// One figure: its key, label, unit ("USD", "/yr", "1", "period"), raw value (NaN: none)
// and why it has none.
struct Line {
  std::string key, label, unit;
  double value;
  std::string undefined;
};

std::string_view period_word(int per_year) {
  return per_year == 12 ? "month" : per_year == 4 ? "quarter" : "year";
}

// Rates as percentages with four decimals: "-76.8895% and 185.4418%".
std::string percents(const std::vector<double>& rates, std::string_view sep) {
  std::vector<std::string> out;
  for (double r : rates)
    out.push_back(fmt::format("{:.4f}%", r * 100));
  return join(out, sep);
}

std::vector<Line> lines_of(const CashFlowFigures& f) {
  const std::string period(period_word(f.per_year));
  std::vector<Line> out;
  out.push_back({"cashflows.count", "Cash flows", "1", static_cast<double>(f.count), ""});
  out.push_back({"cashflows.inflows", "Inflows", "USD", f.inflows, ""});
  out.push_back({"cashflows.outflows", "Outflows", "USD", f.outflows, ""});
  const std::string rate = f.rate ? fmt::format("{}%", plain_number(*f.rate * 100)) : "";
  if (f.rate)
    out.push_back(
        {"cashflows.npv", fmt::format("NPV at {} a year, by {}", rate, period), "USD", f.npv, ""});
  const std::string several = fmt::format(
      "{} rates make the NPV 0, so there is no one IRR; each is listed", f.roots.size());
  out.push_back(
      {"cashflows.irr", "IRR, a year", "/yr", f.irr ? *f.irr : std::nan(""),
       f.roots.empty() ? "no rate from -99% to +10,000% a period makes the NPV 0" : several});
  if (f.per_year != 1 || f.roots.size() > 1)
    for (std::size_t i = 0; i < f.roots.size(); ++i)
      out.push_back(
          {fmt::format("cashflows.irr_root.{}", i + 1),
           fmt::format("Rate a {} with NPV 0{}", period,
                       f.roots.size() > 1 ? fmt::format(" ({} of {})", i + 1, f.roots.size()) : ""),
           "/" + period, f.roots[i], ""});
  if (!f.first_date.empty()) {
    if (f.rate)
      out.push_back({"cashflows.xnpv", fmt::format("XNPV at {}, actual days / 365", rate), "USD",
                     f.xnpv, ""});
    out.push_back(
        {"cashflows.xirr", "XIRR, actual days / 365", "/yr", f.xirr ? *f.xirr : std::nan(""),
         f.xirr_roots.empty() ? "no rate from -99% to +10,000% makes the XNPV 0"
                              : fmt::format("{} rates make the XNPV 0: {}", f.xirr_roots.size(),
                                            percents(f.xirr_roots, ", "))});
  }
  out.push_back({"cashflows.multiple", "Multiple: inflows / outflows", "x",
                 f.outflows > 0 ? f.inflows / f.outflows : std::nan(""), "no outflow"});
  out.push_back({"cashflows.payback", fmt::format("Payback, {}s", period), period,
                 f.payback ? *f.payback : std::nan(""),
                 "the cumulative flow stays below 0 to the last flow"});
  return out;
}

std::string human_line(const Line& l) {
  if (std::isnan(l.value)) return "undefined";
  if (l.unit == "USD") return (l.value < 0 ? "-$" : "$") + grouped(std::fabs(l.value), 2);
  if (l.unit == "x") return fmt::format("{:.4f}x", l.value);
  if (l.unit.starts_with("/")) return fmt::format("{:.4f}%", l.value * 100);
  return plain_number(l.value);
}

}  // namespace

void write_cashflows(std::ostream& out, const CashFlowFigures& f, const std::string& file,
                     Format format, const Style& style) {
  const auto lines = lines_of(f);
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/cashflows/v1";
    doc["file"] = file;
    doc["per"] = period_word(f.per_year);
    if (f.rate) doc["rate"] = *f.rate;
    if (!f.first_date.empty()) {
      doc["first_date"] = f.first_date;
      doc["last_date"] = f.last_date;
    }
    nlohmann::ordered_json figures = nlohmann::ordered_json::object();
    for (const auto& l : lines) {
      nlohmann::ordered_json x;
      x["label"] = l.label;
      if (std::isnan(l.value))
        x["undefined"] = l.undefined;
      else
        x["value"] = l.value;
      x["unit"] = l.unit;
      figures[l.key] = std::move(x);
    }
    doc["figures"] = std::move(figures);
    if (!f.payback_date.empty()) doc["payback_date"] = f.payback_date;
    render::write_json(out, doc);
    return;
  }
  Table t;
  if (format == Format::csv || format == Format::tsv) {
    t.columns = {"key", "label", "value", "unit"};
    for (const auto& l : lines)
      t.rows.push_back({l.key, l.label, std::isnan(l.value) ? "" : plain_number(l.value), l.unit});
    write_table(out, t, format, style);
    return;
  }
  const std::string title = fmt::format(
      "{}: {} cash flows{}, a period is a {}", file, f.count,
      f.first_date.empty() ? "" : fmt::format(" from {} to {}", f.first_date, f.last_date),
      period_word(f.per_year));
  if (format == Format::md)
    out << "# " << render::md_cell(title) << "\n\n";
  else
    write_wrapped(out, title, style);
  t.columns = {"figure", "value", "key"};
  t.right_aligned = {false, true, false};
  t.shrink = {{2, 0}, {0, 12}};
  std::vector<std::string> notes;
  for (const auto& l : lines) {
    std::string value = human_line(l);
    if (l.key == "cashflows.payback" && !f.payback_date.empty())
      value += " (" + f.payback_date + ")";
    t.rows.push_back({l.label, value, l.key});
    if (std::isnan(l.value)) notes.push_back(fmt::format("{}: {}", l.key, l.undefined));
  }
  write_table(out, t, format, style);
  for (const auto& n : notes) {
    out << '\n';
    write_wrapped(out, n, style, 0);
  }
}

void write_cashflows_warning(std::ostream& out, const CashFlowFigures& f, const Style& style) {
  if (f.roots.size() < 2) return;
  const std::string warning = fmt::format(
      "leasecalc: warning: {} rates a period make the NPV 0 ({}): the flows change sign "
      "more than once, so there is no one IRR; each rate is listed",
      f.roots.size(), percents(f.roots, " and "));
  write_wrapped(out, warning, style);
}

}  // namespace leasecalc
