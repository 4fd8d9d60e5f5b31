//===- tools/tessel/SweepRun.h - One sweep, run as tessel sweep does *- C++ -*-===//
//
// `tessel sweep` and `tessel study` (which runs several sweeps, then writes
// the case-study document) share the run: database, progress line, table,
// CSV and plots.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TOOLS_SWEEPRUN_H
#define TESSEL_TOOLS_SWEEPRUN_H

#include <string>

namespace tessel::cli {

struct SweepCommandOptions {
  std::string file;
  std::string out = "sweep-out";
  std::string root = TESSEL_SOURCE_DIR;
  unsigned threads = 1;
  bool list = false;
  bool progress = false;
};

/// Runs the sweep `options.file` into `options.out`; the exit status of
/// `tessel sweep` (0, 1 if a point or simulation failed, 130 on Ctrl-C).
int runSweepCommand(const SweepCommandOptions &options);

} // namespace tessel::cli

#endif
