//===- sim/SystolicSim.h - A systolic level, simulated cycle by cycle -*- C++
//-*-//
//
// Runs a SystolicPlan on a SystolicArray: the level's buffer (a store of
// every tensor's words by coordinates, counting its reads, writes and
// updates), the edge ports' address generators, which walk the plan's loop
// nest with each lane's own skew, and the array's fold controller:
//
//  * one stationary buffer: a fold's stationary words are shifted in (a row
//    per cycle) once the previous fold has left the array, then its stream
//    starts;
//  * two: the next fold's words load while this fold computes, and the
//    stream starts as soon as this fold has left the array (or, with
//    foldOverlap, right behind this fold's last words).
//
// A fold has left the array when the last-of-fold mark of every row and
// every column has reached the far edge. The cycles are what the components
// took: nothing here computes a cycle count from the shape.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_SYSTOLICSIM_H
#define TESSEL_SIM_SYSTOLICSIM_H

#include "sim/SystolicArray.h"
#include "sim/SystolicPlan.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tessel {
struct Problem;
} // namespace tessel

namespace tessel::sim {

struct SystolicRunOptions {
  bool functional = true; ///< Compare the output with a direct computation.
  uint64_t seed = 1;      ///< Of the input values.
  LinkFault fault;        ///< Tests: a fault on one link.
  bool progress = false;  ///< A progress line on stderr about once a second.
  std::string progressLabel;
  /// Called after each cycle with the PEs that did a MAC in it (traces).
  std::function<void(uint64_t cycle, uint64_t busyPes)> eachCycleMacs;
};

/// What the cycles went to; the shares sum to the run's cycles.
struct CycleShare {
  std::string what;
  uint64_t cycles = 0;
};

struct FoldRecord {
  uint64_t start = 0; ///< First cycle of its load (or stream).
  uint64_t end = 0;   ///< The cycle its last mark left the array.
  uint64_t macs = 0;
  uint64_t pes = 0; ///< PEs that computed in it.
};

struct SystolicRun {
  SystolicPlan plan;
  uint64_t cycles = 0;       ///< Until every output word is in the buffer.
  uint64_t lastMacCycle = 0; ///< The cycle (from 0) of the last MAC.
  uint64_t macs = 0;
  std::vector<FoldRecord> folds;
  /// The level's buffer, per tensor (the Problem's order).
  std::vector<uint64_t> reads, writes, updates;
  SystolicArray::LinkWords links;
  /// Valid words that entered at the edges, per tensor.
  std::vector<uint64_t> injected;
  uint64_t stationaryLatched = 0;
  std::vector<CycleShare> shares;
  uint64_t steppedPeCycles = 0;
  uint64_t skippedPeCycles = 0; ///< PEs asleep: nothing in flight.
  double seconds = 0;
  bool checked = false; ///< The output was compared.
  std::string mismatch; ///< The first wrong output word, if any.
  uint64_t misaligned = 0;
  std::string error; ///< Why it stopped early, if it did.
  bool interrupted = false;
};

/// Words the run's buffer holds (every tensor's box), for memory limits.
uint64_t systolicStoreWords(const Problem &problem);

/// Where the array's edge ports read words and where its outputs land: the
/// systolic level's buffer. Addresses are a tensor's dense box over the
/// bounds, row-major, as Problem's coordinates give them.
class WordSource {
public:
  virtual ~WordSource() = default;
  /// Whether fold `fold`'s words are in the buffer (its tile is complete).
  virtual bool ready(uint64_t fold) = 0;
  /// Whether every dimension indexing tensor t is within its bound at
  /// `point` (else the word is a bubble).
  virtual bool valid(unsigned t, const int64_t *point) const = 0;
  virtual uint64_t address(unsigned t, const int64_t *point) const = 0;
  /// Reads a word for fold `fold` (counted by the buffer).
  virtual int64_t read(unsigned t, uint64_t address, uint64_t fold) = 0;
  /// A sum leaving the array for fold `fold`: written or added.
  virtual void accumulate(unsigned t, uint64_t address, int64_t value,
                          uint64_t fold) = 0;
  /// Fold `fold` has left the array.
  virtual void foldDone(uint64_t fold) { (void)fold; }
};

/// Simulates `plan` for `problem`, its level's buffer a stall-free store
/// of every tensor (SCALE-Sim's memory). Polls support/Interrupt.h.
SystolicRun runSystolic(const Problem &problem, const SystolicPlan &plan,
                        const SystolicRunOptions &options = {});

/// The same with the buffer `source`; `eachCycle(t)` runs the rest of the
/// hardware for cycle t before the array's controller and says whether
/// anything moved there (the run's watchdog counts only still cycles).
/// `run.reads` and the functional check are the source's to do.
SystolicRun runSystolic(const Problem &problem, const SystolicPlan &plan,
                        WordSource &source, const SystolicRunOptions &options,
                        const std::function<bool(uint64_t)> &eachCycle);

} // namespace tessel::sim

#endif // TESSEL_SIM_SYSTOLICSIM_H
