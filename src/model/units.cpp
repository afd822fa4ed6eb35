#include "leasecalc/model/units.hpp"

#include <fmt/format.h>
#include <cmath>
#include <set>
#include <stdexcept>

namespace leasecalc {
namespace {

constexpr std::size_t idx(BaseDim d) { return static_cast<std::size_t>(d); }

Unit make(std::string_view name, double scale,
          std::initializer_list<std::pair<BaseDim, int>> dims) {
  Unit u;
  u.name = name;
  u.scale = scale;
  for (auto [d, e] : dims)
    u.exp[idx(d)] = static_cast<std::int8_t>(e);
  return u;
}

}  // namespace

bool Unit::same_as(const Unit& other) const {
  return same_dimension(other) && std::fabs(scale / other.scale - 1.0) < 1e-12;
}

bool Unit::dimensionless() const {
  for (auto e : exp)
    if (e != 0) return false;
  return true;
}

Unit operator*(const Unit& a, const Unit& b) {
  Unit u;
  for (std::size_t i = 0; i < u.exp.size(); ++i)
    u.exp[i] = static_cast<std::int8_t>(a.exp[i] + b.exp[i]);
  u.scale = a.scale * b.scale;
  return u;
}

Unit operator/(const Unit& a, const Unit& b) {
  Unit u;
  for (std::size_t i = 0; i < u.exp.size(); ++i)
    u.exp[i] = static_cast<std::int8_t>(a.exp[i] - b.exp[i]);
  u.scale = a.scale / b.scale;
  return u;
}

double conversion_factor(const Unit& from, const Unit& to) {
  if (!from.same_dimension(to))
    throw std::logic_error(fmt::format("cannot convert {} into {}: different dimensions",
                                       describe(from), describe(to)));
  return from.scale / to.scale;
}

std::string describe(const Unit& unit) {
  if (!unit.name.empty()) return std::string(unit.name);
  static constexpr std::array<std::string_view, idx(BaseDim::count_)> names{
      "GPU", "H100e", "USD", "h", "W", "metric"};
  std::string out;
  for (std::size_t i = 0; i < unit.exp.size(); ++i) {
    if (unit.exp[i] == 0) continue;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}^{}", names[i], unit.exp[i]);
  }
  if (out.empty()) out = "1";
  if (unit.scale != 1.0) out += fmt::format(" x {:g}", unit.scale);
  return out;
}

namespace {
// Unit names read from files outlive the file's text: keep one copy of each.
std::string_view intern(std::string_view text) {
  static std::set<std::string, std::less<>> pool;
  return *pool.emplace(text).first;
}
}  // namespace

std::optional<Unit> parse_unit(std::string_view text) {
  static const std::pair<std::string_view, Unit> atoms[] = {
      {"GPU", make("", 1, {{BaseDim::gpu, 1}})},
      {"H100e", make("", 1, {{BaseDim::h100e, 1}})},
      {"USD", make("", 1, {{BaseDim::usd, 1}})},
      {"h", make("", 1, {{BaseDim::hour, 1}})},
      {"yr", make("", units::k_hours_per_year, {{BaseDim::hour, 1}})},
      {"mo", make("", units::k_hours_per_year / 12, {{BaseDim::hour, 1}})},
      {"MWh", make("", 1e6, {{BaseDim::watt, 1}, {BaseDim::hour, 1}})},
      {"W", make("", 1, {{BaseDim::watt, 1}})},
      {"kW", make("", 1e3, {{BaseDim::watt, 1}})},
      {"MW", make("", 1e6, {{BaseDim::watt, 1}})},
      {"GW", make("", 1e9, {{BaseDim::watt, 1}})},
      {"TFLOPS", make("", 1, {{BaseDim::metric, 1}})},
      {"GB", make("", 1, {{BaseDim::metric, 1}})},
      {"TBps", make("", 1, {{BaseDim::metric, 1}})},
  };
  if (text == "ratio") return units::one;
  if (text == "1") return make("1", 1, {});  // a plain count: tenants, roles
  if (text == "x") return units::multiple;
  Unit result = make("", 1, {});
  bool dividing = false;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && text[j] != '-' && text[j] != '*' && text[j] != '/')
      ++j;
    const std::string_view atom = text.substr(i, j - i);
    const Unit* found = nullptr;
    for (const auto& [name, unit] : atoms)
      if (name == atom) found = &unit;
    if (!found) return std::nullopt;
    result = dividing ? result / *found : result * *found;
    if (j < text.size() && text[j] == '/') dividing = true;
    i = j + 1;
    if (j < text.size() && i == text.size()) return std::nullopt;  // a trailing operator
  }
  if (text.empty()) return std::nullopt;
  result.name = intern(text);
  return result;
}

