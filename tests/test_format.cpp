// The formatter layer: human units, exact numbers, CSV/TSV/Markdown and the text table.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <cstring>
#include <sstream>

#include "leasecalc/format.hpp"
#include "leasecalc/text.hpp"

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

TEST_CASE("plain and grouped numbers", "[format]") {
  CHECK(plain_number(5010720000.0) == "5010720000");
  CHECK(plain_number(0.1) == "0.1");
  CHECK(plain_number(-0.0) == "0");
  CHECK(plain_number(2500.0 / 989) == "2.5278058645096055");  // round-trips: 17 digits here
  CHECK(std::stod(plain_number(2500.0 / 989)) == 2500.0 / 989);
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

TEST_CASE("write_number gives fmt's shortest round-trip text", "[format]") {
  auto mine = [](double x) {
    char buf[32];
    return std::string(buf, write_number(buf, buf + sizeof buf, x));
  };
  // Edge cases of each layout branch: fixed, fraction, leading zeros, both exponent forms.
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
                   3.1133250311332503}) {
    INFO(x);
    CHECK(mine(x) == fmt::format("{}", x));
    CHECK(std::strtod(mine(x).c_str(), nullptr) == x);  // and it reads back exactly
  }
  CHECK(mine(-0.0) == "0");
  // A million random bit patterns: every finite double, any exponent.
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  int compared = 0;
  for (int i = 0; i < 1000000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    double x;
    std::memcpy(&x, &state, sizeof x);
    if (!std::isfinite(x) || x == 0) continue;
    ++compared;
    if (mine(x) != fmt::format("{}", x)) {
      FAIL("differs for " << fmt::format("{}", x) << ": " << mine(x));
    }
  }
  CHECK(compared > 990000);
}
