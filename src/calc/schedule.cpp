#include "leasecalc/calc/schedule.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace leasecalc {

const NameTable<Period>& period_names() {
  static const NameTable<Period> table{
      {Period::month, "month"}, {Period::quarter, "quarter"}, {Period::year, "year"}};
  return table;
}

std::vector<ScheduleColumn> schedule_columns(const Model& model) {
  std::vector<ScheduleColumn> out{{"online", "online", units::one},
                                  {"gpu_hours", "GPU-h", units::gpu_hours},
                                  {"revenue", "revenue", units::usd},
                                  {"opex", "opex", units::usd},
                                  {"depreciation", "deprec.", units::usd},
                                  {"ebitda", "EBITDA", units::usd},
                                  {"ebit", "EBIT", units::usd},
                                  {"cash", "cash", units::usd},
                                  {"cumulative_cash", "cum. cash", units::usd}};
  if (model.find_output("contract.pv_revenue") != Model::npos)
    out.push_back({"pv_cash", "PV cash", units::usd});
  // Debt and tax (README "Debt and tax"), when the scenario has them.
  const bool debt = model.find_output("debt.principal") != Model::npos;
  if (debt)
    for (ScheduleColumn c : {ScheduleColumn{"interest", "interest", units::usd},
                             ScheduleColumn{"principal", "principal", units::usd},
                             ScheduleColumn{"debt_service", "debt serv.", units::usd},
                             ScheduleColumn{"balance", "balance", units::usd}})
      out.push_back(c);
  if (model.find_output("investment.tax_total") != Model::npos) {
    out.push_back({"tax", "tax", units::usd});
    if (debt) out.push_back({"equity_tax", "equity tax", units::usd});
  }
  if (debt) {
    out.push_back({"equity_cash", "equity cash", units::usd});
    out.push_back({"dscr", "DSCR", units::plain});
  }
  return out;
}

std::string month_date(const std::string& start, int m, bool last_day) {
  const int absolute = month_index(start) + m;
  const int year = absolute / 12, month = absolute % 12 + 1;
  if (!last_day) return fmt::format("{}-{:02}-01", year, month);
  static constexpr int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return fmt::format("{}-{:02}-{:02}", year, month, month == 2 && leap ? 29 : k_days[month - 1]);
}

namespace {

// Month m's value of a column.
const Tracked& cell(const Month<Tracked>& m, std::string_view key) {
  if (key == "online") return m.online;
  if (key == "gpu_hours") return m.gpu_hours;
  if (key == "revenue") return m.revenue;
  if (key == "opex") return m.opex;
  if (key == "depreciation") return m.depreciation;
  if (key == "ebitda") return m.ebitda;
  if (key == "ebit") return m.ebit;
  if (key == "cash") return m.cash;
  if (key == "cumulative_cash") return m.cumulative_cash;
  if (key == "interest") return m.interest;
  if (key == "principal") return m.principal;
  if (key == "debt_service") return m.debt_service;
  if (key == "tax") return m.tax;
  if (key == "equity_tax") return m.equity_tax;
  if (key == "equity_cash") return m.equity_cash;
  return m.pv_cash;
}

// A column's value for a month: the balance is the debt left at the month's end; the
// DSCR, which is a ratio, is summed as its parts (cash available, debt service) and
// divided when the period is complete.
Tracked value(const Month<Tracked>& m, std::string_view key) {
  if (key == "balance") return m.balance - m.principal;
  if (key == "dscr") return m.ebitda - m.equity_tax;
  return cell(m, key);
}

std::vector<ScheduleColumn> chosen(const Model& model, const std::vector<std::string>& keys) {
  const auto all = schedule_columns(model);
  if (keys.empty()) return all;
  std::vector<ScheduleColumn> out;
  for (const auto& k : keys)
    for (const auto& c : all)
      if (c.key == k) out.push_back(c);
  return out;
}

// The label of the period holding contract month m (0-based).
std::string label(const Model& model, Period period, int m) {
  const std::string& start = model.start();
  if (start.empty()) {
    const int n = period == Period::month ? m : period == Period::quarter ? m / 3 : m / 12;
    return fmt::format("{}{}", "MQY"[static_cast<int>(period)], n + 1);
  }
  const int absolute = month_index(start) + m;
  const int year = absolute / 12, month = absolute % 12;
  if (period == Period::month) return fmt::format("{}-{:02}", year, month + 1);
  if (period == Period::quarter) return fmt::format("{}-Q{}", year, month / 3 + 1);
  return std::to_string(year);
}

}  // namespace

void require_schedule(const Model& model, const std::vector<std::string>& keys, bool by_tenant) {
  if (by_tenant && model.tenant_names().empty())
    throw UsageError("--by tenant: the scenario has one lease, not \"leases\"");
  if (model.find_output("contract.revenue_total") == Model::npos)
    throw UsageError(
        "the scenario's lease has no term_months, so there is no contract to schedule; add "
        "\"term_months\" to the lease, or --set lease.term_months=48");
  std::vector<std::string> names;
  for (const auto& c : schedule_columns(model))
    names.push_back(c.key);
  for (const auto& k : keys)
    if (std::find(names.begin(), names.end(), k) == names.end())
      throw UsageError(unknown_choice("schedule column", k, names) +
                       (k == "pv_cash" ? " (pv_cash needs finance.discount_rate)" : ""));
}

