// Units as checked dimensions.
//
// A unit is a vector of exponents over base dimensions plus a scale relative to the
// base unit. GPUs and H100-equivalents are different dimensions: dividing a GPU count
// by an H100e fleet gives GPU/H100e, not a share, so a formula that forgets the basis
// fails its unit check. Power in kW, MW and GW, and time in hours and years, differ by
// an exact scale. Addition requires identical units; conversion is always explicit.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leasecalc {

enum class BaseDim : std::uint8_t { gpu, h100e, usd, hour, watt, metric, count_ };

struct Unit {
  std::array<std::int8_t, static_cast<std::size_t>(BaseDim::count_)> exp{};
  double scale = 1.0;  // size of one unit in base units (1 MW = 1e6 W, 1 yr = 8760 h)
  std::string_view name;

  bool same_dimension(const Unit& other) const { return exp == other.exp; }
  // Same dimension and the same scale (to rounding).
  bool same_as(const Unit& other) const;
  bool dimensionless() const;
};

Unit operator*(const Unit& a, const Unit& b);
Unit operator/(const Unit& a, const Unit& b);
// Factor that converts a value in `from` into `to`. Both must have the same dimension.
double conversion_factor(const Unit& from, const Unit& to);
// "GPU^1 H100e^-1 x 1e+06": a description of any unit, named or not, for messages.
std::string describe(const Unit& unit);

namespace units {
inline constexpr double k_hours_per_year = 8760.0;  // the scale of "yr": a 365-day year

extern const Unit one;               // "ratio": a share, coverage or occupancy
extern const Unit gpu;               // "GPU"
extern const Unit h100e;             // "H100e"
extern const Unit h100e_per_gpu;     // "H100e/GPU": a basis factor
extern const Unit metric;            // the catalog figure a basis compares (TFLOPS, TB/s)
extern const Unit usd;               // "USD"
extern const Unit usd_per_year;      // "USD/yr"
extern const Unit usd_per_gpu_hour;  // "USD/GPU-h"
extern const Unit usd_per_h100e_hour;
extern const Unit usd_per_mw_year;  // "USD/MW-yr"
extern const Unit hours_per_year;   // "h/yr"
extern const Unit gpu_hours_per_year;
extern const Unit mw;
extern const Unit gw;
extern const Unit kw_per_gpu;
extern const Unit kw_per_mw;  // the exact conversion constant 1000 kW/MW
extern const Unit multiple;   // "x": USD per USD/yr, a revenue multiple (years of revenue)
// Costs (README "Costs, margin and the contract")
extern const Unit usd_per_mwh;       // "USD/MWh": a power price
extern const Unit mwh_per_year;      // "MWh/yr": energy a year
extern const Unit usd_per_kw_month;  // "USD/kW-mo": colocation
extern const Unit usd_per_gpu_year;  // "USD/GPU-yr": other opex
extern const Unit usd_per_gpu;       // "USD/GPU": capex per GPU
extern const Unit years;             // "yr": a depreciation life, a payback
extern const Unit months_per_year;   // the exact constant 12 mo/yr
// The contract over time (README "Costs, margin and the contract")
extern const Unit months;         // "mo": a term, a payback (730 h, a twelfth of a year)
extern const Unit rate_per_year;  // "/yr": a discount rate, an escalator, an IRR
extern const Unit gpu_hours;      // "GPU-h": GPU-hours in a period
extern const Unit plain;          // "1": a plain number, such as a PUE
}  // namespace units

// Reads a unit written as in our outputs: "USD/yr", "GPU/H100e", "USD/MW-yr", "ratio",
// "x", "GW". Atoms: GPU, H100e, USD, h, yr, W, kW, MW, GW, TFLOPS, GB, TB/s (as TBps);
// '-' or '*' multiplies, '/' divides what follows. Returns nullopt for anything else.
// The result's name is the text as given.
std::optional<Unit> parse_unit(std::string_view text);

}  // namespace leasecalc
