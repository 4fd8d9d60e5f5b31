//===- tools/tessel/Refine.h - Simulating candidate mappings ----*- C++ -*-===//
//
// The process side of `tessel map --refine-with-sim K`: each candidate is a
// mapped module on disk (one op carrying one candidate mapping); this runs
// `tessel sim FILE --arch ARCH --json --long` on each, up to `jobs` at once,
// each in its own process group with a wall-clock timeout
// (support/Subprocess.h), and reads the simulated cycles and energy of the
// op from the JSON. The ranking itself is mapper/Refine.h.
//
// It lives in tools/ because the candidates are written as MLIR modules
// and the simulator's answer is JSON: mapper/ may include neither MLIR nor
// LLVM (DESIGN.md, test/layering/check_layers.py).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TOOLS_REFINE_H
#define TESSEL_TOOLS_REFINE_H

#include "mapper/Refine.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tessel::cli {

/// One simulation to run.
struct SimulationTask {
  std::string op;         ///< The op whose report to read.
  std::string modulePath; ///< The mapped module (one mapped op).
  std::string outputPath; ///< `tessel sim --json` output.
  std::string logPath;    ///< Its stderr.
  /// The Arch for this task (default: the run's), and a mapping YAML file
  /// to simulate instead of the module's attributes ("" for none).
  std::string arch;
  std::string mappingPath;
};

struct SimulationOutcome {
  std::optional<SimulatedFigures> figures;
  std::string failure; ///< Why there are no figures ("" with figures).
  double seconds = 0;
  bool interrupted = false; ///< Not run or stopped by SIGINT/SIGTERM.
};

/// Counts of simulations; `failed` leaves out the interrupted ones.
struct SimulationProgress {
  uint64_t finished = 0, failed = 0, running = 0, total = 0;
  double seconds = 0;
};

struct SimulationRunOptions {
  std::string tesselPath; ///< The `tessel` binary.
  std::string arch;       ///< As the user gave --arch (a preset or a file).
  std::string precision = "words"; ///< As the user gave --precision.
  unsigned jobs = 1;
  double timeoutSeconds = 300;
  /// Said after a timeout: how to allow longer.
  std::string timeoutHint = "--sim-timeout raises the limit";
  /// Called from the calling thread about twice a second while the
  /// simulations run, and once at the end.
  std::function<void(const SimulationProgress &)> onProgress;
};

/// Runs every task; the outcomes in task order. After SIGINT/SIGTERM no
/// task starts and the running ones are stopped (`interrupted`).
std::vector<SimulationOutcome>
runSimulations(const std::vector<SimulationTask> &tasks,
               const SimulationRunOptions &options);

/// The simulated figures of `op` in `tessel sim --json` output, or why
/// there are none.
std::optional<SimulatedFigures> parseSimulatedFigures(const std::string &json,
                                                      const std::string &op,
                                                      std::string &why);

} // namespace tessel::cli

#endif
