#include "leasecalc/format.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "leasecalc/text.hpp"

namespace leasecalc {

const NameTable<Format>& format_names() {
  static const NameTable<Format> table{{Format::table, "table"}, {Format::csv, "csv"},
                                       {Format::tsv, "tsv"},     {Format::json, "json"},
                                       {Format::md, "md"},       {Format::jsonl, "jsonl"}};
  return table;
}

std::string_view tag_colour(Tag tag) {
  switch (tag) {
    case Tag::exact:
      return "2";  // dim
    case Tag::primary:
      return "32";  // green
    case Tag::reported:
      return "36";  // cyan
    case Tag::estimate:
      return "33";  // yellow
    case Tag::assumption:
      return "35";  // magenta
    case Tag::ai_prior:
      return "31";  // red
  }
  return "";
}

namespace {

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
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

}  // namespace

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
      line([&](std::size_t c) -> std::string_view { return table.columns[c]; });
      for (const auto& row : table.rows)
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
        for (const auto& cell : row)
          out << ' ' << md_cell(cell.text) << " |";
        out << '\n';
      }
      return;
    }
    case Format::table: {
      std::vector<std::size_t> width(ncol);
      for (std::size_t c = 0; c < ncol; ++c)
        width[c] = display_width(table.columns[c]);
      for (const auto& row : table.rows)
        for (std::size_t c = 0; c < ncol; ++c)
          width[c] = std::max(width[c], display_width(row[c].text));
      auto print = [&](std::size_t c, std::string_view text, std::string_view ansi) {
        const bool right = c < table.right_aligned.size() && table.right_aligned[c];
        const bool last = c + 1 == ncol;
        const std::string pad(width[c] - display_width(text), ' ');
        if (c) out << "  ";
        if (right) out << pad;
        if (style.colour && !ansi.empty())
          out << "\x1b[" << ansi << 'm' << text << "\x1b[0m";
        else
          out << text;
        if (!right && !last) out << pad;
      };
      for (std::size_t c = 0; c < ncol; ++c)
        print(c, table.columns[c], style.colour ? "1" : "");
      out << '\n';
      for (const auto& row : table.rows) {
        // Trailing empty cells add no spaces at the end of a line.
        std::size_t used = ncol;
        while (used > 1 && row[used - 1].text.empty())
          --used;
        for (std::size_t c = 0; c < used; ++c) {
          if (c + 1 == used) {
            const bool right = c < table.right_aligned.size() && table.right_aligned[c];
            if (c) out << "  ";
            if (right) out << std::string(width[c] - display_width(row[c].text), ' ');
            if (style.colour && !row[c].ansi.empty())
              out << "\x1b[" << row[c].ansi << 'm' << row[c].text << "\x1b[0m";
            else
              out << row[c].text;
          } else {
            print(c, row[c].text, row[c].ansi);
          }
        }
        out << '\n';
      }
      return;
    }
    case Format::json:
    case Format::jsonl:
      break;
  }
  throw std::logic_error("write_table: json is not a table format");
}

namespace {
// "at least ~", "at most ", "~" or "": the bound and approximation of a figure.
std::string qualifier(const Row& row) {
  std::string prefix;
  if (row.bound == Bound::at_least)
    prefix = "at least ";
  else if (row.bound == Bound::at_most)
    prefix = "at most ";
  if (row.approx) prefix += "~";
  return prefix;
}
}  // namespace

std::string human_value(const Row& row) {
  if (!row.defined) return "undefined";
  return qualifier(row) + human(row.value, row.unit);
}

std::string exact_value(const Row& row) {
  if (!row.defined) return "";
  const double x = row.value;
  if (row.unit.name == "ratio") {
    return trim_zeros(grouped(x * 100, 4)) + "%";
  }
  if (std::fabs(x) >= 1000) return grouped(x, std::floor(x) == x ? 0 : 1);
  return trim_zeros(fmt::format("{:.4f}", x));
}

std::string exact_with_unit(const Row& row) {
  if (!row.defined) return "undefined";
  const std::string prefix = qualifier(row);
  const std::string_view unit = row.unit.name;
  if (unit == "ratio") return prefix + exact_value(row);
  if (unit.starts_with("USD")) {
    const bool negative = row.value < 0;
    std::string digits = exact_value(row);
    if (negative) digits.erase(0, 1);
    return prefix + (negative ? "-$" : "$") + digits + std::string(unit.substr(3));
  }
  return prefix + exact_value(row) + " " + std::string(unit);
}

