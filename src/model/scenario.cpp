#include "leasecalc/model/scenario.hpp"

#include <fmt/format.h>
#include <cmath>

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

}  // namespace leasecalc
