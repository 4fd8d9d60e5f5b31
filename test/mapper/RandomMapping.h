//===- test/mapper/RandomMapping.h - Seeded random legal mappings -*- C++ -*-//
#ifndef TESSEL_TEST_MAPPER_RANDOMMAPPING_H
#define TESSEL_TEST_MAPPER_RANDOMMAPPING_H

#include "arch/Arch.h"
#include "mapper/Mapping.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <random>

namespace tessel::testing {

inline std::vector<int64_t> primeFactors(int64_t n) {
  std::vector<int64_t> primes;
  for (int64_t p = 2; p * p <= n; ++p)
    while (n % p == 0) {
      primes.push_back(p);
      n /= p;
    }
  if (n > 1)
    primes.push_back(n);
  return primes;
}

/// A random mapping whose factors multiply exactly to the bounds and whose
/// spatial factors fit the fan-outs; capacities are not considered.
inline Mapping randomMapping(const Problem &problem, const Arch &arch,
                             std::mt19937_64 &rng) {
  unsigned levelCount = arch.levelCount();
  unsigned dimCount = problem.dims.size();
  // factor[level][slot][dim]; slot 0 temporal, 1 X, 2 Y.
  std::vector<std::vector<std::vector<int64_t>>> factor(
      levelCount,
      std::vector<std::vector<int64_t>>(3, std::vector<int64_t>(dimCount, 1)));
  std::vector<std::array<int64_t, 2>> spatialUsed(levelCount, {1, 1});
  for (unsigned d = 0; d < dimCount; ++d)
    for (int64_t prime : primeFactors(problem.dims[d].bound)) {
      unsigned level = rng() % levelCount;
      unsigned slot = rng() % 3;
      if (slot != 0) {
        unsigned axis = slot - 1;
        if (spatialUsed[level][axis] * prime >
            int64_t(arch.levels[level].fanout[axis]))
          slot = 0;
        else
          spatialUsed[level][axis] *= prime;
      }
      factor[level][slot][d] *= prime;
    }
  Mapping mapping;
  for (unsigned l = 0; l < levelCount; ++l) {
    LevelMapping level;
    std::vector<unsigned> order(dimCount);
    for (unsigned d = 0; d < dimCount; ++d)
      order[d] = d;
    std::shuffle(order.begin(), order.end(), rng);
    for (unsigned d : order)
      if (factor[l][0][d] > 1 || rng() % 4 == 0)
        level.temporal.push_back({d, factor[l][0][d]});
    for (unsigned d : order)
      for (unsigned axis = 0; axis < 2; ++axis)
        if (factor[l][1 + axis][d] > 1)
          level.spatial.push_back(
              {d, factor[l][1 + axis][d],
               axis == 0 ? SpatialAxis::X : SpatialAxis::Y});
    unsigned tensorCount = problem.tensors.size();
    level.keepMask = l == 0 ? (1u << tensorCount) - 1
                            : 1u + rng() % ((1u << tensorCount) - 1);
    mapping.levels.push_back(std::move(level));
  }
  return mapping;
}

} // namespace tessel::testing

#endif
