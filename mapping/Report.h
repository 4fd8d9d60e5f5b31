//===- mapping/Report.h - What an evaluation of a mapping found ---*- C++ -*-===//
//
// One schema for every evaluator (analytical models now, the simulator
// later), so validation is a field-by-field diff: cycles, MACs, utilization,
// actions per level x tensor (reads, fills, updates, network words and hops),
// energy from the Arch's single energy function, and the bottleneck. The
// energy's leakage entry (leakage power x cycles / clock, energy.leakage) is
// apart from energy.total(): every total that validation, mappers and the
// baselines compare is the actions' energy.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_REPORT_H
#define TESSEL_MAPPING_REPORT_H

#include "arch/Energy.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

/// The cycles one resource needs for the whole run.
struct ResourceCycles {
  std::string resource; ///< "compute", "DRAM read", "GLB network", ...
  uint64_t cycles = 0;
};

struct Report {
  std::string evaluator; ///< "reuse", "dataflow", "roofline", "sim".

  uint64_t cycles = 0;
  uint64_t macs = 0;         ///< The op's MACs (the product of its bounds).
  uint64_t executedMacs = 0; ///< MACs the mapping runs, padding included.
  double utilization = 0;    ///< macs / (cycles x peak MACs per cycle).

  ActionCounts actions;
  EnergyBreakdown energy;

  /// Every resource's cycles; the largest is the bottleneck.
  std::vector<ResourceCycles> resourceCycles;
  std::string bottleneck;
  /// Cycles no resource is busy in, added to the bottleneck's: latencies
  /// the mapping cannot hide ("DRAM latency at 24 GlobalBuffer tiles"),
  /// pipeline fill and drain, per-fold costs of a systolic array.
  std::vector<ResourceCycles> exposedCycles;

  Report(unsigned levelCount, unsigned tensorCount)
      : actions(levelCount, tensorCount), energy(levelCount, tensorCount) {}

  double energyPerMac() const {
    return macs ? energy.total() / double(macs) : 0;
  }
  /// Sets cycles and bottleneck from resourceCycles (the slowest bounds
  /// the run) plus every exposedCycles, utilization from cycles. Saturates
  /// at 2^64 - 1 (an evaluator checks its own counts before).
  void settle(uint64_t peakMacsPerCycle);
};

} // namespace tessel

#endif // TESSEL_MAPPING_REPORT_H
