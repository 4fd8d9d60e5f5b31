//===- test/arch/EnergyTest.cpp - energyOf worked by hand -----------------===//
#include "arch/Energy.h"
#include "arch/ArchLoader.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace tessel;

namespace {

const char *kTwoLevels = R"(
name: two-levels
compute: {macEnergy: 0.25}
levels:
  - name: DRAM
    capacity: unbounded
    energy: {read: 100, write: 120, update: 220}
    network: {topology: bus, hopEnergy: 5}
  - name: Buffer
    capacity: 256
    energy: {read: 2, write: 3, update: 4}
    fanout: [2, 1]
    network: {topology: crossbar, hopEnergy: 0.5}
)";

const unsigned kInput = unsigned(TensorRole::Input);
const unsigned kWeight = unsigned(TensorRole::Weight);
const unsigned kOutput = unsigned(TensorRole::Output);

ActionCounts handCounts() {
  ActionCounts counts(2, kTensorRoleCount);
  counts.at(0, kInput).reads = 10;        // 10 x 100  = 1000
  counts.at(0, kWeight).reads = 4;        //  4 x 100  =  400
  counts.at(0, kOutput).updates = 2;      //  2 x 220  =  440
  counts.at(0, kInput).networkWords = 10; // not priced by itself
  counts.at(0, kInput).networkHops = 10;  // 10 x 5    =   50
  counts.at(1, kInput).fills = 10;        // 10 x 3    =   30
  counts.at(1, kInput).reads = 40;        // 40 x 2    =   80
  counts.at(1, kOutput).updates = 8;      //  8 x 4    =   32
  counts.at(1, kWeight).networkHops = 16; // 16 x 0.5  =    8
  counts.macs = 100;                      // 100 x 0.25 =  25
  return counts;
}

TEST(EnergyTest, SmallExampleByHand) {
  Arch arch = parseArch(kTwoLevels, "two-levels.yaml");
  EnergyBreakdown energy = energyOf(arch, handCounts());

  EXPECT_DOUBLE_EQ(energy.at(0, kInput).reads, 1000);
  EXPECT_DOUBLE_EQ(energy.at(0, kInput).network, 50);
  EXPECT_DOUBLE_EQ(energy.at(0, kWeight).reads, 400);
  EXPECT_DOUBLE_EQ(energy.at(0, kOutput).updates, 440);
  EXPECT_DOUBLE_EQ(energy.at(1, kInput).fills, 30);
  EXPECT_DOUBLE_EQ(energy.at(1, kInput).reads, 80);
  EXPECT_DOUBLE_EQ(energy.at(1, kWeight).network, 8);
  EXPECT_DOUBLE_EQ(energy.at(1, kOutput).updates, 32);
  EXPECT_DOUBLE_EQ(energy.at(1, kOutput).fills, 0);
  EXPECT_DOUBLE_EQ(energy.macs, 25);

  EXPECT_DOUBLE_EQ(energy.levelTotal(0), 1000 + 400 + 440 + 50);
  EXPECT_DOUBLE_EQ(energy.levelTotal(1), 30 + 80 + 32 + 8);
  EXPECT_DOUBLE_EQ(energy.tensorTotal(kInput), 1000 + 50 + 30 + 80);
  EXPECT_DOUBLE_EQ(energy.tensorTotal(kWeight), 400 + 8);
  EXPECT_DOUBLE_EQ(energy.tensorTotal(kOutput), 440 + 32);
  EXPECT_DOUBLE_EQ(energy.total(), 2065);
}

TEST(EnergyTest, UpdateDefaultsToReadPlusWrite) {
  Arch arch = parseArch(R"(
name: rmw
levels:
  - name: DRAM
    capacity: unbounded
    energy: {read: 7, write: 11}
)",
                        "rmw.yaml");
  EXPECT_DOUBLE_EQ(arch.levels[0].energy.update, 18);
  ActionCounts counts(1, 1);
  counts.at(0, 0).updates = 3;
  EXPECT_DOUBLE_EQ(energyOf(arch, counts).total(), 54);
}

TEST(EnergyTest, CountsAre64Bit) {
  Arch arch = parseArch(kTwoLevels, "two-levels.yaml");
  ActionCounts counts(2, 1);
  counts.at(0, 0).reads = uint64_t(1) << 40; // x 100 pJ
  EXPECT_DOUBLE_EQ(energyOf(arch, counts).total(), 100.0 * (1ull << 40));
}

TEST(EnergyTest, LevelCountMismatchIsRejected) {
  Arch arch = parseArch(kTwoLevels, "two-levels.yaml");
  EXPECT_THROW(energyOf(arch, ActionCounts(3, 3)), std::invalid_argument);
  ActionCounts counts(2, 3);
  EXPECT_THROW(counts.at(2, 0), std::out_of_range);
  EXPECT_THROW(counts.at(0, 3), std::out_of_range);
}

} // namespace
