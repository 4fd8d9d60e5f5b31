//===- test/arch/ArchPresetTest.cpp - Every preset parses, counted by hand
//-===//
#include "arch/ArchLoader.h"
#include "arch/EnergyDefaults.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace tessel;

namespace {

Arch preset(const std::string &name) {
  return loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/" + name +
                  ".yaml");
}

std::vector<uint64_t> instancesOf(const Arch &arch) {
  std::vector<uint64_t> instances;
  for (const StorageLevel &level : arch.levels)
    instances.push_back(level.instances);
  instances.push_back(arch.compute.instances);
  return instances;
}

class EveryPreset : public testing::TestWithParam<std::string> {};

TEST_P(EveryPreset, Parses) {
  Arch arch = preset(GetParam());
  EXPECT_EQ(arch.name, GetParam());
  EXPECT_FALSE(arch.description.empty());
  ASSERT_GE(arch.levelCount(), 2u);
  EXPECT_TRUE(arch.levels.front().isUnbounded());
  for (const StorageLevel &level : arch.levels) {
    EXPECT_NE(level.network.graph, nullptr) << level.name;
    EXPECT_GT(level.energy.read, 0) << level.name;
  }
  EXPECT_GT(arch.compute.macEnergy, 0);
}

INSTANTIATE_TEST_SUITE_P(Presets, EveryPreset,
                         testing::Values("eyeriss", "nvdla", "tpu16", "tpu128",
                                         "simba", "maeri"));

// DRAM -> global buffer -> 14x12 scratchpads -> one MAC each.
TEST(ArchPresetTest, Eyeriss) {
  Arch arch = preset("eyeriss");
  EXPECT_EQ(instancesOf(arch), (std::vector<uint64_t>{1, 1, 168, 168}));
  EXPECT_EQ(arch.peakMacsPerCycle(), 168u);
  EXPECT_DOUBLE_EQ(arch.clockGHz, 0.2);
  const StorageLevel &spad = arch.levels[2];
  ASSERT_TRUE(spad.partition.has_value());
  EXPECT_EQ(spad.capacityFor(TensorRole::Input), 12u);
  EXPECT_EQ(spad.capacityFor(TensorRole::Weight), 224u);
  EXPECT_EQ(spad.capacityFor(TensorRole::Output), 24u);
  EXPECT_EQ(spad.capacity, 12u + 224 + 24);
  // Multicast bus: one hop to every PE; no reduction: 168 unicasts back.
  EXPECT_EQ(arch.levels[1].network.summary.broadcastHops, 1u);
  EXPECT_EQ(arch.levels[1].network.summary.reduceAllHops, 168u);
  EXPECT_DOUBLE_EQ(arch.levels[0].energy.read, 200);
  EXPECT_DOUBLE_EQ(arch.levels[2].energy.update, 2); // read + write
}

// 16 MAC cells x 64 MACs behind the accumulator.
TEST(ArchPresetTest, Nvdla) {
  Arch arch = preset("nvdla");
  EXPECT_EQ(instancesOf(arch), (std::vector<uint64_t>{1, 1, 1, 16, 1024}));
  EXPECT_EQ(arch.peakMacsPerCycle(), 1024u);
  const StorageLevel &buffer = arch.levels[1];
  EXPECT_TRUE(buffer.keepsRole(TensorRole::Weight));
  EXPECT_FALSE(buffer.keepsRole(TensorRole::Output));
  // Adder tree of 64 leaves: 6 levels, 2 + 4 + ... + 64 = 126 links.
  EXPECT_EQ(arch.levels[3].network.summary.unicastMaxHops, 6u);
  EXPECT_EQ(arch.levels[3].network.summary.reduceAllHops, 126u);
}

