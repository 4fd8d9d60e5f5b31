//===- model/Registry.cpp - Cost models by name ---------------------------===//
//
// To add a model: write it in its own file with a create function, declare
// the function in Models.h, and add one line to the table below.
//
//===----------------------------------------------------------------------===//
#include "model/Models.h"

#include "arch/Arch.h"
#include "model/Accounting.h"
#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

#include <cmath>

namespace tessel {
namespace {

struct Registration {
  const char *name;
  std::unique_ptr<CostModel> (*create)();
};

const Registration kModels[] = {
    {"reuse", createReuseModel},
    {"dataflow", createDataflowModel},
    {"roofline", createRooflineModel},
};

} // namespace

std::unique_ptr<CostModel> createCostModel(const std::string &name) {
  for (const Registration &registration : kModels)
    if (name == registration.name)
      return registration.create();
  return nullptr;
}

std::vector<std::string> costModelNames() {
  std::vector<std::string> names;
  for (const Registration &registration : kModels)
    names.push_back(registration.name);
  return names;
}

Evaluation evaluateByCounting(const std::string &evaluator,
                              const Problem &problem, const Arch &arch,
                              const Mapping &mapping, bool wrapReuse,
                              uint64_t extraCycles) {
  Evaluation evaluation;
  evaluation.errors = verifyMapping(problem, arch, mapping);
  if (!evaluation.errors.empty())
    return evaluation;
  NestAnalysis nest(problem, arch, mapping);
  Report report(arch.levelCount(), problem.tensors.size());
  report.evaluator = evaluator;
  report.macs = problem.macs();
  report.executedMacs = nest.executedMacs();
  report.actions.macs = report.executedMacs;
  countAccesses(problem, mapping, nest, report, wrapReuse);
  addResourceCycles(arch, nest, report);
  for (ResourceCycles &resource : report.resourceCycles)
    resource.cycles += extraCycles;
  energyOf(arch, report.actions, report.energy);
  report.settle(arch.peakMacsPerCycle());
  evaluation.report = std::move(report);
  return evaluation;
}

uint64_t cyclesFor(uint64_t words, double wordsPerCycle, uint64_t instances) {
  if (words == 0)
    return 0;
  return uint64_t(
      std::ceil(double(words) / (wordsPerCycle * double(instances))));
}

void addResourceCycles(const Arch &arch, const NestAnalysis &nest,
                       Report &report) {
  uint64_t lanes = std::max(1u, arch.compute.macsPerPE);
  report.resourceCycles.push_back(
      {"compute", (nest.temporalSteps() + lanes - 1) / lanes});
  for (unsigned l = 0; l < arch.levelCount(); ++l) {
    const StorageLevel &level = arch.levels[l];
    uint64_t reads = 0, writes = 0, networkWords = 0;
    for (unsigned t = 0; t < report.actions.tensorCount(); ++t) {
      const TensorActions &actions = report.actions.at(l, t);
      reads += actions.reads;
      writes += actions.fills + actions.updates;
      networkWords += actions.networkWords;
    }
    uint64_t instances = nest.activeInstances(l);
    if (level.readBandwidth)
      report.resourceCycles.push_back(
          {level.name + " read",
           cyclesFor(reads, *level.readBandwidth, instances)});
    if (level.writeBandwidth)
      report.resourceCycles.push_back(
          {level.name + " write",
           cyclesFor(writes, *level.writeBandwidth, instances)});
    if (level.network.linkBandwidth)
      report.resourceCycles.push_back(
          {level.name + " network",
           cyclesFor(networkWords, *level.network.linkBandwidth, instances)});
  }
}

} // namespace tessel
