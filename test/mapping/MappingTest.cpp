//===- test/mapping/MappingTest.cpp - Tiles and verification
//---------------===//
//
// Tile sizes are worked out by hand from the projections in the comments.
//
//===----------------------------------------------------------------------===//
#include "mapping/Mapping.h"
#include "mapping/MappingYaml.h"
#include "mapping/RandomMapping.h"
#include "test/mapping/TestArch.h"
#include "workloads/Problem.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace tessel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::HasSubstr;
using testing::threeLevelArch;

/// conv2d: O[n,oh,ow,f] += I[n, s*oh + d*kh, s*ow + d*kw, c] * W[kh,kw,c,f]
/// with n=1, oh=ow=4, f=8, kh=kw=3, c=4.
Problem conv(int64_t stride, int64_t dilation) {
  Problem p;
  p.name = "conv";
  p.dims = {{"n", 1},  {"oh", 4}, {"ow", 4}, {"f", 8},
            {"kh", 3}, {"kw", 3}, {"c", 4}};
  Tensor in{"I",
            16,
            "f16",
            {{{{0, 1}}, 0},
             {{{1, stride}, {4, dilation}}, 0},
             {{{2, stride}, {5, dilation}}, 0},
             {{{6, 1}}, 0}},
            {},
            false};
  Tensor w{"W",   16,
           "f16", {{{{4, 1}}, 0}, {{{5, 1}}, 0}, {{{6, 1}}, 0}, {{{3, 1}}, 0}},
           {},    false};
  Tensor out{
      "O",   16,
      "f16", {{{{0, 1}}, 0}, {{{1, 1}}, 0}, {{{2, 1}}, 0}, {{{3, 1}}, 0}},
      {},    true};
  p.tensors = {in, w, out};
  return p;
}

/// DRAM: f=2 oh=2 | Buffer: c=4, spatial f=4@X ow=4@Y | PE: oh=2 kh=3 kw=3.
MappingSpec convSpec() {
  MappingSpec spec;
  spec.levels = {
      {"DRAM", {{"f", 2}, {"oh", 2}}, {}, {"I", "W", "O"}},
      {"Buffer",
       {{"c", 4}},
       {{"f", 4, SpatialAxis::X}, {"ow", 4, SpatialAxis::Y}},
       {"I", "W", "O"}},
      {"PE", {{"oh", 2}, {"kh", 3}, {"kw", 3}}, {}, {"I", "W", "O"}}};
  return spec;
}

Mapping resolved(const MappingSpec &spec, const Problem &problem,
                 const Arch &arch) {
  Mapping mapping;
  std::vector<MappingError> errors;
  EXPECT_TRUE(resolveMapping(spec, problem, arch, mapping, errors));
  for (const MappingError &error : errors)
    ADD_FAILURE() << error.message;
  return mapping;
}

TEST(Mapping, TileWordsOfAStridedConvolution) {
  Problem problem = conv(/*stride=*/2, /*dilation=*/1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  Mapping mapping = resolved(convSpec(), problem, arch);
  auto words = tileWords(problem, mapping);
  // PE: oh=2 kh=3 kw=3 -> I rows 2*(2-1)+(3-1)+1 = 5, cols 3, c 1.
  EXPECT_THAT(words[2], ElementsAre(5u * 3, 3u * 3, 2u));
  // Buffer adds ow=4 f=4 c=4 -> I rows 5, cols 2*3+2+1 = 9, c 4.
  EXPECT_THAT(words[1], ElementsAre(5u * 9 * 4, 3u * 3 * 4 * 4, 2u * 4 * 4));
  // DRAM: the whole op; I is the 9x9x4 padded input.
  EXPECT_THAT(words[0], ElementsAre(9u * 9 * 4, 3u * 3 * 4 * 8, 4u * 4 * 8));
  EXPECT_TRUE(verifyMapping(problem, arch, mapping).empty());
}

TEST(Mapping, TileWordsOfADilatedConvolution) {
  Problem problem = conv(/*stride=*/1, /*dilation=*/2);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  auto words = tileWords(problem, resolved(convSpec(), problem, arch));
  // PE: rows (2-1) + 2*(3-1) + 1 = 6, cols 2*(3-1) + 1 = 5.
  EXPECT_EQ(words[2][0], 6u * 5);
  // Buffer: cols (4-1) + 2*2 + 1 = 8.
  EXPECT_EQ(words[1][0], 6u * 8 * 4);
}

std::vector<std::string> messages(const std::vector<MappingError> &errors) {
  std::vector<std::string> text;
  for (const MappingError &error : errors)
    text.push_back(error.message);
  return text;
}

TEST(MappingVerify, WithoutReasonsTheVerdictIsTheSame) {
  // A search's cheap rejection verifies without building the reasons: the
  // list must be empty exactly when the full verification's is.
  Problem problem = conv(1, 1);
  Arch plain = threeLevelArch(4, 2, 96, 12);
  Arch split = plain;
  split.levels[1].partition = PerRole<uint64_t>{40, 24, 32};
  VerifyOptions quiet;
  quiet.reasons = false;
  std::mt19937_64 rng(5);
  for (const Arch *arch : {&plain, &split}) {
    unsigned legal = 0, overflowing = 0;
    for (int trial = 0; trial < 3000; ++trial) {
      Mapping mapping = randomMapping(problem, *arch, rng);
      std::vector<MappingError> full = verifyMapping(problem, *arch, mapping);
      std::vector<MappingError> fast =
          verifyMapping(problem, *arch, mapping, quiet);
      ASSERT_EQ(full.empty(), fast.empty()) << "trial " << trial;
      legal += full.empty();
      for (const MappingError &error : full)
        if (error.message.find("words but") != std::string::npos ||
            error.message.find("holds") != std::string::npos) {
          ++overflowing;
          break;
        }
    }
    EXPECT_GT(legal, 50u);       // Both verdicts occur,
    EXPECT_GT(overflowing, 50u); // and capacity is among the reasons.
  }
}

TEST(MappingVerify, FactorsMustCoverBounds) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  MappingSpec spec = convSpec();
  spec.levels[0].temporal = {{"f", 2}}; // oh covered 2 of 4
  EXPECT_THAT(messages(verifyMapping(problem, arch, spec)),
              ElementsAre("dimension 'oh': the product of its factors is 2 "
                          "but its bound is 4; the factors must multiply to "
                          "4"));
}

