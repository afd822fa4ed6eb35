// The Model's layout: one slot per input figure of the key table (and the constants the
// formulas need), and the outputs the scenario has inputs for, each registered once with
// its key, label, unit and why it may be undefined. The formulas are in revenue.cpp,
// costs.cpp and contract.cpp; the readings (double, Tracked, Expr) in number.hpp.
// One file because the layout is one table in report order: an output's index is its
// place in it, and splitting it would split that order across files.
#include "leasecalc/calc/calc.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <limits>
#include <stdexcept>

#include "leasecalc/model/keys.hpp"

namespace leasecalc {
namespace {

// Why an IRR is undefined.
constexpr std::string_view k_no_single_rate =
    "the cash flows do not change sign exactly once, so there is no rate or more than one; "
    "or the rate is beyond what a double can pin to 1e-9";

// Why a break-even occupancy is undefined under take-or-pay.
constexpr std::string_view k_floor_covers =
    "the take-or-pay minimum (lease.take_or_pay) is paid at any occupancy and already covers";

}  // namespace

Model::Model(const Scenario& scenario, Basis basis) : basis_(basis) {
  // One slot per input figure of the key table, tracked with its key.
  Scenario& s = const_cast<Scenario&>(scenario);  // input_figures only reads here
  for (const auto& ref : input_figures(s, basis)) {
    slot_of_key_.emplace(ref.key, input_keys_.size());
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
    in_.discount = s.discount ? slot("lease.price_discount") : constant(0, units::one);
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
  in_.debt_share = optional_slot("debt.share");
  in_.debt_rate = optional_slot("debt.rate");
  in_.debt_term = optional_slot("debt.term_months");
  in_.debt_io = optional_slot("debt.interest_only_months");
  in_.debt_fee = optional_slot("debt.fee");
  in_.dscr_covenant = optional_slot("debt.dscr_covenant");
  in_.equity_rate = optional_slot("finance.equity_rate");
  in_.tax_rate = optional_slot("finance.tax_rate");
  amortization_ = s.amortization;
  in_.decline = optional_slot("market.decline");
  in_.tail_until = optional_slot("tail.until_months");
  in_.tail_occupancy = optional_slot("tail.occupancy");
  in_.tail_discount = optional_slot("tail.price_discount");
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
  // Each tenant's margin: its revenue less the costs of its share of the GPUs; what the
  // idle GPUs cost besides.
  for (auto& t : tenants_) {
    t.ebitda = add(groups::costs, fmt::format("pnl.{}.ebitda", t.id), "EBITDA, " + t.name,
                   units::usd_per_year);
    t.ebitda_margin = add(groups::costs, fmt::format("pnl.{}.ebitda_margin", t.id),
                          "EBITDA margin, " + t.name, units::one, "the tenant pays nothing");
  }
  if (!tenants_.empty() && o.opex != npos)
    o.idle_cost = add(groups::costs, "pnl.idle_cost", "Cost of the idle GPUs", units::usd_per_year);
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
      if (o.ebitda != npos)
        t.ebitda_total = add(groups::contract, fmt::format("contract.{}.ebitda_total", t.id),
                             "Contract EBITDA, " + t.name, units::usd);
      if (o.ebitda != npos && x.rate != npos && o.capex_total != npos &&
          s.capex_at_start.value_or(true))
        t.npv = add(groups::contract, fmt::format("contract.{}.npv", t.id),
                    "Contract NPV, " + t.name, units::usd);
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
    o.irr = add(groups::contract | groups::irr, "contract.irr", "Contract IRR",
                units::rate_per_year, std::string(k_no_single_rate));
    o.payback_months = add(groups::contract, "contract.payback_months", "Payback", units::months,
                           "cumulative cash stays below 0 through the term");
    add_financing();
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
    for (int y = start_year_; y <= start_year_ + (start_month_ + max_term_months - 1) / 12; ++y) {
      o.calendar.push_back(add(groups::contract | groups::calendar,
                               fmt::format("contract.calendar.{}.revenue", y),
                               fmt::format("Revenue in {}", y), units::usd));
      outputs_.back().listed = y <= last;
    }
  }
  add_market();  // after the start, on which the market's dates are placed
}

// Debt, tax and the investor's flows (README "Debt and tax"), when capex is paid at the
// start: the investment's figures always, the debt's and the equity's with a loan.
void Model::add_financing() {
  const In& x = in_;
  Out& o = out_;
  constexpr unsigned c = groups::contract | groups::financing;
  debt_ = x.debt_share != npos;
  const std::string no_sign_change(k_no_single_rate);
  if (debt_) {
    o.debt_principal = add(c, "debt.principal", "Debt principal", units::usd);
    if (x.debt_fee != npos) o.debt_fee_paid = add(c, "debt.fee_paid", "Debt fee", units::usd);
    if (amortization_ == Scenario::Amortization::annuity)
      o.debt_payment = add(c, "debt.payment", "Debt payment a month", units::usd);
    o.debt_interest_total = add(c, "debt.interest_total", "Interest", units::usd);
    o.debt_service_total = add(c, "debt.service_total", "Debt service", units::usd);
    o.debt_balance_end = add(c, "debt.balance_end", "Debt left at the end", units::usd);
    o.dscr_min = add(c, "debt.dscr_min", "Least DSCR", units::plain, "no month has debt service");
    o.dscr_min_month = add(c, "debt.dscr_min_month", "Month of the least DSCR", units::months,
                           "no month has debt service");
    if (x.dscr_covenant != npos)
      o.months_below_covenant =
          add(c, "debt.months_below_covenant", "Months under the DSCR covenant", units::months);
  }
  if (x.tax_rate != npos)
    o.tax_total = add(c, "investment.tax_total", "Tax on the project", units::usd);
  o.terminal_value = add(c, "investment.terminal_value", "Terminal value", units::usd);
  if (x.rate != npos) o.investment_npv = add(c, "investment.npv", "Investment NPV", units::usd);
  o.investment_irr = add(c | groups::irr, "investment.irr", "Investment IRR", units::rate_per_year,
                         no_sign_change);
  o.investment_payback = add(c, "investment.payback_months", "Investment payback", units::months,
                             "cumulative cash stays below 0 through the horizon");
  if (!debt_) return;
  o.equity_invested = add(c, "equity.invested", "Equity invested", units::usd);
  if (x.rate != npos || x.equity_rate != npos)
    o.equity_npv = add(c, "equity.npv", "Equity NPV", units::usd);
  o.equity_irr =
      add(c | groups::irr, "equity.irr", "Equity IRR", units::rate_per_year, no_sign_change);
  o.equity_multiple = add(c, "equity.multiple", "Equity multiple", units::plain,
                          "the equity's flows have no outflow");
  o.equity_payback = add(c, "equity.payback_months", "Equity payback", units::months,
                         "the equity's cumulative cash stays below 0 through the horizon");
}

// The market price curves, each model's dated points as months from the contract's
// start, and the tail that re-leases the GPUs after the contract at those prices.
void Model::add_market() {
  In& x = in_;
  Out& o = out_;
  constexpr unsigned c = groups::contract | groups::financing;
  const int start = start_.empty() ? 0 : month_index(start_);
  for (const auto& model : models_) {
    x.market.emplace_back();
    x.market_months.emplace_back();
    const std::string prefix = "market.price_per_gpu_hour." + model + ".";
    for (std::size_t i = 0; i < input_keys_.size(); ++i)
      if (input_keys_[i].starts_with(prefix)) {
        const std::string month = input_keys_[i].substr(prefix.size());  // YYYY-MM
        x.market.back().push_back(i);
        x.market_months.back().push_back(month_index(month) - start);
      }
  }
  if (o.revenue_total == npos) return;  // no contract
  tail_ = x.tail_until != npos && capex_at_start_;
  if (tail_) {
    o.tail_months = add(c, "tail.months", "Months in the tail", units::months);
    o.tail_revenue = add(c, "tail.revenue_total", "Tail revenue", units::usd);
    o.tail_ebitda = add(c, "tail.ebitda_total", "Tail EBITDA", units::usd);
  }
  for (std::size_t i = 0; i < models_.size(); ++i)
    o.market_at_end.push_back(
        x.market[i].empty() && (x.decline == npos || lease_price_slot(i) == npos)
            ? npos
            : add(c, fmt::format("market.price_per_gpu_hour.{}.at_end", models_[i]),
                  fmt::format("{} market price in the contract's last month", models_[i]),
                  units::usd_per_gpu_hour));
}

std::size_t Model::lease_price_slot(std::size_t i) const {
  if (tenants_.empty()) return in_.price[i];
  for (const auto& t : tenants_)
    if (t.price[i] != npos) return t.price[i];
  return npos;
}

// Several tenants: each tenant's slots, and its GPUs, GPU-hours and revenue; then the
// cluster's totals, each tenant's share of revenue, the leased share and the idle GPUs.
void Model::add_tenants(const Scenario& s) {
  idle_power_ = optional_slot("costs.idle_power");
  // Contract months on one calendar: each tenant's start, in months from the first.
  const std::vector<int> starts = lease_starts(s);
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
    t.discount = l.discount ? slot(fmt::format("lease.{}.price_discount", l.id)) : npos;
    t.term = optional_slot(fmt::format("lease.{}.term_months", l.id));
    t.escalator = optional_slot(fmt::format("lease.{}.escalator", l.id));
    t.take_or_pay = optional_slot(fmt::format("lease.{}.take_or_pay", l.id));
    for (const auto& [m, f] : l.ramp) {
      t.ramp_months.push_back(m);
      t.ramp.push_back(slot(fmt::format("lease.{}.ramp.{}.online", l.id, m)));
    }
    t.start = starts[tenants_.size()];
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
  output_of_key_.emplace(key, outputs_.size());  // the first of a key, as find_output was
  outputs_.push_back({std::move(key), std::move(label), unit, std::move(undefined), group});
  return outputs_.size() - 1;
}

std::size_t Model::input_slot(std::string_view key) const {
  const auto it = slot_of_key_.find(key);
  return it == slot_of_key_.end() ? npos : it->second;
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
  if (needs & (groups::calendar | groups::financing)) needs |= groups::contract;
  if (needs & groups::contract) needs |= groups::costs;
  return needs;
}

std::size_t Model::find_output(std::string_view key) const {
  const auto it = output_of_key_.find(key);
  return it == output_of_key_.end() ? npos : it->second;
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

}  // namespace leasecalc
