//===- test/arch/AreaTest.cpp - Area, leakage, technology by hand ---------===//
//
// Every expected value is worked from the published figures docs/arch.md
// cites ("Area, leakage and technology"): CACTI 7.0 at 45 nm for SRAM,
// Aladdin's 40 nm register bit and logic leakage, the 45 nm MAC areas of
// Horowitz's table (as Gholami et al. 2021 reproduce it), CACTI's 45 nm
// semi-global pitch (4 x 0.045 um) for networks, and Stillmaker & Baas's
// factors for other nodes.
//
//===----------------------------------------------------------------------===//
#include "arch/Area.h"
#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "arch/Energy.h"
#include "arch/EnergyDefaults.h"
#include "arch/Technology.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using namespace tessel;

namespace {

/// Relative tolerance for values the code computes by another route.
void expectClose(double actual, double expected) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::abs(expected)))
      << "expected " << expected;
}

// Aladdin's 40 nm logic leakage: (multiplier + adder leakage) / their area.
const double kLogicLeakage =
    (7.786052e-02 + 2.249908e-03) / (6351.338 + 277.9792);
const double kPitch = 4 * 0.045; // um, CACTI's 45 nm semi-global wires.

TEST(AreaTest, SramAtACactiCapacityIsCellsOverEfficiency) {
  // 16 KiB: CACTI gives 0.0507558 mm^2 at 76.3487% area efficiency, its
  // 45 nm cell being 146 F^2 = 146 x 0.045^2 um^2: bits x cell / efficiency.
  double cell = 146 * 0.045 * 0.045;
  double byHand = 16 * 8192 * cell / 0.763487;
  ArrayCost sram = sramBank(16 * 8192, 1);
  EXPECT_EQ(sram.kind, StorageKind::Sram);
  EXPECT_NEAR(sram.areaUm2, byHand, 1e-4 * byHand); // CACTI rounds to 6 digits
  expectClose(sram.areaUm2, 50755.8);
  expectClose(sram.leakageMW, 0.257365);
}

TEST(AreaTest, SramBetweenCapacitiesIsLogLog) {
  // 32 KiB sits halfway (in log) between 16 KiB and 64 KiB: the geometric
  // mean of their areas and of their leakages.
  ArrayCost sram = sramBank(32 * 8192, 1);
  expectClose(sram.areaUm2, std::sqrt(0.0507558 * 0.209084) * 1e6);
  expectClose(sram.leakageMW, std::sqrt(0.257365 * 0.934604));
}

TEST(AreaTest, SramBeyondTheTableKeepsItsEnds) {
  // Under 256 B: CACTI's smallest macro; over 4 MiB: its 4 MiB density.
  expectClose(sramBank(100 * 8, 1).areaUm2, 1410.53);
  expectClose(sramBank(16u << 23, 1).areaUm2, 4 * 12.3989e6);
  expectClose(sramBank(16u << 23, 1).leakageMW, 4 * 59.371);
}

TEST(AreaTest, PortsTakeCactisFactors) {
  // CACTI at 32 KiB: 2 ports 0.237023 mm^2 against 0.111942 for one; 3 ports
  // halfway to 4 ports' 0.47155; 6 ports on the slope from 2 to 4.
  double one = sramBank(16 * 8192, 1).areaUm2;
  expectClose(sramBank(16 * 8192, 2).areaUm2, one * 0.237023 / 0.111942);
  expectClose(sramBank(16 * 8192, 3).areaUm2,
              one * (0.237023 + 0.47155) / 2 / 0.111942);
  expectClose(sramBank(16 * 8192, 6).areaUm2,
              one * (0.47155 + (0.47155 - 0.237023)) / 0.111942);
  expectClose(sramBank(16 * 8192, 2).leakageMW, 0.257365 * 0.586441 / 0.51473);
}

