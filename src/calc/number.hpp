// The operations a formula may use, for each of its three readings: `double` (sweep,
// simulate), `Tracked` (value with provenance: report) and `Expr` (the formula's text:
// explain). A formula is written once against these; only the primitives below know the
// reading. Conditions are numbers too (1 or 0), so a figure chosen by a condition takes
// the provenance of what the condition compares: a month beyond a lease's term is 0
// *because of* the term, and so depends on it.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "leasecalc/calc/calc.hpp"
#include "leasecalc/model/expr.hpp"

namespace leasecalc::number {

template <class T>
inline constexpr bool is_expr = std::is_same_v<T, Expr>;
template <class T>
inline constexpr bool is_tracked = std::is_same_v<T, Tracked>;

// A month index: a whole number when a reading computes, the symbol m when it writes.
template <class T>
using Index = std::conditional_t<is_expr<T>, Expr, int>;

// A constant in `unit`; `text` is how the formula writes it ("1/12"), when not its value.
template <class T>
T constant(double v, const Unit& unit, const char* text = nullptr) {
  if constexpr (is_expr<T>) {
    (void)unit;
    return text ? Expr::constant(v, text) : Expr(v);
  } else if constexpr (is_tracked<T>) {
    (void)text;
    return Tracked::constant(v, unit);
  } else {
    (void)unit;
    (void)text;
    return v;
  }
}

inline constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// `x` with value v (NaN: undefined), keeping its provenance.
template <class T>
T with_value(T x, double v) {
  if constexpr (is_tracked<T>)
    x.v = v;
  else if constexpr (!is_expr<T>)
    x = v;
  return x;
}

// a / b, or undefined when b is 0: never an infinity from a zero denominator.
template <class T>
T quotient(const T& a, const T& b) {
  T q = a / b;
  if constexpr (!is_expr<T>)
    if (value_of(b) == 0) q = with_value(q, k_nan);
  return q;
}

// x, or undefined unless the condition (1 or 0) holds.
template <class T>
T defined_if(const T& x, const T& condition) {
  if constexpr (is_expr<T>) {
    return Expr::node(Expr::Op::defined_if, {x, condition});
  } else {
    T out = x;
    if constexpr (is_tracked<T>) out = depends_on(out, condition);
    return value_of(condition) != 0 ? out : with_value(out, k_nan);
  }
}

// The smallest whole number at or above x (a count of GPUs); undefined stays undefined.
template <class T>
T ceil_up(const T& x) {
  if constexpr (is_expr<T>)
    return Expr::node(Expr::Op::ceil, {x});
  else
    return with_value(x, std::ceil(value_of(x)));
}

// 1 when a < b, else 0, with the provenance of both.
template <class T>
T less(const T& a, const T& b) {
  if constexpr (is_expr<T>) {
    return Expr::node(Expr::Op::less, {a, b});
  } else if constexpr (is_tracked<T>) {
    Tracked t = depends_on(a, b);
    t.v = a.v < b.v ? 1 : 0;
    t.unit = units::one;
    t.bound = Bound::none;
    return t;
  } else {
    return a < b ? 1.0 : 0.0;
  }
}

// x when the condition (1 or 0) holds, else 0 in x's unit; either way with the
// condition's provenance.
template <class T>
T when(const T& x, const T& condition) {
  if constexpr (is_expr<T>) {
    if (condition.is_constant(1)) return x;
    return Expr::node(Expr::Op::when, {x, condition});
  } else if constexpr (is_tracked<T>) {
    Tracked t = depends_on(x, condition);
    if (condition.v == 0) {
      t.v = 0;
      t.bound = Bound::none;
    }
    return t;
  } else {
    return condition != 0 ? x : 0.0;
  }
}

// 1 when a >= b, else 0, with the provenance of both.
template <class T>
T at_least(const T& a, const T& b) {
  if constexpr (is_expr<T>) {
    return Expr::node(Expr::Op::at_least, {a, b});
  } else {
    const T below = less(a, b);
    return with_value(below, value_of(below) != 0 ? 0 : 1);
  }
}

// a when the condition (1 or 0) holds, else b; either way with the provenance of all
// three (which one is taken depends on the condition).
template <class T>
T select(const T& condition, const T& a, const T& b) {
  if constexpr (is_expr<T>) {
    return Expr::node(Expr::Op::select, {a, condition, b});
  } else if constexpr (is_tracked<T>) {
    return depends_on(depends_on(condition.v != 0 ? a : b, condition), condition.v != 0 ? b : a);
  } else {
    return condition != 0 ? a : b;
  }
}

// Month index k as a number of months: the symbol m when the reading writes.
template <class T>
T months_of(const Index<T>& k) {
  if constexpr (is_expr<T>)
    return k;
  else
    return constant<T>(k, units::months);
}

// x in another unit of the same value: a ratio of two amounts read as a plain number (a
// cover ratio, a multiple).
template <class T>
T in_unit(T x, const Unit& unit) {
  if constexpr (is_tracked<T>) x.unit = unit;
  (void)unit;
  return x;
}

// Whether month k of a lease lies within its term: 0 <= k < term.
template <class T>
T within(const Index<T>& k, const T& term) {
  if constexpr (is_expr<T>) {
    const Expr below = Expr::node(Expr::Op::less, {k, term});
    if (k.op() == Expr::Op::month) return below;  // a lease from the start: m >= 0 always
    return Expr::node(Expr::Op::both, {Expr::node(Expr::Op::at_least, {k, Expr(0)}), below});
  } else {
    const T inside = less(constant<T>(k, units::months), term);
    return k < 0 ? with_value(inside, 0) : inside;
  }
}

// std::pow, remembered (issue 26: the contract sweep's per-row pow, hoisted): a sweep's
// rows raise the same factors to the same powers (the discount rate's monthly factor,
// the book value's discount) unless the rate itself is swept, so a row finds its powers
// in a small table instead of computing them (some 20 ns each). Keyed by the bits of
// both numbers, so the answer is std::pow's own.
inline double remembered_pow(double base, double exponent) {
  struct Entry {
    std::uint64_t base = 0, exponent = 0;
    double value = std::numeric_limits<double>::quiet_NaN();  // empty
  };
  thread_local std::array<Entry, 8> memo{};
  std::uint64_t b = 0, e = 0;
  std::memcpy(&b, &base, sizeof b);
  std::memcpy(&e, &exponent, sizeof e);
  Entry& slot = memo[((b ^ (e * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull) >> 61];
  if (slot.base != b || slot.exponent != e || std::isnan(slot.value))
    slot = {b, e, std::pow(base, exponent)};
  return slot.value;
}

// base^exponent for a plain-number base (a growth or discount factor).
template <class T>
T power_of(const T& base, const T& exponent) {
  if constexpr (is_expr<T>) {
    return power(base, exponent);
  } else if constexpr (is_tracked<T>) {
    return depends_on(power(base, exponent.v), exponent);
  } else {
    return remembered_pow(base, exponent);
  }
}

// The value at month k of points at months `at` (ascending): linear between two points,
// the nearest one's outside them (a market price curve).
template <class T>
T interpolate(const T& k, const std::vector<int>& at, const std::vector<T>& values) {
  if constexpr (is_expr<T>) {
    return Expr::interpolation(k, at, values);
  } else {
    const double x = value_of(k);
    std::size_t i = 0;
    while (i < at.size() && at[i] <= x)
      ++i;
    T out = i == 0 ? values.front() : values.back();
    if (i > 0 && i < at.size()) {
      const double w = (x - at[i - 1]) / (at[i] - at[i - 1]);
      out = values[i - 1] + (values[i] - values[i - 1]) * constant<T>(w, units::one);
    }
    return depends_on(out, k);
  }
}

// The level payment that repays `principal` over n periods at rate i a period (a
// spreadsheet's -PMT(i, n, principal)): principal x i / (1 - (1 + i)^-n) for i > 0, and
// principal / n at i = 0 (a rate is never below 0).
template <class T>
T level_payment(const T& principal, const T& i, const T& n) {
  const T one = constant<T>(1, units::one);
  const T paid = principal * i / (one - power_of(one + i, constant<T>(0, units::one) - n));
  // At i = 0 the payment is 0 / 0: the choice is part of the formula, so that its text
  // (explain, the workbook) holds it too.
  return select(less(constant<T>(0, units::one), i), paid, principal / n);
}

// base^floor(k / 12) (an escalator over contract years) or base^(k + 1) (a month's
// discount factor), for k rising by one from 0: the computing readings keep a running
// product (exact, one multiplication a year or a month), the writing one the power.
enum class Every { year, month };
template <class T, Every every>
class RunningPower {
 public:
  explicit RunningPower(T base) : base_(std::move(base)) {}
  T at(const Index<T>& k) {
    if constexpr (is_expr<T>) {
      const Expr exponent =
          every == Every::year ? Expr::node(Expr::Op::floor, {k / Expr(12)}) : k + Expr(1);
      return power(base_, exponent);
    } else {
      const int e = every == Every::year ? (k < 0 ? 0 : k / 12) : k + 1;
      if (e < done_) {
        done_ = 0;
        value_ = constant<T>(1, units::one);
      }
      for (; done_ < e; ++done_)
        value_ = value_ * base_;
      return value_;
    }
  }

 private:
  T base_;
  int done_ = 0;
  T value_ = constant<T>(1, units::one);
};

}  // namespace leasecalc::number
