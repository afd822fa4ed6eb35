// The calculation core: every formula of SPEC §4, written once over a number type.
//
// `Model` compiles a scenario (plus the basis in force) into input slots and an output
// layout. `evaluate<T>` runs the formulas on `Tracked` (value, unit, tag, sources,
// bound: for report and explain) or on `double` (for sweeps and simulations, where
// provenance is computed once beside the loop and each evaluation allocates nothing).
// Pure: no files, no printing.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "leasecalc/figure.hpp"
#include "leasecalc/scenario.hpp"

namespace leasecalc {

// The inputs of the formulas, one slot per value. Per-model vectors follow the order of
// Scenario::gpus. A uniform price is copied into every model's price slot.
template <class T>
struct Inputs {
  std::vector<T> count;   // GPUs of each model
  std::vector<T> metric;  // each model's basis figure (TFLOPS, TB/s); unused for `units`
  std::vector<T> price;   // USD per GPU-hour, per model
  T h100_metric{};        // H100's basis figure
  T occupancy{};
  T hours_per_year{};
  T discount{};  // 0 (exact) when the scenario gives none
  T power_mw{};
  T fleet_h100e{};
  T loss{};
};

struct OutputDef {
  std::string key;
  std::string label;
  Unit unit;
  std::string formula;    // in figure keys, for explain
  std::string undefined;  // why the value may be undefined ("the annual net loss is 0")
};

class Model {
 public:
  // Throws InputError when a model lacks the figure the basis needs.
  Model(const Scenario& scenario, Basis basis);

  Basis basis() const { return basis_; }
  const std::vector<OutputDef>& outputs() const { return outputs_; }
  // Index of an output key in the layout, or npos.
  std::size_t find_output(std::string_view key) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  const Inputs<Tracked>& tracked_inputs() const { return tracked_; }
  Inputs<double> plain_inputs() const;

  // Fills `out` (resized to outputs().size()) in the layout's order. A value that a
  // zero denominator leaves undefined is NaN. Values are in each OutputDef's unit.
  template <class T>
  void evaluate(const Inputs<T>& in, std::vector<T>& out) const;

 private:
  void add(std::string key, std::string label, const Unit& unit, std::string formula,
           std::string undefined = "");

  Basis basis_;
  std::vector<std::string> models_;
  bool has_power_, has_fleet_, has_loss_;
  Inputs<Tracked> tracked_;
  std::vector<OutputDef> outputs_;
};

extern template void Model::evaluate<double>(const Inputs<double>&, std::vector<double>&) const;
extern template void Model::evaluate<Tracked>(const Inputs<Tracked>&, std::vector<Tracked>&) const;

}  // namespace leasecalc
