//===- validation/ScaleSim.h - SCALE-Sim v2's inputs on Tessel's array -*- C++
//-*-//
//
// Reads SCALE-Sim v2's own inputs, a `.cfg` (its [architecture_presets]:
// ArrayHeight, ArrayWidth, SRAM sizes, Dataflow os/ws/is) and a topology
// CSV (the convolution form `Layer name, IFMAP Height, IFMAP Width, Filter
// Height, Filter Width, Channels, Num Filter, Strides,` or the GEMM form
// `Layer, M, N, K,`), builds the equivalent Arch (one buffer feeding an
// ArrayHeight x ArrayWidth systolic array, SCALE-Sim's stall-free memory, one
// stationary buffer per PE) and mapping (SCALE-Sim's folding: column folds
// outer, row folds inner), simulates each layer on the structural systolic
// array (sim/SystolicSim.h) and reports SCALE-Sim's COMPUTE_REPORT columns
// from what the simulation did.
//
// A convolution is run as SCALE-Sim runs it: its im2col GEMM, M = output
// pixels (ceil((ifmap - filter + stride) / stride) per axis), N = filters,
// K = filter height x width x channels. docs/scalesim.md lists the
// differences from SCALE-Sim's own counting.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_VALIDATION_SCALESIM_H
#define TESSEL_VALIDATION_SCALESIM_H

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "sim/SystolicSim.h"
#include "workloads/Problem.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel {

/// A malformed SCALE-Sim input: the message starts with "file:line: ".
struct ScaleSimError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ScaleSimConfig {
  std::string file;
  std::string runName;
  unsigned arrayHeight = 0; ///< Rows (SCALE-Sim's R).
  unsigned arrayWidth = 0;  ///< Columns (C).
  uint64_t ifmapSramKB = 0, filterSramKB = 0, ofmapSramKB = 0;
  std::string dataflow; ///< "os", "ws" or "is".
};

struct ScaleSimLayer {
  std::string name;
  unsigned line = 0;
  bool gemm = false;
  // The convolution form (GEMM layers: ifmap M x K, filter 1 x K, 1 channel).
  int64_t ifmapHeight = 0, ifmapWidth = 0, filterHeight = 0, filterWidth = 0,
          channels = 0, filters = 0, strideHeight = 1, strideWidth = 1;
  // The GEMM SCALE-Sim runs.
  int64_t m = 0, n = 0, k = 0;
};

/// Throws ScaleSimError.
ScaleSimConfig readScaleSimConfig(const std::string &path);
/// The form from the header line (4 columns: GEMM), unless `gemm` forces it
/// (1 GEMM, 0 convolution, -1 detect). Throws ScaleSimError.
std::vector<ScaleSimLayer> readScaleSimTopology(const std::string &path,
                                                int gemm = -1);

/// The Problem, Arch and mapping Tessel simulates for one layer.
struct ScaleSimCase {
  Problem problem;
  Arch arch;
  Mapping mapping;
  sim::SystolicTiming timing;
};
ScaleSimCase scaleSimCase(const ScaleSimConfig &config,
                          const ScaleSimLayer &layer);

/// One layer's row of the report.
struct ScaleSimResult {
  std::string layer;
  int64_t m = 0, n = 0, k = 0;
  /// SCALE-Sim's "Total Cycles": the cycle (from 0) in which the last fold
  /// left the array.
  uint64_t totalCycles = 0;
  uint64_t stallCycles = 0;     ///< Cycles the array stood still.
  double overallUtil = 0;       ///< MACs / (totalCycles x R x C), %.
  double mappingEfficiency = 0; ///< Mean over folds of PEs used / (R C), %.
  double computeUtil = 0; ///< Mean over folds of MACs / (R C fold cycles), %.
  uint64_t ifmapReads = 0, filterReads = 0, ofmapWrites = 0;
  uint64_t cycles = 0; ///< Tessel's count: until every output is written.
  /// The reuse model's cycles for the same Arch and mapping (its folds,
  /// skew and drain: model/Timing.h), to check it against the array.
  uint64_t modelCycles = 0;
  uint64_t folds = 0;
  sim::SystolicRun run;
};

struct ScaleSimOptions {
  bool check = false; ///< Compare each output with a direct computation.
  /// Beyond SCALE-Sim: 2 lets the next fold's stationary operands shift in
  /// while the current fold computes; foldOverlap streams folds back to
  /// back (needs 2). SCALE-Sim's own model is 1 and no overlap.
  sim::SystolicTiming timing{1, false};
  bool progress = false;
  bool allowLong = false; ///< Run layers estimated to take long anyway.
};

/// Simulates one layer. Throws ScaleSimError when it cannot run.
ScaleSimResult runScaleSimLayer(const ScaleSimConfig &config,
                                const ScaleSimLayer &layer,
                                const ScaleSimOptions &options = {});

/// SCALE-Sim's COMPUTE_REPORT.csv (its columns, its number format).
std::string scaleSimComputeReport(const std::vector<ScaleSimResult> &results);
/// Tessel's detail per layer: the GEMM, both cycle counts, SRAM counts,
/// link words, the cycle breakdown.
std::string scaleSimDetailReport(const std::vector<ScaleSimResult> &results);

} // namespace tessel

#endif // TESSEL_VALIDATION_SCALESIM_H
