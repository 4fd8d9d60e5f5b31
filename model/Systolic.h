//===- model/Systolic.h - A systolic array run as built -----------*- C++ -*-//
//
// The reuse model's view of a systolic level right above the PEs that the
// mapping runs as built (docs/model.md, "A systolic array as built"): which
// dataflow its wiring runs, its folds and streams (for the timing in
// model/Timing.cpp), and what its register chains do to the PE level's
// counts (words shift through every PE of a row or column, each landing in
// a register; every MAC reads both operand registers and updates the sum
// passing through). Internal to model/.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_SYSTOLIC_H
#define TESSEL_MODEL_SYSTOLIC_H

#include <cstdint>

namespace tessel {

struct Arch;
struct Mapping;
struct Problem;
struct Report;
class NestAnalysis;

/// The array of the level right above the PEs, when the mapping runs it as
/// built: the level keeps the output and is one array (no spatial loop
/// above it), and a dataflow fits its wiring. Words enter only at the
/// edges: an operand that moves along the rows must be the same for every
/// PE of a row (not indexed by the columns' loops), and the output either
/// stays in the PEs (output-stationary: the other operand moves down, not
/// indexed by the rows' loops) or moves down the columns summing (an input
/// held in the PEs, the output not indexed by the rows' loops). The stream
/// is the innermost run of temporal loops (of the array's level and the
/// PEs') that do not index the tensor the PEs hold; every other temporal
/// step is a new fold. The array may be used either way round. Of the
/// dataflows that fit, the array runs the one with the longest stream;
/// then the one whose held tensor the PEs' registers keep; then the
/// untransposed one; then weight-, input-, output-stationary (moving the
/// first input right), output-stationary (moving the second).
struct SystolicFolds {
  bool asBuilt = false;
  unsigned level = 0;
  uint64_t folds = 0;  ///< Over the run.
  uint64_t stream = 1; ///< Steps per fold.
  bool reduce = true;  ///< An input stays (partial sums move), else the output.
  uint64_t rows = 1, cols = 1; ///< The array's, in the frame it runs in.
  uint64_t rowsUsed = 1, colsUsed = 1; ///< The spatial loops' products.
  unsigned held = 0;       ///< The tensor the PEs hold (the output if !reduce).
  unsigned horizontal = 0; ///< The input entering at the left edge.
  unsigned vertical = 0;   ///< Entering at the top: the output or an input.
};

SystolicFolds systolicFolds(const Problem &problem, const Arch &arch,
                            const Mapping &mapping, const NestAnalysis &nest);

/// The PE level's counts of an array run as built, replacing what the
/// level hierarchy's accounting gave it: every MAC reads both operand
/// registers and updates the sum passing through; a word entering a row's
/// left edge lands in every PE of the row, one entering a column's top in
/// every PE of the column, and a stationary word loaded down a column in
/// the PEs above its row and its own (a fill each). Does nothing when the
/// array does not run as built.
void countSystolicArray(const Problem &problem, const Mapping &mapping,
                        const NestAnalysis &nest, const SystolicFolds &array,
                        Report &report, bool wrapReuse);

} // namespace tessel

#endif
