//===- test/model/BruteForceTest.cpp - "reuse" equals the brute force -----===//
//
// Several hundred seeded random small problems (GEMMs, 1-D and 2-D
// convolutions with stride and dilation, depthwise convolutions,
// contractions) x random legal mappings (bypass, spatial factors on both
// axes, multicast and reduction on or off) on random accelerators: the
// reuse model's reads, fills, updates, network words and network hops at
// every level for every tensor equal the counts of a walk of the whole
// loop nest -- among them words multicast once to children whose boxes
// only overlap (halos) and words relayed by levels that bypass them.
//
//===----------------------------------------------------------------------===//
#include "BruteForce.h"
#include "RandomCases.h"

#include "mapping/RandomMapping.h"
#include "model/CostModel.h"

#include <cstdio>

namespace tessel {
namespace {

using namespace tessel::testing;

std::string describe(const Problem &problem, const Arch &arch,
                     const Mapping &mapping) {
  std::string text =
      problem.opName + " on " + std::to_string(arch.levelCount()) + " levels:";
  MappingSpec spec = describeMapping(mapping, problem, arch);
  for (const LevelSpec &level : spec.levels) {
    text += "\n  " + level.level + ": temporal [";
    for (const LoopSpec &loop : level.temporal)
      text += loopText(loop) + " ";
    text += "] spatial [";
    for (const SpatialLoopSpec &loop : level.spatial)
      text += loopText(loop) + " ";
    text += "] keep [";
    for (const std::string &tensor : level.keep)
      text += tensor + " ";
    text += "] multicast " +
            std::to_string(arch.levels[arch.levelIndex(level.level).value()]
                               .network.multicast) +
            " reduction " +
            std::to_string(arch.levels[arch.levelIndex(level.level).value()]
                               .network.reduction);
  }
  return text;
}

TEST(ReuseModelExactness, EqualsBruteForceOnRandomCases) {
  std::mt19937_64 rng(5);
  std::unique_ptr<CostModel> reuse = createCostModel("reuse");
  unsigned cases = 0, withBypass = 0, withSpatialXY = 0, withHalo = 0,
           withSharedHalo = 0, withRelay = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    Problem problem = randomProblem(rng);
    Arch arch = randomArch(rng);
    Mapping mapping = randomMapping(problem, arch, rng);
    Evaluation evaluation = reuse->evaluate(problem, arch, mapping);
    ASSERT_TRUE(evaluation.valid()) << evaluation.errors[0].message;
    auto brute = bruteForceCounts(problem, arch, mapping);
    const Report &report = *evaluation.report;
    for (unsigned l = 0; l < arch.levelCount(); ++l)
      for (unsigned t = 0; t < problem.tensors.size(); ++t) {
        const TensorActions &model = report.actions.at(l, t);
        SCOPED_TRACE("trial " + std::to_string(trial) + ", level " +
                     arch.levels[l].name + ", tensor " +
                     problem.tensors[t].name + "\n" +
                     describe(problem, arch, mapping));
        EXPECT_EQ(model.reads, brute[l][t].reads);
        EXPECT_EQ(model.fills, brute[l][t].fills);
        EXPECT_EQ(model.updates, brute[l][t].updates);
        EXPECT_EQ(model.networkWords, brute[l][t].networkWords);
        EXPECT_EQ(model.networkHops, brute[l][t].networkHops);
      }
    if (HasFailure())
      return;
    ++cases;
    for (const LevelMapping &level : mapping.levels) {
      withBypass += level.keepMask != (1u << problem.tensors.size()) - 1;
      withSpatialXY += level.spatialProduct(SpatialAxis::X) > 1 &&
                       level.spatialProduct(SpatialAxis::Y) > 1;
    }
    withHalo += problem.opName.find("conv") != std::string::npos;
    bool shared = false, relayed = false;
    for (const std::vector<BruteCounts> &level : brute)
      for (const BruteCounts &counts : level) {
        shared |= counts.sharedAcrossBoxes > 0;
        relayed |= counts.relayed > 0;
      }
    withSharedHalo += shared;
    withRelay += relayed;
  }
  EXPECT_EQ(cases, 1000u);
  std::printf("%u cases: %u with bypass levels, %u spread on both axes, %u "
              "convolutions, %u with words multicast to overlapping boxes, "
              "%u with words relayed through a bypassing level\n",
              cases, withBypass, withSpatialXY, withHalo, withSharedHalo,
              withRelay);
  // The random cases really cover what they claim to.
  EXPECT_GT(withBypass, 200u);
  EXPECT_GT(withSpatialXY, 10u);
  EXPECT_GT(withHalo, 300u);
  EXPECT_GT(withSharedHalo, 25u);
  EXPECT_GT(withRelay, 100u);
}

} // namespace
} // namespace tessel
