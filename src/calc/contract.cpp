// The contract over time: each lease's months on one calendar (a ramp, an escalator,
// take-or-pay), power with the GPUs online, depreciation to the end of the life; the
// totals, present values, book value, NPV, IRR, payback and calendar years. The month is
// written once in the month index m; Sum, Flows and Calendar read it as a loop (double,
// Tracked) or write it as sums over m (Expr).
#include "leasecalc/calc/calc.hpp"
#include "number.hpp"

#include <algorithm>
#include <array>
#include <cmath>

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
  T over(const T& horizon) const {
    if constexpr (number::is_expr<T>)
      return Expr::node(Expr::Op::sum, {total_, horizon});
    else
      return total_;
  }

 private:
  T total_;
};

// The cash flows of the contract at months 0 .. horizon: what the IRR and the payback
// search. Found by a search, each takes the provenance of what entered it (`like`, which
// the caller builds from every flow) and of the horizon.
template <class T>
class Flows {
 public:
  Flows(T start, bool keep) : start_(start), cumulative_(std::move(start)), keep_(keep) {
    if constexpr (!number::is_expr<T>)
      if (keep_) values_[0] = value_of(start_);
  }
  // Month m's flow, at the month's end; returns the cumulative flow then.
  T add(const Index<T>& m, const T& flow) {
    if constexpr (number::is_expr<T>) {
      each_ = flow;
      return start_ + Expr::node(Expr::Op::sum, {flow, m + Expr(1)});
    } else {
      cumulative_ = cumulative_ + flow;
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
  // `like`'s provenance with another value and unit.
  static T valued(T like, double v, const Unit& unit) {
    if constexpr (number::is_tracked<T>) like.unit = unit;
    (void)unit;
    return number::with_value(like, v);
  }
  T start_, cumulative_, each_{};
  bool keep_;
  int payback_ = 0, months_ = 0;
  // One more than the longest term: months 0 .. months_ are written before they are read,
  // so a row needs no memset.
  std::array<double, Model::max_term_months + 1> values_;
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
  auto poly = [&](double t, double& value, double& slope) {  // P, or Q for a rate below 0
    value = 0;
    slope = 0;
    if (above)
      for (std::size_t k = n; k-- > 0;) {
        slope = slope * t + value;
        value = value * t + flows[k];
      }
    else
      for (std::size_t k = 0; k < n; ++k) {
        slope = slope * t + value;
        value = value * t + flows[k];
      }
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
  return above ? std::pow(t, -12.0) - 1 : std::pow(t, 12.0) - 1;
}

// The contract month by month on one calendar (README, "The contract over time"): each
// lease (the one lease, or each tenant) earns its revenue at the year-0 price with every
// GPU online, scaled by its ramp's online share and its escalator, from its start for its
// term; power follows the GPUs online (idle ones draw costs.idle_power), colocation,
// other opex and depreciation do not. One month is written once, in the month index m:
// the computing readings run it for m = 0 .. horizon - 1 and add the months up, the
// writing reading (Expr) runs it once on the symbol m and writes the sums.
template <class T>
void Model::evaluate_contract(const Inputs<T>& in, std::vector<T>& out, unsigned needs,
                              std::vector<Month<T>>* months) const {
  using contract::Calendar;
  using contract::Flows;
  using contract::Ramp;
  using contract::Sum;
  using number::constant;
  using number::Index;
  using number::RunningPower;
  using number::when;
  constexpr bool writing = number::is_expr<T>;
  const In& x = in_;
  const Out& o = out_;
  const T one = number::constant<T>(1, units::one);
  const T zero = number::constant<T>(0, units::usd);
  const T month = number::constant<T>(1.0 / 12, units::years, "1/12");
  const T twelve = number::constant<T>(12, units::months_per_year);

  // The leases as streams of months.
  struct Stream {
    T revenue_month, gpu_hours_month, share;
    RunningPower<T, number::Every::year> escalation;
    Ramp<T> ramp;
    int start;
    T term;
    Sum<T> total, pv;
  };
  thread_local std::vector<Stream> streams;
  streams.clear();
  auto stream = [&](const T& annual, const T& annual_hours, const T& share, std::size_t escalator,
                    const std::vector<std::size_t>& ramp, const std::vector<int>& ramp_months,
                    int start, const T& term) {
    streams.push_back(
        {annual * month, annual_hours * month, share,
         RunningPower<T, number::Every::year>(escalator != npos ? one + in[escalator] : one),
         Ramp<T>(ramp, ramp_months), start, term, Sum<T>(zero), Sum<T>(zero)});
  };
  if (tenants_.empty()) {
    stream(out[o.revenue], out[o.gpu_hours], one, x.escalator, x.ramp, ramp_months_, 0, in[x.term]);
  } else {
    for (const auto& t : tenants_)
      if (t.term != npos)
        stream(out[t.revenue], out[t.gpu_hours], number::quotient(out[t.gpus], out[o.gpus]),
               t.escalator, t.ramp, t.ramp_months, t.start, in[t.term]);
  }
  // The horizon: to the end of the lease that ends last.
  std::optional<T> longest;
  for (const auto& st : streams) {
    const T end = number::constant<T>(st.start, units::months) + st.term;
    longest = longest ? max_of(*longest, end) : end;
  }
  const T horizon = *longest;
  int n = 0;
  if constexpr (!writing) n = std::clamp(static_cast<int>(value_of(horizon)), 0, max_term_months);

  // The whole power bill with every GPU drawing, a month; colocation and other opex.
  const T power_month = o.power_cost != npos ? out[o.energy] * in[x.power_price] * month : zero;
  T fixed_month = zero;
  for (std::size_t part : fixed_costs_)
    fixed_month = fixed_month + out[part] * month;
  const T depreciation_month = o.depreciation != npos ? out[o.depreciation] * month : zero;
  const bool discounting = x.rate != npos;
  const T rate_factor = discounting ? one + in[x.rate] : one;
  RunningPower<T, number::Every::month> discount(
      number::power_of(rate_factor, number::constant<T>(-1.0 / 12, units::one, "-1/12")));

  const bool want_irr = o.irr != npos && (needs & groups::irr);
  const T start_cash = capex_at_start_ ? zero - out[o.capex_total] : zero;
  Flows<T> flows(start_cash, want_irr);
  Sum<T> revenue_total(zero), ebitda_total(zero), pv_revenue(zero), pv_ebitda(zero);
  // The calendar years only when asked for: a sweep of the NPV need not add up 101 years.
  static const std::vector<std::size_t> k_no_years;
  Calendar<T> calendar(out, (needs & groups::calendar) ? o.calendar : k_no_years, start_month_,
                       zero);

  // Inlined into the loop, so that the sums stay in registers.
  auto each_month = [&](const Index<T>& m) __attribute__((always_inline)) {
    const T df = discounting ? discount.at(m) : one;
    T revenue = zero, gpu_hours = number::constant<T>(0, units::gpu_hours),
      online_share = number::constant<T>(0, units::one);
    thread_local std::vector<typename Month<T>::Part> parts;
    parts.clear();
    for (auto& st : streams) {
      const Index<T> k = st.start == 0 ? m : m - Index<T>(st.start);  // the lease's own month
      // The lease's share online: its ramp's, within its term.
      const T online = when(st.ramp.at(in, k, one), number::within(k, st.term));
      const T r = st.revenue_month * online * st.escalation.at(k);
      const T share_online = st.share * online;
      const T hours_online = st.gpu_hours_month * online;
      revenue = revenue + r;
      gpu_hours = gpu_hours + hours_online;
      online_share = online_share + share_online;
      st.total.add(r);
      if (discounting) st.pv.add(r * df);
      if (months && !tenants_.empty()) parts.push_back({share_online, hours_online, r});
    }
    // Power for the GPUs online; idle ones draw costs.idle_power of theirs.
    const T drawing =
        idle_power_ != npos ? online_share + in[idle_power_] * (one - online_share) : online_share;
    const T opex = power_month * drawing + fixed_month;
    const T ebitda = revenue - opex;
    revenue_total.add(revenue);
    ebitda_total.add(ebitda);
    if (discounting) {
      pv_revenue.add(revenue * df);
      pv_ebitda.add(ebitda * df);
    }
    const T cumulative = flows.add(m, ebitda);
    calendar.add(m, revenue);
    if (months) {
      Month<T> row;
      row.online = online_share;
      row.gpu_hours = gpu_hours;
      row.revenue = revenue;
      row.opex = opex;
      // Depreciation stops at the end of the life: the book value then is the residual.
      const T depreciation = x.life != npos && o.depreciation != npos
                                 ? when(depreciation_month, number::within(m, in[x.life] * twelve))
                                 : depreciation_month;
      row.depreciation = depreciation;
      row.ebitda = ebitda;
      row.ebit = ebitda - depreciation;
      row.cash = ebitda;  // operating cash: no tax or debt service yet
      row.cumulative_cash = cumulative;
      row.pv_cash = discounting ? ebitda * df : number::with_value(ebitda, number::k_nan);
      row.tenants = parts;
      months->push_back(std::move(row));
    }
  };
  if constexpr (writing)
    each_month(Expr::month());
  else
    for (int m = 0; m < n; ++m)
      each_month(m);

  std::size_t s = 0;
  for (const auto& t : tenants_)
    if (t.term != npos) {
      const Stream& st = streams[s++];
      out[t.revenue_total] = st.total.over(horizon);
      if (t.pv_revenue != npos) out[t.pv_revenue] = st.pv.over(horizon);
    }
  out[o.revenue_total] = revenue_total.over(horizon);
  out[o.ebitda_total] = ebitda_total.over(horizon);
  calendar.finish(horizon, start_year_);
  if (discounting) {
    out[o.pv_revenue] = pv_revenue.over(horizon);
    out[o.pv_ebitda] = pv_ebitda.over(horizon);
  }
  if (!capex_at_start_) return;
  const T& capex = out[o.capex_total];
  T book = capex;
  if (x.life != npos) {
    const T life_months = in[x.life] * twelve;
    const T used = min_of(one, horizon / life_months);
    book = capex * (one - (x.residual != npos ? (one - in[x.residual]) * used : used));
  }
  out[o.book_value_end] = book;
  if (o.npv != npos)
    out[o.npv] = zero - capex + out[o.pv_ebitda] +
                 book * number::power_of(rate_factor,
                                         number::constant<T>(0, units::years) - horizon / twelve);
  const T total = out[o.ebitda_total];
  if (want_irr) out[o.irr] = flows.irr(total / capex, book, horizon);
  out[o.payback_months] = flows.payback(capex / total, horizon);
}

template void Model::evaluate_contract(const Inputs<double>&, std::vector<double>&, unsigned,
                                       std::vector<Month<double>>*) const;
template void Model::evaluate_contract(const Inputs<Tracked>&, std::vector<Tracked>&, unsigned,
                                       std::vector<Month<Tracked>>*) const;
template void Model::evaluate_contract(const Inputs<Expr>&, std::vector<Expr>&, unsigned,
                                       std::vector<Month<Expr>>*) const;

}  // namespace leasecalc
