// The input key table: one row per input key pattern (SPEC §4), written once.
//
// A row says how a key reads (its pattern, with `{}` for a key segment: a GPU model, a
// counterparty, a peer, a comp, a fact, or MODEL.FIELD in the catalog), its label, unit,
// domain and the tag of a bare number, and how to find, list and set its figure in a
// Scenario. The report's input rows, `--set`, sweep and solve variables, simulate and
// tornado ranges, `sources`, the loader's domains and the completion's key list all come
// from this table. Rows are in report order. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/scenario.hpp"

namespace leasecalc {

// One figure of a scenario under its key.
struct InputRef {
  std::string key;    // "lease.occupancy"
  std::string label;  // "Occupancy"
  Figure* figure;
  Domain domain{};  // the row's
};

struct InputKey {
  std::string_view pattern;  // "cluster.gpus.{}.count"
  Domain domain;
  const Unit* unit;  // nullptr: the figure's own (a fact) or the catalog field's
  Tag bare_tag;      // the tag of a bare number in a file
  // Appends the figures present in the scenario, in order, with their keys and labels.
  void (*list)(Scenario& s, Basis basis, std::vector<InputRef>& out);
  // The segments `--set` may name ("" for a key without one), present or not.
  std::vector<std::string> (*settable)(const Scenario& s);
  // The figure under `segment`, or nullptr when the scenario has none.
  Figure* (*find)(Scenario& s, std::string_view segment);
  // Puts `f` under `segment`, replacing the figure there or adding it.
  void (*set)(Scenario& s, std::string_view segment, Figure f);
  // For rows whose unit is not fixed: the unit of the figure under `segment`.
  Unit (*unit_of)(const Scenario& s, std::string_view segment);

  std::string key(std::string_view segment) const;  // the pattern with `segment` in it
};

const std::vector<InputKey>& input_keys();

// The row with this pattern ("lease.occupancy", "cluster.gpus.{}.count"). Throws
// std::logic_error for a pattern not in the table (a programming error).
const InputKey& input_key(std::string_view pattern);

// The row and segment a key names, or nullopt when it matches no pattern.
struct KeyMatch {
  const InputKey* row;
  std::string segment;
};
std::optional<KeyMatch> match_input(std::string_view key);

// The domain of an input key; Domain::above(0) for a key of no row.
Domain domain_for_key(std::string_view key);

// Every input figure of the scenario, in report order. `basis` selects which catalog
// figures are inputs (the basis figure of H100 and of each model in the cluster).
std::vector<InputRef> input_figures(Scenario& scenario, Basis basis);

// Every key `--set` may name in this scenario.
std::vector<std::string> settable_keys(const Scenario& scenario);

}  // namespace leasecalc
