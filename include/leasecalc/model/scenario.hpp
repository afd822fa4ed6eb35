// A scenario: one cluster, one lease, the counterparty's reported figures (README "Scenario
// files").
//
// Plain data, filled by the loader (or by tests directly). Every input figure has a
// stable dotted key (README "What leasecalc report shows"), given by the key table in keys.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "leasecalc/model/catalog.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/figure.hpp"

namespace leasecalc {

// The refusal of a stated power with a PUE, in a file and from the shell alike.
inline constexpr std::string_view k_power_and_pue =
    "cluster.power_mw and costs.pue are both given: a stated power is the whole facility's, "
    "so a PUE would count its overhead twice; keep cluster.power_mw, or drop it and keep "
    "costs.pue to derive the power from the GPU catalog";

// Each lease's start on the leases' one calendar: months after the first start, 0 for a
// lease without one (README "Several tenants").
struct Scenario;
std::vector<int> lease_starts(const Scenario& s);

// Why a scenario's debt cannot be valued, or nullopt: the loan is drawn against capex
// paid at the start and repaid within its term. In a file and from the shell alike.
std::optional<std::string> debt_fault(const Scenario& s);
// Why a scenario's tail cannot be valued, or nullopt: it re-leases every GPU after the
// last lease month, at a market price for each model, until a horizon no earlier.
std::optional<std::string> tail_fault(const Scenario& s);

struct GpuLine {
  std::string model;  // an exact catalog id
  Figure count;
  std::optional<Figure> price;  // per-type price, when the lease prices by model
  Location where;               // of the entry under cluster.gpus
};

// One capacity commitment: "AWS, up to 5 GW, announced 2026-04-20, in group 2026-04".
struct Commitment {
  std::string counterparty;  // a name for people: "Google Cloud"
  std::string id;            // its key segment: capacity.<id>.gw (README "Scenario files")
  Figure gw;
  std::string announced;
  std::string group;  // optional
};

// A named figure: a peer's roadmap (GW), a comp's revenue multiple, or a fact.
struct Named {
  std::string name;  // for people: "OpenAI Stargate"
  std::string
      id;  // the key segment: its "id", else derived from the name (README "Scenario files")
  std::string label;  // a fact's own label, if it gives one
  Figure figure;
};

// A name's key segment (README "Scenario files"): every run of characters outside [A-Za-z0-9_-]
// becomes one '-', and leading or trailing '-' go ("Google Cloud" -> "Google-Cloud"). Empty when
// the name has no such character.
std::string key_segment(std::string_view name);

// A step of a lease's ramp (README "Costs, margin and the contract").
struct RampStep {
  int month;      // from this month after start (0-based) ...
  Figure online;  // ... this share of the lease's GPUs is online
};

// One tenant's lease, when a scenario has "leases" (README "Several tenants"): the fields of
// "lease" (hours a year aside: every lease states the same) plus the tenant and its GPUs.
struct Lease {
  std::string tenant;  // a name for people: "Anthropic"
  std::string id;      // its key segment: lease.<id>.occupancy (README "Scenario files")
  std::vector<std::pair<std::string, Figure>> gpus;    // model -> the count it takes, in file order
  std::optional<Figure> price;                         // one price for every model it takes
  std::vector<std::pair<std::string, Figure>> prices;  // else one per model it takes
  Figure occupancy;
  std::optional<Figure> discount, term, escalator, take_or_pay;
  std::string start;           // "YYYY-MM-DD" or ""
  std::vector<RampStep> ramp;  // months strictly increasing
  Location where;
};

struct Scenario {
  std::string file;  // the path it was read from, for messages
  // What the file says in an old way that still works ("discount" for "price_discount"),
  // each "FILE:LINE:COL: /pointer: what to write instead"; the command layer says each once.
  std::vector<std::string> notices;
  std::string name;
  std::string as_of;
  std::vector<Source> sources;  // declared in the file; catalog sources are in `catalog`
  Catalog catalog;              // the bundled catalog with the scenario's additions

  std::string cluster_name;
  std::vector<GpuLine> gpus;
  std::optional<Figure> power_mw;

  std::string fleet_name;
  std::optional<Figure> fleet_h100e;
  std::optional<Basis> fleet_basis;  // the basis the fleet's H100e are measured on, if stated

