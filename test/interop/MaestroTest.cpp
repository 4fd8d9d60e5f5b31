//===- test/interop/MaestroTest.cpp - MAESTRO's inputs and runtimes -------===//
//
// The dataflow model on MAESTRO's own inputs (Inputs/maestro, written for
// these tests in MAESTRO's format): the runtimes MAESTRO prints for VGG
// layer 5 (YK-P output-stationary) and two GEMMs on its accelerator_1
// numbers, a tiny GEMM worked out by hand, and hostile files.
//
//===----------------------------------------------------------------------===//
#include "interop/Maestro.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace tessel {
namespace {

const std::string kInputs =
    std::string(TESSEL_SOURCE_DIR) + "/test/interop/Inputs/maestro/";

MaestroRun run(const std::string &hw, const std::string &mapping) {
  return runMaestro(kInputs + hw, kInputs + mapping);
}

const TensorActions &at(const MaestroRun &run, const std::string &level,
                        const std::string &tensor) {
  const MaestroLayer &layer = run.network.layers.at(0);
  return run.layers.at(0).report.actions.at(*layer.arch.levelIndex(level),
                                            *layer.problem.tensorIndex(tensor));
}

// MAESTRO's runtimes for these three inputs (its cost model, run on the
// same files): the independent reference.
TEST(MaestroReference, VggConv5OutputStationaryYKP) {
  MaestroRun r = run("accelerator.m", "vgg_conv5_ykp_os.m");
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0].report.macs, 924844032u); // 256x128x9x56x56.
  EXPECT_EQ(r.cycles, 4587521u);
}

TEST(MaestroReference, Gemm64) {
  EXPECT_EQ(run("accelerator.m", "gemm64.m").cycles, 6144u);
}

TEST(MaestroReference, Gemm256) {
  EXPECT_EQ(run("accelerator.m", "gemm256.m").cycles, 655360u);
}

// Why those numbers, by hand. VGG: 16 clusters split 56 output rows, 16 at
// a time: 4 spatial steps (the last with 8 clusters); x 16 K tiles x 56
// columns x 128 channels = 458,752 steps at the top. A cluster's one step:
// each PE computes a 3x3 window (9 MACs) after its 153 words arrive (1
// cycle at 1000 words/cycle): 9 + 1 = 10. Every top step is compute-bound
// at 10: ingress at most 198 words (an 18x3 input window for the 16 rows,
// 16 filters of 9) and egress 256 (16 filters x 16 rows) take 1 cycle
// each on the NoC; off-chip, the step's tile takes floor(198 / 50) = 3 in
// and floor(256 / 50) = 5 out. The first step pays its 1-cycle ingress
// too: 458,752 x 10 + 1.
TEST(MaestroReference, VggStepsByHand) {
  MaestroRun r = run("accelerator.m", "vgg_conv5_ykp_os.m");
  const DataCentricResult &d = r.layers[0].details;
  ASSERT_EQ(d.clusters.size(), 2u);
  EXPECT_EQ(d.clusters[0].steps, 458752u);
  EXPECT_EQ(d.clusters[0].boundSteps[2], 458752u); // All compute-bound.
  EXPECT_EQ(d.offChipDelay, 5u);
  // GEMM 64: 4 clusters of 64 PEs; 16 M steps x 64 N steps = 1024 top
  // steps. A cluster's step: 64 + 64 words in (1 cycle), one MAC: 2. The
  // top step's tile, 4 rows of A (256) + a column of B (64) = 320 words,
  // takes floor(320 / 50) = 6 cycles from off-chip: 1024 x 6.
  MaestroRun g = run("accelerator.m", "gemm64.m");
  EXPECT_EQ(g.layers[0].details.offChipDelay, 6u);
  EXPECT_EQ(g.layers[0].details.clusters[0].steps, 1024u);
  EXPECT_EQ(g.layers[0].details.clusters[0].boundSteps[3], 1024u);
}

