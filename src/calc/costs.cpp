// Costs, capital and profit, steady state: power (stated, or derived from the catalog's
// server power and the PUE), energy, colocation on IT power, other opex, capex and its
// depreciation, EBITDA and EBIT with their margins, the cost per GPU-hour, the break-evens
// on costs and the payback on capex. Each formula once, for every reading (number.hpp).
#include "leasecalc/calc/calc.hpp"
#include "number.hpp"

namespace leasecalc {

using number::quotient;

template <class T>
void Model::evaluate_costs(const Inputs<T>& in, std::vector<T>& out,
                           const Earned<T>& earned) const {
  const std::size_t n = models_.size();
  const In& x = in_;
  const Out& o = out_;
  auto count = [&](std::size_t i) -> const T& { return in[x.count[i]]; };
  const T& hours = in[x.hours];
  const T& revenue = earned.revenue;
  const T& paid = earned.paid;
  const T& full = earned.full;
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
  std::optional<T> power_full;  // the power bill with every GPU drawing
  if (o.energy != npos) {
    T energy = out[o.power_mw] * hours;
    if (x.power_load != npos) energy = energy * in[x.power_load];
    out[o.energy] = energy;
    out[o.power_cost] = energy * in[x.power_price];
    power_full = out[o.power_cost];
    if (!tenants_.empty()) {  // idle GPUs draw costs.idle_power of their full power (README
                              // "Several tenants")
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
    out[o.breakeven_occupancy_cost] = unless_floor_covers(in, quotient(cost, full));
    if (o.coverage_ebitda != npos) out[o.coverage_ebitda] = quotient(ebitda, in[x.loss]);
    // Each tenant's EBITDA: its revenue less its share of the GPUs' costs at full draw;
    // the idle GPUs' costs (their idle draw, their share of the rest) are pnl.idle_cost.
    std::optional<T> fixed;
    for (std::size_t part : fixed_costs_)
      fixed = fixed ? *fixed + out[part] : out[part];
    std::optional<T> per_share = power_full;
    if (fixed) per_share = per_share ? *per_share + *fixed : *fixed;
    for (const auto& t : tenants_) {
      const T share = quotient(out[t.gpus], gpus_t);
      const T tenant = per_share ? out[t.revenue] - *per_share * share : out[t.revenue] * one;
      out[t.ebitda] = tenant;
      out[t.ebitda_margin] = quotient(tenant, out[t.revenue]);
    }
    if (o.idle_cost != npos) {
      const T idle = one - out[o.leased_share];
      std::optional<T> idle_cost;
      if (power_full && idle_power_ != npos) idle_cost = *power_full * in[idle_power_] * idle;
      if (fixed) idle_cost = idle_cost ? *idle_cost + *fixed * idle : *fixed * idle;
      out[o.idle_cost] =
          idle_cost ? *idle_cost : number::constant<T>(0, units::usd_per_year) * idle;
    }
    if (o.payback != npos) {
      // no payback from a loss
      out[o.payback] =
          number::defined_if(quotient(out[o.capex_total], ebitda),
                             number::less(number::constant<T>(0, units::usd_per_year), ebitda));
    }
  }
}

template void Model::evaluate_costs(const Inputs<double>&, std::vector<double>&,
                                    const Earned<double>&) const;
template void Model::evaluate_costs(const Inputs<Tracked>&, std::vector<Tracked>&,
                                    const Earned<Tracked>&) const;
template void Model::evaluate_costs(const Inputs<Expr>&, std::vector<Expr>&,
                                    const Earned<Expr>&) const;

}  // namespace leasecalc
