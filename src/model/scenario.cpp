#include "leasecalc/model/scenario.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include "leasecalc/model/text.hpp"

namespace leasecalc {

std::string key_segment(std::string_view name) {
  std::string out;
  bool gap = false;
  for (char c : name) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-';
    if (!keep) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '-';
    gap = false;
    out += c;
  }
  while (!out.empty() && out.back() == '-')
    out.pop_back();
  const auto first = out.find_first_not_of('-');
  return first == std::string::npos ? std::string() : out.substr(first);
}

const Source* Scenario::find_source(std::string_view id) const {
  for (const auto& s : sources)
    if (s.id == id) return &s;
  for (const auto& s : catalog.sources)
    if (s.id == id) return &s;
  return nullptr;
}

std::vector<int> lease_starts(const Scenario& s) {
  int first = std::numeric_limits<int>::max();
  for (const auto& l : s.leases)
    if (!l.start.empty()) first = std::min(first, month_index(l.start));
  std::vector<int> out;
  for (const auto& l : s.leases)
    out.push_back(l.start.empty() ? 0 : month_index(l.start) - first);
  return out;
}

namespace {

// A figure of Scenario::figures by key, or nullptr.
const Figure* keyed(const Scenario& s, std::string_view key) {
  for (const auto& [k, f] : s.figures)
    if (k == key) return &f;
  return nullptr;
}

// Whether any figure of Scenario::figures has a key starting with `prefix`.
bool any_keyed(const Scenario& s, std::string_view prefix) {
  for (const auto& [k, f] : s.figures)
    if (k.starts_with(prefix)) return true;
  return false;
}

// Whether capex is paid at the start (README "Costs, margin and the contract"): given,
// and not marked sunk.
bool capex_at_start(const Scenario& s) {
  return (keyed(s, "capex.per_gpu") || any_keyed(s, "capex.per_gpu.")) && s.capex_at_start != false;
}

}  // namespace

std::optional<std::string> debt_fault(const Scenario& s) {
  if (!any_keyed(s, "debt.")) return std::nullopt;
  std::vector<std::string> missing;
  for (const char* field : {"share", "rate", "term_months"})
    if (!keyed(s, std::string("debt.") + field)) missing.push_back(field);
  if (!missing.empty())
    return fmt::format("debt needs share, rate and term_months; {} missing: give debt.{}",
                       missing.size() == 1 ? "one is" : "some are", join(missing, ", debt."));
  if (!capex_at_start(s))
    return std::string(
        "debt needs capex paid at the start: the loan is a share of capex.total, drawn at "
        "month 0; give capex.per_gpu and leave finance.capex_at_start true, or drop debt");
  bool term = keyed(s, "lease.term_months") != nullptr;
  for (const auto& l : s.leases)
    term = term || l.term.has_value();
  if (!term)
    return std::string(
        "debt needs a contract to repay it from: give lease.term_months, or drop debt");
  const Figure* io = keyed(s, "debt.interest_only_months");
  const Figure* term_months = keyed(s, "debt.term_months");  // present: checked above
  const double months = term_months ? term_months->value : 0;
  if (io && io->value >= months)
    return fmt::format(
        "debt.interest_only_months ({}) must be less than debt.term_months ({}): the "
        "principal is repaid in the months after the interest-only ones",
        plain_number(io->value), plain_number(months));
  return std::nullopt;
}

std::optional<std::string> tail_fault(const Scenario& s) {
  if (!any_keyed(s, "tail.")) return std::nullopt;
  const Figure* until = keyed(s, "tail.until_months");
  if (!until || !keyed(s, "tail.occupancy"))
    return std::string(
        "a tail needs until_months (the horizon, in months from the start) and "
        "occupancy (the share of the GPUs' hours re-leased)");
  if (!capex_at_start(s))
    return std::string(
        "a tail values the GPUs after the contract, so it needs capex paid at the start: give "
        "capex.per_gpu and leave finance.capex_at_start true, or drop tail");
  // The contract's end: the last lease month, from the first start.
  double end = 0;
  if (const Figure* term = keyed(s, "lease.term_months")) end = term->value;
  const std::vector<int> starts = lease_starts(s);
  for (std::size_t i = 0; i < s.leases.size(); ++i)
    if (s.leases[i].term) end = std::max(end, starts[i] + s.leases[i].term->value);
  if (end == 0) return std::string("a tail follows a contract: give lease.term_months");
  if (until->value < end)
    return fmt::format(
        "tail.until_months ({}) ends before the contract ({} months): the tail re-leases the "
        "GPUs from the last lease month to until_months",
        plain_number(until->value), plain_number(end));
  for (const auto& g : s.gpus)
    if (!keyed(s, "market.decline") && !any_keyed(s, "market.price_per_gpu_hour." + g.model + "."))
      return fmt::format(
          "the tail re-leases {} at its market price, and it has none: give "
          "market.price_per_gpu_hour.{} points or market.decline",
          g.model, g.model);
  return std::nullopt;
}

namespace {
constexpr double k_max_whole = 9007199254740992.0;  // 2^53: above it not every count exists

std::string bound_text(double x, bool inclusive, bool lower) {
  if (lower) return fmt::format("{} {}", inclusive ? "at least" : "greater than", plain_number(x));
  return fmt::format("{} {}", inclusive ? "at most" : "less than", plain_number(x));
}
}  // namespace

std::string Domain::describe() const {
  std::string out;
  if (max && min_inclusive && max_inclusive)
    out = fmt::format("between {} and {}", plain_number(min), plain_number(*max));
  else if (max)
    out = fmt::format("{} and {}", bound_text(min, min_inclusive, true),
                      bound_text(*max, max_inclusive, false));
  else
    out = bound_text(min, min_inclusive, true);
  if (whole) out = "a whole number " + out;
  return out;
}

void Domain::require(double x) const {
  const bool ok_min = min_inclusive ? x >= min : x > min;
  const bool ok_max = !max || (max_inclusive ? x <= *max : x < *max);
  if (!std::isfinite(x) || !ok_min || !ok_max) {
    // 85 for a 0..1 share is almost surely a percentage.
    const bool percent = max && *max == 1 && min == 0 && x >= 2 && x <= 100;
    throw ValueError(fmt::format("must be {}, got {}{}", describe(), plain_number(x),
                                 percent ? fmt::format(" (write a share: {} for {}%)",
                                                       plain_number(x / 100), plain_number(x))
                                         : ""));
  }
  if (whole && std::floor(x) != x)
    throw ValueError(fmt::format("must be a whole number, got {}", plain_number(x)));
  if (whole && x > k_max_whole)
    throw ValueError(
        fmt::format("must be at most 2^53 = 9007199254740992, got {}", plain_number(x)));
}

void Domain::require(double x, std::string_view written) const {
  require(x);
  if (!whole || exact_whole(written)) return;
  throw ValueError(
      fmt::format("must be {}, got {} (a double would hold it as {})",
                  x >= k_max_whole ? "at most 2^53 = 9007199254740992" : "a whole number", written,
                  fmt::format("{:.0f}", x)));
}

}  // namespace leasecalc
