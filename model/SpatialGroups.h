//===- model/SpatialGroups.h - Instances grouped by their box -*- C++ -*-===//
//
// The spatial loops between two levels pick one instance of the lower level
// each; an instance's box of a tensor starts at the sum, over the loops, of
// its index times the loop's offset. Instances with the same origin form a
// group (they share every word: a multicast down, a reduction up), and a
// group spans some children of one network.
//
// countGroups() gives the group count and the network's hop sums without
// visiting the instances one by one: loops that move no coordinate only
// replicate each group over children, loops that move coordinates no other
// loop moves give distinct origins, and only loops that move a shared
// coordinate (a sliding window: an output row and a filter row both spread)
// are enumerated, alone. A child's index is linear in the loops' indices,
// so a group's children are a sum of small sets; the work grows with the
// network's children, never with the product of every level's fan-out.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_SPATIALGROUPS_H
#define TESSEL_MODEL_SPATIALGROUPS_H

#include "model/NestAnalysis.h"

#include <cstdint>
#include <vector>

namespace tessel {

struct Network;

/// One spatial loop: its factor and, if it spreads over the network's own
/// children, the child-index step of one index (children are numbered
/// x-fastest; 0 for a loop of another level).
struct SpreadLoop {
  int64_t factor = 1;
  int64_t childWeight = 0;
  bool atNetwork = false;
};

/// The groups of the instances the loops pick (outer to inner, as in the
/// nest; `offsets[i * width + c]` is how far loop i moves coordinate c per
/// index) and their hops on `network`. Fills `closest` (see
/// GroupTraffic::closest); the answer's `closest` is left null.
/// `networkKey` identifies what the network's hop counts depend on (its
/// part is memoised per thread under it).
GroupTraffic countGroups(const std::vector<SpreadLoop> &loops,
                         const std::vector<int64_t> &offsets, size_t width,
                         const Network &network, uint64_t networkKey,
                         std::vector<int64_t> &closest);

/// Empties this thread's memo of countGroups().
void clearGroupMemo();

} // namespace tessel

#endif // TESSEL_MODEL_SPATIALGROUPS_H
