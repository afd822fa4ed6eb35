// RowWriter: a sweep's rows streamed as csv, tsv or jsonl in constant memory.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstring>

#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

RowWriter::RowWriter(Format format, const std::vector<const Row*>& figures, Sink sink,
                     std::size_t repeating, bool with_header)
    : repeating_(repeating),
      cache_(repeating * k_cache_slots),
      format_(format),
      sink_(std::move(sink)),
      buf_(1u << 20) {
  std::vector<std::string> columns;
  for (const Row* r : figures)
    columns.push_back(r->key);
  std::size_t names = 0;
  for (const auto& c : columns) {
    json_names_.push_back(nlohmann::json(c).dump() + ":");
    names += json_names_.back().size();
  }
  row_room_ = columns.size() * 33 + (format_ == Format::jsonl ? names : 0) + 8;
  if (!with_header) return;
  if (format_ == Format::jsonl) {
    nlohmann::ordered_json head;
    head["schema"] = "leasecalc/sweep/v1";
    nlohmann::ordered_json header = nlohmann::ordered_json::array();
    for (const Row* r : figures) {
      nlohmann::ordered_json h;
      h["key"] = r->key;
      h["unit"] = r->unit.name;
      h["tag"] = tag_name(r->tag);
      h["sources"] = r->sources;
      header.push_back(std::move(h));
    }
    head["columns"] = std::move(header);
    append(head.dump() + "\n");
    return;
  }
  const bool csv = format_ == Format::csv;
  std::string line;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) line += csv ? ',' : '\t';
    line += csv ? csv_field(columns[i]) : tsv_field(columns[i]);
  }
  append(line + (csv ? "\r\n" : "\n"));
}

void RowWriter::append(std::string_view text) {
  if (used_ + text.size() > buf_.size()) flush();
  if (text.size() > buf_.size()) {
    sink_(text);
    return;
  }
  std::copy(text.begin(), text.end(), buf_.data() + used_);
  used_ += text.size();
}

char* RowWriter::number(char* p, std::size_t column, double x) {
  if (column >= repeating_) return write_number(p, p + 32, x);
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  Cached& c = cache_[column * k_cache_slots + ((bits * 0x9E3779B97F4A7C15ull) >> 52)];
  if (c.bits != bits) {
    c.bits = bits;
    c.length = static_cast<std::uint8_t>(write_number(c.text, c.text + sizeof c.text, x) - c.text);
  }
  std::memcpy(p, c.text, sizeof c.text);  // a fixed size: inline moves; row_room_ allows it
  return p + c.length;
}

// The sweep's inner loop: numbers go straight into the buffer.
void RowWriter::row(const std::vector<double>& values) {
  if (used_ + row_room_ > buf_.size()) flush();
  char* p = buf_.data() + used_;
  if (format_ == Format::jsonl) {
    *p++ = '{';
    bool first = true;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::isnan(values[i])) continue;
      if (!first) *p++ = ',';
      first = false;
      p = std::copy(json_names_[i].begin(), json_names_[i].end(), p);
      p = number(p, i, values[i]);
    }
    *p++ = '}';
  } else {
    const char sep = format_ == Format::csv ? ',' : '\t';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) *p++ = sep;
      if (!std::isnan(values[i])) p = number(p, i, values[i]);
    }
    if (format_ == Format::csv) *p++ = '\r';
  }
  *p++ = '\n';
  used_ = static_cast<std::size_t>(p - buf_.data());
}

void RowWriter::flush() {
  if (used_ == 0) return;
  sink_(std::string_view(buf_.data(), used_));
  used_ = 0;
}

}  // namespace leasecalc
