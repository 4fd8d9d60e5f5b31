//===- arch/EnergyDefaults.h - Per-action energies when YAML omits them -*-===//
//
// Defaults come from published per-access energies (docs/arch.md lists them):
//  - storage and MACs: M. Horowitz, "Computing's energy problem (and what we
//    can do about it)", ISSCC 2014, 45 nm at 0.9 V;
//  - a network hop: Y.-H. Chen et al., "Eyeriss: a spatial architecture for
//    energy-efficient dataflow for CNNs", ISCA 2016, whose normalized costs
//    put a PE-to-PE transfer at 2x a MAC.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_ENERGYDEFAULTS_H
#define TESSEL_ARCH_ENERGYDEFAULTS_H

#include <cstdint>
#include <optional>
#include <string>

namespace tessel {

/// pJ to read or write one `wordBits` word of an SRAM holding
/// `capacityWords` words: Horowitz's 64-bit accesses of 8 KB (10 pJ), 32 KB
/// (20 pJ) and 1 MB (100 pJ), interpolated log-log in capacity, extrapolated
/// with the nearest segment's slope, scaled linearly in bits.
double defaultSramWordEnergy(uint64_t capacityWords, unsigned wordBits);
/// pJ to read or write one `wordBits` word of DRAM: Horowitz's 1.3 nJ per
/// 64-bit access (the low end of his 1.3-2.6 nJ), scaled linearly in bits.
double defaultDramWordEnergy(unsigned wordBits);
/// pJ per MAC (multiply + add) for `datatype` (int8, int16, int32, fp16,
/// fp32), or none for an unknown datatype.
std::optional<double> defaultMacEnergy(const std::string &datatype);
/// "int8, int16, int32, fp16, fp32".
std::string macDatatypeNames();
/// pJ per word per hop: 2x the MAC energy (Eyeriss's PE-to-PE cost).
double defaultHopEnergy(double macEnergy);

} // namespace tessel

#endif // TESSEL_ARCH_ENERGYDEFAULTS_H
