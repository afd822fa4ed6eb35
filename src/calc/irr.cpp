// The contract's IRR: the one rate at which monthly flows with one change of sign have an
// NPV of 0, found in (0, 1) in x = (1 + r)^(-1/12) or in its reciprocal, where no power
// overflows (README "Costs, margin and the contract", "IRR"). A rate that a double
// cannot pin to 1e-9 is none.
#include <cmath>

#include "leasecalc/calc/calc.hpp"

namespace leasecalc {

std::optional<double> irr(const double* flows, std::size_t n) {
  // One change of sign, zeros aside, or no unique rate.
  int sign = 0, changes = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const int s = flows[k] > 0 ? 1 : flows[k] < 0 ? -1 : 0;
    if (s == 0) continue;
    if (sign != 0 && s != sign) ++changes;
    sign = s;
  }
  if (changes != 1) return std::nullopt;
  // NPV(r) = P(x) = sum of flows[k] x^k with x = (1 + r)^(-1/12). A rate above 0 has
  // x in (0, 1); a rate below 0 has y = 1/x in (0, 1), a root of Q(y) = y^(n-1) P(1/y),
  // the flows reversed. Either way the root lies in (0, 1), where no power overflows: the
  // polynomial's values at 0 (a flow) and 1 (the flows' sum) differ in sign, and a Newton
  // step that would leave the bracket is replaced by bisection (rtsafe), so the search
  // always converges, quadratically near the root.
  double scale = 0, sum = 0;
  for (std::size_t k = 0; k < n; ++k) {
    scale += std::fabs(flows[k]);
    sum += flows[k];
  }
  if (sum == 0) return 0.0;
  int first = 0;
  for (std::size_t k = 0; k < n && first == 0; ++k)
    first = flows[k] > 0 ? 1 : -1;
  // NPV at r -> infinity has the first flow's sign: a sum of the other sign puts the root
  // above 0.
  const bool above = (sum > 0 ? 1 : -1) != first;
  // P (or Q) and its slope at t; `size` is the sum of |flow| t^k, which bounds the
  // rounding error of the value.
  double size = 0;
  auto poly = [&](double t, double& value, double& slope) {
    value = 0;
    slope = 0;
    size = 0;
    auto step = [&](double flow) {
      slope = slope * t + value;
      value = value * t + flow;
      size = size * t + std::fabs(flow);
    };
    if (above)
      for (std::size_t k = n; k-- > 0;)
        step(flows[k]);
    else
      for (std::size_t k = 0; k < n; ++k)
        step(flows[k]);
  };
  const int at_one = sum > 0 ? 1 : -1;  // the sign at t = 1; at t -> 0 it is the other
  double lo = 0, hi = 1, t = 1, value = 0, slope = 0;  // from 1: rates near 0 are the usual
  for (int i = 0; i < 200; ++i) {
    poly(t, value, slope);
    if (std::fabs(value) <= 1e-15 * scale) break;
    ((value > 0 ? 1 : -1) == at_one ? hi : lo) = t;
    double next = slope != 0 ? t - value / slope : lo;
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    if (std::fabs(next - t) <= 1e-16 * t) {
      t = next;
      break;
    }
    t = next;
  }
  if (!(t > 0)) return std::nullopt;  // no rate a double can hold
  const double rate = above ? std::pow(t, -12.0) - 1 : std::pow(t, 12.0) - 1;
  if (!std::isfinite(rate)) return std::nullopt;
  // Computed to 1e-9 (relative above 1): the polynomial changes sign, beyond its
  // rounding error, between the t of rate - tol and of rate + tol. With 1 + r = t^(-+12),
  // a change dr is a change dt = dr t / (12 (1 + r)).
  const double tol = 1e-9 * std::max(1.0, std::fabs(rate));
  const double dt = tol * t / (12 * (1 + rate));
  auto sign_beyond_noise = [&](double at) {
    double v = 0, d = 0;
    poly(at, v, d);
    const double noise = 4 * static_cast<double>(n) * 1.2e-16 * size;
    return std::fabs(v) <= noise ? 0 : v > 0 ? 1 : -1;
  };
  const int below_root = sign_beyond_noise(std::max(t - dt, 0.0));
  const int above_root = sign_beyond_noise(std::min(t + dt, 1.0));
  if (!(t + dt > 1 || t - dt < 0) &&
      (below_root == 0 || above_root == 0 || below_root == above_root))
    return std::nullopt;  // the rate is not pinned to 1e-9
  return rate;
}

}  // namespace leasecalc
