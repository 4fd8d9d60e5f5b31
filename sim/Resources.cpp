//===- sim/Resources.cpp --------------------------------------------------===//
#include "sim/Resources.h"

#include <algorithm>
#include <cmath>

namespace tessel::sim {

namespace {
constexpr double kEpsilon = 1e-9;

/// Units that can start in cycle `now` on a server free at `freeAt` taking
/// `cyclesPerUnit` each.
uint64_t startable(double freeAt, uint64_t now, double cyclesPerUnit) {
  double end = double(now + 1) - kEpsilon;
  double from = std::max(freeAt, double(now));
  if (from >= end)
    return 0;
  return uint64_t(std::ceil((end - from) / cyclesPerUnit - kEpsilon));
}
} // namespace

Port::Port(std::optional<double> bandwidth, unsigned banks, unsigned ports)
    : bandwidth(bandwidth ? *bandwidth : 0), banks(std::max(1u, banks)),
      ports(std::max(1u, ports)) {
  bankFreeAt.assign(this->banks, 0);
}

uint64_t Port::available(uint64_t now, uint64_t wordsPerUnit) const {
  if (unlimited() || wordsPerUnit == 0)
    return UINT64_MAX;
  return startable(freeAt, now, double(wordsPerUnit) / bandwidth);
}

double Port::take(uint64_t now, uint64_t units, uint64_t wordsPerUnit) {
  if (unlimited())
    return double(now);
  freeAt = std::max(freeAt, double(now)) +
           double(units) * double(wordsPerUnit) / bandwidth;
  return freeAt;
}

bool Port::takeFromBank(uint64_t now, unsigned bank, double &finish) {
  if (unlimited()) {
    finish = double(now);
    return true;
  }
  double &bankFree = bankFreeAt[bank % banks];
  double start = std::max({freeAt, bankFree, double(now)});
  if (start >= double(now + 1) - kEpsilon)
    return false;
  freeAt = start + 1 / bandwidth;
  bankFree = start + double(banks) / bandwidth;
  finish = std::max(freeAt, bankFree);
  return true;
}

bool Port::claimSlot(uint64_t now) {
  if (slotCycle != now) {
    slotCycle = now;
    slotsUsed = 0;
  }
  if (slotsUsed == ports)
    return false;
  ++slotsUsed;
  return true;
}

Links::Links(uint32_t links, std::optional<double> bandwidth)
    : bandwidth(bandwidth ? *bandwidth : 0) {
  down.assign(links, 0);
  up = down;
}

uint64_t
Links::available(uint64_t now,
                 const std::vector<std::pair<uint32_t, uint32_t>> &uses,
                 bool upward) const {
  if (unlimited())
    return UINT64_MAX;
  const std::vector<double> &side = upward ? up : down;
  uint64_t units = UINT64_MAX;
  for (auto [link, words] : uses)
    units = std::min(units, startable(side[link], now, words / bandwidth));
  return units;
}

double Links::take(uint64_t now,
                   const std::vector<std::pair<uint32_t, uint32_t>> &uses,
                   uint64_t units, bool upward) {
  double finish = double(now);
  if (unlimited())
    return finish;
  std::vector<double> &side = upward ? up : down;
  for (auto [link, words] : uses) {
    side[link] =
        std::max(side[link], double(now)) + double(units) * words / bandwidth;
    finish = std::max(finish, side[link]);
  }
  return finish;
}

uint64_t Transfer::advance(uint64_t now) {
  if (done())
    return 0;
  uint64_t want = units - granted;
  limit = Limit::None;
  for (Port *port : {from, to})
    if (port && !port->unlimited() && !port->claimSlot(now)) {
      limit = Limit::Ports;
      return 0;
    }
  uint64_t grant = want;
  for (auto [port, words] : {std::pair{from, fromWords}, {to, toWords}}) {
    if (!port)
      continue;
    uint64_t allowed = port->available(now, words);
    if (allowed < grant) {
      grant = allowed;
      limit = Limit::Bandwidth;
    }
  }
  bool linked = links && route && !route->links.empty();
  if (linked) {
    uint64_t allowed = links->available(now, route->links, upward);
    if (allowed < grant) {
      grant = allowed;
      limit = Limit::Network;
    }
  }
  double finish = double(now);
  // The banked end takes its words bank by bank, in order: a word whose
  // bank is busy this cycle stops the transfer.
  if (bankedPort && !banks.empty()) {
    uint64_t moved = 0;
    double wordFinish = 0;
    while (moved < grant &&
           bankedPort->takeFromBank(now, banks[granted + moved], wordFinish)) {
      finish = std::max(finish, wordFinish);
      ++moved;
    }
    if (moved < grant) {
      grant = moved;
      limit = Limit::Bank;
    }
  }
  if (grant == 0)
    return 0;
  for (auto [port, words] : {std::pair{from, fromWords}, {to, toWords}})
    if (port && (port != bankedPort || banks.empty()))
      finish = std::max(finish, port->take(now, grant, words));
  if (linked)
    finish = std::max(finish, links->take(now, route->links, grant, upward));
  for (const Increment &increment : increments)
    *increment.counter += grant * increment.perUnit;
  granted += grant;
  // A word that has gone through by the end of cycle c is usable in c.
  double lastCycle = std::ceil(finish - kEpsilon) - 1;
  uint64_t through = lastCycle > double(now) ? uint64_t(lastCycle) : now;
  arrival = std::max(arrival, through + latency);
  return grant;
}

} // namespace tessel::sim
