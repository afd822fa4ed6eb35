// Numbers and names as text: strict base-10 parsing for files and the command line, the
// 15-digit writer that machine formats use, human units ($5.01B, 45.5%), key segments and
// "did you mean" suggestions. One file because every writer and every message shares
// these few rules; a split would put the parser and the writer, which tests hold to each
// other, in different rooms.
#include "leasecalc/model/text.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace leasecalc {

double parse_number(std::string_view t) {
  auto fail = [&](std::string why) -> double {
    throw ValueError(fmt::format("\"{}\" is not a number: {}", t, why), why);
  };
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9')
      ++i;
    return i - from;
  };
  if (t.empty()) return fail("it is empty");
  if (i < t.size() && t[i] == '-') ++i;
  const std::size_t int_start = i;
  const std::size_t int_digits = digits();
  if (int_digits == 0) return fail("expected a base-10 number such as 2.6, 1e9 or -0.5");
  if (int_digits > 1 && t[int_start] == '0')
    return fail("leading zeros are not allowed (write 8, not 08)");
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (digits() == 0) return fail("expected a digit after '.'");
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits() == 0) return fail("expected a digit in the exponent");
  }
  if (i != t.size()) return fail(fmt::format("unexpected '{}'", t.substr(i, 1)));
  double value = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec == std::errc::result_out_of_range || !std::isfinite(value))
    return fail("out of the range of a double");
  if (ec != std::errc() || end != t.data() + t.size()) return fail("not a valid number");
  return value;
}

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The text of a command-line number without "$" and its suffix, and the suffix's scale
// as a power of ten (%: -2, k: 3, M: 6, B: 9, T: 12).
std::pair<std::string_view, int> strip_units(std::string_view t) {
  if (t.starts_with('$'))
    t.remove_prefix(1);
  else if (t.starts_with("-$"))
    return {t, 0};  // "-$2" is not a price; say so below
  int power = 0;
  if (!t.empty()) {
    switch (t.back()) {
      case '%':
        power = -2;
        break;
      case 'k':
        power = 3;
        break;
      case 'M':
        power = 6;
        break;
      case 'B':
        power = 9;
        break;
      case 'T':
        power = 12;
        break;
      default:
        break;
    }
  }
  if (power != 0) t.remove_suffix(1);
  return {t, power};
}
}  // namespace

double parse_cli_number(std::string_view text) {
  const auto [digits, power] = strip_units(text);
  double value = 0;
  try {
    value = parse_number(digits);
  } catch (const ValueError& e) {
    throw ValueError(fmt::format("\"{}\" is not a number: {}; write a plain number, a share as "
                                 "85%, a price as $2.20, or 550k, 5.0B, 1.8T",
                                 text, e.why()),
                     e.why());
  }
  value *= std::pow(10.0, power);
  if (!std::isfinite(value))
    throw ValueError(fmt::format("\"{}\" is not a number: out of the range of a double", text));
  return value;
}

int cli_decimals(std::string_view text) {
  const auto [digits, power] = strip_units(text);
  if (digits.find_first_of("eE") != std::string_view::npos) return -1;
  const auto dot = digits.find('.');
  const int written = dot == std::string_view::npos ? 0 : static_cast<int>(digits.size() - dot - 1);
  return std::max(0, written - power);
}

bool exact_whole(std::string_view text) {
  auto [t, power] = strip_units(text);
  if (t.starts_with('-')) t.remove_prefix(1);
  std::string digits;  // the significand's digits, without the point
  std::size_t i = 0, point = std::string::npos;
  for (; i < t.size() && (is_digit(t[i]) || t[i] == '.'); ++i)
    if (t[i] == '.')
      point = digits.size();
    else
      digits += t[i];
  if (point == std::string::npos) point = digits.size();
  long exponent = 0;  // an exponent beyond +-100,000 is as good as infinite here
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    const bool negative = i < t.size() && t[i] == '-';
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    for (; i < t.size() && is_digit(t[i]); ++i)
      exponent = std::min(100000L, exponent * 10 + (t[i] - '0'));
    if (negative) exponent = -exponent;
  }
  // The digits before the scaled point are the whole part; those after must all be 0.
  const long whole = static_cast<long>(point) + exponent + power;
  const std::size_t cut =
      static_cast<std::size_t>(std::clamp(whole, 0L, static_cast<long>(digits.size())));
  if (digits.find_first_not_of('0', cut) != std::string::npos) return false;
  std::string_view integer = std::string_view(digits).substr(0, cut);
  integer.remove_prefix(std::min(integer.find_first_not_of('0'), integer.size()));
  if (integer.empty()) return true;  // 0
  const long length = static_cast<long>(integer.size()) + (whole - static_cast<long>(cut));
  if (length != 16) return length < 16;
  std::string full(integer);
  full.resize(16, '0');
  return full <= "9007199254740992";
}

