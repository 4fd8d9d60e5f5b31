//===- sim/Structural.h - Every buffer instance, link and PE, cycle by cycle -*-
// C++ -*-//
//
// The structural simulator of a level hierarchy (issue #12): every instance
// of every storage level exists, with what it holds (tiles of words, by
// coordinates, with their values), its read and write ports, and its own
// program: the sequence of tiles its position in the array needs, from the
// mapping. Words move because programs ask for them:
//
//  * an instance that starts a tile requests the words it does not already
//    hold from its supplier (the nearest outer level that keeps the
//    tensor); a level that bypasses the tensor relays requests up and words
//    down; requests travel on a control path, one cycle per level;
//  * a keeper serves a queued request once it holds the word, through its
//    read port (the level's read bandwidth, after its latency), into its
//    network (sim/Noc.h: links, routers, XY routing, credits). Requests for
//    the same word that wait together are served by one read and one
//    multicast (where the network multicasts);
//  * a PE (the innermost level's instance) issues a MAC when its operand
//    words are present in its registers, one step per cycle (macsPerPE
//    lanes), and accumulates into its output tile;
//  * output tiles start at zero; when an instance moves to its next tile,
//    the output words that leave go up to the supplier as partial sums,
//    added there (an update); siblings draining the same word at the same
//    step are summed by the network where it reduces;
//  * a level holds two tiles at once (double buffering) when two of its
//    largest tiles fit; then the next tile is requested as soon as the
//    second buffer is free (while the current one still fills or is
//    computed on; a word both need and still on its way is asked for once
//    and fills both), else once the current one is released (keeping the
//    words both share).
//
// Every component counts its own events: each instance its reads, fills
// (words arriving from the network) and updates, each link the words that
// cross it, each PE its MACs. DRAM is the outermost level's instance with
// its bandwidth and latency, or, when the level has a `dram:` block, the
// DRAM component (sim/Dram.h: channels, banks, row buffers, timing).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_STRUCTURAL_H
#define TESSEL_SIM_STRUCTURAL_H

#include "mapping/Report.h"
#include "sim/SystolicSim.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {
struct Arch;
struct Mapping;
struct Problem;
} // namespace tessel

namespace tessel::sim {

class ChromeTrace;
class UtilizationCsv;
class VcdWriter;

struct StructuralOptions {
  /// Traces (sim/Trace.h), if set: a track per buffer instance (per group
  /// of 64 beyond that) and per PE group under one parent instance, a
  /// slice per tile from its start to its release; counters of PEs
  /// computing, words waiting to enter a network and each level's words on
  /// its links, every utilizationInterval cycles.
  ChromeTrace *trace = nullptr;
  UtilizationCsv *utilization = nullptr; ///< PEs computing per interval.
  /// Signals per cycle, if set: PEs computing, each level's first
  /// instance's tiles done, each level's words on its links, the array's
  /// folds done.
  VcdWriter *vcd = nullptr;
  uint64_t utilizationInterval = 100;
  bool functional = false; ///< Compare the output with a direct computation.
  uint64_t seed = 1;       ///< Of the input values.
  bool progress = false;   ///< A progress line on stderr about once a second.
  std::string progressLabel;
  uint64_t cycleLimit = 0; ///< Stop (with an error) after this many; 0: none.
};

struct StructuralResult {
  Report report{0, 0};
  std::vector<CycleShare> shares; ///< What the cycles went to.
  bool checked = false;
  std::string mismatch;
  std::string error;
  bool interrupted = false;
  uint64_t instances = 0; ///< Buffer instances simulated, every level.
  uint64_t pes = 0;       ///< PEs the mapping uses.
  uint64_t peSteps = 0;   ///< MAC steps the PEs issued.
  /// With DRAM timing (the outermost level's `dram:`): its banks' events.
  std::vector<std::pair<std::string, uint64_t>> dram;
  /// What the user should know about how it ran (e.g. why a systolic array
  /// did not run as built).
  std::vector<std::string> notes;
  bool systolicAsBuilt = false; ///< The systolic level ran its array.
  double seconds = 0;
};

/// Simulates `mapping` (which must verify) structurally. Errors (a mapping
/// the simulator does not run yet, a stuck run) come back in `error`.
StructuralResult simulateStructural(const Problem &problem, const Arch &arch,
                                    const Mapping &mapping,
                                    const StructuralOptions &options = {});

} // namespace tessel::sim

#endif // TESSEL_SIM_STRUCTURAL_H
