//===- arch/Arch.cpp ------------------------------------------------------===//
#include "arch/Arch.h"

#include "arch/NetworkGraph.h"

namespace tessel {

const char *tensorRoleName(TensorRole role) {
  static const char *names[kTensorRoleCount] = {"input", "weight", "output"};
  return names[static_cast<unsigned>(role)];
}

const char *dramFieldName(DramField field) {
  static const char *names[kDramFieldCount] = {"row", "bank", "channel",
                                               "column"};
  return names[static_cast<unsigned>(field)];
}

std::optional<TensorRole> tensorRoleNamed(const std::string &name) {
  for (unsigned r = 0; r < kTensorRoleCount; ++r)
    if (name == tensorRoleName(TensorRole(r)))
      return TensorRole(r);
  return std::nullopt;
}

uint64_t Network::unicastHops(unsigned child) const {
  return graph->hopsTo(child);
}

uint64_t Network::drainHops(unsigned child) const {
  return graph->hopsFrom(child);
}

uint64_t Network::multicastHops(const std::vector<unsigned> &children) const {
  if (multicast)
    return graph->multicastTreeHops(children);
  uint64_t hops = 0;
  for (unsigned child : children)
    hops += unicastHops(child);
  return hops;
}

uint64_t Network::reductionHops(const std::vector<unsigned> &children) const {
  if (reduction)
    return graph->reductionTreeHops(children);
  uint64_t hops = 0;
  for (unsigned child : children)
    hops += drainHops(child);
  return hops;
}

uint64_t StorageLevel::capacityFor(TensorRole role) const {
  return partition ? (*partition)[static_cast<unsigned>(role)] : capacity;
}

std::optional<unsigned> Arch::levelIndex(const std::string &levelName) const {
  for (unsigned i = 0; i < levels.size(); ++i)
    if (levels[i].name == levelName)
      return i;
  return std::nullopt;
}

void Arch::computeInstances() {
  uint64_t instances = 1;
  for (StorageLevel &level : levels) {
    level.instances = instances;
    instances *= level.childCount();
  }
  compute.instances = instances;
}

} // namespace tessel
