// The input key table, written once: one row per input key pattern, in report order, with
// its label, domain, unit, bare-number tag, place in the file and how to reach its figure.
// One file because it is one table: every command, the loader and the completion read
// it, and a key belongs in exactly one row (splitting it by section would let two rows of
// one key hide in two files).
#include "leasecalc/model/keys.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "leasecalc/model/text.hpp"

namespace leasecalc {
namespace {

using Out = std::vector<InputRef>;
using Segments = InputKey::Segments;

const Domain k_any{-1.7976931348623157e308, true, std::nullopt, true, false};
const Segments k_one{""};

// --- rows by where their figures live ---

// One optional figure, a Scenario member: cluster.power_mw, lease.price_discount, ...
template <std::optional<Figure> Scenario::*M>
InputKey optional_row(std::string_view pattern, std::string_view label, Domain domain,
                      const Unit& unit) {
  return {pattern,
          label,
          domain,
          &unit,
          Tag::assumption,
          "",
          [](const Scenario& s) { return (s.*M) ? k_one : Segments{}; },
          [](const Scenario&) { return k_one; },
          [](Scenario& s, std::string_view) { return (s.*M) ? &*(s.*M) : nullptr; },
          [](Scenario& s, std::string_view, Figure f) { s.*M = std::move(f); }};
}

// One figure every scenario has: lease.occupancy, lease.hours_per_year.
template <Figure Scenario::*M>
InputKey fixed_row(std::string_view pattern, std::string_view label, Domain domain,
                   const Unit& unit, Tag bare_tag) {
  return {pattern,
          label,
          domain,
          &unit,
          bare_tag,
          "",
          [](const Scenario&) { return k_one; },
          [](const Scenario&) { return k_one; },
          [](Scenario& s, std::string_view) { return &(s.*M); },
          [](Scenario& s, std::string_view, Figure f) { s.*M = std::move(f); }};
}

// A named list, one figure per name: peers.{}.gw, comps.{}.revenue_multiple, facts.{}.
// Keys use each entry's id; labels its name (or a fact's label).
template <std::vector<Named> Scenario::*M>
InputKey named_row(std::string_view pattern, std::string_view label, Domain domain,
                   const Unit* unit) {
  InputKey row{pattern,
               label,
               domain,
               unit,
               Tag::assumption,
               "",
               [](const Scenario& s) {
                 Segments out;
                 for (const auto& n : s.*M)
                   out.push_back(n.id);
                 return out;
               },
               nullptr,
               [](Scenario& s, std::string_view id) -> Figure* {
                 for (auto& n : s.*M)
                   if (n.id == id) return &n.figure;
                 return nullptr;
               },
               [](Scenario& s, std::string_view id, Figure f) {
                 for (auto& n : s.*M)
                   if (n.id == id) n.figure = f;
               },
               [](const Scenario& s, std::string_view id) {
                 for (const auto& n : s.*M)
                   if (n.id == id) return n.figure.unit;
                 return units::one;
               }};
  row.list = [](const InputKey& r, Scenario& s, Basis, Out& out) {
    for (auto& n : s.*M)
      out.push_back({r.key(n.id),
                     n.label.empty() ? fmt::format(fmt::runtime(r.label), n.name) : n.label,
                     &n.figure});
  };
  return row;
}

// A figure at a fixed place in the file ("costs/pue"), kept in Scenario::figures under
// its key: a new input needs no Scenario member and no loader code, only this row.
InputKey simple_row(std::string_view pattern, std::string_view label, std::string_view json,
                    Domain domain, const Unit& unit, Tag bare_tag = Tag::assumption) {
  return {pattern,
          label,
          domain,
          &unit,
          bare_tag,
          json,
          nullptr,  // InputKey::segments, figure and put reach Scenario::figures
          [](const Scenario&) { return k_one; },
          nullptr,
          nullptr};
}

// Replaces or adds a figure of Scenario::figures.
void put_keyed(Scenario& s, const std::string& key, Figure f) {
  for (auto& [k, old] : s.figures)
    if (k == key) {
      old = std::move(f);
      return;
    }
  s.figures.emplace_back(key, std::move(f));
}

// --- tenants (README "Several tenants"): keys lease.<TENANT>.<field>, and two-segment keys whose
// segment is "TENANT.MODEL" or "TENANT.MONTH" ---

Lease* lease_of(Scenario& s, std::string_view id) {
  for (auto& l : s.leases)
    if (l.id == id) return &l;
  return nullptr;
}

// Every tenant's key segment, in file order.
Segments tenant_ids(const Scenario& s) {
  Segments out;
  for (const auto& l : s.leases)
    out.push_back(l.id);
  return out;
}

// (tenant, rest) of a two-part segment "TENANT.MODEL".
std::pair<std::string_view, std::string_view> split_segment(std::string_view segment) {
  const auto dot = segment.find('.');
  if (dot == std::string_view::npos) return {segment, {}};
  return {segment.substr(0, dot), segment.substr(dot + 1)};
}

// The online share of a ramp's step at `month` (its text), or nullptr.
Figure* step_at(std::vector<RampStep>& ramp, std::string_view month) {
  for (auto& step : ramp)
    if (std::to_string(step.month) == month) return &step.online;
  return nullptr;
}

Figure* pair_figure(std::vector<std::pair<std::string, Figure>>& list, std::string_view name) {
  for (auto& [n, f] : list)
    if (n == name) return &f;
  return nullptr;
}

// A tenant's optional figure: lease.<TENANT>.price_discount, .term_months, ...
template <std::optional<Figure> Lease::*M>
InputKey tenant_row(std::string_view pattern, std::string_view label, Domain domain,
                    const Unit& unit) {
  InputKey row{pattern,
               label,
               domain,
               &unit,
               Tag::assumption,
               "",
               [](const Scenario& s) {
                 Segments out;
                 for (const auto& l : s.leases)
                   if (l.*M) out.push_back(l.id);
                 return out;
               },
               tenant_ids,
               [](Scenario& s, std::string_view id) -> Figure* {
                 Lease* l = lease_of(s, id);
                 return l && l->*M ? &*(l->*M) : nullptr;
               },
               [](Scenario& s, std::string_view id, Figure f) {
                 if (Lease* l = lease_of(s, id)) l->*M = std::move(f);
               }};
  row.list = [](const InputKey& r, Scenario& s, Basis, Out& out) {
    for (auto& l : s.leases)
      if (l.*M)
        out.push_back({r.key(l.id), fmt::format(fmt::runtime(r.label), l.tenant), &*(l.*M)});
  };
  return row;
}

// A tenant's per-model list: lease.<TENANT>.gpus.<MODEL>, .price_per_gpu_hour.<MODEL>.
template <std::vector<std::pair<std::string, Figure>> Lease::*M>
InputKey tenant_models_row(std::string_view pattern, std::string_view label, Domain domain,
                           const Unit& unit) {
  InputKey row{pattern,
               label,
               domain,
               &unit,
               Tag::assumption,
               "",
               [](const Scenario& s) {
                 Segments out;
                 for (const auto& l : s.leases)
                   for (const auto& [model, f] : l.*M)
                     out.push_back(l.id + "." + model);
                 return out;
               },
               nullptr,
               [](Scenario& s, std::string_view segment) -> Figure* {
                 const auto [id, model] = split_segment(segment);
                 Lease* l = lease_of(s, id);
                 return l ? pair_figure(l->*M, model) : nullptr;
               },
               [](Scenario& s, std::string_view segment, Figure f) {
                 const auto [id, model] = split_segment(segment);
                 if (Lease* l = lease_of(s, id)) {
                   if (Figure* old = pair_figure(l->*M, model))
                     *old = std::move(f);
                   else
                     (l->*M).emplace_back(std::string(model), std::move(f));
                 }
               }};
  row.list = [](const InputKey& r, Scenario& s, Basis, Out& out) {
    for (auto& l : s.leases)
      for (auto& [model, f] : l.*M)
        out.push_back(
            {r.key(l.id + "." + model), fmt::format(fmt::runtime(r.label), l.tenant, model), &f});
  };
  return row;
}

GpuLine* line_of(Scenario& s, std::string_view model) {
  for (auto& g : s.gpus)
    if (g.model == model) return &g;
  return nullptr;
}

Segments models_of(const Scenario& s) {
  Segments out;
  for (const auto& g : s.gpus)
    out.push_back(g.model);
  return out;
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

// --- the table, in report order ---

std::vector<InputKey> make_table() {
  std::vector<InputKey> rows{
      {"cluster.gpus.{}.count", "{} GPUs", Domain::count(), &units::gpu, Tag::assumption, "",
       models_of, [](const Scenario& s) { return s.catalog.ids(); },
       [](Scenario& s, std::string_view m) -> Figure* {
         GpuLine* g = line_of(s, m);
         return g ? &g->count : nullptr;
       },
       [](Scenario& s, std::string_view m, Figure f) {
         if (GpuLine* g = line_of(s, m)) {
           g->count = std::move(f);
           return;
         }
         GpuLine line;  // per-type prices: check_consistency asks for its price
         line.model = std::string(m);
         line.count = std::move(f);
         line.where = Location{1, 1, "/cluster/gpus"};
         s.gpus.push_back(std::move(line));
       }},
      optional_row<&Scenario::power_mw>("cluster.power_mw", "Cluster power", Domain::above(0),
                                        units::mw),
      optional_row<&Scenario::fleet_h100e>("fleet.h100e", "{} fleet", Domain::above(0),
                                           units::h100e),
      optional_row<&Scenario::price>("lease.price_per_gpu_hour", "Lease price", Domain::above(0),
                                     units::usd_per_gpu_hour),
      {"lease.price_per_gpu_hour.{}", "Lease price, {}", Domain::above(0), &units::usd_per_gpu_hour,
       Tag::assumption, "",
       [](const Scenario& s) {
         Segments out;
         for (const auto& g : s.gpus)
           if (g.price) out.push_back(g.model);
         return out;
       },
       models_of,
       [](Scenario& s, std::string_view m) -> Figure* {  // a uniform price is every model's
         GpuLine* g = line_of(s, m);
         return !g ? nullptr : g->price ? &*g->price : s.price ? &*s.price : nullptr;
       },
       [](Scenario& s, std::string_view m, Figure f) {
         if (s.price) {  // a uniform price becomes per-type: every model keeps it but this one
           for (auto& g : s.gpus)
             g.price = *s.price;
           s.price.reset();
         }
         if (GpuLine* g = line_of(s, m)) g->price = std::move(f);
       }},
      fixed_row<&Scenario::occupancy>("lease.occupancy", "Occupancy", Domain::between(0, 1),
                                      units::one, Tag::assumption),
      fixed_row<&Scenario::hours_per_year>("lease.hours_per_year", "Hours per year",
                                           Domain{0, false, 8784.0, true, false},  // a leap year
                                           units::hours_per_year, Tag::exact),
      optional_row<&Scenario::discount>("lease.price_discount", "Price discount",
                                        Domain::between(0, 1, false), units::one),
      // The contract over time (README "Costs, margin and the contract").
      simple_row("lease.term_months", "Contract term", "lease/term_months",
                 Domain{1, true, 1200.0, true, true}, units::months),  // up to 100 years
      {"lease.ramp.{}.online", "Online from month {}", Domain::between(0, 1), &units::one,
       Tag::assumption, "",
       [](const Scenario& s) {
         Segments out;
         for (const auto& step : s.ramp)
           out.push_back(std::to_string(step.month));
         return out;
       },
       nullptr,  // = present: a new step's month is the file's to add
       [](Scenario& s, std::string_view month) { return step_at(s.ramp, month); },
       [](Scenario& s, std::string_view month, Figure f) {
         if (Figure* old = step_at(s.ramp, month)) *old = std::move(f);
       }},
      simple_row("lease.escalator", "Price escalator", "lease/escalator", Domain::above(-1),
                 units::rate_per_year),
      simple_row("lease.take_or_pay", "Take-or-pay share", "lease/take_or_pay",
                 Domain::between(0, 1), units::one),
      // Tenants (README "Several tenants").
      tenant_models_row<&Lease::gpus>("lease.{}.gpus.{}", "{1} GPUs leased to {0}", Domain::count(),
                                      units::gpu),
      tenant_row<&Lease::price>("lease.{}.price_per_gpu_hour", "Lease price, {}", Domain::above(0),
                                units::usd_per_gpu_hour),
      tenant_models_row<&Lease::prices>("lease.{}.price_per_gpu_hour.{}", "Lease price, {}, {}",
                                        Domain::above(0), units::usd_per_gpu_hour),
      {"lease.{}.occupancy", "Occupancy, {}", Domain::between(0, 1), &units::one, Tag::assumption,
       "", tenant_ids, nullptr,
       [](Scenario& s, std::string_view id) -> Figure* {
         Lease* l = lease_of(s, id);
         return l ? &l->occupancy : nullptr;
       },
       [](Scenario& s, std::string_view id, Figure f) {
         if (Lease* l = lease_of(s, id)) l->occupancy = std::move(f);
       },
       nullptr,
       [](const InputKey& r, Scenario& s, Basis, Out& out) {
         for (auto& l : s.leases)
           out.push_back({r.key(l.id), "Occupancy, " + l.tenant, &l.occupancy});
       }},
      tenant_row<&Lease::discount>("lease.{}.price_discount", "Price discount, {}",
                                   Domain::between(0, 1, false), units::one),
      tenant_row<&Lease::term>("lease.{}.term_months", "Contract term, {}",
                               Domain{1, true, 1200.0, true, true}, units::months),
      {"lease.{}.ramp.{}.online", "Online from month {1}, {0}", Domain::between(0, 1), &units::one,
       Tag::assumption, "",
       [](const Scenario& s) {
         Segments out;
         for (const auto& l : s.leases)
           for (const auto& [m, f] : l.ramp)
             out.push_back(l.id + "." + std::to_string(m));
         return out;
       },
       nullptr,
       [](Scenario& s, std::string_view segment) -> Figure* {
         const auto [id, month] = split_segment(segment);
         Lease* l = lease_of(s, id);
         return l ? step_at(l->ramp, month) : nullptr;
       },
       [](Scenario& s, std::string_view segment, Figure f) {
         const auto [id, month] = split_segment(segment);
         if (Lease* l = lease_of(s, id))
           if (Figure* old = step_at(l->ramp, month)) *old = std::move(f);
       },
       nullptr,
       [](const InputKey& r, Scenario& s, Basis, Out& out) {
         for (auto& l : s.leases)
           for (auto& [m, f] : l.ramp)
             out.push_back({r.key(l.id + "." + std::to_string(m)),
                            fmt::format("Online from month {}, {}", m, l.tenant), &f});
       }},
      tenant_row<&Lease::escalator>("lease.{}.escalator", "Price escalator, {}", Domain::above(-1),
                                    units::rate_per_year),
      tenant_row<&Lease::take_or_pay>("lease.{}.take_or_pay", "Take-or-pay share, {}",
                                      Domain::between(0, 1), units::one),
      optional_row<&Scenario::loss>("loss.annual_net_loss", "Annual net loss", Domain::at_least(0),
                                    units::usd_per_year),
      // Costs and capital (README "Costs, margin and the contract"): figures at fixed places, read
      // by the table itself.
      simple_row("costs.power_price_per_mwh", "Power price", "costs/power_price_per_mwh",
                 Domain::at_least(0), units::usd_per_mwh),
      simple_row("costs.power_load", "Power load", "costs/power_load", Domain::between(0, 1),
                 units::one),
      simple_row("costs.colocation_per_kw_month", "Colocation", "costs/colocation_per_kw_month",
                 Domain::at_least(0), units::usd_per_kw_month),
      simple_row("costs.opex_per_gpu_year", "Other opex per GPU", "costs/opex_per_gpu_year",
                 Domain::at_least(0), units::usd_per_gpu_year),
      simple_row("costs.pue", "PUE", "costs/pue", Domain::at_least(1), units::plain),
      simple_row("capex.per_gpu", "Capex per GPU", "capex/per_gpu", Domain::at_least(0),
                 units::usd_per_gpu),
      // Per-model capex: "capex": {"per_gpu": {"H100": 45000, ...}}, read with the
      // uniform row above; kept in Scenario::figures as capex.per_gpu.H100.
      // Settable for any catalog model, as its count is, so that a model added from the
      // shell can get its capex; listed for the cluster's models.
      {"capex.per_gpu.{}", "Capex per GPU, {}", Domain::at_least(0), &units::usd_per_gpu,
       Tag::assumption, "",
       [](const Scenario& s) {
         Segments out;
         for (const auto& g : s.gpus)
           for (const auto& [k, f] : s.figures)
             if (k == "capex.per_gpu." + g.model) out.push_back(g.model);
         return out;
       },
       [](const Scenario& s) { return s.catalog.ids(); }, nullptr, nullptr},
      simple_row("capex.life_years", "Depreciation life", "capex/life_years", Domain::above(0),
                 units::years),
      simple_row("capex.residual", "Residual value", "capex/residual", Domain::between(0, 1),
                 units::one),
      simple_row("finance.discount_rate", "Discount rate", "finance/discount_rate",
                 Domain::above(-1), units::rate_per_year),
      simple_row("finance.equity_rate", "Equity discount rate", "finance/equity_rate",
                 Domain::above(-1), units::rate_per_year),
      simple_row("finance.tax_rate", "Tax rate", "finance/tax_rate", Domain::between(0, 1),
                 units::one),
      // Debt (README "Debt and tax"): a loan drawn against capex at the start.
      simple_row("debt.share", "Debt share of capex", "debt/share", Domain::between(0, 1),
                 units::one),
      simple_row("debt.rate", "Debt interest rate", "debt/rate", Domain::at_least(0),
                 units::rate_per_year),
      simple_row("debt.term_months", "Debt term", "debt/term_months",
                 Domain{1, true, 1200.0, true, true}, units::months),
      simple_row("debt.interest_only_months", "Interest-only months", "debt/interest_only_months",
                 Domain{0, true, 1199.0, true, true}, units::months),
      simple_row("debt.fee", "Debt fee", "debt/fee", Domain::between(0, 1), units::one),
      simple_row("debt.dscr_covenant", "DSCR covenant", "debt/dscr_covenant", Domain::at_least(0),
                 units::plain),
      simple_row("costs.idle_power", "Idle power", "costs/idle_power", Domain::between(0, 1),
                 units::one),
      // The market after the contract (README "The market and the tail"): dated prices per
      // model, kept in Scenario::figures as market.price_per_gpu_hour.H100.2025-10.
      {"market.price_per_gpu_hour.{}", "{} market price", Domain::above(0),
       &units::usd_per_gpu_hour, Tag::assumption, "",
       [](const Scenario& s) {
         Segments out;
         constexpr std::string_view prefix = "market.price_per_gpu_hour.";
         for (const auto& [k, f] : s.figures)
           if (k.starts_with(prefix)) out.push_back(k.substr(prefix.size()));
         return out;
       },
       nullptr, nullptr, nullptr, nullptr,
       [](const InputKey& r, Scenario& s, Basis, Out& out) {
         constexpr std::string_view prefix = "market.price_per_gpu_hour.";
         for (auto& [k, f] : s.figures)
           if (k.starts_with(prefix)) {
             const std::string segment = k.substr(prefix.size());
             const auto dot = segment.find('.');
             out.push_back({r.key(segment),
                            fmt::format("{} market price in {}", segment.substr(0, dot),
                                        segment.substr(dot + 1)),
                            &f});
           }
       }},
      simple_row("market.decline", "Market price decline", "market/decline", Domain::above(-1),
                 units::rate_per_year),
      simple_row("tail.until_months", "Horizon with the tail", "tail/until_months",
                 Domain{1, true, 1200.0, true, true}, units::months),
      simple_row("tail.occupancy", "Occupancy in the tail", "tail/occupancy", Domain::between(0, 1),
                 units::one),
      simple_row("tail.price_discount", "Price discount in the tail", "tail/price_discount",
                 Domain::between(0, 1, false), units::one),
      {"capacity.{}.gw", "{} capacity", Domain::above(0), &units::gw, Tag::assumption, "",
       [](const Scenario& s) {
         Segments out;
         for (const auto& c : s.capacity)
           out.push_back(c.id);
         return out;
       },
       nullptr,  // = present
       [](Scenario& s, std::string_view id) -> Figure* {
         for (auto& c : s.capacity)
           if (c.id == id) return &c.gw;
         return nullptr;
       },
       [](Scenario& s, std::string_view id, Figure f) {
         for (auto& c : s.capacity)
           if (c.id == id) c.gw = f;
       },
       nullptr,
       [](const InputKey& r, Scenario& s, Basis, Out& out) {
         for (auto& c : s.capacity)
           out.push_back({r.key(c.id), fmt::format("{} capacity", c.counterparty), &c.gw});
       }},
      named_row<&Scenario::peers>("peers.{}.gw", "{} roadmap", Domain::above(0), &units::gw),
      optional_row<&Scenario::valuation>("valuation", "Valuation", Domain::above(0), units::usd),
      named_row<&Scenario::comps>("comps.{}.revenue_multiple", "{} revenue multiple",
                                  Domain::above(0), &units::multiple),
      named_row<&Scenario::facts>("facts.{}", "{}", k_any, nullptr),
      {"catalog.{}", "{}", Domain::above(0), nullptr, Tag::assumption, "", nullptr,
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
       },
       [](const InputKey& row, Scenario& s, Basis basis, Out& out) {
         // The basis figure of H100 (every factor divides by it) and of each model.
         // The units basis counts every GPU as 1 and reads no figure.
         const std::string_view field = basis_field(basis);
         Segments models;
         if (!field.empty()) models.emplace_back("H100");
         for (const auto& g : s.gpus)
           if (!field.empty() && g.model != "H100") models.push_back(g.model);
         std::string_view label = field;
         for (const auto& spec : catalog_fields())
           if (spec.name == field) label = spec.label;
         for (const auto& id : models) {
           const std::string segment = fmt::format("{}.{}", id, field);
           if (Figure* f = row.find(s, segment))
             out.push_back({row.key(segment), fmt::format("{} {}", id, label), f});
         }
         // A power derived with a PUE reads each model's power in a server, or its TDP.
         if (s.power_mw || !input_key("costs.pue").figure(s, "")) return;
         for (const auto& g : s.gpus)
           for (const char* watts : {"server_w_per_gpu", "tdp_w"}) {
             const std::string segment = g.model + "." + watts;
             if (Figure* f = row.find(s, segment)) {
               out.push_back({row.key(segment),
                              g.model + (watts[0] == 's' ? " server power per GPU" : " max TDP"),
                              f});
               break;
             }
           }
       }},
  };
  for (auto& row : rows) {
    if (!row.settable) row.settable = row.present;
    if (row.pattern == "lease.price_per_gpu_hour")
      row.set = [](Scenario& s, std::string_view, Figure f) {
        s.price = std::move(f);  // one price for every model, replacing per-type prices
        for (auto& g : s.gpus)
          g.price.reset();
      };
    // One capex for every model, or one per model: setting either replaces the other.
    if (row.pattern == "capex.per_gpu")
      row.set = [](Scenario& s, std::string_view, Figure f) {
        std::erase_if(s.figures,
                      [](const auto& kv) { return kv.first.starts_with("capex.per_gpu."); });
        put_keyed(s, "capex.per_gpu", std::move(f));
      };
    if (row.pattern == "capex.per_gpu.{}")
      row.set = [](Scenario& s, std::string_view model, Figure f) {
        auto uniform = std::find_if(s.figures.begin(), s.figures.end(),
                                    [](const auto& kv) { return kv.first == "capex.per_gpu"; });
        if (uniform != s.figures.end()) {  // every model keeps it but this one
          const Figure all = uniform->second;
          s.figures.erase(uniform);
          for (const auto& g : s.gpus)
            s.figures.emplace_back("capex.per_gpu." + g.model, all);
        }
        put_keyed(s, "capex.per_gpu." + std::string(model), std::move(f));
      };
    if (row.pattern == "lease.occupancy") {  // with tenants, each has its own
      row.present = [](const Scenario& s) { return s.leases.empty() ? k_one : Segments{}; };
      row.settable = row.present;
    }
    if (row.pattern == "fleet.h100e")
      row.list = [](const InputKey& r, Scenario& s, Basis, Out& out) {
        if (Figure* f = r.figure(s, "")) {
          // "xAI fleet", and not "xAI fleet fleet" for a fleet named so
          std::string name = s.fleet_name.empty() ? "Counterparty" : s.fleet_name;
          std::string lower = name;
          for (char& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (!lower.ends_with("fleet")) name += " fleet";
          out.push_back({r.key(""), name, f});
        }
      };
  }
  return rows;
}

}  // namespace

// Rows with no accessors of their own keep their figures in Scenario::figures by key:
// "costs.pue", or "capex.per_gpu.H100" for a row "capex.per_gpu.{}".
Figure* InputKey::figure(Scenario& s, std::string_view segment) const {
  if (find) return find(s, segment);
  const std::string k = key(segment);
  for (auto& [name, f] : s.figures)
    if (name == k) return &f;
  return nullptr;
}

void InputKey::put(Scenario& s, std::string_view segment, Figure f) const {
  if (set) return set(s, segment, std::move(f));
  put_keyed(s, key(segment), std::move(f));
}

InputKey::Segments InputKey::segments(const Scenario& s) const {
  if (present) return present(s);
  Segments out;
  const auto brace = pattern.find("{}");
  for (const auto& [name, f] : s.figures) {
    if (brace == std::string_view::npos) {
      if (name == pattern) out.emplace_back();
      continue;
    }
    const std::string_view k = name, prefix = pattern.substr(0, brace),
                           suffix = pattern.substr(brace + 2);
    if (k.size() > prefix.size() + suffix.size() && k.starts_with(prefix) && k.ends_with(suffix))
      out.emplace_back(k.substr(prefix.size(), k.size() - prefix.size() - suffix.size()));
  }
  return out;
}

std::string InputKey::key(std::string_view segment) const {
  const auto brace = pattern.find("{}");
  if (brace == std::string_view::npos) return std::string(pattern);
  const auto second = pattern.find("{}", brace + 2);
  if (second != std::string_view::npos) {  // "lease.{}.gpus.{}": segment "TENANT.MODEL"
    const auto dot = segment.find('.');
    return std::string(pattern.substr(0, brace)) + std::string(segment.substr(0, dot)) +
           std::string(pattern.substr(brace + 2, second - brace - 2)) +
           std::string(dot == std::string_view::npos ? "" : segment.substr(dot + 1)) +
           std::string(pattern.substr(second + 2));
  }
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
    const auto second = row.pattern.find("{}", brace + 2);
    const std::string_view prefix = row.pattern.substr(0, brace);
    const std::string_view suffix =
        row.pattern.substr(second == std::string_view::npos ? brace + 2 : second + 2);
    if (!(key.size() > prefix.size() + suffix.size() && key.starts_with(prefix) &&
          key.ends_with(suffix)))
      continue;
    const std::string_view inner =
        key.substr(prefix.size(), key.size() - prefix.size() - suffix.size());
    if (second == std::string_view::npos) return KeyMatch{&row, std::string(inner)};
    // Two segments: the first (a tenant) has no dot; the middle text follows it.
    const std::string_view middle = row.pattern.substr(brace + 2, second - brace - 2);
    const auto dot = inner.find('.');
    if (dot == std::string_view::npos || inner.substr(dot).substr(0, middle.size()) != middle ||
        inner.size() <= dot + middle.size())
      continue;
    return KeyMatch{&row, std::string(inner.substr(0, dot)) + "." +
                              std::string(inner.substr(dot + middle.size()))};
  }
  return std::nullopt;
}

const Figure* figure_for_key(const Scenario& scenario, std::string_view key) {
  const auto m = match_input(key);
  // figure() takes a mutable scenario for the rows that add a figure; finding one only reads.
  return m ? m->row->figure(const_cast<Scenario&>(scenario), m->segment) : nullptr;
}

Domain domain_for_key(std::string_view key) {
  const auto m = match_input(key);
  return m ? m->row->domain : Domain::above(0);
}

std::vector<InputRef> input_figures(Scenario& s, Basis basis) {
  std::vector<InputRef> out;
  for (const auto& row : input_keys()) {
    const std::size_t first = out.size();
    if (row.list) {
      row.list(row, s, basis, out);
    } else {
      for (const auto& segment : row.segments(s))
        if (Figure* f = row.figure(s, segment))
          out.push_back({row.key(segment), fmt::format(fmt::runtime(row.label), segment), f});
    }
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

std::optional<std::string> renamed_key(std::string_view key) {
  // "discount" alone was read as finance.discount_rate's kin: it is a cut in the price.
  static constexpr std::string_view old_end = ".discount";
  if (!key.ends_with(old_end) || (!key.starts_with("lease.") && !key.starts_with("tail.")))
    return {};
  const std::string_view head = key.substr(0, key.size() - old_end.size());
  if (head == "tail" || head == "lease" ||
      (head.starts_with("lease.") && head.find('.', 6) == std::string_view::npos))
    return std::string(head) + ".price_discount";
  return {};
}

std::string renamed_notice(std::string_view old_key, std::string_view new_key) {
  return fmt::format("{} is now {} (a cut in the lease price, not finance.discount_rate): write {}",
                     old_key, new_key, new_key);
}

}  // namespace leasecalc
