//===- arch/EnergyDefaults.cpp - Published energies per action ------------===//
#include "arch/EnergyDefaults.h"

#include <cmath>
#include <iterator>

namespace tessel {
namespace {

/// Horowitz ISSCC 2014, 45 nm: one 64-bit access of an SRAM cache.
struct SramPoint {
  double bytes;
  double picojoulesPer64Bits;
};
const SramPoint kSramPoints[] = {
    {8.0 * 1024, 10}, {32.0 * 1024, 20}, {1024.0 * 1024, 100}};
const double kDramPicojoulesPer64Bits = 1300;

/// Horowitz ISSCC 2014, 45 nm: multiply + add. He gives no 16-bit integer
/// figures; int16 is derived from his int8 and int32 ones: the multiplier
/// scales with the square of the width (0.2 x 2^2), the adder linearly
/// between 0.03 (8 bits) and 0.1 (32 bits).
struct MacCost {
  const char *datatype;
  double multiply;
  double add;
};
const MacCost kMacCosts[] = {{"int8", 0.2, 0.03},
                             {"int16", 0.8, 0.03 + (0.1 - 0.03) * 8 / 24},
                             {"int32", 3.1, 0.1},
                             {"fp16", 1.1, 0.4},
                             {"fp32", 3.7, 0.9}};

/// Eyeriss ISCA 2016 normalized costs: array (inter-PE) = 2 x ALU.
const double kHopPerMac = 2;

double interpolateLogLog(const SramPoint &low, const SramPoint &high,
                         double bytes) {
  double slope = std::log(high.picojoulesPer64Bits / low.picojoulesPer64Bits) /
                 std::log(high.bytes / low.bytes);
  return low.picojoulesPer64Bits * std::pow(bytes / low.bytes, slope);
}

} // namespace

double defaultSramWordEnergy(uint64_t capacityWords, unsigned wordBits) {
  double bytes = double(capacityWords) * wordBits / 8;
  size_t segment = 0;
  while (segment + 2 < std::size(kSramPoints) &&
         bytes > kSramPoints[segment + 1].bytes)
    ++segment;
  double per64Bits =
      interpolateLogLog(kSramPoints[segment], kSramPoints[segment + 1], bytes);
  return per64Bits * wordBits / 64;
}

double defaultDramWordEnergy(unsigned wordBits) {
  return kDramPicojoulesPer64Bits * wordBits / 64;
}

std::optional<double> defaultMacEnergy(const std::string &datatype) {
  for (const MacCost &cost : kMacCosts)
    if (datatype == cost.datatype)
      return cost.multiply + cost.add;
  return std::nullopt;
}

std::string macDatatypeNames() {
  std::string names;
  for (const MacCost &cost : kMacCosts)
    names += (names.empty() ? "" : ", ") + std::string(cost.datatype);
  return names;
}

double defaultHopEnergy(double macEnergy) { return kHopPerMac * macEnergy; }

} // namespace tessel
