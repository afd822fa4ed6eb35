// Revenue and H100-equivalents: the cluster's GPUs and their H100e on the basis in force,
// the lease's (or each tenant's) GPU-hours and revenue, the break-evens against the
// reported loss, capacity and valuation. Then costs (costs.cpp) and the contract
// (contract.cpp). Each formula once, for every reading (number.hpp).
#include "leasecalc/calc/calc.hpp"
#include "number.hpp"

namespace leasecalc {
namespace {

using number::ceil_up;
using number::quotient;

}  // namespace

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
    // The share paid for: occupancy, or with take-or-pay at least its minimum (README "Costs,
    // margin and the contract").
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
    out[o.breakeven_occupancy] = unless_floor_covers(in, quotient(loss, full));
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
  if (needs & groups::costs) evaluate_costs(in, out, {full, revenue, paid});
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
  // Leases that follow one another may take the same GPUs: no more than all of them are
  // leased, and none is less than idle.
  out[out_.leased_share] = min_of(number::constant<T>(1, units::one), quotient(leased, gpus));
  out[out_.idle_gpus] = max_of(number::constant<T>(0, units::gpu), gpus - leased);
}

// An occupancy at which revenue covers a cost: with a take-or-pay floor the tenant pays for
// at least the floor, so an occupancy below it covers nothing the floor does not: none
// exists when the floor already covers the cost (undefined, with the reason).
template <class T>
T Model::unless_floor_covers(const Inputs<T>& in, const T& occupancy) const {
  if (!tenants_.empty() || in_.take_or_pay == npos) return occupancy;
  return number::defined_if(occupancy, number::less(in[in_.take_or_pay], occupancy));
}

template void Model::evaluate<double>(const Inputs<double>&, std::vector<double>&, unsigned,
                                      std::vector<Month<double>>*) const;
template void Model::evaluate<Tracked>(const Inputs<Tracked>&, std::vector<Tracked>&, unsigned,
                                       std::vector<Month<Tracked>>*) const;
template void Model::evaluate<Expr>(const Inputs<Expr>&, std::vector<Expr>&, unsigned,
                                    std::vector<Month<Expr>>*) const;
template double Model::unless_floor_covers(const Inputs<double>&, const double&) const;
template Tracked Model::unless_floor_covers(const Inputs<Tracked>&, const Tracked&) const;
template Expr Model::unless_floor_covers(const Inputs<Expr>&, const Expr&) const;

}  // namespace leasecalc
