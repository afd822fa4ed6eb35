#include "leasecalc/calc.hpp"

#include "leasecalc/keys.hpp"
#include "number.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace leasecalc {
namespace {

using number::ceil_up;
using number::constant;
using number::Index;
using number::quotient;

constexpr int k_max_term = 1200;  // months: lease.term_months's domain

// Why a break-even occupancy is undefined under take-or-pay.
constexpr std::string_view k_floor_covers =
    "the take-or-pay minimum (lease.take_or_pay) is paid at any occupancy and already covers";

}  // namespace

// The contract's sums, flows, calendar and ramp, for each reading (a named namespace: the
// contract's local types hold them).
namespace contract {

using number::constant;
using number::Index;
// A sum over the contract's months: added month by month when a reading computes, the
// one month's term summed over the horizon when it writes.
template <class T>
class Sum {
 public:
  explicit Sum(T zero) : total_(std::move(zero)) {}
  void add(const T& x) {
    if constexpr (number::is_expr<T>)
      total_ = x;
    else
      total_ = total_ + x;
  }
  T over(const T& horizon) const {
    if constexpr (number::is_expr<T>)
      return Expr::node(Expr::Op::sum, {total_, horizon});
    else
      return total_;
  }

 private:
  T total_;
};

// The cash flows of the contract at months 0 .. horizon: what the IRR and the payback
// search. Found by a search, each takes the provenance of what entered it (`like`, which
// the caller builds from every flow) and of the horizon.
template <class T>
class Flows {
 public:
  Flows(T start, bool keep) : start_(start), cumulative_(std::move(start)), keep_(keep) {
    if constexpr (!number::is_expr<T>)
      if (keep_) values_[0] = value_of(start_);
  }
  // Month m's flow, at the month's end; returns the cumulative flow then.
  T add(const Index<T>& m, const T& flow) {
    if constexpr (number::is_expr<T>) {
      each_ = flow;
      return start_ + Expr::node(Expr::Op::sum, {flow, m + Expr(1)});
    } else {
      cumulative_ = cumulative_ + flow;
      if (payback_ == 0 && value_of(cumulative_) >= 0) payback_ = m + 1;
      if (keep_) values_[static_cast<std::size_t>(m) + 1] = value_of(flow);
      months_ = m + 1;
      return cumulative_;
    }
  }
  // The annual rate at which the flows and `terminal` at the horizon have an NPV of 0.
  T irr(const T& like, const T& terminal, const T& horizon) {
    if constexpr (number::is_expr<T>) {
      (void)like;
      return Expr::node(Expr::Op::irr, {start_, each_, horizon, terminal});
    } else {
      values_[static_cast<std::size_t>(months_)] += value_of(terminal);
      const auto r = leasecalc::irr(values_.data(), static_cast<std::size_t>(months_) + 1);
      return valued(depends_on(depends_on(like, terminal), horizon), r ? *r : number::k_nan,
                    units::rate_per_year);
    }
  }
  // The first month (from 1) whose cumulative flow is at least 0, or undefined.
  T payback(const T& like, const T& horizon) const {
    if constexpr (number::is_expr<T>) {
      (void)like;
      return Expr::node(Expr::Op::payback, {start_, each_, horizon});
    } else {
      return valued(depends_on(like, horizon), payback_ ? payback_ : number::k_nan, units::months);
    }
  }

 private:
  // `like`'s provenance with another value and unit.
  static T valued(T like, double v, const Unit& unit) {
    if constexpr (number::is_tracked<T>) like.unit = unit;
    (void)unit;
    return number::with_value(like, v);
  }
  T start_, cumulative_, each_{};
  bool keep_;
  int payback_ = 0, months_ = 0;
  // k_max_term + 1; months 0 .. months_ are written before they are read: no memset a row
  std::array<double, 1201> values_;
};

// Revenue per calendar year, into the year's output: the month's year from the start.
template <class T>
class Calendar {
 public:
  Calendar(std::vector<T>& out, const std::vector<std::size_t>& years, int start_month,
           const T& zero)
      : out_(out), years_(years), start_month_(start_month) {
    for (std::size_t y : years_)
      out_[y] = zero;
  }
  void add(const Index<T>& m, const T& revenue) {
    if constexpr (number::is_expr<T>) {
      each_ = revenue;
    } else {
      const auto y = static_cast<std::size_t>((start_month_ + m) / 12);
      if (y < years_.size()) out_[years_[y]] = out_[years_[y]] + revenue;
    }
  }
  // Each year's sum over its months within the horizon. A year beyond it is 0 because of
  // the horizon, and so depends on the terms as the years within do.
  void finish(const T& horizon, int start_year) {
    for (std::size_t y = 0; y < years_.size(); ++y) {
      if constexpr (number::is_expr<T>)
        out_[years_[y]] = Expr::node(Expr::Op::sum_in, {each_, horizon},
                                     std::to_string(start_year + static_cast<int>(y)));
      else if constexpr (number::is_tracked<T>)
        out_[years_[y]] = depends_on(out_[years_[y]], horizon);
    }
    (void)start_year;
  }

 private:
  std::vector<T>& out_;
  const std::vector<std::size_t>& years_;
  int start_month_;
  T each_{};
};

// The ramp's online share in month k of a lease: the last step at or before k; 0 before
// the first; every GPU online without a ramp. Computing readings walk the steps as k rises.
template <class T>
class Ramp {
 public:
  Ramp(const std::vector<std::size_t>& slots, const std::vector<int>& months)
      : slots_(&slots), months_(&months) {}
  T at(const Inputs<T>& in, const Index<T>& k, const T& one) {
    const auto& slots = *slots_;
    if (slots.empty()) return one;
    if constexpr (number::is_expr<T>) {
      std::vector<Expr> shares;
      for (std::size_t slot : slots)
        shares.push_back(in[slot]);
      return Expr::step(k, *months_, std::move(shares));
    } else {
      if (k < last_) step_ = 0;
      last_ = k;
      while (step_ < slots.size() && (*months_)[step_] <= k)
        ++step_;
      return step_ == 0 ? constant<T>(0, units::one) : in[slots[step_ - 1]];
    }
  }

 private:
  const std::vector<std::size_t>* slots_;
  const std::vector<int>* months_;
  std::size_t step_ = 0;
  int last_ = 0;
};

}  // namespace contract

