#include "leasecalc/calc/whatif.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <limits>

#include "leasecalc/calc/override.hpp"
#include "leasecalc/model/keys.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

Axis parse_axis(std::string_view text) {
  const auto eq = text.find('=');
  const auto c1 = text.find(':', eq == std::string_view::npos ? 0 : eq);
  const auto c2 = c1 == std::string_view::npos ? c1 : text.find(':', c1 + 1);
  if (eq == std::string_view::npos || eq == 0 || c1 == std::string_view::npos ||
      c2 == std::string_view::npos || text.find(':', c2 + 1) != std::string_view::npos)
    throw UsageError(
        fmt::format("\"{}\": expected KEY=START:STOP:STEP, such as "
                    "lease.price_per_gpu_hour=1.5:4:0.5",
                    text));
  Axis a;
  a.key = std::string(text.substr(0, eq));
  auto number = [&](std::string_view part) {
    try {
      return parse_cli_number(part);
    } catch (const ValueError& e) {
      throw UsageError(fmt::format("{}: {}", a.key, e.what()));
    }
  };
  const double start = number(text.substr(eq + 1, c1 - eq - 1));
  const double stop = number(text.substr(c1 + 1, c2 - c1 - 1));
  const double step = number(text.substr(c2 + 1));
  // Decimal places of START and STEP, for rounding grid values to what was typed.
  const int p1 = cli_decimals(text.substr(eq + 1, c1 - eq - 1)),
            p2 = cli_decimals(text.substr(c2 + 1));
  if (p1 >= 0 && p2 >= 0 && std::max(p1, p2) <= 12) a.scale = std::pow(10.0, std::max(p1, p2));
  a.start = start;
  a.stop = stop;
  a.step = step;
  if (a.step <= 0)
    throw UsageError(
        fmt::format("{}: the step must be greater than 0, got {}", a.key, plain_number(a.step)));
  if (a.stop < a.start)
    throw UsageError(fmt::format("{}: STOP {} is below START {}; a sweep runs upward", a.key,
                                 plain_number(a.stop), plain_number(a.start)));
  const double q = (a.stop - a.start) / a.step;
  if (q >= 1e15) throw UsageError(fmt::format("{}: too many steps ({:g})", a.key, q + 1));
  const double nearest = std::round(q);
  const double whole = std::fabs(q - nearest) <= 1e-9 * std::max(1.0, q) ? nearest : std::floor(q);
  a.count = static_cast<std::size_t>(whole) + 1;
  return a;
}

Sweep Sweep::make(const Model& model, std::vector<Axis> axes, std::vector<std::string> outs) {
  Sweep s;
  s.model_ = &model;
  std::vector<std::string> known;
  for (const auto& o : model.outputs())
    known.push_back(o.key);
  for (const auto& a : axes)
    if (model.input_slot(a.key) == Model::npos)
      throw UsageError(fmt::format("--vary {}: not an input of this scenario", a.key));
  for (const auto& key : outs) {
    const std::size_t i = model.find_output(key);
    const std::size_t slot = model.input_slot(key);
    if (i == Model::npos && slot == Model::npos) {
      throw UsageError(
          fmt::format("--out: unknown figure key \"{}\"{}", key, suggestion(key, known)));
    }
    s.out_index_.push_back(i);
    s.out_slot_.push_back(i == Model::npos ? slot : Model::npos);
  }
  s.axes_ = std::move(axes);
  s.outs_ = std::move(outs);
  return s;
}

std::size_t Sweep::rows() const {
  std::size_t n = 1;
  for (const auto& a : axes_) {
    if (a.count != 0 && n > std::numeric_limits<std::size_t>::max() / a.count)
      return std::numeric_limits<std::size_t>::max();
    n *= a.count;
  }
  return n;
}

