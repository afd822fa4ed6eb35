// The table writer: aligned text, CSV (RFC 4180), TSV and Markdown, and the figure
// renderings every writer shares (human units, exact values, tag colours).
#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cmath>

#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {
namespace render {

nlohmann::ordered_json figure_json(const Row& row) {
  nlohmann::ordered_json j;
  j["key"] = row.key;
  if (row.defined) j["value"] = row.value;
  j["unit"] = row.unit.name;
  j["tag"] = tag_name(row.tag);
  return j;
}

std::string md_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab and line breaks.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += ' ';
        else
          out += c;
    }
  }
  return out;
}

std::string range_text(const Row& r) {
  if (!r.low) return "";
  return fmt::format("{} to {}", human(*r.low, r.unit), human(*r.high, r.unit));
}

namespace {
// Every float of a document rounded to 15 significant digits, as the other machine formats.
void round_numbers(nlohmann::ordered_json& j) {
  if (j.is_number_float())
    j = round15(j.get<double>());
  else if (j.is_structured())
    for (auto& item : j)
      round_numbers(item);
}
}  // namespace

void write_json(std::ostream& out, const nlohmann::ordered_json& doc) {
  nlohmann::ordered_json rounded = doc;
  round_numbers(rounded);
  out << rounded.dump(2) << '\n';
}

}  // namespace render

const NameTable<Format>& format_names() {
  static const NameTable<Format> table{
      {Format::table, "table"}, {Format::csv, "csv"}, {Format::tsv, "tsv"},
      {Format::json, "json"},   {Format::md, "md"},   {Format::jsonl, "jsonl"},
      {Format::junit, "junit"}, {Format::tap, "tap"}, {Format::svg, "svg"}};
  return table;
}

namespace {
// A tag's colour: its SGR code on a terminal, and the RGB a light sheet shows it in (the
// workbook), darker where the terminal's would not read on white.
struct TagColour {
  std::string_view sgr;
  std::uint32_t rgb;
};
TagColour colour_of(Tag tag) {
  switch (tag) {
    case Tag::exact:
      return {"2", 0x808080};  // dim
    case Tag::primary:
      return {"32", 0x008000};  // green
    case Tag::reported:
      return {"36", 0x008B8B};  // cyan
    case Tag::estimate:
      return {"33", 0xB8860B};  // yellow
    case Tag::assumption:
      return {"35", 0x8B008B};  // magenta
    case Tag::ai_prior:
      return {"31", 0xC00000};  // red
  }
  return {"", 0x000000};
}
}  // namespace

std::string_view tag_colour(Tag tag) { return colour_of(tag).sgr; }
std::uint32_t tag_rgb(Tag tag) { return colour_of(tag).rgb; }

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b) {  // our colours: ESC [ digits and semicolons m
      std::size_t j = i + 1;
      if (j < text.size() && text[j] == '[') {
        ++j;
        while (j < text.size() && j - i < 16 &&
               (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == ';'))
          ++j;
        if (j < text.size() && text[j] == 'm') {
          out.append(text.substr(i, j - i + 1));
          i = j;
          continue;
        }
      }
    }
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else if (c == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {  // C1, as UTF-8
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(text[i + 1]));
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

namespace {

// "at least ~", "at most ", "~" or "": the bound and approximation of a figure.
std::string qualifier(const Row& row) {
  std::string prefix(bound_words(row.bound));
  if (row.approx) prefix += "~";
  return prefix;
}
}  // namespace

using render::md_cell;

std::string bounds_as_signs(std::string text) {
  for (const auto& [words, sign] : {std::pair{"at least ", "≥"}, std::pair{"at most ", "≤"}})
    for (auto at = text.find(words); at != std::string::npos; at = text.find(words, at))
      text.replace(at, std::string_view(words).size(), sign);
  return text;
}

std::string fit(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return "";
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool starts = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts && ++used > width - 1) break;
    out += text[i];
  }
  return out + "…";
}

