//===- test/support/FastModTest.cpp ---------------------------------------===//
//
// Modulus against the % operator: every small divisor, powers of two and
// their neighbours, large divisors, on seeded random and extreme numerators.
//
//===----------------------------------------------------------------------===//
#include "support/FastMod.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace tessel {
namespace {

TEST(FastModTest, EqualsTheRemainderOperator) {
  std::vector<uint64_t> divisors;
  for (uint64_t d = 1; d <= 300; ++d)
    divisors.push_back(d);
  for (unsigned k = 9; k < 64; ++k)
    for (int64_t delta : {-1, 0, 1})
      divisors.push_back((uint64_t(1) << k) + uint64_t(delta));
  divisors.push_back(UINT64_MAX);
  divisors.push_back(UINT64_MAX - 1);
  divisors.push_back(0x9e3779b97f4a7c15ull);
  std::mt19937_64 rng(18);
  for (uint64_t d : divisors) {
    Modulus mod(d);
    std::vector<uint64_t> xs = {0, 1, d - 1, d, d + 1, UINT64_MAX,
                                UINT64_MAX - 1, UINT64_MAX / d * d};
    for (int i = 0; i < 2000; ++i)
      xs.push_back(rng() >> (rng() % 64));
    for (uint64_t x : xs)
      ASSERT_EQ(mod.of(x), x % d) << x << " % " << d;
  }
}

} // namespace
} // namespace tessel
