// The contract over time: each lease's months on one calendar (a ramp, an escalator,
// take-or-pay), power with the GPUs online, depreciation to the end of the life; the
// totals, present values, book value, NPV, IRR, payback and calendar years; then debt,
// tax and the investor's flows. The month is written once in the month index m; the
// machinery of contract_parts.hpp reads it as a loop (double, Tracked) or writes it as
// sums over m (Expr).
#include "contract_parts.hpp"
#include "leasecalc/calc/calc.hpp"
#include "number.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace leasecalc {

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
    Sum<T> total, pv, ebitda, pv_ebitda;  // a tenant's EBITDA: its share of the costs
  };
  thread_local std::vector<Stream> streams;
  streams.clear();
  // Kept between runs of a sweep; the tracked reading runs once a report, and its streams
  // (with 10,000 tenants, 11 MB) go when it ends.
  struct Release {
    std::vector<Stream>& streams;
    ~Release() {
      if constexpr (std::is_same_v<T, Tracked>) std::vector<Stream>().swap(streams);
    }
  } release{streams};
  auto stream = [&](const T& annual, const T& annual_hours, const T& share, std::size_t escalator,
                    const std::vector<std::size_t>& ramp, const std::vector<int>& ramp_months,
                    int start, const T& term) {
    streams.push_back(
        {annual * month, annual_hours * month, share,
         RunningPower<T, number::Every::year>(escalator != npos ? one + in[escalator] : one),
         Ramp<T>(ramp, ramp_months), start, term, Sum<T>(zero), Sum<T>(zero), Sum<T>(zero),
         Sum<T>(zero)});
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
  // Debt, tax, the tail and the investor's flows only when asked for: a sweep of the
  // contract's NPV need not run the tail's months.
  const bool financing_needed = (needs & groups::financing) != 0;
  const bool debt = debt_ && financing_needed;
  const bool tail = tail_ && financing_needed;
  // With a tail, the investor's horizon runs on to tail.until_months (README "The market and
  // the tail"); the contract's figures stay on the contract.
  const T full = tail ? max_of(horizon, in[x.tail_until]) : horizon;
  int n = 0, n_contract = 0;
  if constexpr (!writing) {
    n_contract = std::clamp(static_cast<int>(value_of(horizon)), 0, max_term_months);
    n = std::clamp(static_cast<int>(value_of(full)), 0, max_term_months);
  }
  // Each model's market price in month k (a number of months from the start): its dated
  // points, or its lease price at the start with market.decline a year.
  std::vector<std::vector<T>> points;
  if (financing_needed) {
    points.resize(models_.size());
    for (std::size_t i = 0; i < models_.size() && i < x.market.size(); ++i)
      for (std::size_t slot : x.market[i])
        points[i].push_back(in[slot]);
  }
  auto market_price = [&](std::size_t i, const T& k) {
    if (!points[i].empty()) return number::interpolate(k, x.market_months[i], points[i]);
    return in[lease_price_slot(i)] *
           number::power_of(one + in[x.decline], k / number::constant<T>(12, units::months));
  };
  const T tail_share =
      tail ? (x.tail_discount != npos ? one - in[x.tail_discount] : one) * in[x.tail_occupancy]
           : one;

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

  // Debt, tax and the investor's flows (README "Debt and tax"): the loan's principal P is
  // drawn at month 0 and repaid after its interest-only months; tax is on EBIT (the
  // project's) or EBIT less interest (the equity's), losses carried forward.
  const bool financing = o.terminal_value != npos && financing_needed;
  const bool taxed = x.tax_rate != npos && financing;
  const T months_unit = constant<T>(1, units::months);
  const T loan = debt ? in[x.debt_share] * out[o.capex_total] : zero;
  const T fee = debt && x.debt_fee != npos ? in[x.debt_fee] * loan : zero;
  const T monthly_rate =
      debt ? in[x.debt_rate] / constant<T>(12, units::plain) : constant<T>(0, units::one);
  const T interest_only = x.debt_io != npos ? in[x.debt_io] : constant<T>(0, units::months);
  const T debt_term = debt ? in[x.debt_term] : months_unit;
  const T repaying = (debt_term - interest_only) / months_unit;  // months of repayment
  const T payment =
      o.debt_payment != npos ? number::level_payment(loan, monthly_rate, repaying) : zero;
  const T invested = capex_at_start_ ? out[o.capex_total] - loan + fee : zero;
  const bool equity_discounting = x.equity_rate != npos || discounting;
  const T equity_factor = x.equity_rate != npos ? one + in[x.equity_rate] : rate_factor;
  RunningPower<T, number::Every::month> equity_discount(
      number::power_of(equity_factor, number::constant<T>(-1.0 / 12, units::one, "-1/12")));
  contract::Running<T> balance(loan, "principal", true);
  contract::Running<T> income_before(zero, "ebit", false), taxed_before(zero, "taxable", false),
      pretax_before(zero, "pretax", false), equity_taxed_before(zero, "equity_taxable", false);
  const bool want_investment_irr = o.investment_irr != npos && (needs & groups::irr);
  const bool want_equity_irr = o.equity_irr != npos && (needs & groups::irr);
  Flows<T> investment(start_cash, want_investment_irr),
      equity(zero - invested, want_equity_irr, debt);
  Sum<T> investment_total(zero), pv_investment(zero), tax_total(zero), equity_total(zero),
      pv_equity(zero), interest_total(zero), service_total(zero);
  contract::Least<T> dscr_least(x.dscr_covenant != npos ? std::optional<T>(in[x.dscr_covenant])
                                                        : std::nullopt);
  Sum<T> revenue_total(zero), ebitda_total(zero), pv_revenue(zero), pv_ebitda(zero);
  // The calendar years only when asked for: a sweep of the NPV need not add up 101 years.
  static const std::vector<std::size_t> k_no_years;
  Calendar<T> calendar(out, (needs & groups::calendar) ? o.calendar : k_no_years, start_month_,
                       zero);

  Sum<T> tail_revenue(zero), tail_ebitda(zero);
  const bool per_tenant = std::any_of(tenants_.begin(), tenants_.end(),
                                      [](const Tenant& t) { return t.ebitda_total != npos; });
  // The rest of month m: depreciation, the loan, tax, the investor's cash and the
  // schedule's row. Inlined, as the contract's month is, so that the sums stay in
  // registers.
  auto investor_month = [&](const Index<T>& m, const T& df, const T& online_share,
                            const T& gpu_hours, const T& revenue, const T& opex, const T& ebitda,
                            T cumulative, const std::vector<typename Month<T>::Part>& parts)
      __attribute__((always_inline)) {
    // Depreciation stops at the end of the life: the book value then is the residual.
    const T depreciation = x.life != npos && o.depreciation != npos
                               ? when(depreciation_month, number::within(m, in[x.life] * twelve))
                               : depreciation_month;
    const T ebit = ebitda - depreciation;
    // The loan: interest on the balance at the month's start; principal after the
    // interest-only months, the whole balance in the term's last month.
    T interest = zero, principal = zero, left = zero;
    if (debt) {
      left = balance.at();
      interest = left * monthly_rate;
      const T month_no = number::months_of<T>(m);
      const T regular = amortization_ == Scenario::Amortization::annuity    ? payment - interest
                        : amortization_ == Scenario::Amortization::straight ? loan / repaying
                                                                            : zero;
      const T due =
          number::select(number::at_least(month_no + months_unit, debt_term), left, regular);
      principal = x.debt_io != npos ? when(due, number::at_least(month_no, interest_only)) : due;
      balance.add(principal);
    }
    const T service = interest + principal;
    // Tax on what income exceeds the losses carried forward: the month's taxable income is
    // the income to date less what was taxed before, and never below 0.
    T tax = zero, equity_tax = zero, taxable = zero, pretax = zero, equity_taxable = zero;
    if (taxed) {
      taxable = max_of(zero, income_before.at() + ebit - taxed_before.at());
      income_before.add(ebit);
      taxed_before.add(taxable);
      tax = in[x.tax_rate] * taxable;
      equity_tax = tax;
      if (debt) {
        pretax = ebit - interest;
        equity_taxable = max_of(zero, pretax_before.at() + pretax - equity_taxed_before.at());
        pretax_before.add(pretax);
        equity_taxed_before.add(equity_taxable);
        equity_tax = in[x.tax_rate] * equity_taxable;
      }
    }
    const T cash = ebitda - tax;  // the investment's
    const T equity_cash = ebitda - service - equity_tax;
    const T dscr = number::in_unit(number::quotient(ebitda - equity_tax, service), units::plain);
    if (financing) {
      cumulative = investment.add(m, cash);
      investment_total.add(cash);
      if (discounting) pv_investment.add(cash * df);
      if (taxed) tax_total.add(tax);
      if (debt) {
        equity.add(m, equity_cash);
        equity_total.add(equity_cash);
        if (equity_discounting) pv_equity.add(equity_cash * equity_discount.at(m));
        interest_total.add(interest);
        service_total.add(service);
        dscr_least.add(m, dscr);
      }
    }
    if (months) {
      Month<T> row;
      row.online = online_share;
      row.gpu_hours = gpu_hours;
      row.revenue = revenue;
      row.opex = opex;
      row.depreciation = depreciation;
      row.ebitda = ebitda;
      row.ebit = ebit;
      row.cash = cash;
      row.cumulative_cash = cumulative;
      row.pv_cash = discounting ? cash * df : number::with_value(cash, number::k_nan);
      row.interest = interest;
      row.principal = principal;
      row.debt_service = service;
      row.balance = left;
      row.tax = tax;
      row.equity_tax = equity_tax;
      row.equity_cash = equity_cash;
      row.dscr = dscr;
      row.taxable = taxable;
      row.pretax = pretax;
      row.equity_taxable = equity_taxable;
      row.tenants = parts;
      if constexpr (writing) row.horizon = full;
      months->push_back(std::move(row));
    }
  };
  // Each tenant's part of a month, for the schedule's rows.
  thread_local std::vector<typename Month<T>::Part> tenant_parts;
  auto& parts = tenant_parts;
  // Written twice by the compiler: with the investor's part of the month (`investor`
  // true), and without it for a sweep of the contract's own figures, whose loop then stays
  // as small as the contract alone.
  auto each_month = [&](const Index<T>& m, auto investor) __attribute__((always_inline)) {
    constexpr bool with_investor = decltype(investor)::value;
    // The contract's own sums and flows stop at its end; the investor's run on.
    bool in_contract = true;
    if constexpr (!writing) {  // (nested: the month index is a number only when computing)
      if constexpr (with_investor) in_contract = m < n_contract;
    }
    const T df = discounting ? discount.at(m) : one;
    T revenue = zero, gpu_hours = number::constant<T>(0, units::gpu_hours),
      online_share = number::constant<T>(0, units::one);
    if (months) parts.clear();
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
      if (in_contract) {
        st.total.add(r);
        if (discounting) st.pv.add(r * df);
        if (per_tenant) {  // its GPUs' power as they come online, its share of the rest
          const T e = r - (power_month * share_online + fixed_month * st.share);
          st.ebitda.add(e);
          if (discounting) st.pv_ebitda.add(e * df);
        }
      }
      if (months && !tenants_.empty()) parts.push_back({share_online, hours_online, r});
    }
    // The tail: after the contract, every GPU online, re-leased at its market price.
    T in_tail = number::constant<T>(0, units::one);
    if (with_investor && tail) {
      const T month_no = number::months_of<T>(m);
      in_tail = number::at_least(month_no, horizon);
      T r = zero, hours = number::constant<T>(0, units::gpu_hours);
      for (std::size_t i = 0; i < models_.size(); ++i) {
        const T gpu_hours_month = in[x.count[i]] * in[x.hours] * month;
        r = r + gpu_hours_month * market_price(i, month_no);
        hours = hours + gpu_hours_month;
      }
      const T re_leased = when(r * tail_share, in_tail);
      revenue = revenue + re_leased;
      gpu_hours = gpu_hours + when(hours * in[x.tail_occupancy], in_tail);
      online_share = online_share + when(one, in_tail);
      tail_revenue.add(re_leased);
    }
    // Power for the GPUs online; idle ones draw costs.idle_power of theirs.
    const T drawing =
        idle_power_ != npos ? online_share + in[idle_power_] * (one - online_share) : online_share;
    const T opex = power_month * drawing + fixed_month;
    const T ebitda = revenue - opex;
    T cumulative = zero;
    if (in_contract) {
      revenue_total.add(revenue);
      ebitda_total.add(ebitda);
      if (discounting) {
        pv_revenue.add(revenue * df);
        pv_ebitda.add(ebitda * df);
      }
      cumulative = flows.add(m, ebitda);
      calendar.add(m, revenue);
    }
    if (with_investor && tail) tail_ebitda.add(when(ebitda, in_tail));
    // Depreciation, debt, tax and the investor's cash: for the investor's figures and the
    // schedule's rows only (a sweep of the contract's NPV needs none of them).
    if constexpr (with_investor)
      investor_month(m, df, online_share, gpu_hours, revenue, opex, ebitda, cumulative, parts);
  };
  if constexpr (writing)
    each_month(Expr::month(), std::true_type{});
  else if (financing || months)
    for (int m = 0; m < n; ++m)
      each_month(m, std::true_type{});
  else
    for (int m = 0; m < n; ++m)
      each_month(m, std::false_type{});

  std::size_t s = 0;
  for (const auto& t : tenants_)
    if (t.term != npos) {
      const Stream& st = streams[s++];
      out[t.revenue_total] = st.total.over(horizon);
      if (t.pv_revenue != npos) out[t.pv_revenue] = st.pv.over(horizon);
      if (t.ebitda_total != npos) out[t.ebitda_total] = st.ebitda.over(horizon);
    }
  out[o.revenue_total] = revenue_total.over(horizon);
  out[o.ebitda_total] = ebitda_total.over(horizon);
  calendar.finish(horizon, start_year_);
  if (discounting) {
    out[o.pv_revenue] = pv_revenue.over(horizon);
    out[o.pv_ebitda] = pv_ebitda.over(horizon);
  }
  // The market price in the contract's last month; the tail's months and totals.
  for (std::size_t i = 0; i < o.market_at_end.size() && financing_needed; ++i)
    if (o.market_at_end[i] != npos)
      out[o.market_at_end[i]] = market_price(i, horizon - number::constant<T>(1, units::months));
  if (tail) {
    out[o.tail_months] = full - horizon;
    out[o.tail_revenue] = tail_revenue.over(full);
    out[o.tail_ebitda] = tail_ebitda.over(full);
  }
  if (!capex_at_start_) return;
  const T& capex = out[o.capex_total];
  // Book value after h months: straight-line over the life, down to the residual.
  auto book_after = [&](const T& h) {
    if (x.life == npos) return capex;
    const T used = min_of(one, h / (in[x.life] * twelve));
    return capex * (one - (x.residual != npos ? (one - in[x.residual]) * used : used));
  };
  const T book = book_after(horizon);
  out[o.book_value_end] = book;
  const T years_to_end = number::constant<T>(0, units::years) - horizon / twelve;
  // Each tenant's NPV on its share of the GPUs: of capex, of the EBITDA, of the book value.
  std::size_t each = 0;
  for (const auto& t : tenants_)
    if (t.term != npos) {
      const Stream& st = streams[each++];
      if (t.npv != npos)
        out[t.npv] = zero - st.share * capex + st.pv_ebitda.over(horizon) +
                     st.share * book * number::power_of(rate_factor, years_to_end);
    }
  if (o.npv != npos)
    out[o.npv] =
        zero - capex + out[o.pv_ebitda] + book * number::power_of(rate_factor, years_to_end);
  const T total = out[o.ebitda_total];
  if (want_irr) out[o.irr] = flows.irr(total / capex, book, horizon);
  out[o.payback_months] = flows.payback(capex / total, horizon);
  if (!financing) return;

  // The investor's figures, over the horizon (the contract, or to the tail's end): the
  // terminal value is a sale at book value at the horizon's end, which repays the debt left.
  const T terminal = tail ? book_after(full) : book;
  const T years_to_full =
      tail ? number::constant<T>(0, units::years) - full / twelve : years_to_end;
  out[o.terminal_value] = terminal;
  if (taxed) out[o.tax_total] = tax_total.over(full);
  const T investment_sum = investment_total.over(full);
  if (o.investment_npv != npos)
    out[o.investment_npv] = zero - capex + pv_investment.over(full) +
                            terminal * number::power_of(rate_factor, years_to_full);
  if (want_investment_irr)
    out[o.investment_irr] = investment.irr(investment_sum / capex, terminal, full);
  out[o.investment_payback] = investment.payback(capex / investment_sum, full);
  if (!debt) return;
  out[o.debt_principal] = loan;
  if (o.debt_fee_paid != npos) out[o.debt_fee_paid] = fee;
  if (o.debt_payment != npos) out[o.debt_payment] = payment;
  out[o.debt_interest_total] = interest_total.over(full);
  out[o.debt_service_total] = service_total.over(full);
  const T left_at_end = balance.after(full);
  out[o.debt_balance_end] = left_at_end;
  out[o.dscr_min] = dscr_least.least(full);
  out[o.dscr_min_month] = dscr_least.month(full);
  if (o.months_below_covenant != npos) out[o.months_below_covenant] = dscr_least.below(full);
  out[o.equity_invested] = invested;
  const T equity_terminal = terminal - left_at_end;
  const T equity_sum = equity_total.over(full);
  if (o.equity_npv != npos)
    out[o.equity_npv] = zero - invested + pv_equity.over(full) +
                        equity_terminal * number::power_of(equity_factor, years_to_full);
  if (want_equity_irr) out[o.equity_irr] = equity.irr(equity_sum / invested, equity_terminal, full);
  out[o.equity_multiple] = equity.multiple(equity_sum / invested, equity_terminal, full);
  out[o.equity_payback] = equity.payback(invested / equity_sum, full);
}

template void Model::evaluate_contract(const Inputs<double>&, std::vector<double>&, unsigned,
                                       std::vector<Month<double>>*) const;
template void Model::evaluate_contract(const Inputs<Tracked>&, std::vector<Tracked>&, unsigned,
                                       std::vector<Month<Tracked>>*) const;
template void Model::evaluate_contract(const Inputs<Expr>&, std::vector<Expr>&, unsigned,
                                       std::vector<Month<Expr>>*) const;

}  // namespace leasecalc