Solution solve(const Model& model, std::string_view input_key, std::string_view output_key,
               double target, const std::function<bool(double)>& valid) {
  const std::size_t oi = model.find_output(output_key);
  Evaluator eval(model, {std::string(input_key)}, {oi});
  auto f = [&](double x) {
    eval.set(0, x);
    return eval.run()[oi] - target;
  };

  const Domain d = domain_for_key(input_key);
  Solution sol;
  std::vector<double> xs;
  constexpr int k_samples = 4000;
  if (d.max) {
    sol.domain_low = d.min;
    sol.domain_high = *d.max;
    if (!d.max_inclusive) sol.domain_high = std::nextafter(*d.max, d.min);
    for (int i = 0; i <= k_samples; ++i)
      xs.push_back(sol.domain_low + (sol.domain_high - sol.domain_low) * i / k_samples);
  } else {
    const double hi = d.whole ? 9007199254740992.0 : 1e15;
    const double lo = std::max(d.min, 1e-12);
    sol.domain_low = d.min_inclusive ? d.min : lo;
    sol.domain_high = hi;
    if (d.min_inclusive) xs.push_back(d.min);
    for (int i = 0; i <= k_samples; ++i)
      xs.push_back(lo * std::pow(hi / lo, double(i) / k_samples));
  }

  if (d.whole) {  // a count is sampled at whole numbers, each once
    for (double& x : xs)
      x = std::round(x);
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  }
  if (valid) {
    // What the scenario allows is an interval of the domain (a term above the
    // interest-only months, below the tail's end): trimmed from both ends, so a solve
    // checks the few values outside it and two inside, not all 4,001.
    auto first = std::find_if(xs.begin(), xs.end(), valid);
    xs.erase(xs.begin(), first);
    while (!xs.empty() && !valid(xs.back()))
      xs.pop_back();
    if (!xs.empty()) sol.domain_low = xs.front(), sol.domain_high = xs.back();
  }

  double lo_x = 0, hi_x = 0, lo_f = 0;
  bool bracket = false;
  double prev_x = 0, prev_f = std::numeric_limits<double>::quiet_NaN();
  double reach_low = std::numeric_limits<double>::infinity(), reach_high = -reach_low;
  double first = std::numeric_limits<double>::quiet_NaN();
  for (double x : xs) {
    const double fx = f(x);
    if (std::isnan(fx) || std::isinf(fx)) continue;
    reach_low = std::min(reach_low, fx + target);
    reach_high = std::max(reach_high, fx + target);
    if (std::isnan(first)) first = fx;
    if (!bracket && fx == 0) {
      sol.found = true;
      sol.x = sol.crossing = x;
      sol.achieved = fx + target;
      return sol;
    }
    if (!bracket && !std::isnan(prev_f) && (prev_f < 0) != (fx < 0)) {
      bracket = true;
      lo_x = prev_x;
      hi_x = x;
      lo_f = prev_f;
    }
    prev_x = x;
    prev_f = fx;
  }
  if (!bracket) {
    sol.reach_low = reach_low;
    sol.reach_high = reach_high;
    sol.depends = reach_low != reach_high;
    return sol;
  }
  // Bisect until the interval cannot shrink: at most ~1100 halvings of a double range.
  for (int i = 0; i < 2000; ++i) {
    const double mid = lo_x + (hi_x - lo_x) / 2;
    if (mid <= lo_x || mid >= hi_x) break;
    const double fm = f(mid);
    if (fm == 0) {
      lo_x = hi_x = mid;
      break;
    }
    if ((fm < 0) == (lo_f < 0)) {
      lo_x = mid;
      lo_f = fm;
    } else {
      hi_x = mid;
    }
  }
  // The end whose value is closer to the target.
  const double f_lo = f(lo_x), f_hi = f(hi_x);
  sol.found = true;
  sol.x = std::fabs(f_lo) <= std::fabs(f_hi) ? lo_x : hi_x;
  sol.crossing = sol.x;
  if (d.whole) {
    // A count: the smallest whole number at or past the crossing (lo_x is on the near side).
    double n = std::ceil(lo_x);
    if (n == lo_x && f(n) != 0) n += 1;
    sol.x = n;
  }
  sol.achieved = f(sol.x) + target;
  return sol;
}

std::function<bool(double)> allowed_values(const Scenario& scenario, std::string input_key) {
  return [&scenario, key = std::move(input_key)](double x) {
    Scenario c = scenario;
    try {
      apply_override(c, Override{key, x, Tag::assumption, {}, {}, {}, {}});
      check_consistency(c);
      return true;
    } catch (const UsageError&) {
      return false;
    }
  };
}

std::string no_solution_text(const Solution& sol, const OutputDef& def, std::string_view input_key,
                             double target) {
  if (!sol.depends) return fmt::format("{} does not change with {}", def.key, input_key);
  return fmt::format("{} stays between {} and {} for {} from {} to {}, never {}", def.key,
                     human(sol.reach_low, def.unit), human(sol.reach_high, def.unit), input_key,
                     plain_number(sol.domain_low), plain_number(sol.domain_high),
                     human(target, def.unit));
}

Report solve_report(Scenario s, Basis basis, std::string_view input_key,
                    std::string_view target_key, double target, const Solution& sol) {
  const std::string name = s.name;
  // sol.x lies in the input's domain, so the override holds.
  apply_override(s, Override{std::string(input_key), sol.x, Tag::exact, {}, {}, {}, {}});
  const Report after = build_report(s, basis);
  Row target_row = *after.find(target_key);
  Row input_row = *after.find(input_key);
  input_row.tag = target_row.tag;
  input_row.sources = target_row.sources;
  input_row.derived = true;
  input_row.overridden = false;
  input_row.approx = target_row.approx;
  input_row.inputs = target_row.inputs;
  input_row.note = fmt::format("solved: {} = {}", target_key, plain_number(target));
  if (sol.crossing != sol.x)
    input_row.note += fmt::format("; the crossing is at {} {}, rounded up to a whole count",
                                  grouped(sol.crossing, 2), input_row.unit.name);
  Report result;
  result.scenario = fmt::format("{}: solve {} = {} by varying {}", name, target_key,
                                plain_number(target), input_key);
  result.file = after.file;
  result.as_of = after.as_of;
  result.basis = basis;
  result.rows = {input_row, target_row};
  return result;
}

