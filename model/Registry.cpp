//===- model/Registry.cpp - Cost models by name ---------------------------===//
//
// To add a model: write it in its own file with a create function, declare
// the function in Models.h, and add one line to the table below.
//
//===----------------------------------------------------------------------===//
#include "model/Models.h"

#include "arch/Arch.h"
#include "model/Accounting.h"
#include "model/ClippedAccounting.h"
#include "model/NestAnalysis.h"
#include "model/Systolic.h"
#include "model/TimeloopAccounting.h"
#include "model/Timing.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace tessel {
namespace {

/// floorByCounting's bound on the hierarchy's depth (deeper: no floor).
constexpr unsigned kMaxFloorLevels = 32;

/// The compute units' cycles: a PE's vector lanes take macsPerPE
/// consecutive steps of its program a cycle, within one tile of the PE's
/// level (the next tile's registers are another buffer).
uint64_t computeCyclesOf(const Arch &arch, const NestAnalysis &nest) {
  uint64_t lanes = std::max(1u, arch.compute.macsPerPE);
  if (nest.clips()) // Tiles of different lengths.
    return clippedComputeCycles(nest.op(), arch, nest.mapped(), nest, lanes);
  uint64_t tiles = std::max<uint64_t>(1, nest.epochs(arch.levelCount() - 1));
  uint64_t perTile = nest.temporalSteps() / tiles;
  return nest.arithmetic().mul(tiles, (perTile + lanes - 1) / lanes);
}

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
                              const Mapping &mapping,
                              const CountingOptions &options) {
  Evaluation evaluation;
  evaluation.errors = verifyMapping(problem, arch, mapping);
  if (!evaluation.errors.empty() ||
      !countable(problem, mapping, evaluation.errors, options.clippedNest))
    return evaluation;
  std::optional<uint64_t> macs = macsOf(problem, evaluation.errors);
  if (!macs)
    return evaluation;
  NestAnalysis nest(problem, arch, mapping);
  Report report(arch.levelCount(), problem.tensors.size());
  report.evaluator = evaluator;
  report.macs = *macs;
  report.executedMacs = nest.executedMacs();
  if (options.timeloopAccounting)
    countAccessesTimeloop(problem, mapping, nest, report);
  else if (nest.clips())
    report.executedMacs =
        countClippedAccesses(problem, arch, mapping, nest, report);
  else
    countAccesses(problem, mapping, nest, report, options.wrapReuse);
  // The array of a systolic level run as built (folds, dataflow), once
  // for the counts and the timing.
  const SystolicFolds systolic = systolicFolds(problem, arch, mapping, nest);
  if (!options.timeloopAccounting)
    countSystolicArray(problem, mapping, nest, systolic, report,
                       options.wrapReuse);
  report.actions.macs = report.executedMacs;
  addResourceCycles(arch, nest, report);
  CheckedCounts &counts = nest.arithmetic();
  for (ResourceCycles &resource : report.resourceCycles)
    resource.cycles = counts.add(resource.cycles, options.extraCycles);
  if (options.exposedLatency) {
    addExposedCycles(problem, arch, mapping, nest, systolic, report);
    uint64_t total = 0;
    for (const ResourceCycles &exposed : report.exposedCycles)
      total = counts.add(total, exposed.cycles); // Checked before settle.
    for (const ResourceCycles &resource : report.resourceCycles)
      counts.add(resource.cycles, total);
  }
  if (nest.overflowed()) {
    evaluation.errors.push_back(countOverflowError(problem));
    return evaluation;
  }
  report.settle(arch.peakMacsPerCycle());
  report.actions.cycles = report.cycles; // Leakage runs through them.
  energyOf(arch, report.actions, report.energy, storedBits(problem));
  evaluation.report = std::move(report);
  return evaluation;
}

namespace {

/// A floor under the distinct elements of `tensor` the op touches: each
/// coordinate takes at least as many values as its widest dimension has
/// (a term with a nonzero coefficient); coordinates of disjoint dimensions
/// multiply, else the widest coordinate alone.
uint64_t touchedFloor(const Problem &problem, unsigned tensor,
                      CheckedCounts &counts) {
  uint64_t product = 1, widest = 1, seen = 0;
  bool disjoint = true;
  for (const Projection &coordinate : problem.tensors[tensor].projection) {
    uint64_t values = 1, dims = 0;
    for (const ProjectionTerm &term : coordinate.terms) {
      if (term.coefficient == 0)
        continue;
      values = std::max(values, uint64_t(problem.dims[term.dim].bound));
      dims |= uint64_t(1) << (term.dim & 63);
    }
    disjoint &= (dims & seen) == 0;
    seen |= dims;
    product = counts.mul(product, values);
    widest = std::max(widest, values);
  }
  return disjoint ? product : widest;
}

} // namespace

