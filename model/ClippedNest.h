//===- model/ClippedNest.h - The executed iterations of a residual nest -*- C++
//-*-===//
//
// A residual mapping clips every loop to the bounds (docs/model.md,
// "Factorization"): along a dimension of bound B, the executed index
// tuples of its temporal loops are those whose position (sum of index x
// stride) lies below B. Different dimensions' tuples combine freely, so
// counts over the nest multiply per dimension.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_CLIPPEDNEST_H
#define TESSEL_MODEL_CLIPPEDNEST_H

#include "model/NestAnalysis.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tessel::clipped {

/// The last index a loop of `factor` and `stride` runs when `remaining`
/// (>= 1) points of its dimension are left from its first iteration.
inline int64_t lastIndex(int64_t remaining, int64_t stride, int64_t factor) {
  return std::min(factor - 1, (remaining - 1) / stride);
}

/// Calls visit(index, position) for every executed index tuple of
/// `loops` (nest positions of one dimension's loops, outer first) whose
/// position is below `bound`, in odometer order.
template <typename Visit>
void forEachExecuted(const std::vector<NestLoop> &nest,
                     const std::vector<size_t> &loops, int64_t bound,
                     Visit visit) {
  std::vector<int64_t> index(loops.size(), 0);
  if (bound <= 0)
    return;
  auto recurse = [&](auto &self, size_t j, int64_t position) -> void {
    if (j == loops.size()) {
      visit(index, position);
      return;
    }
    const NestLoop &loop = nest[loops[j]];
    int64_t last = lastIndex(bound - position, loop.stride, loop.factor);
    for (int64_t k = 0; k <= last; ++k) {
      index[j] = k;
      self(self, j + 1, position + k * loop.stride);
    }
    index[j] = 0;
  };
  recurse(recurse, 0, 0);
}

/// How many tuples forEachExecuted visits.
inline uint64_t executedCount(const std::vector<NestLoop> &nest,
                              const std::vector<size_t> &loops, int64_t bound) {
  uint64_t count = 0;
  forEachExecuted(nest, loops, bound,
                  [&](const std::vector<int64_t> &, int64_t) { ++count; });
  return count;
}

} // namespace tessel::clipped

#endif // TESSEL_MODEL_CLIPPEDNEST_H