// 16x16 and 128x128 systolic arrays fed at a corner: the far corner is
// 1 + 15 + 15 and 1 + 127 + 127 hops away.
TEST(ArchPresetTest, TpuSizes) {
  Arch small = preset("tpu16");
  EXPECT_EQ(instancesOf(small), (std::vector<uint64_t>{1, 1, 256, 256}));
  EXPECT_EQ(small.peakMacsPerCycle(), 256u);
  EXPECT_EQ(small.levels[1].network.summary.unicastMaxHops, 31u);
  EXPECT_DOUBLE_EQ(small.levels[1].network.summary.unicastAverageHops, 16);

  Arch large = preset("tpu128");
  EXPECT_EQ(instancesOf(large), (std::vector<uint64_t>{1, 1, 16384, 16384}));
  EXPECT_EQ(large.peakMacsPerCycle(), 16384u);
  EXPECT_EQ(large.levels[1].network.summary.unicastMaxHops, 255u);
  // Defaults: DRAM 1.3 nJ per 64 bits -> 162.5 pJ per byte; int8 MAC
  // 0.2 + 0.03 pJ; a hop 2 x MAC.
  EXPECT_DOUBLE_EQ(large.levels[0].energy.read, 162.5);
  EXPECT_DOUBLE_EQ(large.compute.macEnergy, 0.23);
  EXPECT_DOUBLE_EQ(large.levels[1].network.hopEnergy, 0.46);
}

// 6x6 chiplets x 4x4 PEs x 8 vector MACs x 8 lanes.
TEST(ArchPresetTest, Simba) {
  Arch arch = preset("simba");
  EXPECT_EQ(instancesOf(arch), (std::vector<uint64_t>{1, 36, 576, 4608}));
  EXPECT_EQ(arch.peakMacsPerCycle(), 36u * 16 * 8 * 8);
  // 6x6 mesh from router (0,0): 1 + x + y hops, at most 1 + 5 + 5.
  const NetworkSummary &package = arch.levels[0].network.summary;
  EXPECT_EQ(package.unicastMaxHops, 11u);
  EXPECT_DOUBLE_EQ(package.unicastAverageHops, 6);
  EXPECT_EQ(package.broadcastHops, 36u);
}

// 64 multiplier switches on a binary tree that multicasts and reduces.
TEST(ArchPresetTest, Maeri) {
  Arch arch = preset("maeri");
  EXPECT_EQ(instancesOf(arch), (std::vector<uint64_t>{1, 1, 64, 64}));
  EXPECT_EQ(arch.peakMacsPerCycle(), 64u);
  const Network &trees = arch.levels[1].network;
  EXPECT_TRUE(trees.multicast);
  EXPECT_TRUE(trees.reduction);
  EXPECT_EQ(trees.summary.broadcastHops, 126u);
  EXPECT_EQ(trees.summary.reduceAllHops, 126u);
  EXPECT_EQ(trees.multicastHops({0, 1}), 7u); // 5 shared + 2 leaf links
}

// Horowitz's SRAM points, per 16-bit word: 8 KB 10/4, 32 KB 20/4, 1 MB
// 100/4 pJ; 16 KB lies halfway on the log-log line: 10 * sqrt(2) / 4.
TEST(ArchPresetTest, DefaultSramEnergyFollowsHorowitz) {
  EXPECT_DOUBLE_EQ(defaultSramWordEnergy(4096, 16), 2.5);
  EXPECT_DOUBLE_EQ(defaultSramWordEnergy(16384, 16), 5);
  EXPECT_NEAR(defaultSramWordEnergy(524288, 16), 25, 1e-9);
  EXPECT_NEAR(defaultSramWordEnergy(8192, 16), 2.5 * std::sqrt(2.0), 1e-9);
  EXPECT_DOUBLE_EQ(defaultDramWordEnergy(64), 1300);
  EXPECT_DOUBLE_EQ(*defaultMacEnergy("fp32"), 4.6);
  EXPECT_FALSE(defaultMacEnergy("int4").has_value());
}

} // namespace