std::optional<double> irr(const double* flows, std::size_t n) {
  // One change of sign, zeros aside, or no unique rate.
  int sign = 0, changes = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const int s = flows[k] > 0 ? 1 : flows[k] < 0 ? -1 : 0;
    if (s == 0) continue;
    if (sign != 0 && s != sign) ++changes;
    sign = s;
  }
  if (changes != 1) return std::nullopt;
  // NPV(r) = P(x) = sum of flows[k] x^k with x = (1 + r)^(-1/12). A rate above 0 has
  // x in (0, 1); a rate below 0 has y = 1/x in (0, 1), a root of Q(y) = y^(n-1) P(1/y),
  // the flows reversed. Either way the root lies in (0, 1), where no power overflows: the
  // polynomial's values at 0 (a flow) and 1 (the flows' sum) differ in sign, and a Newton
  // step that would leave the bracket is replaced by bisection (rtsafe), so the search
  // always converges, quadratically near the root.
  double scale = 0, sum = 0;
  for (std::size_t k = 0; k < n; ++k) {
    scale += std::fabs(flows[k]);
    sum += flows[k];
  }
  if (sum == 0) return 0.0;
  int first = 0;
  for (std::size_t k = 0; k < n && first == 0; ++k)
    first = flows[k] > 0 ? 1 : -1;
  // NPV at r -> infinity has the first flow's sign: a sum of the other sign puts the root
  // above 0.
  const bool above = (sum > 0 ? 1 : -1) != first;
  auto poly = [&](double t, double& value, double& slope) {  // P, or Q for a rate below 0
    value = 0;
    slope = 0;
    if (above)
      for (std::size_t k = n; k-- > 0;) {
        slope = slope * t + value;
        value = value * t + flows[k];
      }
    else
      for (std::size_t k = 0; k < n; ++k) {
        slope = slope * t + value;
        value = value * t + flows[k];
      }
  };
  const int at_one = sum > 0 ? 1 : -1;  // the sign at t = 1; at t -> 0 it is the other
  double lo = 0, hi = 1, t = 1, value = 0, slope = 0;  // from 1: rates near 0 are the usual
  for (int i = 0; i < 200; ++i) {
    poly(t, value, slope);
    if (std::fabs(value) <= 1e-15 * scale) break;
    ((value > 0 ? 1 : -1) == at_one ? hi : lo) = t;
    double next = slope != 0 ? t - value / slope : lo;
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    if (std::fabs(next - t) <= 1e-16 * t) {
      t = next;
      break;
    }
    t = next;
  }
  if (!(t > 0)) return std::nullopt;  // no rate a double can hold
  return above ? std::pow(t, -12.0) - 1 : std::pow(t, 12.0) - 1;
}

