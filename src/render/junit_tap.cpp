// check as JUnit XML (a testsuite per note, a testcase per claim, expected failures as
// skipped) and as TAP 13 (expected failures as TODO), for CI systems.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "check.hpp"
#include "common.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc::render {

void write_check_junit(std::ostream& out, const std::vector<NoteResult>& notes) {
  const CheckTotals t = totals(notes);
  const int total = t.total, failed = t.failed, unexpected = t.unexpected, expected = t.expected;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format(
      "<testsuites name=\"leasecalc check\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n", total,
      failed + unexpected, expected);
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
}

void write_check_tap(std::ostream& out, const std::vector<NoteResult>& notes) {
  const CheckTotals t = totals(notes);
  const int total = t.total;
  const std::string& summary = t.summary;
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
}

}  // namespace leasecalc::render
