// The strict JSON reader: positions, pointers and every rejection it makes.
#include <catch2/catch.hpp>

#include "leasecalc/load/json_reader.hpp"

using namespace leasecalc;

namespace {
json::Value ok(std::string_view text) { return json::parse(text); }
json::ParseError bad(std::string_view text, std::size_t max_depth = json::k_max_depth) {
  try {
    json::parse(text, max_depth);
  } catch (const json::ParseError& e) {
    return e;
  }
  FAIL("parsed: " << text);
  throw std::logic_error("unreachable");
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

TEST_CASE("a line index gives every offset the position a count from the start gives", "[json]") {
  // Lines of 0, 1 and 9,000 bytes (more than two of the index's 4,096-byte blocks), with
  // 2-byte and 3-byte characters on both sides of a block's edge.
  std::string text = "\n\na\n";
  for (int i = 0; i < 3000; ++i)
    text += i % 2 ? "x\xc3\xa9" : "\xe2\x82\xacy";  // "xé" (3 bytes), "€y" (4 bytes)
  text += "\nz";
  // The position by counting from the start: lines at '\n', columns in characters.
  auto counted = [&](std::size_t offset) {
    json::LineCol lc{1, 1};
    for (std::size_t i = 0; i < std::min(offset, text.size()); ++i)
      if (text[i] == '\n')
        lc = {lc.line + 1, 1};
      else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
        ++lc.column;
    return lc;
  };
  const json::LineIndex index(text);
  for (std::size_t offset = 0; offset <= text.size() + 1; ++offset) {
    const auto a = counted(offset);
    const auto b = index.at(offset);
    INFO("offset " << offset);
    REQUIRE(a.line == b.line);
    REQUIRE(a.column == b.column);
  }
  // The last line: "z" after 3 lines and a line of 3,000 x 2 = 6,000 characters.
  CHECK(index.at(text.size() - 1).line == 5);
  CHECK(index.at(text.size() - 2).column == 6001);  // the long line's newline
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
  CHECK(bad("[1e400]").offset == 1);  // the number, not the byte after it
  CHECK(bad("[1e-400]").message == "number 1e-400 is too small to represent (below about 1e-308)");
  // The number grammar is nlohmann's; its wording comes through, at the number.
  for (const char* text : {"[012]", "[1.]", "[-]", "[1e]", "[0x10]", "[+1]"}) {
    INFO(text);
    const auto e = bad(text);
    CHECK(e.syntax);
    CHECK(e.message.starts_with("syntax error while parsing "));
  }
  CHECK(bad("[1.]").message.find("expected digit after '.'") != std::string::npos);
  CHECK(bad("[1e]").message.find("expected '+', '-', or digit after exponent") !=
        std::string::npos);
}

TEST_CASE("NaN, Infinity and other non-JSON literals are rejected at the value", "[json]") {
  const auto e = bad("{\"x\": NaN}");
  CHECK(e.message == "syntax error while parsing value - invalid literal; last read: '\"x\": N'");
  CHECK(e.offset == 6);  // the N
  CHECK(e.pointer == "/x");
  CHECK(bad("[Infinity]").message.find("invalid literal") != std::string::npos);
  CHECK(bad("[truex]").message.find("invalid literal") != std::string::npos);
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
  CHECK_FALSE(bad("").syntax);  // no line to show a caret under
  const auto colon = bad("{\"a\" 1}");
  CHECK(colon.message ==
        "syntax error while parsing object separator - unexpected number literal; expected ':'");
  CHECK(colon.offset == 5);  // the 1
  const auto comma = bad("{\"a\": 1 \"b\": 2}");
  CHECK(comma.message ==
        "syntax error while parsing object - unexpected string literal; expected '}'");
  CHECK(comma.offset == 8);  // the opening quote of "b": {"a": 1 is bytes 0-6, a space
  CHECK(comma.pointer == "");
  CHECK(bad("{\"a\": 1,}").message ==
        "syntax error while parsing object key - unexpected '}'; expected string literal");
  CHECK(bad("[1, 2").message.find("unexpected end of input") != std::string::npos);
  CHECK(bad("{} x").message.find("expected end of input") != std::string::npos);
  CHECK(bad("\"abc").message.find("missing closing quote") != std::string::npos);
  CHECK(bad("{\n  // a note\n}").message ==
        "a comment: JSON has no comments (put notes in a \"note\" member)");
}

TEST_CASE("a syntax error quoting the words of its context is placed by the parser's state",
          "[json]") {
  // Found by the fuzzer: the quoted input said "while parsing value", inside an object
  // with no key yet. The error is the inner object's.
  const auto e = bad("{\"while parsing value\": { $}}");
  CHECK(e.message.starts_with("syntax error while parsing object key - invalid literal"));
  CHECK(e.pointer == "/while parsing value");
}

TEST_CASE("a syntax error shows its line with a caret, a window of a long one", "[json]") {
  CHECK(json::source_line("{\n  \"a\": x\n}", 9) == "  \"a\": x\n       ^");  // the x
  const std::string text = "[" + std::string(100, '1') + ", x]";
  // Offset 103 is the x: the window shows 36 characters before it after "...".
  CHECK(json::source_line(text, 103) ==
        "..." + std::string(34, '1') + ", x]\n" + std::string(3 + 36, ' ') + "^");
  CHECK(json::source_line("[\"caf\xE9\"]", 1) == "[\"caf?\"]\n ^");  // not UTF-8: '?'
}

TEST_CASE("strings: escapes, control characters and UTF-8", "[json]") {
  CHECK(ok(R"(["a\"b\\c\/\n\u00e9\ud83d\ude00"])").items[0].text ==
        "a\"b\\c/\n\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(bad("[\"a\tb\"]").message.find("control character U+0009 (HT) must be escaped") !=
        std::string::npos);
  CHECK(bad("[\"\\x\"]").message.find("forbidden character after backslash") != std::string::npos);
  // Bytes that are not UTF-8 are named, never echoed raw.
  CHECK(bad("[\"\xC3\x28\"]").message.find("ill-formed UTF-8 byte; last read: '\"<0xc3>") !=
        std::string::npos);
  CHECK(bad("[\"\xED\xA0\x80\"]").message.find("ill-formed UTF-8") != std::string::npos);
  CHECK(bad("[\"\xC0\xAF\"]").message.find("ill-formed UTF-8") != std::string::npos);
  CHECK(bad(R"(["\ud800x"])").message.find("surrogate") != std::string::npos);
  CHECK(bad(R"(["\u0000"])").message == "\\u0000 (NUL) is not allowed in strings");
  CHECK(bad(R"(["\u0000"])").offset == 1);
  CHECK(ok("\xEF\xBB\xBF{}").kind == json::Kind::object);  // a UTF-8 BOM is skipped
}
