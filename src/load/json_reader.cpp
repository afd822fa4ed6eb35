// The strict JSON reader: nlohmann's SAX parser with every value's offset and pointer,
// and each refusal (duplicate keys, depth, overflow, control characters, comments) placed
// at the value or between members. One file because the positions and the refusals come
// from one parser state: splitting it would pass that state between files.
#include "leasecalc/load/json_reader.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>

namespace leasecalc::json {
namespace {

// The length of the valid UTF-8 sequence at text[i], or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto b = [&](std::size_t k) {
    return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u;
  };
  const unsigned c0 = b(0);
  auto cont = [&](std::size_t k) { return (b(k) & 0xC0u) == 0x80u; };
  if (c0 < 0x80) return 1;
  if (c0 >= 0xC2 && c0 <= 0xDF) return cont(1) ? 2 : 0;
  if (c0 >= 0xE0 && c0 <= 0xEF) {
    if ((c0 == 0xE0 && b(1) < 0xA0) || (c0 == 0xED && b(1) >= 0xA0)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c0 >= 0xF0 && c0 <= 0xF4) {
    if ((c0 == 0xF0 && b(1) < 0x90) || (c0 == 0xF4 && b(1) >= 0x90)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// A forward iterator over the text that publishes how far nlohmann's lexer has read, so
// the SAX handler knows the byte offset at every event.
class CountingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator() = default;
  CountingIterator(const char* p, const char** read) : p_(p), read_(read) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    *read_ = ++p_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& o) const { return p_ == o.p_; }

 private:
  const char* p_ = nullptr;
  const char** read_ = nullptr;
};

// The text with every byte that is not valid UTF-8 written as <0xNN>.
std::string printable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      out += fmt::format("<0x{:02x}>", static_cast<unsigned char>(text[i]));
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

bool number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Builds positioned Values from nlohmann's SAX events. Each event arrives right after
// its token is read (a number's one character of lookahead included), so a value's start
// is found from the read position: one back for '{' and '[', back to the opening quote
// for strings and keys, back over the token for numbers and literals.
class Builder : public nlohmann::json_sax<nlohmann::json> {
 public:
  Builder(std::string_view text, std::size_t max_depth, const char** read)
      : text_(text), max_depth_(max_depth), read_(read) {}

  std::optional<ParseError> error;
  Value root;

  bool null() override { return leaf(Kind::null, token_start()); }
  bool boolean(bool b) override {
    Value& v = add(Kind::boolean, token_start());
    v.boolean = b;
    return true;
  }
  bool number_integer(number_integer_t) override { return number(); }
  bool number_unsigned(number_unsigned_t) override { return number(); }
  bool number_float(number_float_t, const string_t&) override { return number(); }
  bool string(string_t& s) override {
    const std::size_t at = quote_start();
    if (s.find('\0') != std::string::npos)
      return fail(at, pointer_of_next(), "\\u0000 (NUL) is not allowed in strings");
    Value& v = add(Kind::string, at);
    v.text = std::move(s);
    return true;
  }
  bool binary(binary_t&) override { return true; }  // not produced by the JSON format

  bool start_object(std::size_t) override { return open(Kind::object); }
  bool start_array(std::size_t) override { return open(Kind::array); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    Value& object = *stack_.back();
    const std::size_t at = quote_start();
    for (std::size_t i = 0; i < object.keys.size(); ++i) {
      if (object.keys[i] == k) {
        const LineCol first = line_col(text_, object.key_offsets[i]);
        return fail(at, object.pointer + "/" + pointer_token(k),
                    fmt::format("duplicate key \"{}\" (first at line {}, column {}); a key may "
                                "appear once per object",
                                k, first.line, first.column));
      }
    }
    object.keys.push_back(std::move(k));
    object.key_offsets.push_back(at);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) override {
    // nlohmann counts the offending byte as read; at the end of the text there is none.
    std::size_t at = std::min(position > 0 ? position - 1 : 0, text_.size());
    std::string message = ex.what();
    bool in_value = true;
    bool syntax = true;
    if (ex.id == 406) {  // out_of_range: number overflow, reported after the number
      at = text_.rfind(last_token, at);
      message =
          fmt::format("number {} is too large to represent (above about 1.8e308)", last_token);
      syntax = false;
    } else if (text_.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      message = "empty document: expected a JSON value";
      syntax = false;
    } else if (text_.substr(at).starts_with("//") || text_.substr(at).starts_with("/*")) {
      message = "a comment: JSON has no comments (put notes in a \"note\" member)";
      in_value = false;
    } else {
      // "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error ..."
      if (const auto colon = message.find(": ", message.find("column "));
          colon != std::string::npos)
        message.erase(0, colon + 2);
      message = printable(message);
      // A whole string token read before the error: point at its start.
      if (last_token.size() >= 2 && last_token.front() == '"' && last_token.back() == '"') {
        const std::size_t start = text_.rfind(last_token, at);
        if (start != std::string_view::npos && start + last_token.size() == at + 1) at = start;
      }
      // Within a value the error is the value's; between members, the container's. A
      // string read in part (a control character in it) starts at its opening quote.
      in_value = at_a_value(string_start(at));
    }
    fail(at,
         in_value         ? pointer_of_next()
         : stack_.empty() ? ""
                          : stack_.back()->pointer,
         std::move(message));
    error->syntax = syntax;
    return false;
  }

 private:
  std::size_t read() const { return static_cast<std::size_t>(*read_ - text_.data()); }

  // The opening quote of the string token just read (its closing quote is the last byte).
  std::size_t quote_start() const {
    std::size_t i = read() - 1;  // the closing quote
    while (i > 0) {
      --i;
      if (text_[i] != '"') continue;
      std::size_t backslashes = 0;
      for (std::size_t j = i; j > 0 && text_[j - 1] == '\\'; --j)
        ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return 0;
  }

  // The start of the number or literal token just read, past any lookahead byte.
  std::size_t token_start() const {
    std::size_t end = read();
    while (end > 0 && !number_char(text_[end - 1]) &&
           !std::isalpha(static_cast<unsigned char>(text_[end - 1])))
      --end;
    std::size_t start = end;
    while (start > 0 && (number_char(text_[start - 1]) ||
                         std::isalpha(static_cast<unsigned char>(text_[start - 1]))))
      --start;
    return start;
  }

  bool number() {
    const std::size_t at = token_start();
    std::size_t end = at;
    while (end < text_.size() && number_char(text_[end]))
      ++end;
    const std::string_view digits = text_.substr(at, end - at);
    const std::string pointer = pointer_of_next();
    double x = 0;
    const auto [stop, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), x);
    if (ec == std::errc::result_out_of_range || stop != digits.data() + digits.size()) {
      // nlohmann takes an underflow as 0 (and reports an overflow itself): say so instead.
      return fail(at, pointer,
                  fmt::format("number {} is too small to represent (below about 1e-308)", digits));
    }
    Value& v = add(Kind::number, at);
    v.number = x;
    v.text = std::string(digits);
    v.integral = digits.find_first_of(".eE") == std::string_view::npos;
    return true;
  }

  // The opening quote of the string that `at` lies in, or `at` when it lies in none: the
  // text up to it read as JSON's lexer reads strings (quotes, backslash escapes).
  std::size_t string_start(std::size_t at) const {
    std::size_t open = std::string_view::npos;
    for (std::size_t i = 0; i < at && i < text_.size(); ++i) {
      if (open == std::string_view::npos) {
        if (text_[i] == '"') open = i;
      } else if (text_[i] == '\\') {
        ++i;  // the escaped character
      } else if (text_[i] == '"') {
        open = std::string_view::npos;
      }
    }
    return open == std::string_view::npos ? at : open;
  }

  // Whether the parser stood where a value goes when it failed at `at`: at the top, after a
  // member's ':', or in an array after '[' or ','. Read from the text and the open
  // containers, not from the parser's message.
  bool at_a_value(std::size_t at) const {
    if (stack_.empty()) return true;
    std::size_t i = std::min(at, text_.size());
    while (i > 0 && (text_[i - 1] == ' ' || text_[i - 1] == '\t' || text_[i - 1] == '\n' ||
                     text_[i - 1] == '\r'))
      --i;
    const char before = i > 0 ? text_[i - 1] : '\0';
    if (stack_.back()->kind == Kind::object) return before == ':';
    return before == '[' || before == ',';
  }

  // The pointer the next value gets: its key or index within the open container.
  std::string pointer_of_next() const {
    if (stack_.empty()) return "";
    const Value& parent = *stack_.back();
    if (parent.kind == Kind::object) {  // after a key; before one, the object's own pointer
      if (parent.keys.size() == parent.items.size()) return parent.pointer;
      return parent.pointer + "/" + pointer_token(parent.keys.back());
    }
    return fmt::format("{}/{}", parent.pointer, parent.items.size());
  }

  Value& add(Kind kind, std::size_t offset) {
    Value* v = &root;
    std::string pointer = pointer_of_next();
    if (!stack_.empty()) v = &stack_.back()->items.emplace_back();
    v->kind = kind;
    v->offset = offset;
    v->pointer = std::move(pointer);
    return *v;
  }
  bool leaf(Kind kind, std::size_t offset) {
    add(kind, offset);
    return true;
  }

  bool open(Kind kind) {
    const std::size_t at = read() - 1;
    if (stack_.size() >= max_depth_)
      return fail(at, pointer_of_next(), fmt::format("nesting deeper than {} levels", max_depth_));
    stack_.push_back(&add(kind, at));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  bool fail(std::size_t at, std::string pointer, std::string message) {
    error = ParseError{at, std::move(pointer), std::move(message)};
    return false;
  }

  std::string_view text_;
  std::size_t max_depth_;
  const char** read_;
  std::vector<Value*> stack_;  // open containers; items of the last never move while open
};

}  // namespace

const Value* Value::find(std::string_view key) const {
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

Value parse(std::string_view text, std::size_t max_depth) {
  const char* read = text.data();
  Builder builder(text, max_depth, &read);
  const CountingIterator first(text.data(), &read), last(text.data() + text.size(), &read);
  if (!nlohmann::json::sax_parse(first, last, &builder) || builder.error) {
    if (builder.error) throw std::move(*builder.error);
    throw ParseError{0, "", "invalid JSON"};
  }
  return std::move(builder.root);
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string_view kind_name(Kind kind) {
  static constexpr std::string_view names[] = {"null",     "a boolean", "a number",
                                               "a string", "an array",  "an object"};
  return names[static_cast<std::size_t>(kind)];
}

std::size_t value_end(std::string_view text, std::size_t offset) {
  std::size_t i = offset;
  auto skip_string = [&] {  // from the opening quote to past the closing one
    for (++i; i < text.size() && text[i] != '"'; ++i)
      if (text[i] == '\\') ++i;
    ++i;
  };
  if (i >= text.size()) return i;
  if (text[i] == '"') {
    skip_string();
    return i;
  }
  if (text[i] == '{' || text[i] == '[') {
    int depth = 0;
    while (i < text.size()) {
      const char c = text[i];
      if (c == '"') {
        skip_string();
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') --depth;
      ++i;
      if (depth == 0) return i;
    }
    return i;
  }
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '-' ||
                             text[i] == '+' || text[i] == '.'))
    ++i;
  return i;
}

namespace {

// The column of `offset` on a line starting at `start`: characters, not UTF-8
// continuation bytes.
std::size_t column_of(std::string_view text, std::size_t start, std::size_t offset) {
  std::size_t column = 1;
  for (std::size_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  return column;
}

}  // namespace

LineCol line_col(std::string_view text, std::size_t offset) { return LineIndex(text).at(offset); }

LineIndex::LineIndex(std::string_view text) : text_(text), starts_{0} {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i % k_block == 0) blocks_.push_back(characters);
    if (text[i] == '\n') starts_.push_back(i + 1);
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++characters;
  }
  blocks_.push_back(characters);  // for the offset at the end of a text of whole blocks
}

std::size_t LineIndex::characters_before(std::size_t offset) const {
  const std::size_t block = offset / k_block;
  return blocks_[block] + column_of(text_, block * k_block, offset) - 1;
}

LineCol LineIndex::at(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto next = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::size_t>(next - starts_.begin());  // 1-based
  return {line, 1 + characters_before(offset) - characters_before(starts_[line - 1])};
}

std::string source_line(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::size_t begin = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  std::size_t from = (begin == std::string_view::npos || text[begin] != '\n') ? 0 : begin + 1;
  if (offset > 0 && offset <= text.size() && text[offset - 1] == '\n' && offset - 1 == begin)
    from = offset;
  std::size_t to = text.find('\n', from);
  if (to == std::string_view::npos) to = text.size();
  if (to > from && text[to - 1] == '\r') --to;
  // A window of at most 76 characters around the offset, on UTF-8 boundaries.
  auto chars = [&](std::size_t a, std::size_t b) {
    std::size_t n = 0;
    for (std::size_t i = a; i < b; ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
    return n;
  };
  auto back = [&](std::size_t i, std::size_t n) {
    while (i > from && n > 0) {
      --i;
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) --n;
    }
    return i;
  };
  auto forward = [&](std::size_t i, std::size_t n) {
    while (i < to && n > 0) {
      ++i;
      while (i < to && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
        ++i;
      --n;
    }
    return i;
  };
  const std::size_t at = std::min(offset, to);
  const std::size_t a = chars(from, at) > 40 ? back(at, 36) : from;
  const std::size_t b = forward(at, 36);
  std::string line = a > from ? "..." : "";
  for (std::size_t i = a; i < b;) {
    // Control characters and bytes that are not UTF-8 show as one column each.
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_length(text, i);
    if (n == 0 || (c < 0x20 && c != '\t')) {
      line += n == 0 ? '?' : ' ';
      ++i;
    } else {
      line.append(text.substr(i, n));
      i += n;
    }
  }
  if (b < to) line += "...";
  std::string caret(a > from ? 3 : 0, ' ');
  for (std::size_t i = a; i < at; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) caret += c == '\t' ? '\t' : ' ';
  }
  return line + "\n" + caret + "^";
}

}  // namespace leasecalc::json