TEST(AreaTest, SmallArraysAreFlipFlops) {
  // 32 bits of Aladdin's 5.981433 um^2 register bit (191.4 um^2) is less
  // than CACTI's smallest macro (1410.53 um^2); 256 bits (1531.2) is not.
  ArrayCost tiny = storageArray(32, 1, 1);
  EXPECT_EQ(tiny.kind, StorageKind::RegisterFile);
  expectClose(tiny.areaUm2, 32 * 5.981433);
  expectClose(tiny.leakageMW, 32 * 7.395312e-05);
  ArrayCost small = storageArray(256, 1, 1);
  EXPECT_EQ(small.kind, StorageKind::Sram);
  expectClose(small.areaUm2, 1410.53);
}

TEST(AreaTest, BanksAreSeparateArrays) {
  // 64 KiB in 4 banks: four 16 KiB banks.
  ArrayCost banked = storageArray(64 * 8192, 4, 1);
  expectClose(banked.areaUm2, 4 * 50755.8);
  expectClose(banked.leakageMW, 4 * 0.257365);
}

TEST(AreaTest, MacAreasAreHorowitzsMultiplierPlusAdder) {
  expectClose(*defaultMacArea("int8"), 282 + 36);
  expectClose(*defaultMacArea("int16"), 282 * 4 + 67);
  expectClose(*defaultMacArea("int32"), 3495 + 137);
  expectClose(*defaultMacArea("fp16"), 1640 + 1360);
  expectClose(*defaultMacArea("fp32"), 7700 + 4184);
  EXPECT_FALSE(defaultMacArea("bf16"));
}

const char *kWorkedExample = R"(
name: tiny
compute: {datatype: int8}
levels:
  - name: DRAM
    capacity: unbounded
    wordBits: 8
  - name: GLB
    capacity: 16384
    wordBits: 8
    fanout: [2, 3]
    network: {topology: mesh, multicast: true}
  - name: RF
    capacity: {input: 4, weight: 16, output: 4}
    wordBits: 8
)";

TEST(AreaTest, WorkedExampleOfTheDocs) {
  Arch arch = parseArch(kWorkedExample, "tiny.yaml");
  AreaBreakdown area = areaOf(arch);
  ASSERT_EQ(area.levels.size(), 3u);
  // DRAM: off chip.
  EXPECT_EQ(area.levels[0].kinds, "off chip");
  EXPECT_EQ(area.levels[0].storageUm2, 0);
  EXPECT_EQ(area.levels[0].leakageMW, 0);
  // GLB: 16 KiB, the CACTI point.
  EXPECT_EQ(area.levels[1].kinds, "SRAM");
  expectClose(area.levels[1].storageUm2, 50755.8);
  // RF: three partitions of 32, 128 and 32 bits, each flip-flops; 6 of them.
  double rf = (32 + 128 + 32) * 5.981433;
  EXPECT_EQ(area.levels[2].kinds, "register file");
  expectClose(arch.levels[2].silicon.areaUm2, rf);
  expectClose(area.levels[2].storageUm2, 6 * rf);
  // MACs: 6 int8 MACs of 318 um^2.
  EXPECT_EQ(area.macs, 6u);
  expectClose(area.macUm2, 6 * 318.0);
  // GLB's 2x3 mesh: a child is an RF and its MAC, sqrt(rf + 318) um wide.
  // 16 one-way links of 8 wires (parent <-> (0,0), 3 x-pairs and 4
  // y-pairs, each both ways); 6 routers, each (links in + 1) x (links out
  // + 1) ports of 8 x 0.18 um: three with 4 (the corner the parent joins,
  // and the two of the middle row), three with 3.
  double port = 8 * kPitch;
  double routers = 3 * std::pow(4 * port, 2) + 3 * std::pow(3 * port, 2);
  double wires = 16 * 8 * kPitch * std::sqrt(rf + 318);
  expectClose(area.levels[1].networkUm2, routers + wires);
  expectClose(area.levels[1].leakageMW, 0.257365 + routers * kLogicLeakage);
  expectClose(area.totalUm2(), 50755.8 + routers + wires + 6 * rf + 6 * 318.0);
}

