// The lines a claim's verdict is explained by, shared by check's writers.
#pragma once

#include <string>
#include <vector>

#include "leasecalc/calc/note.hpp"

namespace leasecalc::render {

// What the note states, in the figure's unit: "~$5B/yr ± 1%", "at least 300 MW".
std::string stated_summary(const ClaimResult& r);
// The lines that explain a claim's verdict: what failed, the text, the inputs.
std::vector<std::string> detail_lines(const ClaimResult& c);
// "12 claims in 2 notes: 10 passed, 1 failed, 1 expected failure".
struct CheckTotals {
  int passed = 0, failed = 0, expected = 0, unexpected = 0, total = 0;
  std::string summary;
};
CheckTotals totals(const std::vector<NoteResult>& notes);

void write_check_junit(std::ostream& out, const std::vector<NoteResult>& notes);
void write_check_tap(std::ostream& out, const std::vector<NoteResult>& notes);

}  // namespace leasecalc::render