TEST(MappingVerify, PaddingIsAllowedOnlyUpToTheLimit) {
  Problem problem = conv(2, 1);
  problem.dims[3].bound = 7; // f=7 covered by 2*4 = 8: 14% padding
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  EXPECT_THAT(messages(verifyMapping(problem, arch, convSpec())),
              ElementsAre(HasSubstr("dimension 'f': the product of its "
                                    "factors is 8, padding its bound 7 by "
                                    "14%, beyond the allowed 0%")));
  VerifyOptions options;
  options.maxPadding = 0.15;
  EXPECT_TRUE(verifyMapping(problem, arch, convSpec(), options).empty());
}

/// f=7 (the conv's filters) as DRAM f=a x Buffer f=b@X, every other
/// dimension as convSpec has it.
MappingSpec filtersAs(int64_t dram, int64_t spread, Factorization rule) {
  MappingSpec spec = convSpec();
  spec.factorization = rule;
  spec.levels[0].temporal[0].factor = dram;
  spec.levels[1].spatial[0].factor = spread;
  return spec;
}

TEST(MappingVerify, ResidualFactorsMayExceedTheBoundByLessThanTheOuterStride) {
  Problem problem = conv(2, 1);
  problem.dims[3].bound = 7; // f
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  // 2 x 4 = 8: the outermost loop (factor 2) steps 4; 8 - 7 < 4.
  // 3 x 3 = 9: 9 - 7 < 3. 4 x 2 = 8: 8 - 7 < 2. 7 x 1: exact.
  for (auto [dram, spread] : {std::pair<int64_t, int64_t>{2, 4}, {3, 3},
                              {4, 2}, {7, 1}})
    EXPECT_TRUE(verifyMapping(problem, arch,
                              filtersAs(dram, spread, Factorization::Residual))
                    .empty())
        << dram << " x " << spread;
  // 4 x 4 = 16 runs a whole empty iteration of the outer loop (12..15).
  EXPECT_THAT(
      messages(verifyMapping(problem, arch,
                             filtersAs(4, 4, Factorization::Residual))),
      ElementsAre("dimension 'f': the product of its factors is 16 (4 x 4), "
                  "beyond its bound 7 by a whole iteration of its outermost "
                  "loop (factor 4, each iteration covering 4): a residual "
                  "factorization may exceed the bound by less than 4; make "
                  "that factor 2 (ceil(7 / 4))"));
  // 8 x 1: the outermost loop's 8th iteration is empty.
  EXPECT_THAT(messages(verifyMapping(problem, arch,
                                     filtersAs(8, 1, Factorization::Residual))),
              ElementsAre(HasSubstr("make that factor 7 (ceil(7 / 1))")));
  // 3 x 2 = 6 does not cover 7.
  EXPECT_THAT(messages(verifyMapping(problem, arch,
                                     filtersAs(3, 2, Factorization::Residual))),
              ElementsAre("dimension 'f': the product of its factors is 6 "
                          "but its bound is 7; the factors must multiply to "
                          "7 or more"));
}

