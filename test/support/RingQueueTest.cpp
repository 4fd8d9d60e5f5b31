//===- test/support/RingQueueTest.cpp - RingQueue against std::deque ------===//
#include "support/RingQueue.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>

namespace tessel {
namespace {

TEST(RingQueue, BehavesLikeADequeOnSeededOperations) {
  // Pushes and pops in random runs (so the ring wraps and grows while
  // holding elements), compared with std::deque after every operation.
  std::mt19937_64 rng(11);
  RingQueue<uint64_t> ring;
  std::deque<uint64_t> reference;
  for (int i = 0; i < 200000; ++i) {
    bool push = reference.empty() || rng() % 100 < 52;
    if (push) {
      uint64_t value = rng();
      ring.push_back(value);
      reference.push_back(value);
    } else {
      ASSERT_EQ(ring.front(), reference.front());
      ring.pop_front();
      reference.pop_front();
    }
    ASSERT_EQ(ring.size(), reference.size());
    if (!reference.empty()) {
      ASSERT_EQ(ring.front(), reference.front());
      ASSERT_EQ(ring[reference.size() - 1], reference.back());
    }
  }
}

TEST(RingQueue, PopReleasesWhatAnElementHolds) {
  RingQueue<std::shared_ptr<int>> ring;
  auto value = std::make_shared<int>(7);
  ring.push_back(value);
  EXPECT_EQ(value.use_count(), 2);
  ring.pop_front();
  EXPECT_EQ(value.use_count(), 1);
  EXPECT_TRUE(ring.empty());
}

} // namespace
} // namespace tessel
