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

#include <array>
#include <filesystem>
#include <fstream>
#include <map>

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
// The same accelerator in v0.4's !Container/!Component list: the PE
// container's meshX gives Buf its two children on X, and the hand counts
// above hold unchanged.
TEST(Timeloop, ReadsTheV04Form) {
  TimeloopRun run =
      runTimeloopDesign({kTiny + "arch-v04.yaml", kTiny + "problem.yaml",
                         kTiny + "mapping.yaml", kTiny + "ert.yaml"},
                        {});
  const Arch &arch = run.design.arch;
  ASSERT_EQ(arch.levelCount(), 3u);
  EXPECT_EQ(arch.levels[1].fanout, (std::array<unsigned, 2>{2, 1}));
  EXPECT_EQ(arch.levels[1].capacity, 64u);
  EXPECT_EQ(arch.levels[2].capacity, 8u);
  EXPECT_EQ(arch.peCount(), 2u);
  expectCounts(run, "Reg", "Weights", {2 * 12, 2 * 3, 0});
  expectCounts(run, "Reg", "Outputs", {2 * 8, 2 * 4, 2 * 12});
  expectCounts(run, "Buf", "Inputs", {12, 6, 0});
  expectCounts(run, "Buf", "Outputs", {0, 8, 8});
  expectCounts(run, "DRAM", "Outputs", {0, 0, 8});
  EXPECT_EQ(run.report.cycles, 12u);
  EXPECT_DOUBLE_EQ(run.report.energy.total(), 78 + 340 + 2000 + 48);
}

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

const LevelConstraint *constraintOf(const TimeloopDesign &design,
                                    const std::string &level) {
  for (const LevelConstraint &c : design.constraints->levels)
    if (c.level == level)
      return &c;
  return nullptr;
}

// Inputs/tiny/constraints.yaml, read as Timeloop reads it: factor 0 is the
// full dimension (R=3), permutations list loops inner to outer ('_' splits
// the innermost from the outermost), a spatial permutation's first `split`
// dims spread on X.
TEST(Timeloop, ConstraintsBecomeTessels) {
  TimeloopDesign design =
      readTimeloopDesign({kTiny + "arch.yaml", kTiny + "problem.yaml",
                          kTiny + "constraints.yaml"});
  ASSERT_TRUE(design.constraints.has_value());
  const LevelConstraint *buf = constraintOf(design, "Buf");
  ASSERT_NE(buf, nullptr);
  EXPECT_EQ(buf->keep, (std::vector<std::string>{"Inputs", "Outputs"}));
  EXPECT_EQ(buf->spatialX, (std::vector<std::string>{"M"})); // P, R fixed 1.
  EXPECT_TRUE(buf->spatial.empty());
  const LevelConstraint *reg = constraintOf(design, "Reg");
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->keep, (std::vector<std::string>{"Weights"}));
  std::map<std::string, int64_t> temporal;
  for (const LoopSpec &loop : reg->temporal)
    temporal[loop.dim] = loop.factor;
  EXPECT_EQ(temporal,
            (std::map<std::string, int64_t>{{"M", 1}, {"P", 1}, {"R", 3}}));
  EXPECT_EQ(reg->innermost, (std::vector<std::string>{"P", "M", "R"}));
  const LevelConstraint *dram = constraintOf(design, "DRAM");
  ASSERT_NE(dram, nullptr);
  EXPECT_EQ(dram->innermost, (std::vector<std::string>{"P"}));
  EXPECT_EQ(dram->outermost, (std::vector<std::string>{"M"}));
}

// Mapping under the constraints: every mapping the search returns keeps
// them (exhaustively: the best of the whole constrained space), and the
// mapper file's objective, budget and patience apply.
TEST(Timeloop, MapsWithinTheConstraints) {
  TimeloopRunOptions options;
  options.mapper = "exhaustive";
  options.budget = 100000;
  TimeloopRun run =
      runTimeloopDesign({kTiny + "arch.yaml", kTiny + "problem.yaml",
                         kTiny + "ert.yaml", kTiny + "constraints.yaml"},
                        options);
  ASSERT_TRUE(run.mapped);
  const Problem &problem = run.design.problem;
  const Mapping &m = run.mapping;
  unsigned buf = *run.design.arch.levelIndex("Buf");
  unsigned reg = *run.design.arch.levelIndex("Reg");
  unsigned weights = *problem.tensorIndex("Weights");
  EXPECT_FALSE(m.levels[buf].keeps(weights));
  EXPECT_TRUE(m.levels[reg].keeps(weights));
  EXPECT_FALSE(m.levels[reg].keeps(*problem.tensorIndex("Inputs")));
  for (const SpatialLoop &loop : m.levels[buf].spatial)
    EXPECT_EQ(problem.dims[loop.dim].name, "M");
  int64_t regR = 1;
  for (const Loop &loop : m.levels[reg].temporal) {
    EXPECT_EQ(problem.dims[loop.dim].name, "R");
    regR *= loop.factor;
  }
  EXPECT_EQ(regR, 3);

  // [delay, energy] is lex; search-size 50 bounds the random search;
  // victory-condition 20 may stop it sooner.
  TimeloopDesign design = readTimeloopDesign(
      {kTiny + "arch.yaml", kTiny + "problem.yaml", kTiny + "mapper.yaml"});
  ASSERT_TRUE(design.objective.has_value());
  EXPECT_EQ(design.objective->name(), "lex");
  EXPECT_EQ(design.threads, 2u);
  EXPECT_EQ(design.searchSize, 50u);
  EXPECT_EQ(design.victory, 20u);
  TimeloopRunOptions random;
  random.mapper = "random";
  TimeloopRun limited = runTimeloopDesign(
      {kTiny + "arch.yaml", kTiny + "problem.yaml", kTiny + "mapper.yaml"},
      random);
  EXPECT_LE(limited.evaluations, 50u);
}

