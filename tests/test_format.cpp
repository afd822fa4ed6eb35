// The formatter layer: human units, exact numbers, CSV/TSV/Markdown and the text table.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cstring>
#include <sstream>

#include "leasecalc/model/text.hpp"
#include "leasecalc/render/format.hpp"

using namespace leasecalc;

TEST_CASE("human units", "[format]") {
  CHECK(human(5010720000.0, units::usd_per_year) == "$5.01B/yr");
  CHECK(human(16702400.0, units::usd_per_mw_year) == "$16.7M/MW-yr");
  CHECK(human(989280000.0, units::usd_per_year) == "$989M/yr");
  CHECK(human(6e9, units::usd_per_year) == "$6B/yr");
  CHECK(human(2.6, units::usd_per_gpu_hour) == "$2.60/GPU-h");
  CHECK(human(2.2, units::usd_per_gpu_hour) == "$2.20/GPU-h");  // not $2.200 from 2.2 x 100
  CHECK(human(3.1133250311, units::usd_per_gpu_hour) == "$3.113/GPU-h");
  CHECK(human(-9735360, units::usd_per_year) == "-$9.74M/yr");
  CHECK(human(220000, units::gpu) == "220k GPU");
  CHECK(human(250556.117, units::h100e) == "251k H100e");
  CHECK(human(999600, units::gpu) == "1M GPU");  // rounds up a step, never "1000k"
  CHECK(human(0.455556, units::one) == "45.6%");
  CHECK(human(1.1974, units::one) == "119.7%");
  CHECK(human(1.3636363, units::kw_per_gpu) == "1.364 kW/GPU");
  CHECK(human(8760, units::hours_per_year) == "8,760 h/yr");
  CHECK(human(300, units::mw) == "300 MW");
}

TEST_CASE("human units keep the digits a figure was stated with", "[format]") {
  // A note's $115.2B and $1.875T stay as stated; a computed $5,010,720,000 is $5.01B.
  CHECK(human(115.2e9, units::usd_per_year) == "$115.2B/yr");
  CHECK(human(1.875e12, units::usd) == "$1.875T");
  CHECK(human(1.75e12, units::usd) == "$1.75T");
  CHECK(human(5010720000.0, units::usd_per_year) == "$5.01B/yr");
  CHECK(human(150000, units::gpu) == "150k GPU");
  CHECK(human(250556.117, units::h100e) == "251k H100e");  // not exact in 4 digits: 3
}

TEST_CASE("plain and grouped numbers", "[format]") {
  CHECK(plain_number(5010720000.0) == "5010720000");
  CHECK(plain_number(0.1) == "0.1");
  CHECK(plain_number(-0.0) == "0");
  // 2500 / 989 = 2.527805864509605(5...): rounded to 15 significant digits (README "Spreadsheets")
  CHECK(plain_number(2500.0 / 989) == "2.52780586450961");
  // The analyst's float noise, as a spreadsheet keeps it:
  CHECK(plain_number(979316981.7599999) == "979316981.76");  // a report CSV value
  CHECK(plain_number(0.33244199999999996) == "0.332442");    // a sweep's coverage
  CHECK(plain_number(1994651999.9999998) == "1994652000");   // a sweep's revenue
  CHECK(plain_number(1638120000.0000002) == "1638120000");   // a JSON value
  CHECK(round15(1638120000.0000002) == 1638120000.0);
  CHECK(plain_number(1e15) == "1000000000000000");  // one significant digit: fixed notation
  CHECK(plain_number(9999999999999998.0) == "10000000000000000");  // 16 nines carry
  CHECK(grouped(5010720000.0, 0) == "5,010,720,000");
  CHECK(grouped(250556.117, 1) == "250,556.1");
  CHECK(grouped(-989280000.0, 0) == "-989,280,000");
  CHECK(grouped(999.96, 1) == "1,000.0");
  CHECK(grouped(-0.01, 0) == "0");  // no "-0"
}

TEST_CASE("exact and human values of rows", "[format]") {
  Row r;
  r.value = 0.45555657;
  r.unit = units::one;
  r.bound = Bound::at_most;
  r.approx = true;
  CHECK(human_value(r) == "at most ~45.6%");
  CHECK(exact_value(r) == "45.5557%");
  r.defined = false;
  CHECK(human_value(r) == "undefined");
  CHECK(exact_value(r) == "");
}