/// A 4-child network of `topology` below a 64-word buffer, over PEs whose
/// one MAC is given 400 um^2 (so a child is 20 um wide).
Arch fourChildren(const std::string &topology, const std::string &fanout) {
  return parseArch(R"(
name: four
compute: {datatype: int8, macArea: 400, macLeakage: 0.01}
levels:
  - name: DRAM
    capacity: unbounded
  - name: Buf
    capacity: 64
    wordBits: 8
    fanout: )" + fanout +
                       R"(
    network: {topology: )" +
                       topology + R"(}
)",
                   "four.yaml");
}

TEST(AreaTest, CrossbarIsLinksOnly) {
  // 4 links each way, 8 wires, 20 um: no routers.
  Arch arch = fourChildren("crossbar", "[4, 1]");
  expectClose(arch.levels[1].network.silicon.areaUm2, 8 * 8 * kPitch * 20);
  EXPECT_EQ(arch.levels[1].network.silicon.leakageMW, 0);
}

TEST(AreaTest, MeshRoutersAreCrossbarsOfTheirPorts) {
  // 2x2 mesh: parent <-> (0,0), two x-pairs, two y-pairs: 10 links. The
  // corner router has 3 links each way and its PE (4 x 4 ports), the
  // others 2 and the PE (3 x 3).
  Arch arch = fourChildren("mesh", "[2, 2]");
  double port = 8 * kPitch;
  double routers = std::pow(4 * port, 2) + 3 * std::pow(3 * port, 2);
  const Silicon &network = arch.levels[1].network.silicon;
  expectClose(network.areaUm2, routers + 10 * 8 * kPitch * 20);
  expectClose(network.leakageMW, routers * kLogicLeakage);
}

TEST(AreaTest, TreeSwitchesAreRouters) {
  // Binary tree of 4 leaves: the root switch at the parent (2 branches and
  // the parent: 3 x 3) and 2 switches (up and 2 down: 3 x 3); 12 links.
  Arch arch = fourChildren("tree", "[4, 1]");
  double port = 8 * kPitch;
  expectClose(arch.levels[1].network.silicon.areaUm2,
              3 * std::pow(3 * port, 2) + 12 * 8 * kPitch * 20);
}

TEST(AreaTest, BusAndSystolicHaveNoRouters) {
  // A bus: parent <-> bus node, bus node <-> each child: 10 links. A 2x2
  // systolic array: parent -> (0,0), 2 x-links, 2 y-links, 2 drains: 7.
  expectClose(fourChildren("bus", "[4, 1]").levels[1].network.silicon.areaUm2,
              10 * 8 * kPitch * 20);
  expectClose(
      fourChildren("systolic", "[2, 2]").levels[1].network.silicon.areaUm2,
      7 * 8 * kPitch * 20);
}

TEST(AreaTest, OneChildHasNoNetwork) {
  Arch arch = parseArch(kWorkedExample, "tiny.yaml");
  EXPECT_EQ(arch.levels[0].network.silicon.areaUm2, 0); // DRAM -> GLB.
  EXPECT_EQ(arch.levels[2].network.silicon.areaUm2, 0); // RF -> MAC.
}

TEST(TechnologyTest, DefaultNodeScalesByOne) {
  TechnologyScale scale = technologyScale(45, 0.9);
  EXPECT_EQ(scale.area, 1);
  EXPECT_EQ(scale.energy, 1);
  EXPECT_EQ(scale.leakage, 1);
}

TEST(TechnologyTest, SevenNanometresByTheirEquations) {
  // Area: Stillmaker & Baas's 45 -> 7 nm factor, 0.059. Energy: their 7 nm
  // fit at 0.7 V over their 45 nm fit at Horowitz's 0.9 V:
  // (0.1776 x 0.49 - 0.09097 x 0.7 + 0.02447) /
  // (1.103 x 0.81 - 0.362 x 0.9 + 0.2767) = 0.047815 / 0.84433.
  TechnologyScale scale = technologyScale(7, 0.7);
  expectClose(scale.area, 0.059);
  expectClose(scale.energy, 0.047815 / 0.84433);
  expectClose(scale.leakage, scale.energy);
}

