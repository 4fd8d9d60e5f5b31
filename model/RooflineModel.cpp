//===- model/RooflineModel.cpp - The "roofline" bound ---------------------===//
//
// The bound no mapping can beat: peak compute (every PE and lane busy every
// cycle) against DRAM bandwidth with ideal reuse (each input word that a
// MAC touches read once, each output word written once). Inner levels can be
// bypassed, so only the backing store's traffic is unavoidable. The mapping is
// not consulted.
//
//===----------------------------------------------------------------------===//
#include "model/Models.h"

#include "arch/Arch.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace tessel {
namespace {

/// Distinct values of one coordinate over the whole iteration space.
uint64_t distinctValues(const Problem &problem, const Projection &coordinate) {
  int64_t low = 0, high = 0;
  for (const ProjectionTerm &term : coordinate.terms) {
    int64_t reach = term.coefficient * (problem.dims[term.dim].bound - 1);
    (reach < 0 ? low : high) += reach;
  }
  std::vector<bool> seen(size_t(high - low + 1), false);
  seen[size_t(-low)] = true; // Every index 0.
  for (const ProjectionTerm &term : coordinate.terms) {
    std::vector<bool> next(seen.size(), false);
    for (size_t v = 0; v < seen.size(); ++v)
      if (seen[v])
        for (int64_t i = 0; i < problem.dims[term.dim].bound; ++i)
          next[size_t(int64_t(v) + term.coefficient * i)] = true;
    seen = std::move(next);
  }
  return uint64_t(std::count(seen.begin(), seen.end(), true));
}

/// Words of `tensor` that some MAC touches: a lower bound on the words any
/// mapping moves from DRAM. Coordinates that share no dimension multiply;
/// coordinates sharing one (a diagonal) count their largest alone.
uint64_t touchedWords(const Problem &problem, unsigned tensor) {
  const std::vector<Projection> &coordinates =
      problem.tensors[tensor].projection;
  uint64_t product = 1, shared = 1;
  std::set<unsigned> used;
  bool disjoint = true;
  for (const Projection &coordinate : coordinates)
    for (const ProjectionTerm &term : coordinate.terms)
      disjoint &= used.insert(term.dim).second;
  for (const Projection &coordinate : coordinates) {
    uint64_t values = distinctValues(problem, coordinate);
    product *= values;
    shared = std::max(shared, values);
  }
  return disjoint ? product : shared;
}

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
    uint64_t reads = 0, writes = 0;
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      uint64_t words = touchedWords(problem, t);
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
