// One file: the translation of expressions into formulas and the sheets it fills share
// the Schedule's layout (its rows, its columns' letters), which nothing else needs.
//
// The workbook's sheets (README "The workbook"): each figure's cell formula is its
// expression (the writing reading of its one formula) in spreadsheet syntax, over the
// inputs' and the other figures' defined names. What a formula sums or searches over the
// months is a column of `Schedule`, one row a month; the IRR is the spreadsheet's own.
#include "leasecalc/render/workbook.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "leasecalc/calc/whatif.hpp"
#include "leasecalc/model/errors.hpp"
#include "leasecalc/model/text.hpp"

namespace leasecalc {

WorkCell WorkCell::of_text(std::string text, CellFormat format) {
  WorkCell c;
  c.kind = Kind::text;
  c.text = std::move(text);
  c.format = format;
  return c;
}

WorkCell WorkCell::of_number(double value, CellFormat format) {
  WorkCell c;
  c.kind = Kind::number;
  c.value = value;
  c.format = format;
  return c;
}

WorkCell WorkCell::of_formula(std::string formula, double value, CellFormat format) {
  WorkCell c;
  c.kind = Kind::formula;
  c.text = std::move(formula);
  c.value = value;
  c.format = format;
  return c;
}

std::string_view number_format(CellFormat format) {
  switch (format) {
    case CellFormat::usd:
      return "$#,##0";
    case CellFormat::price:
      return "$#,##0.00##";
    case CellFormat::share:
      return "0.00%";
    case CellFormat::count:
    case CellFormat::months:
      return "#,##0";
    case CellFormat::multiple:
      return "0.00\"x\"";
    case CellFormat::number:
      return "#,##0.00##";
    default:
      return "General";
  }
}

std::string defined_name(std::string_view key) {
  std::string n;
  for (char c : key)
    n += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  auto digits_from = [&](std::size_t i) {
    while (i < n.size() && std::isdigit(static_cast<unsigned char>(n[i])))
      ++i;
    return i;
  };
  // A1 .. XFD1048576: one to three letters, then digits.
  std::size_t letters = 0;
  while (letters < n.size() && std::isalpha(static_cast<unsigned char>(n[letters])))
    ++letters;
  const bool a1 =
      letters >= 1 && letters <= 3 && letters < n.size() && digits_from(letters) == n.size();
  // R1C1 and its parts: R, C, R2, C3, RC, R2C3.
  std::size_t i = 0;
  if (i < n.size() && (n[i] == 'R' || n[i] == 'r')) i = digits_from(i + 1);
  if (i < n.size() && (n[i] == 'C' || n[i] == 'c')) i = digits_from(i + 1);
  const bool r1c1 = i > 0 && i == n.size();
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0])) || a1 || r1c1) n = "_" + n;
  return n;
}