Schedule build_schedule(const Model& model, std::string_view scenario, Period period,
                        const std::vector<std::string>& keys, bool by_tenant) {
  Schedule s;
  s.scenario = std::string(scenario);
  s.start = model.start();
  s.period = period;
  s.columns = chosen(model, keys);
  const auto months = model.months();
  s.term = static_cast<int>(months.size());
  for (int m = 0; m < s.term; ++m) {
    const std::string l = label(model, period, m);
    const Month<Tracked>& month = months[static_cast<std::size_t>(m)];
    if (s.rows.empty() || s.rows.back().label != l) {
      SchedulePeriod p;
      p.label = l;
      p.first_month = m;
      for (const auto& c : s.columns)
        p.values.push_back(value(month, c.key));
      p.service = month.debt_service;
      p.months = 1;
      s.rows.push_back(std::move(p));
      continue;
    }
    SchedulePeriod& p = s.rows.back();
    ++p.months;
    p.service = p.service + month.debt_service;
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      const std::string& key = s.columns[c].key;
      Tracked& v = p.values[c];
      // cumulative cash and the balance at the period's end; online the mean (below); the
      // rest summed
      v = key == "cumulative_cash" || key == "balance" ? value(month, key) : v + value(month, key);
    }
  }
  for (auto& p : s.rows)
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      if (s.columns[c].key == "online")
        p.values[c] = p.values[c] / Tracked::constant(p.months, units::one);
      if (s.columns[c].key == "dscr") {  // cash available over the period's debt service
        Tracked ratio = p.values[c] / p.service;
        if (p.service.v == 0) ratio.v = std::nan("");
        ratio.unit = units::plain;
        p.values[c] = ratio;
      }
    }
  if (!s.start.empty())
    for (auto& p : s.rows) {
      p.start_date = month_date(s.start, p.first_month, false);
      p.end_date = month_date(s.start, p.first_month + p.months - 1, true);
    }
  if (by_tenant) {  // each tenant's online share, GPU-hours and revenue, before each total
    s.by_tenant = true;
    const auto names = model.tenant_names();
    std::vector<SchedulePeriod> rows;
    std::size_t m = 0;
    for (auto& total : s.rows) {
      std::vector<SchedulePeriod> parts(names.size());
      for (int k = 0; k < total.months; ++k, ++m)
        for (std::size_t j = 0; j < names.size(); ++j) {
          const auto& part = months[m].tenants[j];
          SchedulePeriod& p = parts[j];
          const bool first = k == 0;
          if (first) {
            p.label = total.label;
            p.tenant = names[j];
            p.months = total.months;
            p.start_date = total.start_date;
            p.end_date = total.end_date;
          }
          for (std::size_t c = 0; c < s.columns.size(); ++c) {
            const std::string& key = s.columns[c].key;
            const Tracked* v = key == "online"      ? &part.online
                               : key == "gpu_hours" ? &part.gpu_hours
                               : key == "revenue"   ? &part.revenue
                                                    : nullptr;
            Tracked x = v ? *v : Tracked::constant(std::nan(""), s.columns[c].unit);
            if (first)
              p.values.push_back(x);
            else if (v)
              p.values[c] = p.values[c] + x;
          }
        }
      for (auto& p : parts) {
        for (std::size_t c = 0; c < s.columns.size(); ++c)
          if (s.columns[c].key == "online")
            p.values[c] = p.values[c] / Tracked::constant(p.months, units::one);
        rows.push_back(std::move(p));
      }
      total.tenant = "all";
      rows.push_back(std::move(total));
    }
    s.rows = std::move(rows);
  }
  for (std::size_t c = 0; c < s.columns.size(); ++c) {
    Tag tag = Tag::exact;
    KeySet sources;
    for (const auto& p : s.rows) {
      tag = weakest(tag, p.values[c].tag);
      sources = sources | p.values[c].sources;
    }
    s.tags.push_back(tag);
    s.sources.push_back(sources.list());
  }
  return s;
}

}  // namespace leasecalc

namespace leasecalc {

std::vector<Flow> build_flows(const Model& model, bool equity) {
  const auto& out = model.outputs();
  std::vector<Tracked> values;
  model.evaluate(model.tracked_inputs(), values);
  auto figure = [&](std::string_view key) { return values[model.find_output(key)].v; };
  const auto months = model.months();
  const std::string& start = model.start();
  auto date = [&](int m) {
    return start.empty() ? std::to_string(m) : month_date(start, m, false);
  };
  (void)out;
  std::vector<Flow> flows;
  flows.push_back({date(0), equity ? -figure("equity.invested") : -figure("capex.total")});
  for (std::size_t m = 0; m < months.size(); ++m)
    flows.push_back(
        {date(static_cast<int>(m) + 1), equity ? months[m].equity_cash.v : months[m].cash.v});
  flows.back().amount +=
      figure("investment.terminal_value") - (equity ? figure("debt.balance_end") : 0.0);
  return flows;
}

void require_flows(const Model& model, bool equity) {
  if (model.find_output("investment.terminal_value") == Model::npos)
    throw UsageError(
        "--flows: the scenario has no investment to write: it needs a lease with term_months "
        "and capex paid at the start (capex.per_gpu, finance.capex_at_start true)");
  if (equity && model.find_output("equity.invested") == Model::npos)
    throw UsageError(
        "--equity: the scenario has no debt, so the equity's flows are the "
        "investment's; add a \"debt\" section, or drop --equity");
}

}  // namespace leasecalc
