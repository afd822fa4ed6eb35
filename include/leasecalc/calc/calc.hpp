// The calculation core: every formula of README "What leasecalc report shows", written once over a
// number type.
//
// `Model` compiles a scenario (plus the basis in force) into input slots and an output
// layout. `evaluate<T>` runs the formulas on `Tracked` (value, unit, tag, sources,
// bound: for report and explain) or on `double` (for sweeps and simulations, where
// provenance is computed once beside the loop and each evaluation allocates nothing).
// Pure: no files, no printing.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "leasecalc/model/expr.hpp"
#include "leasecalc/model/figure.hpp"
#include "leasecalc/model/scenario.hpp"

namespace leasecalc {

// The inputs of the formulas, one slot per input figure (in input_figures() order) and
// then the constants the formulas need; the Model names each slot it uses.
template <class T>
using Inputs = std::vector<T>;

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
inline constexpr unsigned costs = 512;      // opex, capex, profit and their break-evens
inline constexpr unsigned contract = 1024;  // the contract month by month (needs costs)
inline constexpr unsigned irr = 2048;       // the contract's IRR: a root search (needs contract)
inline constexpr unsigned calendar = 4096;  // revenue by calendar year (needs contract)
// debt, tax, the investor's flows and the tail: the horizon's months (needs contract)
inline constexpr unsigned financing = 8192;
inline constexpr unsigned all = 16383;  // GPU total, GPU-hours and revenue are always computed
}  // namespace groups

// One month of the contract (README "Costs, margin and the contract"): `online` is a share,
// `gpu_hours` GPU-hours, the rest USD in the month (cumulative_cash: at its end).
template <class T>
struct Month {
  T online, gpu_hours, revenue, opex, depreciation, ebitda, ebit, cash, cumulative_cash, pv_cash;
  // With debt or tax (README "Debt and tax"): the loan's interest, principal repaid, debt
  // service and balance at the month's start; the project's tax and the equity's; the
  // equity's cash and the month's DSCR. `taxable`, `pretax` and `equity_taxable` name the
  // steps of the tax for explain.
  T interest, principal, debt_service, balance, tax, equity_tax, equity_cash, dscr;
  T taxable, pretax, equity_taxable;
  // The writing reading only (Expr): the months the loop runs, to the investor's horizon.
  T horizon{};
  // With several tenants: each one's share of the cluster online, GPU-hours and revenue.
  struct Part {
    T online, gpu_hours, revenue;
  };
  std::vector<Part> tenants;
};

// The month's quantities by name, in the order explain names them and the workbook's
// Schedule lays them out.
template <class T>
const std::array<std::pair<const char*, T Month<T>::*>, 18>& month_quantities() {
  using M = Month<T>;
  static const std::array<std::pair<const char*, T M::*>, 18> table{{
      {"revenue", &M::revenue},
      {"opex", &M::opex},
      {"ebitda", &M::ebitda},
      {"online", &M::online},
      {"depreciation", &M::depreciation},
      {"ebit", &M::ebit},
      {"interest", &M::interest},
      {"principal", &M::principal},
      {"debt_service", &M::debt_service},
      {"balance", &M::balance},
      {"taxable", &M::taxable},
      {"tax", &M::tax},
      {"pretax", &M::pretax},
      {"equity_taxable", &M::equity_taxable},
      {"equity_tax", &M::equity_tax},
      {"cash", &M::cash},
      {"equity_cash", &M::equity_cash},
      {"dscr", &M::dscr},
  }};
  return table;
}

// The annual internal rate of return of cash flows at months 0, 1, .. (flows[k] at month
// k), or nullopt when the flows do not change sign exactly once: then there is no rate or
// there may be several. With one change of sign, NPV times (1 + r)^(k0 / 12) (k0 the first
// month of the second sign) is monotone in r, so the root is unique and bisection on a
// bracket found by doubling converges to it. Also nullopt when a double cannot hold the
// rate, or cannot pin it to 1e-9 (relative above 1): the flows' polynomial does not
// change sign beyond its rounding error across the rate +- 1e-9.
std::optional<double> irr(const double* flows, std::size_t n);

struct OutputDef {
  std::string key;
  std::string label;
  Unit unit;
  std::string undefined;  // why the value may be undefined ("the annual net loss is 0")
  unsigned group = 0;     // groups::..., 0 for the figures always computed
  // In the report: false for a calendar year the term in force does not reach (0; it
  // stays a key that a sweep of the term may name).
  bool listed = true;
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
  // The longest term a lease may have, in months (100 years).
  static constexpr int max_term_months = 1200;

  const Inputs<Tracked>& tracked_inputs() const { return tracked_; }
  Inputs<double> plain_inputs() const;
  // The slot of input `key`, or npos when the key is not an input of this model. A
  // uniform price has one slot, which every model's price reads.
  std::size_t input_slot(std::string_view key) const;

