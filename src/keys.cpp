#include "leasecalc/keys.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <stdexcept>

#include "leasecalc/text.hpp"

namespace leasecalc {
namespace {

using Out = std::vector<InputRef>;
using Segments = std::vector<std::string>;

// Helpers for the rows: an optional figure, a fixed one, a named list.
Figure* opt(std::optional<Figure>& f) { return f ? &*f : nullptr; }

GpuLine* line_of(Scenario& s, std::string_view model) {
  for (auto& g : s.gpus)
    if (g.model == model) return &g;
  return nullptr;
}

Named* named_of(std::vector<Named>& list, std::string_view name) {
  for (auto& n : list)
    if (n.name == name) return &n;
  return nullptr;
}

Segments names(const std::vector<Named>& list) {
  Segments out;
  for (const auto& n : list)
    out.push_back(n.name);
  return out;
}

void set_named(std::vector<Named>& list, std::string_view name, Figure f) {
  if (Named* n = named_of(list, name)) n->figure = std::move(f);
}

// MODEL.FIELD -> the catalog field's figure.
GpuModel::Field* catalog_field(Scenario& s, std::string_view segment) {
  const auto dot = segment.find('.');
  GpuModel* m = s.catalog.find(segment.substr(0, dot));
  if (!m || dot == std::string_view::npos) return nullptr;
  for (auto& f : m->fields)
    if (f.name == segment.substr(dot + 1)) return &f;
  return nullptr;
}

const Domain k_any{-1.7976931348623157e308, true, std::nullopt, true, false};
const Segments k_one{""};

std::vector<InputKey> make_table() {
  return {
      {"cluster.gpus.{}.count", Domain::count(), &units::gpu, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         for (auto& g : s.gpus)
           out.push_back({fmt::format("cluster.gpus.{}.count", g.model),
                          fmt::format("{} GPUs", g.model), &g.count});
       },
       [](const Scenario& s) { return s.catalog.ids(); },
       [](Scenario& s, std::string_view m) -> Figure* {
         GpuLine* g = line_of(s, m);
         return g ? &g->count : nullptr;
       },
       [](Scenario& s, std::string_view m, Figure f) {
         if (GpuLine* g = line_of(s, m)) {
           g->count = std::move(f);
           return;
         }
         GpuLine line;
         line.model = std::string(m);
         line.count = std::move(f);
         line.where = Location{1, 1, "/cluster/gpus"};
         s.gpus.push_back(std::move(line));  // per-type prices: check_consistency asks for one
       },
       nullptr},
      {"cluster.power_mw", Domain::above(0), &units::mw, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         if (s.power_mw) out.push_back({"cluster.power_mw", "Cluster power", &*s.power_mw});
       },
       [](const Scenario&) { return k_one; },
       [](Scenario& s, std::string_view) { return opt(s.power_mw); },
       [](Scenario& s, std::string_view, Figure f) { s.power_mw = std::move(f); }, nullptr},
      {"fleet.h100e", Domain::above(0), &units::h100e, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         if (s.fleet_h100e)
           out.push_back(
               {"fleet.h100e",
                fmt::format("{} fleet", s.fleet_name.empty() ? "Counterparty" : s.fleet_name),
                &*s.fleet_h100e});
       },
       [](const Scenario&) { return k_one; },
       [](Scenario& s, std::string_view) { return opt(s.fleet_h100e); },
       [](Scenario& s, std::string_view, Figure f) { s.fleet_h100e = std::move(f); }, nullptr},
      {"lease.price_per_gpu_hour", Domain::above(0), &units::usd_per_gpu_hour, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         if (s.price) out.push_back({"lease.price_per_gpu_hour", "Lease price", &*s.price});
       },
       [](const Scenario&) { return k_one; },
       [](Scenario& s, std::string_view) { return opt(s.price); },
       [](Scenario& s, std::string_view, Figure f) {
         s.price = std::move(f);  // one price for every model, replacing per-type prices
         for (auto& g : s.gpus)
           g.price.reset();
       },
       nullptr},
      {"lease.price_per_gpu_hour.{}", Domain::above(0), &units::usd_per_gpu_hour, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         for (auto& g : s.gpus)
           if (g.price)
             out.push_back({fmt::format("lease.price_per_gpu_hour.{}", g.model),
                            fmt::format("Lease price, {}", g.model), &*g.price});
       },
       [](const Scenario& s) {
         Segments out;
         for (const auto& g : s.gpus)
           out.push_back(g.model);
         return out;
       },
       [](Scenario& s, std::string_view m) -> Figure* {  // a uniform price is every model's
         GpuLine* g = line_of(s, m);
         return !g ? nullptr : g->price ? &*g->price : opt(s.price);
       },
       [](Scenario& s, std::string_view m, Figure f) {
         if (s.price) {  // a uniform price becomes per-type: every model keeps it but this one
           for (auto& g : s.gpus)
             g.price = *s.price;
           s.price.reset();
         }
         if (GpuLine* g = line_of(s, m)) g->price = std::move(f);
       },
       nullptr},
      {"lease.occupancy", Domain::between(0, 1), &units::one, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         out.push_back({"lease.occupancy", "Occupancy", &s.occupancy});
       },
       [](const Scenario&) { return k_one; },
       [](Scenario& s, std::string_view) { return &s.occupancy; },
       [](Scenario& s, std::string_view, Figure f) { s.occupancy = std::move(f); }, nullptr},
      {"lease.hours_per_year", Domain{0, false, 8784.0, true, false},  // a leap year at most
       &units::hours_per_year, Tag::exact,
       [](Scenario& s, Basis, Out& out) {
         out.push_back({"lease.hours_per_year", "Hours per year", &s.hours_per_year});
       },
       [](const Scenario&) { return k_one; },
       [](Scenario& s, std::string_view) { return &s.hours_per_year; },
       [](Scenario& s, std::string_view, Figure f) { s.hours_per_year = std::move(f); }, nullptr},
      {"lease.discount", Domain::between(0, 1, false), &units::one, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         if (s.discount) out.push_back({"lease.discount", "Discount", &*s.discount});
       },
       [](const Scenario&) { return k_one; },
       [](Scenario& s, std::string_view) { return opt(s.discount); },
       [](Scenario& s, std::string_view, Figure f) { s.discount = std::move(f); }, nullptr},
      {"loss.annual_net_loss", Domain::at_least(0), &units::usd_per_year, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         if (s.loss) out.push_back({"loss.annual_net_loss", "Annual net loss", &*s.loss});
       },
       [](const Scenario&) { return k_one; },
       [](Scenario& s, std::string_view) { return opt(s.loss); },
       [](Scenario& s, std::string_view, Figure f) { s.loss = std::move(f); }, nullptr},
      {"capacity.{}.gw", Domain::above(0), &units::gw, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         for (auto& c : s.capacity)
           out.push_back({fmt::format("capacity.{}.gw", c.counterparty),
                          fmt::format("{} capacity", c.counterparty), &c.gw});
       },
       [](const Scenario& s) {
         Segments out;
         for (const auto& c : s.capacity)
           out.push_back(c.counterparty);
         return out;
       },
       [](Scenario& s, std::string_view name) -> Figure* {
         for (auto& c : s.capacity)
           if (c.counterparty == name) return &c.gw;
         return nullptr;
       },
       [](Scenario& s, std::string_view name, Figure f) {
         for (auto& c : s.capacity)
           if (c.counterparty == name) c.gw = f;
       },
       nullptr},
      {"peers.{}.gw", Domain::above(0), &units::gw, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         for (auto& p : s.peers)
           out.push_back(
               {fmt::format("peers.{}.gw", p.name), fmt::format("{} roadmap", p.name), &p.figure});
       },
       [](const Scenario& s) { return names(s.peers); },
       [](Scenario& s, std::string_view name) -> Figure* {
         Named* n = named_of(s.peers, name);
         return n ? &n->figure : nullptr;
       },
       [](Scenario& s, std::string_view name, Figure f) { set_named(s.peers, name, f); }, nullptr},
      {"valuation", Domain::above(0), &units::usd, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         if (s.valuation) out.push_back({"valuation", "Valuation", &*s.valuation});
       },
       [](const Scenario&) { return k_one; },
       [](Scenario& s, std::string_view) { return opt(s.valuation); },
       [](Scenario& s, std::string_view, Figure f) { s.valuation = std::move(f); }, nullptr},
      {"comps.{}.revenue_multiple", Domain::above(0), &units::multiple, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         for (auto& c : s.comps)
           out.push_back({fmt::format("comps.{}.revenue_multiple", c.name),
                          fmt::format("{} revenue multiple", c.name), &c.figure});
       },
       [](const Scenario& s) { return names(s.comps); },
       [](Scenario& s, std::string_view name) -> Figure* {
         Named* n = named_of(s.comps, name);
         return n ? &n->figure : nullptr;
       },
       [](Scenario& s, std::string_view name, Figure f) { set_named(s.comps, name, f); }, nullptr},
      {"facts.{}", k_any, nullptr, Tag::assumption,
       [](Scenario& s, Basis, Out& out) {
         for (auto& f : s.facts)
           out.push_back({fmt::format("facts.{}", f.name), f.name, &f.figure});
       },
       [](const Scenario& s) { return names(s.facts); },
       [](Scenario& s, std::string_view name) -> Figure* {
         Named* n = named_of(s.facts, name);
         return n ? &n->figure : nullptr;
       },
       [](Scenario& s, std::string_view name, Figure f) { set_named(s.facts, name, f); },
       [](const Scenario& s, std::string_view name) {
         for (const auto& f : s.facts)
           if (f.name == name) return f.figure.unit;
         return units::one;
       }},
      {"catalog.{}", Domain::above(0), nullptr, Tag::assumption,
       [](Scenario& s, Basis basis, Out& out) {
         // The basis figure of H100 (every factor divides by it) and of each model.
         const std::string_view field = basis_field(basis);
         if (field.empty()) return;
         std::vector<std::string> models{"H100"};
         for (const auto& g : s.gpus)
           if (g.model != "H100") models.push_back(g.model);
         std::string_view label = field;
         for (const auto& spec : catalog_fields())
           if (spec.name == field) label = spec.label;
         for (const auto& id : models)
           if (auto* f = catalog_field(s, fmt::format("{}.{}", id, field)))
             out.push_back({fmt::format("catalog.{}.{}", id, field),
                            fmt::format("{} {}", id, label), &f->figure});
       },
       [](const Scenario& s) {
         Segments out;
         for (const auto& m : s.catalog.models)
           for (const auto& spec : catalog_fields())
             out.push_back(fmt::format("{}.{}", m.id, spec.name));
         return out;
       },
       [](Scenario& s, std::string_view segment) -> Figure* {
         auto* f = catalog_field(s, segment);
         return f ? &f->figure : nullptr;
       },
       [](Scenario& s, std::string_view segment, Figure f) {
         if (auto* field = catalog_field(s, segment)) {
           field->figure = std::move(f);
           return;
         }
         const auto dot = segment.find('.');
         if (GpuModel* m = s.catalog.find(segment.substr(0, dot)))
           m->fields.push_back(
               {std::string(segment.substr(dot + 1)), std::move(f), Location{1, 1, "/catalog"}});
       },
       [](const Scenario&, std::string_view segment) {
         Unit u = units::metric;
         const std::string_view field = segment.substr(segment.find('.') + 1);
         for (const auto& spec : catalog_fields())
           if (spec.name == field) u.name = spec.unit_name;
         return u;
       }},
  };
}

}  // namespace

