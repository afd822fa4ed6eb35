#include "leasecalc/scenario.hpp"

#include <fmt/format.h>
#include <cmath>

#include "leasecalc/text.hpp"

namespace leasecalc {

const Source* Scenario::find_source(std::string_view id) const {
  for (const auto& s : sources)
    if (s.id == id) return &s;
  for (const auto& s : catalog.sources)
    if (s.id == id) return &s;
  return nullptr;
}

namespace {
constexpr double k_max_whole = 9007199254740992.0;  // 2^53: above it not every count exists

std::string bound_text(double x, bool inclusive, bool lower) {
  if (lower) return fmt::format("{} {}", inclusive ? "at least" : "greater than", plain_number(x));
  return fmt::format("{} {}", inclusive ? "at most" : "less than", plain_number(x));
}
}  // namespace

std::string Domain::describe() const {
  std::string out;
  if (max && min_inclusive && max_inclusive)
    out = fmt::format("between {} and {}", plain_number(min), plain_number(*max));
  else if (max)
    out = fmt::format("{} and {}", bound_text(min, min_inclusive, true),
                      bound_text(*max, max_inclusive, false));
  else
    out = bound_text(min, min_inclusive, true);
  if (whole) out = "a whole number " + out;
  return out;
}

std::string Domain::check(double x) const {
  const bool ok_min = min_inclusive ? x >= min : x > min;
  const bool ok_max = !max || (max_inclusive ? x <= *max : x < *max);
  if (!std::isfinite(x) || !ok_min || !ok_max) {
    // 85 for a 0..1 share is almost surely a percentage.
    const bool percent = max && *max == 1 && min == 0 && x >= 2 && x <= 100;
    return fmt::format("must be {}, got {}{}", describe(), plain_number(x),
                       percent ? fmt::format(" (write a share: {} for {}%)", plain_number(x / 100),
                                             plain_number(x))
                               : "");
  }
  if (whole && std::floor(x) != x)
    return fmt::format("must be a whole number, got {}", plain_number(x));
  if (whole && x > k_max_whole)
    return fmt::format("must be at most 2^53 = 9007199254740992, got {}", plain_number(x));
  return "";
}

Domain domain_for_key(std::string_view key) {
  const auto ends = [&](std::string_view suffix) {
    return key.size() >= suffix.size() && key.substr(key.size() - suffix.size()) == suffix;
  };
  if (key.starts_with("cluster.gpus.") && ends(".count")) return Domain::count();
  if (key == "lease.occupancy") return Domain::between(0, 1);
  if (key == "lease.discount") return Domain::between(0, 1, false);
  if (key == "lease.hours_per_year") return {0, false, 8784.0, true, false};  // a leap year at most
  if (key == "loss.annual_net_loss") return Domain::at_least(0);
  if (key.starts_with("facts.")) return {-1.7976931348623157e308, true, std::nullopt, true, false};
  return Domain::above(0);  // prices, power, fleet, catalog figures
}

std::vector<InputRef> input_figures(Scenario& s, Basis basis) {
  std::vector<InputRef> out;
  auto add = [&](std::string key, std::string label, Figure* f) {
    if (!f) return;
    Domain d = domain_for_key(key);
    out.push_back({std::move(key), std::move(label), f, d});
  };
  for (auto& g : s.gpus)
    add(fmt::format("cluster.gpus.{}.count", g.model), fmt::format("{} GPUs", g.model), &g.count);
  if (s.power_mw) add("cluster.power_mw", "Cluster power", &*s.power_mw);
  if (s.fleet_h100e)
    add("fleet.h100e",
        fmt::format("{} fleet", s.fleet_name.empty() ? "Counterparty" : s.fleet_name),
        &*s.fleet_h100e);
  if (s.price) add("lease.price_per_gpu_hour", "Lease price", &*s.price);
  for (auto& g : s.gpus)
    if (g.price)
      add(fmt::format("lease.price_per_gpu_hour.{}", g.model),
          fmt::format("Lease price, {}", g.model), &*g.price);
  add("lease.occupancy", "Occupancy", &s.occupancy);
  add("lease.hours_per_year", "Hours per year", &s.hours_per_year);
  if (s.discount) add("lease.discount", "Discount", &*s.discount);
  if (s.loss) add("loss.annual_net_loss", "Annual net loss", &*s.loss);

  for (auto& c : s.capacity)
    add(fmt::format("capacity.{}.gw", c.counterparty), fmt::format("{} capacity", c.counterparty),
        &c.gw);
  for (auto& p : s.peers)
    add(fmt::format("peers.{}.gw", p.name), fmt::format("{} roadmap", p.name), &p.figure);
  if (s.valuation) add("valuation", "Valuation", &*s.valuation);
  for (auto& c : s.comps)
    add(fmt::format("comps.{}.revenue_multiple", c.name),
        fmt::format("{} revenue multiple", c.name), &c.figure);
  for (auto& f : s.facts)
    add(fmt::format("facts.{}", f.name), f.name, &f.figure);

  const std::string_view field = basis_field(basis);
  if (!field.empty()) {
    std::vector<std::string> models{"H100"};
    for (const auto& g : s.gpus)
      if (g.model != "H100") models.push_back(g.model);
    for (const auto& id : models) {
      GpuModel* m = s.catalog.find(id);
      if (!m) continue;
      std::string_view label = field;
      for (const auto& spec : catalog_fields())
        if (spec.name == field) label = spec.label;
      for (auto& f : m->fields)
        if (f.name == field)
          add(fmt::format("catalog.{}.{}", id, field), fmt::format("{} {}", id, label), &f.figure);
    }
  }
  return out;
}

}  // namespace leasecalc
