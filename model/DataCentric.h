//===- model/DataCentric.h - A mapping as MAESTRO-style directives -*- C++
//-*-===//
//
// The data-centric view of a mapping (docs/model.md, "dataflow" and where
// it disagrees): a stack of cluster levels, outer first. Each level walks its
// tile with directives, outermost first: a TemporalMap(size, offset) on a
// dimension moves a window of `size` by `offset` each step; a
// SpatialMap(size, offset) gives each sub-cluster its own window, `offset`
// apart, and steps over the dimension one array-width at a time. A
// sub-cluster's tile is what the innermost directive on each dimension
// covers in the current step (the whole extent where no directive names
// the dimension). Sizes and offsets are in the problem's dimensions, so a
// convolution's input window follows from the projections (h = p + r).
//
// analyzeDataCentric() enumerates each level's steps by case (first,
// middle, last position of every directive) with their counts, and per
// case prices the ingress (data new to the sub-clusters), the egress
// (outputs sent up), and the compute (the sub-clusters' own runtime, or the
// MACs of a PE's tile); a step costs the largest of the three (double
// buffering), the very first step ingress plus compute.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_DATACENTRIC_H
#define TESSEL_MODEL_DATACENTRIC_H

#include "model/CostModel.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

struct Arch;
struct Problem;

struct Directive {
  enum class Kind { Temporal, Spatial };
  Kind kind = Kind::Temporal;
  unsigned dim = 0;   ///< Index into the Problem's dimensions.
  int64_t size = 1;   ///< Window extent (>= 1).
  int64_t offset = 1; ///< Step between windows (>= 1).
};

struct ClusterLevel {
  std::vector<Directive> directives; ///< Outermost first; <= 1 spatial.
  uint64_t subClusters = 1;          ///< Children of each instance.
  /// The Arch level whose buffer feeds the sub-clusters; its network
  /// carries the ingress and egress, the next level holds their tiles.
  unsigned upstreamLevel = 0;
  /// Words/cycle, none = unlimited: the network's links, the upstream
  /// buffer's read and write ports, and each sub-cluster's write (fill)
  /// and read (drain) ports. Ingress takes the slowest of link, upstream
  /// read and child write; egress of link, upstream write and child read.
  std::optional<double> bandwidth, readBandwidth, writeBandwidth,
      childWriteBandwidth, childReadBandwidth;
  uint64_t latency = 1; ///< Cycles for the first word to arrive.
};

struct DataCentricMapping {
  std::vector<ClusterLevel> clusters; ///< Outer first; at least one.
  std::vector<int64_t> extents;       ///< Per dimension: the walked bounds.
  /// Words/cycle from off-chip into the top cluster's buffer (Arch level
  /// 0 when it is above the top cluster); none = not a limit.
  std::optional<double> offChipBandwidth;
};

/// What one cluster level did, over all its instances and the whole run.
struct ClusterStats {
  uint64_t steps = 0;        ///< Steps of one instance of this level.
  uint64_t ingressWords = 0; ///< Read upstream, sent down (multicast once).
  uint64_t egressWords = 0;  ///< Sent up (spatially reduced).
  uint64_t childFills = 0;   ///< Words written into the sub-clusters.
  uint64_t childDrains = 0;  ///< Output words read out of them.
  std::vector<uint64_t> ingressByTensor, childFillsByTensor;
  uint64_t peakWordsPerCycle = 0; ///< max(ingress, egress) / compute delay.
  /// Words of all tensors one sub-cluster holds in a step, and the step's
  /// whole tile (what the upstream buffer holds), at their largest; a
  /// double buffer needs twice.
  uint64_t childTileWords = 0, stepTileWords = 0;
  /// Steps whose delay was set by each: ingress, egress, compute, off-chip.
  uint64_t boundSteps[4] = {0, 0, 0, 0};
};

struct DataCentricResult {
  uint64_t cycles = 0;
  uint64_t executedMacs = 0;
  std::vector<ClusterStats> clusters; ///< One per cluster level.
  uint64_t offChipDelay = 0;          ///< Per top-level step (0: no limit).
  bool overflowed = false;
};

/// Checks the directive form against the problem (dimensions, sizes,
/// offsets, at most one spatial directive per level, sub-cluster counts);
/// empty when it can be analyzed.
std::vector<MappingError> checkDataCentric(const Problem &problem,
                                           const DataCentricMapping &mapping);

/// The runtime and traffic of `mapping` (checked first by the caller).
DataCentricResult analyzeDataCentric(const Problem &problem,
                                     const DataCentricMapping &mapping,
                                     unsigned simdLanes);

/// Tessel's mapping as directives: every Arch level is a cluster level fed
/// by its buffer (the innermost one's sub-clusters are the compute units);
/// its temporal loops are TemporalMaps and its spatial loop a SpatialMap,
/// each of the size its dimension has inside it, offset = size; a second
/// spatial loop opens a nested level on the same network. Bandwidth: the
/// level's network link, else its read port; latency: the level's access
/// latency plus hops to the farthest child x hop latency.
DataCentricMapping directivesOf(const Problem &problem, const Arch &arch,
                                const Mapping &mapping);

/// The Report of `mapping` on `arch`: cycles from analyzeDataCentric,
/// reads/fills/updates per level from the cluster traffic, energy from
/// the Arch's per-action energies (arch/Energy.h).
Evaluation evaluateDataCentric(const std::string &evaluator,
                               const Problem &problem, const Arch &arch,
                               const DataCentricMapping &mapping,
                               DataCentricResult *details = nullptr);

} // namespace tessel

#endif // TESSEL_MODEL_DATACENTRIC_H
