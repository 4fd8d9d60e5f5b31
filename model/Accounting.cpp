//===- model/Accounting.cpp - Access counts from a NestAnalysis -----------===//
#include "model/Accounting.h"

#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

namespace tessel {
namespace {

void countInput(const NestAnalysis &nest, Report &report, unsigned level,
                unsigned tensor, bool wrapReuse) {
  unsigned supplier = nest.supplierOf(level, tensor);
  uint64_t entering = nest.enteringWords(level, tensor, wrapReuse);
  uint64_t instances = nest.activeInstances(level);
  GroupTraffic traffic = nest.groupTraffic(supplier, level, tensor);
  uint64_t groups = nest.activeInstances(supplier) * traffic.groups;
  bool multicast = nest.pathCanMulticast(supplier, level);
  report.actions.at(level, tensor).fills += instances * entering;
  TensorActions &source = report.actions.at(supplier, tensor);
  uint64_t sent = (multicast ? groups : instances) * entering;
  source.reads += sent;
  source.networkWords += sent;
  source.networkHops +=
      nest.activeInstances(supplier) * entering * traffic.multicastHops;
}

void countOutput(const NestAnalysis &nest, Report &report, unsigned level,
                 unsigned tensor, bool wrapReuse) {
  unsigned supplier = nest.supplierOf(level, tensor);
  uint64_t entering = nest.enteringWords(level, tensor, wrapReuse);
  uint64_t readBacks = entering - nest.visitedWords(level, tensor);
  uint64_t instances = nest.activeInstances(level);
  GroupTraffic traffic = nest.groupTraffic(supplier, level, tensor);
  uint64_t suppliers = nest.activeInstances(supplier);
  uint64_t groups = suppliers * traffic.groups;
  bool reduce = nest.pathCanReduce(supplier, level);
  TensorActions &here = report.actions.at(level, tensor);
  TensorActions &source = report.actions.at(supplier, tensor);
  here.fills += groups * readBacks;
  here.reads += instances * entering; // Drained to the supplier.
  source.reads += groups * readBacks;
  uint64_t updates = (reduce ? groups : instances) * entering;
  source.updates += updates;
  source.networkWords += groups * readBacks + updates;
  source.networkHops += suppliers * (readBacks * traffic.leaderHops +
                                     entering * traffic.reductionHops);
}

void countCompute(const NestAnalysis &nest, Report &report, unsigned tensor,
                  bool isOutput) {
  unsigned computeLevel = nest.levelCount();
  unsigned supplier = nest.innermostKeeper(tensor);
  uint64_t steps = nest.temporalSteps();
  uint64_t units = nest.activeInstances(computeLevel);
  GroupTraffic traffic = nest.groupTraffic(supplier, computeLevel, tensor);
  uint64_t suppliers = nest.activeInstances(supplier);
  uint64_t groups = suppliers * traffic.groups;
  TensorActions &source = report.actions.at(supplier, tensor);
  if (isOutput) {
    bool reduce = nest.pathCanReduce(supplier, computeLevel);
    uint64_t updates = (reduce ? groups : units) * steps;
    source.updates += updates;
    source.networkWords += updates;
    source.networkHops += suppliers * steps * traffic.reductionHops;
  } else {
    bool multicast = nest.pathCanMulticast(supplier, computeLevel);
    uint64_t reads = (multicast ? groups : units) * steps;
    source.reads += reads;
    source.networkWords += reads;
    source.networkHops += suppliers * steps * traffic.multicastHops;
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
