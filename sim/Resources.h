//===- sim/Resources.h - Ports, banks and links that words move through -*- C++
//-*-===//
//
// Plain C++ resources, stepped by the simulator's clocked methods:
//
//  * Port: one side (read or write) of one storage-level instance, a server
//    that takes 1/bandwidth cycles per word (none = unlimited). Its words
//    are spread over `banks` banks by address, each bank taking
//    banks/bandwidth cycles per word, so words that crowd one bank wait (a
//    bank conflict). At most `ports` transfers use it in one cycle.
//  * Links: the links of one network (from its graph), each a server of the
//    network's link bandwidth, each way. Transfers that need the same link
//    contend for it.
//  * Transfer: words moving from a supplier to a level (a fill, a
//    read-back), from a level up to its supplier (a drain), or between a
//    keeper and the compute units (operands, updates). Each cycle it is
//    granted as many words as every resource on its way allows, and counts
//    the actions of the words granted (reads, fills, updates, network words
//    and hops) as they move; it arrives `latency` cycles after its last
//    grant.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_RESOURCES_H
#define TESSEL_SIM_RESOURCES_H

#include "sim/Plan.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace tessel::sim {

/// Why a transfer moved fewer words than it wanted in a cycle.
enum class Limit : uint8_t { None, Bandwidth, Bank, Ports, Network };

class Port {
public:
  Port() = default;
  Port(std::optional<double> bandwidth, unsigned banks, unsigned ports);

  bool unlimited() const { return bandwidth == 0; }
  bool banked() const { return banks > 1 && !unlimited(); }
  unsigned bankCount() const { return banks; }
  /// Units of `wordsPerUnit` words that can start moving in cycle `now`
  /// (a unit wider than one cycle's bandwidth occupies the port for
  /// several cycles).
  uint64_t available(uint64_t now, uint64_t wordsPerUnit) const;
  /// Moves `units` units starting in cycle `now`; returns when the last
  /// word has gone through (in cycles, fractional).
  double take(uint64_t now, uint64_t units, uint64_t wordsPerUnit);
  /// Moves one word of bank `bank` if the bank and the port can start it in
  /// cycle `now`; sets `finish` to when it has gone through.
  bool takeFromBank(uint64_t now, unsigned bank, double &finish);
  /// Claims one of the port's transfer slots for cycle `now`.
  bool claimSlot(uint64_t now);

private:
  double bandwidth = 0; ///< Words per cycle; 0 = unlimited.
  unsigned banks = 1;
  unsigned ports = 1;
  double freeAt = 0; ///< When the port can start its next word.
  std::vector<double> bankFreeAt;
  uint64_t slotCycle = UINT64_MAX;
  unsigned slotsUsed = 0;
};

class Links {
public:
  Links() = default;
  Links(uint32_t links, std::optional<double> bandwidth);

  bool unlimited() const { return bandwidth == 0; }
  /// Units that can start in cycle `now`, each using `uses` (link, words).
  uint64_t available(uint64_t now,
                     const std::vector<std::pair<uint32_t, uint32_t>> &uses,
                     bool upward) const;
  /// Moves `units` units from cycle `now`; returns when the last word has
  /// crossed its busiest link.
  double take(uint64_t now,
              const std::vector<std::pair<uint32_t, uint32_t>> &uses,
              uint64_t units, bool upward);

private:
  double bandwidth = 0;
  std::vector<double> down, up; ///< When each link is free.
};

/// An action counter and how much one unit adds to it.
struct Increment {
  uint64_t *counter = nullptr;
  uint64_t perUnit = 0;
};

/// Words in flight between a supplier and a level (or the compute units).
struct Transfer {
  unsigned level = 0; ///< The level receiving (fills) or sending (drains).
  unsigned tensor = 0;
  uint64_t epoch = 0; ///< The epoch of `level` it belongs to.
  uint64_t units = 0; ///< Words per instance to move.
  uint64_t granted = 0;
  Port *from = nullptr;
  uint64_t fromWords = 1; ///< Words `from` moves per unit.
  Port *to = nullptr;
  uint64_t toWords = 1;
  Links *links = nullptr;
  const Route *route = nullptr;
  bool upward = false;
  /// Bank of each unit at the banked end (empty: no bank conflicts).
  std::vector<uint16_t> banks;
  Port *bankedPort = nullptr;
  uint64_t latency = 0;
  /// The cycle its last word is usable at the receiver: when that word has
  /// gone through every resource, plus the latency.
  uint64_t arrival = 0;
  uint64_t started = 0;
  std::vector<Increment> increments;
  Limit limit = Limit::None; ///< What held it back in its last cycle.

  bool done() const { return granted == units; }
  /// Moves what the resources allow in cycle `now`; returns the units
  /// moved.
  uint64_t advance(uint64_t now);
};

} // namespace tessel::sim

#endif // TESSEL_SIM_RESOURCES_H
