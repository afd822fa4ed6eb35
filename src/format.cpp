#include "leasecalc/format.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "leasecalc/note.hpp"
#include "leasecalc/text.hpp"
#include "leasecalc/whatif.hpp"

namespace leasecalc {

const NameTable<Format>& format_names() {
  static const NameTable<Format> table{
      {Format::table, "table"}, {Format::csv, "csv"}, {Format::tsv, "tsv"},
      {Format::json, "json"},   {Format::md, "md"},   {Format::jsonl, "jsonl"},
      {Format::junit, "junit"}, {Format::tap, "tap"}, {Format::svg, "svg"}};
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

nlohmann::ordered_json figure_json(const Row& row) {
  nlohmann::ordered_json j;
  j["key"] = row.key;
  if (row.defined) j["value"] = row.value;
  j["unit"] = row.unit.name;
  j["tag"] = tag_name(row.tag);
  return j;
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
      std::vector<std::size_t> width(ncol);
      for (std::size_t c = 0; c < ncol; ++c)
        width[c] = display_width(table.columns[c]);
      for (const auto& row : table.rows)
        if (row.size() == ncol)
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
        if (row.size() == 1) {  // a heading row
          if (style.colour && !row[0].ansi.empty())
            out << "\x1b[" << row[0].ansi << 'm' << row[0].text << "\x1b[0m\n";
          else
            out << row[0].text << '\n';
          continue;
        }
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
    case Format::junit:
    case Format::tap:
    case Format::svg:
      break;
  }
  throw std::logic_error("write_table: json is not a table format");
}

namespace {
// "at least ~", "at most ", "~" or "": the bound and approximation of a figure.
std::string qualifier(const Row& row) {
  std::string prefix(bound_words(row.bound));
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
  if (unit == "1") return prefix + exact_value(row);
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
    if (one_sided(r.bound)) f["bound"] = bound_name(r.bound);
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
      t.rows.push_back({Cell("INPUTS", style.colour ? "1" : "")});
      inputs_heading = true;
    }
    if (r.derived && !derived_heading) {
      t.rows.push_back({Cell("DERIVED", style.colour ? "1" : "")});
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

namespace {

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

std::string inputs_text(const ClaimResult& c) {
  std::vector<std::string> parts;
  for (const Row* in : c.inputs)
    parts.push_back(fmt::format("{} = {} [{}]", in->key, exact_with_unit(*in), tag_name(in->tag)));
  return join(parts, "; ");
}

// What the note states, in the figure's unit: "~$5B/yr ± 1%", "at least 300 MW".
std::string stated_summary(const ClaimResult& r) {
  const Claim& c = *r.claim;
  const Unit& unit = r.figure->unit;
  const double factor =
      c.unit && c.unit->same_dimension(unit) ? conversion_factor(*c.unit, unit) : 1;
  const std::string suffix =
      c.unit && !c.unit->same_dimension(unit) ? " (in " + std::string(c.unit->name) + ")" : "";
  if (c.stated)
    return std::string(bound_words(c.bound)) + human(*c.stated * factor, unit) + suffix +
           (c.tolerance.amount > 1e-9 ? " ± " + c.tolerance.text : "");
  if (!c.stated_high) return "at least " + human(*c.stated_low * factor, unit) + suffix;
  if (!c.stated_low) return "at most " + human(*c.stated_high * factor, unit) + suffix;
  return human(*c.stated_low * factor, unit) + " to " + human(*c.stated_high * factor, unit) +
         suffix;
}

// The lines that explain a claim's verdict: what failed, the text, the inputs.
std::vector<std::string> detail_lines(const ClaimResult& c) {
  std::vector<std::string> lines;
  lines.push_back("\"" + c.claim->text + "\"");
  for (const auto& p : c.problems)
    lines.push_back(p);
  if (c.verdict == Verdict::expected_fail) lines.push_back("expected failure: " + c.claim->reason);
  lines.push_back(fmt::format("computed {} [{}]{}", exact_with_unit(*c.figure),
                              tag_name(c.figure->tag), c.figure->derived ? ", derived" : ""));
  lines.push_back("inputs: " + inputs_text(c));
  return lines;
}

}  // namespace

void write_check(std::ostream& out, const std::vector<NoteResult>& notes, Format format,
                 const Style& style) {
  int passed = 0, failed = 0, expected = 0, unexpected = 0, total = 0;
  for (const auto& n : notes) {
    passed += n.passed;
    failed += n.failed;
    expected += n.expected;
    unexpected += n.unexpected;
    total += static_cast<int>(n.claims.size());
  }
  const std::string summary = fmt::format(
      "{} claims in {} note{}: {} passed, {} failed, {} expected failure{}{}", total, notes.size(),
      notes.size() == 1 ? "" : "s", passed, failed + unexpected, expected, expected == 1 ? "" : "s",
      unexpected ? fmt::format(" ({} passing unexpectedly)", unexpected) : "");

  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/check/v1";
    doc["passed"] = passed;
    doc["failed"] = failed + unexpected;
    doc["expected_failures"] = expected;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& n : notes) {
      nlohmann::ordered_json note;
      note["file"] = n.note->file;
      note["title"] = n.note->title;
      note["scenario"] = n.scenario_file;
      nlohmann::ordered_json claims = nlohmann::ordered_json::array();
      for (const auto& c : n.claims) {
        nlohmann::ordered_json j;
        j["id"] = c.claim->id;
        j["text"] = c.claim->text;
        j["key"] = c.claim->key;
        j["verdict"] = verdict_name(c.verdict);
        if (c.claim->stated) j["stated"] = *c.claim->stated;
        if (c.claim->stated_low) j["stated_low"] = *c.claim->stated_low;
        if (c.claim->stated_high) j["stated_high"] = *c.claim->stated_high;
        if (c.figure->defined) j["computed"] = c.figure->value;
        j["unit"] = c.figure->unit.name;
        j["tag"] = tag_name(c.figure->tag);
        if (c.claim->tag) j["stated_tag"] = tag_name(*c.claim->tag);
        j["problems"] = c.problems;
        if (c.claim->expect_fail) j["reason"] = c.claim->reason;
        nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
        for (const Row* in : c.inputs) {
          nlohmann::ordered_json x = figure_json(*in);
          x["sources"] = in->sources;
          inputs.push_back(std::move(x));
        }
        j["inputs"] = std::move(inputs);
        claims.push_back(std::move(j));
      }
      note["claims"] = std::move(claims);
      list.push_back(std::move(note));
    }
    doc["notes"] = std::move(list);
    out << doc.dump(2) << '\n';
    return;
  }