Model::Model(const Scenario& scenario, Basis basis) : basis_(basis) {
  // One slot per input figure of the key table, tracked with its key.
  Scenario& s = const_cast<Scenario&>(scenario);  // input_figures only reads here
  for (const auto& ref : input_figures(s, basis)) {
    input_keys_.push_back(ref.key);
    tracked_.push_back(Tracked::input(ref.key, *ref.figure));
  }
  const std::string_view field = basis_field(basis);
  auto metric_of = [&](const std::string& id, const Location& where, const std::string& file) {
    const std::size_t i = optional_slot(fmt::format("catalog.{}.{}", id, field));
    if (i == npos)
      throw InputError(
          file, where,
          fmt::format("{} has no {} figure in the GPU catalog, which the {} basis needs; "
                      "add it under /catalog/{} or choose another basis ({})",
                      id, field, basis_name(basis), id, join(names_of(basis_names()))));
    return i;
  };
  if (field.empty()) {
    in_.h100_metric = constant(1, units::metric);
  } else {
    const GpuModel* h100 = s.catalog.find("H100");
    in_.h100_metric =
        metric_of("H100", h100 ? h100->where : Location{}, h100 ? h100->file : s.file);
  }
  const bool single = s.leases.empty();  // one lease, or several tenants (README "Several tenants")
  const bool uniform = single && s.price.has_value();
  uniform_ = uniform;
  for (const auto& g : s.gpus) {
    models_.push_back(g.model);
    in_.count.push_back(slot(fmt::format("cluster.gpus.{}.count", g.model)));
    in_.metric.push_back(field.empty() ? in_.h100_metric : metric_of(g.model, g.where, s.file));
    if (single)
      in_.price.push_back(uniform ? slot("lease.price_per_gpu_hour")
                                  : slot(fmt::format("lease.price_per_gpu_hour.{}", g.model)));
  }
  in_.hours = slot("lease.hours_per_year");
  if (single) {
    in_.occupancy = slot("lease.occupancy");
    in_.discount = s.discount ? slot("lease.discount") : constant(0, units::one);
  }
  in_.power = optional_slot("cluster.power_mw");
  in_.fleet = optional_slot("fleet.h100e");
  in_.loss = optional_slot("loss.annual_net_loss");
  in_.valuation = optional_slot("valuation");
  in_.power_price = optional_slot("costs.power_price_per_mwh");
  in_.power_load = optional_slot("costs.power_load");
  in_.colocation = optional_slot("costs.colocation_per_kw_month");
  in_.opex_per_gpu = optional_slot("costs.opex_per_gpu_year");
  in_.capex_per_gpu = optional_slot("capex.per_gpu");
  in_.life = optional_slot("capex.life_years");
  in_.residual = optional_slot("capex.residual");
  in_.pue = optional_slot("costs.pue");
  in_.term = optional_slot("lease.term_months");
  in_.escalator = optional_slot("lease.escalator");
  in_.take_or_pay = optional_slot("lease.take_or_pay");
  in_.rate = optional_slot("finance.discount_rate");
  for (const auto& g : s.gpus) {
    const std::size_t each = optional_slot(fmt::format("capex.per_gpu.{}", g.model));
    if (each != npos) in_.capex_each.push_back(each);
  }
  if (!in_.capex_each.empty() && in_.capex_each.size() != s.gpus.size())
    throw InputError(s.file, "capex per GPU is given for some models of the cluster but not all");
  for (const auto& step : s.ramp) {
    ramp_months_.push_back(step.month);
    in_.ramp.push_back(slot(fmt::format("lease.ramp.{}.online", step.month)));
  }
  // Without cluster.power_mw, power comes from the catalog and the PUE: each model's
  // power in a server (server_w_per_gpu), or its chip's TDP when the catalog has no
  // server figure.
  if (in_.power == npos && in_.pue != npos)
    for (const auto& g : s.gpus) {
      std::size_t watts = optional_slot(fmt::format("catalog.{}.server_w_per_gpu", g.model));
      if (watts == npos) watts = optional_slot(fmt::format("catalog.{}.tdp_w", g.model));
      if (watts == npos)
        throw InputError(s.file, g.where,
                         fmt::format("{} has no server_w_per_gpu or tdp_w figure in the GPU "
                                     "catalog, which a power derived from costs.pue needs; give "
                                     "cluster.power_mw or add server_w_per_gpu under /catalog/{}",
                                     g.model, g.model));
      in_.watts.push_back(watts);
    }
  for (std::size_t i = 0; i < s.capacity.size(); ++i) {
    const Commitment& c = s.capacity[i];
    in_.capacity.push_back(slot(fmt::format("capacity.{}.gw", c.id)));
    if (c.group.empty()) continue;
    auto g =
        std::find_if(groups_.begin(), groups_.end(), [&](auto& x) { return x.first == c.group; });
    if (g == groups_.end())
      groups_.push_back({c.group, {i}});
    else
      g->second.push_back(i);
  }
  for (const auto& p : s.peers)
    in_.peer.push_back(slot(fmt::format("peers.{}.gw", p.id)));
  for (const auto& c : s.comps)
    in_.comp.push_back(slot(fmt::format("comps.{}.revenue_multiple", c.id)));
  const bool has_power = in_.power != npos, has_fleet = in_.fleet != npos,
             has_loss = in_.loss != npos, has_valuation = in_.valuation != npos;

  // The output layout, in the order evaluate() fills it: key, label, unit and when a value
  // is undefined. The formulas are in evaluate(), and only there.
  const std::string b(basis_name(basis));
  out_.gpus = add(0, "cluster.gpus.total", "GPUs in the cluster", units::gpu);
  for (const auto& m : models_)
    out_.factor.push_back(add(groups::h100e, fmt::format("cluster.h100e.factor.{}", m),
                              fmt::format("H100e per {} ({})", m, b), units::h100e_per_gpu));
  for (const auto& m : models_)
    out_.h100e.push_back(add(groups::h100e, fmt::format("cluster.h100e.{}", m),
                             fmt::format("{} in H100e ({})", m, b), units::h100e));
  out_.h100e_total =
      add(groups::h100e, "cluster.h100e.total", fmt::format("Cluster H100e ({})", b), units::h100e);
  for (const auto& m : models_) {
    out_.share_units.push_back(add(groups::shares, fmt::format("cluster.share.{}.units", m),
                                   fmt::format("{} share of GPUs", m), units::one,
                                   "the cluster has no GPUs"));
    out_.share_h100e.push_back(add(groups::shares, fmt::format("cluster.share.{}.h100e", m),
                                   fmt::format("{} share of H100e ({})", m, b), units::one,
                                   "the cluster has no GPUs"));
  }
  if (has_fleet)
    out_.fleet_share = add(groups::fleet, "fleet.share_h100e",
                           fmt::format("Share of the fleet's H100e ({})", b), units::one);
  if (single) {
    out_.gpu_hours = add(0, "lease.gpu_hours", "GPU-hours a year", units::gpu_hours_per_year);
    out_.revenue = add(0, "lease.annual_revenue", "Annual lease revenue", units::usd_per_year);
  } else {
    add_tenants(s);
  }
  out_.per_h100e = add(groups::per_h100e, "lease.revenue_per_h100e_hour",
                       fmt::format("Revenue per H100e-hour ({})", b), units::usd_per_h100e_hour,
                       "the cluster has no H100e");
  if (has_power) {
    out_.per_mw =
        add(groups::power, "lease.revenue_per_mw", "Revenue per MW-year", units::usd_per_mw_year);
    out_.kw_per_gpu = add(groups::power, "power.kw_per_gpu", "Power per GPU", units::kw_per_gpu,
                          "the cluster has no GPUs");
  }
  if (has_loss) {
    out_.coverage = add(groups::coverage, "breakeven.coverage", "Revenue / loss", units::one,
                        "the annual net loss is 0");
    out_.gap = add(groups::coverage, "breakeven.gap", "Loss not covered", units::usd_per_year);
    out_.breakeven_price =
        add(groups::breakeven, "breakeven.price", "Break-even price", units::usd_per_gpu_hour,
            "no GPU-hours are sold (occupancy 0 or no GPUs)");
    out_.breakeven_occupancy =
        add(groups::breakeven, "breakeven.occupancy", "Break-even occupancy", units::one,
            single && in_.take_or_pay != npos ? std::string(k_floor_covers) + " the loss"
                                              : "no revenue even at full occupancy");
    out_.breakeven_gpus = add(groups::breakeven, "breakeven.gpus", "Break-even GPUs", units::gpu,
                              "the lease has no revenue");
  }
  add_costs(has_power || !in_.watts.empty(), has_loss);
  add_contract(s);
  if (!s.capacity.empty()) {
    out_.capacity_total =
        add(groups::capacity, "capacity.total_gw", "Capacity committed", units::gw);
    for (const auto& [group, members] : groups_)
      out_.capacity_group.push_back(add(groups::capacity,
                                        fmt::format("capacity.group.{}.gw", group),
                                        fmt::format("Capacity committed in {}", group), units::gw));
    for (const auto& p : s.peers)
      out_.capacity_share.push_back(add(groups::capacity, fmt::format("capacity.share_of.{}", p.id),
                                        fmt::format("Capacity as a share of {}'s roadmap", p.name),
                                        units::one));
  }
  // A whole company's valuation over one lease's revenue: kept, labelled as what it is.
  if (has_valuation)
    out_.valuation_multiple = add(groups::valuation, "valuation.revenue_multiple",
                                  "Whole company's valuation / this lease's annual revenue",
                                  units::multiple, "the lease has no revenue");
  for (const auto& c : s.comps)
    out_.comp_value.push_back(add(groups::valuation, fmt::format("comps.implied_value.{}", c.id),
                                  fmt::format("Lease revenue valued at {}'s multiple", c.name),
                                  units::usd));
  // The comparison the note makes: the lease, valued as the comp is, as a share of the
  // whole valuation.
  if (has_valuation)
    for (const auto& c : s.comps)
      out_.comp_share.push_back(
          add(groups::valuation, fmt::format("comps.{}.share_of_valuation", c.id),
              fmt::format("Lease at {}'s multiple, as a share of the valuation", c.name),
              units::one, "the valuation is 0"));
}