std::vector<std::string> wrap(std::string_view text, std::size_t width, std::size_t indent) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    const std::string_view word = text.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;
    const std::size_t room = width - (lines.empty() ? 0 : indent);
    if (!line.empty() && display_width(line) + 1 + display_width(word) > room) {
      lines.push_back(std::move(line));
      line.clear();
    }
    const std::size_t room_now = width - (lines.empty() ? 0 : indent);
    line += (line.empty() ? "" : " ") + fit(word, room_now);
  }
  lines.push_back(std::move(line));
  for (std::size_t i = 1; i < lines.size(); ++i)
    lines[i] = std::string(indent, ' ') + lines[i];
  return lines;
}

namespace {

// The text table's column widths at `limit` (0: none): each column as wide as its widest
// cell, then shrunk in the table's order down to the minimums; a dropped column is 0 wide
// and not shown. Returns the total width, gaps included.
std::size_t fitted(const Table& table, std::size_t limit, std::vector<std::size_t>& width,
                   std::vector<bool>& shown) {
  const std::size_t ncol = table.columns.size();
  width.assign(ncol, 0);
  shown.assign(ncol, true);
  for (std::size_t c = 0; c < ncol; ++c)
    width[c] = display_width(table.columns[c]);
  for (const auto& row : table.rows)
    if (row.size() == ncol)
      for (std::size_t c = 0; c < ncol; ++c)
        width[c] = std::max(width[c], display_width(row[c].text));
  std::size_t total = 0;
  for (std::size_t c = 0; c < ncol; ++c)
    total += width[c] + (c ? 2 : 0);
  for (const auto& [c, minimum] : table.shrink) {
    if (limit == 0 || total <= limit) break;
    if (minimum == 0) {  // a column that may go: it goes whole, with its gap
      total -= width[c] + 2;
      width[c] = 0;
      shown[c] = false;
      continue;
    }
    const std::size_t cut = std::min(total - limit, width[c] - std::min(width[c], minimum));
    width[c] -= cut;
    total -= cut;
  }
  return total;
}

}  // namespace

std::size_t natural_width(const Table& table) {
  std::vector<std::size_t> width;
  std::vector<bool> shown;
  return fitted(table, 0, width, shown);
}

bool fits(const Table& table, std::size_t limit) {
  std::vector<std::size_t> width;
  std::vector<bool> shown;
  return limit == 0 || fitted(table, limit, width, shown) <= limit;
}

void write_wrapped(std::ostream& out, std::string_view text, const Style& style,
                   std::size_t indent) {
  if (style.width == 0) {
    out << text << '\n';
    return;
  }
  // Keep the text's own leading indent on every line.
  const std::size_t lead =
      text.find_first_not_of(' ') == std::string_view::npos ? 0 : text.find_first_not_of(' ');
  for (const auto& line : wrap(text.substr(lead), style.width - lead, indent))
    out << std::string(lead, ' ') << line << '\n';
}