// M=2 N=2 K=4 on 4 PEs (tiny_gemm.m), one cluster level: SpatialMap K
// gives each PE one k; TemporalMap M walks 2 rows; N (size 2) is whole.
// A PE's step: 1 row x 2 columns = 2 MACs. NoC 4 words/cycle, 1 hop.
//   step 1 (first): A's 4 words (one row, k over the PEs) + B's 8: 12
//     words = 3 sends: 1 + 3 - 1 = 3 cycles, + 2 compute = 5;
//   step 2 (M advances): A's next row, 4 words (1 cycle); B does not
//     depend on M: 0; egress C's row, 2 words, reduced over the PEs (1);
//     compute 2: max = 2.  Runtime 7.
// Off-chip at 100 words/cycle: floor(12 / 100) = 0, no limit; at 2: every
// step lasts floor(12 / 2) = 6: 12. (MAESTRO prints 7 and 12.)
// Counts: L2 sends A 8, B 8, takes C 2 + 2 = 4; L1 fills A 4 x 1 + 4 x 1
// = 8, B 4 x 2 = 8 (the second step brings none); every MAC reads its two
// operands in L1 and updates its sum there: 16 each.
TEST(MaestroTiny, GemmOnFourPEsByHand) {
  MaestroRun r = run("tiny_hw.m", "tiny_gemm.m");
  EXPECT_EQ(r.cycles, 7u);
  EXPECT_EQ(at(r, "L2", "input").reads, 8u);
  EXPECT_EQ(at(r, "L2", "filter").reads, 8u);
  EXPECT_EQ(at(r, "L2", "output").updates, 4u);
  EXPECT_EQ(at(r, "L1", "input").fills, 8u);
  EXPECT_EQ(at(r, "L1", "filter").fills, 8u);
  EXPECT_EQ(at(r, "L1", "input").reads, 16u);
  EXPECT_EQ(at(r, "L1", "output").updates, 16u);
  EXPECT_EQ(at(r, "DRAM", "input").reads, 8u);
  EXPECT_EQ(r.layers[0].details.clusters[0].steps, 2u);
}

