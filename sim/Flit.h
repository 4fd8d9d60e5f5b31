//===- sim/Flit.h - What travels on a network -------------------*- C++ -*-===//
//
// A Flit is one word on one of the simulator's networks (sim/Noc.h): its
// tensor and coordinate tag, its value (functional mode), where it goes and,
// for a reduction, how many children's values it sums. A ChildSet is a set
// of children of one network instance: a 64-bit mask while every member is
// below 64, a sorted list beyond (a level can have 65536 children).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_FLIT_H
#define TESSEL_SIM_FLIT_H

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace tessel::sim {

/// A set of child indices, iterated in ascending order.
class ChildSet {
public:
  ChildSet() = default;
  ChildSet(std::initializer_list<uint32_t> children);
  /// Children first, first + 1, ..., first + count - 1.
  static ChildSet range(uint32_t first, uint32_t count);

  void insert(uint32_t child);
  /// Inserts every member of `other`.
  void insertAll(const ChildSet &other);
  void erase(uint32_t child);
  bool contains(uint32_t child) const;
  bool empty() const;
  size_t size() const;
  /// The smallest member; the set must not be empty.
  uint32_t front() const;
  /// The largest member; the set must not be empty.
  uint32_t back() const;
  std::vector<uint32_t> members() const;
  /// Calls visit(child) for each member, smallest first.
  template <typename Visit> void forEach(Visit &&visit) const {
    if (!sorted.empty()) {
      for (uint32_t child : sorted)
        visit(child);
      return;
    }
    for (uint32_t word = 0; word < kWords; ++word)
      for (uint64_t rest = bits[word]; rest != 0; rest &= rest - 1)
        visit(word * 64 + static_cast<uint32_t>(__builtin_ctzll(rest)));
  }

  bool operator==(const ChildSet &other) const {
    return bits == other.bits && sorted == other.sorted;
  }
  bool operator!=(const ChildSet &other) const { return !(*this == other); }
  /// "{0, 3, 70}".
  std::string str() const;

private:
  /// Sets of children below kMaskBits (every PE array up to 16x16) are a
  /// bit mask inside the flit: copying one allocates nothing.
  static constexpr uint32_t kWords = 4;
  static constexpr uint32_t kMaskBits = 64 * kWords;
  /// The members while every one is below kMaskBits and `sorted` is empty.
  std::array<uint64_t, kWords> bits{};
  /// Every member, ascending, once some member is kMaskBits or more.
  std::vector<uint32_t> sorted;
};

/// One end of a network instance: its parent (the source) or a child.
struct Endpoint {
  static constexpr uint32_t kParent = UINT32_MAX;
  uint32_t id = kParent;

  static Endpoint parent() { return {kParent}; }
  static Endpoint child(uint32_t child) { return {child}; }
  bool isParent() const { return id == kParent; }
  bool operator==(const Endpoint &other) const { return id == other.id; }
  /// "parent", "child3".
  std::string str() const;
};

enum class Direction : uint8_t {
  ToChildren, ///< To every child in `children` (one: a unicast).
  ToParent,   ///< From a child up to the parent.
};

struct Flit {
  uint32_t tensor = 0; ///< Which tensor the word belongs to.
  uint64_t tag = 0;    ///< Its coordinate (or any tag the sender chooses).
  uint64_t value = 0;  ///< Functional mode: the word's value.
  Direction direction = Direction::ToChildren;
  /// ToChildren: the destinations (a copy carries the subset it still has
  /// to reach). ToParent: the children whose values the parent wants summed
  /// into one word with this (tensor, tag, round), the sender among them;
  /// a plain drain names just its sender.
  ChildSet children;
  /// ToParent: how many children's values `value` sums.
  uint32_t contributions = 1;
  /// ToParent: how many of the network's children (members of
  /// `children`) this word stands for: 1 as sent, more once joined on its
  /// way. A join completes when every member on its routes has arrived,
  /// whatever each carries (a member may send a sum already reduced
  /// below).
  uint32_t senders = 1;
  /// A label the sender gives (the structural simulator: the receiving
  /// level's tile a partial sum belongs to); routers carry it unchanged.
  uint64_t epoch = 0;
  /// ToParent: which of the senders' own tiles the sum comes from (the
  /// structural simulator: the sending level's epoch). A reduction joins
  /// only sums of one (tensor, tag, round): the same word drained again from
  /// a later tile is another reduction. Routers carry it unchanged.
  uint64_t round = 0;

  /// The same word with another set of destinations (every other field
  /// copied; the caller's large set is not).
  Flit withChildren(ChildSet to) const {
    Flit copy;
    copy.tensor = tensor;
    copy.tag = tag;
    copy.value = value;
    copy.direction = direction;
    copy.children = std::move(to);
    copy.contributions = contributions;
    copy.senders = senders;
    copy.epoch = epoch;
    copy.round = round;
    return copy;
  }
};

/// A flit as its destination receives it.
struct Delivery {
  Flit flit;
  uint64_t cycle = 0; ///< The cycle in which it reached the endpoint.
};

} // namespace tessel::sim

#endif // TESSEL_SIM_FLIT_H