TEST(MappingVerify, AnExactMappingThatOvershootsSaysWhatWouldBeRight) {
  Problem problem = conv(2, 1);
  problem.dims[3].bound = 7;
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  EXPECT_THAT(messages(verifyMapping(problem, arch,
                                     filtersAs(2, 4, Factorization::Exact))),
              ElementsAre(HasSubstr(
                  "or the mapping must say 'factorization: residual'")));
  // Padded: any overshoot is run (and counted) as padding.
  EXPECT_TRUE(
      verifyMapping(problem, arch, filtersAs(4, 4, Factorization::Padded))
          .empty());
}

TEST(MappingVerify, SpatialFactorsMustFitTheFanout) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(2, 4, 4096, 64);
  EXPECT_THAT(messages(verifyMapping(problem, arch, convSpec())),
              ElementsAre("level 'Buffer': spatial factors on X multiply to 4 "
                          "but the level has 2 children on X"));
}

TEST(MappingVerify, TilesMustFitCapacityHalosIncluded) {
  Problem problem = conv(2, 1);
  // PE tiles: I 15 + W 9 + O 2 = 26 words.
  Arch arch = threeLevelArch(4, 4, 4096, 25);
  EXPECT_THAT(messages(verifyMapping(problem, arch, convSpec())),
              ElementsAre("level 'PE': the tiles it keeps need 26 words (I 15 "
                          "+ W 9 + O 2) but it holds 25"));
  // Bypassing W at the PE frees 9 words.
  MappingSpec spec = convSpec();
  spec.levels[2].keep = {"I", "O"};
  EXPECT_TRUE(verifyMapping(problem, arch, spec).empty());
}

TEST(MappingVerify, PartitionedCapacityIsPerTensor) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  arch.levels[2].partition = PerRole<uint64_t>{16, 8, 4}; // I, W, O
  EXPECT_THAT(messages(verifyMapping(problem, arch, convSpec())),
              ElementsAre("level 'PE': the tile of 'W' needs 9 words but its "
                          "weight partition holds 8"));
}

TEST(MappingVerify, KeepRules) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  arch.levels[2].keeps = {true, false, true}; // PE cannot hold weights
  MappingSpec spec = convSpec();
  spec.levels[0].keep = {"I", "W"};
  spec.levels[1].keep = {};
  EXPECT_THAT(
      messages(verifyMapping(problem, arch, spec)),
      ElementsAre("level 'DRAM' is the outermost and must keep every tensor, "
                  "but bypasses 'O'",
                  "level 'Buffer' keeps no tensor; keep at least one or remove "
                  "its loops from the Arch",
                  "level 'PE' keeps tensor 'W', but the Arch lets it hold no "
                  "weight tensors"));
}

TEST(MappingVerify, UnknownNamesAreAllReported) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  MappingSpec spec = convSpec();
  spec.levels[1].level = "GLB";
  spec.levels[1].temporal[0].dim = "ch";
  spec.levels[2].keep = {"I", "Psum"};
  EXPECT_THAT(
      messages(verifyMapping(problem, arch, spec)),
      ElementsAre("mapping level 2 is 'GLB' but Arch level 2 is 'Buffer'; "
                  "the Arch's levels are DRAM, Buffer, PE",
                  "level 'GLB': unknown dimension 'ch'; the op's dimensions "
                  "are n, oh, ow, f, kh, kw, c",
                  "level 'PE': unknown tensor 'Psum' in 'keep'; the op's "
                  "tensors are I, W, O"));
}

TEST(MappingVerify, LevelListMustMatchTheArch) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  MappingSpec spec = convSpec();
  spec.levels.pop_back();
  EXPECT_THAT(messages(verifyMapping(problem, arch, spec)),
              ElementsAre("the mapping has 2 levels (DRAM, Buffer) but the "
                          "Arch 'test' has 3 (DRAM, Buffer, PE), outer to "
                          "inner"));
}

TEST(MappingVerify, SystolicArraysAllowTheirDataflowsOnly) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  arch.levels[1].network.topology = "systolic";
  // f on X, ow on Y: output-stationary fits (I, not indexed by f, moves
  // along the rows; W, not indexed by ow, moves down the columns).
  EXPECT_THAT(messages(verifyMapping(problem, arch, convSpec())), IsEmpty());
  // f and c on X, ow on Y: rows along Y, both inputs are indexed by c (a
  // column loop); rows along X, W moves along them, but O (f) and I (c)
  // are both indexed by the rows' loops: nothing can move down.
  MappingSpec spec = convSpec();
  spec.levels[1].temporal = {{"c", 2}, {"f", 2}};
  spec.levels[1].spatial = {{"f", 2, SpatialAxis::X},
                            {"c", 2, SpatialAxis::X},
                            {"ow", 4, SpatialAxis::Y}};
  EXPECT_THAT(messages(verifyMapping(problem, arch, spec)),
              ElementsAre(HasSubstr("level 'Buffer': no dataflow of its "
                                    "systolic network runs these spatial "
                                    "loops")));
}

