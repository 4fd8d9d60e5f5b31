//===- test/model/BruteForce.h - The reference the models must equal -*- C++
//-*-===//
//
// Walks a mapping's whole loop nest in time order, keeps an explicit set of
// the words every buffer instance holds, and counts each fill, read and
// update as it happens (docs/model.md, "The box-buffer semantics"), and
// every word each network carries: per step, per instance of the
// network's level, the words its children need grouped per word, with the
// hops from the network's graph for that set of children. A residual
// mapping's nest is walked clipped: no point beyond a bound is run, a tile
// holds only the points inside the bounds (an idle instance holds none).
// Slow on purpose;
// for small problems only.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TEST_MODEL_BRUTEFORCE_H
#define TESSEL_TEST_MODEL_BRUTEFORCE_H

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "workloads/Problem.h"

#include <cstdint>
#include <vector>

namespace tessel::testing {

struct BruteCounts {
  uint64_t reads = 0;
  uint64_t fills = 0;
  uint64_t updates = 0;
  /// On the level's network: words sent (a multicast once) and word-hops.
  uint64_t networkWords = 0;
  uint64_t networkHops = 0;
  /// Coverage, not a count the models report: words multicast once to
  /// instances whose boxes differ (halo sharing), and words this level's
  /// network carried for a tensor the level bypasses.
  uint64_t sharedAcrossBoxes = 0;
  uint64_t relayed = 0;
};

/// The whole walk: counts[level][tensor], the MACs run (none beyond a
/// bound of a residual mapping) and the time steps run.
struct BruteWalk {
  std::vector<std::vector<BruteCounts>> counts;
  uint64_t macs = 0;
  uint64_t steps = 0;
};
BruteWalk bruteForceWalk(const Problem &problem, const Arch &arch,
                         const Mapping &mapping);

/// counts[level][tensor].
std::vector<std::vector<BruteCounts>> bruteForceCounts(const Problem &problem,
                                                       const Arch &arch,
                                                       const Mapping &mapping);

} // namespace tessel::testing

#endif
