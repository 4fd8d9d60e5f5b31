//===- model/Accounting.cpp - Access counts from a NestAnalysis -----------===//
#include "model/Accounting.h"

#include "arch/Arch.h"
#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

#include <algorithm>

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
/// `supplier`, network by network from the innermost: one that reduces
/// merges the copies of a word its children send into one (the
/// reduction's hops), another carries each child's word alone (its drain's
/// hops); the innermost level's registers, taking the compute units'
/// products of an output they do not keep, add the lanes' products of a
/// word into one (no network; as sim/Structural.cpp). A relay sends on
/// what it received, so copies a lower network kept apart stay apart.
/// Returns the words reaching the supplier: its updates.
uint64_t chargeUp(const NestAnalysis &nest, Report &report, unsigned supplier,
                  unsigned level, unsigned tensor, uint64_t entering) {
  CheckedCounts &c = nest.arithmetic();
  const Arch &arch = nest.architecture();
  // Words one instance of the level below network j sends up for each
  // word an instance of `level` sends.
  uint64_t perSender = 1;
  for (unsigned j = level; j-- > supplier;) {
    bool registers = !crosses(nest, supplier, level, j);
    const GroupTraffic &traffic = nest.groupTraffic(j, j, j + 1, tensor);
    uint64_t instances = nest.activeInstances(j);
    uint64_t children =
        nest.activeInstances(j + 1) / std::max<uint64_t>(1, instances);
    bool merge = registers || arch.levels[j].network.reduction;
    uint64_t perChild = merge ? traffic.groups : children;
    if (!registers) {
      TensorActions &network = report.actions.at(j, tensor);
      c.accumulate(network.networkWords,
                   c.mul(instances, perChild, c.mul(perSender, entering)));
      c.accumulate(network.networkHops,
                   c.mul(instances, c.mul(perSender, entering),
                         merge ? traffic.reductionHops : traffic.drainHops));
    }
    perSender = c.mul(perSender, perChild);
  }
  return c.mul(nest.activeInstances(supplier), perSender, entering);
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

/// Output words: each instance starts a tile's words at zero (it never
/// reads back a partial sum it sent up before), drains every word it held
/// when the tile leaves (a read here) and sends it up, where the supplier
/// adds it to what it holds (an update there).
void countOutput(const NestAnalysis &nest, Report &report, unsigned level,
                 unsigned tensor, bool wrapReuse) {
  CheckedCounts &c = nest.arithmetic();
  unsigned supplier = nest.supplierOf(level, tensor);
  uint64_t entering = nest.enteringWords(level, tensor, wrapReuse);
  TensorActions &here = report.actions.at(level, tensor);
  TensorActions &source = report.actions.at(supplier, tensor);
  c.accumulate(here.reads,
               c.mul(nest.activeInstances(level), entering)); // Drained up.
  c.accumulate(source.updates,
               chargeUp(nest, report, supplier, level, tensor, entering));
}

void countCompute(const NestAnalysis &nest, Report &report, unsigned tensor,
                  bool isOutput) {
  CheckedCounts &c = nest.arithmetic();
  unsigned computeLevel = nest.levelCount();
  unsigned supplier = nest.innermostKeeper(tensor);
  uint64_t steps = nest.temporalSteps();
  if (isOutput) {
    c.accumulate(report.actions.at(supplier, tensor).updates,
                 chargeUp(nest, report, supplier, computeLevel, tensor, steps));
  } else {
    chargeDown(nest, report, supplier, computeLevel, tensor, true, steps);
  }
}

} // namespace

void countStagedInput(const NestAnalysis &nest, Report &report,
                      unsigned level, unsigned tensor, bool wrapReuse) {
  unsigned supplier = nest.supplierOf(level, tensor);
  // What the compute units' operands cost on the way from the supplier
  // goes: the words come through the level's staging instead.
  for (unsigned j = supplier; j < level; ++j) {
    TensorActions &network = report.actions.at(j, tensor);
    network.networkWords = network.networkHops = 0;
  }
  report.actions.at(supplier, tensor).reads = 0;
  chargeDown(nest, report, supplier, level, tensor, wrapReuse,
             nest.enteringWords(level, tensor, wrapReuse));
}

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
