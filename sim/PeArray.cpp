//===- sim/PeArray.cpp ----------------------------------------------------===//
#include "sim/PeArray.h"

#include <algorithm>
#include <numeric>

namespace tessel::sim {

PeArray::PeArray(std::vector<uint64_t> skewPerPe, uint64_t operandLatency)
    : skew(std::move(skewPerPe)), macCount(skew.size(), 0),
      latency(operandLatency) {
  for (uint64_t s : skew)
    maxSkew = std::max(maxSkew, s);
  uint64_t size = 2;
  while (size <= latency + maxSkew + 2)
    size *= 2;
  issued.assign(size, 0);
  mask = size - 1;
}

void PeArray::issue(uint64_t cycle, uint64_t steps) {
  // Cycles skipped since the last record issued nothing: clear their slots
  // (at most one ring's worth).
  uint64_t from = std::max(lastCleared + 1, cycle > mask ? cycle - mask : 0);
  for (uint64_t c = from; c < cycle; ++c)
    issued[c & mask] = 0;
  issued[cycle & mask] = uint32_t(steps);
  lastCleared = cycle;
  if (steps) {
    lastIssue = cycle;
    issuedAny = true;
  }
}

uint64_t PeArray::step(uint64_t cycle) {
  if (!issuedAny || cycle < latency || cycle > lastIssue + latency + maxSkew)
    return 0;
  uint64_t base = cycle - latency;
  uint64_t busy = 0;
  const uint32_t *ring = issued.data();
  uint64_t *count = macCount.data();
  const uint64_t *lag = skew.data();
  size_t n = skew.size();
  for (size_t p = 0; p < n; ++p) {
    uint64_t slot = base - lag[p];
    // A slot from before the first cycle wraps around to a huge number.
    uint32_t steps = slot <= lastIssue ? ring[slot & mask] : 0;
    count[p] += steps;
    busy += steps != 0;
  }
  return busy;
}

uint64_t PeArray::macs() const {
  return std::accumulate(macCount.begin(), macCount.end(), uint64_t(0));
}

} // namespace tessel::sim
