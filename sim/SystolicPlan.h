//===- sim/SystolicPlan.h - A mapping lowered onto a systolic array -*- C++
//-*-//
//
// What the controllers of a systolic level do, derived from the mapping and
// nothing else: which tensor each PE holds (the stationary one), which
// enters at the left edge and moves right, which at the top and moves down
// (an operand, or the partial sums the PEs add to), and the loop nest the
// edge ports' address generators walk: the folds (every temporal loop
// outside the stream), the stream (the innermost temporal loops that do not
// index the stationary tensor: the words that pass a PE while its
// stationary word stays) and the spatial loops that give each row and
// column its part of the iteration space.
//
// The array may be used transposed (the mapping's rows along the Arch's X
// axis): the plan's rows and columns are the frame the array works in.
// Points beyond a dimension's bound (the last tile of a dimension its
// factors do not divide) are bubbles: they travel, nothing computes on
// them.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_SYSTOLICPLAN_H
#define TESSEL_SIM_SYSTOLICPLAN_H

#include "sim/SystolicArray.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {
struct Arch;
struct Mapping;
struct Problem;
} // namespace tessel

namespace tessel::sim {

/// One loop of the lowered nest: its dimension, trip count and the weight
/// of its index in the dimension (the product of that dimension's factors
/// inside it).
struct NestLoop {
  unsigned dim = 0;
  uint64_t factor = 1;
  int64_t weight = 1;
};

/// How the Arch's systolic array behaves between folds (docs/sim.md).
struct SystolicTiming {
  unsigned stationaryBuffers = 1; ///< 2: the next fold loads while this
                                  ///< one computes (TPU-style).
  bool foldOverlap = false;       ///< Consecutive folds stream back to back.
};

struct SystolicPlan {
  unsigned level = 0;      ///< The systolic storage level.
  unsigned rows = 0;       ///< Frame rows (lanes of the left edge).
  unsigned cols = 0;       ///< Frame columns (lanes of the top edge).
  bool transposed = false; ///< Frame rows are the Arch's X axis.
  SystolicArray::Mode mode = SystolicArray::Mode::Reduce;
  unsigned macLatency = 1;
  /// The most cycles a word takes on the slowest read port or link between
  /// the outermost level and the array (1 for a word or more per cycle):
  /// how long the array may rightly wait between two words.
  uint64_t slowestWordCycles = 1;
  SystolicTiming timing;
  int stationary = -1;     ///< Tensor held in the PEs (Reduce), else -1.
  unsigned horizontal = 0; ///< Tensor entering the left edge.
  unsigned vertical = 0;   ///< Accumulate: the operand entering the top.
  unsigned output = 0;
  std::string dataflow; ///< "weight-stationary", "output-stationary", ...

  std::vector<NestLoop> foldLoops;   ///< Outer first.
  std::vector<NestLoop> streamLoops; ///< Outer first.
  std::vector<NestLoop> rowLoops;    ///< Spatial loops over frame rows.
  std::vector<NestLoop> colLoops;    ///< Spatial loops over frame columns.
  uint64_t folds = 1;
  uint64_t streamSteps = 1;
  uint64_t rowsUsed = 1, colsUsed = 1; ///< Products of the spatial loops.
};

/// Lowers `mapping` onto the systolic array of level `level` of `arch`.
/// Returns false with the reason in `error` when the mapping cannot run on
/// it (e.g. a tensor every PE needs at once, with no axis to flow along).
/// Loops of levels above `firstStreamLevel` are never stream loops (a
/// fold then never spans two of that level's tiles).
bool planSystolic(const Problem &problem, const Arch &arch,
                  const Mapping &mapping, unsigned level,
                  const SystolicTiming &timing, SystolicPlan &plan,
                  std::string &error, unsigned firstStreamLevel = 0);

} // namespace tessel::sim

#endif // TESSEL_SIM_SYSTOLICPLAN_H
