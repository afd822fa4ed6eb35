#include "leasecalc/calc.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

namespace leasecalc {
namespace {

// Generic helpers: the same formula text for double and Tracked.
template <class T>
T constant(double v, const Unit& unit) {
  if constexpr (std::is_same_v<T, double>) {
    (void)unit;
    return v;
  } else {
    return Tracked::constant(v, unit);
  }
}

// a / b, or undefined (NaN) when b is 0: never an infinity from a zero denominator.
template <class T>
T quotient(const T& a, const T& b) {
  T q = a / b;
  if (value_of(b) == 0) {
    if constexpr (std::is_same_v<T, double>)
      q = std::numeric_limits<double>::quiet_NaN();
    else
      q.v = std::numeric_limits<double>::quiet_NaN();
  }
  return q;
}

}  // namespace

Model::Model(const Scenario& s, Basis basis)
    : basis_(basis),
      has_power_(s.power_mw.has_value()),
      has_fleet_(s.fleet_h100e.has_value()),
      has_loss_(s.loss.has_value()),
      has_valuation_(s.valuation.has_value()) {
  // Input slots, each tracked with its key.
  auto& t = tracked_;
  const std::string_view field = basis_field(basis);
  auto metric_of = [&](const std::string& id, const Location& where, const std::string& file) {
    const GpuModel* m = s.catalog.find(id);
    const GpuModel::Field* f = m ? m->field(field) : nullptr;
    if (!f)
      throw InputError(
          file, where,
          fmt::format("{} has no {} figure in the GPU catalog, which the {} basis needs; "
                      "add it under /catalog/{} or choose another basis ({})",
                      id, field, basis_name(basis), id, join(names_of(basis_names()))));
    return Tracked::input(fmt::format("catalog.{}.{}", id, field), f->figure);
  };
  if (!field.empty()) {
    const GpuModel* h100 = s.catalog.find("H100");
    t.h100_metric = metric_of("H100", h100 ? h100->where : Location{}, h100 ? h100->file : s.file);
  }
  for (const auto& g : s.gpus) {
    models_.push_back(g.model);
    t.count.push_back(Tracked::input(fmt::format("cluster.gpus.{}.count", g.model), g.count));
    if (!field.empty())
      t.metric.push_back(metric_of(g.model, g.where, s.file));
    else
      t.metric.push_back(Tracked::constant(1, units::metric));
    if (g.price)
      t.price.push_back(
          Tracked::input(fmt::format("lease.price_per_gpu_hour.{}", g.model), *g.price));
    else
      t.price.push_back(Tracked::input("lease.price_per_gpu_hour", *s.price));
  }
  if (field.empty()) t.h100_metric = Tracked::constant(1, units::metric);
  t.occupancy = Tracked::input("lease.occupancy", s.occupancy);
  t.hours_per_year = Tracked::input("lease.hours_per_year", s.hours_per_year);
  t.discount =
      s.discount ? Tracked::input("lease.discount", *s.discount) : Tracked::constant(0, units::one);
  if (has_power_) t.power_mw = Tracked::input("cluster.power_mw", *s.power_mw);
  if (has_fleet_) t.fleet_h100e = Tracked::input("fleet.h100e", *s.fleet_h100e);
  if (has_loss_) t.loss = Tracked::input("loss.annual_net_loss", *s.loss);
  for (std::size_t i = 0; i < s.capacity.size(); ++i) {
    const Commitment& c = s.capacity[i];
    t.capacity_gw.push_back(Tracked::input(fmt::format("capacity.{}.gw", c.counterparty), c.gw));
    if (c.group.empty()) continue;
    auto g =
        std::find_if(groups_.begin(), groups_.end(), [&](auto& x) { return x.first == c.group; });
    if (g == groups_.end())
      groups_.push_back({c.group, {i}});
    else
      g->second.push_back(i);
  }
  for (const auto& p : s.peers)
    t.peer_gw.push_back(Tracked::input(fmt::format("peers.{}.gw", p.name), p.figure));
  if (has_valuation_) t.valuation = Tracked::input("valuation", *s.valuation);
  for (const auto& c : s.comps)
    t.comp_multiple.push_back(
        Tracked::input(fmt::format("comps.{}.revenue_multiple", c.name), c.figure));

  // The output layout, in the order evaluate() fills it. Formulas name their operands
  // as {key}; per-model sums are spelled out for this cluster.
  const std::string b(basis_name(basis));
  auto each = [&](std::string_view pattern, std::string_view sep) {
    std::string out;
    for (const auto& m : models_) {
      if (!out.empty()) out += sep;
      out += fmt::format(fmt::runtime(pattern), m);
    }
    return out;
  };
  const bool uniform = s.price.has_value();
  const std::string kept = s.discount ? " x (1 - {lease.discount})" : "";
  // Revenue per hour of the whole cluster at full occupancy, before hours and discount.
  const std::string priced =
      uniform ? "{cluster.gpus.total} x {lease.price_per_gpu_hour}"
              : "(" + each("{{cluster.gpus.{0}.count}} x {{lease.price_per_gpu_hour.{0}}}", " + ") +
                    ")";

  add(0, "cluster.gpus.total", "GPUs in the cluster", units::gpu,
      each("{{cluster.gpus.{}.count}}", " + "));
  for (const auto& m : models_)
    add(groups::h100e, fmt::format("cluster.h100e.factor.{}", m),
        fmt::format("H100e per {} ({})", m, b), units::h100e_per_gpu,
        field.empty() ? "1"
                      : fmt::format("{{catalog.{}.{}}} / {{catalog.H100.{}}}", m, field, field));
  for (const auto& m : models_)
    add(groups::h100e, fmt::format("cluster.h100e.{}", m), fmt::format("{} in H100e ({})", m, b),
        units::h100e, fmt::format("{{cluster.gpus.{0}.count}} x {{cluster.h100e.factor.{0}}}", m));
  add(groups::h100e, "cluster.h100e.total", fmt::format("Cluster H100e ({})", b), units::h100e,
      each("{{cluster.h100e.{}}}", " + "));
  for (const auto& m : models_) {
    add(groups::shares, fmt::format("cluster.share.{}.units", m),
        fmt::format("{} share of GPUs", m), units::one,
        fmt::format("{{cluster.gpus.{}.count}} / {{cluster.gpus.total}}", m),
        "the cluster has no GPUs");
    add(groups::shares, fmt::format("cluster.share.{}.h100e", m),
        fmt::format("{} share of H100e ({})", m, b), units::one,
        fmt::format("{{cluster.h100e.{}}} / {{cluster.h100e.total}}", m),
        "the cluster has no GPUs");
  }
  if (has_fleet_)
    add(groups::fleet, "fleet.share_h100e", fmt::format("Share of the fleet's H100e ({})", b),
        units::one, "{cluster.h100e.total} / {fleet.h100e}");
  add(0, "lease.gpu_hours", "GPU-hours a year", units::gpu_hours_per_year,
      "{cluster.gpus.total} x {lease.hours_per_year} x {lease.occupancy}");
  add(0, "lease.annual_revenue", "Annual lease revenue", units::usd_per_year,
      priced + " x {lease.hours_per_year} x {lease.occupancy}" + kept);
  add(groups::per_h100e, "lease.revenue_per_h100e_hour",
      fmt::format("Revenue per H100e-hour ({})", b), units::usd_per_h100e_hour,
      "{lease.annual_revenue} / ({cluster.h100e.total} x {lease.hours_per_year})",
      "the cluster has no H100e");
  if (has_power_) {
    add(groups::power, "lease.revenue_per_mw", "Revenue per MW-year", units::usd_per_mw_year,
        "{lease.annual_revenue} / {cluster.power_mw}");
    add(groups::power, "power.kw_per_gpu", "Power per GPU", units::kw_per_gpu,
        "{cluster.power_mw} x 1000 / {cluster.gpus.total}", "the cluster has no GPUs");
  }
  if (has_loss_) {
    add(groups::coverage, "breakeven.coverage", "Revenue / loss", units::one,
        "{lease.annual_revenue} / {loss.annual_net_loss}", "the annual net loss is 0");
    add(groups::coverage, "breakeven.gap", "Loss not covered", units::usd_per_year,
        "{loss.annual_net_loss} - {lease.annual_revenue}");
    add(groups::breakeven, "breakeven.price", "Break-even price", units::usd_per_gpu_hour,
        s.discount ? "{loss.annual_net_loss} / ({lease.gpu_hours} x (1 - {lease.discount}))"
                   : "{loss.annual_net_loss} / {lease.gpu_hours}",
        "no GPU-hours are sold (occupancy 0 or no GPUs)");
    add(groups::breakeven, "breakeven.occupancy", "Break-even occupancy", units::one,
        "{loss.annual_net_loss} / (" + priced + " x {lease.hours_per_year}" + kept + ")",
        "no revenue even at full occupancy");
    add(groups::breakeven, "breakeven.gpus", "Break-even GPUs", units::gpu,
        "{cluster.gpus.total} x {loss.annual_net_loss} / {lease.annual_revenue}",
        "the lease has no revenue");
  }
  if (!s.capacity.empty()) {
    std::string all;
    for (const auto& c : s.capacity)
      all += (all.empty() ? "" : " + ") + fmt::format("{{capacity.{}.gw}}", c.counterparty);
    add(groups::capacity, "capacity.total_gw", "Capacity committed", units::gw, all);
    for (const auto& [group, members] : groups_) {
      std::string sum;
      for (std::size_t i : members)
        sum += (sum.empty() ? "" : " + ") +
               fmt::format("{{capacity.{}.gw}}", s.capacity[i].counterparty);
      add(groups::capacity, fmt::format("capacity.group.{}.gw", group),
          fmt::format("Capacity committed in {}", group), units::gw, sum);
    }
    for (const auto& p : s.peers)
      add(groups::capacity, fmt::format("capacity.share_of.{}", p.name),
          fmt::format("Capacity as a share of {}'s roadmap", p.name), units::one,
          fmt::format("{{capacity.total_gw}} / {{peers.{}.gw}}", p.name));
  }
  if (has_valuation_)
    add(groups::valuation, "valuation.revenue_multiple", "Valuation / annual lease revenue",
        units::multiple, "{valuation} / {lease.annual_revenue}", "the lease has no revenue");
  for (const auto& c : s.comps)
    add(groups::valuation, fmt::format("comps.implied_value.{}", c.name),
        fmt::format("Lease revenue valued at {}'s multiple", c.name), units::usd,
        fmt::format("{{comps.{}.revenue_multiple}} x {{lease.annual_revenue}}", c.name));
}

void Model::add(unsigned group, std::string key, std::string label, const Unit& unit,
                std::string formula, std::string undefined) {
  outputs_.push_back(
      {std::move(key), std::move(label), unit, std::move(formula), std::move(undefined), group});
}

unsigned Model::needs_for(const std::vector<std::size_t>& output_indices) const {
  unsigned needs = 0;
  for (std::size_t i : output_indices)
    needs |= outputs_[i].group;
  if (needs & (groups::shares | groups::fleet | groups::per_h100e)) needs |= groups::h100e;
  return needs;
}

std::size_t Model::find_output(std::string_view key) const {
  for (std::size_t i = 0; i < outputs_.size(); ++i)
    if (outputs_[i].key == key) return i;
  return npos;
}

std::vector<double*> Model::slots(Inputs<double>& in, std::string_view key) const {
  std::vector<double*> out;
  auto pair = [&](const Tracked& t, double& d) {
    if (t.inputs.size() == 1 && t.inputs[0] == key) out.push_back(&d);
  };
  const auto& t = tracked_;
  for (std::size_t i = 0; i < t.count.size(); ++i) {
    pair(t.count[i], in.count[i]);
    pair(t.metric[i], in.metric[i]);
    pair(t.price[i], in.price[i]);
  }
  pair(t.h100_metric, in.h100_metric);
  pair(t.occupancy, in.occupancy);
  pair(t.hours_per_year, in.hours_per_year);
  pair(t.discount, in.discount);
  pair(t.power_mw, in.power_mw);
  pair(t.fleet_h100e, in.fleet_h100e);
  pair(t.loss, in.loss);
  for (std::size_t i = 0; i < t.capacity_gw.size(); ++i)
    pair(t.capacity_gw[i], in.capacity_gw[i]);
  for (std::size_t i = 0; i < t.peer_gw.size(); ++i)
    pair(t.peer_gw[i], in.peer_gw[i]);
  pair(t.valuation, in.valuation);
  for (std::size_t i = 0; i < t.comp_multiple.size(); ++i)
    pair(t.comp_multiple[i], in.comp_multiple[i]);
  return out;
}

Inputs<double> Model::plain_inputs() const {
  Inputs<double> in;
  auto values = [](const std::vector<Tracked>& v) {
    std::vector<double> out;
    for (const auto& x : v)
      out.push_back(x.v);
    return out;
  };
  in.count = values(tracked_.count);
  in.metric = values(tracked_.metric);
  in.price = values(tracked_.price);
  in.h100_metric = tracked_.h100_metric.v;
  in.occupancy = tracked_.occupancy.v;
  in.hours_per_year = tracked_.hours_per_year.v;
  in.discount = tracked_.discount.v;
  in.power_mw = tracked_.power_mw.v;
  in.fleet_h100e = tracked_.fleet_h100e.v;
  in.loss = tracked_.loss.v;
  in.capacity_gw = values(tracked_.capacity_gw);
  in.peer_gw = values(tracked_.peer_gw);
  in.valuation = tracked_.valuation.v;
  in.comp_multiple = values(tracked_.comp_multiple);
  return in;
}

template <class T>
void Model::evaluate(const Inputs<T>& in, std::vector<T>& out, unsigned needs) const {
  const std::size_t n = models_.size();
  out.resize(outputs_.size());
  std::size_t k = 0;  // next output slot, in the order of the layout built above
  // A group that is not needed is skipped: its slots keep what they held.
  auto want = [&](unsigned group, std::size_t slots) {
    if (needs & group) return true;
    k += slots;
    return false;
  };

  T gpus = in.count[0];
  for (std::size_t i = 1; i < n; ++i)
    gpus = gpus + in.count[i];
  out[k++] = gpus;

  const std::size_t h100e_at = k + n;
  if (want(groups::h100e, 2 * n + 1)) {
    const T per_gpu = constant<T>(1, units::h100e_per_gpu);
    const std::size_t factor_at = k;
    for (std::size_t i = 0; i < n; ++i)
      out[factor_at + i] = in.metric[i] / in.h100_metric * per_gpu;
    for (std::size_t i = 0; i < n; ++i)
      out[h100e_at + i] = in.count[i] * out[factor_at + i];
    k = h100e_at + n;
    T total = out[h100e_at];
    for (std::size_t i = 1; i < n; ++i)
      total = total + out[h100e_at + i];
    out[k++] = total;
  }
  const T& h100e = out[h100e_at + n];
  if (want(groups::shares, 2 * n)) {
    for (std::size_t i = 0; i < n; ++i) {
      out[k++] = quotient(in.count[i], gpus);
      out[k++] = quotient(out[h100e_at + i], h100e);
    }
  }
  if (has_fleet_ && want(groups::fleet, 1)) out[k++] = h100e / in.fleet_h100e;

  const T kept = constant<T>(1, units::one) - in.discount;  // share of list price collected
  const T gpu_hours = gpus * in.hours_per_year * in.occupancy;
  out[k++] = gpu_hours;
  // Revenue at full occupancy first: break-even occupancy divides by it.
  T full = in.count[0] * in.hours_per_year * in.price[0];
  for (std::size_t i = 1; i < n; ++i)
    full = full + in.count[i] * in.hours_per_year * in.price[i];
  full = full * kept;
  const T revenue = full * in.occupancy;
  out[k++] = revenue;
  if (want(groups::per_h100e, 1)) out[k++] = quotient(revenue, h100e * in.hours_per_year);
  if (has_power_ && want(groups::power, 2)) {
    out[k++] = revenue / in.power_mw;
    out[k++] = quotient(in.power_mw * constant<T>(1000, units::kw_per_mw), gpus);
  }
  if (has_loss_ && want(groups::coverage, 2)) {
    out[k++] = quotient(revenue, in.loss);
    out[k++] = in.loss - revenue;
  }
  if (has_loss_ && want(groups::breakeven, 3)) {
    out[k++] = quotient(in.loss, gpu_hours * kept);
    out[k++] = quotient(in.loss, full);
    out[k++] = quotient(gpus * in.loss, revenue);
  }
  const std::size_t nc = in.capacity_gw.size();
  if (nc > 0 && want(groups::capacity, 1 + groups_.size() + in.peer_gw.size())) {
    T total = in.capacity_gw[0];
    for (std::size_t i = 1; i < nc; ++i)
      total = total + in.capacity_gw[i];
    out[k++] = total;
    for (const auto& [group, members] : groups_) {
      T sum = in.capacity_gw[members[0]];
      for (std::size_t j = 1; j < members.size(); ++j)
        sum = sum + in.capacity_gw[members[j]];
      out[k++] = sum;
    }
    for (const T& peer : in.peer_gw)
      out[k++] = total / peer;
  }
  if (want(groups::valuation, (has_valuation_ ? 1 : 0) + in.comp_multiple.size())) {
    if (has_valuation_) out[k++] = quotient(in.valuation, revenue);
    for (const T& m : in.comp_multiple)
      out[k++] = m * revenue;
  }
}

template void Model::evaluate<double>(const Inputs<double>&, std::vector<double>&, unsigned) const;
template void Model::evaluate<Tracked>(const Inputs<Tracked>&, std::vector<Tracked>&,
                                       unsigned) const;
}  // namespace leasecalc
