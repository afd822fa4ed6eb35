// The one formatter layer: every command hands its rows to these writers.
//
// `Table` is a command-neutral grid of cells; `write_table` renders it as an aligned
// text table, CSV (RFC 4180), TSV or Markdown. The report has its own layout on top of
// the same writers. Machine formats carry raw numbers at full precision; the text
// table carries human units and the tag of every figure, coloured only when asked.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/report.hpp"
#include "leasecalc/text.hpp"

namespace leasecalc {

enum class Format { table, csv, tsv, json, md };

const NameTable<Format>& format_names();
inline std::string_view format_name(Format f) { return name_of(format_names(), f); }
inline std::optional<Format> parse_format(std::string_view text) {
  return parse_name(format_names(), text);
}

struct Style {
  bool colour = false;  // ANSI colours on tags: the command layer decides (terminal, NO_COLOR)
};

struct Cell {
  Cell() = default;
  Cell(std::string t) : text(std::move(t)) {}  // NOLINT: plain text converts implicitly
  Cell(const char* t) : text(t) {}             // NOLINT
  Cell(std::string t, std::string_view a) : text(std::move(t)), ansi(a) {}

  std::string text;
  std::string_view ansi;  // an SGR code such as "32" (green), or empty
};

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  std::vector<bool> right_aligned;  // per column, for the text table; default left
};

// Renders `table` as csv, tsv, md or an aligned text table. json is not a table format.
void write_table(std::ostream& out, const Table& table, Format format, const Style& style);

void write_report(std::ostream& out, const Report& report, Format format, const Style& style);

// The value of a figure as the text table shows it: "~$5.01B/yr", "<=45.6%".
std::string human_value(const Row& row);
// The full-precision figure with thousands separators: "5,010,720,000", "45.5557%".
std::string exact_value(const Row& row);
std::string_view tag_colour(Tag tag);

}  // namespace leasecalc
