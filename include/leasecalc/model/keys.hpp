// The input key table: one row per input key pattern (README "What leasecalc report shows"),
// written once.
//
// A row says how a key reads (its pattern, with `{}` for a key segment: a GPU model, a
// counterparty, a peer, a comp, a fact, or MODEL.FIELD in the catalog), its label, unit,
// domain and the tag of a bare number, where the loader finds it in a file, and how to
// list, find and set its figure in a Scenario. The report's input rows, `--set`, sweep and
// solve variables, simulate and tornado ranges, `sources`, the loader's domains and the
// completion's key list all come from this table. Rows are in report order. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/model/scenario.hpp"

namespace leasecalc {

// One figure of a scenario under its key.
struct InputRef {
  std::string key;    // "lease.occupancy"
  std::string label;  // "Occupancy"
  Figure* figure;
  Domain domain{};  // the row's
};

struct InputKey {
  using Segments = std::vector<std::string>;

  std::string_view pattern;  // "cluster.gpus.{}.count"
  std::string_view label;    // "{} GPUs": `{}` is the segment
  Domain domain;
  const Unit* unit;  // nullptr: the figure's own (a fact) or the catalog field's (unit_of)
  Tag bare_tag;      // the tag of a bare number in a file
  // Where a figure with a fixed place sits in a file ("costs/pue"): the loader reads every
  // such row in a section by itself. Empty: the section's own reader places it.
  std::string_view json;
  // How to reach the figures; null for a row whose figure lives in Scenario::figures.
  Segments (*present)(const Scenario& s);   // the segments the scenario has, in order
  Segments (*settable)(const Scenario& s);  // the segments `--set` may name
  Figure* (*find)(Scenario& s, std::string_view segment);                  // nullptr when absent
  void (*set)(Scenario& s, std::string_view segment, Figure f);            // replaces or adds
  Unit (*unit_of)(const Scenario& s, std::string_view segment) = nullptr;  // when !unit
  // A listing of its own, for rows whose figures depend on more than the scenario (the
  // catalog's depend on the basis) or whose label does (the fleet's name).
  void (*list)(const InputKey& row, Scenario& s, Basis basis, std::vector<InputRef>& out) = nullptr;

  std::string key(std::string_view segment) const;  // the pattern with `segment` in it
  // What to call: these also serve rows whose figures live in Scenario::figures.
  Figure* figure(Scenario& s, std::string_view segment) const;
  void put(Scenario& s, std::string_view segment, Figure f) const;
  Segments segments(const Scenario& s) const;  // present
};

const std::vector<InputKey>& input_keys();

// A key renamed since (README "Figures, tags and units"): lease.discount is now
// lease.price_discount, and so are lease.<TENANT>.discount and tail.discount. Returns the
// new key for an old one, else nothing. The old keys stay aliases: what reads a key maps
// it, and says so once on stderr with renamed_notice().
std::optional<std::string> renamed_key(std::string_view key);
std::string renamed_notice(std::string_view old_key, std::string_view new_key);

// The row with this pattern ("lease.occupancy", "cluster.gpus.{}.count"). Throws
// std::logic_error for a pattern not in the table (a programming error).
const InputKey& input_key(std::string_view pattern);

// The row and segment a key names, or nullopt when it matches no pattern.
struct KeyMatch {
  const InputKey* row;
  std::string segment;
};
std::optional<KeyMatch> match_input(std::string_view key);

// The figure an input key names in the scenario, or nullptr (an unknown key, a figure the
// scenario leaves out).
const Figure* figure_for_key(const Scenario& scenario, std::string_view key);

// The domain of an input key; Domain::above(0) for a key of no row.
Domain domain_for_key(std::string_view key);

// Every input figure of the scenario, in report order. `basis` selects which catalog
// figures are inputs (the basis figure of H100 and of each model in the cluster).
std::vector<InputRef> input_figures(Scenario& scenario, Basis basis);

// Every key `--set` may name in this scenario.
std::vector<std::string> settable_keys(const Scenario& scenario);

}  // namespace leasecalc
