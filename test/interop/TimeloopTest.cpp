//===- test/interop/TimeloopTest.cpp - Timeloop's inputs and accounting ---===//
//
// The tiny design in Inputs/tiny (a 1-D convolution M=2 P=4 R=3 on DRAM, a
// buffer and two PE registers) with counts worked out by hand from
// Timeloop's rules (docs/model.md, "Timeloop's accounting"), and the
// Eyeriss-like AlexNet CONV1 design against Timeloop's own stats.txt when
// ../shared/interop is there.
//
//===----------------------------------------------------------------------===//
#include "interop/Timeloop.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tessel {
namespace {

const std::string kTiny =
    std::string(TESSEL_SOURCE_DIR) + "/test/interop/Inputs/tiny/";

struct Counts {
  uint64_t reads, fills, updates;
};

Counts countsOf(const TimeloopRun &run, const std::string &level,
                const std::string &tensor) {
  unsigned l = *run.design.arch.levelIndex(level);
  unsigned t = *run.design.problem.tensorIndex(tensor);
  const TensorActions &a = run.report.actions.at(l, t);
  return {a.reads, a.fills, a.updates};
}

void expectCounts(const TimeloopRun &run, const std::string &level,
                  const std::string &tensor, Counts expected) {
  Counts got = countsOf(run, level, tensor);
  EXPECT_EQ(got.reads, expected.reads) << level << " " << tensor << " reads";
  EXPECT_EQ(got.fills, expected.fills) << level << " " << tensor << " fills";
  EXPECT_EQ(got.updates, expected.updates)
      << level << " " << tensor << " updates";
}

std::vector<std::string> tinyFiles(const std::string &mapping) {
  // Any order: the top-level keys tell the files apart.
  return {kTiny + mapping, kTiny + "ert.yaml", kTiny + "problem.yaml",
          kTiny + "arch.yaml"};
}

TEST(Timeloop, ReadsTheTinyDesign) {
  TimeloopDesign design = readTimeloopDesign(tinyFiles("mapping.yaml"));
  ASSERT_EQ(design.arch.levelCount(), 3u);
  EXPECT_EQ(design.arch.levels[1].name, "Buf");
  EXPECT_EQ(design.arch.levels[1].fanout[0], 2u);
  EXPECT_EQ(design.arch.levels[2].capacity, 8u);
  EXPECT_EQ(design.arch.peCount(), 2u);
  ASSERT_EQ(design.problem.tensors.size(), 3u);
  EXPECT_EQ(design.problem.tensors.back().name, "Outputs");
  ASSERT_TRUE(design.mapping.has_value());
  EXPECT_EQ(design.mapping->levels[1].spatial.size(), 1u);
}

// Hand count (per instance; two PEs): Reg tiles are Weights 3, Inputs 3,
// Outputs 1 and enter 3, 6 and 4 words over the four sampled steps of
// P2 x P2; the Buf's M2 spreads Weights and Outputs (2 groups) but not
// Inputs (1 group). Output reads are updates minus the partition (Reg 4,
// Buf 8, DRAM 8 words).
TEST(Timeloop, TinyMappingInTimeloopAccounting) {
  TimeloopRun run = runTimeloopDesign(tinyFiles("mapping.yaml"), {});
  expectCounts(run, "Reg", "Weights", {2 * 12, 2 * 3, 0});
  expectCounts(run, "Reg", "Outputs", {2 * 8, 2 * 4, 2 * 12});
  expectCounts(run, "Buf", "Inputs", {12, 6, 0});
  expectCounts(run, "Buf", "Outputs", {0, 8, 8});
  expectCounts(run, "DRAM", "Weights", {6, 0, 0});
  expectCounts(run, "DRAM", "Inputs", {6, 0, 0});
  expectCounts(run, "DRAM", "Outputs", {0, 0, 8});
  EXPECT_EQ(run.report.cycles, 12u);
  EXPECT_DOUBLE_EQ(run.report.energy.total(), 78 + 340 + 2000 + 48);
}

// The input window stands still while M steps, then moves with P: the
// change of translation makes Timeloop refetch the whole window (3 words)
// on each of the 3 P steps after the first, where Tessel keeps the
// overlap and fills one new word per step.
TEST(Timeloop, ChangeOfStrideRefetchesTheTile) {
  TimeloopRun timeloop = runTimeloopDesign(tinyFiles("mapping-reset.yaml"), {});
  expectCounts(timeloop, "Reg", "Inputs", {24, 12, 0});
  expectCounts(timeloop, "Reg", "Weights", {24, 24, 0});
  expectCounts(timeloop, "Reg", "Outputs", {16, 8, 24});
  expectCounts(timeloop, "Buf", "Inputs", {12, 6, 0});
  TimeloopRunOptions tessel;
  tessel.accounting = Accounting::Tessel;
  TimeloopRun own = runTimeloopDesign(tinyFiles("mapping-reset.yaml"), tessel);
  EXPECT_EQ(countsOf(own, "Reg", "Inputs").fills, 6u);
}

TEST(Timeloop, ErrorsNameTheFileAndLine) {
  std::string dir = testing::TempDir() + "/timeloop-bad";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/mapping.yaml")
      << "mapping:\n  - {target: Bufx, type: temporal, factors: P4}\n";
  try {
    runTimeloopDesign(
        {kTiny + "arch.yaml", kTiny + "problem.yaml", dir + "/mapping.yaml"},
        {});
    FAIL() << "no error";
  } catch (const TimeloopError &error) {
    EXPECT_NE(std::string(error.what()).find("mapping.yaml:2:"),
              std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("the levels are: DRAM, Buf, Reg"),
              std::string::npos)
        << error.what();
  }
}

// Timeloop's own outputs for the Eyeriss-like AlexNet CONV1 design; skipped
// where the folder of real Timeloop inputs is not there.
TEST(Timeloop, EyerissAlexNetConv1EqualsTimeloopStats) {
  std::string dir = std::string(TESSEL_SOURCE_DIR) +
                    "/../shared/interop/timeloop/eyeriss_like_alexnet_conv1/";
  if (!std::filesystem::exists(dir + "mapping.yaml"))
    GTEST_SKIP() << "no " << dir;
  TimeloopRun run = runTimeloopDesign(
      {dir + "arch", dir + "constraints", dir + "AlexNet_layer1.yaml",
       dir + "mapping.yaml",
       dir + "example_AlexNet_layer1_outputs/timeloop-mapper.ERT.yaml"},
      {});
  EXPECT_EQ(run.report.cycles, 798600u);
  // stats.txt, per instance x 132 PEs or x 1.
  expectCounts(run, "psum_spad", "Outputs",
               {132 * 774400ull, 132 * 72600ull, 132 * 798600ull});
  expectCounts(run, "weights_spad", "Weights",
               {132 * 798600ull, 132 * 14520ull, 0});
  expectCounts(run, "ifmap_spad", "Inputs",
               {132 * 798600ull, 132 * 37455ull, 0});
  expectCounts(run, "shared_glb", "Inputs", {412005, 412005, 0});
  expectCounts(run, "shared_glb", "Outputs", {580800, 290400, 871200});
  expectCounts(run, "DRAM", "Weights", {1916640, 0, 0});
  expectCounts(run, "DRAM", "Inputs", {412005, 0, 0});
  expectCounts(run, "DRAM", "Outputs", {0, 0, 290400});
  EXPECT_NEAR(run.report.energyPerMac(), 8.22, 0.005);
}

} // namespace
} // namespace tessel
