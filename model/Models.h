//===- model/Models.h - The built-in models and their shared parts -*- C++ -*-//
#ifndef TESSEL_MODEL_MODELS_H
#define TESSEL_MODEL_MODELS_H

#include "model/CostModel.h"
#include "support/Checked.h"

namespace tessel {

class NestAnalysis;

std::unique_ptr<CostModel> createReuseModel();
std::unique_ptr<CostModel> createDataflowModel();
std::unique_ptr<CostModel> createRooflineModel();

/// Adds the cycles of the compute units (the temporal steps, `macsPerPE`
/// lanes sharing them) and of every level's read port, write port and
/// network, each carrying the report's traffic at its bandwidth per
/// active instance. Unlimited bandwidths add nothing.
void addResourceCycles(const Arch &arch, const NestAnalysis &nest,
                       Report &report);

/// How a counting model turns traffic into cycles.
struct CountingOptions {
  /// Keep a sliding window's overlap across every loop advance, not only
  /// the innermost (model/Accounting.h).
  bool wrapReuse = true;
  /// Add the cycles the hierarchy's mechanism exposes (model/Timing.h).
  bool exposedLatency = false;
  /// Added to every resource (a model's own fill/drain estimate).
  uint64_t extraCycles = 0;
  /// Count a residual mapping that clips a bound on its clipped nest
  /// (model/ClippedAccounting.h) instead of refusing it.
  bool clippedNest = false;
  /// Count accesses by Timeloop's rules (model/TimeloopAccounting.h)
  /// instead of Tessel's.
  bool timeloopAccounting = false;
};

/// The evaluation the counting models share: verify, count accesses
/// (model/Accounting.h), add resource cycles (and, as `options` say, the
/// exposed cycles), energy, settle the bottleneck.
Evaluation evaluateByCounting(const std::string &evaluator,
                              const Problem &problem, const Arch &arch,
                              const Mapping &mapping,
                              const CountingOptions &options);

/// evaluateByCounting's floor (CostModel::floor), without a NestAnalysis:
/// the mapping verified as evaluateByCounting verifies it; cycles at least
/// the compute units'; energy at least the MACs', each input element read
/// and each output element updated once at the outermost level, and, where
/// no systolic array restages operands, each compute step's operands read
/// (and sum updated) at their innermost keeper. A residual mapping that
/// clips, Timeloop's accounting or a count beyond 64 bits: no floor.
CostFloor floorByCounting(const Problem &problem, const Arch &arch,
                          const Mapping &mapping,
                          const CountingOptions &options);

/// ceil(words / (wordsPerCycle * instances)); a result beyond 64 bits marks
/// `counts` as overflowed.
uint64_t cyclesFor(CheckedCounts &counts, uint64_t words, double wordsPerCycle,
                   uint64_t instances);

/// The op's MACs, or (with an error added) nothing if they exceed 64 bits.
std::optional<uint64_t> macsOf(const Problem &problem,
                               std::vector<MappingError> &errors);
/// Whether a counting model can evaluate `mapping`: only the reuse model
/// (`clippedNest`, for outputs indexed by plain dimensions) counts a
/// residual factorization that clips a bound (docs/model.md); if not,
/// says so in `errors`.
bool countable(const Problem &problem, const Mapping &mapping,
               std::vector<MappingError> &errors, bool clippedNest = false);
/// The error of an evaluation whose counts exceed 64 bits.
MappingError countOverflowError(const Problem &problem);

} // namespace tessel

#endif
