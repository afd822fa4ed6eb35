// The strict JSON reader: positions, pointers and every rejection it makes.
#include <catch2/catch.hpp>

#include "leasecalc/json_reader.hpp"

using namespace leasecalc;

namespace {
json::Value ok(std::string_view text) {
  auto r = json::parse(text);
  REQUIRE(std::holds_alternative<json::Value>(r));
  return std::get<json::Value>(std::move(r));
}
json::ParseError bad(std::string_view text, std::size_t max_depth = json::k_max_depth) {
  auto r = json::parse(text, max_depth);
  REQUIRE(std::holds_alternative<json::ParseError>(r));
  return std::get<json::ParseError>(std::move(r));
}
}  // namespace

TEST_CASE("values know their offset and JSON pointer", "[json]") {
  const std::string text = "{\n  \"a\": [1, {\"b/c\": true}],\n  \"d~\": \"x\"\n}";
  const json::Value v = ok(text);
  REQUIRE(v.kind == json::Kind::object);
  const json::Value* a = v.find("a");
  REQUIRE(a);
  CHECK(a->pointer == "/a");
  CHECK(a->offset == text.find('['));
  const json::Value& inner = a->items[1].items[0];
  CHECK(inner.pointer == "/a/1/b~1c");  // RFC 6901: '/' is escaped as ~1
  CHECK(inner.boolean);
  CHECK(v.find("d~")->pointer == "/d~0");
  // "d~" sits on line 3; its value "x" starts at column 9: two spaces, "d~" in quotes (4), ':' and
  // a space.
  const auto lc = json::line_col(text, v.find("d~")->offset);
  CHECK(lc.line == 3);
  CHECK(lc.column == 9);
}

TEST_CASE("columns count characters, not UTF-8 bytes", "[json]") {
  const std::string text = "{\"é\": 1}";  // é is 2 bytes
  const json::Value v = ok(text);
  // '{' '"' 'é' '"' ':' ' ' then '1': the 1 is the 7th character, at byte offset 7.
  CHECK(v.items[0].offset == 7);
  CHECK(json::line_col(text, 7).column == 7);
}

TEST_CASE("numbers keep their source text and reject what a double cannot hold", "[json]") {
  const json::Value v = ok("[0, -0.5, 1.5e5, 42, 1e-5]");
  CHECK(v.items[0].integral);
  CHECK(v.items[1].number == -0.5);
  CHECK_FALSE(v.items[2].integral);
  CHECK(v.items[2].number == 150000);
  CHECK(v.items[3].text == "42");
  CHECK(v.items[4].number == Approx(0.00001));

  CHECK(bad("[1e400]").message == "number 1e400 is too large to represent (above about 1.8e308)");
  CHECK(bad("[1e-400]").message == "number 1e-400 is too small to represent (below about 1e-308)");
  CHECK(bad("[012]").message == "invalid number: leading zeros are not allowed");
  CHECK(bad("[1.]").message == "invalid number: expected a digit after '.'");
  CHECK(bad("[-]").message == "invalid number: expected a digit after '-'");
  CHECK(bad("[1e]").message == "invalid number: expected a digit in the exponent");
  CHECK(bad("[0x10]").message == "expected ',' or ']' after an array item, got 'x'");
  CHECK(bad("[+1]").message == "unexpected '+': expected a value");
}

TEST_CASE("NaN, Infinity and other non-JSON literals are rejected by name", "[json]") {
  const auto e = bad("{\"x\": NaN}");
  CHECK(e.message ==
        "invalid literal 'NaN': JSON allows only true, false, null, numbers, strings, arrays and "
        "objects");
  CHECK(e.offset == 6);
  CHECK(e.pointer == "/x");
  CHECK(bad("[Infinity]").message.starts_with("invalid literal 'Infinity'"));
  CHECK(bad("[truex]").message.starts_with("invalid literal 'truex'"));
}

TEST_CASE("duplicate keys are an error at the second one", "[json]") {
  const std::string text = "{\"a\": 1,\n \"a\": 2}";
  const auto e = bad(text);
  CHECK(e.message ==
        "duplicate key \"a\" (first at line 1, column 2); a key may appear once per object");
  CHECK(e.pointer == "/a");
  CHECK(json::line_col(text, e.offset).line == 2);
  CHECK(json::line_col(text, e.offset).column == 2);
}

TEST_CASE("nesting is capped", "[json]") {
  std::string deep(10, '[');
  deep += std::string(10, ']');
  CHECK_NOTHROW(ok(deep));
  const auto e = bad(deep, 5);
  CHECK(e.message == "nesting deeper than 5 levels");
  CHECK(e.offset == 5);  // the sixth '[' opens level 6
  CHECK(e.pointer == "/0/0/0/0/0");
  // Far deeper than the default cap: an error, not a stack overflow.
  CHECK(bad(std::string(100000, '[')).message == "nesting deeper than 64 levels");
}

TEST_CASE("syntax errors say what was expected and where", "[json]") {
  CHECK(bad("").message == "empty document: expected a JSON value");
  CHECK(bad("  \n ").message == "empty document: expected a JSON value");
  CHECK(bad("{\"a\" 1}").message == "expected ':' after key \"a\", got '1'");
  CHECK(bad("{\"a\": 1 \"b\": 2}").message ==
        "expected ',' or '}' after an object member, got '\"'");
  CHECK(bad("{\"a\": 1,}").message == "expected a string key in double quotes, got '}'");
  CHECK(bad("{'a': 1}").message == "expected a string key in double quotes, got '''");
  CHECK(bad("[1, 2").message == "expected ',' or ']' after an array item, got end of file");
  CHECK(bad("{} x").message == "unexpected 'x' after the JSON value");
  CHECK(bad("\"abc").message == "unterminated string: missing the closing '\"'");
  CHECK(bad(std::string("[1,\0 2]", 7)).message == "unexpected NUL byte: expected a value");
}

TEST_CASE("strings: escapes, control characters and UTF-8", "[json]") {
  CHECK(ok(R"(["a\"b\\c\/\n\u00e9\ud83d\ude00"])").items[0].text ==
        "a\"b\\c/\n\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(bad("[\"a\tb\"]").message ==
        "control character 0x09 inside a string: escape it (\\n, \\t, \\u00XX)");
  CHECK(bad("[\"\\x\"]").message ==
        "invalid escape '\\x': allowed are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
  CHECK(bad("[\"\xC3\x28\"]").message == "invalid UTF-8 (byte 0xc3)");
  CHECK(bad("[\"\xED\xA0\x80\"]").message == "invalid UTF-8 (byte 0xed)");  // an encoded surrogate
  CHECK(bad("[\"\xC0\xAF\"]").message == "invalid UTF-8 (byte 0xc0)");      // overlong '/'
  CHECK(bad(R"(["\ud800x"])").message ==
        "invalid \\u escape: a high surrogate must be followed by a low one");
  CHECK(bad(R"(["\u0000"])").message == "\\u0000 (NUL) is not allowed in strings");
  CHECK(ok("\xEF\xBB\xBF{}").kind == json::Kind::object);  // a UTF-8 BOM is skipped
}