// A pass-through level folds into its parent: Buf's fan-out becomes 2 x 2,
// its own spatial constraint rules X (M=2) and Dummy's rules Y (only P).
TEST(Timeloop, FoldedLevelsJoinTheirParentsSpatialConstraints) {
  const std::string fold =
      std::string(TESSEL_SOURCE_DIR) + "/test/interop/Inputs/fold/";
  TimeloopDesign design = readTimeloopDesign(
      {fold + "arch.yaml", fold + "problem.yaml", fold + "constraints.yaml"});
  ASSERT_EQ(design.arch.levelCount(), 3u);
  EXPECT_EQ(design.arch.levels[1].fanout, (std::array<unsigned, 2>{2, 2}));
  const LevelConstraint *buf = constraintOf(design, "Buf");
  ASSERT_NE(buf, nullptr);
  ASSERT_EQ(buf->spatial.size(), 1u);
  EXPECT_EQ(buf->spatial[0].dim, "M");
  EXPECT_EQ(buf->spatial[0].factor, 2);
  EXPECT_EQ(buf->spatial[0].axis, SpatialAxis::X);
  EXPECT_EQ(buf->spatialX, (std::vector<std::string>{"M"}));
  EXPECT_EQ(buf->spatialY, (std::vector<std::string>{"P"}));
}

TEST(Timeloop, ConstraintErrorsNameTheFileAndLine) {
  std::string dir = testing::TempDir() + "/timeloop-bad-constraints";
  std::filesystem::create_directories(dir);
  auto expectError = [&](const std::string &text, const std::string &what) {
    std::ofstream(dir + "/c.yaml") << text;
    try {
      readTimeloopDesign(
          {kTiny + "arch.yaml", kTiny + "problem.yaml", dir + "/c.yaml"});
      ADD_FAILURE() << "no error for " << text;
    } catch (const TimeloopError &error) {
      EXPECT_NE(std::string(error.what()).find("c.yaml:"), std::string::npos)
          << error.what();
      EXPECT_NE(std::string(error.what()).find(what), std::string::npos)
          << error.what();
    }
  };
  expectError("architecture_constraints:\n  targets:\n"
              "    - {target: Buf, type: temporal, factors: R=x}\n",
              "is malformed");
  expectError("architecture_constraints:\n  targets:\n"
              "    - {target: Bug, type: temporal, factors: R=1}\n",
              "the levels are: DRAM, Buf, Reg");
  expectError("architecture_constraints:\n  targets:\n"
              "    - {target: Buf, type: temporal, factors: R=1}\n"
              "mapspace_constraints:\n  targets:\n"
              "    - {target: Buf, type: temporal, factors: R=3}\n",
              "a second factor for R");
  expectError("architecture_constraints:\n  targets:\n"
              "    - {target: Buf, type: temporal, permutation: RMR}\n",
              "twice");
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

// VGG02 layer 5 (K=256 C=128 R=S=3, 56x56 outputs) on the same Eyeriss-like
// design, its constraints and mapper file, no mapping: Timeloop v3.0.3's
// mapper, run here by an earlier session, took 89 s for 8,257,536 cycles
// and 3.94 pJ/MAC. Tessel's search (3,000 evaluations, the mapper file's
// [delay, energy] objective) must do at least as well by cycles, then
// energy.
TEST(Timeloop, MapperAtLeastMatchesTimeloopsOnVgg02Layer5) {
  std::string dir = std::string(TESSEL_SOURCE_DIR) +
                    "/../shared/interop/timeloop/eyeriss_like_alexnet_conv1/";
  if (!std::filesystem::exists(dir + "mapper"))
    GTEST_SKIP() << "no " << dir;
  std::string problem =
      std::string(TESSEL_SOURCE_DIR) + "/test/interop/Inputs/vgg02_layer5.yaml";
  TimeloopRun run = runTimeloopDesign(
      {dir + "arch", dir + "constraints", dir + "mapper", problem,
       dir + "example_AlexNet_layer1_outputs/timeloop-mapper.ERT.yaml"},
      {});
  ASSERT_TRUE(run.mapped);
  EXPECT_EQ(run.report.macs, 924844032u);
  ASSERT_LE(run.report.cycles, 8257536u);
  if (run.report.cycles == 8257536u) {
    EXPECT_LE(run.report.energyPerMac(), 3.94);
  }
}

} // namespace
} // namespace tessel
