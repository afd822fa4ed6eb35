// Cash flows from anywhere (README "Cash flows"): `leasecalc cashflows` values a column of
// amounts that came from a spreadsheet, another model or `schedule --flows`. NPV and IRR
// by period, XNPV and XIRR by actual days / 365, every rate that makes the NPV 0, the
// multiple and the payback. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/load/cashflows.hpp"

namespace leasecalc {

// The NPV of amounts a_k at times t_k (in periods) at a rate r a period: sum of
// a_k x (1 + r)^(-t_k).
double present_value(const std::vector<double>& amounts, const std::vector<double>& times,
                     double rate);

// Every rate a period in (-99%, +10,000%) at which the NPV is 0, ascending: where the
// NPV changes sign on a fine grid, refined by bisection to the last bit. A root where the
// NPV touches 0 without changing sign is not found.
std::vector<double> rate_roots(const std::vector<double>& amounts,
                               const std::vector<double>& times);

// What `leasecalc cashflows` prints. Rates are annual: (1 + a period's rate)^(periods a
// year) - 1; `roots` are a period's.
struct CashFlowFigures {
  int per_year = 12;           // periods a year: 12, 4 or 1
  std::optional<double> rate;  // --rate, annual
  double inflows = 0,
         outflows = 0;             // the sums of positive amounts and of negative ones' magnitudes
  double npv = 0;                  // at `rate` (NaN without one)
  std::vector<double> roots;       // per period
  std::optional<double> irr;       // annual, when exactly one root
  double xnpv = 0;                 // at `rate`, by days / 365 (NaN without dates or rate)
  std::vector<double> xirr_roots;  // annual
  std::optional<double> xirr;      // when exactly one
  std::optional<double> payback;   // periods to the first cumulative flow >= 0
  std::string payback_date;        // its date, with dates
  std::size_t count = 0;
  std::string first_date, last_date;  // with dates
};
CashFlowFigures analyse_cashflows(const CashFlows& flows, std::optional<double> rate, int per_year);

}  // namespace leasecalc