// Costs, capital and profit: the outputs whose inputs the scenario has. Power-based costs
// need a power (cluster.power_mw, or derived); depreciation needs capex and a life.
void Model::add_costs(bool has_power, bool has_loss) {
  const In& x = in_;
  Out& o = out_;
  if (has_power && (x.power_price != npos || x.colocation != npos)) {
    if (!x.watts.empty())  // derived: the servers' draw, and the facility's with the PUE
      o.it_power_mw = add(groups::costs, "costs.it_power_mw", "IT power", units::mw);
    o.power_mw = add(groups::costs, "costs.power_mw", "Power for costs", units::mw);
  }
  if (has_power && x.power_price != npos) {
    o.energy = add(groups::costs, "costs.energy_mwh", "Energy a year", units::mwh_per_year);
    o.power_cost = add(groups::costs, "costs.power", "Power cost", units::usd_per_year);
  }
  if (has_power && x.colocation != npos)
    o.colocation = add(groups::costs, "costs.colocation", "Colocation cost", units::usd_per_year);
  if (x.opex_per_gpu != npos)
    o.other = add(groups::costs, "costs.other", "Other opex", units::usd_per_year);
  // The yearly costs that do not follow the GPUs online: the one list that costs.opex and
  // the contract's months add up.
  for (std::size_t part : {o.colocation, o.other})
    if (part != npos) fixed_costs_.push_back(part);
  if (o.power_cost != npos || !fixed_costs_.empty())
    o.opex = add(groups::costs, "costs.opex", "Operating costs", units::usd_per_year);
  if (x.capex_per_gpu != npos || !x.capex_each.empty())
    o.capex_total = add(groups::costs, "capex.total", "Capex", units::usd);
  if (o.capex_total != npos && x.life != npos)
    o.depreciation = add(groups::costs, "capex.depreciation", "Depreciation", units::usd_per_year);
  if (o.opex == npos && o.depreciation == npos) return;
  o.ebitda = add(groups::costs, "pnl.ebitda", "EBITDA", units::usd_per_year);
  o.ebitda_margin = add(groups::costs, "pnl.ebitda_margin", "EBITDA margin", units::one,
                        "the lease has no revenue");
  o.ebit = add(groups::costs, "pnl.ebit", "EBIT", units::usd_per_year);
  o.ebit_margin =
      add(groups::costs, "pnl.ebit_margin", "EBIT margin", units::one, "the lease has no revenue");
  o.cost_per_gpu_hour = add(groups::costs, "pnl.cost_per_gpu_hour", "Cost per GPU-hour",
                            units::usd_per_gpu_hour, "the cluster has no GPUs");
  o.breakeven_price_cost =
      add(groups::costs, "breakeven.price_cost", "Break-even price on costs",
          units::usd_per_gpu_hour, "no GPU-hours are sold (occupancy 0 or no GPUs)");
  o.breakeven_occupancy_cost =
      add(groups::costs, "breakeven.occupancy_cost", "Break-even occupancy on costs", units::one,
          tenants_.empty() && x.take_or_pay != npos
              ? std::string(k_floor_covers) + " opex and depreciation"
              : "no revenue even at full occupancy");
  if (has_loss)
    o.coverage_ebitda = add(groups::costs, "breakeven.coverage_ebitda", "EBITDA / loss", units::one,
                            "the annual net loss is 0");
  if (o.capex_total != npos)
    o.payback = add(groups::costs, "capex.payback_years", "Payback on capex", units::years,
                    "EBITDA is not positive");
}

// The contract's outputs, when a lease has a term.
void Model::add_contract(const Scenario& s) {
  const In& x = in_;
  Out& o = out_;
  const bool multi = !tenants_.empty();
  if (multi ? std::none_of(tenants_.begin(), tenants_.end(),
                           [](const Tenant& t) { return t.term != npos; })
            : x.term == npos)
    return;
  capex_at_start_ = o.capex_total != npos && s.capex_at_start.value_or(true);
  for (auto& t : tenants_)
    if (t.term != npos) {
      t.revenue_total = add(groups::contract, fmt::format("contract.{}.revenue_total", t.id),
                            "Contract revenue, " + t.name, units::usd);
      if (x.rate != npos)
        t.pv_revenue = add(groups::contract, fmt::format("contract.{}.pv_revenue", t.id),
                           "Contract revenue, present value, " + t.name, units::usd);
    }
  o.revenue_total = add(groups::contract, "contract.revenue_total", "Contract revenue", units::usd);
  o.ebitda_total = add(groups::contract, "contract.ebitda_total", "Contract EBITDA", units::usd);
  if (x.rate != npos) {
    o.pv_revenue =
        add(groups::contract, "contract.pv_revenue", "Contract revenue, present value", units::usd);
    o.pv_ebitda =
        add(groups::contract, "contract.pv_ebitda", "Contract EBITDA, present value", units::usd);
  }
  if (capex_at_start_) {
    o.book_value_end =
        add(groups::contract, "contract.book_value_end", "Book value at the end", units::usd);
    if (x.rate != npos) o.npv = add(groups::contract, "contract.npv", "Contract NPV", units::usd);
    o.irr =
        add(groups::contract | groups::irr, "contract.irr", "Contract IRR", units::rate_per_year,
            "the cash flows do not change sign exactly once, so there is no rate or more "
            "than one");
    o.payback_months = add(groups::contract, "contract.payback_months", "Payback", units::months,
                           "cumulative cash stays below 0 through the term");
  }
  // The calendar: from the (first) start, over the months the scenario's terms reach.
  std::string first = s.start;
  int n = multi ? 0 : static_cast<int>(tracked_[x.term].v);
  if (multi) {
    for (std::size_t j = 0; j < tenants_.size(); ++j)
      if (tenants_[j].term != npos) {
        if (!s.leases[j].start.empty() && (first.empty() || s.leases[j].start < first))
          first = s.leases[j].start;
        n = std::max(n, tenants_[j].start + static_cast<int>(tracked_[tenants_[j].term].v));
      }
  }
  if (!first.empty()) {
    start_ = first;
    start_year_ = std::stoi(first.substr(0, 4));
    start_month_ = std::stoi(first.substr(5, 2)) - 1;
    // Every year a term in force may reach (1,200 months from the start), so that a sweep
    // of a term can name any of them; the report lists the years this term touches.
    const int last = start_year_ + (start_month_ + n - 1) / 12;
    for (int y = start_year_; y <= start_year_ + (start_month_ + k_max_term - 1) / 12; ++y) {
      o.calendar.push_back(add(groups::contract, fmt::format("contract.calendar.{}.revenue", y),
                               fmt::format("Revenue in {}", y), units::usd));
      outputs_.back().listed = y <= last;
    }
  }
}

