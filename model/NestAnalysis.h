//===- model/NestAnalysis.h - Tiles, reuse and sharing of a loop nest -*- C++
//-*-===//
//
// The arithmetic shared by the analytical models. The mapping is flattened
// into one loop nest, outer to inner: level 0's temporal loops, its spatial
// loops, level 1's temporal loops, ... Every loop has a stride (the product
// of the factors of its dimension inside it). Temporal loops are time; the
// spatial loops above a level pick one of its instances; all instances run
// in lockstep. Level `levelCount()` stands for the compute units (a tile of
// one point).
//
// A level's instance holds, for each tensor, the dense box its tile spans.
// When the loops above it advance, the box moves by an offset that depends
// only on which loop advanced, so the words that enter the box are known
// in closed form per loop.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_NESTANALYSIS_H
#define TESSEL_MODEL_NESTANALYSIS_H

#include "mapping/Mapping.h"
#include "support/Checked.h"

#include <cstdint>
#include <vector>

namespace tessel {

struct Arch;
struct Problem;
struct SpreadLoop;
struct MemoKey;

struct NestLoop {
  unsigned dim = 0;
  int64_t factor = 1;
  int64_t stride = 1;
  unsigned level = 0;
  bool spatial = false;
  SpatialAxis axis = SpatialAxis::X;
};

/// Transfers between the instances of a level `from` and the instances
/// below them at `level`, on the network of level `network` (from <=
/// network < level): the instances under one instance of `from` grouped by
/// their box's origin (identical boxes share every transfer), and for each
/// group the children of `network`'s instance it spans.
struct GroupTraffic {
  uint64_t groups = 0;        ///< Distinct boxes under one `from` instance.
  uint64_t childPairs = 0;    ///< Sum over groups of the children spanned.
  uint64_t multicastHops = 0; ///< Per word, summed over groups.
  uint64_t reductionHops = 0; ///< Per word, summed over groups.
  uint64_t drainHops = 0;     ///< Every instance's word up alone, summed.
  /// Boxes of different groups overlap (share words) iff one of these
  /// vectors (|origin difference| per coordinate, `closestCount` of them,
  /// flat) is below the box's span in every coordinate.
  const int64_t *closest = nullptr;
  unsigned closestCount = 0;
};

/// One network's load: words it sends (a multicast counts once) and the
/// word-hops they take.
struct NetworkLoad {
  uint64_t words = 0;
  uint64_t hops = 0;
};

/// Not thread-safe: one NestAnalysis per evaluation (it is cheap).
class NestAnalysis {
public:
  NestAnalysis(const Problem &problem, const Arch &arch,
               const Mapping &mapping);
  ~NestAnalysis();
  NestAnalysis(const NestAnalysis &) = delete;
  NestAnalysis &operator=(const NestAnalysis &) = delete;

  unsigned levelCount() const { return levels; }
  const Problem &op() const { return problem; }
  const Mapping &mapped() const { return mapping; }
  const std::vector<NestLoop> &loops() const { return nest; }

  /// Whether the mapping is residual and clips a bound: then the steps,
  /// tiles, tile changes and executed MACs below are those of the clipped
  /// nest (docs/model.md, "Factorization"), and the access counts come
  /// from model/ClippedAccounting.cpp.
  bool clips() const { return clipping; }
  /// Product of all temporal factors: the steps every compute unit takes
  /// (clipped: the steps run).
  uint64_t temporalSteps() const { return steps; }
  /// Tiles one instance of `level` holds over the run: the product of the
  /// temporal factors above it (clipped: the tiles run).
  uint64_t epochs(unsigned level) const;
  /// How often the temporal loop at nest position `loop` (above `level`)
  /// advances over the run: the trips of the loops outside it times its
  /// factor - 1 (clipped: the advances run).
  uint64_t tileChanges(unsigned level, size_t loop) const;
  /// Instances of `level` that the spatial loops above it use (compute
  /// units for level == levelCount()).
  uint64_t activeInstances(unsigned level) const;
  /// Product of all factors (the MACs the mapping executes; clipped: the
  /// product of the bounds).
  uint64_t executedMacs() const;