class MaestroHostile : public ::testing::Test {
protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("tessel-maestro-" + std::to_string(::getpid()) + "-" +
       ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void TearDown() override { std::filesystem::remove_all(dir); }
  /// Writes `text` to NAME in a folder of this test's own (tests run in
  /// parallel processes).
  std::string write(const std::string &name, const std::string &text) {
    std::filesystem::create_directories(dir);
    std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  }
  /// The error runMaestro throws for `mapping` (on the tiny hardware).
  std::string errorOf(const std::string &mapping, const std::string &hw = "") {
    std::string hwPath = hw.empty() ? kInputs + "tiny_hw.m" : write("hw.m", hw);
    try {
      runMaestro(hwPath, write("m.m", mapping));
    } catch (const MaestroError &error) {
      return error.what();
    }
    return "(no error)";
  }
  static std::string gemm(const std::string &dims,
                          const std::string &dataflow) {
    return "Network n {\n Layer L {\n  Type: GEMM\n  Dimensions { " + dims +
           " }\n  Dataflow {\n" + dataflow + "\n  }\n }\n}\n";
  }
};

TEST_F(MaestroHostile, MissingFile) {
  try {
    runMaestro(kInputs + "no-such-hw.m", kInputs + "tiny_gemm.m");
    FAIL() << "no error";
  } catch (const MaestroError &error) {
    EXPECT_NE(std::string(error.what()).find("no-such-hw.m"),
              std::string::npos);
  }
}

TEST_F(MaestroHostile, UnknownDirectiveNamesLineAndTheRightOnes) {
  std::string e = errorOf(gemm("M: 2, N: 2, K: 4", "DiagonalMap(1,1) K;"));
  EXPECT_NE(e.find("m.m:6:1: error: unknown directive 'DiagonalMap'"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("TemporalMap(size, offset)"), std::string::npos) << e;
}

TEST_F(MaestroHostile, ZeroSize) {
  std::string e = errorOf(gemm("M: 2, N: 2, K: 4", "TemporalMap(0,1) K;"));
  EXPECT_NE(e.find("m.m:6:1: error: TemporalMap has size 0"), std::string::npos)
      << e;
  std::string dim = errorOf(gemm("M: 0, N: 2, K: 4", "SpatialMap(1,1) K;"));
  EXPECT_NE(dim.find("'M' is 0; sizes are positive"), std::string::npos) << dim;
}

TEST_F(MaestroHostile, NumbersTooLargeAndProductsThatOverflow) {
  std::string e = errorOf(
      gemm("M: 99999999999999999999, N: 2, K: 4", "SpatialMap(1,1) K;"));
  EXPECT_NE(e.find("m.m:4:19: error: '99999999999999999999' is too large"),
            std::string::npos)
      << e;
  // Each bound fits; their product (2^120 MACs) does not.
  std::string product =
      errorOf(gemm("M: 1099511627776, N: 1099511627776, K: 1099511627776",
                   "SpatialMap(1,1) K;"));
  EXPECT_NE(product.find("exceeds"), std::string::npos) << product;
  EXPECT_NE(product.find("layer 'L'"), std::string::npos) << product;
}

TEST_F(MaestroHostile, StructuralMistakes) {
  EXPECT_NE(
      errorOf(gemm("M: 2, N: 2, K: 4", "SpatialMap(1,1) K; SpatialMap(1,1) M;"))
          .find("a second SpatialMap in one cluster level"),
      std::string::npos);
  EXPECT_NE(errorOf(gemm("M: 2, N: 2, K: 4", "SpatialMap(1,1) Q;"))
                .find("'Q' is not a dimension of this GEMM layer; give one "
                      "of M, N, K"),
            std::string::npos);
  EXPECT_NE(
      errorOf(gemm("M: 2, N: 2, K: 4", "SpatialMap(1,1) K; Cluster(5, P); "
                                       "SpatialMap(1,1) M;"))
          .find("Cluster(5, P) is larger than the 4 units"),
      std::string::npos);
  EXPECT_NE(errorOf("Network n { Layer L { Type: GEMM Dimensions { M: 2, "
                    "N: 2, K: 2 } } }")
                .find("has no Dataflow"),
            std::string::npos);
  EXPECT_NE(errorOf("Network n { Layer L { Type: LSTM } }")
                .find("layer type 'LSTM' is not modelled; give CONV, DSCONV "
                      "or GEMM"),
            std::string::npos);
  EXPECT_NE(errorOf("Network n { Layer L { Type: GEMM").find("ends early"),
            std::string::npos);
  EXPECT_NE(errorOf(gemm("M: 2, N: 2, K: 4", "TemporalMap(Sz(Z),1) K;"))
                .find("Sz(Z): the layer's Dimensions give no 'Z'"),
            std::string::npos);
}

TEST_F(MaestroHostile, TooManyDirectivesInALevel) {
  // 14 directives could take 3^14 cases: refused before the walk.
  std::string many;
  for (int i = 0; i < 14; ++i)
    many += "TemporalMap(1,1) M;\n";
  std::string e = errorOf(gemm("M: 2, N: 2, K: 4", many));
  EXPECT_NE(e.find("has 14 directives; give at most 13"), std::string::npos)
      << e;
}

TEST_F(MaestroHostile, ConvolutionWindows) {
  std::string conv = "Network n {\n Layer C {\n  Type: CONV\n  Dimensions "
                     "{ K: 2, C: 1, R: 3, S: 3, Y: 6, X: 6 }\n  Dataflow {\n"
                     "   SpatialMap(2,1) Y;\n  }\n }\n}\n";
  EXPECT_NE(errorOf(conv).find("m.m:6:4: error: SpatialMap(2, ...) Y covers "
                               "fewer input rows than the filter's 3"),
            std::string::npos)
      << errorOf(conv);
}

TEST_F(MaestroHostile, HardwareFile) {
  std::string ok = gemm("M: 2, N: 2, K: 4", "SpatialMap(1,1) K;");
  EXPECT_NE(errorOf(ok, "num_pes: 4\nbogus_key: 3\n")
                .find("hw.m:2: error: unknown key 'bogus_key'"),
            std::string::npos);
  EXPECT_NE(errorOf(ok, "num_pes: many\n")
                .find("hw.m:1: error: 'num_pes' is 'many'; give a positive "
                      "whole number"),
            std::string::npos);
  EXPECT_NE(errorOf(ok, "num_pes: 0\n").find("'num_pes' is '0'"),
            std::string::npos);
}

} // namespace
} // namespace tessel
