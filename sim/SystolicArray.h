//===- sim/SystolicArray.h - A systolic PE array, every PE and wire -*- C++
//-*-//
//
// The PE array of a systolic level as it is built: rows x cols PEs, each
// with operand registers, a MAC pipeline and an accumulator, joined by
// neighbour links that forward one word per cycle. Words enter only at the
// array's edges, one port per row (left edge) and one per column (top edge),
// and leave at the far edges; nothing else reaches a PE.
//
// The array works in one of two modes (the lowering, sim/SystolicProgram.h,
// picks one from the mapping and orients the array so that it applies):
//
//  * Reduce (weight- and input-stationary): every PE holds a stationary
//    operand, loaded by shifting it down its column from the top edge (a
//    word per cycle per column; `stationaryBuffers` = 2 adds a shadow
//    register, so the next fold's operands load while the current fold
//    computes, and a PE switches to them when the first word of that fold
//    reaches it). The moving operand enters at the left edge and moves right;
//    partial sums enter at the top edge, each PE adds its product and passes
//    them down through its `macLatency`-stage pipeline; they leave at the
//    bottom edge.
//  * Accumulate (output-stationary): one operand moves right from the left
//    edge, the other down from the top edge; each PE accumulates its output
//    in place and, at the last word of a fold, moves it into its drain
//    register as soon as that is free; drain registers shift down their
//    column (a word per cycle, words from above first) and leave at the
//    bottom edge. A PE whose finished sum has found no room yet cannot
//    start the next fold: the array stalls.
//
// Words are values with a validity bit (a bubble: a lane or step beyond a
// tensor's bounds, which no PE computes with) and the fold they belong to.
// A PE computes (and counts a MAC) only when all its operands are valid and
// belong to the same fold. Each link counts the valid words it carries,
// each PE its MACs; step() is one clock cycle: every PE computes from the
// registers' contents, then every register takes its upstream neighbour's
// word (a two-phase update).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_SYSTOLICARRAY_H
#define TESSEL_SIM_SYSTOLICARRAY_H

#include <cstdint>
#include <string>
#include <vector>

namespace tessel::sim {

/// What travels on a wire of the array, or sits in a register.
struct Word {
  int64_t value = 0;
  uint64_t address = 0; ///< Output words: where the sum goes.
  uint32_t fold = 0;    ///< The fold it belongs to.
  bool present = false; ///< The wire carries a word (valid or a bubble).
  bool valid = false;   ///< It carries data (else a bubble).
  bool last = false;    ///< The last step of its fold.
};

/// A word leaving the array at the bottom edge in some cycle.
struct Departure {
  unsigned column = 0;
  Word word;
};

/// A fault to inject into one link, for tests of the functional check.
struct LinkFault {
  enum class Kind { None, Drop, Duplicate, Delay };
  Kind kind = Kind::None;
  /// Which chain: 'h' (moving right), 'v' (moving down), 'p' (partial
  /// sums), 'd' (drain) or 'l' (stationary load).
  char chain = 'h';
  unsigned lane = 0;     ///< Row of an 'h' chain, else column.
  unsigned position = 0; ///< The link into this PE position along it.
  uint64_t nth = 0;      ///< The nth valid word crossing that link.
};

class SystolicArray {
public:
  enum class Mode { Reduce, Accumulate };

  struct Config {
    unsigned rows = 1;
    unsigned cols = 1;
    Mode mode = Mode::Reduce;
    unsigned macLatency = 1;        ///< Pipeline stages per PE (>= 1).
    unsigned stationaryBuffers = 1; ///< Reduce mode: 1 or 2 per PE.
  };

  explicit SystolicArray(const Config &config);

  const Config &config() const { return cfg; }

  // Edge inputs for the next step(); cleared by it. Unset ports carry
  // nothing.
  /// The word entering row `row` at the left edge.
  Word &left(unsigned row) { return leftIn[row]; }
  /// Reduce: the partial sum entering column `col` at the top; Accumulate:
  /// the operand moving down.
  Word &top(unsigned col) { return topIn[col]; }
  /// Reduce: the stationary operand entering column `col`'s load chain.
  Word &load(unsigned col) { return loadIn[col]; }

  /// Reduce: copies the load chains into the PEs' stationary registers
  /// (with two buffers, into the shadow copies). Returns false, latching
  /// nothing, if some PE's target register still holds a fold in use.
  bool latchLoad();
  /// Reduce, two buffers: whether every shadow register is free for a
  /// latch (every PE has switched to its shadow's fold or holds none).
  bool shadowsFree() const;

  /// One clock cycle. Returns false (and changes nothing but the drain
  /// chains) when a PE must start a fold while its finished sum has found
  /// no free drain register yet: the array stalls.
  bool step();

  /// Words that left at the bottom edge in the last step.
  const std::vector<Departure> &departures() const { return departed; }
  /// Last-of-fold words that left the far edges in the last step, per
  /// fold (a fold has left the array when rows + cols of them have).
  const std::vector<uint32_t> &lastTokensOut() const { return lastOut; }
  /// Whether any word (valid or bubble) is in a compute chain.
  bool busy() const { return inFlight > 0; }
  /// Whether words moved through the PEs in the last step.
  bool wasBusy() const { return busyStep; }
  /// Whether a drain register held a word during the last step.
  bool wasDraining() const { return drainStep; }
  /// Whether any drain register holds a word.
  bool draining() const { return drainCount > 0; }

