//===- test/mapper/RefineTest.cpp - Top-K and the ranking by simulation ---===//
#include "../model/RandomCases.h"

#include "mapper/Refine.h"

#include <gtest/gtest.h>

namespace tessel {
namespace {

using namespace tessel::testing;

/// DRAM (fan-out 1) -> Buf (fan-out 2x1) -> compute.
Arch smallArch() {
  return parseArch("name: small\nlevels:\n"
                   "  - {name: DRAM, capacity: unbounded}\n"
                   "  - {name: Buf, capacity: 1000000, fanout: [2, 1], "
                   "network: {topology: bus, multicast: true}}\n",
                   "small.yaml");
}

Problem smallGemm() {
  return problemFrom(namedOp("matmul", "", {4, 2}, {2, 2}, {4, 2}));
}

// Every cost the exhaustive search sees, sorted: the K best of the whole
// space, which top must equal (costs), distinct and best first.
TEST(TopK, IsTheKBestDistinctMappingsOfTheSpace) {
  Problem problem = smallGemm();
  Arch arch = smallArch();
  MapSpace space(problem, arch, {});
  auto model = createCostModel("reuse");
  std::vector<double> all;
  space.enumerate([&](const Mapping &mapping) {
    Evaluation e = model->evaluate(problem, arch, mapping);
    if (e.valid() && !space.violation(mapping))
      all.push_back(Objective().of(*e.report));
    return true;
  });
  std::sort(all.begin(), all.end());
  ASSERT_GE(all.size(), 8u);
  SearchOptions options;
  options.maxEvaluations = 0;
  options.keepBest = 8;
  SearchResult result =
      createMapper("exhaustive")->search(space, *model, options);
  ASSERT_EQ(result.top.size(), 8u);
  for (size_t i = 0; i < 8; ++i)
    EXPECT_EQ(result.top[i].cost, all[i]) << i;
  EXPECT_EQ(result.top[0].cost, result.bestCost);
  EXPECT_TRUE(result.top[0].mapping == *result.best);
  for (size_t i = 0; i < 8; ++i)
    for (size_t j = i + 1; j < 8; ++j)
      EXPECT_FALSE(describeMapping(result.top[i].mapping, problem, arch) ==
                   describeMapping(result.top[j].mapping, problem, arch))
          << i << " and " << j << " are the same mapping";
}

TEST(TopK, SameSeedSameListWhateverTheThreads) {
  Problem problem =
      problemFrom(namedOp("matmul", "", {16, 8}, {8, 8}, {16, 8}));
  Arch arch = smallArch();
  MapSpace space(problem, arch, {});
  auto model = createCostModel("reuse");
  for (const char *mapper : {"random", "genetic"}) {
    SearchOptions options;
    options.maxEvaluations = 800;
    options.seed = 5;
    options.keepBest = 5;
    SearchResult one = createMapper(mapper)->search(space, *model, options);
    options.threads = 3;
    SearchResult three = createMapper(mapper)->search(space, *model, options);
    ASSERT_EQ(one.top.size(), 5u) << mapper;
    ASSERT_EQ(one.top.size(), three.top.size()) << mapper;
    for (size_t i = 0; i < one.top.size(); ++i) {
      EXPECT_EQ(one.top[i].cost, three.top[i].cost) << mapper << " " << i;
      EXPECT_TRUE(one.top[i].mapping == three.top[i].mapping)
          << mapper << " " << i;
      if (i) {
        EXPECT_LE(one.top[i - 1].cost, one.top[i].cost) << mapper;
      }
    }
  }
}

TEST(TopK, ARepeatedMappingIsKeptOnce) {
  // The genetic mapper re-evaluates its elite every generation.
  Problem problem = smallGemm();
  Arch arch = smallArch();
  MapSpace space(problem, arch, {});
  auto model = createCostModel("reuse");
  SearchOptions options;
  options.maxEvaluations = 2000;
  options.keepBest = 4;
  SearchResult result = createMapper("genetic")->search(space, *model, options);
  ASSERT_EQ(result.top.size(), 4u);
  for (size_t i = 0; i < 4; ++i)
    for (size_t j = i + 1; j < 4; ++j)
      EXPECT_FALSE(result.top[i].mapping == result.top[j].mapping);
}

RefineCandidate candidate(uint64_t rank, uint64_t modelCycles,
                          std::optional<uint64_t> simCycles) {
  RefineCandidate c;
  c.modelRank = rank;
  c.modelCycles = modelCycles;
  c.modelEnergyPJ = 100;
  c.modelCost = double(modelCycles);
  if (simCycles)
    c.sim = SimulatedFigures{*simCycles, 100};
  else
    c.failure = "timed out after 1 s";
  return c;
}

TEST(RankBySimulation, AFailedCandidateIsLeftOutAndTheRestRank) {
  Objective cycles = *Objective::parse("cycles");
  RefineRanking ranking =
      rankBySimulation({candidate(1, 100, 130), candidate(2, 110, std::nullopt),
                        candidate(3, 120, 90), candidate(4, 125, 120)},
                       cycles);
  EXPECT_EQ(ranking.simulated, 3u);
  EXPECT_EQ(ranking.chosen, 2u); // Model rank 3, the fewest simulated cycles.
  EXPECT_EQ(ranking.candidates[0].simRank, 3u);
  EXPECT_EQ(ranking.candidates[1].simRank, 0u);
  EXPECT_EQ(ranking.candidates[1].failure, "timed out after 1 s");
  EXPECT_EQ(ranking.candidates[2].simRank, 1u);
  EXPECT_EQ(ranking.candidates[3].simRank, 2u);
  EXPECT_TRUE(ranking.modelBestWasNotSimBest());
  EXPECT_FALSE(ranking.chosenTiedModelBest()); // 120 against 100.
  EXPECT_DOUBLE_EQ(ranking.candidates[0].cyclesErrorPercent(),
                   (100.0 - 130) / 130 * 100);
}

TEST(RankBySimulation, TiesKeepTheModelsOrderAndAreNoDisagreement) {
  RefineRanking ranking = rankBySimulation(
      {candidate(1, 100, 90), candidate(2, 110, 90), candidate(3, 120, 95)},
      *Objective::parse("cycles"));
  EXPECT_EQ(ranking.chosen, 0u);
  EXPECT_EQ(ranking.candidates[0].simRank, 1u);
  EXPECT_EQ(ranking.candidates[1].simRank, 1u);
  EXPECT_EQ(ranking.candidates[2].simRank, 3u);
  EXPECT_FALSE(ranking.modelBestWasNotSimBest());
  EXPECT_FALSE(ranking.chosenTiedModelBest());
}

TEST(RankBySimulation, AModelTieTheSimulatorBreaksIsSaid) {
  RefineCandidate first = candidate(1, 100, 90), second = candidate(2, 100, 80);
  RefineRanking ranking =
      rankBySimulation({first, second}, *Objective::parse("cycles"));
  EXPECT_EQ(ranking.chosen, 1u);
  EXPECT_TRUE(ranking.modelBestWasNotSimBest());
  EXPECT_TRUE(ranking.chosenTiedModelBest());
}

TEST(RankBySimulation, TheSimulatedObjectiveDecides) {
  // Energy: the candidate with more cycles but less energy wins.
  RefineCandidate fast = candidate(1, 100, 100),
                  frugal = candidate(2, 200, 200);
  fast.sim->energyPJ = 500;
  frugal.sim->energyPJ = 300;
  RefineRanking ranking =
      rankBySimulation({fast, frugal}, *Objective::parse("energy"));
  EXPECT_EQ(ranking.chosen, 1u);
  EXPECT_EQ(ranking.candidates[1].simCost, 300);
  ranking = rankBySimulation({fast, frugal}, *Objective::parse("cycles"));
  EXPECT_EQ(ranking.chosen, 0u);
}

TEST(RankBySimulation, NoneSimulatedKeepsTheModelsBest) {
  RefineRanking ranking = rankBySimulation(
      {candidate(1, 100, std::nullopt), candidate(2, 110, std::nullopt)},
      *Objective::parse("edp"));
  EXPECT_EQ(ranking.simulated, 0u);
  EXPECT_EQ(ranking.chosen, 0u);
  EXPECT_FALSE(ranking.modelBestComparable());
  EXPECT_FALSE(ranking.modelBestWasNotSimBest());
}

} // namespace
} // namespace tessel
