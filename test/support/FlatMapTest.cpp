//===- test/support/FlatMapTest.cpp ---------------------------------------===//
//
// FlatMap against std::unordered_map on seeded random inserts, lookups and
// erases (keys drawn from a small range so that probe runs collide, wrap
// around the array's end and get erased from the middle).
//
//===----------------------------------------------------------------------===//
#include "support/FlatMap.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

namespace tessel {
namespace {

TEST(FlatMapTest, AgreesWithUnorderedMapOnRandomOperations) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 random(seed);
    FlatMap<int64_t> flat;
    std::unordered_map<uint64_t, int64_t> reference;
    uint64_t range = 8 + seed * 13;
    for (int op = 0; op < 20000; ++op) {
      uint64_t key = random() % range;
      switch (random() % 3) {
      case 0: {
        auto [value, fresh] = flat.tryEmplace(key);
        ASSERT_EQ(fresh, reference.count(key) == 0) << "seed " << seed;
        *value += int64_t(op);
        reference[key] += int64_t(op);
        break;
      }
      case 1:
        ASSERT_EQ(flat.erase(key), reference.erase(key) == 1)
            << "seed " << seed;
        break;
      default: {
        int64_t *value = flat.find(key);
        auto it = reference.find(key);
        ASSERT_EQ(value != nullptr, it != reference.end()) << "seed " << seed;
        if (value) {
          ASSERT_EQ(*value, it->second) << "seed " << seed;
        }
        break;
      }
      }
      ASSERT_EQ(flat.size(), reference.size());
    }
    size_t visited = 0;
    flat.forEach([&](uint64_t key, int64_t value) {
      ++visited;
      EXPECT_EQ(reference.at(key), value);
    });
    EXPECT_EQ(visited, reference.size());
  }
}

TEST(FlatMapTest, ErasedEntriesLeaveNoValueBehind) {
  FlatMap<std::vector<int>> flat;
  flat[5].push_back(1);
  EXPECT_TRUE(flat.erase(5));
  EXPECT_FALSE(flat.contains(5));
  EXPECT_TRUE(flat[5].empty()); // A fresh entry, not the old vector.
  EXPECT_THROW(flat.tryEmplace(FlatMap<int>::kEmpty), std::logic_error);
}

} // namespace
} // namespace tessel