Formulas::Formulas(const Model& model) : model_(model), figures_(model.expressions(&month_)) {
  for (std::size_t i = 0; i < figures_.size(); ++i)
    figures_of_node_[figures_[i].id()].push_back(i);
  if (month_.revenue.empty()) return;  // no contract
  for (const auto& [name, field] : month_quantities<Expr>())
    month_names_.emplace_back(&(month_.*field), name);
  // A quantity the scenario does not have (no debt: a balance of 0) is no name.
  std::erase_if(month_names_, [](const auto& n) {
    return n.first->empty() || n.first->op() == Expr::Op::constant ||
           n.first->op() == Expr::Op::input;
  });
}

std::size_t Formulas::figure_of(const Expr& e, std::size_t index) const {
  std::size_t found = Model::npos;
  const auto same = figures_of_node_.find(e.id());
  if (same == figures_of_node_.end()) return found;
  for (std::size_t i : same->second) {
    if (i == index) continue;
    if (i < index || found == Model::npos || found > index) found = i;
    if (i > index) break;
  }
  return found;
}

std::string Formulas::name_of(const Expr& e, std::size_t index) const {
  // An input reads as its own key, even where a figure is a copy of it (costs.power_mw of
  // cluster.power_mw). A node that is another figure reads as {its key}: the figure
  // defined last before this one, else the first after it (ebit is ebitda when there is
  // no depreciation).
  if (e.op() == Expr::Op::input) return "";
  if (const std::size_t found = figure_of(e, index); found != Model::npos)
    return "{" + model_.outputs()[found].key + "}";
  for (const auto& [month, name] : month_names_)
    if (month->same(e)) return name + "(m)";
  if (e.op() == Expr::Op::quantity) return e.name() + "(j)";  // in a sum over months j < m
  return "";
}

std::string Formulas::text(std::size_t index, std::vector<std::string>* where) const {
  std::vector<const Expr*> used;
  auto name = [&](const Expr& e) {
    std::string n = name_of(e, index);
    if (where && !n.empty() && n[0] != '{')
      for (const auto& [month, month_name] : month_names_)
        if (n.starts_with(month_name + "(") &&
            std::find(used.begin(), used.end(), month) == used.end())
          used.push_back(month);
    return n;
  };
  std::string out = figures_[index].text(name);
  // A month's quantity used in the formula is defined below it, with those it uses.
  for (std::size_t i = 0; where && i < used.size(); ++i)
    for (const auto& [month, month_name] : month_names_)
      if (month == used[i]) where->push_back(month_name + "(m) = " + month->text(name));
  return out;
}

std::optional<Explanation> explain(const Report& report, const Model& model, std::string_view key) {
  const Row* row = report.find(key);
  if (!row) return std::nullopt;
  Explanation e;
  e.figure = row;
  if (!row->derived) return e;
  std::vector<std::string> where;
  const std::string formula = Formulas(model).text(model.find_output(key), &where);
  // Each {key} becomes its name, and its value in the values line; each operand once.
  auto read = [&](const std::string& text, std::string* values) {
    std::string names;
    std::size_t i = 0;
    while (i < text.size()) {
      if (text[i] != '{') {
        names += text[i];
        if (values) *values += text[i];
        ++i;
        continue;
      }
      const std::size_t end = text.find('}', i);
      const std::string operand = text.substr(i + 1, end - i - 1);
      const Row* r = report.find(operand);
      names += operand;
      if (values) *values += r ? operand_text(r->value) : "?";
      if (r && std::find(e.operands.begin(), e.operands.end(), r) == e.operands.end())
        e.operands.push_back(r);
      i = end + 1;
    }
    return names;
  };
  e.names = std::string(key) + " = " + read(formula, &e.values);
  e.named = e.operands.size();
  for (const auto& w : where) {
    std::string values;
    e.where.push_back(read(w, &values));
    e.where_values.push_back(std::move(values));
  }
  return e;
}

Report brief_report(const Report& report, const Model& model) {
  std::vector<std::string> keep;
  for (const std::string& key : headline_keys())
    if (const auto e = explain(report, model, key)) {
      keep.push_back(key);
      for (std::size_t i = 0; i < e->named; ++i)
        keep.push_back(e->operands[i]->key);
    }
  Report brief = report;
  brief.brief = true;
  brief.unlisted.clear();
  std::erase_if(brief.rows, [&](const Row& r) {
    return std::find(keep.begin(), keep.end(), r.key) == keep.end();
  });
  return brief;
}

}  // namespace leasecalc