  // Fills `out` (resized to outputs().size()) in the layout's order. A value that a
  // zero denominator leaves undefined is NaN. Values are in each OutputDef's unit.
  // Outputs of groups not in `needs` are left as they were.
  // With `months`, also every month of the contract (when the scenario has a term).
  template <class T>
  void evaluate(const Inputs<T>& in, std::vector<T>& out, unsigned needs = groups::all,
                std::vector<Month<T>>* months = nullptr) const;
  // Every output as the expression of its formula over the input keys (`explain`'s
  // text), in the layout's order; with `month`, the contract's month in the symbol m.
  std::vector<Expr> expressions(Month<Expr>* month = nullptr) const;
  // The contract's months, tracked (empty without lease.term_months), and its start
  // ("YYYY-MM-DD" or empty).
  std::vector<Month<Tracked>> months() const;
  // The tenants' names, in file order (empty for one lease).
  std::vector<std::string> tenant_names() const;
  const std::string& start() const { return start_; }
  // The groups to evaluate for these outputs, with the groups they depend on.
  unsigned needs_for(const std::vector<std::size_t>& output_indices) const;

 private:
  // Registers an output; returns its index in the layout.
  std::size_t add(unsigned group, std::string key, std::string label, const Unit& unit,
                  std::string undefined = "");
  std::size_t slot(std::string_view key) const;  // input_slot, or a logic_error
  // input_slot of a key the key table reads, or a logic_error (a misspelt key).
  std::size_t optional_slot(std::string_view key) const;
  void add_costs(bool has_power, bool has_loss);
  // Several tenants: their slots and per-tenant outputs.
  void add_tenants(const Scenario& s);
  template <class T>
  void evaluate_tenants(const Inputs<T>& in, std::vector<T>& out, const T& gpus, T& gpu_hours,
                        T& full, T& revenue, T& paid) const;
  void add_contract(const Scenario& s);
  void add_financing();
  void add_market();
  // The slot of model i's lease price at the start (the first tenant's that takes it), or
  // npos: what a market.decline runs from.
  std::size_t lease_price_slot(std::size_t i) const;
  template <class T>
  void evaluate_contract(const Inputs<T>& in, std::vector<T>& out, unsigned needs,
                         std::vector<Month<T>>* months) const;
  // What the lease earns, as costs and their break-evens need it: revenue at full
  // occupancy, revenue, and the GPU-hours paid for net of any discount.
  template <class T>
  struct Earned {
    const T& full;
    const T& revenue;
    const T& paid;
  };
  template <class T>
  void evaluate_costs(const Inputs<T>& in, std::vector<T>& out, const Earned<T>& earned) const;
  template <class T>
  T unless_floor_covers(const Inputs<T>& in, const T& occupancy) const;
  std::size_t constant(double value, const Unit& unit);

  Basis basis_;
  bool uniform_ = false;  // one price for every model
  bool capex_at_start_ =
      false;           // the owner pays capex at month 0 (README "Costs, margin and the contract")
  bool debt_ = false;  // a loan against capex (README "Debt and tax")
  bool tail_ = false;  // the GPUs re-leased after the contract (README "The market and the tail")
  Scenario::Amortization amortization_ = Scenario::Amortization::annuity;
  std::string start_;
  int start_year_ = 0, start_month_ = 0;  // 0-based month of the year
  std::vector<int> ramp_months_;
  // One per tenant of "leases" (README "Several tenants"); empty for a one-lease scenario.
  struct Tenant {
    std::string id, name;
    std::vector<std::size_t> count, price;  // per cluster model; npos when not taken
    std::size_t occupancy = npos, discount = npos, term = npos, escalator = npos,
                take_or_pay = npos;
    std::vector<std::size_t> ramp;
    std::vector<int> ramp_months;
    int start = 0;  // months after the cluster timeline's first month
    // outputs
    std::size_t gpus = npos, gpu_hours = npos, revenue = npos, share = npos;
    std::size_t revenue_total = npos, pv_revenue = npos;
    // its margin, with costs allocated by its share of the cluster's GPUs (README
    // "Several tenants"), and the contract's EBITDA and NPV on its share
    std::size_t ebitda = npos, ebitda_margin = npos, ebitda_total = npos, npv = npos;
  };
  std::vector<Tenant> tenants_;
  std::size_t idle_power_ = npos;  // costs.idle_power's slot
  // The yearly costs that do not follow the GPUs online (colocation, other opex): the one
  // list costs.opex and the contract's months sum.
  std::vector<std::size_t> fixed_costs_;
  std::vector<std::string> models_;
  // capacity groups in order of first appearance, each with its commitments' indices
  std::vector<std::pair<std::string, std::vector<std::size_t>>> groups_;
  std::vector<std::string> input_keys_;  // the key of each input slot
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> slot_of_key_;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> output_of_key_;
  Inputs<Tracked> tracked_;
  std::vector<OutputDef> outputs_;

