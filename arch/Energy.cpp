//===- arch/Energy.cpp ----------------------------------------------------===//
#include "arch/Energy.h"

#include "arch/Arch.h"
#include "arch/Area.h"
#include "arch/Packing.h"

#include <stdexcept>
#include <string>

namespace tessel {
void throwBadCell(unsigned level, unsigned tensor, unsigned levels,
                  unsigned tensors) {
  throw std::out_of_range("level " + std::to_string(level) + ", tensor " +
                          std::to_string(tensor) + " of a " +
                          std::to_string(levels) + "x" +
                          std::to_string(tensors) + " table");
}

ActionCounts::ActionCounts(unsigned levelCount, unsigned tensorCount)
    : levels(levelCount), tensors(tensorCount),
      actions(size_t(levelCount) * tensorCount) {}

EnergyBreakdown::EnergyBreakdown(unsigned levelCount, unsigned tensorCount)
    : levels(levelCount), tensors(tensorCount),
      energies(size_t(levelCount) * tensorCount) {}

double EnergyBreakdown::levelTotal(unsigned level) const {
  double sum = 0;
  for (unsigned tensor = 0; tensor < tensors; ++tensor)
    sum += at(level, tensor).total();
  return sum;
}

double EnergyBreakdown::tensorTotal(unsigned tensor) const {
  double sum = 0;
  for (unsigned level = 0; level < levels; ++level)
    sum += at(level, tensor).total();
  return sum;
}

double EnergyBreakdown::total() const {
  double sum = macs;
  for (const TensorEnergy &energy : energies)
    sum += energy.total();
  return sum;
}

EnergyBreakdown energyOf(const Arch &arch, const ActionCounts &counts,
                         const std::vector<unsigned> &elementBits) {
  EnergyBreakdown breakdown(counts.levelCount(), counts.tensorCount());
  energyOf(arch, counts, breakdown, elementBits);
  return breakdown;
}

void energyOf(const Arch &arch, const ActionCounts &counts,
              EnergyBreakdown &breakdown,
              const std::vector<unsigned> &elementBits) {
  if (counts.levelCount() != arch.levelCount())
    throw std::invalid_argument("action counts for " +
                                std::to_string(counts.levelCount()) +
                                " levels, but arch '" + arch.name + "' has " +
                                std::to_string(arch.levelCount()));
  if (!elementBits.empty() && elementBits.size() != counts.tensorCount())
    throw std::invalid_argument("element widths for " +
                                std::to_string(elementBits.size()) +
                                " tensors, but the counts have " +
                                std::to_string(counts.tensorCount()));
  if (breakdown.levelCount() != counts.levelCount() ||
      breakdown.tensorCount() != counts.tensorCount())
    breakdown = EnergyBreakdown(counts.levelCount(), counts.tensorCount());
  for (unsigned level = 0; level < counts.levelCount(); ++level) {
    const StorageLevel &storage = arch.levels[level];
    for (unsigned tensor = 0; tensor < counts.tensorCount(); ++tensor) {
      const TensorActions &actions = counts.at(level, tensor);
      TensorEnergy &energy = breakdown.at(level, tensor);
      Packing packing = elementBits.empty()
                            ? Packing{}
                            : packingOf(elementBits[tensor], storage.wordBits);
      double share = packing.wordsPerElement();
      energy.reads = double(actions.reads) * storage.energy.read * share;
      energy.fills = double(actions.fills) * storage.energy.write * share;
      energy.updates = double(actions.updates) * storage.energy.update * share;
      energy.network = double(actions.networkHops) * storage.network.hopEnergy *
                       double(packing.wordsEach);
    }
  }
  breakdown.macs = double(counts.macs) * arch.compute.macEnergy;
  breakdown.leakage =
      leakagePowerMW(arch) * double(counts.cycles) / arch.clockGHz;
}

} // namespace tessel