RowWriter::RowWriter(Format format, std::vector<std::string> columns, Sink sink,
                     const std::vector<nlohmann::ordered_json>& header, std::size_t repeating)
    : repeating_(repeating),
      cache_(repeating * k_cache_slots),
      format_(format),
      sink_(std::move(sink)),
      buf_(1u << 20) {
  std::size_t names = 0;
  for (const auto& c : columns) {
    json_names_.push_back(nlohmann::json(c).dump() + ":");
    names += json_names_.back().size();
  }
  row_room_ = columns.size() * 33 + (format_ == Format::jsonl ? names : 0) + 8;
  if (format_ == Format::jsonl) {
    nlohmann::ordered_json head;
    head["schema"] = "leasecalc/sweep/v1";
    head["columns"] = header;
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

namespace {

std::string range_text(const Row& r) {
  if (!r.low) return "";
  return fmt::format("{} to {}", human(*r.low, r.unit), human(*r.high, r.unit));
}

void write_report_json(std::ostream& out, const Report& report) {
  using nlohmann::ordered_json;
  ordered_json doc;
  doc["schema"] = "leasecalc/report/v1";
  doc["scenario"] = report.scenario;
  doc["file"] = report.file;
  if (!report.as_of.empty()) doc["as_of"] = report.as_of;
  doc["basis"] = basis_name(report.basis);
  doc["basis_description"] = basis_description(report.basis);
  ordered_json figures = ordered_json::object();
  for (const auto& r : report.rows) {
    ordered_json f;
    f["label"] = r.label;
    if (r.defined) f["value"] = r.value;
    f["unit"] = r.unit.name;
    f["tag"] = tag_name(r.tag);
    f["derived"] = r.derived;
    f["sources"] = r.sources;
    if (r.derived) f["inputs"] = r.inputs;
    if (r.low) {
      f["low"] = *r.low;
      f["high"] = *r.high;
    }
    if (r.bound != Bound::none) f["bound"] = bound_name(r.bound);
    if (r.approx) f["approx"] = true;
    if (r.overridden) f["overridden"] = true;
    if (!r.defined)
      f["undefined"] = r.note;
    else if (!r.note.empty())
      f["note"] = r.note;
    figures[r.key] = std::move(f);
  }
  doc["figures"] = std::move(figures);
  out << doc.dump(2) << '\n';
}

}  // namespace

void write_report(std::ostream& out, const Report& report, Format format, const Style& style) {
  if (format == Format::json) {
    write_report_json(out, report);
    return;
  }
  Table t;
  if (format == Format::csv || format == Format::tsv) {
    t.columns = {"key", "label", "value", "unit", "tag", "derived", "low", "high", "sources"};
    for (const auto& r : report.rows)
      t.rows.push_back({r.key, r.label, r.defined ? plain_number(r.value) : "",
                        std::string(r.unit.name), std::string(tag_name(r.tag)),
                        r.derived ? "true" : "false", r.low ? plain_number(*r.low) : "",
                        r.high ? plain_number(*r.high) : "", join(r.sources, ";")});
    write_table(out, t, format, style);
    return;
  }

  // table and md: a heading, then inputs and derived figures in one grid.
  const std::string basis =
      fmt::format("{} ({})", basis_name(report.basis), basis_description(report.basis));
  if (format == Format::md) {
    out << "# " << md_cell(report.scenario) << "\n\n";
    out << "- file: `" << report.file << "`\n";
    if (!report.as_of.empty()) out << "- as of: " << report.as_of << '\n';
    out << "- basis: " << basis << "\n\n";
  } else {
    out << (style.colour ? "\x1b[1m" : "") << report.scenario << (style.colour ? "\x1b[0m" : "")
        << '\n';
    out << "file " << report.file;
    if (!report.as_of.empty()) out << ", as of " << report.as_of;
    out << ", basis " << basis << "\n\n";
  }
  t.columns = {"figure", "value", "exact", "tag", "key", "sources", "note"};
  t.right_aligned = {false, true, true, false, false, false, false};
  bool inputs_heading = false, derived_heading = false;
  for (const auto& r : report.rows) {
    if (!r.derived && !inputs_heading) {
      t.rows.push_back({{"INPUTS", style.colour ? "1" : ""}, {}, {}, {}, {}, {}, {}});
      inputs_heading = true;
    }
    if (r.derived && !derived_heading) {
      t.rows.push_back({{"DERIVED", style.colour ? "1" : ""}, {}, {}, {}, {}, {}, {}});
      derived_heading = true;
    }
    std::string note = r.note;
    if (r.overridden) note = note.empty() ? "set from the shell" : "set from the shell; " + note;
    if (const std::string range = range_text(r); !range.empty())
      note = note.empty() ? "range " + range : "range " + range + "; " + note;
    t.rows.push_back(
        {"  " + r.label, human_value(r), exact_value(r),
         Cell(std::string(tag_name(r.tag)) + (r.derived ? "*" : ""), tag_colour(r.tag)), r.key,
         join(r.sources, " "), note});
  }
  write_table(out, t, format, style);
  if (format == Format::table)
    out << "\n* derived: the weakest tag of its inputs. Tags, strongest first: exact, primary, "
           "reported, estimate, assumption, ai-prior.\n";
  else
    out << "\n\\* derived: the weakest tag of its inputs.\n";
}

}  // namespace leasecalc