namespace {

constexpr char k_row = '\x01';   // in a Schedule column's formula: the row's number
constexpr char k_prev = '\x02';  // the row before it
constexpr int k_start_row = 2;   // the Schedule's row (from 1) of the start: capex, flows at 0
constexpr int k_first_row = 3;   // of month 0
constexpr int k_last_row = k_first_row + k_workbook_months - 1;
constexpr std::size_t k_max_formula = 8192;  // characters, a spreadsheet's limit
constexpr int k_max_nesting = 64;            // levels of parentheses

std::string column_letters(std::size_t c) {
  std::string s;
  for (++c; c > 0; c = (c - 1) / 26)
    s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
  return s;
}

// A number as a formula writes it: the shortest text that reads back as the same double.
std::string literal(double v) {
  if (std::isnan(v)) return "NA()";
  if (std::isinf(v)) throw std::logic_error("an infinite constant in a formula");
  const std::string s = fmt::format("{}", v);
  return v < 0 ? "(" + s + ")" : s;
}

CellFormat format_of(const Unit& unit) {
  const std::string_view n = unit.name;
  if (n == "USD" || n == "USD/yr") return CellFormat::usd;
  if (n.starts_with("USD")) return CellFormat::price;
  if (n == "ratio" || n == "/yr") return CellFormat::share;
  if (n == "GPU" || n == "H100e" || n == "GPU-h" || n == "GPU-h/yr" || n == "MWh/yr")
    return CellFormat::count;
  if (n == "mo") return CellFormat::months;
  if (n == "x") return CellFormat::multiple;
  return CellFormat::number;
}

// One column of Schedule: its header, its formula in the start row (or none) and in each
// month's row (k_row and k_prev mark the rows).
struct Column {
  std::string header;
  std::string start;
  std::string each;
  CellFormat format = CellFormat::number;
  const Expr* quantity = nullptr;  // a month's quantity: its cached values are known
};

// Writes expressions as spreadsheet formulas, adding to Schedule the columns they read.
class Translator {
 public:
  Translator(std::string file, const Formulas& formulas,
             const std::map<std::string, std::string>& inputs,
             const std::vector<std::string>& figures, bool calendar)
      : file_(std::move(file)), formulas_(formulas), inputs_(inputs), figures_(figures) {
    columns_.push_back({"m", "", "", CellFormat::months, nullptr});  // written as numbers
    if (calendar) {
      columns_.push_back({"year", "", "", CellFormat::plain, nullptr});
      columns_.push_back({"month", "", "", CellFormat::plain, nullptr});
      year_ = "Schedule!$B$" + std::to_string(k_first_row) + ":$B$" + std::to_string(k_last_row);
    }
    const Month<Expr>& month = formulas.month();
    if (month.horizon.empty()) return;  // no contract: no months
    const std::string horizon = operand(month.horizon, false);
    // Every quantity has its column before any is written: interest reads the balance,
    // the principal repaid before the month, whose column comes later.
    std::vector<std::size_t> same;
    for (const auto& [expr, name] : formulas.quantities()) {
      const auto [it, first] = quantity_columns_.emplace(expr->id(), columns_.size());
      same.push_back(first ? 0 : it->second);
      Column c{name, "", "", name == "online" ? CellFormat::share : CellFormat::usd, expr};
      if (name == "dscr") c.format = CellFormat::number;
      columns_.push_back(std::move(c));
    }
    std::size_t c = columns_.size() - same.size();
    for (std::size_t q = 0; q < same.size(); ++q, ++c)
      columns_[c].each = same[q] ? cell(same[q])  // cash that is the EBITDA, untaxed
                                 : "IF(" + cell(0) + "<" + horizon + "," +
                                       write(*columns_[c].quantity, true) + ",0)";
  }

  // Output `index`'s formula: its expression written out, other figures by name.
  std::string figure(std::size_t index, const std::string& key) {
    index_ = index;
    key_ = key;
    std::string f = write(formulas_.expressions()[index], false);
    index_ = Model::npos;
    return f;
  }

  const std::vector<Column>& columns() const { return columns_; }

 private:
  using Op = Expr::Op;

  // The cell of column c in the row a column's formula is for.
  std::string cell(std::size_t c) const { return "$" + column_letters(c) + k_row; }
  // Column c's months, as a range Figures reads; from the start row with `start`.
  std::string range(std::size_t c, bool start = false) const {
    const std::string l = column_letters(c);
    return fmt::format("Schedule!${}${}:${}${}", l, start ? k_start_row : k_first_row, l,
                       k_last_row);
  }
  // The months m < n, as 1 and 0 for SUMPRODUCT.
  std::string before(const std::string& n) const { return "--(" + range(0) + "<" + n + ")"; }