TEST(TechnologyTest, UnpublishedNodesAreInterpolated) {
  // 28 nm, a third of the way from 32 nm (0.46) to 20 nm (0.21).
  TechnologyScale scale = technologyScale(28, 0.9);
  expectClose(scale.area, 0.46 + (0.21 - 0.46) / 3);
  double at32 = 0.9559 * 0.81 - 0.7823 * 0.9 + 0.471;
  double at20 = 0.373 * 0.81 - 0.1582 * 0.9 + 0.04104;
  expectClose(scale.energy, (at32 + (at20 - at32) / 3) / 0.84433);
  EXPECT_TRUE(publishedNode(16));
  EXPECT_FALSE(publishedNode(28));
  EXPECT_THROW(technologyScale(5, 0.7), std::invalid_argument);
  EXPECT_THROW(technologyScale(16, 0), std::invalid_argument);
}

TEST(TechnologyTest, DefaultsScaleAndGivenValuesDoNot) {
  Arch arch = parseArch(R"(
name: seven
technology: {node: 7nm, vdd: 0.7}
compute: {datatype: int8}
levels:
  - name: DRAM
    capacity: unbounded
    wordBits: 8
  - name: GLB
    capacity: 16384
    wordBits: 8
    energy: {read: 2}
  - name: RF
    capacity: 16
    wordBits: 8
    area: 100
)",
                        "seven.yaml");
  double energy = 0.047815 / 0.84433;
  EXPECT_EQ(arch.technology.nodeNm, 7u);
  expectClose(arch.compute.silicon.areaUm2, 318 * 0.059);
  expectClose(arch.compute.macEnergy, 0.23 * energy);
  expectClose(arch.compute.silicon.leakageMW, 318 * kLogicLeakage * energy);
  expectClose(arch.levels[1].silicon.areaUm2, 50755.8 * 0.059);
  expectClose(arch.levels[1].silicon.leakageMW, 0.257365 * energy);
  EXPECT_EQ(arch.levels[1].energy.read, 2); // Given.
  expectClose(arch.levels[1].energy.write,
              defaultSramWordEnergy(16384, 8) * energy);
  EXPECT_EQ(arch.levels[2].silicon.areaUm2, 100);         // Given.
  EXPECT_EQ(arch.levels[0].energy.read, 1300.0 * 8 / 64); // DRAM: its own.
}

TEST(LeakageTest, EnergyIsPowerTimesTime) {
  // 4 buffers of 2 mW and 4 MACs of 0.5 mW: 10 mW; 1000 cycles at 0.5 GHz
  // are 2000 ns: 20000 pJ, apart from the total.
  Arch arch = parseArch(R"(
name: leaky
clockGHz: 0.5
compute: {macEnergy: 1, macLeakage: 0.5}
levels:
  - name: DRAM
    capacity: unbounded
    energy: {read: 10, write: 10}
    fanout: [4, 1]
    network: {topology: bus, hopEnergy: 0, leakage: 0}
  - name: Buf
    capacity: 1024
    energy: {read: 1, write: 1}
    leakage: 2
)",
                        "leaky.yaml");
  EXPECT_EQ(leakagePowerMW(arch), 4 * 2 + 4 * 0.5);
  ActionCounts counts(2, 1);
  counts.macs = 10;
  counts.at(1, 0).reads = 5;
  counts.cycles = 1000;
  EnergyBreakdown energy = energyOf(arch, counts);
  EXPECT_DOUBLE_EQ(energy.leakage, 10 * 1000 / 0.5);
  EXPECT_DOUBLE_EQ(energy.total(), 10 + 5);
  EXPECT_DOUBLE_EQ(energy.totalWithLeakage(), 15 + 20000);
  counts.cycles = 0;
  EXPECT_EQ(energyOf(arch, counts).leakage, 0);
}

TEST(RebuildArchArea, RecomputesDefaultsAndKeepsGivenValues) {
  Arch arch = fourChildren("crossbar", "[4, 1]");
  arch.levels[1].fanout = {2, 1};
  rebuildArch(arch);
  // Half the links; the MAC area (given) is kept.
  expectClose(arch.levels[1].network.silicon.areaUm2, 4 * 8 * kPitch * 20);
  EXPECT_EQ(arch.compute.silicon.areaUm2, 400);
}

} // namespace