// Several tenants: each tenant's slots, and its GPUs, GPU-hours and revenue; then the
// cluster's totals, each tenant's share of revenue, the leased share and the idle GPUs.
void Model::add_tenants(const Scenario& s) {
  idle_power_ = optional_slot("costs.idle_power");
  // Contract months on one calendar: each tenant's start, in months from the first.
  int first = std::numeric_limits<int>::max();
  auto month_of = [](const std::string& d) {
    return std::stoi(d.substr(0, 4)) * 12 + std::stoi(d.substr(5, 2)) - 1;
  };
  for (const auto& l : s.leases)
    if (!l.start.empty()) first = std::min(first, month_of(l.start));
  for (const auto& l : s.leases) {
    Tenant t;
    t.id = l.id;
    t.name = l.tenant;
    for (const auto& m : models_) {
      t.count.push_back(optional_slot(fmt::format("lease.{}.gpus.{}", l.id, m)));
      t.price.push_back(t.count.back() == npos ? npos
                        : l.price ? slot(fmt::format("lease.{}.price_per_gpu_hour", l.id))
                                  : slot(fmt::format("lease.{}.price_per_gpu_hour.{}", l.id, m)));
    }
    t.occupancy = slot(fmt::format("lease.{}.occupancy", l.id));
    t.discount = l.discount ? slot(fmt::format("lease.{}.discount", l.id)) : npos;
    t.term = optional_slot(fmt::format("lease.{}.term_months", l.id));
    t.escalator = optional_slot(fmt::format("lease.{}.escalator", l.id));
    t.take_or_pay = optional_slot(fmt::format("lease.{}.take_or_pay", l.id));
    for (const auto& [m, f] : l.ramp) {
      t.ramp_months.push_back(m);
      t.ramp.push_back(slot(fmt::format("lease.{}.ramp.{}.online", l.id, m)));
    }
    t.start = l.start.empty() ? 0 : month_of(l.start) - first;
    t.gpus = add(0, fmt::format("lease.{}.gpus", l.id), "GPUs leased to " + l.tenant, units::gpu);
    t.gpu_hours = add(0, fmt::format("lease.{}.gpu_hours", l.id), "GPU-hours a year, " + l.tenant,
                      units::gpu_hours_per_year);
    t.revenue = add(0, fmt::format("lease.{}.annual_revenue", l.id),
                    "Annual lease revenue, " + l.tenant, units::usd_per_year);
    tenants_.push_back(std::move(t));
  }
  out_.gpu_hours = add(0, "lease.gpu_hours", "GPU-hours a year", units::gpu_hours_per_year);
  out_.revenue = add(0, "lease.annual_revenue", "Annual lease revenue", units::usd_per_year);
  for (auto& t : tenants_)
    t.share = add(0, fmt::format("lease.{}.revenue_share", t.id), "Share of revenue, " + t.name,
                  units::one, "the leases have no revenue");
  out_.leased_share =
      add(0, "cluster.leased_share", "Share of GPUs leased", units::one, "the cluster has no GPUs");
  out_.idle_gpus = add(0, "cluster.idle_gpus", "Idle GPUs", units::gpu);
}

std::size_t Model::add(unsigned group, std::string key, std::string label, const Unit& unit,
                       std::string undefined) {
  outputs_.push_back({std::move(key), std::move(label), unit, std::move(undefined), group});
  return outputs_.size() - 1;
}

std::size_t Model::input_slot(std::string_view key) const {
  for (std::size_t i = 0; i < input_keys_.size(); ++i)
    if (input_keys_[i] == key) return i;
  return npos;
}

std::size_t Model::optional_slot(std::string_view key) const {
  // Absent from this scenario is fine; absent from the key table is a misspelt key.
  if (!match_input(key))
    throw std::logic_error("no row of the key table reads " + std::string(key));
  return input_slot(key);
}

std::size_t Model::slot(std::string_view key) const {
  const std::size_t i = input_slot(key);
  if (i == npos) throw std::logic_error("the model has no input " + std::string(key));
  return i;
}

std::size_t Model::constant(double value, const Unit& unit) {
  tracked_.push_back(Tracked::constant(value, unit));
  input_keys_.emplace_back();  // not an input: no key
  return tracked_.size() - 1;
}

unsigned Model::needs_for(const std::vector<std::size_t>& output_indices) const {
  unsigned needs = 0;
  for (std::size_t i : output_indices)
    needs |= outputs_[i].group;
  if (needs & (groups::shares | groups::fleet | groups::per_h100e)) needs |= groups::h100e;
  if (needs & groups::contract) needs |= groups::costs;
  return needs;
}

std::size_t Model::find_output(std::string_view key) const {
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (outputs_[i].key == key) return i;
  return npos;
}

Inputs<double> Model::plain_inputs() const {
  Inputs<double> in;
  in.reserve(tracked_.size());
  for (const auto& t : tracked_)
    in.push_back(t.v);
  return in;
}

Evaluator::Evaluator(const Model& model, const std::vector<std::string>& inputs,
                     const std::vector<std::size_t>& outputs)
    : model_(&model), needs_(model.needs_for(outputs)), in_(model.plain_inputs()) {
  for (const auto& key : inputs) {
    slots_.push_back(model.input_slot(key));
    if (slots_.back() == Model::npos) throw std::logic_error("the model has no input " + key);
  }
}