  // Counters, each kept by the component it belongs to.
  uint64_t macs() const { return macCount; }
  /// MACs of PE (col, row).
  uint64_t macsOf(unsigned col, unsigned row) const {
    return peMacs[size_t(row) * cfg.cols + col];
  }
  /// Valid words carried by links between PEs (not counting the edge
  /// ports), per chain: horizontal, vertical (operand), partial sums,
  /// drain, stationary load.
  struct LinkWords {
    uint64_t horizontal = 0, vertical = 0, partialSums = 0, drain = 0, load = 0;
  };
  const LinkWords &linkWords() const { return words; }
  /// Valid words latched into stationary registers.
  uint64_t stationaryLatched() const { return latched; }
  /// PE-cycles stepped (rows x cols per step that computed).
  uint64_t steppedPeCycles() const { return stepped; }
  /// Operand pairs that met at a PE from different folds (a program bug).
  uint64_t misaligned() const { return misalignedCount; }

  /// Test hook: corrupt one link (see LinkFault).
  void injectFault(const LinkFault &fault) { faultSpec = fault; }
  /// Accumulate mode: each PE's program for `fold`, the output address it
  /// accumulates into ([row * cols + col]; `valid` false for a PE the fold
  /// leaves idle), read by each PE as the fold's first words reach it. Two
  /// folds' programs are held: a third may be set once every PE has begun
  /// the fold whose slot it takes.
  bool canSetOutputs(uint32_t fold) const;
  void setOutputs(uint32_t fold, const std::vector<Word> &program);

  /// Per fold: MACs, and PEs that computed at least once.
  const std::vector<uint64_t> &macsPerFold() const { return foldMacs; }
  const std::vector<uint64_t> &pesPerFold() const { return foldPes; }

private:
  /// One chain of registers (a row's or a column's), stored as a ring
  /// indexed by the array's clock: the word entering at tick t sits at
  /// position p at tick t + p, in slot t mod size. Equivalent to shifting
  /// every register each cycle, without copying.
  struct Ring {
    std::vector<Word> slots;
    uint64_t mask = 0;
    void init(size_t positions);
    Word &at(uint64_t tick, uint64_t position) {
      return slots[(tick - position) & mask];
    }
  };

  Config cfg;
  size_t pes;
  uint64_t tick = 0; ///< Steps taken without a stall.
  std::vector<Word> leftIn, topIn, loadIn;
  std::vector<Ring> rows_;      ///< Operand moving right, one ring per row.
  std::vector<Ring> cols_;      ///< Reduce: partial sums (macLatency stages
                                ///< per PE); Accumulate: operand moving down.
  std::vector<Word> stat[2];    ///< Reduce: stationary (two copies).
  std::vector<uint8_t> active;  ///< Reduce: which copy is in use.
  std::vector<uint8_t> pending; ///< Reduce: shadow latched, not yet used.
  uint64_t pendingCount = 0;
  std::vector<Word> loadChain; ///< Reduce: column shift chains [row][col].
  uint64_t loadWords = 0;      ///< Words present in them.
  std::vector<Word> acc;       ///< Accumulate: the sum in each PE.
  std::vector<Word> drain;     ///< Accumulate: drain registers [row][col].
  /// Accumulate: output addresses per fold parity [2][pes], the fold each
  /// holds and how many PEs have begun it.
  std::vector<Word> outputAddress[2];
  int64_t programFold[2] = {-1, -1};
  uint64_t programStarted[2] = {0, 0};
  std::vector<uint64_t> peMacs;
  std::vector<uint32_t> peLastFold; ///< Fold of each PE's last MAC + 1.
  std::vector<uint64_t> foldMacs, foldPes;
  std::vector<Departure> departed;
  std::vector<uint32_t> lastOut;
  uint64_t inFlight = 0; ///< Words present in the rings.
  bool busyStep = false;
  bool drainStep = false;
  uint64_t drainCount = 0;
  uint64_t finishedCount = 0; ///< Finished sums not yet in drain registers.
  uint64_t macCount = 0;
  LinkWords words;
  uint64_t latched = 0;
  uint64_t stepped = 0;
  uint64_t misalignedCount = 0;
  LinkFault faultSpec;
  enum class FaultState { Armed, Duplicating, Delaying, Done };
  FaultState faultState = FaultState::Armed;
  uint64_t faultSeen = 0;
  Word faultWord; ///< The copy to send again, or the word held back.

  void stepReduce();
  bool stepAccumulate();
  void stepLoads();
  void shiftDrains();
  /// Accumulate: moves PE `pe`'s finished sum into its drain register if
  /// that is free.
  void deposit(size_t pe);
  void countMac(size_t pe, uint32_t fold);
  /// Applies the fault to a word arriving over (chain, lane, position).
  void fault(char chain, unsigned lane, unsigned position, Word &word);
  /// A word reaching the far edge of a ring at the end of this step.
  void leave(Word &word, bool depart, unsigned col);
};

} // namespace tessel::sim

#endif // TESSEL_SIM_SYSTOLICARRAY_H
