//===- model/DataflowModel.cpp - The "dataflow" model (MAESTRO-class) -----===//
//
// The mapping seen the data-centric way: each level is a cluster whose
// spatial map spreads a dimension over its children and whose temporal map
// walks the rest. Per cluster, the data that enters with each temporal step
// is the change of the mapped tile when the innermost varying dimension
// advances (a sliding window keeps its overlap); when an outer dimension
// advances, the cluster reloads its whole tile (MAESTRO's per-step delta
// does not see overlap across the wrap of inner loops). Multicast and
// spatial reduction follow the networks, as in "reuse".
//
// Latency: the steady state is bounded by the slowest resource, as in
// "reuse", plus the pipeline's fill and drain: the first word must cross
// every level's access latency and every network's hops (hop latency x the
// farthest child), and the last result must drain through the MAC pipeline
// and back up the same path.
//
// So "dataflow" equals "reuse" on access counts when no outer loop moves a
// window that overlaps itself (GEMMs, 1x1 convolutions, convolutions whose
// window loops are innermost), counts more for other convolutions, and
// always adds the fill/drain cycles (test/model/ModelTest.cpp).
//
//===----------------------------------------------------------------------===//
#include "model/Models.h"

#include "arch/Arch.h"
#include "workloads/Problem.h"

namespace tessel {
namespace {

/// Cycles for one word to reach the compute units and one result to come
/// back: access latencies and network hops on the whole path, twice, plus
/// the MAC pipeline.
uint64_t fillDrainCycles(const Arch &arch) {
  // Latencies come from the Arch loader, each bounded; saturating keeps an
  // absurd Arch from wrapping (the resource sum then reports the overflow).
  uint64_t oneWay = 0;
  for (const StorageLevel &level : arch.levels)
    oneWay = saturatingAdd(
        oneWay, saturatingAdd(uint64_t(level.latency),
                              saturatingMul(uint64_t(level.network.hopLatency),
                                            uint64_t(level.network.summary
                                                         .unicastMaxHops))));
  return saturatingAdd(saturatingMul<uint64_t>(2, oneWay),
                       uint64_t(arch.compute.pipelineLatency));
}

class DataflowModel : public CostModel {
public:
  std::string name() const override { return "dataflow"; }
  std::string description() const override {
    return "MAESTRO-class: per-cluster data deltas (window overlap only for "
           "the innermost advancing loop), multicast and reduction by "
           "network, latency with pipeline fill and drain";
  }

  Evaluation evaluate(const Problem &problem, const Arch &arch,
                      const Mapping &mapping) const override {
    uint64_t fillDrain = fillDrainCycles(arch);
    CountingOptions options;
    options.wrapReuse = false;
    options.extraCycles = fillDrain;
    Evaluation evaluation =
        evaluateByCounting(name(), problem, arch, mapping, options);
    if (evaluation.report)
      evaluation.report->bottleneck +=
          " (+" + std::to_string(fillDrain) + " fill/drain)";
    return evaluation;
  }
};

} // namespace

std::unique_ptr<CostModel> createDataflowModel() {
  return std::make_unique<DataflowModel>();
}

} // namespace tessel