  if (format == Format::junit) {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format(
        "<testsuites name=\"leasecalc check\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
        total, failed + unexpected, expected);
    for (const auto& n : notes) {
      out << fmt::format(
          "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" file=\"{}\">\n",
          xml_escape(n.note->title), n.claims.size(), n.failed + n.unexpected, n.expected,
          xml_escape(n.note->file));
      for (const auto& c : n.claims) {
        out << fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_escape(n.note->file),
                           xml_escape(c.claim->id + ": " + c.claim->text));
        const std::string details = xml_escape(join(detail_lines(c), "\n"));
        switch (c.verdict) {
          case Verdict::pass:
            out << "/>\n";
            break;
          case Verdict::expected_fail:
            out << fmt::format(
                ">\n      <skipped message=\"expected failure: {}\">{}</skipped>\n    "
                "</testcase>\n",
                xml_escape(c.claim->reason), details);
            break;
          case Verdict::fail:
          case Verdict::unexpected_pass:
            out << fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                               xml_escape(c.problems.empty() ? "failed" : c.problems.front()),
                               details);
            break;
        }
      }
      out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
    return;
  }

  if (format == Format::tap) {
    out << "TAP version 13\n1.." << total << '\n';
    int i = 0;
    for (const auto& n : notes)
      for (const auto& c : n.claims) {
        ++i;
        const bool ok = c.verdict == Verdict::pass;
        std::string line = fmt::format("{} {} - {}: {}: {}", ok ? "ok" : "not ok", i, n.note->file,
                                       c.claim->id, c.claim->text);
        // TAP has no line breaks in a description, and '#' starts a directive.
        for (char& ch : line)
          if (ch == '\n' || ch == '#') ch = ' ';
        if (c.verdict == Verdict::expected_fail)
          line += " # TODO expected failure: " + c.claim->reason;
        out << line << '\n';
        if (ok) continue;
        out << "  ---\n";
        for (const auto& d : detail_lines(c))
          out << "  - " << nlohmann::json(d).dump() << '\n';
        out << "  ...\n";
      }
    out << "# " << summary << '\n';
    return;
  }

