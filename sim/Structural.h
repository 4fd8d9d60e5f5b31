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
#include <functional>
#include <memory>
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
  /// Traces (sim/Trace.h), if set: a track per buffer instance (the first
  /// 64 of a level) and per PE group under one parent instance, a
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
  /// The network ports where words waited longest (at most five): each
  /// router output ("GLB[3] GLB(0,0)->(1,0)") with the cycles in which a
  /// word wanted it and could not go (no credit, busy, or its rate).
  std::vector<std::pair<std::string, uint64_t>> busiestLinks;
  /// What the user should know about how it ran (e.g. why a systolic array
  /// did not run as built).
  std::vector<std::string> notes;
  bool systolicAsBuilt = false; ///< The systolic level ran its array.
  double seconds = 0;
};

/// Simulates `mapping` (which must verify) structurally, every cycle in
/// this process (any number of times: no SystemC). Errors (a mapping the
/// simulator does not run yet, a stuck run) come back in `error`.
StructuralResult simulateStructural(const Problem &problem, const Arch &arch,
                                    const Mapping &mapping,
                                    const StructuralOptions &options = {});

/// The same simulation as the phases of each cycle, for a kernel that
/// clocks the components as modules (sim/StructuralTop.h: SystemC). A
/// cycle runs begin, programs of every level from the PEs out, ports and
/// drains of every level from the outermost in, pes, network of every
/// level from the outermost in, end; simulateStructural runs exactly this.
/// Levels are numbered from the outermost (0) to the PEs.
class StructuralPhases {
public:
  virtual ~StructuralPhases() = default;
  virtual unsigned levelCount() const = 0;
  /// Before the first cycle.
  virtual void prepare() = 0;
  /// With a systolic array run as built: runs it; eachCycle(t) must run
  /// cycle t's phases for the rest of the hierarchy and say whether a word
  /// moved. Returns the cycle the hierarchy goes on from (0 without).
  virtual uint64_t runArray(const std::function<bool(uint64_t)> &eachCycle) = 0;
  virtual void begin(uint64_t cycle) = 0;    ///< The control path delivers.
  virtual void programs(unsigned level) = 0; ///< Tiles finish and start.
  virtual void ports(unsigned level) = 0;    ///< Read ports into networks.
  virtual void drains(unsigned level) = 0;   ///< Sums into the parents'.
  virtual void pes() = 0;                    ///< MACs issue.
  virtual void network(unsigned level) = 0;  ///< Words move and land.
  virtual void end() = 0;                    ///< Rates tick, traces sample.
  virtual bool moved() const = 0;            ///< In this cycle.
  /// After a cycle (beyond the array's): false once the run is over
  /// (finished, stuck, at its limit, interrupted, failed).
  virtual bool after() = 0;
  /// Once over: the result.
  virtual StructuralResult finish() = 0;
  /// A failure before the first cycle (the mapping is not run), if any.
  virtual const std::string &error() const = 0;
};

/// The phases of `mapping`'s simulation; `error()` says if it cannot run.
std::unique_ptr<StructuralPhases>
structuralPhases(const Problem &problem, const Arch &arch,
                 const Mapping &mapping, const StructuralOptions &options);

} // namespace tessel::sim

#endif // TESSEL_SIM_STRUCTURAL_H
