// Reads the cash flows of `leasecalc cashflows` (README "Cash flows"): CSV or TSV with a
// header of `amount`, `period,amount` or `date,amount`. Pure: the text is given.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leasecalc {

// The flows as read: amounts in order, each at a time in periods from the first (its
// row's index, or the `period` column), and with a `date` column its date.
struct CashFlows {
  std::vector<double> amounts;
  std::vector<double> periods;     // 0 for the first row
  std::vector<std::string> dates;  // empty without a date column
  std::vector<long> days;          // days since 1970-01-01 of each date
};

// Reads CSV (or TSV) with a header of `amount`, `period,amount` or `date,amount`.
// Throws InputError at the line and column of what is wrong, naming the column: a
// missing column, a number that does not parse, a date that is no date or comes before
// the one above it, a period that is not a whole number or goes down, no row, or flows
// that never change sign (no rate of return).
CashFlows read_cashflows(std::string_view text, std::string_view file);

}  // namespace leasecalc
