// The contract's month-by-month machinery, for each reading: sums over the horizon,
// quantities carried from month to month, the flows an IRR, a payback and a multiple
// search, the least of a ratio, revenue by calendar year and the ramp. Each reads the
// months as a loop (double, Tracked) or writes one month's term in the symbol m (Expr).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "leasecalc/calc/calc.hpp"
#include "number.hpp"

namespace leasecalc {

// The contract's sums, flows, calendar and ramp, for each reading (a named namespace: the
// contract's local types hold them).
namespace contract {

using number::constant;
using number::Index;

// A sum over the contract's months: added month by month when a reading computes, the
// one month's term summed over the horizon when it writes.
template <class T>
class Sum {
 public:
  explicit Sum(T zero) : total_(std::move(zero)) {}
  void add(const T& x) {
    if constexpr (number::is_expr<T>)
      total_ = x;
    else
      total_ = total_ + x;
  }
  // The sum over the horizon's months: with the horizon's provenance, since the months
  // summed are those before it.
  T over(const T& horizon) const {
    if constexpr (number::is_expr<T>)
      return Expr::node(Expr::Op::sum, {total_, horizon});
    else
      return depends_on(total_, horizon);
  }

 private:
  T total_;
};

// `like`'s provenance with another value and unit: what a search found (a rate, a month,
// a count), from what entered it.
template <class T>
T valued(T like, double v, const Unit& unit) {
  if constexpr (number::is_tracked<T>) like.unit = unit;
  (void)unit;
  return number::with_value(like, v);
}

// The cash flows of the contract at months 0 .. horizon: what the IRR and the payback
// search. Found by a search, each takes the provenance of what entered it (`like`, which
// the caller builds from every flow) and of the horizon.
template <class T>
class Flows {
 public:
  // `keep`: the flows, for the IRR; `weigh`: their inflows and outflows, for the multiple.
  Flows(T start, bool keep, bool weigh = false)
      : start_(start), cumulative_(std::move(start)), keep_(keep), weigh_(weigh) {
    if constexpr (!number::is_expr<T>) {
      if (keep_) values_[0] = value_of(start_);
      if (weigh_) count(value_of(start_));
    }
  }
  // Month m's flow, at the month's end; returns the cumulative flow then.
  T add(const Index<T>& m, const T& flow) {
    if constexpr (number::is_expr<T>) {
      each_ = flow;
      return start_ + Expr::node(Expr::Op::sum, {flow, m + Expr(1)});
    } else {
      cumulative_ = cumulative_ + flow;
      if (weigh_) count(value_of(flow));
      if (payback_ == 0 && value_of(cumulative_) >= 0) payback_ = m + 1;
      if (keep_) values_[static_cast<std::size_t>(m) + 1] = value_of(flow);
      months_ = m + 1;
      return cumulative_;
    }
  }
  // The annual rate at which the flows and `terminal` at the horizon have an NPV of 0.
  T irr(const T& like, const T& terminal, const T& horizon) {
    if constexpr (number::is_expr<T>) {
      (void)like;
      return Expr::node(Expr::Op::irr, {start_, each_, horizon, terminal});
    } else {
      values_[static_cast<std::size_t>(months_)] += value_of(terminal);
      const auto r = leasecalc::irr(values_.data(), static_cast<std::size_t>(months_) + 1);
      return valued(depends_on(depends_on(like, terminal), horizon), r ? *r : number::k_nan,
                    units::rate_per_year);
    }
  }
  // The inflows over the outflows' magnitudes, `terminal` at the horizon among them;
  // undefined without an outflow.
  T multiple(const T& like, const T& terminal, const T& horizon) const {
    if constexpr (number::is_expr<T>) {
      (void)like;
      return Expr::node(Expr::Op::multiple, {start_, each_, horizon, terminal});
    } else {
      const double t = value_of(terminal);
      const double in = in_ + (t > 0 ? t : 0), out = out_ + (t < 0 ? -t : 0);
      return valued(depends_on(depends_on(like, terminal), horizon),
                    out > 0 ? in / out : number::k_nan, units::plain);
    }
  }
  // The first month (from 1) whose cumulative flow is at least 0, or undefined.
  T payback(const T& like, const T& horizon) const {
    if constexpr (number::is_expr<T>) {
      (void)like;
      return Expr::node(Expr::Op::payback, {start_, each_, horizon});
    } else {
      return valued(depends_on(like, horizon), payback_ ? payback_ : number::k_nan, units::months);
    }
  }

 private:
  void count(double flow) { (flow > 0 ? in_ : out_) += flow > 0 ? flow : -flow; }
  T start_, cumulative_, each_{};
  bool keep_, weigh_;
  double in_ = 0, out_ = 0;  // the inflows, and the outflows' magnitudes
  int payback_ = 0, months_ = 0;
  // One more than the longest term: months 0 .. months_ are written before they are read,
  // so a row needs no memset.
  std::array<double, Model::max_term_months + 1> values_;
};

// A month's quantity summed over the months before m (a loan's principal repaid, income
// a loss carried forward offsets), from `start`: carried month to month when a reading
// computes, written as the sum over months j < m of the quantity `name` when it writes.
template <class T>
class Running {
 public:
  // `name`: a string literal, the quantity's name in the month's formulas.
  Running(T start, const char* name, bool down)
      : start_(start), value_(std::move(start)), name_(name), down_(down) {}
  T at() const {
    if constexpr (number::is_expr<T>) {
      const Expr before =
          Expr::node(Expr::Op::sum_before, {Expr::node(Expr::Op::quantity, {}, name_)});
      return down_ ? start_ - before : start_ + before;
    } else {
      return value_;
    }
  }
  void add(const T& x) {
    if constexpr (number::is_expr<T>)
      each_ = x;
    else
      value_ = down_ ? value_ - x : value_ + x;
  }
  // The value after the horizon's months.
  T after(const T& horizon) const {
    if constexpr (number::is_expr<T>) {
      const Expr sum = Expr::node(Expr::Op::sum, {each_, horizon});
      return down_ ? start_ - sum : start_ + sum;
    } else {
      return depends_on(value_, horizon);
    }
  }

