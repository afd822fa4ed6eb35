// Filing day (README "Filing day"): a scenario file's text with some figures changed in place.
//
// Only the changed figures are rewritten (each as one line); every other byte of the file
// stays as it was, so the key order, the layout and the comments-by-convention ("note")
// survive, and an update with no change returns the text unchanged. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/calc/override.hpp"
#include "leasecalc/model/scenario.hpp"

namespace leasecalc {

// A source to declare under /sources: `leasecalc update --source ID --title ...`.
struct NewSource {
  std::string id, title, date, kind;
};

// The new file. `text` is the file `scenario` was loaded from; `sets` are validated
// overrides (their sources set). A figure set to primary or exact loses low, high, dist and
// approx; one that keeps its range must stay inside it. A figure the file lacks is added to
// its section when the section exists. Throws UsageError when the change cannot be
// written (a value outside a kept range, a figure with no place in the file).
std::string update_text(std::string_view text, const Scenario& scenario,
                        const std::vector<Override>& sets, const std::optional<NewSource>& source);

}  // namespace leasecalc
