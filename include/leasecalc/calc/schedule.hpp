// The contract period by period (README "Costs, margin and the contract"): `leasecalc schedule`.
//
// Months of the contract, from Model::months(), summed into calendar months, quarters or
// years (or, without a start date, contract months M1.., quarters Q1.., years Y1..). A
// partial first or last period holds the months it has. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leasecalc/calc/calc.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

enum class Period { month, quarter, year };
const NameTable<Period>& period_names();

// A column of the schedule: its key (README "Costs, margin and the contract" name), a short
// heading, its unit.
struct ScheduleColumn {
  std::string key;      // "revenue"
  std::string heading;  // "revenue", "cum. cash"
  Unit unit;
};

// Every column README "Costs, margin and the contract" names, in order (pv_cash only with a
// discount rate).
std::vector<ScheduleColumn> schedule_columns(const Model& model);

struct SchedulePeriod {
  std::string label;                 // "2026-Q4", "Q1"
  std::string tenant;                // by tenant: the tenant's name, or "all" for the cluster
  int months = 0;                    // the contract months it holds
  int first_month = 0;               // the contract month it starts with (0-based)
  std::string start_date, end_date;  // its first and last day ("" without a start)
  Tracked service;                   // debt service over the period: a DSCR's denominator
  std::vector<Tracked> values;       // one per column of the schedule
};

struct Schedule {
  std::string scenario;  // its name
  std::string start;     // "YYYY-MM-DD" or ""
  int term = 0;          // months
  Period period = Period::quarter;
  bool by_tenant = false;  // a row per tenant (online, GPU-hours, revenue) before each total
  std::vector<ScheduleColumn> columns;
  std::vector<SchedulePeriod> rows;
  // Per column: the weakest tag over its periods, and every source behind it.
  std::vector<Tag> tags;
  std::vector<std::vector<std::string>> sources;
};

// The schedule of `model`'s contract by `period`, with `keys` (empty: every column).
// require_schedule throws UsageError when the model has no term, a key is unknown, or
// tenants are asked of one lease; build_schedule expects it to have passed.
void require_schedule(const Model& model, const std::vector<std::string>& keys,
                      bool by_tenant = false);
Schedule build_schedule(const Model& model, std::string_view scenario, Period period,
                        const std::vector<std::string>& keys, bool by_tenant = false);

// The first day of contract month m from `start` ("YYYY-MM-DD"), or its last day.
std::string month_date(const std::string& start, int m, bool last_day);

// The investment's cash flows (the equity's, with `equity`) as `schedule --flows` writes
// them (README "Cash flows"): -capex (or -equity.invested) on the start date, month m's
// cash on the first day of month m + 1, the terminal value (less the debt left) with the
// last month. Without a start, `date` is the month's number, 0 first. require_flows
// throws UsageError when the model has no such flows.
struct Flow {
  std::string date;
  double amount = 0;
};
void require_flows(const Model& model, bool equity);
std::vector<Flow> build_flows(const Model& model, bool equity);

}  // namespace leasecalc