  bool monthly(const Expr& e) {
    if (const auto it = monthly_.find(e.id()); it != monthly_.end()) return it->second;
    bool m = false;
    const auto& a = e.args();
    switch (e.op()) {
      case Op::month:
      case Op::quantity:
      case Op::sum_before:
        m = true;
        break;
      case Op::sum:  // the months it sums are its own; its count may be m + 1
      case Op::sum_in:
      case Op::least:
      case Op::least_at:
        m = monthly(a[1]);
        break;
      case Op::count_below:
        m = monthly(a[1]) || monthly(a[2]);
        break;
      case Op::irr:
      case Op::multiple:
        m = monthly(a[0]) || monthly(a[2]) || monthly(a[3]);
        break;
      case Op::payback:
        m = monthly(a[0]) || monthly(a[2]);
        break;
      default:
        m = std::any_of(a.begin(), a.end(), [&](const Expr& x) { return monthly(x); });
    }
    monthly_.emplace(e.id(), m);
    return m;
  }

  // What names node e: an input's or a figure's defined name, a month's quantity's cell;
  // empty to write it out.
  std::string name(const Expr& e, bool row) {
    if (e.op() == Op::input) {
      const auto it = inputs_.find(e.name());
      if (it == inputs_.end())
        throw InputError(file_, fmt::format("workbook: {}: the input {} is not among the "
                                            "report's inputs",
                                            key_, e.name()));
      return it->second;
    }
    if (const std::size_t f = formulas_.figure_of(e, index_);
        f != Model::npos && !figures_[f].empty())
      return figures_[f];
    if (row)
      if (const auto it = quantity_columns_.find(e.id()); it != quantity_columns_.end())
        return cell(it->second);
    return "";
  }

  // How tightly a node's operator binds: a child that binds more loosely than its parent
  // is parenthesized, and so is the right operand of - and / at the same level. A power's
  // operands are parenthesized unless they are names or numbers (a spreadsheet reads
  // -2^2 as 4, and 2^3^2 as 64).
  static int binding(const Expr& e) {
    switch (e.op()) {
      case Op::add:
      case Op::sub:
        return 1;
      case Op::mul:
      case Op::div:
        return 2;
      case Op::neg:
      case Op::pow:
        return 3;
      default:
        return 4;
    }
  }
  std::string operand(const Expr& e, bool row, int parent = 0, bool right = false) {
    if (std::string n = name(e, row); !n.empty()) return n;
    // A formula too long for a spreadsheet is refused as it grows: a sum over 10,000
    // tenants is 10,000 levels deep (it overflowed the stack after 22 s).
    if (++depth_ > static_cast<int>(k_max_formula / 2)) too_long();
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{depth_};
    const int b = binding(e);
    const bool wrap = b < parent || (right && b == parent) || (parent == 3 && b == 3);
    std::string text = wrap ? "(" + write(e, row) + ")" : write(e, row);
    if (text.size() >= k_max_formula) too_long();
    return text;
  }
  [[noreturn]] void too_long() const {
    throw InputError(file_,
                     fmt::format("workbook: {}: its formula has more than {} characters, "
                                 "over the {} a spreadsheet takes: the workbook cannot "
                                 "express this scenario",
                                 key_ == "schedule" ? "a column of the Schedule" : "figure " + key_,
                                 k_max_formula - 1, k_max_formula));
  }

  // x when e is x x F^(m + 1) with F = G^(-1/12): a month's discounted amount.
  static const Expr* discounted(const Expr& e) {
    if (e.op() != Op::mul || e.args().size() != 2) return nullptr;
    const Expr& factor = e.args()[1];
    if (factor.op() != Op::pow) return nullptr;
    const Expr& base = factor.args()[0];
    const Expr& exponent = factor.args()[1];
    const bool next_month = exponent.op() == Op::add && exponent.args()[0].op() == Op::month &&
                            exponent.args()[1].is_constant(1);
    const bool twelfth = base.op() == Op::pow && base.args()[1].is_constant(-1.0 / 12);
    return next_month && twelfth ? &e.args()[0] : nullptr;
  }

