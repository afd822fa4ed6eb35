// What-if analysis on a compiled model: sweeps, goal seeking, and explanations.
//
// Sweeps and solves evaluate the same formulas as `report`, on plain doubles, writing
// the varied input straight into its slots; provenance is computed once, outside the
// loop. Pure: results are handed to a callback or returned, never printed.
#pragma once

#include <cmath>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "leasecalc/calc/calc.hpp"
#include "leasecalc/calc/report.hpp"

namespace leasecalc {

// One swept input: the i-th value is start + i * step (no accumulated drift), i < count.
// When START and STEP are written as plain decimals, each value is rounded to their
// decimal places, so 1.5 + 1234 x 0.001 is the double nearest 2.734, as typed.
struct Axis {
  std::string key;
  double start = 0, stop = 0, step = 0;
  std::size_t count = 0;
  double scale = 0;  // 10^decimals, or 0 when START or STEP has an exponent
  double at(std::size_t i) const {
    const double v = start + static_cast<double>(i) * step;
    return scale > 0 ? std::round(v * scale) / scale : v;
  }
};

// Parses "KEY=START:STOP:STEP" (strict numbers). The end is inclusive: count is
// (STOP - START) / STEP + 1, rounded to the nearest whole number when within 1e-9 of
// it and rounded down otherwise, so no value passes STOP. Throws UsageError for a step
// <= 0 or STOP below START.
Axis parse_axis(std::string_view text);

// A grid sweep over a model. Build the model from a scenario that already holds each
// axis key (apply an override at START), so every key has its slots.
class Sweep {
 public:
  // `outs` are output keys of the model or input keys. Throws UsageError naming the
  // first unknown key, with a "did you mean".
  static Sweep make(const Model& model, std::vector<Axis> axes, std::vector<std::string> outs);

  // Rows in the grid; saturates at SIZE_MAX.
  std::size_t rows() const;
  const std::vector<Axis>& axes() const { return axes_; }
  const std::vector<std::string>& outs() const { return outs_; }

  // Calls row(values) for each grid point, the last axis varying fastest; `values` holds
  // the axes' values then the outputs' (NaN where undefined). Stops when row returns false.
  template <class F>
  void run(F&& row) const {
    run_range(0, rows(), std::forward<F>(row));
  }
  // The same for rows [begin, end) of the grid only: a share of the work for one thread.
  template <class F>
  void run_range(std::size_t begin, std::size_t end, F&& row) const;

 private:
  const Model* model_ = nullptr;
  std::vector<Axis> axes_;
  std::vector<std::string> outs_;
  std::vector<std::size_t> out_index_;  // output slot, or npos for an input key
  std::vector<std::size_t> out_index_without_inputs() const {
    std::vector<std::size_t> v;
    for (std::size_t i : out_index_)
      if (i != Model::npos) v.push_back(i);
    return v;
  }
  std::vector<std::size_t> out_slot_;  // the input slot where out_index_ is npos
};

struct Solution {
  bool found = false;
  double x = 0;         // the input value (found)
  double crossing = 0;  // where output = target exactly; differs from x for a whole-number input
  double achieved = 0;  // the target output at x (found)
  double reach_low = 0, reach_high = 0;  // the target's range over the domain (not found)
  double domain_low = 0, domain_high = 0;
  bool depends = true;  // false: the target does not move with the input at all
};

// Finds x in the input's domain with output(x) = target: samples the domain (linearly
// for a bounded one, geometrically up to 1e15 otherwise), takes the first interval where
// output - target changes sign, and bisects it to the last bit. A whole-number input (a GPU
// count) gets the smallest whole number at or past the crossing, and is sampled at whole
// numbers only. `valid`, when given, says which values the scenario allows (a debt term
// longer than its interest-only months), an interval of the domain: the samples outside
// it are trimmed from both ends.
Solution solve(const Model& model, std::string_view input_key, std::string_view output_key,
               double target, const std::function<bool(double)>& valid = {});

// The values of `input_key` the scenario allows: as --set would take them (its domain),
// consistent with the rest (check_consistency). For solve's `valid`; it refers to
// `scenario`, which must outlive it.
std::function<bool(double)> allowed_values(const Scenario& scenario, std::string input_key);

// Why there is no solution, in the target's human units: "breakeven.coverage stays
// between 0.0% and 83.5% for lease.discount from 0 to 1, never 100.0%".
std::string no_solution_text(const Solution& sol, const OutputDef& target_def,
                             std::string_view input_key, double target);

// The result of a solve as a two-row report: the solved input, then the target. With the
// input fixed as exact, the target's tag and sources are those of every other input it
// rests on, and so are the solved input's (its note says how it was solved).
Report solve_report(Scenario scenario, Basis basis, std::string_view input_key,
                    std::string_view target_key, double target, const Solution& sol);

// "how was this figure computed": the formula with names and with values.
struct Explanation {
  const Row* figure = nullptr;
  std::string names;                 // "lease.annual_revenue = cluster.gpus.total x ..."
  std::string values;                // "220,000 x 2.6 x 8,760 x 1"
  std::vector<const Row*> operands;  // in formula order, each once
  std::size_t named = 0;  // operands[0, named) are named by the formula, the rest by `where`
  std::vector<std::string> where;         // "revenue(m) = ...": the month's quantities used
  std::vector<std::string> where_values;  // the same with values
};

// Explains `key` of `report`, whose formulas are those of `model`. Returns nullopt for
// an unknown key. For an input, names and values are empty: it is given, not computed.
std::optional<Explanation> explain(const Report& report, const Model& model, std::string_view key);

// report --brief (README "Reading the report"): the headline figures and the figures each
// headline's formula names (its first operands in `explain`, not those of the month's
// quantities), in the report's order. The headline
// figures stay in `rows`, so the headline block shows them.
Report brief_report(const Report& report, const Model& model);

// The formulas of a model's outputs as text, from their expressions (the Expr reading):
// `{key}` for an input or another figure, `revenue(m)` for a quantity of the contract's
// month m.
class Formulas {
 public:
  explicit Formulas(const Model& model);
  // It names the month's quantities by pointers into its own month_: not to be copied.
  Formulas(const Formulas&) = delete;
  Formulas& operator=(const Formulas&) = delete;
  // Output `index`'s formula; with `where`, the definitions of the month's quantities it
  // uses ("revenue(m) = ...").
  std::string text(std::size_t index, std::vector<std::string>* where = nullptr) const;