 private:
  T start_, value_, each_{};
  const char* name_;
  bool down_;
};

// The least of a month's ratio over the months where it is defined, its month, and how
// many months fall under a threshold (a DSCR and its covenant). Found by a search, each
// takes the provenance of every month's value and of the horizon.
template <class T>
class Least {
 public:
  explicit Least(std::optional<T> threshold) : threshold_(std::move(threshold)) {}
  void add(const Index<T>& m, const T& x) {
    if constexpr (number::is_expr<T>) {
      each_ = x;
    } else {
      seen_ = seen_ ? depends_on(*seen_, x) : x;
      const double v = value_of(x);
      if (std::isnan(v)) return;
      if (month_ == 0 || v < least_) {
        least_ = v;
        month_ = m + 1;
      }
      if (threshold_ && v < value_of(*threshold_)) ++below_;
    }
  }
  T least(const T& horizon) const {
    if constexpr (number::is_expr<T>)
      return Expr::node(Expr::Op::least, {each_, horizon});
    else
      return valued(horizon, month_ ? least_ : number::k_nan, units::plain);
  }
  T month(const T& horizon) const {
    if constexpr (number::is_expr<T>)
      return Expr::node(Expr::Op::least_at, {each_, horizon});
    else
      return valued(horizon, month_ ? month_ : number::k_nan, units::months);
  }
  T below(const T& horizon) const {
    if constexpr (number::is_expr<T>)
      return Expr::node(Expr::Op::count_below, {each_, horizon, *threshold_});
    else
      return valued(depends_on(horizon, *threshold_), below_, units::months);
  }

 private:
  T valued(const T& horizon, double v, const Unit& unit) const {
    return contract::valued(seen_ ? depends_on(*seen_, horizon) : horizon, v, unit);
  }
  std::optional<T> threshold_, seen_;
  T each_{};
  double least_ = 0;
  int month_ = 0, below_ = 0;
};

// Revenue per calendar year, into the year's output: the month's year from the start.
template <class T>
class Calendar {
 public:
  Calendar(std::vector<T>& out, const std::vector<std::size_t>& years, int start_month,
           const T& zero)
      : out_(out), years_(years), start_month_(start_month) {
    for (std::size_t y : years_)
      out_[y] = zero;
  }
  void add(const Index<T>& m, const T& revenue) {
    if constexpr (number::is_expr<T>) {
      each_ = revenue;
    } else {
      const auto y = static_cast<std::size_t>((start_month_ + m) / 12);
      if (y < years_.size()) out_[years_[y]] = out_[years_[y]] + revenue;
    }
  }
  // Each year's sum over its months within the horizon. A year beyond it is 0 because of
  // the horizon, and so depends on the terms as the years within do.
  void finish(const T& horizon, int start_year) {
    for (std::size_t y = 0; y < years_.size(); ++y) {
      if constexpr (number::is_expr<T>)
        out_[years_[y]] = Expr::node(Expr::Op::sum_in, {each_, horizon},
                                     std::to_string(start_year + static_cast<int>(y)));
      else if constexpr (number::is_tracked<T>)
        out_[years_[y]] = depends_on(out_[years_[y]], horizon);
    }
    (void)start_year;
  }

 private:
  std::vector<T>& out_;
  const std::vector<std::size_t>& years_;
  int start_month_;
  T each_{};
};

// The ramp's online share in month k of a lease: the last step at or before k; 0 before
// the first; every GPU online without a ramp. Computing readings walk the steps as k rises.
template <class T>
class Ramp {
 public:
  Ramp(const std::vector<std::size_t>& slots, const std::vector<int>& months)
      : slots_(&slots), months_(&months) {}
  T at(const Inputs<T>& in, const Index<T>& k, const T& one) {
    const auto& slots = *slots_;
    if (slots.empty()) return one;
    if constexpr (number::is_expr<T>) {
      std::vector<Expr> shares;
      for (std::size_t slot : slots)
        shares.push_back(in[slot]);
      return Expr::step(k, *months_, std::move(shares));
    } else {
      if (k < last_) step_ = 0;
      last_ = k;
      while (step_ < slots.size() && (*months_)[step_] <= k)
        ++step_;
      return step_ == 0 ? constant<T>(0, units::one) : in[slots[step_ - 1]];
    }
  }

 private:
  const std::vector<std::size_t>* slots_;
  const std::vector<int>* months_;
  std::size_t step_ = 0;
  int last_ = 0;
};

}  // namespace contract

}  // namespace leasecalc