  // table and md
  for (const auto& n : notes) {
    const Note& note = *n.note;
    out << (format == Format::md ? "## " : "") << note.title;
    std::vector<std::string> by;
    for (const auto* x : {&note.publisher, &note.date})
      if (!x->empty()) by.push_back(*x);
    if (!by.empty()) out << " (" << join(by, ", ") << ")";
    out << "\n"
        << (format == Format::md ? "\n" : "") << "note " << note.file << ", scenario "
        << n.scenario_file << "\n\n";
    Table t;
    t.columns = {"verdict", "claim", "key", "stated", "computed", "tag"};
    for (const auto& c : n.claims) {
      const std::string_view colour = c.verdict == Verdict::pass            ? "32"
                                      : c.verdict == Verdict::expected_fail ? "33"
                                                                            : "31";
      t.rows.push_back({Cell(std::string(verdict_name(c.verdict)), colour), c.claim->id,
                        c.claim->key, stated_summary(c), human_value(*c.figure),
                        Cell(std::string(tag_name(c.figure->tag)) +
                                 (c.claim->tag && *c.claim->tag != c.figure->tag
                                      ? " (stated " + std::string(tag_name(*c.claim->tag)) + ")"
                                      : ""),
                             tag_colour(c.figure->tag))});
    }
    write_table(out, t, format, style);
    out << '\n';
    for (const auto& c : n.claims) {
      if (c.verdict == Verdict::pass) continue;
      out << (format == Format::md ? "- **" : "") << verdict_name(c.verdict) << ' ' << c.claim->id
          << (format == Format::md ? "**" : "") << '\n';
      for (const auto& d : detail_lines(c))
        out << (format == Format::md ? "  - " : "    ") << d << '\n';
      out << '\n';
    }
  }
  out << summary << '\n';
}