TEST_CASE("CSV fields follow RFC 4180 and TSV fields have no tabs", "[format]") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(tsv_field("a\tb\nc") == "a b c");
}

TEST_CASE("one table, every format", "[format]") {
  Table t;
  t.columns = {"name", "value"};
  t.right_aligned = {false, true};
  t.rows = {{"a, b", "1"}, {"long name", "22"}};
  auto render = [&](Format f, bool colour = false) {
    std::ostringstream out;
    write_table(out, t, f, Style{colour});
    return out.str();
  };
  CHECK(render(Format::csv) == "name,value\r\n\"a, b\",1\r\nlong name,22\r\n");
  CHECK(render(Format::tsv) == "name\tvalue\na, b\t1\nlong name\t22\n");
  CHECK(render(Format::md) ==
        "| name | value |\n| --- | ---: |\n| a, b | 1 |\n| long name | 22 |\n");
  CHECK(render(Format::table) == "name       value\na, b           1\nlong name     22\n");
  t.rows[0][1] = Cell("1", "32");
  CHECK(render(Format::table, true).find("\x1b[32m1\x1b[0m") != std::string::npos);
  CHECK(render(Format::table, false).find('\x1b') == std::string::npos);
  CHECK_THROWS_AS(render(Format::json), std::logic_error);
}

TEST_CASE("format names", "[format]") {
  CHECK(parse_format("csv") == Format::csv);
  CHECK(parse_format("md") == Format::md);
  CHECK_FALSE(parse_format("CSV"));
  CHECK_FALSE(parse_format("xlsx"));
}

TEST_CASE("write_number: the shortest round-trip text, or 15 significant digits", "[format]") {
  auto mine = [](double x) {
    char buf[32];
    return std::string(buf, write_number(buf, buf + sizeof buf, x));
  };
  // Significant digits of a decimal text, counted independently of text.cpp.
  auto digits = [](const std::string& t) {
    std::string mantissa = t.substr(0, t.find('e'));
    std::string d;
    for (char c : mantissa)
      if (c >= '0' && c <= '9') d += c;
    d.erase(0, d.find_first_not_of('0'));
    if (mantissa.find('.') == std::string::npos)
      while (!d.empty() && d.back() == '0')
        d.pop_back();
    return d.size();
  };
  // Each number: at most 15 significant digits; within half a unit of the 15th digit of
  // x (a relative 5e-15), plus the error of the shortest text it rounds (half an ulp,
  // 1.2e-16 relative at most); and the shortest round-trip text itself whenever that has
  // 15 digits or fewer.
  auto check = [&](double x) {
    const std::string m = mine(x), shortest = fmt::format("{}", x);
    const double back = std::strtod(m.c_str(), nullptr);
    const bool ok = digits(m) <= 15 && std::fabs(back - x) <= 5.12e-15 * std::fabs(x) + 1e-300 &&
                    (digits(shortest) > 15 || m == shortest);
    return ok;
  };
  // Edge cases of each layout branch: fixed, fraction, leading zeros, both exponent
  // forms, and carries out of the first digit.
  for (double x : {1.0,
                   -1.0,
                   0.5,
                   0.1,
                   1e-4,
                   1.5e-4,
                   9.99e-5,
                   1e-5,
                   123456789012345.6,
                   1e15,
                   9999999999999998.0,
                   1e16,
                   1.2345e16,
                   1e100,
                   1e-100,
                   5e-324,
                   1.7976931348623157e308,
                   2.2250738585072014e-308,
                   5010720000.0,
                   2500.0 / 989,
                   0.4555565768912584,
                   263435.19494204427,
                   3.1133250311332503,
                   0.09999999999999999,
                   9.999999999999999e22,
                   -9.999999999999999e-7,
                   999999999999999.9}) {
    INFO(x << " as " << mine(x));
    CHECK(check(x));
  }
  CHECK(mine(-0.0) == "0");
  CHECK(mine(1.7976931348623157e308) == "1.79769313486231e+308");  // down: up overflows
  CHECK(mine(9.999999999999999e22) == "1e+23");  // all nines carry into the exponent
  CHECK(mine(-9.999999999999999e-7) == "-1e-06");
  CHECK(mine(0.09999999999999999) == "0.1");              // into a leading zero
  CHECK(mine(999999999999999.9) == "1000000000000000");   // into a new integer digit
  CHECK(mine(1234567890123456.0) == "1234567890123460");  // 16 integer digits: the 16th is 0
  // A million random bit patterns: every finite double, any exponent.
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  int compared = 0, rounded = 0;
  for (int i = 0; i < 1000000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    double x;
    std::memcpy(&x, &state, sizeof x);
    if (!std::isfinite(x) || x == 0) continue;
    ++compared;
    if (mine(x) != fmt::format("{}", x)) ++rounded;
    if (!check(x)) FAIL("wrong for " << fmt::format("{}", x) << ": " << mine(x));
  }
  CHECK(compared > 990000);
  CHECK(rounded > compared / 2);  // most random doubles need 16 or 17 digits: the rule bites
}

