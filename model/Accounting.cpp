//===- model/Accounting.cpp - Access counts from a NestAnalysis -----------===//
#include "model/Accounting.h"

#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

namespace tessel {
namespace {

void countInput(const NestAnalysis &nest, Report &report, unsigned level,
                unsigned tensor, bool wrapReuse) {
  CheckedCounts &c = nest.arithmetic();
  unsigned supplier = nest.supplierOf(level, tensor);
  uint64_t entering = nest.enteringWords(level, tensor, wrapReuse);
  uint64_t instances = nest.activeInstances(level);
  GroupTraffic traffic = nest.groupTraffic(supplier, level, tensor);
  uint64_t groups = c.mul(nest.activeInstances(supplier), traffic.groups);
  bool multicast = nest.pathCanMulticast(supplier, level);
  c.accumulate(report.actions.at(level, tensor).fills,
               c.mul(instances, entering));
  TensorActions &source = report.actions.at(supplier, tensor);
  uint64_t sent = c.mul(multicast ? groups : instances, entering);
  c.accumulate(source.reads, sent);
  c.accumulate(source.networkWords, sent);
  c.accumulate(source.networkHops, c.mul(nest.activeInstances(supplier),
                                         entering, traffic.multicastHops));
}

void countOutput(const NestAnalysis &nest, Report &report, unsigned level,
                 unsigned tensor, bool wrapReuse) {
  CheckedCounts &c = nest.arithmetic();
  unsigned supplier = nest.supplierOf(level, tensor);
  uint64_t entering = nest.enteringWords(level, tensor, wrapReuse);
  uint64_t readBacks = c.sub(entering, nest.visitedWords(level, tensor));
  uint64_t instances = nest.activeInstances(level);
  GroupTraffic traffic = nest.groupTraffic(supplier, level, tensor);
  uint64_t suppliers = nest.activeInstances(supplier);
  uint64_t groups = c.mul(suppliers, traffic.groups);
  bool reduce = nest.pathCanReduce(supplier, level);
  TensorActions &here = report.actions.at(level, tensor);
  TensorActions &source = report.actions.at(supplier, tensor);
  uint64_t readBackWords = c.mul(groups, readBacks);
  c.accumulate(here.fills, readBackWords);
  c.accumulate(here.reads, c.mul(instances, entering)); // Drained up.
  c.accumulate(source.reads, readBackWords);
  uint64_t updates = c.mul(reduce ? groups : instances, entering);
  c.accumulate(source.updates, updates);
  c.accumulate(source.networkWords, c.add(readBackWords, updates));
  c.accumulate(source.networkHops,
               c.mul(suppliers, c.add(c.mul(readBacks, traffic.leaderHops),
                                      c.mul(entering, traffic.reductionHops))));
}

void countCompute(const NestAnalysis &nest, Report &report, unsigned tensor,
                  bool isOutput) {
  CheckedCounts &c = nest.arithmetic();
  unsigned computeLevel = nest.levelCount();
  unsigned supplier = nest.innermostKeeper(tensor);
  uint64_t steps = nest.temporalSteps();
  uint64_t units = nest.activeInstances(computeLevel);
  GroupTraffic traffic = nest.groupTraffic(supplier, computeLevel, tensor);
  uint64_t suppliers = nest.activeInstances(supplier);
  uint64_t groups = c.mul(suppliers, traffic.groups);
  TensorActions &source = report.actions.at(supplier, tensor);
  if (isOutput) {
    bool reduce = nest.pathCanReduce(supplier, computeLevel);
    uint64_t updates = c.mul(reduce ? groups : units, steps);
    c.accumulate(source.updates, updates);
    c.accumulate(source.networkWords, updates);
    c.accumulate(source.networkHops,
                 c.mul(suppliers, steps, traffic.reductionHops));
  } else {
    bool multicast = nest.pathCanMulticast(supplier, computeLevel);
    uint64_t reads = c.mul(multicast ? groups : units, steps);
    c.accumulate(source.reads, reads);
    c.accumulate(source.networkWords, reads);
    c.accumulate(source.networkHops,
                 c.mul(suppliers, steps, traffic.multicastHops));
  }
}

} // namespace

void countAccesses(const Problem &problem, const Mapping &mapping,
                   const NestAnalysis &nest, Report &report, bool wrapReuse) {
  unsigned outputIndex = problem.outputIndex();
  for (unsigned t = 0; t < problem.tensors.size(); ++t) {
    bool isOutput = t == outputIndex;
    for (unsigned l = 1; l < nest.levelCount(); ++l) {
      if (!mapping.levels[l].keeps(t))
        continue;
      if (isOutput)
        countOutput(nest, report, l, t, wrapReuse);
      else
        countInput(nest, report, l, t, wrapReuse);
    }
    countCompute(nest, report, t, isOutput);
  }
}

} // namespace tessel