void write_table(std::ostream& out, const Table& table, Format format, const Style& style) {
  const std::size_t ncol = table.columns.size();
  switch (format) {
    case Format::csv:
    case Format::tsv: {
      const bool csv = format == Format::csv;
      auto line = [&](auto&& cell_text) {
        for (std::size_t c = 0; c < ncol; ++c) {
          if (c) out << (csv ? ',' : '\t');
          const std::string_view t = cell_text(c);
          out << (csv ? csv_field(t) : tsv_field(t));
        }
        out << (csv ? "\r\n" : "\n");
      };
      if (table.header) line([&](std::size_t c) -> std::string_view { return table.columns[c]; });
      for (const auto& row : table.rows)
        if (row.size() == ncol)
          line([&](std::size_t c) -> std::string_view { return row[c].text; });
      return;
    }
    case Format::md: {
      out << '|';
      for (const auto& col : table.columns)
        out << ' ' << md_cell(col) << " |";
      out << "\n|";
      for (std::size_t c = 0; c < ncol; ++c) {
        const bool right = c < table.right_aligned.size() && table.right_aligned[c];
        out << (right ? " ---: |" : " --- |");
      }
      out << '\n';
      for (const auto& row : table.rows) {
        out << '|';
        if (row.size() == 1) {  // a heading row: bold, in the first column
          out << " **" << md_cell(row[0].text) << "** |";
          for (std::size_t c = 1; c < ncol; ++c)
            out << "  |";
        } else {
          for (const auto& cell : row)
            out << ' ' << md_cell(cell.text) << " |";
        }
        out << '\n';
      }
      return;
    }
    case Format::table: {
      std::vector<std::size_t> width;
      std::vector<bool> shown;
      fitted(table, style.width, width, shown);
      std::size_t first = 0;  // the first column shown: no gap before it
      while (first + 1 < ncol && !shown[first])
        ++first;
      auto cell = [&](std::size_t c, const std::string& text) {
        return display_width(text) > width[c] ? fit(text, width[c]) : text;
      };
      auto print = [&](std::size_t c, const std::string& full, std::string_view ansi) {
        const std::string text = cell(c, full);
        const bool right = c < table.right_aligned.size() && table.right_aligned[c];
        const bool last = c + 1 == ncol;
        const std::string pad(width[c] - display_width(text), ' ');
        if (c > first) out << "  ";
        if (right) out << pad;
        if (style.colour && !ansi.empty())
          out << "\x1b[" << ansi << 'm' << text << "\x1b[0m";
        else
          out << text;
        if (!right && !last) out << pad;
      };
      for (std::size_t c = 0; c < ncol; ++c)
        if (shown[c]) print(c, table.columns[c], style.colour ? "1" : "");
      out << '\n';
      // A cell on a line of its own: a heading, or a first cell spilled (cut to the width).
      auto whole_line = [&](const Cell& line) {
        const std::string text = style.width > 0 && display_width(line.text) > style.width
                                     ? fit(line.text, style.width)
                                     : line.text;
        if (style.colour && !line.ansi.empty())
          out << "\x1b[" << line.ansi << 'm' << text << "\x1b[0m\n";
        else
          out << text << '\n';
      };
      static const std::string spilled;  // what a spilled first cell leaves in its row
      for (const auto& row : table.rows) {
        if (row.size() == 1) {  // a heading row
          whole_line(row[0]);
          continue;
        }
        const bool spill = table.spill_first && shown[0] && display_width(row[0].text) > width[0] &&
                           display_width(row[0].text) <= style.width;
        if (spill) whole_line(row[0]);
        // Trailing empty cells add no spaces at the end of a line.
        std::size_t used = ncol;
        while (used > 1 && row[used - 1].text.empty())
          --used;
        while (used > 1 && !shown[used - 1])
          --used;
        for (std::size_t c = 0; c < used; ++c) {
          if (!shown[c]) continue;
          const std::string& full = spill && c == 0 ? spilled : row[c].text;
          if (c + 1 == used) {
            const std::string text = cell(c, full);
            const bool right = c < table.right_aligned.size() && table.right_aligned[c];
            if (c > first) out << "  ";
            if (right) out << std::string(width[c] - display_width(text), ' ');
            if (style.colour && !row[c].ansi.empty())
              out << "\x1b[" << row[c].ansi << 'm' << text << "\x1b[0m";
            else
              out << text;
          } else {
            print(c, full, row[c].ansi);
          }
        }
        out << '\n';
      }
      return;
    }
    case Format::json:
    case Format::jsonl:
    case Format::junit:
    case Format::tap:
    case Format::svg:
      break;
  }
  throw std::logic_error("write_table: json is not a table format");
}

std::string human_value(const Row& row) {
  if (!row.defined) return "undefined";
  return qualifier(row) + human(row.value, row.unit);
}

std::string exact_value(const Row& row) {
  return row.defined ? exact_number(row.value, row.unit) : "";
}

std::string exact_with_unit(const Row& row) {
  return row.defined ? exact_text(row.value, row.unit, row.bound, row.approx) : "undefined";
}

}  // namespace leasecalc
