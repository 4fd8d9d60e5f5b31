//===- support/RingQueue.h - A FIFO that keeps its storage -----*- C++ -*-===//
//
// A first-in first-out queue in one growing power-of-two ring: push_back,
// front, pop_front, size. Unlike std::deque it never frees or allocates
// once it has grown to the most it held, so a queue that fills and drains
// every cycle (a link's pipeline, a router's input FIFO) costs no malloc.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_RINGQUEUE_H
#define TESSEL_SUPPORT_RINGQUEUE_H

#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace tessel {

template <typename T> class RingQueue {
public:
  bool empty() const { return count == 0; }
  size_t size() const { return count; }

  T &front() {
    assert(count);
    return slots[head];
  }
  const T &front() const {
    assert(count);
    return slots[head];
  }
  /// The i-th oldest element.
  const T &operator[](size_t i) const {
    return slots[(head + i) & (slots.size() - 1)];
  }
  T &operator[](size_t i) { return slots[(head + i) & (slots.size() - 1)]; }

  void push_back(T value) {
    if (count == slots.size())
      grow();
    slots[(head + count) & (slots.size() - 1)] = std::move(value);
    ++count;
  }
  void pop_front() {
    assert(count);
    slots[head] = T(); // Release what it holds.
    head = (head + 1) & (slots.size() - 1);
    --count;
  }
  void clear() {
    while (!empty())
      pop_front();
  }

private:
  std::vector<T> slots; ///< Size 0 or a power of two.
  size_t head = 0, count = 0;

  void grow() {
    std::vector<T> bigger(slots.empty() ? 4 : 2 * slots.size());
    for (size_t i = 0; i < count; ++i)
      bigger[i] = std::move((*this)[i]);
    slots = std::move(bigger);
    head = 0;
  }
};

} // namespace tessel

#endif // TESSEL_SUPPORT_RINGQUEUE_H