  // A condition as IF reads it: a comparison as itself, else "is not 0".
  std::string condition(const Expr& e, bool row) {
    if (name(e, row).empty()) {
      const auto& a = e.args();
      if (e.op() == Op::less) return operand(a[0], row, 1) + "<" + operand(a[1], row, 1);
      if (e.op() == Op::at_least) return operand(a[0], row, 1) + ">=" + operand(a[1], row, 1);
      if (e.op() == Op::both)
        return "AND(" + condition(a[0], row) + "," + condition(a[1], row) + ")";
    }
    return operand(e, row) + "<>0";
  }

  // A column holding `each` month by month: a month's quantity's own, or a new one.
  std::size_t column_of(const Expr& each, const std::string& what) {
    if (const auto it = quantity_columns_.find(each.id()); it != quantity_columns_.end())
      return it->second;
    return add_column(what, "", write(each, true));
  }
  std::size_t add_column(const std::string& what, std::string start, std::string each) {
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (columns_[c].each == each && columns_[c].start == start) return c;
    columns_.push_back(
        {key_ + ": " + what, std::move(start), std::move(each), CellFormat::number, nullptr});
    return columns_.size() - 1;
  }
  // `each` in the months m < n, else 0.
  std::size_t masked(const Expr& each, const std::string& n, const std::string& what) {
    const std::size_t c = column_of(each, what);
    return add_column(what + " (m < horizon)", "",
                      "IF(" + cell(0) + "<" + n + "," + cell(c) + ",0)");
  }