  /// The extent of dimension `dim` in the tile at `level`.
  int64_t tileExtent(unsigned level, unsigned dim) const {
    return extents[level * dimCount + dim];
  }
  /// Words of the box `tensor`'s tile spans at `level`.
  uint64_t tileWords(unsigned level, unsigned tensor) const;

  /// Words that enter one instance of `level` for `tensor` over the whole
  /// run: the first tile, then, each time the loops above advance, the part
  /// of the new box outside the old one. With `wrapReuse` false, only the
  /// innermost advancing loop keeps the overlap (a sliding window); any
  /// other advance that moves the box refetches all of it.
  uint64_t enteringWords(unsigned level, unsigned tensor,
                         bool wrapReuse = true) const;

  /// Distinct boxes of `tensor` among the instances of `level` that one
  /// instance of `supplier` serves (instances with identical boxes share
  /// every transfer: a multicast, or a spatial reduction for outputs).
  uint64_t distinctBoxes(unsigned supplier, unsigned level,
                         unsigned tensor) const;
  /// The groups of `level`'s instances under one instance of `from` with
  /// their hop counts on `network`'s network (docs/model.md). The answer
  /// lives until this analysis ends.
  const GroupTraffic &groupTraffic(unsigned from, unsigned network,
                                   unsigned level, unsigned tensor) const;
  const GroupTraffic &groupTraffic(unsigned supplier, unsigned level,
                                   unsigned tensor) const {
    return groupTraffic(supplier, supplier, level, tensor);
  }
  /// Whether two groups' boxes of `tensor` at `level` share words.
  bool boxesOverlap(const GroupTraffic &traffic, unsigned level,
                    unsigned tensor) const;
  /// What one instance of `network` sends down its network over the run
  /// so that every instance of `level` below it gets the words of `tensor`
  /// entering its box (enteringWords): each word once per step to the set
  /// of children that need it where the network multicasts (the union of
  /// their boxes' new words), else once per child.
  /// `entering` is enteringWords(level, tensor, wrapReuse), or the
  /// temporal steps for the compute units.
  NetworkLoad downTraffic(unsigned network, unsigned level, unsigned tensor,
                          bool wrapReuse, uint64_t entering) const;

  /// Whether every network between `supplier` and `level` that spreads
  /// data over more than one child can multicast. (Partial sums go up
  /// network by network instead: model/Accounting.cpp's chargeUp.)
  bool pathCanMulticast(unsigned supplier, unsigned level) const;

  /// The Arch the analysis is of.
  const Arch &architecture() const { return arch; }

  /// The nearest level above `level` that keeps `tensor`.
  unsigned supplierOf(unsigned level, unsigned tensor) const;
  /// The innermost level keeping `tensor` (it feeds the compute units).
  unsigned innermostKeeper(unsigned tensor) const;

  /// The checked arithmetic every count of this analysis (and of the
  /// accounting built on it) goes through; `overflowed()` is true once any
  /// count did not fit in 64 bits, and then no count may be reported.
  CheckedCounts &arithmetic() const { return counts; }
  bool overflowed() const { return counts.overflowed(); }

  /// Empties this thread's memos (benchmarks of cold searches; never while
  /// an analysis is alive on the thread).
  static void clearMemos();

