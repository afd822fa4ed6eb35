#include "leasecalc/override.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "leasecalc/text.hpp"

namespace leasecalc {

std::variant<Override, std::string> parse_override(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return fmt::format("\"{}\": expected KEY=VALUE[@TAG], such as lease.occupancy=0.85@assumption",
                       text);
  Override o;
  o.key = std::string(text.substr(0, eq));
  std::string_view value = text.substr(eq + 1);
  if (const auto at = value.rfind('@'); at != std::string_view::npos) {
    const std::string_view tag = value.substr(at + 1);
    o.tag = parse_tag(tag);
    if (!o.tag)
      return fmt::format("{}: {}", o.key, unknown_choice("tag", tag, names_of(tag_names())));
    value = value.substr(0, at);
  }
  const NumberParse n = parse_number(value);
  if (!n.error.empty()) return fmt::format("{}: {}", o.key, n.error);
  o.value = n.value;
  return o;
}

std::vector<std::string> settable_keys(const Scenario& s) {
  std::vector<std::string> keys;
  for (const auto& m : s.catalog.models)
    keys.push_back(fmt::format("cluster.gpus.{}.count", m.id));
  for (auto k : {"cluster.power_mw", "fleet.h100e", "lease.price_per_gpu_hour", "lease.occupancy",
                 "lease.hours_per_year", "lease.discount", "loss.annual_net_loss"})
    keys.emplace_back(k);
  for (const auto& g : s.gpus)
    keys.push_back(fmt::format("lease.price_per_gpu_hour.{}", g.model));
  for (const auto& m : s.catalog.models)
    for (const auto& spec : catalog_fields())
      keys.push_back(fmt::format("catalog.{}.{}", m.id, spec.name));
  for (const auto& c : s.capacity)
    keys.push_back(fmt::format("capacity.{}.gw", c.counterparty));
  for (const auto& p : s.peers)
    keys.push_back(fmt::format("peers.{}.gw", p.name));
  keys.emplace_back("valuation");
  for (const auto& c : s.comps)
    keys.push_back(fmt::format("comps.{}.revenue_multiple", c.name));
  for (const auto& f : s.facts)
    keys.push_back(fmt::format("facts.{}", f.name));
  return keys;
}

namespace {

// The figure an override puts in place of `old` (or of nothing).
Figure replacement(const Override& o, const Unit& unit, const Figure* old) {
  Figure f;
  f.value = o.value;
  f.unit = unit;
  f.tag = o.tag.value_or(Tag::assumption);
  f.overridden = true;
  if (old) f.note = fmt::format("was {} [{}]", plain_number(old->value), tag_name(old->tag));
  return f;
}

void set(std::optional<Figure>& slot, const Override& o, const Unit& unit) {
  slot = replacement(o, unit, slot ? &*slot : nullptr);
}

std::string_view suffix_after(std::string_view key, std::string_view prefix) {
  return key.starts_with(prefix) ? key.substr(prefix.size()) : std::string_view{};
}

}  // namespace

std::string apply_override(Scenario& s, const Override& o) {
  const std::vector<std::string> keys = settable_keys(s);
  if (std::find(keys.begin(), keys.end(), o.key) == keys.end()) {
    const std::string hint = did_you_mean(o.key, keys);
    return fmt::format(
        "unknown figure key \"{}\"{}; inputs are keys such as lease.occupancy, "
        "lease.price_per_gpu_hour, cluster.gpus.<MODEL>.count",
        o.key, hint.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", hint));
  }
  const std::string why = domain_for_key(o.key).check(o.value);
  if (!why.empty()) return why;  // callers name the KEY=VALUE

  const std::string_view key = o.key;
  if (key == "cluster.power_mw")
    set(s.power_mw, o, units::mw);
  else if (key == "fleet.h100e")
    set(s.fleet_h100e, o, units::h100e);
  else if (key == "lease.discount")
    set(s.discount, o, units::one);
  else if (key == "loss.annual_net_loss")
    set(s.loss, o, units::usd_per_year);
  else if (key == "lease.occupancy")
    s.occupancy = replacement(o, units::one, &s.occupancy);
  else if (key == "lease.hours_per_year")
    s.hours_per_year = replacement(o, units::hours_per_year, &s.hours_per_year);
  else if (key == "lease.price_per_gpu_hour") {
    // One price for every model, replacing per-type prices if there were any.
    const Figure* old = s.price ? &*s.price : nullptr;
    s.price = replacement(o, units::usd_per_gpu_hour, old);
    for (auto& g : s.gpus)
      g.price.reset();
  } else if (auto model = suffix_after(key, "lease.price_per_gpu_hour."); !model.empty()) {
    if (s.price) {  // a uniform price becomes per-type: every model keeps it but this one
      for (auto& g : s.gpus)
        g.price = *s.price;
      s.price.reset();
    }
    for (auto& g : s.gpus)
      if (g.model == model) set(g.price, o, units::usd_per_gpu_hour);
  } else if (auto rest = suffix_after(key, "cluster.gpus."); !rest.empty()) {
    const std::string id(rest.substr(0, rest.size() - std::string_view(".count").size()));
    auto it =
        std::find_if(s.gpus.begin(), s.gpus.end(), [&](const GpuLine& g) { return g.model == id; });
    if (it != s.gpus.end()) {
      it->count = replacement(o, units::gpu, &it->count);
    } else {
      GpuLine line;
      line.model = id;
      line.count = replacement(o, units::gpu, nullptr);
      line.where = Location{1, 1, "/cluster/gpus"};
      if (!s.price) line.price = std::nullopt;  // per-type: check_consistency asks for a price
      s.gpus.push_back(std::move(line));
    }
  } else if (key == "valuation") {
    set(s.valuation, o, units::usd);
  } else if (auto cp = suffix_after(key, "capacity."); !cp.empty()) {
    for (auto& c : s.capacity)
      if (fmt::format("capacity.{}.gw", c.counterparty) == key)
        c.gw = replacement(o, units::gw, &c.gw);
  } else if (key.starts_with("peers.") || key.starts_with("comps.") || key.starts_with("facts.")) {
    for (auto* list : {&s.peers, &s.comps, &s.facts})
      for (auto& n : *list) {
        const std::string k = list == &s.peers   ? fmt::format("peers.{}.gw", n.name)
                              : list == &s.comps ? fmt::format("comps.{}.revenue_multiple", n.name)
                                                 : fmt::format("facts.{}", n.name);
        if (k == key) n.figure = replacement(o, n.figure.unit, &n.figure);
      }
  } else if (auto rest2 = suffix_after(key, "catalog."); !rest2.empty()) {
    const auto dot = rest2.find('.');
    GpuModel* m = s.catalog.find(rest2.substr(0, dot));
    const std::string field(rest2.substr(dot + 1));
    Unit u = units::metric;
    for (const auto& spec : catalog_fields())
      if (spec.name == field) u.name = spec.unit_name;
    auto f = std::find_if(m->fields.begin(), m->fields.end(),
                          [&](const GpuModel::Field& x) { return x.name == field; });
    if (f != m->fields.end())
      f->figure = replacement(o, u, &f->figure);
    else
      m->fields.push_back({field, replacement(o, u, nullptr), Location{1, 1, "/catalog"}});
  }
  return "";
}

std::string check_consistency(const Scenario& s) {
  if (s.price) return "";
  for (const auto& g : s.gpus)
    if (!g.price)
      return fmt::format(
          "{} has no price: with per-type prices, also set "
          "lease.price_per_gpu_hour.{}=VALUE",
          g.model, g.model);
  return "";
}

}  // namespace leasecalc