TEST_CASE("write_number's fast path agrees with rounding the shortest text", "[format]") {
  // The fast path covers 1e-4 <= |x| < 1e15. Four kinds of numbers there: log-uniform
  // random doubles (16-17 digits), short decimals (k / 10^d), a sweep's products, and
  // numbers built to sit on a 15-digit rounding tie, with their neighbours an ulp away.
  auto both = [](double x) {
    char a[32], b[32];
    return std::pair{std::string(a, write_number(a, a + 32, x)),
                     std::string(b, write_number_by_text(b, b + 32, x))};
  };
  std::uint64_t state = 0x2545F4914F6CDD1Dull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<double>(state >> 11) * 0x1p-53;  // [0, 1)
  };
  std::size_t checked = 0;
  auto check = [&](double x) {
    const auto [fast, text] = both(x);
    ++checked;
    if (fast != text) FAIL(fmt::format("{}: fast {} against {}", x, fast, text));
  };
  for (int i = 0; i < 400000; ++i) {
    const double x = std::pow(10.0, -4 + 19 * next());
    check(x);
    check(-x);
  }
  for (int i = 0; i < 200000; ++i)
    check(std::floor(next() * 1e7) / std::pow(10.0, static_cast<int>(next() * 8)));
  for (int i = 0; i <= 2500; i += 7)
    for (int j = 0; j <= 1000; j += 3) {
      const double r = 220000 * 8760 * (1.5 + i * 0.001) * (0.5 + j * 0.0005);
      check(r);
      check(r / 6e9);
    }
  for (int i = 0; i < 100000; ++i) {
    // 15 digits and a 5: d.dddddddddddddd5 x 10^e, then one and two ulps either side.
    const double digits = std::floor(1e14 + next() * 9e14);
    const int e = static_cast<int>(next() * 18) - 4;
    const double x = (digits + 0.5) * std::pow(10.0, e - 14);
    double y = x;
    for (int u = 0; u < 3; ++u) {
      check(y);
      y = std::nextafter(y, 0.0);
    }
    y = std::nextafter(x, 1e300);
    check(y);
    check(std::nextafter(y, 1e300));
  }
  CHECK(checked > 1400000);
}

TEST_CASE("terminal_safe: control characters shown, our colours kept", "[format]") {
  // Our SGR codes pass: bold, a tag's colour, reset.
  CHECK(terminal_safe("\x1b[1mTitle\x1b[0m \x1b[32mprimary\x1b[0m") ==
        "\x1b[1mTitle\x1b[0m \x1b[32mprimary\x1b[0m");
  // An OSC title change (ESC ] 0; ... BEL) is text: ESC is 0x1b, BEL 0x07.
  CHECK(terminal_safe("a\x1b]0;pwned\x07z") == "a\\x1b]0;pwned\\x07z");
  // A cursor move is not a colour: ESC [ 2 J shown.
  CHECK(terminal_safe("\x1b[2J") == "\\x1b[2J");
  // DEL, CR and a C1 CSI (U+009B, UTF-8 C2 9B); line feed and tab stay.
  CHECK(terminal_safe("x\x7f\r\xc2\x9b\tz\n") == "x\\x7f\\x0d\\u009b\tz\n");
  // Other UTF-8 stays: an arrow (E2 86 92), a non-breaking space (C2 A0).
  CHECK(terminal_safe("reported \xe2\x86\x92 primary\xc2\xa0") ==
        "reported \xe2\x86\x92 primary\xc2\xa0");
}