  /// The analysis's storage; kept per thread between analyses so that the
  /// hot path does not allocate.
  struct Buffers {
    std::vector<NestLoop> nest;
    std::vector<int64_t> extents; ///< [level * dimCount + dim], level <= L.
    std::vector<uint64_t> active; ///< [level], level <= L.
    std::vector<unsigned> spatialLoops;             ///< [level]: how many.
    std::vector<int64_t> scratchSpan, scratchReset; ///< For the queries.
    std::vector<int64_t> networkKeys; ///< [level]: a network's identity.
    std::vector<int64_t> scratchOffset;
    std::vector<GroupTraffic> trivialTraffic; ///< [network]: one child.
    /// [loop * offsetStride + tensorBase[tensor] + coordinate]: how far a
    /// spatial loop's index moves the coordinate (0 for temporal loops).
    std::vector<int64_t> offsetTable;
    std::vector<size_t> tensorBase;
    /// This analysis's answers of groupTraffic, by (from, network, level,
    /// tensor), and of enteringWords, by (level, tensor, wrapReuse): the
    /// models ask each several times, and a memo key costs a walk of the
    /// nest. An entry is this analysis's iff its stamp is `stamp`.
    struct TrafficEntry {
      uint64_t stamp = 0;
      const GroupTraffic *traffic = nullptr;
    };
    struct EnteringEntry {
      uint64_t stamp = 0;
      uint64_t words = 0;
    };
    std::vector<TrafficEntry> trafficSeen;
    std::vector<EnteringEntry> enteringSeen;
    uint64_t stamp = 0;
  };

private:
  const Problem &problem;
  const Arch &arch;
  const Mapping &mapping;
  unsigned levels;
  unsigned dimCount;
  uint64_t steps = 1;
  bool clipping = false;
  mutable CheckedCounts counts;
  mutable Buffers buffers;
  std::vector<NestLoop> &nest = buffers.nest;
  std::vector<int64_t> &extents = buffers.extents;
  std::vector<uint64_t> &active = buffers.active;
  std::vector<unsigned> &spatialLoops = buffers.spatialLoops;
  std::vector<int64_t> &scratchSpan = buffers.scratchSpan;
  std::vector<int64_t> &scratchReset = buffers.scratchReset;
  std::vector<int64_t> &networkKeys = buffers.networkKeys;

  std::vector<int64_t> &scratchOffset = buffers.scratchOffset;
  std::vector<GroupTraffic> &trivialTraffic = buffers.trivialTraffic;
  std::vector<int64_t> &offsetTable = buffers.offsetTable;
  std::vector<size_t> &tensorBase = buffers.tensorBase;
  size_t offsetStride = 0;

  const int64_t *loopOffsets(size_t loop, unsigned tensor) const {
    return &offsetTable[loop * offsetStride + tensorBase[tensor]];
  }
  /// Pushes what a memo key needs of the spatial loops of levels [from,
  /// level): each one's level (relative to `network`), axis, factor and
  /// the offset it moves each of `tensor`'s coordinates by.
  void pushSpatialLoops(MemoKey &key, unsigned tensor, unsigned from,
                        unsigned network, unsigned level) const;

  static void resetMemos();
  /// Clipped: the executed index tuples of the temporal loops that pass
  /// `keep(position)`, per dimension, multiplied.
  template <typename Keep> uint64_t clippedTuples(Keep keep) const;
  void spans(unsigned level, unsigned tensor, std::vector<int64_t> &out) const;
  /// Calls visit(weight, offset, entering) for the first tile (offset
  /// nullptr: the whole box) and each advance of a temporal loop above
  /// `level` that moves the box (`weight` times by `offset`, per
  /// coordinate; nullptr where the whole box is refetched).
  template <typename Visit>
  void forEachEntering(unsigned level, unsigned tensor, bool wrapReuse,
                       Visit visit) const;
  /// The spatial loops of levels [from, level) as model/SpatialGroups.h
  /// takes them, outer to inner, with the offsets they move `tensor`'s
  /// coordinates by.
  void spreadLoops(unsigned from, unsigned network, unsigned level,
                   unsigned tensor, std::vector<SpreadLoop> &spread,
                   std::vector<int64_t> &offsets) const;
  GroupTraffic enumerateGroups(unsigned from, unsigned network, unsigned level,
                               unsigned tensor,
                               std::vector<int64_t> &closest) const;
  /// downTraffic's exact count where the boxes of groups overlap: the
  /// words of one entering shape (offset nullptr: the whole box).
  /// `grouped`: whether groupMembers() ran for these arguments already
  /// (set when it runs).
  NetworkLoad overlappingLoad(unsigned network, unsigned level, unsigned tensor,
                              const int64_t *offset, bool &grouped) const;
  /// The groups below one instance of `network` (their origins and
  /// children), into the thread's scratch for overlappingLoad.
  void groupMembers(unsigned network, unsigned level, unsigned tensor) const;
};

} // namespace tessel

#endif // TESSEL_MODEL_NESTANALYSIS_H
