//===- sim/Dram.h - DRAM with timing: channels, banks, row buffers -*- C++ -*-//
//
// A DRAM device and its controller as one self-contained component (plain
// C++, no SystemC): word requests go in, each served as the burst that
// holds the word, and completions come out with the accelerator cycle by
// which their data has crossed the data bus. Every channel has a bounded
// request queue (backpressure: canAccept), a FR-FCFS scheduler, banks with
// open-page row buffers, and JEDEC timing (sim/Dram.cpp, docs/sim.md
// "DRAM"). Each bank and channel counts its own events.
//
// Event driven, so idle DRAM costs nothing:
//
//   Dram dram(*level.dram, arch.clockGHz, level.wordBits);
//   for (uint64_t cycle = 0; ...; cycle = next) {
//     dram.advanceTo(cycle);                    // run the DRAM up to `cycle`
//     while (std::optional<DramCompletion> done = dram.popCompleted())
//       ...;                                    // done->tag, done->cycle
//     if (dram.canAccept(dram.locate(address).channel))
//       dram.request(address, /*write=*/false, tag);  // made at `cycle`
//     next = std::min(dram.nextEvent(), <the caller's own next cycle>);
//   }
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_DRAM_H
#define TESSEL_SIM_DRAM_H

#include "arch/Arch.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>

namespace tessel::sim {

/// Where a word's burst lives.
struct DramLocation {
  unsigned channel = 0;
  unsigned bank = 0; ///< In the channel; its bank group is bank % bankGroups.
  uint64_t row = 0;
  unsigned column = 0; ///< The burst's place in the row.
};

/// A request whose data has moved.
struct DramCompletion {
  uint64_t tag = 0;
  uint64_t cycle = 0; ///< Accelerator cycle by which the burst has moved.
  bool write = false;
};

/// One bank's events. A request is a row hit, miss (bank closed) or
/// conflict (another row open) by the first command issued for it: its
/// READ/WRITE, an ACTIVATE or a PRECHARGE.
struct DramBankCounts {
  uint64_t rowHits = 0;
  uint64_t rowMisses = 0;
  uint64_t rowConflicts = 0;
  uint64_t activates = 0;
  uint64_t precharges = 0;
  uint64_t reads = 0;  ///< READ bursts.
  uint64_t writes = 0; ///< WRITE bursts.
  uint64_t refreshes = 0;

  DramBankCounts &operator+=(const DramBankCounts &other);
};

/// One channel's events.
struct DramChannelCounts {
  uint64_t requests = 0;  ///< Accepted word requests.
  uint64_t coalesced = 0; ///< Requests served by a burst already queued.
  uint64_t bursts = 0;    ///< READ and WRITE bursts on the data bus.
  uint64_t dataBusBusyCycles = 0; ///< DRAM cycles of data transfer.
};

class Dram {
public:
  static constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

  /// Throws std::invalid_argument for a spec that checkDramSpec refuses
  /// (arch/DramPresets.h) or a clock that is not positive.
  Dram(const DramSpec &spec, double acceleratorClockGHz, unsigned wordBits);
  Dram(Dram &&) noexcept;
  Dram &operator=(Dram &&) noexcept;
  ~Dram();

  const DramSpec &spec() const;
  unsigned wordsPerBurst() const;
  /// Where the burst holding `wordAddress` lives (addresses wrap at the
  /// device's capacity).
  DramLocation locate(uint64_t wordAddress) const;

  /// Whether `channel`'s request queue has room.
  bool canAccept(unsigned channel) const;
  /// A read or write of the word at `wordAddress`, made at now(). Needs
  /// canAccept(locate(wordAddress).channel); throws std::logic_error if not.
  void request(uint64_t wordAddress, bool write, uint64_t tag);

  /// Runs the DRAM to accelerator cycle `cycle` (>= now()): every command
  /// due before that instant is issued. Throws std::logic_error if `cycle`
  /// is before now().
  void advanceTo(uint64_t cycle);
  uint64_t now() const;
  /// The next accelerator cycle at which something happens: a completion
  /// to pop (at or before now() if one is waiting) or a command to issue
  /// for a queued request. kNever when nothing is pending (refresh of an
  /// idle DRAM is caught up by the next advanceTo, not an event).
  uint64_t nextEvent() const;
  /// The earliest completion due by now(), if any, oldest first.
  std::optional<DramCompletion> popCompleted();

  /// `dramCycles` DRAM clock cycles in accelerator cycles, rounded up.
  uint64_t toAcceleratorCycles(uint64_t dramCycles) const;

  const DramBankCounts &bankCounts(unsigned channel, unsigned bank) const;
  const DramChannelCounts &channelCounts(unsigned channel) const;
  /// The sum over every bank of every channel.
  DramBankCounts bankTotals() const;

private:
  struct State;
  std::unique_ptr<State> state;
};

} // namespace tessel::sim

#endif // TESSEL_SIM_DRAM_H