  std::string write(const Expr& e, bool row) {
    const auto& a = e.args();
    auto arg = [&](std::size_t i) { return operand(a[i], row); };
    // An operand that a sign or an operator is written against: parenthesized unless it is
    // a name, a number or a function.
    auto term = [&](std::size_t i) { return operand(a[i], row, 3); };
    const int b = binding(e);
    auto binary = [&](std::string_view sign) {
      const bool same_right = e.op() == Op::sub || e.op() == Op::div || e.op() == Op::pow;
      return operand(a[0], row, b) + std::string(sign) + operand(a[1], row, b, same_right);
    };
    auto call = [&](std::string_view f) {
      std::string out = std::string(f) + "(";
      for (std::size_t i = 0; i < a.size(); ++i)
        out += (i ? "," : "") + arg(i);
      return out + ")";
    };
    if (!row && monthly(e))
      throw std::logic_error("a month's quantity outside a sum over the months");
    switch (e.op()) {
      case Op::input:
        return name(e, row);
      case Op::constant:
        return literal(e.value());
      case Op::month:
        return cell(0);
      case Op::add:
        return binary("+");
      case Op::sub:
        return binary("-");
      case Op::neg:
        return "-" + operand(a[0], row, 3);
      case Op::mul:
        return binary("*");
      case Op::div:
        return binary("/");
      case Op::pow:
        return binary("^");
      case Op::max:
        return call("MAX");
      case Op::min:
        return call("MIN");
      case Op::ceil:
        return "-INT(-" + term(0) + ")";
      case Op::floor:
        return "INT(" + arg(0) + ")";
      case Op::less:
      case Op::at_least:
      case Op::both:
        return "IF(" + condition(e, row) + ",1,0)";
      case Op::when:
        return "IF(" + condition(a[1], row) + "," + arg(0) + ",0)";
      case Op::defined_if:
        return "IF(" + condition(a[1], row) + "," + arg(0) + ",NA())";
      case Op::select:
        return "IF(" + condition(a[1], row) + "," + arg(0) + "," + arg(2) + ")";
      case Op::step: {  // the last step at or before k, else 0
        const std::string k = arg(0);
        std::string out = "0";
        for (std::size_t i = 0; i < e.steps().size(); ++i)
          out = fmt::format("IF({}>={},{},{})", k, e.steps()[i], arg(i + 1), out);
        return out;
      }
      case Op::interpolate: {  // flat outside the points, linear between
        const std::string k = arg(0);
        const auto& at = e.steps();
        const std::size_t n = at.size();
        std::string out = arg(n);
        for (std::size_t i = n - 1; i-- > 0;)
          out = fmt::format("IF({0}<{1},{2}+({3}-{2})*({0}-{4})/{5},{6})", k, literal(at[i + 1]),
                            term(i + 1), term(i + 2), literal(at[i]), literal(at[i + 1] - at[i]),
                            out);
        return fmt::format("IF({}<={},{},{})", k, literal(at[0]), arg(1), out);
      }
      case Op::sum: {
        // A present value, x(m) x F^(-(m + 1)/12) summed: the spreadsheet's NPV at the
        // monthly rate F^(1/12) - 1 over x in the months m < n.
        if (const Expr* x = discounted(a[0]))
          return "NPV(" + operand(a[0].args()[1].args()[0].args()[0], row, 3) + "^(1/12)-1," +
                 range(masked(*x, arg(1), "discounted")) + ")";
        return "SUMPRODUCT(" + before(arg(1)) + "," + range(column_of(a[0], "summed")) + ")";
      }
      case Op::sum_in:
        if (year_.empty()) throw std::logic_error("a calendar year without a start");
        return "SUMPRODUCT(" + before(arg(1)) + ",--(" + year_ + "=" + e.name() + ")," +
               range(column_of(a[0], "summed")) + ")";
      case Op::sum_before: {  // the quantity's earlier months; the start row is empty
        const Expr& q = a[0];
        for (const auto& [expr, quantity] : formulas_.quantities())
          if (quantity == q.name()) {
            const std::string l = column_letters(quantity_columns_.at(expr->id()));
            return fmt::format("SUM(${}${}:${}{})", l, k_start_row, l, k_prev);
          }
        throw std::logic_error("a sum over an unknown quantity");
      }
      case Op::quantity:
        throw std::logic_error("a month's quantity outside a sum over the months");
      case Op::irr: {
        // The flows: the start, each month's, the terminal value with the last month's.
        const std::string n = arg(2);
        const std::size_t each = column_of(a[1], "flow");
        const std::size_t flows = add_column(
            "flows", write(a[0], false),
            fmt::format("IF({0}<{1},{2}+IF({0}+1={1},{3},0),0)", cell(0), n, cell(each), arg(3)));
        // The sign of the last flow that is not 0, to count changes of sign: a rate is
        // unique, and defined, with exactly one.
        const std::string f = column_letters(flows);
        const std::size_t sign =
            add_column("last sign", fmt::format("SIGN(${}${})", f, k_start_row),
                       fmt::format("IF(${0}{1}<>0,SIGN(${0}{1}),${2}{3})", f, k_row,
                                   column_letters(columns_.size()), k_prev));
        const std::string s = column_letters(sign);
        const std::string months = range(flows), last = fmt::format("Schedule!${0}${1}:${0}${2}", s,
                                                                    k_start_row, k_last_row - 1);
        // (A product of ranges, not SIGN of one: inside SUMPRODUCT a function of one value
        // reads the range's cell in its own row.)
        return fmt::format("IF(SUMPRODUCT(--({0}*{1}<0))<>1,NA(),(1+IRR({2},0.01))^12-1)", months,
                           last, range(flows, true));
      }
      case Op::payback: {
        const std::string n = arg(2);
        const std::size_t each = column_of(a[1], "flow");
        const std::string cum = column_letters(columns_.size());
        const std::size_t cumulative =
            add_column("cumulative", write(a[0], false),
                       fmt::format("${}{}+IF({}<{},{},0)", cum, k_prev, cell(0), n, cell(each)));
        const std::size_t month = add_column(
            "paid back", "",
            fmt::format("IF(AND({0}<{1},{2}>=0),{0}+1,\"\")", cell(0), n, cell(cumulative)));
        const std::string r = range(month);
        return fmt::format("IF(COUNT({0})=0,NA(),MIN({0}))", r);
      }
      case Op::multiple: {
        const std::string r = range(masked(a[1], arg(2), "flow"));
        const std::string start = term(0), end = term(3);
        const std::string out =
            fmt::format("(MAX(-{0},0)-SUMIF({1},\"<0\")+MAX(-{2},0))", start, r, end);
        return fmt::format("IF({0}=0,NA(),(MAX({1},0)+SUMIF({2},\">0\")+MAX({3},0))/{0})", out,
                           start, r, end);
      }
      case Op::least:
      case Op::least_at: {
        const std::size_t each = column_of(a[0], "each month");
        const std::string r = range(add_column(
            "defined months", "",
            fmt::format("IF(AND({0}<{1},ISNUMBER({2})),{2},\"\")", cell(0), arg(1), cell(each))));
        if (e.op() == Op::least) return fmt::format("IF(COUNT({0})=0,NA(),MIN({0}))", r);
        return fmt::format("IF(COUNT({0})=0,NA(),MATCH(MIN({0}),{0},0))", r);
      }
      case Op::count_below: {  // the months defined and below: 1, else 0
        const std::size_t each = column_of(a[0], "each month");
        return "SUM(" +
               range(add_column("below", "",
                                fmt::format("IF(AND({0}<{1},ISNUMBER({2})),IF({2}<{3},1,0),0)",
                                            cell(0), arg(1), cell(each), arg(2)))) +
               ")";
      }
    }
    throw std::logic_error("unknown expression node");
  }

