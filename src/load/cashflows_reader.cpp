// Reads the cash flows of `leasecalc cashflows` (README "Cash flows"): CSV or TSV with a
// header of `amount`, `period,amount` or `date,amount`, as a spreadsheet exports them
// and as `schedule --flows` writes them.
#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cmath>

#include "leasecalc/load/cashflows.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {
namespace {

constexpr std::string_view k_headers = "amount, period,amount or date,amount";

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
    s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

struct Field {
  std::string_view text;
  std::size_t column;  // 1-based
};

std::vector<Field> split(std::string_view line, char sep) {
  std::vector<Field> out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = line.find(sep, begin);
    const std::string_view raw =
        line.substr(begin, end == std::string_view::npos ? end : end - begin);
    const std::size_t lead = raw.find_first_not_of(" \"");
    out.push_back({trim(raw), begin + 1 + (lead == std::string_view::npos ? 0 : lead)});
    if (end == std::string_view::npos) return out;
    begin = end + 1;
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

CashFlows read_cashflows(std::string_view text, std::string_view file_view) {
  const std::string file(file_view);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a spreadsheet's BOM
  std::vector<std::string_view> lines;
  for (std::size_t begin = 0; begin < text.size();) {
    const std::size_t end = text.find('\n', begin);
    lines.push_back(text.substr(begin, end == std::string_view::npos ? end : end - begin));
    begin = end == std::string_view::npos ? text.size() : end + 1;
  }
  auto fail = [&](std::size_t line, std::size_t column, std::string column_name,
                  const std::string& message) -> void {
    throw InputError(file, Location{line, column, std::move(column_name)}, message);
  };
  std::size_t first = 0;
  while (first < lines.size() && trim(lines[first]).empty())
    ++first;
  if (first == lines.size())
    throw InputError(file,
                     fmt::format("no header: the first line names the columns, {}", k_headers));
  const char sep = lines[first].find('\t') != std::string_view::npos ? '\t' : ',';
  std::vector<std::string> header;
  for (const auto& f : split(lines[first], sep))
    header.push_back(lower(f.text));
  const bool dated = header == std::vector<std::string>{"date", "amount"};
  const bool numbered = header == std::vector<std::string>{"period", "amount"};
  if (!dated && !numbered && header != std::vector<std::string>{"amount"})
    fail(first + 1, 1, "header",
         fmt::format("expected a header of {}, got \"{}\"", k_headers,
                     std::string(trim(lines[first]))));
  CashFlows flows;
  for (std::size_t i = first + 1; i < lines.size(); ++i) {
    if (trim(lines[i]).empty()) continue;
    const std::size_t line = i + 1;
    const auto fields = split(lines[i], sep);
    if (fields.size() != header.size())
      fail(line, fields.size() < header.size() ? lines[i].size() + 1 : fields[header.size()].column,
           header.back(),
           fmt::format("a row of {} field{}; the header has {}: {}", fields.size(),
                       fields.size() == 1 ? "" : "s", header.size(), join(header, ",")));
    const Field& amount = fields.back();
    try {
      flows.amounts.push_back(parse_number(amount.text));
    } catch (const ValueError& e) {
      fail(line, amount.column, "amount", e.what());
    }
    if (dated) {
      const Field& d = fields.front();
      if (!is_date(d.text))
        fail(line, d.column, "date",
             fmt::format("must be a date as YYYY-MM-DD, got \"{}\"", std::string(d.text)));
      const long day = days_since_epoch(d.text);
      if (!flows.days.empty() && day < flows.days.back())
        fail(line, d.column, "date",
             fmt::format("{} comes before {} above it: list the flows in date order",
                         std::string(d.text), flows.dates.back()));
      flows.dates.emplace_back(d.text);
      flows.days.push_back(day);
      flows.periods.push_back(static_cast<double>(flows.periods.size()));
    } else if (numbered) {
      const Field& p = fields.front();
      double period = -1;
      try {
        period = parse_number(p.text);
      } catch (const ValueError&) {
      }
      if (!(period >= 0) || period != std::floor(period) || period > 1e6)
        fail(line, p.column, "period",
             fmt::format("must be a whole number of periods from 0, got \"{}\"",
                         std::string(p.text)));
      if (!flows.periods.empty() && period < flows.periods.back())
        fail(line, p.column, "period",
             fmt::format("{} comes after period {}: list the flows in period order",
                         plain_number(period), plain_number(flows.periods.back())));
      flows.periods.push_back(period);
    } else {
      flows.periods.push_back(static_cast<double>(flows.periods.size()));
    }
  }
  if (flows.amounts.empty()) throw InputError(file, "no cash flows after the header");
  const bool any_in =
      std::any_of(flows.amounts.begin(), flows.amounts.end(), [](double a) { return a > 0; });
  const bool any_out =
      std::any_of(flows.amounts.begin(), flows.amounts.end(), [](double a) { return a < 0; });
  if (!any_in || !any_out)
    throw InputError(file, fmt::format("the flows never change sign (no amount is {} 0), so no "
                                       "rate makes their NPV 0 and there is no multiple; "
                                       "an investment has an outflow and an inflow",
                                       any_in ? "below" : "above"));
  return flows;
}

}  // namespace leasecalc
