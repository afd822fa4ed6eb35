// The loaders' reading layer: a parsed JSON document walked with every problem turned
// into an InputError at the value (FILE:LINE:COL: /pointer), and figures read with the
// key table's domains, units and tags. Private to src/load/.
#pragma once

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/load/json_reader.hpp"
#include "leasecalc/model/keys.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::load {

using json::Kind;
using json::Value;

inline std::string indent(const std::string& lines) {
  std::string out = "  ";
  for (char c : lines) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

// Walks a parsed document and turns every problem into an InputError at the value.
class Reader {
 public:
  Reader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  const std::string& file() const { return file_; }

  Value parse() const {
    try {
      return json::parse(text_);
    } catch (const json::ParseError& err) {
      const auto lc = line_col(err.offset);
      throw InputError(file_, {lc.line, lc.column, err.pointer},
                       "invalid JSON: " + err.message +
                           (err.syntax ? "\n" + indent(json::source_line(text_, err.offset)) : ""));
    }
  }

  Location where(const Value& v) const {
    const auto lc = line_col(v.offset);
    return {lc.line, lc.column, v.pointer};
  }

  // A figure key as the file gives it, the new one for an old key (lease.discount is
  // lease.price_discount), with a notice at its place (README "Figures, tags and units").
  std::string current_key(const Value& at, std::string key,
                          std::vector<std::string>& notices) const {
    const auto now = renamed_key(key);
    if (!now) return key;
    notice(at, renamed_notice(key, *now), notices);
    return *now;
  }

  // A notice at `at`, as the command layer says it: "FILE:LINE:COL: /pointer: message".
  void notice(const Value& at, const std::string& message,
              std::vector<std::string>& notices) const {
    const Location w = where(at);
    notices.push_back(fmt::format("{}:{}:{}: {}: {}", file_, w.line, w.column, w.pointer, message));
  }

  [[noreturn]] void fail(const Value& at, std::string message) const {
    throw InputError(file_, where(at), std::move(message));
  }
  // Runs f; a ValueError it throws (a bad value, its place unknown there) becomes this
  // file's InputError at `v`.
  template <class F>
  decltype(auto) at(const Value& v, F&& f) const {
    try {
      return f();
    } catch (const ValueError& e) {
      fail(v, e.what());
    }
  }

  void expect(const Value& v, Kind kind) const {
    if (v.kind != kind)
      fail(v, fmt::format("must be {}, got {}", json::kind_name(kind), json::kind_name(v.kind)));
  }

  // Rejects keys not in `allowed`, with a "did you mean" for likely typos. A "note", which
  // is only shown, is checked here too: it must be a string.
  void only_keys(const Value& object, const std::vector<std::string>& allowed) const {
    for (std::size_t i = 0; i < object.keys.size(); ++i) {
      const std::string& key = object.keys[i];
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      const std::string hint = suggestion(key, allowed);
      const auto lc = line_col(object.key_offsets[i]);
      throw InputError(
          file_, {lc.line, lc.column, object.items[i].pointer},
          fmt::format("unknown key \"{}\"{}; allowed here: {}", key, hint, join(allowed)));
    }
    if (const Value* note = object.find("note")) expect(*note, Kind::string);
  }

  const Value& require(const Value& object, std::string_view key) const {
    const Value* v = object.find(key);
    if (!v) fail(object, fmt::format("missing required key \"{}\"", key));
    return *v;
  }

  std::string string(const Value& v) const {
    expect(v, Kind::string);
    return v.text;
  }

  std::string nonempty_string(const Value& v) const {
    std::string s = string(v);
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) fail(v, "must not be empty");
    return s;
  }

  // A name used inside figure keys: no dots or white space, not empty.
  std::string identifier(const Value& v, std::string_view what) const {
    std::string s = string(v);
    if (s.empty() || s.find_first_of(". \t\r\n") != std::string::npos)
      fail(v, fmt::format("\"{}\" cannot be {}: names become figure keys, so they need at least "
                          "one character and no dots or spaces",
                          s, what));
    return s;
  }
  void identifier_key(const Value& object, std::size_t i) const {
    const std::string& key = object.keys[i];
    if (key.empty() || key.find_first_of(". \t\r\n") != std::string::npos)
      fail(object.items[i], fmt::format("\"{}\" cannot be a name: names become figure keys, so "
                                        "they need at least one character and no dots or spaces",
                                        key));
  }

  // YYYY-MM-DD; with `month_ok`, also YYYY-MM when only the month is known.
  std::string date(const Value& v, bool month_ok = false) const {
    std::string s = string(v);
    if (month_ok && s.size() == 7) s += "-01";
    const bool ok = is_date(s);
    if (!ok)
      fail(v, fmt::format("must be a date as YYYY-MM-DD{}, got \"{}\"",
                          month_ok ? " or YYYY-MM" : "", v.text));
    return v.text;
  }

  double number(const Value& v, const Domain& domain) const {
    expect(v, Kind::number);
    at(v, [&] { domain.require(v.number, v.text); });
    return v.number;
  }

 private:
  json::LineCol line_col(std::size_t offset) const {
    if (!lines_) lines_.emplace(text_);
    return lines_->at(offset);
  }

  std::string_view text_;
  std::string file_;
  mutable std::optional<json::LineIndex> lines_;  // made at the first position asked for
};

// Reads one figure: a bare number or {"value": ..., "tag": ..., ...}.
// A string naming one of the table's values.
template <class E>
E choice(const Reader& r, const Value& v, std::string_view what, const NameTable<E>& table) {
  const std::string name = r.string(v);
  if (auto e = parse_name(table, name)) return *e;
  r.fail(v, unknown_choice(what, name, names_of(table)));
}

