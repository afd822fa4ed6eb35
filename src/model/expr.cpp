#include "leasecalc/model/expr.hpp"

#include <fmt/format.h>
#include <stdexcept>

#include "leasecalc/model/text.hpp"

namespace leasecalc {

struct Expr::Node {
  Op op;
  double value = 0;
  std::string name;  // an input's key; a constant's text ("1/12"); a calendar year
  std::vector<Expr> args;
  std::vector<int> steps;  // a ramp's months
};

Expr::Expr(double value)
    : node_(std::make_shared<const Node>(Node{Op::constant, value, {}, {}, {}})) {}

Expr Expr::constant(double value, std::string text) {
  Expr e;
  e.node_ = std::make_shared<const Node>(Node{Op::constant, value, std::move(text), {}, {}});
  return e;
}

Expr Expr::input(std::string key) {
  Expr e;
  e.node_ = std::make_shared<const Node>(Node{Op::input, 0, std::move(key), {}, {}});
  return e;
}

Expr Expr::month() {
  Expr e;
  e.node_ = std::make_shared<const Node>(Node{Op::month, 0, {}, {}, {}});
  return e;
}

Expr Expr::node(Op op, std::vector<Expr> args, std::string name) {
  Expr e;
  e.node_ = std::make_shared<const Node>(Node{op, 0, std::move(name), std::move(args), {}});
  return e;
}

Expr Expr::step(Expr k, std::vector<int> months, std::vector<Expr> shares) {
  std::vector<Expr> args{std::move(k)};
  for (const Expr& share : shares)
    args.push_back(share);
  Expr e;
  e.node_ = std::make_shared<const Node>(Node{Op::step, 0, {}, std::move(args), std::move(months)});
  return e;
}

Expr Expr::interpolation(Expr k, std::vector<int> months, std::vector<Expr> values) {
  Expr e = step(std::move(k), std::move(months), std::move(values));
  e.node_ =
      std::make_shared<const Node>(Node{Op::interpolate, 0, {}, e.node_->args, e.node_->steps});
  return e;
}

Expr::Op Expr::op() const { return node_->op; }
double Expr::value() const { return node_->value; }
const std::string& Expr::name() const { return node_->name; }
const std::vector<Expr>& Expr::args() const { return node_->args; }
const std::vector<int>& Expr::steps() const { return node_->steps; }
bool Expr::is_constant(double v) const {
  return node_ && node_->op == Op::constant && node_->value == v;
}

Expr operator+(const Expr& a, const Expr& b) {
  if (b.is_constant(0)) return a;
  if (a.is_constant(0)) return b;
  return Expr::node(Expr::Op::add, {a, b});
}

Expr operator-(const Expr& a, const Expr& b) {
  if (b.is_constant(0)) return a;
  if (a.is_constant(0)) return Expr::node(Expr::Op::neg, {b});
  return Expr::node(Expr::Op::sub, {a, b});
}

Expr operator*(const Expr& a, const Expr& b) {
  if (b.is_constant(1)) return a;
  if (a.is_constant(1)) return b;
  if (a.is_constant(0) || b.is_constant(0)) return Expr(0);  // an absent cost reads as none
  return Expr::node(Expr::Op::mul, {a, b});
}

Expr operator/(const Expr& a, const Expr& b) {
  if (b.is_constant(1)) return a;
  return Expr::node(Expr::Op::div, {a, b});
}

namespace {
// max(max(a, b), c) reads max(a, b, c).
Expr flat(Expr::Op op, const Expr& a, const Expr& b) {
  std::vector<Expr> args;
  for (const Expr* e : {&a, &b})
    if (e->op() == op)
      args.insert(args.end(), e->args().begin(), e->args().end());
    else
      args.push_back(*e);
  return Expr::node(op, std::move(args));
}
}  // namespace

Expr max_of(const Expr& a, const Expr& b) { return flat(Expr::Op::max, a, b); }
Expr min_of(const Expr& a, const Expr& b) { return flat(Expr::Op::min, a, b); }
Expr power(const Expr& base, const Expr& exponent) {
  if (exponent.is_constant(1) || base.is_constant(1)) return base;
  return Expr::node(Expr::Op::pow, {base, exponent});
}

namespace {

// Binding strength: a child that binds more loosely than its parent is parenthesized. A
// constant written as a fraction ("1/12") binds as a division, a negative one as a sign.
int precedence(const Expr& e) {
  if (e.op() == Expr::Op::constant) {
    if (e.name().find('/') != std::string::npos) return 2;
    if (e.name().starts_with('-') || e.value() < 0) return 3;
  }
  switch (e.op()) {
    case Expr::Op::both:
      return -1;
    case Expr::Op::less:
    case Expr::Op::at_least:
    case Expr::Op::sum_before:  // "(sum over months j ...) + x": the sum ends where it is closed
      return 0;
    case Expr::Op::add:
    case Expr::Op::sub:
      return 1;
    case Expr::Op::mul:
    case Expr::Op::div:
      return 2;
    case Expr::Op::neg:
      return 3;
    case Expr::Op::pow:
      return 4;
    default:
      return 5;
  }
}

struct Printer {
  const std::function<std::string(const Expr&)>& name_of;

  std::string operand(const Expr& e, int parent, bool right_of_same = false) const {
    const std::string name = name_of(e);
    if (!name.empty()) return name;
    const int p = precedence(e);
    const std::string s = write(e);
    return p < parent || (right_of_same && p == parent) ? "(" + s + ")" : s;
  }

