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
  std::vector<T> capacity_gw;  // per commitment, in Scenario::capacity order
  std::vector<T> peer_gw;      // per peer
  T valuation{};
  std::vector<T> comp_multiple;  // per comp
};

// Groups of outputs that evaluate() computes together; a caller that needs only some
// (a sweep of two figures) can skip the rest.
namespace groups {
inline constexpr unsigned h100e = 1;        // factors, H100e per model and in total
inline constexpr unsigned shares = 2;       // shares within the cluster (needs h100e)
inline constexpr unsigned fleet = 4;        // share of the fleet (needs h100e)
inline constexpr unsigned per_h100e = 8;    // revenue per H100e-hour (needs h100e)
inline constexpr unsigned power = 16;       // per MW, per GPU
inline constexpr unsigned coverage = 32;    // coverage and gap
inline constexpr unsigned breakeven = 64;   // break-even price, occupancy and GPUs
inline constexpr unsigned capacity = 128;   // capacity totals, groups, shares of peers
inline constexpr unsigned valuation = 256;  // valuation multiple, comps' implied values
inline constexpr unsigned all = 511;        // GPU total, GPU-hours and revenue are always computed
}  // namespace groups

struct OutputDef {
  std::string key;
  std::string label;
  Unit unit;
  // The formula with each operand as {figure.key}, e.g. "{lease.annual_revenue} /
  // {loss.annual_net_loss}": explain substitutes names or values.
  std::string formula;
  std::string undefined;  // why the value may be undefined ("the annual net loss is 0")
  unsigned group = 0;     // groups::..., 0 for the figures always computed
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
  // The slots of `in` that hold input `key`: one for most keys, one per model for a
  // uniform price, two for H100's basis figure when H100 is in the cluster. Empty when
  // the key is not an input of this model.
  std::vector<double*> slots(Inputs<double>& in, std::string_view key) const;

  // Fills `out` (resized to outputs().size()) in the layout's order. A value that a
  // zero denominator leaves undefined is NaN. Values are in each OutputDef's unit.
  // Outputs of groups not in `needs` are left as they were.
  template <class T>
  void evaluate(const Inputs<T>& in, std::vector<T>& out, unsigned needs = groups::all) const;
  // The groups to evaluate for these outputs, with the groups they depend on.
  unsigned needs_for(const std::vector<std::size_t>& output_indices) const;

 private:
  void add(unsigned group, std::string key, std::string label, const Unit& unit,
           std::string formula, std::string undefined = "");

  Basis basis_;
  std::vector<std::string> models_;
  bool has_power_, has_fleet_, has_loss_, has_valuation_;
  // capacity groups in order of first appearance, each with its commitments' indices
  std::vector<std::pair<std::string, std::vector<std::size_t>>> groups_;
  Inputs<Tracked> tracked_;
  std::vector<OutputDef> outputs_;
};

extern template void Model::evaluate<double>(const Inputs<double>&, std::vector<double>&,
                                             unsigned) const;
extern template void Model::evaluate<Tracked>(const Inputs<Tracked>&, std::vector<Tracked>&,
                                              unsigned) const;

}  // namespace leasecalc
