//===- support/FlatMap.h - An open-addressing map from 64-bit keys -*- C++ -*-//
//
// A hash map from uint64_t keys to values, stored in one array (linear
// probing, backward-shift deletion): no allocation per entry, so the hot
// loops that insert and erase millions of words (the simulator's operand
// registers and pending requests) do not call malloc. UINT64_MAX is not a
// valid key. Pointers returned by find and tryEmplace stay valid until the
// next insertion; erase moves later entries of the same probe run.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_FLATMAP_H
#define TESSEL_SUPPORT_FLATMAP_H

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

namespace tessel {

template <typename V> class FlatMap {
public:
  static constexpr uint64_t kEmpty = ~uint64_t(0);

  size_t size() const { return count; }
  bool empty() const { return count == 0; }

  V *find(uint64_t key) {
    if (count == 0)
      return nullptr;
    for (size_t i = home(key);; i = (i + 1) & mask) {
      if (slots[i].key == key)
        return &slots[i].value;
      if (slots[i].key == kEmpty)
        return nullptr;
    }
  }
  const V *find(uint64_t key) const {
    return const_cast<FlatMap *>(this)->find(key);
  }
  bool contains(uint64_t key) const { return find(key) != nullptr; }

  /// The entry of `key`, value-initialised if new; whether it is new.
  std::pair<V *, bool> tryEmplace(uint64_t key) {
    if (key == kEmpty)
      throw std::logic_error("FlatMap: the key UINT64_MAX is reserved");
    if (2 * (count + 1) > slots.size())
      grow();
    size_t i = home(key);
    for (; slots[i].key != kEmpty; i = (i + 1) & mask)
      if (slots[i].key == key)
        return {&slots[i].value, false};
    slots[i].key = key;
    ++count;
    return {&slots[i].value, true};
  }
  V &operator[](uint64_t key) { return *tryEmplace(key).first; }

  /// Removes `key`; whether it was there.
  bool erase(uint64_t key) {
    if (count == 0)
      return false;
    size_t i = home(key);
    while (slots[i].key != key) {
      if (slots[i].key == kEmpty)
        return false;
      i = (i + 1) & mask;
    }
    // Backward shift: later entries of the run whose home is not between
    // the hole and them move into the hole.
    for (size_t j = (i + 1) & mask; slots[j].key != kEmpty;
         j = (j + 1) & mask) {
      size_t k = home(slots[j].key);
      bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
      if (stays)
        continue;
      slots[i].key = slots[j].key;
      slots[i].value = std::move(slots[j].value);
      i = j;
    }
    slots[i].key = kEmpty;
    slots[i].value = V();
    --count;
    return true;
  }

  void clear() {
    for (Slot &slot : slots)
      slot = Slot();
    count = 0;
  }

  /// Calls visit(key, value) for every entry, in slot order (deterministic
  /// for the same sequence of operations). The map must not change during
  /// the walk.
  template <typename Visit> void forEach(Visit &&visit) {
    for (Slot &slot : slots)
      if (slot.key != kEmpty)
        visit(slot.key, slot.value);
  }
  template <typename Visit> void forEach(Visit &&visit) const {
    for (const Slot &slot : slots)
      if (slot.key != kEmpty)
        visit(slot.key, slot.value);
  }

private:
  struct Slot {
    uint64_t key = kEmpty;
    V value{};
  };
  std::vector<Slot> slots;
  size_t count = 0;
  size_t mask = 0;
  unsigned shift = 64;

  size_t home(uint64_t key) const {
    return size_t((key * 0x9E3779B97F4A7C15ull) >> shift) & mask;
  }
  void grow() {
    size_t capacity = slots.empty() ? 16 : 2 * slots.size();
    std::vector<Slot> old;
    old.swap(slots);
    slots.resize(capacity);
    mask = capacity - 1;
    shift = 64;
    for (size_t c = capacity; c > 1; c >>= 1)
      --shift;
    count = 0;
    for (Slot &slot : old)
      if (slot.key != kEmpty) {
        size_t i = home(slot.key);
        while (slots[i].key != kEmpty)
          i = (i + 1) & mask;
        slots[i].key = slot.key;
        slots[i].value = std::move(slot.value);
        ++count;
      }
  }
};

} // namespace tessel

#endif // TESSEL_SUPPORT_FLATMAP_H
