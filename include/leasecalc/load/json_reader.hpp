// A strict RFC 8259 JSON reader that remembers where every value starts.
//
// nlohmann_json's SAX parser does the parsing (it keeps an explicit state stack, so deep
// input cannot overflow ours); our handler builds positioned Values from its events,
// rejects duplicate keys in key(), bounds the depth in start_object/start_array, and
// learns the byte offset of every event from a counting input iterator. Error messages
// name FILE:LINE:COL and the JSON pointer of any bad value.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace leasecalc::json {

enum class Kind { null, boolean, number, string, array, object };

struct Value {
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;              // for numbers: the value, always finite
  bool integral = false;          // for numbers: written without fraction or exponent
  std::string text;               // for strings: the decoded text; for numbers: the source text
  std::vector<Value> items;       // array items, or object member values
  std::vector<std::string> keys;  // object member keys, parallel to items
  std::vector<std::size_t> key_offsets;  // byte offset of each key's opening quote
  std::size_t offset = 0;                // byte offset of the value's first character
  std::string pointer;                   // JSON pointer of this value ("" for the root)

  // The member named `key`, or nullptr. Only for objects.
  const Value* find(std::string_view key) const;
};

// A document that is not the strict JSON leasecalc reads: where (a byte offset and the
// pointer), what, and whether the parser itself found it (shown with the line and a
// caret). The reader that knows the file turns it into an InputError at its line and
// column (load/reader.hpp).
struct ParseError : std::runtime_error {
  ParseError(std::size_t at, std::string at_pointer, std::string what, bool by_parser = false)
      : std::runtime_error(what),
        offset(at),
        pointer(std::move(at_pointer)),
        message(std::move(what)),
        syntax(by_parser) {}
  std::size_t offset;
  std::string pointer;
  std::string message;
  bool syntax;  // from the parser itself: show the line with a caret (source_line)
};

inline constexpr std::size_t k_max_depth = 64;

// Parses `text` as one JSON document. Rejects duplicate keys, nesting deeper than
// `max_depth`, numbers that overflow a double, control characters and invalid UTF-8.
// Throws ParseError.
Value parse(std::string_view text, std::size_t max_depth = k_max_depth);

// The byte offset just past the value that starts at `offset` in `text`, a document that
// parse() accepted.
std::size_t value_end(std::string_view text, std::size_t offset);

// One JSON pointer token, escaped per RFC 6901.
std::string pointer_token(std::string_view key);

// Human name of a kind, for messages: "a number", "an object", ...
std::string_view kind_name(Kind kind);

// 1-based line and column (in characters) of a byte offset.
struct LineCol {
  std::size_t line;
  std::size_t column;
};
LineCol line_col(std::string_view text, std::size_t offset);

// line_col for many offsets of one text: its lines, and its characters every 4 KiB, counted
// once (a file of 10,000 tenants, perhaps on one line, asks for a position per figure).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  LineCol at(std::size_t offset) const;

 private:
  std::size_t characters_before(std::size_t offset) const;
  static constexpr std::size_t k_block = 4096;
  std::string_view text_;
  std::vector<std::size_t> starts_;  // the offset of each line's first byte
  std::vector<std::size_t> blocks_;  // characters before each k_block-th byte
};

// The line holding `offset` (a window of it when long) and a caret under the offset, on
// two lines, as ninja shows a syntax error.
std::string source_line(std::string_view text, std::size_t offset);

}  // namespace leasecalc::json
