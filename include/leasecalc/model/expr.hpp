// Expressions: the third reading of a formula, beside `double` and `Tracked`.
//
// `Expr` is a number type whose arithmetic builds a tree instead of a value: a formula
// evaluated on Exprs over input leaves (`Expr::input("lease.occupancy")`) yields its own
// text, the one `explain` prints. Nothing is written beside the formula, so the text
// cannot drift from the code that computes the value. A loop over the contract's months
// reads as one month's expression in the month index `m`, summed or searched over the
// months (`sum`, `irr`, `payback`). Nodes are shared: a figure that enters another keeps
// its identity, and `Expr::text` prints it as `{its key}` rather than expanding it.
// Pure.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace leasecalc {

class Expr {
 public:
  enum class Op {
    input,     // a figure by key (name)
    constant,  // value
    month,     // the month index m
    add,
    sub,
    neg,
    mul,
    div,
    pow,
    max,
    min,
    ceil,
    floor,
    less,         // 1 when a < b, else 0
    at_least,     // 1 when a >= b, else 0
    both,         // 1 when a and b are both 1
    when,         // a when the condition b holds, else 0
    defined_if,   // a when the condition b holds, else undefined
    step,         // the ramp: args = {k, S1, S2, ...}, months in `steps`
    sum,          // a summed over m = 0 .. b - 1
    sum_in,       // a summed over the months m < b whose calendar year is `name`
    irr,          // the annual rate at which the flows args have an NPV of 0
    payback,      // the first month whose cumulative flows are >= 0
    select,       // a when the condition b holds, else c
    quantity,     // a month's quantity by name, at the month j of a sum_before
    sum_before,   // a (a quantity at j) summed over the months j = 0 .. m - 1
    least,        // the least a over months m = 0 .. b - 1 where a is defined
    least_at,     // the month (from 1) of that least a
    count_below,  // the number of months m = 0 .. b - 1 with a < c
    multiple,     // the flows args' inflows over their outflows' magnitudes
    interpolate,  // args = {k, V1, V2, ...} at months `steps`: linear between, flat outside
  };

  Expr() = default;
  explicit Expr(double value);  // a constant
  // A constant written as `text` ("1/12") rather than its value.
  static Expr constant(double value, std::string text);
  static Expr input(std::string key);
  static Expr month();
  static Expr node(Op op, std::vector<Expr> args, std::string name = {});
  static Expr step(Expr k, std::vector<int> months, std::vector<Expr> shares);
  static Expr interpolation(Expr k, std::vector<int> months, std::vector<Expr> values);

  Op op() const;
  double value() const;  // a constant's
  const std::string& name() const;
  const std::vector<Expr>& args() const;
  const std::vector<int>& steps() const;
  bool same(const Expr& other) const { return node_ == other.node_; }
  // The node's identity, for a map keyed by node (shared nodes are one).
  const void* id() const { return node_.get(); }
  bool empty() const { return !node_; }
  bool is_constant(double v) const;

  // The formula in figure keys, e.g. "{lease.annual_revenue} / {loss.annual_net_loss}".
  // `name_of(e)` gives the name of a node that is another figure ("{key}") or a month's
  // quantity ("revenue(m)"), or "" to write the node out. The root is always written out.
  std::string text(const std::function<std::string(const Expr&)>& name_of) const;

 private:
  struct Node;
  std::shared_ptr<const Node> node_;
};

// Arithmetic that folds the identities a formula with absent inputs would print
// (x + 0, x - 0, x * 1, x / 1), so the text reads as the scenario is.
Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator/(const Expr& a, const Expr& b);
Expr max_of(const Expr& a, const Expr& b);
Expr min_of(const Expr& a, const Expr& b);
Expr power(const Expr& base, const Expr& exponent);

}  // namespace leasecalc