  std::string file_;
  const Formulas& formulas_;
  const std::map<std::string, std::string>& inputs_;
  const std::vector<std::string>& figures_;  // per output: its defined name, or ""
  std::size_t index_ = Model::npos;          // the figure being written
  std::string key_ = "schedule";
  int depth_ = 0;     // operand()'s nesting
  std::string year_;  // the calendar years' range
  std::vector<Column> columns_;
  std::unordered_map<const void*, std::size_t> quantity_columns_;
  std::unordered_map<const void*, bool> monthly_;
};

// A formula a spreadsheet takes, or InputError naming `what` ("figure contract.npv").
void check_formula(const std::string& file, const std::string& what, const std::string& formula) {
  if (formula.size() + 1 > k_max_formula)
    throw InputError(file, fmt::format("workbook: {}: its formula has {} characters, over the "
                                       "{} a spreadsheet takes: the workbook cannot express "
                                       "this scenario",
                                       what, formula.size() + 1, k_max_formula));
  int depth = 0, deepest = 0;
  for (char c : formula) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    deepest = std::max(deepest, depth);
  }
  if (deepest > k_max_nesting)
    throw InputError(file, fmt::format("workbook: {}: its formula nests {} levels deep, over the "
                                       "{} a spreadsheet takes: the workbook cannot express "
                                       "this scenario (a ramp or market prices with fewer "
                                       "points can be)",
                                       what, deepest, k_max_nesting));
}

// Each column's width: its widest cell as a number or text reads, with room for a
// proportional font; a note wraps within 80 characters, a remark below a table takes no
// width, and no column is wider than 60 (a note's 81).
std::vector<double> fitted_widths(const WorkSheet& sheet) {
  std::vector<double> widths;
  for (const auto& row : sheet.rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      const WorkCell& cell = row[c];
      std::size_t width = 0;
      if (cell.kind == WorkCell::Kind::text) width = cell.text.size();
      if (cell.kind == WorkCell::Kind::number || cell.kind == WorkCell::Kind::formula)
        width = fmt::format("{:.6g}", std::isnan(cell.value) ? 0 : cell.value).size() + 6;
      if (cell.format == CellFormat::note) width = std::min<std::size_t>(width, 80);
      if (cell.format == CellFormat::remark) width = 0;
      if (widths.size() <= c) widths.resize(c + 1, 8);
      widths[c] = std::max(widths[c], std::min<double>(static_cast<double>(width) * 1.15 + 2,
                                                       cell.format == CellFormat::note ? 81 : 60));
    }
  return widths;
}

WorkCell header(std::string text) { return WorkCell::of_text(std::move(text), CellFormat::header); }
WorkCell tag_cell(Tag tag) {
  WorkCell c = WorkCell::of_text(std::string(tag_name(tag)));
  c.tag = tag;
  return c;
}

}  // namespace

