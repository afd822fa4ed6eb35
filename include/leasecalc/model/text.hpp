// Small text helpers shared by the loader, the formatters and the command layer:
// number rendering, human units, "did you mean" suggestions and CSV quoting.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/units.hpp"

namespace leasecalc {

// A strict base-10 number: -?DIGITS[.DIGITS][(e|E)[+|-]DIGITS], nothing before or after.
// Rejects hex, leading zeros (octal look-alikes), nan, inf, '+', '.5', "1,000", and
// values beyond a double.
// Throws ValueError: "\"x\" is not a number: " and why (why() alone: "it is empty").
double parse_number(std::string_view text);

// A number from the command line (--set, --vary, --target), in the units the tool
// prints (README "Spreadsheets"): "85%" is 0.85, "$2.20" is 2.2, and k, M, B, T multiply by 1e3,
// 1e6, 1e9, 1e12 ("550k", "5.0B", "1.8T"); plain numbers as parse_number. Throws
// ValueError quoting the text as given.
double parse_cli_number(std::string_view text);
// The decimal places a command-line number was written with, in its value's units
// ("85.5%" has 3, "1.5k" none, "2.20" has 2), or -1 with an exponent.
int cli_decimals(std::string_view text);

// Whether a number's text (as parse_number or parse_cli_number accept it) is a whole
// number that a double holds as written: no digit but 0 after the point, once scaled,
// and at most 2^53 = 9007199254740992 in size. "1000.0000000000000001" and
// "9007199254740993" are not (a double rounds them to 1000 and 9007199254740992).
bool exact_whole(std::string_view text);

// A whole number >= 0 for counts such as --samples: base 10 digits only, at most 2^53.
// Throws ValueError.
double parse_count(std::string_view text);

// A number as every machine format writes it (README "Spreadsheets"): the shortest text that reads
// back as the same double when that takes at most 15 significant digits (0.1, 300,
// 5010720000, 1e-07: fmt's "{}", fixed notation up to 16 integer digits), else rounded to
// 15 ("{:.15g}": 979316981.7599999 is 979316981.76). -0 is written as 0.
std::string plain_number(double x);
// The same into [first, last), which must hold 32 characters; returns the end.
char* write_number(char* first, char* last, double x);
// write_number without its fast path: fmt's shortest text, rounded as text. The tests
// hold the fast path to it.
char* write_number_by_text(char* first, char* last, double x);
// The double plain_number writes: x rounded to 15 significant digits.
double round15(double x);

// "2.500" -> "2.5", "3.000" -> "3": drops trailing zeros after a decimal point.
std::string trim_zeros(std::string number);

// Thousands separators and a fixed number of decimals: 5,010,720,000 / 250,556.1.
std::string grouped(double x, int decimals);

// A number with thousands separators and 7 significant digits: 250,556.1, 2.527806.
// (explain's operands, diff's changes)
std::string operand_text(double x);

// A calendar date written YYYY-MM-DD (year 1 on; February 29 only in a leap year).
bool is_date(std::string_view text);
// Days since 1970-01-01 of a date written YYYY-MM-DD (is_date must hold).
long days_since_epoch(std::string_view date);
// The month of a date written YYYY-MM-DD (or YYYY-MM) as a count of months: year x 12 +
// month - 1, so that months apart subtract (2027-02 - 2026-11 = 3).
int month_index(std::string_view date);
// Throws ValueError unless `text` can start a contract: a date, the first day of a month.
void require_contract_start(std::string_view text);

// A short human rendering with its unit: $5.01B/yr, 220k GPU, 45.6%, $3.113/GPU-h.
std::string human(double x, const Unit& unit);

// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
// The one way a message suggests a key, a name or an option: ` (did you mean "X"?)` with
// did_you_mean's candidate, or "" when no candidate is close.
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates);

// The hash of a map keyed by std::string that finds by std::string_view, without a copy
// (with std::equal_to<>).
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// An enum's names. One table gives the name of a value (its first entry), parses a name
// (aliases are further entries) and lists the choices for "allowed: ..." messages.
template <class E>
using NameTable = std::vector<std::pair<E, std::string_view>>;

template <class E>
std::string_view name_of(const NameTable<E>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "";
}

template <class E>
std::optional<E> parse_name(const NameTable<E>& table, std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

template <class E>
std::vector<std::string> names_of(const NameTable<E>& table) {
  std::vector<std::string> out;
  for (const auto& entry : table)
    out.emplace_back(entry.second);
  return out;
}

// 'unknown basis "bf61" (did you mean "bf16"?); allowed: bf16, fp8, hbm-bw, units'
std::string unknown_choice(std::string_view what, std::string_view got,
                           const std::vector<std::string>& allowed);

// ", " joined.
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

// One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view text);
// One TSV field: tabs and line breaks become spaces (TSV has no quoting).
std::string tsv_field(std::string_view text);

}  // namespace leasecalc
