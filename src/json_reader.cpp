#include "leasecalc/json_reader.hpp"

#include <fmt/format.h>
#include <charconv>
#include <cmath>

namespace leasecalc::json {
namespace {

struct Failure {
  ParseError error;
};

std::string describe(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return "end of file";
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c == 0) return "NUL byte";
  if (c < 0x20) return fmt::format("control character 0x{:02x}", c);
  if (c >= 0x80) return fmt::format("byte 0x{:02x}", c);
  return fmt::format("'{}'", static_cast<char>(c));
}

class Parser {
 public:
  Parser(std::string_view text, std::size_t max_depth) : text_(text), max_depth_(max_depth) {}

  Value document() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark
    skip_ws();
    if (pos_ >= text_.size()) fail(pos_, "", "empty document: expected a JSON value");
    Value root = value("", 1);
    skip_ws();
    if (pos_ < text_.size())
      fail(pos_, "", fmt::format("unexpected {} after the JSON value", describe(text_, pos_)));
    return root;
  }

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& pointer, std::string message) {
    throw Failure{ParseError{at, pointer, std::move(message)}};
  }

  void skip_ws() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  Value value(const std::string& pointer, std::size_t depth) {
    if (pos_ >= text_.size()) fail(pos_, pointer, "unexpected end of file: expected a value");
    Value v;
    v.offset = pos_;
    v.pointer = pointer;
    const char c = text_[pos_];
    if (c == '{' || c == '[') {
      if (depth > max_depth_)
        fail(pos_, pointer, fmt::format("nesting deeper than {} levels", max_depth_));
      if (c == '{')
        object(v, depth);
      else
        array(v, depth);
    } else if (c == '"') {
      v.kind = Kind::string;
      v.text = string(pointer);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      number(v);
    } else if (literal("true")) {
      v.kind = Kind::boolean;
      v.boolean = true;
    } else if (literal("false")) {
      v.kind = Kind::boolean;
    } else if (literal("null")) {
      v.kind = Kind::null;
    } else {
      std::size_t end = pos_;
      while (end < text_.size() && std::isalpha(static_cast<unsigned char>(text_[end])))
        ++end;
      if (end > pos_)
        fail(pos_, pointer,
             fmt::format("invalid literal '{}': JSON allows only true, false, null, "
                         "numbers, strings, arrays and objects",
                         text_.substr(pos_, std::min<std::size_t>(end - pos_, 20))));
      if (text_.substr(pos_, 2) == "//" || text_.substr(pos_, 2) == "/*")
        fail(pos_, pointer, "a comment: JSON has no comments (put notes in a \"note\" member)");
      fail(pos_, pointer, fmt::format("unexpected {}: expected a value", describe(text_, pos_)));
    }
    return v;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    const std::size_t end = pos_ + word.size();
    if (end < text_.size() && std::isalnum(static_cast<unsigned char>(text_[end]))) return false;
    pos_ = end;
    return true;
  }

  void object(Value& v, std::size_t depth) {
    v.kind = Kind::object;
    ++pos_;
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return;
    }
    std::vector<std::size_t>& key_offsets = v.key_offsets;
    while (true) {
      skip_ws();
      if (text_.substr(pos_, 2) == "//" || text_.substr(pos_, 2) == "/*")
        fail(pos_, v.pointer, "a comment: JSON has no comments (put notes in a \"note\" member)");
      if (pos_ >= text_.size() || text_[pos_] != '"')
        fail(pos_, v.pointer,
             fmt::format("expected a string key in double quotes, got {}", describe(text_, pos_)));
      const std::size_t key_at = pos_;
      std::string key = string(v.pointer);
      for (std::size_t i = 0; i < v.keys.size(); ++i) {
        if (v.keys[i] == key) {
          const LineCol first = line_col(text_, key_offsets[i]);
          fail(key_at, v.pointer + "/" + pointer_token(key),
               fmt::format("duplicate key \"{}\" (first at line {}, column {}); a key may "
                           "appear once per object",
                           key, first.line, first.column));
        }
      }
      skip_ws();
      if (pos_ >= text_.size() || text_[pos_] != ':')
        fail(pos_, v.pointer,
             fmt::format("expected ':' after key \"{}\", got {}", key, describe(text_, pos_)));
      ++pos_;
      skip_ws();
      std::string child = v.pointer + "/" + pointer_token(key);
      v.items.push_back(value(child, depth + 1));
      v.keys.push_back(std::move(key));
      key_offsets.push_back(key_at);
      skip_ws();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return;
      }
      fail(pos_, v.pointer,
           fmt::format("expected ',' or '}}' after an object member, got {}",
                       describe(text_, pos_)));
    }
  }

  void array(Value& v, std::size_t depth) {
    v.kind = Kind::array;
    ++pos_;
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return;
    }
    while (true) {
      skip_ws();
      v.items.push_back(value(fmt::format("{}/{}", v.pointer, v.items.size()), depth + 1));
      skip_ws();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return;
      }
      fail(pos_, v.pointer,
           fmt::format("expected ',' or ']' after an array item, got {}", describe(text_, pos_)));
    }
  }

  void number(Value& v) {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
        ++pos_;
      return pos_ - from;
    };
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
        fail(start, v.pointer, "invalid number: leading zeros are not allowed");
    } else if (digits() == 0) {
      fail(start, v.pointer, "invalid number: expected a digit after '-'");
    }
    bool integral = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      integral = false;
      ++pos_;
      if (digits() == 0) fail(start, v.pointer, "invalid number: expected a digit after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integral = false;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) fail(start, v.pointer, "invalid number: expected a digit in the exponent");
    }
    v.kind = Kind::number;
    v.integral = integral;
    v.text = std::string(text_.substr(start, pos_ - start));
    const auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), v.number);
    if (ec == std::errc::result_out_of_range || !std::isfinite(v.number)) {
      // from_chars reports underflow as out of range too; a tiny number is taken as zero.
      bool tiny = false;
      for (char c : v.text.substr(0, v.text.find_first_of("eE")))
        if (c >= '1' && c <= '9') tiny = true;
      const auto epos = v.text.find_first_of("eE");
      if (epos != std::string::npos && v.text[epos + 1] == '-' && tiny) {
        fail(start, v.pointer,
             fmt::format("number {} is too small to represent (below about 1e-308)", v.text));
      }
      fail(start, v.pointer,
           fmt::format("number {} is too large to represent (above about 1.8e308)", v.text));
    }
    if (ec != std::errc() || end != v.text.data() + v.text.size())
      fail(start, v.pointer, fmt::format("invalid number {}", v.text));
  }

  unsigned hex4(const std::string& pointer) {
    if (pos_ + 4 > text_.size()) fail(pos_, pointer, "unexpected end of file in a \\u escape");
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      code <<= 4;
      if (c >= '0' && c <= '9')
        code |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        code |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        code |= static_cast<unsigned>(c - 'A' + 10);
      else
        fail(pos_ - 1, pointer, "invalid \\u escape: expected four hex digits");
    }
    return code;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Length of the valid UTF-8 sequence at pos_, or 0.
  std::size_t utf8_length() const {
    const auto b = [&](std::size_t i) {
      return pos_ + i < text_.size() ? static_cast<unsigned char>(text_[pos_ + i]) : 0u;
    };
    const unsigned c0 = b(0);
    auto cont = [&](std::size_t i) { return (b(i) & 0xC0u) == 0x80u; };
    if (c0 >= 0xC2 && c0 <= 0xDF) return cont(1) ? 2 : 0;
    if (c0 >= 0xE0 && c0 <= 0xEF) {
      const unsigned c1 = b(1);
      if (c0 == 0xE0 && c1 < 0xA0) return 0;   // overlong
      if (c0 == 0xED && c1 >= 0xA0) return 0;  // surrogates
      return cont(1) && cont(2) ? 3 : 0;
    }
    if (c0 >= 0xF0 && c0 <= 0xF4) {
      const unsigned c1 = b(1);
      if (c0 == 0xF0 && c1 < 0x90) return 0;
      if (c0 == 0xF4 && c1 >= 0x90) return 0;
      return cont(1) && cont(2) && cont(3) ? 4 : 0;
    }
    return 0;
  }

  std::string string(const std::string& pointer) {
    const std::size_t start = pos_;
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size())
        fail(start, pointer, "unterminated string: missing the closing '\"'");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20)
        fail(pos_, pointer,
             fmt::format("{} inside a string: escape it (\\n, \\t, \\u00XX)",
                         describe(text_, pos_)));
      if (c == '\\') {
        ++pos_;
        if (pos_ >= text_.size()) fail(start, pointer, "unterminated string after '\\'");
        const char e = text_[pos_++];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            unsigned cp = hex4(pointer);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (text_.substr(pos_, 2) != "\\u")
                fail(pos_, pointer,
                     "invalid \\u escape: a high surrogate must be followed by a low one");
              pos_ += 2;
              const unsigned low = hex4(pointer);
              if (low < 0xDC00 || low > 0xDFFF)
                fail(pos_ - 6, pointer, "invalid \\u escape: expected a low surrogate");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fail(pos_ - 6, pointer, "invalid \\u escape: a lone low surrogate");
            }
            if (cp == 0) fail(pos_ - 6, pointer, "\\u0000 (NUL) is not allowed in strings");
            append_utf8(out, cp);
            break;
          }
          default:
            fail(pos_ - 2, pointer,
                 fmt::format(
                     "invalid escape '\\{}': allowed are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                     e));
        }
        continue;
      }
      if (c < 0x80) {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      const std::size_t n = utf8_length();
      if (n == 0) fail(pos_, pointer, fmt::format("invalid UTF-8 ({})", describe(text_, pos_)));
      out.append(text_.substr(pos_, n));
      pos_ += n;
    }
  }

  std::string_view text_;
  std::size_t max_depth_;
  std::size_t pos_ = 0;
};

}  // namespace

const Value* Value::find(std::string_view key) const {
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &items[i];
  return nullptr;
}

std::variant<Value, ParseError> parse(std::string_view text, std::size_t max_depth) {
  try {
    return Parser(text, max_depth).document();
  } catch (Failure& f) {
    return std::move(f.error);
  }
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
  switch (kind) {
    case Kind::null:
      return "null";
    case Kind::boolean:
      return "a boolean";
    case Kind::number:
      return "a number";
    case Kind::string:
      return "a string";
    case Kind::array:
      return "an array";
    case Kind::object:
      return "an object";
  }
  return "a value";
}

LineCol line_col(std::string_view text, std::size_t offset) {
  LineCol lc{1, 1};
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++lc.line;
      lc.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++lc.column;  // count characters, not UTF-8 continuation bytes
    }
  }
  return lc;
}

}  // namespace leasecalc::json
