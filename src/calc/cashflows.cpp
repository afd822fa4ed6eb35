#include "leasecalc/calc/cashflows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace leasecalc {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// The sign of the NPV at x = ln(1 + r): the sum of a_k e^(-t_k x), each term scaled by
// the largest exponent so that no power overflows at -99% or +10,000% a period.
int npv_sign(const std::vector<double>& amounts, const std::vector<double>& times, double x) {
  double top = -std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < amounts.size(); ++k)
    if (amounts[k] != 0) top = std::max(top, -times[k] * x);
  double sum = 0;
  for (std::size_t k = 0; k < amounts.size(); ++k)
    if (amounts[k] != 0) sum += amounts[k] * std::exp(-times[k] * x - top);
  return sum > 0 ? 1 : sum < 0 ? -1 : 0;
}

}  // namespace

double present_value(const std::vector<double>& amounts, const std::vector<double>& times,
                     double rate) {
  double total = 0;
  for (std::size_t k = 0; k < amounts.size(); ++k)
    total += amounts[k] * std::pow(1 + rate, -times[k]);
  return total;
}

std::vector<double> rate_roots(const std::vector<double>& amounts,
                               const std::vector<double>& times) {
  // On x = ln(1 + r), from ln(0.01) to ln(101): 20,000 steps find roots closer than
  // 0.05% of 1 + r apart.
  constexpr int k_steps = 20000;
  const double lo = std::log(0.01), hi = std::log(101.0);
  std::vector<double> roots;
  double x0 = lo;
  int s0 = npv_sign(amounts, times, x0);
  for (int i = 1; i <= k_steps; ++i) {
    const double x1 = lo + (hi - lo) * i / k_steps;
    const int s1 = npv_sign(amounts, times, x1);
    if (s0 == 0) {
      roots.push_back(std::expm1(x0));
    } else if (s1 != 0 && s1 != s0) {
      double a = x0, b = x1;
      for (int j = 0; j < 200 && b - a > 0; ++j) {
        const double mid = a + (b - a) / 2;
        if (mid <= a || mid >= b) break;
        (npv_sign(amounts, times, mid) == s0 ? a : b) = mid;
      }
      roots.push_back(std::expm1(a + (b - a) / 2));
    }
    x0 = x1;
    s0 = s1;
  }
  return roots;
}

CashFlowFigures analyse_cashflows(const CashFlows& flows, std::optional<double> rate,
                                  int per_year) {
  CashFlowFigures f;
  f.per_year = per_year;
  f.rate = rate;
  f.count = flows.amounts.size();
  double cumulative = 0;
  for (std::size_t k = 0; k < flows.amounts.size(); ++k) {
    const double a = flows.amounts[k];
    (a > 0 ? f.inflows : f.outflows) += a > 0 ? a : -a;
    cumulative += a;
    if (!f.payback && cumulative >= 0) {
      f.payback = flows.periods[k];
      if (!flows.dates.empty()) f.payback_date = flows.dates[k];
    }
  }
  const double years = per_year;
  f.npv = rate ? present_value(flows.amounts, flows.periods, std::pow(1 + *rate, 1 / years) - 1)
               : k_nan;
  f.roots = rate_roots(flows.amounts, flows.periods);
  if (f.roots.size() == 1) f.irr = std::pow(1 + f.roots[0], years) - 1;
  f.xnpv = k_nan;
  if (!flows.dates.empty()) {
    f.first_date = flows.dates.front();
    f.last_date = flows.dates.back();
    std::vector<double> t;
    for (long d : flows.days)
      t.push_back(static_cast<double>(d - flows.days.front()) / 365);
    if (rate) f.xnpv = present_value(flows.amounts, t, *rate);
    f.xirr_roots = rate_roots(flows.amounts, t);
    if (f.xirr_roots.size() == 1) f.xirr = f.xirr_roots[0];
  }
  return f;
}

}  // namespace leasecalc