WorkbookPlan build_workbook(const Scenario& scenario, const Model& model, const Report& report) {
  WorkbookPlan plan;
  std::map<std::string, std::string> input_names;
  std::set<std::string> taken;  // the defined names so far, in capitals (names ignore case)
  auto define = [&](const std::string& key, const std::string& where) {
    auto upper = [](std::string n) {
      for (char& c : n)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return n;
    };
    std::string n = defined_name(key);
    for (int i = 2; taken.count(upper(n)); ++i)  // "a.b_c" and "a_b.c": a_b_c and a_b_c_2
      n = fmt::format("{}_{}", defined_name(key), i);
    taken.insert(upper(n));
    plan.names.emplace_back(n, where);
    return n;
  };

  WorkSheet inputs{"Inputs", {}, {}};
  inputs.rows.push_back({header("key"), header("label"), header("value"), header("unit"),
                         header("tag"), header("sources"), header("low"), header("high"),
                         header("note")});
  for (const Row& r : report.rows) {
    if (r.derived) continue;
    const int row = static_cast<int>(inputs.rows.size()) + 1;
    input_names.emplace(r.key, define(r.key, fmt::format("Inputs!$C${}", row)));
    const CellFormat f = format_of(r.unit);
    inputs.rows.push_back(
        {WorkCell::of_text(r.key), WorkCell::of_text(r.label), WorkCell::of_number(r.value, f),
         WorkCell::of_text(std::string(r.unit.name)), tag_cell(r.tag),
         WorkCell::of_text(join(r.sources)), r.low ? WorkCell::of_number(*r.low, f) : WorkCell{},
         r.high ? WorkCell::of_number(*r.high, f) : WorkCell{},
         WorkCell::of_text(r.note, CellFormat::note)});
  }
  inputs.rows.emplace_back();
  inputs.rows.push_back({WorkCell::of_text(
      "Edit a value and every figure recalculates. Tags and sources are text as of writing: an "
      "edited value keeps its tag, and a figure's tag does not follow it.",
      CellFormat::remark)});
  inputs.rows.push_back(
      {WorkCell::of_text(fmt::format("Written by leasecalc from {} (as of {}, basis {}).",
                                     report.file, report.as_of, basis_name(report.basis)),
                         CellFormat::remark)});

  // Every figure of the report has its name before any formula is written: a formula may
  // read a figure listed after it.
  const Formulas formulas(model);
  std::vector<std::string> figure_names(model.outputs().size());
  std::vector<std::pair<const Row*, std::size_t>> figures;
  for (const Row& r : report.rows) {
    if (!r.derived) continue;
    const std::size_t i = model.find_output(r.key);
    if (i == Model::npos) continue;
    const int row = static_cast<int>(figures.size()) + 2;
    figure_names[i] = define(r.key, fmt::format("Figures!$C${}", row));
    figures.emplace_back(&r, i);
  }
  Translator t(scenario.file, formulas, input_names, figure_names, !model.start().empty());
  WorkSheet sheet{"Figures", {}, {}};
  sheet.rows.push_back({header("key"), header("label"), header("value"), header("unit"),
                        header("tag"), header("sources"),
                        header("formula (as explain prints it)")});
  for (const auto& [r, i] : figures) {
    const std::string f = t.figure(i, r->key);
    check_formula(scenario.file, "figure " + r->key, f);
    sheet.rows.push_back(
        {WorkCell::of_text(r->key), WorkCell::of_text(r->label),
         WorkCell::of_formula(f, r->defined ? r->value : std::nan(""), format_of(r->unit)),
         WorkCell::of_text(std::string(r->unit.name)), tag_cell(r->tag),
         WorkCell::of_text(join(r->sources)),
         WorkCell::of_text(formulas.text(i), CellFormat::note)});
  }

  // The months: the quantities' values as computed here are the cells' cached values.
  WorkSheet schedule{"Schedule", {}, {}};
  const auto& columns = t.columns();
  if (columns.size() > 1 || !model.start().empty()) {
    const std::vector<Month<Tracked>> months = model.months();
    std::vector<WorkCell> top;
    for (const Column& c : columns)
      top.push_back(header(c.header));
    schedule.rows.push_back(std::move(top));
    std::vector<WorkCell> start{WorkCell::of_text("start")};
    for (std::size_t c = 1; c < columns.size(); ++c)
      start.push_back(columns[c].start.empty()
                          ? WorkCell{}
                          : WorkCell::of_formula(columns[c].start, 0, columns[c].format));
    schedule.rows.push_back(std::move(start));
    // Each quantity column's field of the month, for its cached values.
    std::vector<Tracked Month<Tracked>::*> fields(columns.size(), nullptr);
    for (std::size_t c = 0; c < columns.size(); ++c)
      for (const auto& [name, field] : month_quantities<Tracked>())
        if (columns[c].quantity && name == columns[c].header) fields[c] = field;
    const int first_year = model.start().empty() ? 0 : std::stoi(model.start().substr(0, 4));
    const int first_month = model.start().empty() ? 0 : std::stoi(model.start().substr(5, 2)) - 1;
    for (int m = 0; m < k_workbook_months; ++m) {
      const std::string row = std::to_string(k_first_row + m);
      const std::string prev = std::to_string(k_first_row + m - 1);
      std::vector<WorkCell> cells{WorkCell::of_number(m, CellFormat::months)};
      for (std::size_t c = 1; c < columns.size(); ++c) {
        const Column& col = columns[c];
        if (col.each.empty()) {  // the calendar: year, then month
          const int y = first_year + (first_month + m) / 12, mo = (first_month + m) % 12 + 1;
          cells.push_back(col.header == "year" ? WorkCell::of_number(y, CellFormat::plain)
                                               : WorkCell::of_text(fmt::format("{}-{:02}", y, mo)));
          continue;
        }
        std::string f;
        f.reserve(col.each.size() + 16);
        for (char ch : col.each)
          f += ch == k_row ? row : ch == k_prev ? prev : std::string(1, ch);
        const double cached = fields[c] && static_cast<std::size_t>(m) < months.size()
                                  ? (months[static_cast<std::size_t>(m)].*fields[c]).v
                                  : 0;
        if (m + 1 == k_workbook_months)
          check_formula(scenario.file, "Schedule's column " + col.header, f);
        cells.push_back(WorkCell::of_formula(std::move(f), cached, col.format));
      }
      schedule.rows.push_back(std::move(cells));
    }
  }

  WorkSheet sources{"Sources", {}, {}};
  sources.rows.push_back({header("id"), header("title"), header("publisher"), header("date"),
                          header("kind"), header("url")});
  std::vector<std::string> seen;
  auto add_source = [&](const Source& s) {
    if (std::find(seen.begin(), seen.end(), s.id) != seen.end()) return;
    seen.push_back(s.id);
    sources.rows.push_back({WorkCell::of_text(s.id), WorkCell::of_text(s.title),
                            WorkCell::of_text(s.publisher), WorkCell::of_text(s.date),
                            WorkCell::of_text(s.kind), WorkCell::of_text(s.url)});
  };
  for (const Source& s : scenario.sources)
    add_source(s);
  for (const Row& r : report.rows)  // the catalog's, as the report cites them
    for (const std::string& id : r.sources)
      for (const Source& s : scenario.catalog.sources)
        if (s.id == id) add_source(s);

  plan.sheets.push_back(std::move(inputs));
  plan.sheets.push_back(std::move(sheet));
  if (!schedule.rows.empty()) plan.sheets.push_back(std::move(schedule));
  plan.sheets.push_back(std::move(sources));
  for (WorkSheet& s : plan.sheets)
    s.widths = fitted_widths(s);
  return plan;
}

}  // namespace leasecalc
