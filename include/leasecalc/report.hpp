// A report: every input and computed figure of a scenario, ready for any formatter.
// Pure: builds plain rows from a Scenario and a Model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "leasecalc/calc.hpp"

namespace leasecalc {

struct Row {
  std::string key;
  std::string label;
  double value = 0;
  bool defined = true;  // false: a zero denominator; `note` says why
  Unit unit;
  Tag tag = Tag::exact;
  bool derived = false;
  std::vector<std::string> sources;
  std::vector<std::string> inputs;  // derived rows: the input keys behind the value
  std::optional<double> low, high;
  Bound bound = Bound::none;
  bool approx = false;
  bool overridden = false;
  std::string note;
};

struct Report {
  std::string scenario;  // its name
  std::string file;
  std::string as_of;
  Basis basis = Basis::bf16;
  std::vector<Row> rows;  // inputs first, in input_figures() order, then outputs

  const Row* find(std::string_view key) const;
};

// Throws InputError (at the scenario file) when a computed figure overflows a double:
// finite inputs must never produce an infinity in any output.
Report build_report(Scenario scenario, Basis basis);

}  // namespace leasecalc