CostFloor floorByCounting(const Problem &problem, const Arch &arch,
                          const Mapping &mapping,
                          const CountingOptions &options) {
  CostFloor floor;
  VerifyOptions quiet; // Only whether it is legal: no reasons built.
  quiet.reasons = false;
  std::vector<MappingError> errors =
      verifyMapping(problem, arch, mapping, quiet);
  if (!errors.empty() ||
      !countable(problem, mapping, errors, options.clippedNest) ||
      !macsOf(problem, errors)) {
    floor.invalid = true;
    return floor;
  }
  const unsigned levels = arch.levelCount();
  bool restaged = false, negative = arch.compute.macEnergy < 0;
  for (const StorageLevel &level : arch.levels) {
    restaged |= level.network.topology == "systolic";
    negative |= level.energy.read < 0 || level.energy.write < 0 ||
                level.energy.update < 0;
  }
  if (options.timeloopAccounting || levels > kMaxFloorLevels || negative ||
      !clippedDims(problem, mapping).empty())
    return floor;
  NestAnalysis nest(problem, arch, mapping);
  CheckedCounts &counts = nest.arithmetic();
  const uint64_t steps = nest.temporalSteps();
  double cycles =
      double(counts.add(computeCyclesOf(arch, nest), options.extraCycles));
  double energy = double(nest.executedMacs()) * arch.compute.macEnergy;
  // Floors under each level's reads and writes (fills and updates), in
  // words of its port.
  double readWords[kMaxFloorLevels] = {}, writeWords[kMaxFloorLevels] = {};
  for (unsigned t = 0; t < problem.tensors.size(); ++t) {
    const Tensor &tensor = problem.tensors[t];
    const bool output = tensor.isOutput;
    // Dimensions that only single-term coordinates use: instances whose
    // indices of these differ hold disjoint boxes, so each gets its own
    // copy of every word entering it (and sends its own sums up).
    uint64_t multi = 0, used = 0;
    for (const Projection &coordinate : tensor.projection) {
      uint64_t here = 0;
      unsigned terms = 0;
      for (const ProjectionTerm &term : coordinate.terms)
        if (term.coefficient != 0) {
          here |= uint64_t(1) << (term.dim & 63);
          ++terms;
        }
      used |= here;
      if (terms > 1)
        multi |= here;
    }
    const uint64_t disjoint = used & ~multi;
    // Instances of `below` with disjoint boxes under one of `above`.
    auto disjointCopies = [&](unsigned above, unsigned below) {
      uint64_t copies = 1;
      for (const NestLoop &loop : nest.loops())
        if (loop.spatial && loop.level >= above && loop.level < below &&
            ((disjoint >> (loop.dim & 63)) & 1))
          copies = counts.mul(copies, uint64_t(loop.factor));
      return copies;
    };
    auto charge = [&](unsigned l, uint64_t elements, bool isRead,
                      double perAccess) {
      double share = packingAt(problem, t, arch.levels[l]).wordsPerElement();
      energy += double(elements) * perAccess * share;
      (isRead ? readWords : writeWords)[l] += double(elements) * share;
    };
    // A supplier's side: an input's words read, the output's updated.
    auto serve = [&](unsigned l, uint64_t elements) {
      const StorageLevel &level = arch.levels[l];
      if (output)
        charge(l, elements, false, level.energy.update);
      else
        charge(l, elements, true, level.energy.read);
    };
    // Each keeper's own words (an input's fills, the output's drains) are
    // exact; its supplier sends (reads) or takes (updates) a copy per
    // disjoint box at least; the innermost keeper serves every compute
    // step, a copy per disjoint compute unit. Where a systolic array runs
    // as built, its edge restages operands and its PEs count their own
    // words: only the outermost level's touched elements are certain.
    uint64_t outermost = 0;
    if (mapping.levels[0].keeps(t))
      outermost = touchedFloor(problem, t, counts);
    unsigned below = levels; // The keeper under `l` (or the compute).
    for (unsigned l = levels; l-- > 0 && !restaged;) {
      if (!mapping.levels[l].keeps(t))
        continue;
      uint64_t words = below < levels ? nest.enteringWords(below, t,
                                                           options.wrapReuse)
                                      : steps;
      uint64_t serves = counts.mul(nest.activeInstances(l),
                                   disjointCopies(l, below), words);
      if (below < levels) {
        uint64_t held = counts.mul(nest.activeInstances(below), words);
        const StorageLevel &child = arch.levels[below];
        if (output)
          charge(below, held, true, child.energy.read); // Drained.
        else
          charge(below, held, false, child.energy.write); // Filled.
      }
      if (l == 0) {
        serves = std::max(serves, outermost);
        outermost = 0;
      }
      serve(l, serves);
      below = l;
    }
    if (outermost)
      serve(0, outermost);
  }
  for (unsigned l = 0; l < levels; ++l) {
    const StorageLevel &level = arch.levels[l];
    double instances = double(nest.activeInstances(l));
    if (level.readBandwidth && *level.readBandwidth > 0)
      cycles =
          std::max(cycles, readWords[l] / (*level.readBandwidth * instances));
    if (level.writeBandwidth && *level.writeBandwidth > 0)
      cycles =
          std::max(cycles, writeWords[l] / (*level.writeBandwidth * instances));
  }
  if (counts.overflowed())
    return floor;
  floor.cycles = cycles;
  floor.energyPJ = energy;
  return floor;
}