  // A left-nested chain of + and - (or x and /), written along its left side without
  // recursion: a sum over 10,000 tenants is 10,000 deep.
  static std::string_view chain_sign(Expr::Op op) {
    using Op = Expr::Op;
    return op == Op::add   ? "+"
           : op == Op::sub ? "-"
           : op == Op::mul ? "x"
           : op == Op::div ? "/"
                           : "";
  }
  std::string chain(const Expr& e) const {
    const int p = precedence(e);
    std::vector<const Expr*> spine{&e};
    const Expr* left = &e.args()[0];
    while (!chain_sign(left->op()).empty() && precedence(*left) == p && name_of(*left).empty()) {
      spine.push_back(left);
      left = &left->args()[0];
    }
    std::string out = operand(*left, p);
    for (auto it = spine.rbegin(); it != spine.rend(); ++it)
      out.append(" ")
          .append(chain_sign((*it)->op()))
          .append(" ")
          .append(operand((*it)->args()[1], p, true));
    return out;
  }

  std::string write(const Expr& e) const {
    using Op = Expr::Op;
    const auto& a = e.args();
    const int p = precedence(e);
    auto binary = [&](std::string_view sign) {
      return operand(a[0], p) + " " + std::string(sign) + " " + operand(a[1], p, true);
    };
    auto call = [&](std::string_view f) {
      std::string out = std::string(f) + "(";
      for (std::size_t i = 0; i < a.size(); ++i)
        out += (i ? ", " : "") + operand(a[i], -1);
      return out + ")";
    };
    switch (e.op()) {
      case Op::input:
        return "{" + e.name() + "}";
      case Op::constant:
        return e.name().empty() ? plain_number(e.value()) : e.name();
      case Op::month:
        return "m";
      case Op::add:
      case Op::sub:
      case Op::mul:
      case Op::div:
        return chain(e);
      case Op::neg:
        return "-" + operand(a[0], p + 1);
      case Op::pow:
        return operand(a[0], p + 1) + "^" + operand(a[1], 5);
      case Op::max:
        return call("max");
      case Op::min:
        return call("min");
      case Op::ceil:
        return operand(a[0], -1) + ", rounded up to a whole number";
      case Op::floor:
        return call("floor");
      case Op::less:
        return binary("<");
      case Op::at_least:
        return binary(">=");
      case Op::both:
        return binary("and");
      case Op::when:
        return "if(" + operand(a[1], -1) + ", " + operand(a[0], -1) + ", 0)";
      case Op::defined_if:
        return "if(" + operand(a[1], -1) + ", " + operand(a[0], -1) + ", undefined)";
      case Op::step: {
        std::string out = "online share at month " + operand(a[0], -1) + " (";
        for (std::size_t i = 0; i < e.steps().size(); ++i)
          out += fmt::format("{}from month {}: {}", i ? ", " : "", e.steps()[i],
                             operand(a[i + 1], -1));
        return out + "; before the first step: 0)";
      }
      case Op::sum:
        return "sum over months m = 0 .. " + operand(a[1], 1) + " - 1 of " + operand(a[0], 5);
      case Op::sum_in:
        return "sum over the months m < " + operand(a[1], -1) + " in " + e.name() + " of " +
               operand(a[0], 5);
      case Op::irr:
        return "the annual r at which " + operand(a[0], -1) + " at the start, " +
               operand(a[1], -1) + " at the end of each month m = 0 .. " + operand(a[2], 1) +
               " - 1, and " + operand(a[3], -1) + " at the end have an NPV of 0";
      case Op::payback:
        return "the first month m + 1 at which " + operand(a[0], 1) + " + the sum of " +
               operand(a[1], 5) + " over months 0 .. m is at least 0, m < " + operand(a[2], -1);
      case Op::interpolate: {
        std::string out = "market price at month " + operand(a[0], -1) + " (";
        for (std::size_t i = 0; i < e.steps().size(); ++i)
          out +=
              fmt::format("{}at month {}: {}", i ? ", " : "", e.steps()[i], operand(a[i + 1], -1));
        return out + "; linear between, flat outside)";
      }
      case Op::select:
        return "if(" + operand(a[1], -1) + ", " + operand(a[0], -1) + ", " + operand(a[2], -1) +
               ")";
      case Op::quantity:
        return e.name() + "(j)";
      case Op::sum_before:
        return "sum over months j = 0 .. m - 1 of " + operand(a[0], 5);
      case Op::least:
        return "the least " + operand(a[0], 5) + " over months m = 0 .. " + operand(a[1], 1) +
               " - 1 where it is defined";
      case Op::least_at:
        return "the first month m + 1 with the least " + operand(a[0], 5) + ", m < " +
               operand(a[1], -1);
      case Op::count_below:
        return "the number of months m = 0 .. " + operand(a[1], 1) + " - 1 with " +
               operand(a[0], 1) + " < " + operand(a[2], 1);
      case Op::multiple:
        return "the sum of the positive flows over the sum of the negative flows' magnitudes, "
               "among " +
               operand(a[0], -1) + " at the start, " + operand(a[1], -1) +
               " at the end of each month m = 0 .. " + operand(a[2], 1) + " - 1, and " +
               operand(a[3], -1) + " at the end";
    }
    throw std::logic_error("unknown expression node");
  }
};

}  // namespace

std::string Expr::text(const std::function<std::string(const Expr&)>& name_of) const {
  // The root is written out even when it is a figure of its own name. Other nodes that
  // name_of names are written as it says ("{lease.annual_revenue}", "revenue(m)").
  const std::function<std::string(const Expr&)> below = [&](const Expr& e) {
    return e.same(*this) ? std::string() : name_of(e);
  };
  return Printer{below}.write(*this);
}

}  // namespace leasecalc