void write_diff(std::ostream& out, const std::vector<Change>& changes, const std::string& old_file,
                const std::string& new_file, Format format, const Style& style) {
  auto value = [&](const Row* r) -> std::string {
    if (!r || !r->defined) return r ? "undefined" : "";
    return format == Format::table || format == Format::md ? exact_with_unit(*r)
                                                           : plain_number(r->value);
  };
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/diff/v1";
    doc["old"] = old_file;
    doc["new"] = new_file;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& c : changes) {
      nlohmann::ordered_json j;
      j["key"] = c.key();
      if (c.old_row && c.old_row->defined) j["old"] = c.old_row->value;
      if (c.new_row && c.new_row->defined) j["new"] = c.new_row->value;
      if (c.old_row && c.new_row && c.old_row->defined && c.new_row->defined) {
        j["change"] = c.new_row->value - c.old_row->value;
        if (c.old_row->value != 0)
          j["change_pct"] = 100 * (c.new_row->value / c.old_row->value - 1);
      }
      j["unit"] = (c.new_row ? c.new_row : c.old_row)->unit.name;
      if (c.old_row) j["old_tag"] = tag_name(c.old_row->tag);
      if (c.new_row) j["new_tag"] = tag_name(c.new_row->tag);
      if (!c.tag_change().empty()) j["tag_change"] = c.tag_change();
      if (!c.old_row) j["status"] = "added";
      if (!c.new_row) j["status"] = "removed";
      list.push_back(std::move(j));
    }
    doc["changes"] = std::move(list);
    out << doc.dump(2) << '\n';
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  Table t;
  t.columns = {"key", "old", "new", "change", "change_pct", "old_tag", "new_tag", "tag_change"};
  t.right_aligned = {false, true, true, true, true, false, false, false};
  for (const auto& c : changes) {
    std::string change, pct;
    if (c.old_row && c.new_row && c.old_row->defined && c.new_row->defined) {
      const double d = c.new_row->value - c.old_row->value;
      change =
          d == 0 ? "0" : (d > 0 ? "+" : "") + (human_format ? operand_text(d) : plain_number(d));
      if (c.old_row->value != 0) {
        const double p = 100 * (c.new_row->value / c.old_row->value - 1);
        pct = human_format ? fmt::format("{:+.2f}%", p) : plain_number(p);
      }
    }
    std::string tag_change(c.tag_change());
    if (!c.old_row) tag_change = "added";
    if (!c.new_row) tag_change = "removed";
    t.rows.push_back(
        {c.key(), value(c.old_row), value(c.new_row), change, pct,
         c.old_row ? Cell(std::string(tag_name(c.old_row->tag)), tag_colour(c.old_row->tag))
                   : Cell(),
         c.new_row ? Cell(std::string(tag_name(c.new_row->tag)), tag_colour(c.new_row->tag))
                   : Cell(),
         Cell(tag_change, tag_change == "upgrade"     ? "32"
                          : tag_change == "downgrade" ? "31"
                                                      : "")});
  }
  if (human_format) out << "old " << old_file << "\nnew " << new_file << "\n\n";
  if (human_format && changes.empty()) {
    out << "no figure changed\n";
    return;
  }
  write_table(out, t, format, style);
  if (human_format)
    out << '\n' << changes.size() << " figure" << (changes.size() == 1 ? "" : "s") << " changed\n";
}

void write_sources(std::ostream& out, const std::vector<SourceGroup>& groups,
                   const Scenario& scenario, Format format, const Style& style) {
  auto describe_source = [&](const std::string& id) -> std::string {
    if (id.empty()) return "(no source: exact figures and assumptions)";
    const Source* s = scenario.find_source(id);
    if (!s) return id;
    std::vector<std::string> parts;
    for (const auto* p : {&s->publisher, &s->date, &s->kind})
      if (!p->empty()) parts.push_back(*p);
    return s->title + (parts.empty() ? "" : " (" + join(parts) + ")");
  };
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/sources/v1";
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& g : groups) {
      nlohmann::ordered_json j;
      j["source"] = g.source.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(g.source);
      j["title"] = describe_source(g.source);
      nlohmann::ordered_json figures = nlohmann::ordered_json::array();
      for (const Row* r : g.rows) {
        nlohmann::ordered_json f = figure_json(*r);
        f["derived"] = r->derived;
        figures.push_back(std::move(f));
      }
      j["figures"] = std::move(figures);
      list.push_back(std::move(j));
    }
    doc["sources"] = std::move(list);
    out << doc.dump(2) << '\n';
    return;
  }
  Table t;
  const bool human_format = format == Format::table || format == Format::md;
  if (human_format) {
    t.columns = {"source", "tag", "key", "value", "note"};
    for (const auto& g : groups) {
      t.rows.push_back(
          {Cell((g.source.empty() ? "(none)" : g.source) + ": " + describe_source(g.source),
                style.colour ? "1" : "")});
      for (const Row* r : g.rows)
        t.rows.push_back(
            {"", Cell(std::string(tag_name(r->tag)) + (r->derived ? "*" : ""), tag_colour(r->tag)),
             r->key, human_value(*r), r->note});
    }
  } else {
    t.columns = {"source", "title", "key", "label", "value", "unit", "tag", "derived"};
    for (const auto& g : groups)
      for (const Row* r : g.rows)
        t.rows.push_back({g.source, describe_source(g.source), r->key, r->label,
                          r->defined ? plain_number(r->value) : "", std::string(r->unit.name),
                          std::string(tag_name(r->tag)), r->derived ? "true" : "false"});
  }
  if (human_format && groups.empty()) {
    out << "no figures match\n";
    return;
  }
  write_table(out, t, format, style);
}

