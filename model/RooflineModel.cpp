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

/// Ranges up to this many values are enumerated exactly (a bitmap of 2 MiB).
constexpr uint64_t kEnumeratedRange = uint64_t(1) << 24;

/// Distinct values of one coordinate over the whole iteration space, exact
/// when (smallest coefficient first) each coefficient is at most one more
/// than the reach of those before it (no gaps: convolutions' `p + r`), or
/// larger than that reach (no collisions: a flattened index `i + N*j`), or
/// the range is small enough to enumerate; otherwise the most values any
/// single term takes, a lower bound, which keeps the roofline a bound.
uint64_t distinctValues(const Problem &problem, const Projection &coordinate,
                        CheckedCounts &counts) {
  std::vector<std::pair<uint64_t, uint64_t>> terms; // |coefficient|, bound.
  for (const ProjectionTerm &term : coordinate.terms)
    if (term.coefficient != 0 && problem.dims[term.dim].bound > 1)
      terms.push_back({term.coefficient < 0 ? 0 - uint64_t(term.coefficient)
                                            : uint64_t(term.coefficient),
                       uint64_t(problem.dims[term.dim].bound)});
  std::sort(terms.begin(), terms.end());
  uint64_t reach = 0, largestTerm = 1, combinations = 1;
  bool contiguous = true, separable = true, fits = true, combinationsFit = true;
  for (auto [coefficient, bound] : terms) {
    contiguous &= coefficient <= reach + 1;
    separable &= coefficient > reach;
    largestTerm = std::max(largestTerm, bound);
    combinationsFit =
        combinationsFit && checkedMul(combinations, bound, combinations);
    uint64_t termReach = 0;
    fits = fits && checkedMul(coefficient, bound - 1, termReach) &&
           checkedAdd(reach, termReach, reach);
  }
  if (fits && contiguous)
    return counts.add<uint64_t>(reach, 1);
  if (combinationsFit && separable)
    return combinations;
  if (!fits || reach >= kEnumeratedRange)
    return largestTerm;
  int64_t low = 0, high = 0;
  for (const ProjectionTerm &term : coordinate.terms) {
    int64_t termReach = term.coefficient * (problem.dims[term.dim].bound - 1);
    (termReach < 0 ? low : high) += termReach;
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
uint64_t touchedWords(const Problem &problem, unsigned tensor,
                      CheckedCounts &counts) {
  const std::vector<Projection> &coordinates =
      problem.tensors[tensor].projection;
  uint64_t product = 1, shared = 1;
  std::set<unsigned> used;
  bool disjoint = true;
  for (const Projection &coordinate : coordinates)
    for (const ProjectionTerm &term : coordinate.terms)
      disjoint &= used.insert(term.dim).second;
  for (const Projection &coordinate : coordinates) {
    uint64_t values = distinctValues(problem, coordinate, counts);
    product = counts.mul(product, values);
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
    Evaluation evaluation;
    std::optional<uint64_t> macs = macsOf(problem, evaluation.errors);
    if (!macs)
      return evaluation;
    CheckedCounts counts;
    Report report(arch.levelCount(), problem.tensors.size());
    report.evaluator = name();
    report.macs = report.executedMacs = report.actions.macs = *macs;
    uint64_t reads = 0, writes = 0;
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      uint64_t elements = touchedWords(problem, t, counts);
      // Ideal reuse streams a tensor whole: its elements fill DRAM's
      // words (arch/Packing.h).
      uint64_t words = storedWords(problem, t, arch.levels.front(), elements);
      TensorActions &dram = report.actions.at(0, t);
      if (problem.tensors[t].isOutput) {
        dram.updates = elements;
        counts.accumulate(writes, words);
      } else {
        dram.reads = elements;
        counts.accumulate(reads, words);
      }
    }
    uint64_t peak = std::max<uint64_t>(1, arch.peakMacsPerCycle());
    report.resourceCycles.push_back(
        {"compute", report.macs / peak + (report.macs % peak != 0)});
    const StorageLevel &dram = arch.levels.front();
    if (dram.readBandwidth)
      report.resourceCycles.push_back(
          {dram.name + " read",
           cyclesFor(counts, reads, *dram.readBandwidth, 1)});
    if (dram.writeBandwidth)
      report.resourceCycles.push_back(
          {dram.name + " write",
           cyclesFor(counts, writes, *dram.writeBandwidth, 1)});
    if (counts.overflowed()) {
      evaluation.errors.push_back(countOverflowError(problem));
      return evaluation;
    }
    report.settle(peak);
    report.actions.cycles = report.cycles; // Leakage runs through them.
    report.energy = energyOf(arch, report.actions, storedBits(problem));
    evaluation.report = std::move(report);
    return evaluation;
  }
};

} // namespace

std::unique_ptr<CostModel> createRooflineModel() {
  return std::make_unique<RooflineModel>();
}

} // namespace tessel