  // The slots the formulas read, by name; per-model vectors follow Scenario::gpus.
  struct In {
    std::vector<std::size_t> count, metric, price, capacity, peer, comp;
    std::size_t h100_metric = npos, occupancy = npos, hours = npos, discount = npos, power = npos,
                fleet = npos, loss = npos, valuation = npos;
    std::size_t power_price = npos, power_load = npos, colocation = npos, opex_per_gpu = npos,
                capex_per_gpu = npos, life = npos, residual = npos,
                pue = npos;  // README "Costs, margin and the contract"
    // per-model capex; watts a GPU (server power, or TDP) for a derived power
    std::vector<std::size_t> capex_each, watts;
    std::size_t term = npos, escalator = npos, take_or_pay = npos,
                rate = npos;  // README "Costs, margin and the contract"
    // README "Debt and tax"
    std::size_t debt_share = npos, debt_rate = npos, debt_term = npos, debt_io = npos,
                debt_fee = npos, dscr_covenant = npos, equity_rate = npos, tax_rate = npos;
    // README "The market and the tail": per cluster model, its dated prices' slots and
    // their months from the start
    std::vector<std::vector<std::size_t>> market;
    std::vector<std::vector<int>> market_months;
    std::size_t decline = npos, tail_until = npos, tail_occupancy = npos, tail_discount = npos;
    std::vector<std::size_t> ramp;
  } in_;
  // The outputs the formulas write, by name; npos for one the scenario has no inputs for.
  struct Out {
    std::size_t gpus = npos, h100e_total = npos, fleet_share = npos, gpu_hours = npos,
                revenue = npos, per_h100e = npos, per_mw = npos, kw_per_gpu = npos, coverage = npos,
                gap = npos, breakeven_price = npos, breakeven_occupancy = npos,
                breakeven_gpus = npos, capacity_total = npos, valuation_multiple = npos;
    // README "Costs, margin and the contract"
    std::size_t energy = npos, power_cost = npos, colocation = npos, other = npos, opex = npos,
                capex_total = npos, depreciation = npos, ebitda = npos, ebitda_margin = npos,
                ebit = npos, ebit_margin = npos, cost_per_gpu_hour = npos,
                breakeven_price_cost = npos, breakeven_occupancy_cost = npos,
                coverage_ebitda = npos, payback = npos, power_mw = npos, it_power_mw = npos;
    // README "Costs, margin and the contract"
    std::size_t revenue_total = npos, ebitda_total = npos, pv_revenue = npos, pv_ebitda = npos,
                book_value_end = npos, npv = npos, irr = npos, payback_months = npos;
    // README "Debt and tax"
    std::size_t debt_principal = npos, debt_fee_paid = npos, debt_payment = npos,
                debt_interest_total = npos, debt_service_total = npos, debt_balance_end = npos,
                dscr_min = npos, dscr_min_month = npos, months_below_covenant = npos,
                tax_total = npos, terminal_value = npos, investment_npv = npos,
                investment_irr = npos, investment_payback = npos, equity_invested = npos,
                equity_npv = npos, equity_irr = npos, equity_multiple = npos, equity_payback = npos;
    // README "The market and the tail"
    std::size_t tail_months = npos, tail_revenue = npos, tail_ebitda = npos;
    std::vector<std::size_t> market_at_end;  // per cluster model with a market price
    std::vector<std::size_t> calendar;       // revenue per calendar year from start_year_
    std::size_t leased_share = npos, idle_gpus = npos,
                idle_cost = npos;  // README "Several tenants"
    std::vector<std::size_t> factor, h100e, share_units, share_h100e, capacity_group,
        capacity_share, comp_value, comp_share;
  } out_;
};

// Evaluates a model on plain doubles, again and again, with some inputs bound to new
// values: the one loop behind sweep, solve, simulate and tornado. Allocates nothing per
// evaluation.
class Evaluator {
 public:
  // `inputs`: the keys set() addresses, by position (each an input of the model);
  // `outputs`: the output indices run() must compute (others may be stale).
  Evaluator(const Model& model, const std::vector<std::string>& inputs,
            const std::vector<std::size_t>& outputs);
  void set(std::size_t input, double value) { in_[slots_[input]] = value; }
  double input(std::size_t slot) const { return in_[slot]; }
  const std::vector<double>& run() {
    model_->evaluate(in_, out_, needs_);
    return out_;
  }
  // run(), and the contract's months into `months` (cleared first).
  const std::vector<double>& run_months(std::vector<Month<double>>& months) {
    months.clear();
    model_->evaluate(in_, out_, needs_ | groups::contract | groups::financing, &months);
    return out_;
  }

 private:
  const Model* model_;
  std::vector<std::size_t> slots_;
  unsigned needs_;
  Inputs<double> in_;
  std::vector<double> out_;
};

extern template void Model::evaluate<double>(const Inputs<double>&, std::vector<double>&, unsigned,
                                             std::vector<Month<double>>*) const;
extern template void Model::evaluate<Tracked>(const Inputs<Tracked>&, std::vector<Tracked>&,
                                              unsigned, std::vector<Month<Tracked>>*) const;
extern template void Model::evaluate<Expr>(const Inputs<Expr>&, std::vector<Expr>&, unsigned,
                                           std::vector<Month<Expr>>*) const;

}  // namespace leasecalc