void write_simulation(std::ostream& out, const std::vector<SimulationRow>& rows, std::uint64_t seed,
                      const std::vector<RangedInput>& inputs, Format format, const Style& style) {
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/simulate/v1";
    doc["seed"] = seed;
    nlohmann::ordered_json ranged = nlohmann::ordered_json::array();
    for (const auto& in : inputs) {
      nlohmann::ordered_json j;
      j["key"] = in.key;
      j["dist"] = dist_name(in.figure.dist);
      j["value"] = in.figure.value;
      j["low"] = *in.figure.low;
      j["high"] = *in.figure.high;
      j["tag"] = tag_name(in.figure.tag);
      ranged.push_back(std::move(j));
    }
    doc["ranged_inputs"] = std::move(ranged);
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
      nlohmann::ordered_json j;
      j["key"] = r.figure->key;
      j["unit"] = r.figure->unit.name;
      j["tag"] = tag_name(r.figure->tag);
      j["samples"] = r.summary.samples;
      for (auto [name, v] : {std::pair{"mean", r.summary.mean},
                             {"sd", r.summary.sd},
                             {"p5", r.summary.p5},
                             {"p50", r.summary.p50},
                             {"p95", r.summary.p95}})
        j[name] = v;
      list.push_back(std::move(j));
    }
    doc["outputs"] = std::move(list);
    out << doc.dump(2) << '\n';
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  Table t;
  t.columns = {"key", "unit", "tag", "samples", "seed", "mean", "sd", "p5", "p50", "p95"};
  t.right_aligned = {false, false, false, true, true, true, true, true, true, true};
  for (const auto& r : rows) {
    const Summary& s = r.summary;
    auto num = [&](double x) { return human_format ? human(x, r.figure->unit) : plain_number(x); };
    t.rows.push_back(
        {r.figure->key, std::string(r.figure->unit.name),
         Cell(std::string(tag_name(r.figure->tag)), tag_colour(r.figure->tag)),
         human_format ? grouped(static_cast<double>(s.samples), 0) : std::to_string(s.samples),
         std::to_string(seed), num(s.mean), num(s.sd), num(s.p5), num(s.p50), num(s.p95)});
  }
  if (human_format) {
    std::vector<std::string> parts;
    for (const auto& in : inputs)
      parts.push_back(fmt::format("{} {} {} to {} [{}]", in.key, dist_name(in.figure.dist),
                                  human(*in.figure.low, in.figure.unit),
                                  human(*in.figure.high, in.figure.unit), tag_name(in.figure.tag)));
    out << "seed " << seed << " (repeat with --seed " << seed
        << "); ranged inputs: " << join(parts, "; ") << "\n\n";
  }
  write_table(out, t, format, style);
}

