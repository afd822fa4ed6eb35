// Filing day (README "Filing day"): a scenario file's text with some figures changed in place.
//
// Only the changed figures are rewritten (each as one line); every other byte of the file
// stays as it was, so the key order, the layout and the comments-by-convention ("note")
// survive, and an update with no change returns the text unchanged. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leasecalc/calc/override.hpp"
#include "leasecalc/model/scenario.hpp"

namespace leasecalc {

// A source to declare under /sources: `leasecalc update --source ID --title ...`.
struct NewSource {
  std::string id, title, date, kind;
};

// What a filing changes besides values (README "Filing day"): a figure's note or range.
struct FigureEdit {
  std::string key;
  std::optional<std::string> note;                 // --note KEY=TEXT; "" drops the note
  std::optional<std::pair<double, double>> range;  // --range KEY=LOW:HIGH
  bool drop_range = false;                         // --drop-range KEY: low, high and dist go
};

struct Update {
  std::vector<Override> sets;  // validated, their sources set
  std::vector<FigureEdit> figures;
  std::string as_of;  // --as-of: the file's new as_of, or "" to keep it
  std::optional<NewSource> source;
};

// The new file. `text` is the file `scenario` was loaded from. A figure set to primary or
// exact loses low, high, dist and approx; one that keeps its range must stay inside it (the
// range a --range gives it, if any). A figure the file lacks is added to its section when
// the section exists. New lines end as the file's do (CRLF or LF). Throws UsageError when
// the change cannot be written (a value outside a kept range, a range the value is not in,
// a figure with no place in the file), naming the option that says it.
std::string update_text(std::string_view text, const Scenario& scenario, const Update& update);

}  // namespace leasecalc
