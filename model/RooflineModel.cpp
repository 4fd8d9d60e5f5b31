//===- model/RooflineModel.cpp - The "roofline" bound ---------------------===//
//
// The bound no mapping can beat: peak compute (every PE and lane busy every
// cycle) against DRAM bandwidth with ideal reuse (each input word read once,
// each output word written once). Inner levels can be bypassed, so only the
// backing store's traffic is unavoidable. The mapping is not consulted.
//
//===----------------------------------------------------------------------===//
#include "model/Models.h"

#include "arch/Arch.h"
#include "workloads/Problem.h"

namespace tessel {
namespace {

class RooflineModel : public CostModel {
public:
  std::string name() const override { return "roofline"; }
  std::string description() const override {
    return "Bound: peak MACs per cycle against DRAM bandwidth with ideal "
           "reuse (each input read once, each output written once)";
  }

  Evaluation evaluate(const Problem &problem, const Arch &arch,
                      const Mapping &) const override {
    Report report(arch.levelCount(), problem.tensors.size());
    report.evaluator = name();
    report.macs = report.executedMacs = report.actions.macs = problem.macs();
    std::vector<int64_t> bounds = problem.bounds();
    uint64_t reads = 0, writes = 0;
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      uint64_t words = problem.footprint(t, bounds);
      TensorActions &dram = report.actions.at(0, t);
      if (problem.tensors[t].isOutput) {
        dram.updates = words;
        writes += words;
      } else {
        dram.reads = words;
        reads += words;
      }
    }
    uint64_t peak = arch.peakMacsPerCycle();
    report.resourceCycles.push_back(
        {"compute", (report.macs + peak - 1) / peak});
    const StorageLevel &dram = arch.levels.front();
    if (dram.readBandwidth)
      report.resourceCycles.push_back(
          {dram.name + " read", cyclesFor(reads, *dram.readBandwidth, 1)});
    if (dram.writeBandwidth)
      report.resourceCycles.push_back(
          {dram.name + " write", cyclesFor(writes, *dram.writeBandwidth, 1)});
    report.energy = energyOf(arch, report.actions);
    report.settle(peak);
    Evaluation evaluation;
    evaluation.report = std::move(report);
    return evaluation;
  }
};

} // namespace

std::unique_ptr<CostModel> createRooflineModel() {
  return std::make_unique<RooflineModel>();
}

} // namespace tessel