void write_tornado(std::ostream& out, const Row& target, double base,
                   const std::vector<Swing>& swings, Format format, const Style& style) {
  const Unit& u = target.unit;
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/tornado/v1";
    doc["target"] = target.key;
    doc["unit"] = u.name;
    doc["base"] = base;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& s : swings) {
      nlohmann::ordered_json j;
      j["input"] = s.input->key;
      j["tag"] = tag_name(s.input->figure.tag);
      j["low"] = *s.input->figure.low;
      j["high"] = *s.input->figure.high;
      j["at_low"] = s.at_low;
      j["at_high"] = s.at_high;
      j["swing"] = s.swing();
      list.push_back(std::move(j));
    }
    doc["inputs"] = std::move(list);
    out << doc.dump(2) << '\n';
    return;
  }
  if (format == Format::svg) {
    // A horizontal bar per input, from the target at the input's low to at its high,
    // around a line at the base value; labels name the input, its range and its tag.
    double lo = base, hi = base;
    for (const auto& s : swings)
      lo = std::min({lo, s.at_low, s.at_high}), hi = std::max({hi, s.at_low, s.at_high});
    if (hi == lo) hi = lo + 1;
    const double left = 330, right = 740, top = 70, row_h = 44;
    auto x = [&](double v) { return left + (v - lo) / (hi - lo) * (right - left); };
    const double height = top + row_h * static_cast<double>(swings.size()) + 40;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"{:.0f}\" "
        "viewBox=\"0 0 800 {:.0f}\" font-family=\"sans-serif\" font-size=\"12\">\n",
        height, height);
    out << "  <rect width=\"800\" height=\"100%\" fill=\"white\"/>\n";
    out << fmt::format(
        "  <text x=\"20\" y=\"28\" font-size=\"16\" font-weight=\"bold\">{}</text>\n",
        xml_escape("Tornado: " + target.label));
    out << fmt::format(
        "  <text x=\"20\" y=\"48\" fill=\"#555\">{} [{}], base {}: each input from its low to its "
        "high, the others at their values</text>\n",
        xml_escape(target.key), tag_name(target.tag), xml_escape(human(base, u)));
    for (std::size_t i = 0; i < swings.size(); ++i) {
      const Swing& s = swings[i];
      const Figure& f = s.input->figure;
      const double y = top + row_h * static_cast<double>(i);
      out << fmt::format("  <text x=\"20\" y=\"{:.0f}\">{} [{}]</text>\n", y + 14,
                         xml_escape(s.input->key), tag_name(f.tag));
      out << fmt::format("  <text x=\"20\" y=\"{:.0f}\" fill=\"#555\">{} to {} ({})</text>\n",
                         y + 30, xml_escape(human(*f.low, f.unit)),
                         xml_escape(human(*f.high, f.unit)), dist_name(f.dist));
      const double xl = x(s.at_low), xh = x(s.at_high), xb = x(base);
      out << fmt::format(
          "  <rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"20\" "
          "fill=\"#4e79a7\"><title>at low: {}</title></rect>\n",
          std::min(xl, xb), y + 6, std::fabs(xb - xl), xml_escape(human(s.at_low, u)));
      out << fmt::format(
          "  <rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"{:.1f}\" height=\"20\" "
          "fill=\"#f28e2b\"><title>at high: {}</title></rect>\n",
          std::min(xh, xb), y + 6, std::fabs(xh - xb), xml_escape(human(s.at_high, u)));
      out << fmt::format(
          "  <text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"{}\" font-size=\"11\">{}</text>\n",
          xl + (xl <= xb ? -4 : 4), y + 20, xl <= xb ? "end" : "start",
          xml_escape(human(s.at_low, u)));
      out << fmt::format(
          "  <text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"{}\" font-size=\"11\">{}</text>\n",
          xh + (xh >= xb ? 4 : -4), y + 20, xh >= xb ? "start" : "end",
          xml_escape(human(s.at_high, u)));
    }
    out << fmt::format(
        "  <line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.0f}\" y2=\"{2:.0f}\" stroke=\"black\"/>\n",
        x(base), top, top + row_h * static_cast<double>(swings.size()));
    out << fmt::format(
        "  <text x=\"{:.1f}\" y=\"{:.0f}\" text-anchor=\"middle\" fill=\"#555\">base {}</text>\n",
        x(base), top + row_h * static_cast<double>(swings.size()) + 16, xml_escape(human(base, u)));
    out << fmt::format(
        "  <text x=\"{}\" y=\"{:.0f}\" fill=\"#4e79a7\">blue: input at its low</text>\n", left,
        height - 8);
    out << fmt::format(
        "  <text x=\"{}\" y=\"{:.0f}\" fill=\"#f28e2b\">orange: input at its high</text>\n",
        left + 170, height - 8);
    out << "</svg>\n";
    return;
  }
  const bool human_format = format == Format::table || format == Format::md;
  Table t;
  t.columns = {"input", "low", "high", "at_low", "at_high", "swing"};
  if (format == Format::table) t.columns.push_back("swing, to scale");
  t.right_aligned = {false, true, true, true, true, true, false};
  double widest = 0;
  for (const auto& s : swings)
    widest = std::max(widest, s.swing());
  for (const auto& s : swings) {
    const Figure& f = s.input->figure;
    std::vector<Cell> row{s.input->key,
                          human_format ? human(*f.low, f.unit) : plain_number(*f.low),
                          human_format ? human(*f.high, f.unit) : plain_number(*f.high),
                          human_format ? human(s.at_low, u) : plain_number(s.at_low),
                          human_format ? human(s.at_high, u) : plain_number(s.at_high),
                          human_format ? human(s.swing(), u) : plain_number(s.swing())};
    if (format == Format::table) {
      const int len = widest > 0 ? static_cast<int>(std::lround(40 * s.swing() / widest)) : 0;
      row.push_back(
          Cell(std::string(static_cast<std::size_t>(std::max(len, s.swing() > 0 ? 1 : 0)), '#'),
               tag_colour(f.tag)));
    }
    t.rows.push_back(std::move(row));
  }
  if (human_format)
    out << "tornado: " << target.key << " (" << target.label << "), base " << human(base, u) << " ["
        << tag_name(target.tag) << "]\n\n";
  write_table(out, t, format, style);
}