template <class T>
void Model::evaluate(const Inputs<T>& in, std::vector<T>& out, unsigned needs,
                     std::vector<Month<T>>* months) const {
  const std::size_t n = models_.size();
  const In& x = in_;
  const Out& o = out_;
  out.resize(outputs_.size());
  auto count = [&](std::size_t i) -> const T& { return in[x.count[i]]; };

  T gpus = count(0);
  for (std::size_t i = 1; i < n; ++i)
    gpus = gpus + count(i);
  out[o.gpus] = gpus;

  if (needs & groups::h100e) {
    const T per_gpu = number::constant<T>(1, units::h100e_per_gpu);
    for (std::size_t i = 0; i < n; ++i)
      out[o.factor[i]] = in[x.metric[i]] / in[x.h100_metric] * per_gpu;
    for (std::size_t i = 0; i < n; ++i)
      out[o.h100e[i]] = count(i) * out[o.factor[i]];
    T total = out[o.h100e[0]];
    for (std::size_t i = 1; i < n; ++i)
      total = total + out[o.h100e[i]];
    out[o.h100e_total] = total;
  }
  const T& h100e = out[o.h100e_total];
  if (needs & groups::shares) {
    for (std::size_t i = 0; i < n; ++i) {
      out[o.share_units[i]] = quotient(count(i), gpus);
      out[o.share_h100e[i]] = quotient(out[o.h100e[i]], h100e);
    }
    if (n == 1) {  // a one-model cluster is all of itself, whatever its count's bound
      out[o.share_units[0]] = number::constant<T>(1, units::one);
      out[o.share_h100e[0]] = number::constant<T>(1, units::one);
    }
  }
  if (o.fleet_share != npos && (needs & groups::fleet)) out[o.fleet_share] = h100e / in[x.fleet];

  const T& hours = in[x.hours];
  // gpu_hours sold; full: revenue at full occupancy (break-even occupancy divides by it);
  // paid: the GPU-hours paid for net of discounts (a break-even price divides by it).
  T gpu_hours, full, revenue, paid, per_gpu_year;
  if (tenants_.empty()) {
    const T& occupancy = in[x.occupancy];
    const T kept = number::constant<T>(1, units::one) - in[x.discount];  // share collected
    gpu_hours = gpus * hours * occupancy;
    // The share paid for: occupancy, or with take-or-pay at least its minimum (README "Costs, margin and the contract").
    const T billed = x.take_or_pay != npos ? max_of(occupancy, in[x.take_or_pay]) : occupancy;
    const T billed_hours = x.take_or_pay != npos ? gpus * hours * billed : gpu_hours;
    // Per model, also with one price: the sum keeps the exact products of the counts.
    full = count(0) * hours * in[x.price[0]];
    for (std::size_t i = 1; i < n; ++i)
      full = full + count(i) * hours * in[x.price[i]];
    full = full * kept;
    revenue = full * billed;
    paid = billed_hours * kept;
    per_gpu_year = in[x.price[0]] * hours * billed * kept;  // revenue per GPU, one price
  } else {
    evaluate_tenants(in, out, gpus, gpu_hours, full, revenue, paid);
    per_gpu_year = number::constant<T>(0, units::usd_per_gpu_year);  // no one price
  }
  out[o.gpu_hours] = gpu_hours;
  out[o.revenue] = revenue;
  // An occupancy at which revenue covers a cost: with a take-or-pay floor the tenant pays
  // for at least the floor, so an occupancy below it covers nothing the floor does not:
  // none exists when the floor already covers the cost (undefined, with the reason).
  auto unless_floor_covers = [&](const T& occupancy) {
    if (!tenants_.empty() || x.take_or_pay == npos) return occupancy;
    return number::defined_if(occupancy, number::less(in[x.take_or_pay], occupancy));
  };
  if (needs & groups::per_h100e) out[o.per_h100e] = quotient(revenue, h100e * hours);
  if (o.per_mw != npos && (needs & groups::power)) {
    const T& power = in[x.power];
    out[o.per_mw] = revenue / power;
    out[o.kw_per_gpu] = quotient(power * number::constant<T>(1000, units::kw_per_mw), gpus);
  }
  if (o.coverage != npos && (needs & groups::coverage)) {
    out[o.coverage] = quotient(revenue, in[x.loss]);
    out[o.gap] = in[x.loss] - revenue;
  }
  if (o.breakeven_price != npos && (needs & groups::breakeven)) {
    const T& loss = in[x.loss];
    out[o.breakeven_price] = quotient(loss, paid);
    out[o.breakeven_occupancy] = unless_floor_covers(quotient(loss, full));
    out[o.breakeven_gpus] =
        ceil_up(uniform_           ? quotient(loss, per_gpu_year)
                : tenants_.empty() ? quotient(gpus * loss, revenue)
                                   : quotient(out[o.leased_share] * gpus * loss, revenue));
  }
  const std::size_t nc = x.capacity.size();
  if (nc > 0 && (needs & groups::capacity)) {
    T total = in[x.capacity[0]];
    for (std::size_t i = 1; i < nc; ++i)
      total = total + in[x.capacity[i]];
    out[o.capacity_total] = total;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      const auto& members = groups_[g].second;
      T sum = in[x.capacity[members[0]]];
      for (std::size_t j = 1; j < members.size(); ++j)
        sum = sum + in[x.capacity[members[j]]];
      out[o.capacity_group[g]] = sum;
    }
    for (std::size_t p = 0; p < x.peer.size(); ++p)
      out[o.capacity_share[p]] = total / in[x.peer[p]];
  }
  if (needs & groups::valuation) {
    if (o.valuation_multiple != npos)
      out[o.valuation_multiple] = quotient(in[x.valuation], revenue);
    for (std::size_t c = 0; c < x.comp.size(); ++c)
      out[o.comp_value[c]] = in[x.comp[c]] * revenue;
    for (std::size_t c = 0; c < o.comp_share.size(); ++c)
      out[o.comp_share[c]] = quotient(out[o.comp_value[c]], in[x.valuation]);
  }
  if (needs & groups::costs) {
    const T one = number::constant<T>(1, units::one);
    const T& gpus_t = out[o.gpus];
    if (o.power_mw != npos) {
      if (x.watts.empty()) {
        out[o.power_mw] = in[x.power];
      } else {  // the servers' power in MW (colocation prices it), x PUE for the power bill
        const T per_mw =
            number::constant<T>(1e-6, units::mw / (units::gpu * units::metric), "0.000001");
        T watts = count(0) * in[x.watts[0]];
        for (std::size_t i = 1; i < n; ++i)
          watts = watts + count(i) * in[x.watts[i]];
        out[o.it_power_mw] = watts * per_mw;
        out[o.power_mw] = out[o.it_power_mw] * in[x.pue];
      }
    }
    if (o.energy != npos) {
      T energy = out[o.power_mw] * hours;
      if (x.power_load != npos) energy = energy * in[x.power_load];
      out[o.energy] = energy;
      out[o.power_cost] = energy * in[x.power_price];
      if (!tenants_.empty()) {  // idle GPUs draw costs.idle_power of their full power (README "Several tenants")
        const T& leased = out[o.leased_share];
        out[o.power_cost] =
            out[o.power_cost] *
            (idle_power_ != npos
                 ? leased + in[idle_power_] * (number::constant<T>(1, units::one) - leased)
                 : leased);
      }
    }
    if (o.colocation != npos)  // on IT power: a colocation price is per kW of the servers
      out[o.colocation] = out[o.it_power_mw != npos ? o.it_power_mw : o.power_mw] *
                          number::constant<T>(1000, units::kw_per_mw) * in[x.colocation] *
                          number::constant<T>(12, units::months_per_year);
    if (o.other != npos) out[o.other] = gpus_t * in[x.opex_per_gpu];
    if (o.opex != npos) {
      std::optional<T> sum;
      if (o.power_cost != npos) sum = out[o.power_cost];
      for (std::size_t part : fixed_costs_)
        sum = sum ? *sum + out[part] : out[part];
      out[o.opex] = *sum;
    }
    if (o.capex_total != npos) {
      if (x.capex_each.empty()) {
        out[o.capex_total] = gpus_t * in[x.capex_per_gpu];
      } else {
        T total = count(0) * in[x.capex_each[0]];
        for (std::size_t i = 1; i < n; ++i)
          total = total + count(i) * in[x.capex_each[i]];
        out[o.capex_total] = total;
      }
    }
    if (o.depreciation != npos)
      out[o.depreciation] =
          (x.residual != npos ? out[o.capex_total] * (one - in[x.residual]) : out[o.capex_total]) /
          in[x.life];
    if (o.ebitda != npos) {
      const T ebitda = o.opex != npos ? revenue - out[o.opex] : revenue * one;
      out[o.ebitda] = ebitda;
      out[o.ebitda_margin] = quotient(ebitda, revenue);
      const T ebit = o.depreciation != npos ? ebitda - out[o.depreciation] : ebitda;
      out[o.ebit] = ebit;
      out[o.ebit_margin] = quotient(ebit, revenue);
      const T cost = o.opex != npos && o.depreciation != npos ? out[o.opex] + out[o.depreciation]
                     : o.opex != npos                         ? out[o.opex]
                                                              : out[o.depreciation];
      out[o.cost_per_gpu_hour] = quotient(cost, gpus_t * hours);
      out[o.breakeven_price_cost] = quotient(cost, paid);
      out[o.breakeven_occupancy_cost] = unless_floor_covers(quotient(cost, full));
      if (o.coverage_ebitda != npos) out[o.coverage_ebitda] = quotient(ebitda, in[x.loss]);
      if (o.payback != npos) {
        // no payback from a loss
        out[o.payback] =
            number::defined_if(quotient(out[o.capex_total], ebitda),
                               number::less(number::constant<T>(0, units::usd_per_year), ebitda));
      }
    }
  }
  if (o.revenue_total != npos && ((needs & groups::contract) || months))
    evaluate_contract(in, out, needs, months);
}

