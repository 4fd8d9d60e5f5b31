//===- arch/Area.h - Silicon area and leakage power of an Arch --*- C++ -*-===//
//
// Next to its per-action energies, every on-chip component of an Arch has an
// area and a leakage power (Arch.h's Silicon): each storage level's arrays,
// each level's network (links and routers), each MAC lane. The loader fills
// the ones the YAML leaves out from the defaults here, published figures at
// 45 nm scaled to the Arch's technology (Technology.h):
//
//  - SRAM: CACTI 7.0 at 45 nm (ITRS low-operating-power cells and
//    periphery, 360 K, one 64-bit read-write port), interpolated log-log in
//    capacity, times CACTI's factor for more ports; per bank;
//  - register files (below CACTI's smallest 256-byte macro, when flip-flops
//    take less area): Aladdin's 40 nm register bit;
//  - MACs: the multiplier and adder areas of Horowitz's ISSCC 2014 table;
//    their leakage from Aladdin's 40 nm logic leakage per area;
//  - networks: word-wide links one child's pitch long on CACTI's 45 nm
//    semi-global tracks, and an I x O matrix crossbar per router.
//
// DRAM (the unbounded outermost level) is off chip: no area, no leakage.
// docs/arch.md, "Area, leakage and technology", has the figures, their
// sources, worked examples and what is not modelled.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_AREA_H
#define TESSEL_ARCH_AREA_H

#include "arch/Arch.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

/// How a storage array is built.
enum class StorageKind {
  OffChip,      ///< DRAM: not counted.
  Sram,         ///< CACTI's SRAM.
  RegisterFile, ///< Flip-flops.
  Given,        ///< The YAML gave its area.
};
/// "off chip", "SRAM", "register file", "given".
const char *storageKindName(StorageKind kind);

/// Area (um^2) and leakage (mW) of one array, at 45 nm, before scaling.
struct ArrayCost {
  StorageKind kind = StorageKind::Sram;
  double areaUm2 = 0;
  double leakageMW = 0;
};

/// One SRAM bank of `bits` with `ports` read-write ports, at 45 nm: CACTI's
/// area and leakage interpolated log-log between its capacities (256 B to
/// 4 MiB; a smaller array is a 256 B macro, a larger one CACTI's 4 MiB
/// density), times its 2- and 4-port factors (linear between and beyond).
ArrayCost sramBank(uint64_t bits, unsigned ports);
/// `bits` of flip-flops (Aladdin's register bit), times the same port
/// factors as SRAM.
ArrayCost registerFile(uint64_t bits, unsigned ports);
/// One array of `bits` in `banks` banks: each bank the smaller of an SRAM
/// bank and a register file (of their areas), the array their sum.
ArrayCost storageArray(uint64_t bits, unsigned banks, unsigned ports);

/// um^2 of one MAC (multiplier + adder) of `datatype` at 45 nm, or none.
std::optional<double> defaultMacArea(const std::string &datatype);
/// mW of leakage per um^2 of logic (Aladdin, 40 nm).
double logicLeakagePerUm2();
/// The track pitch of network links and crossbars, um, at 45 nm.
double wirePitchUm();

/// Fills every Silicon of `arch` that the YAML did not give: storage, MACs
/// and networks, bottom up (a network's links are as long as one child is
/// wide), at `arch.technology`. Throws std::invalid_argument for a datatype
/// without a default MAC area.
void assignSilicon(Arch &arch);

/// How a level's storage is built: "SRAM", "register file", both ("SRAM,
/// register file": partitions of different sizes), "off chip" or "given".
std::string storageKinds(const StorageLevel &level);

/// One level's silicon, totals over its instances.
struct LevelArea {
  std::string level;
  uint64_t instances = 0;
  std::string kinds; ///< storageKinds(level).
  double storageUm2 = 0;
  double networkUm2 = 0;
  double leakageMW = 0; ///< Storage and network.
};

/// An Arch's silicon by level and by kind of component, over all instances.
struct AreaBreakdown {
  std::vector<LevelArea> levels;
  uint64_t macs = 0; ///< MAC lanes: PEs x macsPerPE.
  double macUm2 = 0;
  double macLeakageMW = 0;

  double storageUm2() const;
  double networkUm2() const;
  double totalUm2() const { return storageUm2() + networkUm2() + macUm2; }
  double leakageMW() const;
};

/// The silicon of `arch` (its Silicon values times its instances).
AreaBreakdown areaOf(const Arch &arch);
/// Leakage power of the whole of `arch`, mW: areaOf(arch).leakageMW(),
/// without the breakdown (energyOf calls it per evaluation).
double leakagePowerMW(const Arch &arch);

} // namespace tessel

#endif // TESSEL_ARCH_AREA_H