TEST(MappingVerify, RepeatedLoops) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  MappingSpec spec = convSpec();
  spec.levels[2].temporal.push_back({"kh", 1});
  EXPECT_THAT(messages(verifyMapping(problem, arch, spec)),
              ElementsAre(HasSubstr("dimension 'kh' appears twice in "
                                    "'temporal'")));
}

TEST(MappingVerify, RepeatedKeepIsAnError) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  MappingSpec spec = convSpec();
  spec.levels[1].keep = {"I", "W", "W", "O"};
  EXPECT_THAT(messages(verifyMapping(problem, arch, spec)),
              ElementsAre("level 'Buffer': tensor 'W' is listed twice in "
                          "'keep'; list each once"));
}

// (2^62 + 1) x 2 = 2^63 + 2 does not fit a signed 64-bit product. (With a
// wrapping multiply, (2^62 + 1) x 4 = 2^64 + 4 would wrap to oh's bound 4 and
// the mapping would pass: the bug this guards against.)
TEST(MappingVerify, FactorProductsThatOverflowAreRejected) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  MappingSpec spec = convSpec();
  spec.levels[0].temporal = {{"f", 2}, {"oh", 4611686018427387905}};
  EXPECT_THAT(messages(verifyMapping(problem, arch, spec)),
              ElementsAre("dimension 'oh': its factors (4611686018427387905 "
                          "x 2) must be whole numbers >= 1 whose product fits "
                          "in 64 bits, and should multiply to its bound 4"));
}

TEST(MappingVerify, SpatialProductsThatOverflowAreRejected) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  MappingSpec spec = convSpec();
  // 2^33 * 2^31 wraps to 0 in 64 bits: it must not pass the fan-out check.
  spec.levels[1].spatial = {{"f", int64_t(1) << 33, SpatialAxis::X},
                            {"ow", int64_t(1) << 31, SpatialAxis::X}};
  std::vector<std::string> found = messages(verifyMapping(problem, arch, spec));
  EXPECT_THAT(found, ::testing::Contains(HasSubstr(
                         "spatial factors on X multiply to "
                         "9223372036854775807 but the level has 4 children")));
}

TEST(MappingVerify, ErrorsPointAtTheLevelTheyAreAbout) {
  Problem problem = conv(2, 1);
  Arch arch = threeLevelArch(4, 4, 4096, 64);
  MappingSpec spec = convSpec();
  spec.origin = "m.yaml:2:5";
  spec.levels[0].origin = "m.yaml:4:9";
  spec.levels[1].origin = "m.yaml:7:9";
  spec.levels[2].origin = "m.yaml:11:9";
  spec.levels[1].keep = {"I", "I", "W", "O"}; // About level 1.
  spec.levels[0].temporal = {{"f", 2}};       // About dimension oh.
  std::vector<MappingError> errors = verifyMapping(problem, arch, spec);
  ASSERT_EQ(errors.size(), 1u); // Resolving fails first, on the keep list.
  EXPECT_EQ(errors[0].where, "m.yaml:7:9");
  spec.levels[1].keep = {"I", "W", "O"};
  errors = verifyMapping(problem, arch, spec);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "m.yaml:2:5");
  EXPECT_EQ(errors[0].level, -1);
}

} // namespace
} // namespace tessel

namespace tessel {
namespace {

// Found by fuzz_mapping_yaml: names that YAML would read differently if
// printed plain ("DR #AM" reads back as "DR") are quoted, so the written
// mapping reads back equal.
TEST(MappingYaml, NamesThatNeedQuotesRoundTrip) {
  MappingSpec spec;
  spec.levels = {{"DR #AM", {{"m", 4}}, {}, {"A"}},
                 {"a: b", {}, {{"n", 2, SpatialAxis::Y}}, {"B"}},
                 {"\"q\"", {}, {}, {"C"}}};
  std::vector<NamedMapping> written = {{"op [1]", spec}};
  std::vector<NamedMapping> read =
      parseMappingYaml(mappingsToYaml(written), "round.yaml");
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].op, "op [1]");
  EXPECT_TRUE(read[0].mapping == spec);
}

TEST(MappingYaml, NamesMustFitOnOneLine) {
  EXPECT_THROW(parseMappingYaml("mappings:\n  - levels:\n      - level: "
                                "\"A\\nB\"\n        keep: [A]\n",
                                "n.yaml"),
               MappingYamlError);
}

} // namespace
} // namespace tessel