// README "Several tenants": each tenant's GPUs, GPU-hours and revenue, and the cluster's totals.
template <class T>
void Model::evaluate_tenants(const Inputs<T>& in, std::vector<T>& out, const T& gpus, T& gpu_hours,
                             T& full, T& revenue, T& paid) const {
  const T one = number::constant<T>(1, units::one);
  const T& hours = in[in_.hours];
  T leased = number::constant<T>(0, units::gpu);
  for (std::size_t j = 0; j < tenants_.size(); ++j) {
    const Tenant& t = tenants_[j];
    std::optional<T> taken, priced;
    for (std::size_t i = 0; i < t.count.size(); ++i) {
      if (t.count[i] == npos) continue;
      const T& c = in[t.count[i]];
      taken = taken ? *taken + c : c;
      priced = priced ? *priced + c * in[t.price[i]] : c * in[t.price[i]];
    }
    const T& occupancy = in[t.occupancy];
    const T kept = t.discount != npos ? one - in[t.discount] : one;
    const T billed = t.take_or_pay != npos ? max_of(occupancy, in[t.take_or_pay]) : occupancy;
    const T tenant_full = *priced * hours * kept;
    out[t.gpus] = *taken;
    out[t.gpu_hours] = *taken * hours * occupancy;
    out[t.revenue] = tenant_full * billed;
    const T tenant_paid = *taken * hours * billed * kept;
    if (j == 0) {
      gpu_hours = out[t.gpu_hours];
      full = tenant_full;
      revenue = out[t.revenue];
      paid = tenant_paid;
    } else {
      gpu_hours = gpu_hours + out[t.gpu_hours];
      full = full + tenant_full;
      revenue = revenue + out[t.revenue];
      paid = paid + tenant_paid;
    }
    leased = leased + *taken;
  }
  for (const auto& t : tenants_)
    out[t.share] = quotient(out[t.revenue], revenue);
  out[out_.leased_share] = quotient(leased, gpus);
  out[out_.idle_gpus] = gpus - leased;
}