class FigureReader {
 public:
  FigureReader(const Reader& r, std::function<bool(const std::string&)> source_known,
               std::function<std::vector<std::string>()> source_ids)
      : r_(r), known_(std::move(source_known)), ids_(std::move(source_ids)) {}

  // Reads a figure. With `with_unit`, the figure must be an object that names its unit
  // (a fact), and `unit` is ignored.
  // A figure under an input key of the key table: its domain, unit and bare-number tag.
  // A row without a fixed unit (a fact) must name its unit.
  Figure read(const Value& v, const InputKey& key, std::vector<std::string> extra = {}) const {
    return read(v, key.domain, key.unit ? *key.unit : units::one, key.bare_tag, !key.unit,
                std::move(extra));
  }

  // `extra`: more keys the figure object may hold, read by the caller (a fact's "id").
  Figure read(const Value& v, const Domain& domain, const Unit& unit, Tag bare_tag,
              bool with_unit = false, std::vector<std::string> extra = {}) const {
    Figure f;
    f.unit = unit;
    f.pointer = v.pointer;
    if (v.kind == Kind::number && with_unit)
      r_.fail(v,
              "a fact must be an object with its \"unit\", such as {\"value\": 115.2e9, "
              "\"unit\": \"USD/yr\", \"tag\": ...}");
    if (v.kind == Kind::number) {
      f.value = r_.number(v, domain);
      f.tag = bare_tag;
      return f;
    }
    if (v.kind != Kind::object)
      r_.fail(v,
              fmt::format("must be a number or a figure object {{\"value\": ..., \"tag\": ...}}, "
                          "got {}",
                          json::kind_name(v.kind)));
    std::vector<std::string> keys{"value", "tag",  "source", "approx", "bound",
                                  "low",   "high", "dist",   "note"};
    if (with_unit) keys.emplace_back("unit");
    keys.insert(keys.end(), extra.begin(), extra.end());
    r_.only_keys(v, keys);
    if (with_unit) {
      const Value& u = r_.require(v, "unit");
      const auto parsed = parse_unit(r_.string(u));
      if (!parsed)
        r_.fail(u, fmt::format("unknown unit \"{}\"; write units as USD, USD/yr, GW, GPU, H100e, "
                               "ratio, x, or combinations such as USD/GPU-h",
                               u.text));
      f.unit = *parsed;
    }
    f.value = r_.number(r_.require(v, "value"), domain);
    if (const Value* t = v.find("tag")) {
      f.tag = choice(*t, "tag", tag_names());
    }
    if (const Value* s = v.find("source")) f.sources = sources(*s);
    if (f.sources.empty() && f.tag != Tag::exact && f.tag != Tag::assumption)
      r_.fail(v, fmt::format("a {} figure needs a \"source\": an id declared under /sources "
                             "(only exact and assumption figures may have none)",
                             tag_name(f.tag)));
    if (const Value* a = v.find("approx")) {
      r_.expect(*a, Kind::boolean);
      f.approx = a->boolean;
    }
    if (const Value* b = v.find("bound")) {
      f.bound = choice(*b, "bound", bound_names());
    }
    if (const Value* n = v.find("note")) f.note = r_.string(*n);
    const Value* low = v.find("low");
    const Value* high = v.find("high");
    if ((low == nullptr) != (high == nullptr))
      r_.fail(low ? *low : *high, "a range needs both \"low\" and \"high\"");
    if (low) {
      f.low = r_.number(*low, domain);
      f.high = r_.number(*high, domain);
      if (*f.low > *f.high)
        r_.fail(*low, fmt::format("low {} is above high {}", plain_number(*f.low),
                                  plain_number(*f.high)));
      if (f.value < *f.low || f.value > *f.high)
        r_.fail(r_.require(v, "value"),
                fmt::format("value {} is outside its own range {} to {}", plain_number(f.value),
                            plain_number(*f.low), plain_number(*f.high)));
    }
    if (const Value* d = v.find("dist")) {
      if (!low) r_.fail(*d, "\"dist\" needs a range: give \"low\" and \"high\"");
      f.dist = choice(*d, "dist", dist_names());
      if (f.dist == Dist::lognormal90 && *f.low <= 0) r_.fail(*low, "lognormal90 needs low > 0");
    }
    return f;
  }

  template <class E>
  E choice(const Value& v, std::string_view what, const NameTable<E>& table) const {
    return load::choice(r_, v, what, table);
  }

 private:
  std::vector<std::string> sources(const Value& v) const {
    std::vector<const Value*> items;
    if (v.kind == Kind::string)
      items.push_back(&v);
    else if (v.kind == Kind::array)
      for (const auto& item : v.items)
        items.push_back(&item);
    else
      r_.fail(
          v, fmt::format("must be a source id or a list of them, got {}", json::kind_name(v.kind)));
    if (items.empty()) r_.fail(v, "must name at least one source id");
    std::vector<std::string> out;
    for (const Value* item : items) {
      std::string id = r_.string(*item);
      if (!known_(id)) {
        const std::string hint = suggestion(id, ids_());
        r_.fail(*item,
                fmt::format("undeclared source id \"{}\"{}; declare it under /sources", id, hint));
      }
      out.push_back(std::move(id));
    }
    return out;
  }

  const Reader& r_;
  std::function<bool(const std::string&)> known_;
  std::function<std::vector<std::string>()> ids_;
};

// Checks "schema", the format's name, and "$schema", where editors find the JSON Schema.
void check_schema(const Reader& r, const Value& root, std::string_view expected);

}  // namespace leasecalc::load