  std::optional<Figure> price;  // one price for every model; else GpuLine::price
  Figure occupancy;
  Figure hours_per_year;
  std::optional<Figure> discount;
  // The contract over time (README "Costs, margin and the contract"); its figures (term, escalator,
  // take-or-pay) are key-table rows in `figures`.
  std::string start;                   // "YYYY-MM-DD", the first day of a month; empty: not given
  std::vector<RampStep> ramp;          // months strictly increasing; empty: all online throughout
  std::optional<bool> capex_at_start;  // finance.capex_at_start; unset: true when capex is given
  // Debt (README "Debt and tax"): its figures are key-table rows in `figures`; how the
  // principal is repaid is not a figure.
  enum class Amortization { annuity, straight, bullet };
  Amortization amortization = Amortization::annuity;
  // Several tenants (README "Several tenants"): "leases" in place of "lease". Empty for a one-lease
  // scenario, whose lease is the fields above.
  std::vector<Lease> leases;

  std::optional<Figure> loss;
  Basis basis = Basis::bf16;
  // "tag_ranges": {"reported": 0.15}: half-widths that replace README "Filing day" defaults.
  std::vector<std::pair<Tag, double>> tag_ranges;
  // "cases": {"bear": {"lease.price_per_gpu_hour": {"value": 2.0, "note": "..."}}}: named
  // sets of overrides that --case applies on top of the file, before --set (README
  // "Cases and comparisons"). Each was applied to the file when it was read.
  struct CaseSet {
    std::string set;   // "KEY=VALUE[@TAG[:SOURCE,...]]", as --set takes it
    std::string note;  // why, for the figure's note
  };
  struct Case {
    std::string name;
    std::vector<CaseSet> sets;
  };
  std::vector<Case> cases;
  // "correlations": [{"a": KEY, "b": KEY, "rank": rho}]: rank correlations between ranged
  // inputs that simulate imposes (Iman-Conover). The keys are checked against the inputs
  // when a simulation resolves them, after --set and --tag-ranges.
  struct Correlation {
    std::string a, b;
    double rank = 0;
    Location at, a_at, b_at;  // the entry's place in the file, and its keys'
  };
  std::vector<Correlation> correlations;

  std::vector<Commitment> capacity;
  std::vector<Named> peers;         // name -> roadmap in GW
  std::optional<Figure> valuation;  // USD
  std::vector<Named> comps;         // name -> revenue multiple (x)
  // Figures a note states that the lease model does not use (a supplier's revenue, an IPO
  // raise): keys facts.<name>, each with its own unit. Checkable, never computed with.
  std::vector<Named> facts;
  // Inputs at a fixed place in the file that the key table reads and keeps by its key
  // (keys.hpp: simple_row), in the order read.
  std::vector<std::pair<std::string, Figure>> figures;

  const Source* find_source(std::string_view id) const;  // scenario's or catalog's
};

// The values a figure may take. Everything outside is rejected, never clamped.
struct Domain {
  double min = 0;
  bool min_inclusive = true;
  std::optional<double> max;
  bool max_inclusive = true;
  bool whole = false;  // a count: a whole number, at most 2^53

  static Domain above(double x) { return {x, false, std::nullopt, true, false}; }
  static Domain at_least(double x) { return {x, true, std::nullopt, true, false}; }
  static Domain count() { return {0, true, std::nullopt, true, true}; }
  static Domain between(double lo, double hi, bool hi_inclusive = true) {
    return {lo, true, hi, hi_inclusive, false};
  }

  // Throws ValueError when `x` is not allowed ("must be between 0 and 1, got 1.3").
  void require(double x) const;
  // The same for a value read from its text: a whole number must be one as written, not
  // only once a double rounds it ("1000.0000000000000001", "9007199254740993"); an
  // empty text is a value computed, not written.
  void require(double x, std::string_view written) const;
  // The same test without the message: for inner loops.
  bool contains(double x) const {
    const bool ok_min = min_inclusive ? x >= min : x > min;
    const bool ok_max = !max || (max_inclusive ? x <= *max : x < *max);
    return ok_min && ok_max &&
           (!whole ||
            (x == static_cast<double>(static_cast<long long>(x)) && x <= 9007199254740992.0));
  }
  std::string describe() const;  // "between 0 and 1", "greater than 0", ...
};

}  // namespace leasecalc
