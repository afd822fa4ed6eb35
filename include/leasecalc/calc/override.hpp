// What-if overrides from the shell: `--set KEY=VALUE[@TAG[:SOURCE,...]]` (README "Usage", "Filing
// day").
//
// An override replaces one input figure by its key, with the tag given (default
// `assumption`) and its sources, no range, and a note of what it replaced. As in a file,
// a tag other than exact and assumption needs a source the scenario declares. It is validated
// like the same value in a file. Keys that a scenario leaves out but the model knows
// (lease.discount, loss.annual_net_loss, a catalog model's count, ...) can be set too.
// Pure: errors are returned as text for the command layer to report.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/scenario.hpp"

namespace leasecalc {

struct Override {
  std::string key;
  double value = 0;
  std::optional<Tag> tag;            // default: assumption
  std::string text;                  // the value of a key that is not a figure (text_keys())
  std::vector<std::string> sources;  // after the tag: @primary:s-1,s-2
  std::string note;                  // a case's reason, kept in the figure's note
  std::string written;               // the value as written on the command line, if it was
};

// Inputs that are not figures but may be set: lease.start (a date), finance.capex_at_start
// (true or false). They carry no tag.
const std::vector<std::string>& text_keys();

// Each function below throws UsageError with what is wrong; the command layer puts the
// option in front (with_context), as it knows which option said it.

// Parses "KEY=VALUE[@TAG[:SOURCE,...]]" with a strict base-10 VALUE.
Override parse_override(std::string_view text);

// Throws unless `key` is an input this scenario can set (an unknown key, with a "did you
// mean").
void require_input(const Scenario& scenario, std::string_view key);

// Throws unless the override's tag and sources are allowed ("a primary figure needs a
// source ...").
void require_sources(const Scenario& scenario, const Override& override);

// Applies one override. Throws for an unknown key (with a "did you mean") or a value
// outside the key's domain.
void apply_override(Scenario& scenario, const Override& override);

// Applies one entry of a case: its --set text, with the case's note for the figure.
void apply_case_set(Scenario& scenario, const Scenario::CaseSet& set);

// Applies the case `name` of the scenario's cases (README "Cases and comparisons"); "base"
// is the file as it is. Throws UsageError for a name the scenario lacks, with a "did you
// mean" and the names it has.
void apply_case(Scenario& scenario, std::string_view name);

// After overrides: throws when they are inconsistent (a per-type price missing for a
// model, a stated power with a PUE).
void check_consistency(const Scenario& scenario);

}  // namespace leasecalc