void write_explain(std::ostream& out, const Explanation& e, Format format, const Style& style) {
  const Row& r = *e.figure;
  const std::string result = fmt::format("{} [{}]", exact_with_unit(r), tag_name(r.tag));
  if (format == Format::json) {
    nlohmann::ordered_json doc;
    doc["schema"] = "leasecalc/explain/v1";
    doc["key"] = r.key;
    doc["label"] = r.label;
    doc["derived"] = r.derived;
    if (r.derived) {
      doc["formula"] = e.names;
      doc["with_values"] = e.values;
    }
    if (r.defined) doc["value"] = r.value;
    doc["unit"] = r.unit.name;
    doc["tag"] = tag_name(r.tag);
    doc["sources"] = r.sources;
    if (one_sided(r.bound)) doc["bound"] = bound_name(r.bound);
    if (!r.note.empty()) doc[r.defined ? "note" : "undefined"] = r.note;
    nlohmann::ordered_json operands = nlohmann::ordered_json::array();
    for (const Row* in : e.operands) {
      nlohmann::ordered_json x = figure_json(*in);
      x["derived"] = in->derived;
      x["sources"] = in->sources;
      operands.push_back(std::move(x));
    }
    doc["inputs"] = std::move(operands);
    out << doc.dump(2) << '\n';
    return;
  }
  Table t;
  t.columns = {"input", "value", "tag", "sources", "note"};
  t.right_aligned = {false, true, false, false, false};
  for (const Row* in : e.operands)
    t.rows.push_back(
        {in->key, exact_with_unit(*in),
         Cell(std::string(tag_name(in->tag)) + (in->derived ? "*" : ""), tag_colour(in->tag)),
         join(in->sources, " "), in->overridden ? "set from the shell" : in->note});
  if (format == Format::csv || format == Format::tsv) {
    t.rows.insert(t.rows.begin(), {r.key, r.defined ? plain_number(r.value) : "",
                                   std::string(tag_name(r.tag)), join(r.sources, " "), e.values});
    t.columns = {"key", "value", "tag", "sources", "formula"};
    write_table(out, t, format, Style{});
    return;
  }
  const bool md = format == Format::md;
  if (md) out << "```\n";
  out << r.key << ": " << r.label << '\n';
  if (!r.derived) {
    out << "  an input: " << result;
    if (!r.sources.empty()) out << ", from " << join(r.sources, ", ");
    out << '\n';
    if (!r.note.empty()) out << "  note: " << r.note << '\n';
  } else {
    const std::string pad(r.key.size() + 3, ' ');
    out << "  " << e.names << '\n';
    out << "  " << pad << "= " << e.values << '\n';
    out << "  " << pad << "= " << result << '\n';
    if (!r.note.empty()) out << "  note: " << r.note << '\n';
    out << "  sources: " << (r.sources.empty() ? "none" : join(r.sources, ", ")) << '\n';
  }
  if (md) out << "```\n";
  if (!e.operands.empty()) {
    out << '\n';
    write_table(out, t, format, style);
  }
}

}  // namespace leasecalc