std::optional<uint64_t> macsOf(const Problem &problem,
                               std::vector<MappingError> &errors) {
  try {
    return problem.macs(); // Checked: throws when over 64 bits.
  } catch (const std::overflow_error &) {
    errors.push_back(countOverflowError(problem));
    return std::nullopt;
  }
}

bool countable(const Problem &problem, const Mapping &mapping,
               std::vector<MappingError> &errors, bool clippedNest) {
  std::vector<unsigned> clipped = clippedDims(problem, mapping);
  if (clipped.empty() || (clippedNest && clippedCountable(problem)))
    return true;
  std::string names;
  for (unsigned d : clipped)
    names += (names.empty() ? "'" : ", '") + problem.dims[d].name + "'";
  errors.push_back(
      {"this model does not count a residual factorization yet (it clips " +
       names +
       "); the reuse model (with Tessel's accounting, for outputs indexed by "
       "plain dimensions) and the structural simulator run it, or give "
       "factors that multiply to the bounds, or say 'factorization: padded' "
       "to run the padded iterations"});
  return false;
}

MappingError countOverflowError(const Problem &problem) {
  std::string bounds;
  for (const Dimension &dim : problem.dims)
    bounds += (bounds.empty() ? "" : ", ") + dim.name + "=" +
              std::to_string(dim.bound);
  return {"'" + problem.name + "' (" + bounds +
          "): a count of this mapping (MACs, accesses, network hops or "
          "cycles) exceeds " +
          countLimitText() +
          ", the most a 64-bit count holds; split the op or use smaller "
          "bounds"};
}

uint64_t cyclesFor(CheckedCounts &counts, uint64_t words, double wordsPerCycle,
                   uint64_t instances) {
  if (words == 0)
    return 0;
  return counts.fromDouble(
      std::ceil(double(words) / (wordsPerCycle * double(instances))));
}

void addResourceCycles(const Arch &arch, const NestAnalysis &nest,
                       Report &report) {
  CheckedCounts &counts = nest.arithmetic();
  report.resourceCycles.push_back({"compute", computeCyclesOf(arch, nest)});
  const Problem &problem = nest.op();
  for (unsigned l = 0; l < arch.levelCount(); ++l) {
    const StorageLevel &level = arch.levels[l];
    // Elements in the words they take (arch/Packing.h), summed exactly in
    // units of 1/unit of a word: unit is the least common multiple of the
    // tensors' elements per word (1 when each element is one word).
    uint64_t unit = 1;
    for (unsigned t = 0; t < report.actions.tensorCount(); ++t)
      unit = std::lcm<uint64_t>(unit, packingAt(problem, t, level).perWord);
    // A network's links carry words one way each: the inputs' words go
    // down, the output's sums up, on links of their own; a bus is one
    // medium for both (as sim/Noc.cpp builds them).
    uint64_t reads = 0, writes = 0, downWords = 0, upWords = 0;
    for (unsigned t = 0; t < report.actions.tensorCount(); ++t) {
      const TensorActions &actions = report.actions.at(l, t);
      Packing packing = packingAt(problem, t, level);
      uint64_t units =
          counts.mul<uint64_t>(packing.wordsEach, unit / packing.perWord);
      counts.accumulate(reads, counts.mul(actions.reads, units));
      counts.accumulate(
          writes,
          counts.mul(counts.add(actions.fills, actions.updates), units));
      counts.accumulate(problem.tensors[t].isOutput ? upWords : downWords,
                        counts.mul<uint64_t>(actions.networkWords,
                                             packing.wordsEach));
    }
    auto words = [&](uint64_t units) {
      return units / unit + (units % unit != 0);
    };
    reads = words(reads);
    writes = words(writes);
    uint64_t instances = nest.activeInstances(l);
    if (level.readBandwidth)
      report.resourceCycles.push_back(
          {level.name + " read",
           cyclesFor(counts, reads, *level.readBandwidth, instances)});
    if (level.writeBandwidth)
      report.resourceCycles.push_back(
          {level.name + " write",
           cyclesFor(counts, writes, *level.writeBandwidth, instances)});
    if (level.network.linkBandwidth)
      report.resourceCycles.push_back(
          {level.name + " network",
           cyclesFor(counts,
                     level.network.topology == "bus"
                         ? counts.add(downWords, upWords)
                         : std::max(downWords, upWords),
                     *level.network.linkBandwidth, instances)});
  }
}

} // namespace tessel
