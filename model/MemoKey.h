//===- model/MemoKey.h - 128-bit fingerprints for the models' memos -*- C++ -*-//
//
// The analytical models memoise per thread what many mappings of a search
// share (model/NestAnalysis.cpp, model/SpatialGroups.cpp). A key is the
// fingerprint of the values its answer depends on, pushed one by one.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_MEMOKEY_H
#define TESSEL_MODEL_MEMOKEY_H

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace tessel {

struct MemoKey {
  // Two independent 64-bit hashes of the values pushed: a 128-bit
  // fingerprint (a collision would need ~2^64 distinct keys), so a memo
  // compares 16 bytes instead of the whole list.
  uint64_t first = 1469598103934665603ull;
  uint64_t second = 0x9e3779b97f4a7c15ull;

  void push(int64_t value) {
    first = (first ^ uint64_t(value)) * 1099511628211ull;
    second = (second + uint64_t(value) + 0x9e3779b97f4a7c15ull) *
             0xbf58476d1ce4e5b9ull;
    second ^= second >> 31;
  }
  bool operator==(const MemoKey &other) const {
    return first == other.first && second == other.second;
  }
};

struct MemoKeyHash {
  size_t operator()(const MemoKey &key) const { return size_t(key.first); }
};

/// A memo of values by MemoKey in one flat open-addressing table: a lookup
/// touches one slot (a node-based map chases three pointers, each a cache
/// miss in a table this large). Values stay where they are until clear():
/// the table never grows; once it is three-quarters full, new values go to
/// an overflow list until the next clear().
///
/// The table comes from calloc: a table this large is fresh zero pages
/// from the kernel, each faulted in only when first touched, and all-zero
/// bytes are an empty slot (generation 0). A one-op evaluation touches a
/// few pages of the models' 8 MB of memos instead of zeroing all of them
/// (2,000 page faults, most of a one-op `tessel eval`; issue 18). Hence
/// values trivially copyable and destructible.
template <typename Value> class FlatMemo {
  static_assert(std::is_trivially_copyable_v<Value> &&
                    std::is_trivially_destructible_v<Value>,
                "FlatMemo's slots are zeroed memory, never destroyed");

public:
  /// `slots` is rounded up to a power of two.
  explicit FlatMemo(size_t slots) {
    size_t n = 16;
    while (n < slots)
      n *= 2;
    table = static_cast<Slot *>(std::calloc(n, sizeof(Slot)));
    if (!table)
      throw std::bad_alloc();
    mask = n - 1;
  }
  ~FlatMemo() { std::free(table); }
  FlatMemo(const FlatMemo &) = delete;
  FlatMemo &operator=(const FlatMemo &) = delete;

  Value *find(const MemoKey &key) {
    for (size_t i = key.first & mask;; i = (i + 1) & mask) {
      Slot &slot = table[i];
      if (slot.generation != generation)
        break;
      if (slot.key == key)
        return &slot.value;
    }
    for (auto &[k, value] : overflow)
      if (k == key)
        return &value;
    return nullptr;
  }

  /// Stores `value` under `key` (not present); the result lives until
  /// clear().
  Value &insert(const MemoKey &key, Value value) {
    if (4 * (used + 1) > 3 * capacity()) {
      overflow.emplace_back(key, std::move(value));
      return overflow.back().second;
    }
    size_t i = key.first & mask;
    while (table[i].generation == generation)
      i = (i + 1) & mask;
    Slot &slot = table[i];
    slot.key = key;
    slot.value = std::move(value);
    slot.generation = generation;
    ++used;
    return slot.value;
  }

  size_t size() const { return used + overflow.size(); }
  size_t capacity() const { return mask + 1; }

  /// Forgets every value (no slot is touched: a generation ends).
  void clear() {
    if (++generation == 0) {
      for (size_t i = 0; i <= mask; ++i)
        table[i].generation = 0;
      generation = 1;
    }
    used = 0;
    overflow.clear();
  }

private:
  struct Slot {
    MemoKey key;
    uint32_t generation;
    Value value;
  };
  Slot *table = nullptr;
  size_t mask = 0;
  std::deque<std::pair<MemoKey, Value>> overflow;
  uint32_t generation = 1;
  size_t used = 0;
};

} // namespace tessel

#endif // TESSEL_MODEL_MEMOKEY_H
