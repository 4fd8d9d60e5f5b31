//===- sim/Engine.h - Controllers and sequencer, cycle by cycle -*- C++ -*-===//
//
// The dynamic half of the simulator, as plain C++ that SystemC's clocked
// methods step (sim/Modules.h):
//
//  * one controller per storage level runs the level's loop nest epoch by
//    epoch: it fills the next tile (the words entering the box, word by
//    word through the supplier's read port, the supplier's network and its
//    own write port) as soon as the supplier holds them, ahead of the
//    compute when the level has room for both tiles (double buffering),
//    else after the current tile is released; it releases a tile when every
//    step using it has issued and every update to it has landed, draining
//    the output words that leave up to its supplier;
//  * the sequencer issues the compute steps in order, up to `macsPerPE` per
//    cycle, when every level's tile for the step is in place and the
//    step's operand reads and updates are granted at the keepers; it
//    records why it could not (the stall breakdown);
//  * the PE array (sim/PeArray.h) performs the issued steps, each PE lagging
//    by its skew.
//
// Every cycle is either a compute cycle (a step issued) or a stall with a
// cause; the cycles after the last issue are pipeline fill/drain.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_ENGINE_H
#define TESSEL_SIM_ENGINE_H

#include "arch/Energy.h"
#include "sim/PeArray.h"
#include "sim/Plan.h"
#include "sim/Resources.h"

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace tessel::sim {

class ChromeTrace;
class Datapath;

struct Stall {
  std::string reason;
  uint64_t cycles = 0;
};

class Engine {
public:
  Engine(const Plan &plan, Datapath *datapath, ChromeTrace *trace);
  ~Engine();

  /// Runs the controllers and the sequencer in cycle `now` (cycles in
  /// increasing order). Returns the next cycle that needs a step: now + 1
  /// while anything moves, later while everything waits on a latency.
  uint64_t step(uint64_t now);
  bool finished() const { return done; }
  /// Cycles of the whole run (valid once finished).
  uint64_t cycles() const { return endCycle; }

  PeArray &peArray() { return pes; }
  ActionCounts &actions() { return counts; }
  /// Cycles in which at least one step issued.
  uint64_t computeCycles() const { return busyCycles; }
  /// Stall cycles by cause, in order of first occurrence.
  const std::vector<Stall> &stalls() const { return stallList; }

  // State for signals and traces.
  uint64_t issuedSteps() const { return nextStep; }
  int64_t currentEpoch(unsigned level) const;
  bool filling(unsigned level) const;
  bool draining(unsigned level) const;
  /// The stall cause of the last cycle stepped ("" when a step issued).
  const std::string &lastCause() const { return cause; }

private:
  struct Level;
  /// What a fill that cannot start is waiting for.
  enum class Waiting { Nothing, Supplier, Capacity, Drains };

  const Plan &plan;
  Datapath *datapath;
  ChromeTrace *trace;
  ActionCounts counts;
  PeArray pes;
  std::vector<Port> readPorts, writePorts; ///< [level], representative.
  std::vector<Links> links;                ///< [level]
  std::vector<std::unique_ptr<Level>> levelStates;
  unsigned lanes;
  uint64_t nextStep = 0;
  uint64_t lastIssueCycle = 0;
  uint64_t lastLanding = 0;
  std::vector<Transfer> operands; ///< Of the step being issued.
  bool operandsStarted = false;
  bool operandsFree = true;
  std::vector<Increment> freeOperandIncrements;
  uint64_t busyCycles = 0;
  std::vector<Stall> stallList;
  std::string cause;
  bool done = false;
  uint64_t endCycle = 0;
  uint64_t lastDrainArrival = 0;
  uint64_t lastOperandArrival = 0;
  unsigned sequencerTrack = 0;
  std::string traceState;
  uint64_t traceStateSince = 0;

  bool ready(unsigned level, uint64_t epoch, uint64_t now) const;
  std::string blockedCause(unsigned level, uint64_t epoch, uint64_t now) const;
  bool tryStartFill(Level &level, uint64_t now);
  bool advanceFill(Level &level, uint64_t now);
  bool tryRelease(Level &level, uint64_t now);
  bool issueSteps(uint64_t now, uint64_t &issued);
  bool operandsGranted(uint64_t now);
  void startOperands();
  Transfer makeTransfer(const Residency &r, bool readBack, bool drain,
                        uint64_t units, uint64_t epoch);
  void addStall(const std::string &reason, uint64_t cycles);
  void traceSequencer(const std::string &state, uint64_t now);
  uint64_t nextEvent(uint64_t now) const;
};

} // namespace tessel::sim

#endif // TESSEL_SIM_ENGINE_H