namespace units {
using D = BaseDim;
constexpr double yr = k_hours_per_year;
const Unit one = make("ratio", 1, {});
const Unit gpu = make("GPU", 1, {{D::gpu, 1}});
const Unit h100e = make("H100e", 1, {{D::h100e, 1}});
const Unit h100e_per_gpu = make("H100e/GPU", 1, {{D::h100e, 1}, {D::gpu, -1}});
const Unit metric = make("per GPU", 1, {{D::metric, 1}});
const Unit usd = make("USD", 1, {{D::usd, 1}});
const Unit usd_per_year = make("USD/yr", 1 / yr, {{D::usd, 1}, {D::hour, -1}});
const Unit usd_per_gpu_hour = make("USD/GPU-h", 1, {{D::usd, 1}, {D::gpu, -1}, {D::hour, -1}});
const Unit usd_per_h100e_hour =
    make("USD/H100e-h", 1, {{D::usd, 1}, {D::h100e, -1}, {D::hour, -1}});
const Unit usd_per_mw_year =
    make("USD/MW-yr", 1 / (1e6 * yr), {{D::usd, 1}, {D::watt, -1}, {D::hour, -1}});
const Unit hours_per_year = make("h/yr", 1 / yr, {});
const Unit gpu_hours_per_year = make("GPU-h/yr", 1 / yr, {{D::gpu, 1}});
const Unit mw = make("MW", 1e6, {{D::watt, 1}});
const Unit gw = make("GW", 1e9, {{D::watt, 1}});
const Unit kw_per_gpu = make("kW/GPU", 1e3, {{D::watt, 1}, {D::gpu, -1}});
const Unit kw_per_mw = make("kW/MW", 1e-3, {});
const Unit multiple = make("x", yr, {{D::hour, 1}});
constexpr double month = yr / 12;  // 730 h: a twelfth of a 365-day year
const Unit usd_per_mwh = make("USD/MWh", 1 / 1e6, {{D::usd, 1}, {D::watt, -1}, {D::hour, -1}});
const Unit mwh_per_year = make("MWh/yr", 1e6 / yr, {{D::watt, 1}});
const Unit usd_per_kw_month =
    make("USD/kW-mo", 1 / (1e3 * month), {{D::usd, 1}, {D::watt, -1}, {D::hour, -1}});
const Unit usd_per_gpu_year =
    make("USD/GPU-yr", 1 / yr, {{D::usd, 1}, {D::gpu, -1}, {D::hour, -1}});
const Unit usd_per_gpu = make("USD/GPU", 1, {{D::usd, 1}, {D::gpu, -1}});
const Unit years = make("yr", yr, {{D::hour, 1}});
const Unit months_per_year = make("mo/yr", month / yr, {});
const Unit months = make("mo", month, {{D::hour, 1}});
const Unit rate_per_year = make("/yr", 1, {});  // a share a year: (1 + r) is dimensionless
const Unit gpu_hours = make("GPU-h", 1, {{D::gpu, 1}, {D::hour, 1}});
const Unit plain = make("1", 1, {});
}  // namespace units

}  // namespace leasecalc