  // The outputs' expressions, in the layout's order, and the contract's month in m.
  const std::vector<Expr>& expressions() const { return figures_; }
  const Month<Expr>& month() const { return month_; }
  // The output that node `e` is, within output `index`'s formula (npos: none, or `index`
  // itself): the output defined last before `index`, else the first after it.
  std::size_t figure_of(const Expr& e, std::size_t index) const;
  // The month's quantities the formulas name ("revenue", ...), each with its expression.
  const std::vector<std::pair<const Expr*, std::string>>& quantities() const {
    return month_names_;
  }

 private:
  std::string name_of(const Expr& e, std::size_t index) const;
  const Model& model_;
  Month<Expr> month_;
  std::vector<Expr> figures_;
  // The figures each node is, ascending: figure_of without a walk over every figure.
  std::unordered_map<const void*, std::vector<std::size_t>> figures_of_node_;
  std::vector<std::pair<const Expr*, std::string>> month_names_;
};

// --- implementation of the template ---

template <class F>
void Sweep::run_range(std::size_t begin, std::size_t end, F&& row) const {
  if (begin >= end) return;
  std::vector<std::string> keys;
  for (const auto& a : axes_)
    keys.push_back(a.key);
  Evaluator eval(*model_, keys, out_index_without_inputs());
  const std::size_t k = axes_.size();
  std::vector<std::size_t> index(k, 0);
  std::size_t rest = begin;  // row `begin` in mixed radix, the last axis fastest
  for (std::size_t a = k; a-- > 0;) {
    index[a] = rest % axes_[a].count;
    rest /= axes_[a].count;
  }
  std::vector<double> values(k + outs_.size());
  auto put = [&](std::size_t a) {
    values[a] = axes_[a].at(index[a]);
    eval.set(a, values[a]);
  };
  for (std::size_t a = 0; a < k; ++a)
    put(a);
  for (std::size_t r = begin; r < end; ++r) {
    const std::vector<double>& out = eval.run();
    for (std::size_t j = 0; j < outs_.size(); ++j)
      values[k + j] = out_index_[j] != Model::npos ? out[out_index_[j]] : eval.input(out_slot_[j]);
    if (!row(static_cast<const std::vector<double>&>(values))) return;
    std::size_t a = k;
    while (a > 0) {
      --a;
      if (++index[a] < axes_[a].count) {
        put(a);
        break;
      }
      index[a] = 0;
      put(a);
    }
  }
}

}  // namespace leasecalc
