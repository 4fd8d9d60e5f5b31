//===- model/Accounting.cpp - Access counts from a NestAnalysis -----------===//
#include "model/Accounting.h"

#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

namespace tessel {
namespace {

/// Whether words between `supplier` and `level` cross level j's network.
/// Words the innermost level relays to the compute units land in the PE's
/// operand registers: no network of its own (as in sim/Structural.cpp).
bool crosses(const NestAnalysis &nest, unsigned supplier, unsigned level,
             unsigned j) {
  return j == supplier || level < nest.levelCount() ||
         j + 1 < nest.levelCount();
}

/// Input words from `supplier` down to `level`'s instances (`entering` per
/// instance): every network on the way carries them, each multicasting to
/// the children that need a word where it can; the supplier reads each
/// word it sends. Levels between bypass the tensor and relay the words
/// without touching their ports (as sim/Structural.cpp's relays do).
void chargeDown(const NestAnalysis &nest, Report &report, unsigned supplier,
                unsigned level, unsigned tensor, bool wrapReuse,
                uint64_t entering) {
  CheckedCounts &c = nest.arithmetic();
  for (unsigned j = supplier; j < level; ++j) {
    if (!crosses(nest, supplier, level, j))
      continue;
    NetworkLoad load = nest.downTraffic(j, level, tensor, wrapReuse, entering);
    uint64_t instances = nest.activeInstances(j);
    TensorActions &network = report.actions.at(j, tensor);
    uint64_t words = c.mul(instances, load.words);
    c.accumulate(network.networkWords, words);
    c.accumulate(network.networkHops, c.mul(instances, load.hops));
    if (j == supplier)
      c.accumulate(network.reads, words);
  }
}

/// Output words from `level`'s instances (`entering` per instance) up to
/// `supplier`, on every network on the way: merged where the whole path
/// reduces (one word per instance of each network's level, over the
/// children that contribute), else every instance's word alone.
void chargeUp(const NestAnalysis &nest, Report &report, unsigned supplier,
              unsigned level, unsigned tensor, uint64_t entering) {
  CheckedCounts &c = nest.arithmetic();
  bool reduce = nest.pathCanReduce(supplier, level);
  for (unsigned j = supplier; j < level; ++j) {
    if (!crosses(nest, supplier, level, j))
      continue;
    const GroupTraffic &traffic = nest.groupTraffic(j, level, tensor);
    uint64_t instances = nest.activeInstances(j);
    TensorActions &network = report.actions.at(j, tensor);
    c.accumulate(network.networkWords,
                 reduce ? c.mul(instances, traffic.groups, entering)
                        : c.mul(nest.activeInstances(level), entering));
    c.accumulate(network.networkHops,
                 c.mul(instances, entering,
                       reduce ? traffic.reductionHops : traffic.drainHops));
  }
}

void countInput(const NestAnalysis &nest, Report &report, unsigned level,
                unsigned tensor, bool wrapReuse) {
  CheckedCounts &c = nest.arithmetic();
  unsigned supplier = nest.supplierOf(level, tensor);
  uint64_t entering = nest.enteringWords(level, tensor, wrapReuse);
  c.accumulate(report.actions.at(level, tensor).fills,
               c.mul(nest.activeInstances(level), entering));
  chargeDown(nest, report, supplier, level, tensor, wrapReuse, entering);
}

void countOutput(const NestAnalysis &nest, Report &report, unsigned level,
                 unsigned tensor, bool wrapReuse) {
  CheckedCounts &c = nest.arithmetic();
  unsigned supplier = nest.supplierOf(level, tensor);
  uint64_t entering = nest.enteringWords(level, tensor, wrapReuse);
  uint64_t readBacks = c.sub(entering, nest.visitedWords(level, tensor));
  uint64_t instances = nest.activeInstances(level);
  uint64_t suppliers = nest.activeInstances(supplier);
  uint64_t groups =
      c.mul(suppliers, nest.groupTraffic(supplier, level, tensor).groups);
  bool reduce = nest.pathCanReduce(supplier, level);
  TensorActions &here = report.actions.at(level, tensor);
  TensorActions &source = report.actions.at(supplier, tensor);
  uint64_t readBackWords = c.mul(groups, readBacks);
  c.accumulate(here.fills, readBackWords);
  c.accumulate(here.reads, c.mul(instances, entering)); // Drained up.
  c.accumulate(source.reads, readBackWords);
  c.accumulate(source.updates, c.mul(reduce ? groups : instances, entering));
  chargeUp(nest, report, supplier, level, tensor, entering);
  // Read-backs: one word per group, to its first member, across every
  // network on the way.
  for (unsigned j = supplier; j < level; ++j) {
    TensorActions &network = report.actions.at(j, tensor);
    c.accumulate(network.networkWords, readBackWords);
    c.accumulate(
        network.networkHops,
        c.mul(suppliers, readBacks,
              nest.groupTraffic(supplier, j, level, tensor).leaderHops));
  }
}

void countCompute(const NestAnalysis &nest, Report &report, unsigned tensor,
                  bool isOutput) {
  CheckedCounts &c = nest.arithmetic();
  unsigned computeLevel = nest.levelCount();
  unsigned supplier = nest.innermostKeeper(tensor);
  uint64_t steps = nest.temporalSteps();
  if (isOutput) {
    uint64_t units = nest.activeInstances(computeLevel);
    uint64_t groups =
        c.mul(nest.activeInstances(supplier),
              nest.groupTraffic(supplier, computeLevel, tensor).groups);
    bool reduce = nest.pathCanReduce(supplier, computeLevel);
    c.accumulate(report.actions.at(supplier, tensor).updates,
                 c.mul(reduce ? groups : units, steps));
    chargeUp(nest, report, supplier, computeLevel, tensor, steps);
  } else {
    chargeDown(nest, report, supplier, computeLevel, tensor, true, steps);
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