// The contract month by month on one calendar (README, "The contract over time"): each
// lease (the one lease, or each tenant) earns its revenue at the year-0 price with every
// GPU online, scaled by its ramp's online share and its escalator, from its start for its
// term; power follows the GPUs online (idle ones draw costs.idle_power), colocation,
// other opex and depreciation do not. One month is written once, in the month index m:
// the computing readings run it for m = 0 .. horizon - 1 and add the months up, the
// writing reading (Expr) runs it once on the symbol m and writes the sums.
template <class T>
void Model::evaluate_contract(const Inputs<T>& in, std::vector<T>& out, unsigned needs,
                              std::vector<Month<T>>* months) const {
  using contract::Calendar;
  using contract::Flows;
  using contract::Ramp;
  using contract::Sum;
  using number::constant;
  using number::Index;
  using number::RunningPower;
  using number::when;
  constexpr bool writing = number::is_expr<T>;
  const In& x = in_;
  const Out& o = out_;
  const T one = number::constant<T>(1, units::one);
  const T zero = number::constant<T>(0, units::usd);
  const T month = number::constant<T>(1.0 / 12, units::years, "1/12");
  const T twelve = number::constant<T>(12, units::months_per_year);

  // The leases as streams of months.
  struct Stream {
    T revenue_month, gpu_hours_month, share;
    RunningPower<T, number::Every::year> escalation;
    Ramp<T> ramp;
    int start;
    T term;
    Sum<T> total, pv;
  };
  thread_local std::vector<Stream> streams;
  streams.clear();
  auto stream = [&](const T& annual, const T& annual_hours, const T& share, std::size_t escalator,
                    const std::vector<std::size_t>& ramp, const std::vector<int>& ramp_months,
                    int start, const T& term) {
    streams.push_back(
        {annual * month, annual_hours * month, share,
         RunningPower<T, number::Every::year>(escalator != npos ? one + in[escalator] : one),
         Ramp<T>(ramp, ramp_months), start, term, Sum<T>(zero), Sum<T>(zero)});
  };
  if (tenants_.empty()) {
    stream(out[o.revenue], out[o.gpu_hours], one, x.escalator, x.ramp, ramp_months_, 0, in[x.term]);
  } else {
    for (const auto& t : tenants_)
      if (t.term != npos)
        stream(out[t.revenue], out[t.gpu_hours], number::quotient(out[t.gpus], out[o.gpus]),
               t.escalator, t.ramp, t.ramp_months, t.start, in[t.term]);
  }
  // The horizon: to the end of the lease that ends last.
  std::optional<T> longest;
  for (const auto& st : streams) {
    const T end = number::constant<T>(st.start, units::months) + st.term;
    longest = longest ? max_of(*longest, end) : end;
  }
  const T horizon = *longest;
  int n = 0;
  if constexpr (!writing) n = std::clamp(static_cast<int>(value_of(horizon)), 0, k_max_term);

  // The whole power bill with every GPU drawing, a month; colocation and other opex.
  const T power_month = o.power_cost != npos ? out[o.energy] * in[x.power_price] * month : zero;
  T fixed_month = zero;
  for (std::size_t part : fixed_costs_)
    fixed_month = fixed_month + out[part] * month;
  const T depreciation_month = o.depreciation != npos ? out[o.depreciation] * month : zero;
  const bool discounting = x.rate != npos;
  const T rate_factor = discounting ? one + in[x.rate] : one;
  RunningPower<T, number::Every::month> discount(
      number::power_of(rate_factor, number::constant<T>(-1.0 / 12, units::one, "-1/12")));

  const bool want_irr = o.irr != npos && (needs & groups::irr);
  const T start_cash = capex_at_start_ ? zero - out[o.capex_total] : zero;
  Flows<T> flows(start_cash, want_irr);
  Sum<T> revenue_total(zero), ebitda_total(zero), pv_revenue(zero), pv_ebitda(zero);
  Calendar<T> calendar(out, o.calendar, start_month_, zero);

  // Inlined into the loop, so that the sums stay in registers.
  auto each_month = [&](const Index<T>& m) __attribute__((always_inline)) {
    const T df = discounting ? discount.at(m) : one;
    T revenue = zero, gpu_hours = number::constant<T>(0, units::gpu_hours),
      online_share = number::constant<T>(0, units::one);
    thread_local std::vector<typename Month<T>::Part> parts;
    parts.clear();
    for (auto& st : streams) {
      const Index<T> k = st.start == 0 ? m : m - Index<T>(st.start);  // the lease's own month
      // The lease's share online: its ramp's, within its term.
      const T online = when(st.ramp.at(in, k, one), number::within(k, st.term));
      const T r = st.revenue_month * online * st.escalation.at(k);
      const T share_online = st.share * online;
      const T hours_online = st.gpu_hours_month * online;
      revenue = revenue + r;
      gpu_hours = gpu_hours + hours_online;
      online_share = online_share + share_online;
      st.total.add(r);
      if (discounting) st.pv.add(r * df);
      if (months && !tenants_.empty()) parts.push_back({share_online, hours_online, r});
    }
    // Power for the GPUs online; idle ones draw costs.idle_power of theirs.
    const T drawing =
        idle_power_ != npos ? online_share + in[idle_power_] * (one - online_share) : online_share;
    const T opex = power_month * drawing + fixed_month;
    const T ebitda = revenue - opex;
    revenue_total.add(revenue);
    ebitda_total.add(ebitda);
    if (discounting) {
      pv_revenue.add(revenue * df);
      pv_ebitda.add(ebitda * df);
    }
    const T cumulative = flows.add(m, ebitda);
    calendar.add(m, revenue);
    if (months) {
      Month<T> row;
      row.online = online_share;
      row.gpu_hours = gpu_hours;
      row.revenue = revenue;
      row.opex = opex;
      // Depreciation stops at the end of the life: the book value then is the residual.
      const T depreciation = x.life != npos && o.depreciation != npos
                                 ? when(depreciation_month, number::within(m, in[x.life] * twelve))
                                 : depreciation_month;
      row.depreciation = depreciation;
      row.ebitda = ebitda;
      row.ebit = ebitda - depreciation;
      row.cash = ebitda;  // operating cash: no tax or debt service yet
      row.cumulative_cash = cumulative;
      row.pv_cash = discounting ? ebitda * df : number::with_value(ebitda, number::k_nan);
      row.tenants = parts;
      months->push_back(std::move(row));
    }
  };
  if constexpr (writing)
    each_month(Expr::month());
  else
    for (int m = 0; m < n; ++m)
      each_month(m);

  std::size_t s = 0;
  for (const auto& t : tenants_)
    if (t.term != npos) {
      const Stream& st = streams[s++];
      out[t.revenue_total] = st.total.over(horizon);
      if (t.pv_revenue != npos) out[t.pv_revenue] = st.pv.over(horizon);
    }
  out[o.revenue_total] = revenue_total.over(horizon);
  out[o.ebitda_total] = ebitda_total.over(horizon);
  calendar.finish(horizon, start_year_);
  if (discounting) {
    out[o.pv_revenue] = pv_revenue.over(horizon);
    out[o.pv_ebitda] = pv_ebitda.over(horizon);
  }
  if (!capex_at_start_) return;
  const T& capex = out[o.capex_total];
  T book = capex;
  if (x.life != npos) {
    const T life_months = in[x.life] * twelve;
    const T used = min_of(one, horizon / life_months);
    book = capex * (one - (x.residual != npos ? (one - in[x.residual]) * used : used));
  }
  out[o.book_value_end] = book;
  if (o.npv != npos)
    out[o.npv] = zero - capex + out[o.pv_ebitda] +
                 book * number::power_of(rate_factor,
                                         number::constant<T>(0, units::years) - horizon / twelve);
  const T total = out[o.ebitda_total];
  if (want_irr) out[o.irr] = flows.irr(total / capex, book, horizon);
  out[o.payback_months] = flows.payback(capex / total, horizon);
}

std::vector<std::string> Model::tenant_names() const {
  std::vector<std::string> out;
  for (const auto& t : tenants_)
    out.push_back(t.name);
  return out;
}

std::vector<Month<Tracked>> Model::months() const {
  std::vector<Tracked> out;
  std::vector<Month<Tracked>> result;
  evaluate(tracked_, out, groups::all, &result);
  return result;
}

std::vector<Expr> Model::expressions(Month<Expr>* month) const {
  Inputs<Expr> in;
  in.reserve(tracked_.size());
  for (std::size_t i = 0; i < tracked_.size(); ++i)
    in.push_back(input_keys_[i].empty() ? Expr(tracked_[i].v) : Expr::input(input_keys_[i]));
  std::vector<Expr> out;
  std::vector<Month<Expr>> months;
  evaluate(in, out, groups::all, month ? &months : nullptr);
  if (month && !months.empty()) *month = months.front();
  return out;
}

template void Model::evaluate<double>(const Inputs<double>&, std::vector<double>&, unsigned,
                                      std::vector<Month<double>>*) const;
template void Model::evaluate<Tracked>(const Inputs<Tracked>&, std::vector<Tracked>&, unsigned,
                                       std::vector<Month<Tracked>>*) const;
template void Model::evaluate<Expr>(const Inputs<Expr>&, std::vector<Expr>&, unsigned,
                                    std::vector<Month<Expr>>*) const;
}  // namespace leasecalc
