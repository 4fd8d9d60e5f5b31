//===- mapping/Report.cpp ---------------------------------------------------===//
#include "mapping/Report.h"

#include "support/Checked.h"

namespace tessel {

void Report::settle(uint64_t peakMacsPerCycle) {
  cycles = 0;
  bottleneck.clear();
  for (const ResourceCycles &resource : resourceCycles)
    if (resource.cycles > cycles || bottleneck.empty()) {
      cycles = resource.cycles;
      bottleneck = resource.resource;
    }
  for (const ResourceCycles &exposed : exposedCycles)
    cycles = saturatingAdd(cycles, exposed.cycles);
  utilization = cycles && peakMacsPerCycle
                    ? double(macs) / (double(cycles) * double(peakMacsPerCycle))
                    : 0;
}

} // namespace tessel
