#include "leasecalc/model/keyset.hpp"

#include "leasecalc/model/text.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>
#include <unordered_map>

namespace leasecalc {
namespace {

constexpr std::uint32_t k_leaf = std::numeric_limits<std::uint32_t>::max();

// A node: a leaf (left == k_leaf, right the name's index) or the union of two nodes.
// `partner` and `result`: the last union made with this node, kept in both nodes and
// found there before the table is searched (a contract's month unites the same pairs as
// the month before, and both nodes' memory is read anyway).
struct Node {
  std::uint32_t left, right;
  std::uint32_t partner = 0, result = 0;
};

// The unions made, by their two nodes: open addressing with linear probing (a contract
// of 10,000 tenants looks one up for every step of every month).
class UnionTable {
 public:
  // The node for the pair, or 0.
  std::uint32_t find(std::uint64_t pair) const {
    if (slots_.empty()) return 0;
    for (std::size_t i = hash(pair);; i = (i + 1) & mask()) {
      if (slots_[i].node == 0) return 0;
      if (slots_[i].pair == pair) return slots_[i].node;
    }
  }
  void insert(std::uint64_t pair, std::uint32_t node) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(pair, node);
    ++size_;
  }
  void clear() {
    slots_.clear();
    size_ = 0;
  }

 private:
  struct Slot {
    std::uint64_t pair = 0;
    std::uint32_t node = 0;  // 0: empty
  };
  std::size_t mask() const { return slots_.size() - 1; }
  std::size_t hash(std::uint64_t pair) const {
    return static_cast<std::size_t>((pair * 0x9E3779B97F4A7C15ULL) >> 20) & mask();
  }
  void place(std::uint64_t pair, std::uint32_t node) {
    std::size_t i = hash(pair);
    while (slots_[i].node != 0)
      i = (i + 1) & mask();
    slots_[i] = {pair, node};
  }
  void grow() {
    std::vector<Slot> old(std::max<std::size_t>(64, 2 * slots_.size()));
    old.swap(slots_);
    for (const Slot& slot : old)
      if (slot.node != 0) place(slot.pair, slot.node);
  }
  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

struct Store {
  std::mutex mutex;
  std::atomic<std::size_t> handles{0};    // live handles on non-empty sets
  std::vector<Node> nodes{{0, 0, 0, 0}};  // node 0 is the empty set
  std::vector<std::string> names;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> leaves;
  UnionTable unions;
  std::vector<std::uint32_t> seen;  // list()'s marks: the walk's number
  std::uint32_t walk = 0;

  void clear() {
    nodes.assign(1, Node{0, 0, 0, 0});
    names.clear();
    leaves.clear();
    unions.clear();
    seen.clear();
    walk = 0;
  }
  std::uint32_t add(Node node) {
    nodes.push_back(node);
    return static_cast<std::uint32_t>(nodes.size() - 1);
  }
  std::uint32_t leaf(std::string_view name) {
    if (auto it = leaves.find(name); it != leaves.end()) return it->second;
    names.emplace_back(name);
    const std::uint32_t id = add({k_leaf, static_cast<std::uint32_t>(names.size() - 1), 0, 0});
    leaves.emplace(std::string(name), id);
    return id;
  }
  // Whether node `outer` is the union of `inner` and another set.
  bool holds(std::uint32_t outer, std::uint32_t inner) const {
    const Node& n = nodes[outer];
    return n.left != k_leaf && (n.left == inner || n.right == inner);
  }
  std::uint32_t unite(std::uint32_t a, std::uint32_t b) {
    if (holds(a, b)) return a;
    if (holds(b, a)) return b;
    const auto [lo, hi] = std::minmax(a, b);
    if (nodes[lo].partner == hi) return nodes[lo].result;
    if (nodes[hi].partner == lo) return nodes[hi].result;
    const std::uint64_t pair = (std::uint64_t{lo} << 32) | hi;
    std::uint32_t id = unions.find(pair);
    if (id == 0) {
      id = add({lo, hi, 0, 0});
      unions.insert(pair, id);
    }
    nodes[lo].partner = hi;
    nodes[lo].result = id;
    nodes[hi].partner = lo;
    nodes[hi].result = id;
    return id;
  }
};

Store& store() {
  static Store s;
  return s;
}

}  // namespace

// Under the store's lock: a handle on node `id`.
KeySet::KeySet(std::uint32_t id) : id_(id) {
  if (id_ != 0) store().handles.fetch_add(1, std::memory_order_relaxed);
}

KeySet::KeySet(std::string_view name) {
  Store& s = store();
  std::lock_guard lock(s.mutex);
  *this = KeySet(s.leaf(name));
}

KeySet::KeySet(const std::vector<std::string>& names) {
  Store& s = store();
  std::lock_guard lock(s.mutex);
  std::uint32_t id = 0;
  for (const auto& name : names) {
    const std::uint32_t leaf = s.leaf(name);
    id = id == 0 ? leaf : s.unite(id, leaf);
  }
  *this = KeySet(id);
}

KeySet::KeySet(const KeySet& other) : id_(other.id_) {
  if (id_ != 0) store().handles.fetch_add(1, std::memory_order_relaxed);
}

KeySet& KeySet::operator=(const KeySet& other) {
  if (this != &other) *this = KeySet(other);
  return *this;
}

KeySet& KeySet::operator=(KeySet&& other) noexcept {
  std::swap(id_, other.id_);
  return *this;
}

KeySet::~KeySet() {
  if (id_ == 0) return;
  Store& s = store();
  if (s.handles.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  // The last handle: free the table, unless a handle was made meanwhile (under the lock).
  std::lock_guard lock(s.mutex);
  if (s.handles.load(std::memory_order_acquire) == 0) s.clear();
}

KeySet operator|(const KeySet& a, const KeySet& b) {
  if (b.id_ == 0 || a.id_ == b.id_) return a;
  if (a.id_ == 0) return b;
  Store& s = store();
  std::lock_guard lock(s.mutex);
  return KeySet(s.unite(a.id_, b.id_));
}

template <class F>
void KeySet::walk(F&& f) const {
  if (id_ == 0) return;
  Store& s = store();
  std::lock_guard lock(s.mutex);
  if (++s.walk == 0) {  // the marks' numbers wrapped: start them again
    std::fill(s.seen.begin(), s.seen.end(), 0);
    s.walk = 1;
  }
  s.seen.resize(s.nodes.size(), 0);
  std::vector<std::uint32_t> stack{id_};
  while (!stack.empty()) {
    const std::uint32_t id = stack.back();
    stack.pop_back();
    if (s.seen[id] == s.walk) continue;
    s.seen[id] = s.walk;
    const Node& n = s.nodes[id];
    if (n.left != k_leaf) {
      stack.push_back(n.right);
      stack.push_back(n.left);
    } else if (!f(s.names[n.right])) {
      return;
    }
  }
}

std::vector<std::string> KeySet::list() const {
  std::vector<std::string> out;
  walk([&](const std::string& name) {
    out.push_back(name);
    return true;
  });
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t KeySet::count(std::size_t at_most) const {
  std::size_t n = 0;
  walk([&](const std::string&) { return ++n <= at_most; });
  return n;
}

}  // namespace leasecalc
