//===- mapping/RandomMapping.cpp -------------------------------------------===//
#include "mapping/RandomMapping.h"

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <array>

namespace tessel {
namespace {

/// A level index, level l drawn with weight levelCount - l.
unsigned drawLevel(unsigned levelCount, std::mt19937_64 &rng) {
  unsigned total = levelCount * (levelCount + 1) / 2;
  unsigned draw = unsigned(rng() % total);
  for (unsigned l = 0; l < levelCount; ++l) {
    unsigned weight = levelCount - l;
    if (draw < weight)
      return l;
    draw -= weight;
  }
  return 0;
}

} // namespace

void primeFactors(int64_t n, std::vector<int64_t> &primes) {
  primes.clear();
  for (int64_t p = 2; p * p <= n; ++p)
    while (n % p == 0) {
      primes.push_back(p);
      n /= p;
    }
  if (n > 1)
    primes.push_back(n);
}

std::vector<int64_t> primeFactors(int64_t n) {
  std::vector<int64_t> primes;
  primeFactors(n, primes);
  return primes;
}

Mapping randomMapping(const Problem &problem, const Arch &arch,
                      std::mt19937_64 &rng) {
  unsigned levelCount = arch.levelCount();
  unsigned dimCount = problem.dims.size();
  // factor[level][slot][dim]; slot 0 temporal, 1 spatial X, 2 spatial Y.
  std::vector<std::array<std::vector<int64_t>, 3>> factor(levelCount);
  for (auto &slots : factor)
    for (auto &perDim : slots)
      perDim.assign(dimCount, 1);
  std::vector<std::array<int64_t, 2>> spatialUsed(levelCount, {1, 1});
  for (unsigned d = 0; d < dimCount; ++d)
    for (int64_t prime : primeFactors(problem.dims[d].bound)) {
      unsigned level = drawLevel(levelCount, rng);
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
  unsigned tensorCount = problem.tensors.size();
  for (unsigned l = 0; l < levelCount; ++l) {
    LevelMapping level;
    std::vector<unsigned> order(dimCount);
    for (unsigned d = 0; d < dimCount; ++d)
      order[d] = d;
    std::shuffle(order.begin(), order.end(), rng);
    for (unsigned d : order)
      if (factor[l][0][d] > 1)
        level.temporal.push_back({d, factor[l][0][d]});
    for (unsigned d : order)
      for (unsigned axis = 0; axis < 2; ++axis)
        if (factor[l][1 + axis][d] > 1)
          level.spatial.push_back(
              {d, factor[l][1 + axis][d],
               axis == 0 ? SpatialAxis::X : SpatialAxis::Y});
    uint32_t allowed = 0;
    for (unsigned t = 0; t < tensorCount; ++t)
      if (arch.levels[l].keepsRole(tensorRole(problem, t)))
        allowed |= 1u << t;
    if (l == 0) {
      level.keepMask = (1u << tensorCount) - 1;
    } else {
      do
        level.keepMask = uint32_t(rng() % (1u << tensorCount)) & allowed;
      while (level.keepMask == 0 && allowed != 0);
    }
    mapping.levels.push_back(std::move(level));
  }
  return mapping;
}

std::optional<Mapping> randomLegalMapping(const Problem &problem,
                                          const Arch &arch,
                                          std::mt19937_64 &rng,
                                          unsigned attempts) {
  for (unsigned attempt = 0; attempt < attempts; ++attempt) {
    Mapping mapping = randomMapping(problem, arch, rng);
    if (verifyMapping(problem, arch, mapping).empty())
      return mapping;
  }
  return std::nullopt;
}

} // namespace tessel