std::string InputKey::key(std::string_view segment) const {
  const auto brace = pattern.find("{}");
  if (brace == std::string_view::npos) return std::string(pattern);
  return std::string(pattern.substr(0, brace)) + std::string(segment) +
         std::string(pattern.substr(brace + 2));
}

const std::vector<InputKey>& input_keys() {
  static const std::vector<InputKey> table = make_table();
  return table;
}

const InputKey& input_key(std::string_view pattern) {
  for (const auto& row : input_keys())
    if (row.pattern == pattern) return row;
  throw std::logic_error("no input key pattern " + std::string(pattern));
}

std::optional<KeyMatch> match_input(std::string_view key) {
  for (const auto& row : input_keys()) {
    const auto brace = row.pattern.find("{}");
    if (brace == std::string_view::npos) {
      if (key == row.pattern) return KeyMatch{&row, ""};
      continue;
    }
    const std::string_view prefix = row.pattern.substr(0, brace);
    const std::string_view suffix = row.pattern.substr(brace + 2);
    if (key.size() > prefix.size() + suffix.size() && key.starts_with(prefix) &&
        key.ends_with(suffix))
      return KeyMatch{
          &row, std::string(key.substr(prefix.size(), key.size() - prefix.size() - suffix.size()))};
  }
  return std::nullopt;
}

Domain domain_for_key(std::string_view key) {
  const auto m = match_input(key);
  return m ? m->row->domain : Domain::above(0);
}

std::vector<InputRef> input_figures(Scenario& s, Basis basis) {
  std::vector<InputRef> out;
  for (const auto& row : input_keys()) {
    const std::size_t first = out.size();
    row.list(s, basis, out);
    for (std::size_t i = first; i < out.size(); ++i)
      out[i].domain = row.domain;
  }
  return out;
}

std::vector<std::string> settable_keys(const Scenario& s) {
  std::vector<std::string> keys;
  for (const auto& row : input_keys())
    for (const auto& segment : row.settable(s))
      keys.push_back(row.key(segment));
  return keys;
}

}  // namespace leasecalc