double parse_count(std::string_view t) {
  const double value = parse_number(t);
  if (t.find_first_not_of("0123456789") != std::string_view::npos || !exact_whole(t))
    throw ValueError(fmt::format("\"{}\" is not a whole number from 0 to 2^53", t));
  return value;
}

namespace {

// Rounds the decimal text [p, end) of fmt's "{}" (fixed "123.45", "0.00012" or exponent
// "1.2345e+20") to 15 significant digits, half up, in place; returns the new end. Digits
// past the 15th are dropped after the point and become zeros before it; a fraction loses
// its trailing zeros. Carrying out of the first digit adds one ("999.99..." to "1000").
// Without `may_round_up`, the digits are cut.
char* round_text(char* p, char* end, bool may_round_up) {
  if (end - p <= 15) return end;  // 15 characters hold at most 15 digits
  // One pass: the exponent, the point, and the 16th significant digit.
  char *e = end, *point = nullptr, *cut = nullptr;
  int count = 0;
  bool significant = false;
  for (char* q = p; q < end; ++q) {
    if (*q == 'e') {
      e = q;
      break;
    }
    if (*q == '.') point = q;
    if (!is_digit(*q) || (!significant && *q == '0')) continue;
    significant = true;
    if (++count == 16) cut = q;
  }
  if (!cut) return end;  // 15 significant digits or fewer
  const bool up = may_round_up && *cut >= '5';
  // The mantissa ends at the cut in a fraction; in the integer part, the digits from the
  // cut on become zeros and the fraction goes.
  char* mend = cut;
  if (!point || cut < point) {
    for (char* q = cut; q < (point ? point : e); ++q)
      *q = '0';
    mend = point ? point : e;
  }
  if (up) {
    char* q = std::min(cut, mend);
    bool carry = true;
    while (carry && q > p) {
      --q;
      if (!is_digit(*q)) continue;
      if (*q == '9') {
        *q = '0';
      } else {
        ++*q;
        carry = false;
      }
    }
    if (carry) {  // all nines: one more digit in front (sign kept)
      char* at = *p == '-' ? p + 1 : p;
      std::copy_backward(at, end, end + 1);
      *at = '1';
      ++end, ++e, ++mend;
      if (e < end) {              // exponent form: 10.000e+20 is 1.0000e+21
        std::swap(at[1], at[2]);  // "10.0" -> "1.00"
        const int exp = std::atoi(e + 1) + 1;
        end = fmt::format_to(e, FMT_COMPILE("e{}{:02}"), exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
      }
    }
  }
  // A fraction loses its trailing zeros and, if nothing is left, its point.
  if (std::find(p, mend, '.') != mend) {
    while (mend[-1] == '0')
      --mend;
    if (mend[-1] == '.') --mend;
  }
  return std::copy(e, end, mend);
}

}  // namespace

// At most 15 significant digits (README "Spreadsheets"): what a spreadsheet keeps, so float noise
// (979316981.7599999) reads as the figure (979316981.76). fmt's "{}" gives the shortest
// digits that read back exactly, in fixed notation when the decimal exponent is in
// [-4, 16); those past the 15th are rounded off in the text, half up. (fmt's "{:.15g}"
// would round the binary value itself, at half again the cost of "{}".)
namespace {

// write_number's fast path, for 1e-4 <= |x| < 1e15 (where "{}" writes fixed notation):
// x times 10^k exactly (Dekker's product gives back its rounding error), rounded to an
// integer of 15 digits, laid out with its trailing zeros dropped. This rounds x itself,
// where write_number rounds its shortest text; the two can differ only when a 15-digit
// rounding boundary lies within half an ulp of x, so there the fast path gives up
// (returns nullptr) and the text is rounded: about 1 number in 20 with 17 digits, none
// with 15 or fewer.
char* write_fixed15(char* p, double x) {
  static constexpr double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const double a = std::fabs(x);
  if (!(a >= 1e-4 && a < 1e15)) return nullptr;
  std::uint64_t bits = 0;
  std::memcpy(&bits, &a, sizeof bits);
  const int binary = static_cast<int>(bits >> 52) - 1023;  // a is normal here
  // The decimal exponent e (10^e <= a < 10^(e+1)): from the binary one, corrected below.
  int e = (binary * 78913) >> 18;  // floor(binary x log10 2) for |binary| < 1000
  // Dekker's split of a into two 26-bit halves, for an exact product with 10^k.
  const double c = 134217729.0 * a;
  const double a_hi = c - (c - a), a_lo = a - a_hi;
  double m = 0, low = 0;
  for (int tries = 0; tries < 3; ++tries) {
    const double t = pow10[14 - e];  // e from -5 to 14: 10^0 .. 10^19, exact
    const double t_hi = (134217729.0 * t) - ((134217729.0 * t) - t), t_lo = t - t_hi;
    m = a * t;
    low = ((a_hi * t_hi - m) + a_hi * t_lo + a_lo * t_hi) + a_lo * t_lo;  // a t = m + low
    if (m < 1e14)
      --e;
    else if (m >= 1e15)
      ++e;
    else
      break;
  }
  if (!(m >= 1e14 && m < 1e15)) return nullptr;
  auto whole = static_cast<std::uint64_t>(m);            // floor: m is positive
  double rest = (m - static_cast<double>(whole)) + low;  // m - whole is exact
  if (rest < 0) --whole, rest += 1;
  if (rest >= 1) ++whole, rest -= 1;
  // Half an ulp of a in units of the 15th digit: the reach of x's rounding interval, where
  // its shortest text lies. (The product's own error is in `low`; the margin covers the
  // rounding of this bound.)
  double scale = 0;  // 2^(binary - 53), from its bits: binary - 53 is above -1023 here
  const std::uint64_t scale_bits = static_cast<std::uint64_t>(binary - 53 + 1023) << 52;
  std::memcpy(&scale, &scale_bits, sizeof scale);
  const double half_ulp = scale * pow10[14 - e];
  if (std::fabs(rest - 0.5) <= half_ulp * 1.000001) return nullptr;  // too near a tie to tell
  std::uint64_t digits = whole + (rest > 0.5 ? 1 : 0);
  if (digits == 1000000000000000ull) digits = 100000000000000ull, ++e;
  // The 15 digits, two at a time, written where they go (a copy from a scratch array on
  // the stack cost a fifth of the sweep): after "0." and its zeros for a value below 1,
  // else from the start, the fraction then moved one place right for the point.
  static constexpr char pairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  if (x < 0) *p++ = '-';
  char* d = p;
  if (e < 0) {
    *p++ = '0';
    *p++ = '.';
    for (int i = 0; i < -e - 1; ++i)
      *p++ = '0';
    d = p;
  }
  auto upper = static_cast<std::uint32_t>(digits / 100000000);  // 7 digits
  auto lower = static_cast<std::uint32_t>(digits % 100000000);  // 8 digits
  for (int i = 14; i > 6; i -= 2) {
    std::memcpy(d + i - 1, pairs + 2 * (lower % 100), 2);
    lower /= 100;
  }
  for (int i = 6; i > 0; i -= 2) {
    std::memcpy(d + i - 1, pairs + 2 * (upper % 100), 2);
    upper /= 100;
  }
  d[0] = static_cast<char>('0' + upper);
  int n = 15;  // significant digits after dropping trailing zeros
  while (n > 1 && d[n - 1] == '0')
    --n;
  if (e < 0) return d + n;
  if (n <= e + 1) {                // a whole number: its digits past n are zeros
    for (int i = 15; i <= e; ++i)  // 999999999999999.9 rounds up to 16 digits
      d[i] = '0';
    return d + e + 1;
  }
  std::memmove(d + e + 2, d + e + 1, static_cast<std::size_t>(n - e - 1));
  d[e + 1] = '.';
  return d + n + 1;
}

}  // namespace

char* write_number(char* p, char* last, double x) {
  if (char* end = write_fixed15(p, x)) return end;  // never for 0, which the text path writes
  return write_number_by_text(p, last, x);
}

char* write_number_by_text(char* p, char* last, double x) {
  (void)last;  // 32 characters always suffice: "-2.2250738585072014e-308" is 24
  if (x == 0) {
    *p++ = '0';  // also for -0
    return p;
  }
  // Near the largest double, rounding up would overflow: those are cut, not rounded.
  return round_text(p, fmt::format_to(p, FMT_COMPILE("{}"), x),
                    std::fabs(x) < 1.797693134862315e308);
}

double round15(double x) {
  char buf[32];
  double r = 0;
  std::from_chars(buf, write_number(buf, buf + sizeof buf, x), r);
  return r;
}

std::string plain_number(double x) {
  char buf[32];
  return std::string(buf, write_number(buf, buf + sizeof buf, x));
}

std::string trim_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0')
    s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string grouped(double x, int decimals) {
  std::string digits = fmt::format("{:.{}f}", std::fabs(x), decimals);
  const auto dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  if (dot != std::string::npos) out += digits.substr(dot);
  const bool negative = x < 0 && digits.find_first_not_of("0.,") != std::string::npos;
  return negative ? "-" + out : out;
}

namespace {

// 3 significant digits with a k/M/B/T suffix: 5.01B, 16.7M, 220k, 989M.
std::string scaled(double x) {
  const double a = std::fabs(x);
  static constexpr std::pair<double, const char*> steps[]{
      {1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
  for (auto [size, suffix] : steps) {
    if (a >= size * 0.9995) {  // so 999,600 becomes 1.00M, not 1000k
      const double v = x / size;
      const double av = std::fabs(v);
      // Three significant digits, or four when they give the value exactly: a note's
      // $115.2B and $1.875T stay recognisable (README "Spreadsheets"), $5,010,720,000 is $5.01B.
      int decimals = av >= 100 ? 0 : av >= 10 ? 1 : 2;
      const double exact4 =
          std::round(v * std::pow(10.0, decimals + 1)) / std::pow(10.0, decimals + 1);
      if (std::fabs(exact4 - v) <= 1e-9 * av && av < 999.95) ++decimals;
      return trim_zeros(fmt::format("{:.{}f}", v, decimals)) + suffix;
    }
  }
  // Below 1,000: up to 4 significant digits, trailing zeros dropped.
  if (a == 0) return "0";
  const int decimals = a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4;
  return trim_zeros(fmt::format("{:.{}f}", x, decimals));
}

std::string money(double x) {
  const double a = std::fabs(x);
  std::string body;
  if (a >= 1000)
    body = scaled(a);
  else if (a >= 100)
    body = fmt::format("{:.0f}", a);
  else {
    const bool cents = std::fabs(a * 100 - std::round(a * 100)) < 1e-9;  // $2.60, not $2.600
    body = fmt::format("{:.{}f}", a, cents ? 2 : 3);
  }
  return (x < 0 ? "-$" : "$") + body;
}

}  // namespace

bool is_date(std::string_view s) {
  auto digits = [&](std::size_t from, std::size_t n) {
    int x = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      x = x * 10 + (s[i] - '0');
    }
    return x;
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return y > 0 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] && (m != 2 || d <= 28 || leap);
}

int month_index(std::string_view date) {
  return std::stoi(std::string(date.substr(0, 4))) * 12 +
         std::stoi(std::string(date.substr(5, 2))) - 1;
}

long days_since_epoch(std::string_view date) {
  // Howard Hinnant's days_from_civil.
  long y = std::stol(std::string(date.substr(0, 4)));
  const long m = std::stol(std::string(date.substr(5, 2)));
  const long d = std::stol(std::string(date.substr(8, 2)));
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void require_contract_start(std::string_view text) {
  if (!is_date(text))
    throw ValueError(fmt::format("must be a date as YYYY-MM-DD, got \"{}\"", text));
  if (!text.ends_with("-01"))
    throw ValueError(fmt::format(
        "must be the first day of a month (a contract runs in whole months), got {}", text));
}

std::string human(double x, const Unit& unit) {
  if (std::isnan(x)) return "undefined";  // a summary of no defined sample, say
  const std::string_view name = unit.name;
  if (name == "ratio") return fmt::format("{:.1f}%", x * 100);
  if (name == "/yr") return fmt::format("{:.1f}%/yr", x * 100);
  if (name.starts_with("USD")) {
    const std::string_view per = name.substr(3);  // "/yr", "/GPU-h", ""
    return money(x) + std::string(per);
  }
  if (name == "1") return scaled(x);
  if (name == "x") return trim_zeros(fmt::format("{:.1f}", x)) + "x";
  if (name == "h/yr") return grouped(x, std::floor(x) == x ? 0 : 1) + " h/yr";
  return scaled(x) + " " + std::string(name);
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  // A word that begins a candidate is a likely shorthand: "price" for price_per_gpu_hour.
  if (word.size() >= 4)
    for (const auto& c : candidates)
      if (c.size() > word.size() && c.compare(0, word.size(), word) == 0) return c;
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string hint = did_you_mean(word, candidates);
  return hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint);
}

std::string unknown_choice(std::string_view what, std::string_view got,
                           const std::vector<std::string>& allowed) {
  return fmt::format("unknown {} \"{}\"{}; allowed: {}", what, got, suggestion(got, allowed),
                     join(allowed));
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string tsv_field(std::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return out;
}

std::string operand_text(double x) {
  if (x == 0) return "0";
  const double a = std::fabs(x);
  const int int_digits = a >= 1 ? static_cast<int>(std::floor(std::log10(a))) + 1 : 0;
  int decimals = std::max(0, 7 - int_digits);
  if (a < 1) decimals = std::min(15, 7 - static_cast<int>(std::floor(std::log10(a))) - 1);
  return trim_zeros(grouped(x, decimals));
}

}  // namespace leasecalc
