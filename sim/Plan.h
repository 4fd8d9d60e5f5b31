//===- sim/Plan.h - A mapping lowered into per-level controller programs -*- C++
//-*-===//
//
// The static half of the simulator: (Problem, Arch, Mapping) lowered into
// what each level's controller runs and what each transfer costs.
//
// The mapping's loop nest is flattened outer to inner (level 0's temporal
// loops, its spatial loops, level 1's, ...). Temporal loops are time: the
// compute units take one *step* per iteration of all of them. A level's
// *epoch* is one iteration of the temporal loops above it; the nest is
// ordered by level, so epoch m of level l covers steps [m*P, (m+1)*P) where P
// is the product of the temporal factors at l and below. At each epoch a
// level instance holds, per kept tensor, the dense box its tile spans
// (docs/model.md, "The box-buffer semantics"); the controller moves the box
// and transfers the words that enter (and, for outputs, drains the words
// that leave).
//
// Instances of a level run in lockstep; the simulator steps one
// representative (the instance nearest its supplier on every network) and
// counts the words of every instance as they move. Groups (instances under
// one supplier instance whose boxes coincide) share a multicast or a
// reduction when every network on the way can. Hop counts come from the
// Arch's network graphs.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_PLAN_H
#define TESSEL_SIM_PLAN_H

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "workloads/Problem.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tessel::sim {

struct SimLoop {
  unsigned dim = 0;
  int64_t factor = 1;
  int64_t stride = 1; ///< Product of the factors of `dim` inside this loop.
  unsigned level = 0;
  bool spatial = false;
  SpatialAxis axis = SpatialAxis::X;
};

/// How one transfer unit (one word of a tile, delivered to or collected
/// from every instance under a supplier instance) travels on the supplier's
/// network, per supplier instance.
struct Route {
  uint64_t copies = 1; ///< Words sent per unit (1 per group, or 1 per member).
  uint64_t hops = 0;   ///< Word-hops per unit, summed over the copies.
  /// Link uses per unit (link id, uses); only when the network has a link
  /// bandwidth, else empty.
  std::vector<std::pair<uint32_t, uint32_t>> links;
};

/// One tensor as held at one level (or consumed by the compute units, when
/// `level` is the level count), fed by `supplier`.
struct Residency {
  unsigned tensor = 0;
  unsigned level = 0;
  unsigned supplier = 0;
  bool isOutput = false;
  std::vector<int64_t> spans; ///< Box extent per tensor coordinate.
  uint64_t boxWords = 1;
  uint64_t instances = 1;   ///< Active instances of `level`.
  uint64_t suppliers = 1;   ///< Active instances of `supplier`.
  uint64_t members = 1;     ///< Instances per supplier instance.
  uint64_t groups = 1;      ///< Distinct boxes per supplier instance.
  bool shares = false;      ///< Path multicasts (inputs) or reduces (outputs).
  Route down;               ///< Fills and operand reads.
  Route leader;             ///< Read-backs: to each group's first member.
  Route up;                 ///< Drains and updates.
  uint64_t downLatency = 0; ///< Supplier access + nearest member's hops.
  uint64_t upLatency = 0;   ///< Access + farthest member's skew and hops.
  /// Per member under a supplier instance (local index): its group, and
  /// whether it is the group's first member.
  std::vector<unsigned> groupOf;
  std::vector<bool> isLeader;
};

/// A level's instances: their dimension offsets from the spatial loops above.
struct LevelInstances {
  uint64_t count = 1;
  std::vector<std::vector<int64_t>> dimOffset; ///< [instance][dim]
};

class Plan {
public:
  Plan(const Problem &problem, const Arch &arch, const Mapping &mapping);

  const Problem &problem;
  const Arch &arch;
  const Mapping &mapping;
  unsigned levels = 0; ///< Storage levels; `levels` stands for compute.
  unsigned dims = 0;
  std::vector<SimLoop> nest;
  std::vector<unsigned> temporalLoops; ///< Indices into `nest`.
  uint64_t steps = 1;                  ///< Temporal steps of the PEs.
  /// [level]: steps per epoch (product of temporal factors at and below).
  std::vector<uint64_t> stepsPerEpoch;
  std::vector<uint64_t> epochs; ///< [level]
  /// [level * dims + dim]: tile extents; level `levels` is one point.
  std::vector<int64_t> extents;
  std::vector<LevelInstances> instances; ///< [level], level <= levels.
  /// [level][tensor]: residency of a kept tensor (empty spans if not kept);
  /// [levels][tensor]: what the compute units consume.
  std::vector<std::vector<Residency>> residency;
  std::vector<bool> keeps; ///< [level * tensors + tensor]; level 0 keeps all.
  /// Per compute unit: cycles it lags the nearest unit (hop skew).
  std::vector<uint64_t> peSkew;
  uint64_t operandLatency = 0; ///< Step issue to MAC, nearest unit.
  uint64_t updateLatency = 0;  ///< Step issue to the update's landing.
  /// Links per level's network, the more of its two directions' (0 when it
  /// has no link bandwidth).
  std::vector<uint32_t> linkCount;

  unsigned tensors() const { return unsigned(problem.tensors.size()); }
  bool keepsTensor(unsigned level, unsigned tensor) const {
    return keeps[size_t(level) * tensors() + tensor];
  }
  int64_t extent(unsigned level, unsigned dim) const {
    return extents[size_t(level) * dims + dim];
  }
  /// Capacity of `level` for `tensor`'s role (its partition, or the whole).
  uint64_t capacityFor(unsigned level, unsigned tensor) const;
  /// The Arch role of a Problem tensor.
  TensorRole roleOf(unsigned tensor) const;

  /// Dimension start of epoch `epoch` of `level` (instance 0).
  void epochStart(unsigned level, uint64_t epoch,
                  std::vector<int64_t> &dimStart) const;
  /// Dimension values of step `step` (compute unit 0).
  void stepDims(uint64_t step, std::vector<int64_t> &dims) const;
  /// Low corner of `tensor`'s box at `level` for dimension start `start`.
  void boxLow(unsigned level, unsigned tensor,
              const std::vector<int64_t> &start,
              std::vector<int64_t> &low) const;
  /// Bounds of every box instance 0 of `level` ever holds: low corner and
  /// spans.
  void reachLow(unsigned level, unsigned tensor, std::vector<int64_t> &low,
                std::vector<int64_t> &spans) const;
  /// Coordinates of `tensor` at the given dimension values.
  void coordinates(unsigned tensor, const std::vector<int64_t> &dimValues,
                   std::vector<int64_t> &coords) const;
  /// The supplier instance of `instance` of `level` at `supplier`.
  uint64_t supplierInstance(unsigned level, unsigned supplier,
                            uint64_t instance) const {
    return instance / (instances[level].count / instances[supplier].count);
  }

private:
  void flatten();
  void enumerateInstances();
  void buildResidencies();
  void buildTiming();
};

} // namespace tessel::sim

#endif // TESSEL_SIM_PLAN_H
