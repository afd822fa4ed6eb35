// A set of names (the input keys or the sources behind a tracked figure) as a handle on a
// shared, hash-consed union tree.
//
// Every arithmetic step of a `Tracked` number unites its operands' sets. As sorted lists,
// a sum over n tenants copied lists of 1, 2, .. n keys, in every month of the contract:
// quadratic in the tenants, 2.4 GB for 10,000 (issue 25). Here a union is one node, found
// again in a table when the same two sets meet again (the contract's next month builds the
// very same sets), so a scenario's sets take memory in proportion to its formulas, not to
// their products. list() walks a tree once, when a render asks for the names.
//
// The nodes live in one table per process, guarded by a mutex, and are freed when the
// last non-empty handle goes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leasecalc {

class KeySet {
 public:
  KeySet() = default;
  explicit KeySet(std::string_view name);
  explicit KeySet(const std::vector<std::string>& names);
  KeySet(const KeySet& other);
  KeySet(KeySet&& other) noexcept : id_(other.id_) { other.id_ = 0; }
  KeySet& operator=(const KeySet& other);
  KeySet& operator=(KeySet&& other) noexcept;
  ~KeySet();

  bool empty() const { return id_ == 0; }
  // The names, sorted, each once.
  std::vector<std::string> list() const;
  // How many names, counting no further than `at_most` + 1.
  std::size_t count(std::size_t at_most) const;
  // Both sets' names.
  friend KeySet operator|(const KeySet& a, const KeySet& b);

 private:
  // Calls `f(name)` for each name once, until it returns false.
  template <class F>
  void walk(F&& f) const;
  explicit KeySet(std::uint32_t id);  // takes a reference for a node of the table
  std::uint32_t id_ = 0;              // 0: the empty set
};

}  // namespace leasecalc
