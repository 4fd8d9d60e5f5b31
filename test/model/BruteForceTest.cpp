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
#include "model/NestAnalysis.h"

#include <optional>

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
           withSharedHalo = 0, withRelay = 0, withMixedReduction = 0;
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
    // Partial sums cross a network that reduces and one that does not,
    // each spreading the nest (the per-network rule, not the whole path's).
    bool reducing = false, plain = false;
    for (unsigned l = 0; l + 1 < arch.levelCount(); ++l)
      if (!mapping.levels[l].spatial.empty())
        (arch.levels[l].network.reduction ? reducing : plain) = true;
    withMixedReduction += reducing && plain;
  }
  EXPECT_EQ(cases, 1000u);
  std::printf("%u cases: %u with bypass levels, %u spread on both axes, %u "
              "convolutions, %u with words multicast to overlapping boxes, "
              "%u with words relayed through a bypassing level, %u with "
              "partial sums through reducing and plain networks\n",
              cases, withBypass, withSpatialXY, withHalo, withSharedHalo,
              withRelay, withMixedReduction);
  // The random cases really cover what they claim to.
  EXPECT_GT(withBypass, 200u);
  EXPECT_GT(withSpatialXY, 10u);
  EXPECT_GT(withHalo, 300u);
  EXPECT_GT(withSharedHalo, 25u);
  EXPECT_GT(withRelay, 100u);
  EXPECT_GT(withMixedReduction, 50u);
}

/// DRAM (two Regs on a multicasting bus that does not reduce) -> Reg.
Arch twoRegs() {
  return parseArch("name: tiny\nlevels:\n"
                   "  - name: DRAM\n    capacity: unbounded\n"
                   "    fanout: [2, 1]\n"
                   "    network: {topology: bus, multicast: true, "
                   "reduction: false}\n"
                   "  - name: Reg\n    capacity: 1000\n"
                   "    fanout: [1, 1]\n"
                   "    network: {topology: bus, multicast: true, "
                   "reduction: false}\n",
                   "tiny.yaml");
}

/// C[m, n] += A[m, k] * B[k, n] with M = 7, N = K = 1, every tensor kept
/// at both levels; m's loops given outer to inner.
struct SevenRows {
  Problem problem = problemFrom(namedOp("matmul", "", {7, 1}, {1, 1}, {7, 1}));
  Arch arch = twoRegs();
  unsigned m = 0;
  SevenRows() {
    for (unsigned d = 0; d < problem.dims.size(); ++d)
      if (problem.dims[d].bound == 7)
        m = d;
  }
  Mapping mapping(Factorization rule, std::vector<Loop> dram,
                  std::vector<SpatialLoop> spread, std::vector<Loop> reg) {
    Mapping mapping;
    mapping.factorization = rule;
    mapping.levels.resize(2);
    mapping.levels[0] = {dram, spread, 7u};
    mapping.levels[1] = {reg, {}, 7u};
    EXPECT_TRUE(verifyMapping(problem, arch, mapping).empty());
    return mapping;
  }
};

TEST(BruteForceWalk, ClipsResidualTilesAndRunsNoMacBeyondTheBound) {
  SevenRows op;
  unsigned a = 0, b = 1, c = 2; // A, B, C
  // DRAM: m=4 in time (stride 2), m=2 over the Regs: 8 rows, the last
  // step's second Reg (row 7) idle.
  BruteWalk clipped =
      bruteForceWalk(op.problem, op.arch,
                     op.mapping(Factorization::Residual, {{op.m, 4}},
                                {{op.m, 2, SpatialAxis::X}}, {}));
  EXPECT_EQ(clipped.macs, 7u);
  EXPECT_EQ(clipped.steps, 4u);
  // Reg 0 holds rows 0, 2, 4, 6 of A and C; Reg 1 rows 1, 3, 5.
  EXPECT_EQ(clipped.counts[1][a].fills, 7u);
  EXPECT_EQ(clipped.counts[0][a].reads, 7u);
  EXPECT_EQ(clipped.counts[1][c].reads, 7u);   // Drained...
  EXPECT_EQ(clipped.counts[0][c].updates, 7u); // ...and sent up.
  // B's one word: both Regs fill it at the first step, multicast once.
  EXPECT_EQ(clipped.counts[1][b].fills, 2u);
  EXPECT_EQ(clipped.counts[0][b].reads, 1u);
  // Padded, the same factors run row 7 too.
  BruteWalk padded =
      bruteForceWalk(op.problem, op.arch,
                     op.mapping(Factorization::Padded, {{op.m, 4}},
                                {{op.m, 2, SpatialAxis::X}}, {}));
  EXPECT_EQ(padded.macs, 8u);
  EXPECT_EQ(padded.counts[1][a].fills, 8u);
  EXPECT_EQ(padded.counts[0][c].updates, 8u);
}

TEST(BruteForceWalk, SkipsTheEmptyIterationsOfAClippedInnerLoop) {
  SevenRows op;
  // DRAM m=4 (stride 2), Reg m=2: the last DRAM iteration covers row 6
  // alone, and its Reg loop runs once, not twice.
  BruteWalk clipped = bruteForceWalk(
      op.problem, op.arch,
      op.mapping(Factorization::Residual, {{op.m, 4}}, {}, {{op.m, 2}}));
  EXPECT_EQ(clipped.steps, 7u);
  EXPECT_EQ(clipped.macs, 7u);
  // Tiles [0,1] [2,3] [4,5] [6]: 7 rows of A filled.
  EXPECT_EQ(clipped.counts[1][0].fills, 7u);
  BruteWalk padded = bruteForceWalk(
      op.problem, op.arch,
      op.mapping(Factorization::Padded, {{op.m, 4}}, {}, {{op.m, 2}}));
  EXPECT_EQ(padded.steps, 8u);
  EXPECT_EQ(padded.counts[1][0].fills, 8u);
}

TEST(ReuseModel, CountsTheClippedNestOfAResidualMapping) {
  SevenRows op;
  unsigned a = 0, b = 1, c = 2; // A, B, C
  // As ClipsResidualTilesAndRunsNoMacBeyondTheBound: M = 7 as 4 in time x
  // 2 over the Regs runs 7 MACs in 4 steps; the Regs fill 7 rows of A and
  // drain 7 of C; B's one word is multicast once to both Regs.
  Mapping mapping = op.mapping(Factorization::Residual, {{op.m, 4}},
                               {{op.m, 2, SpatialAxis::X}}, {});
  Evaluation evaluation =
      createCostModel("reuse")->evaluate(op.problem, op.arch, mapping);
  ASSERT_TRUE(evaluation.valid()) << evaluation.errors[0].message;
  const Report &report = *evaluation.report;
  EXPECT_EQ(report.macs, 7u);
  EXPECT_EQ(report.executedMacs, 7u);
  EXPECT_EQ(report.actions.at(1, a).fills, 7u);
  EXPECT_EQ(report.actions.at(0, a).reads, 7u);
  EXPECT_EQ(report.actions.at(1, c).reads, 7u);
  EXPECT_EQ(report.actions.at(0, c).updates, 7u);
  EXPECT_EQ(report.actions.at(1, b).fills, 2u);
  EXPECT_EQ(report.actions.at(0, b).reads, 1u);
  for (const ResourceCycles &resource : report.resourceCycles) {
    if (resource.resource == "compute") {
      EXPECT_EQ(resource.cycles, 4u); // The 4 steps run.
    }
  }
  // 4 x 2 in time: 7 steps, tiles [0,1] [2,3] [4,5] [6], 7 rows filled.
  Evaluation inTime = createCostModel("reuse")->evaluate(
      op.problem, op.arch,
      op.mapping(Factorization::Residual, {{op.m, 4}}, {}, {{op.m, 2}}));
  ASSERT_TRUE(inTime.valid()) << inTime.errors[0].message;
  EXPECT_EQ(inTime.report->actions.at(1, a).fills, 7u);
  EXPECT_EQ(inTime.report->executedMacs, 7u);
  for (const ResourceCycles &resource : inTime.report->resourceCycles) {
    if (resource.resource == "compute") {
      EXPECT_EQ(resource.cycles, 7u);
    }
  }
}

TEST(DataflowModel, SaysItDoesNotCountAResidualFactorizationYet) {
  SevenRows op;
  Mapping mapping =
      op.mapping(Factorization::Residual, {{op.m, 4}}, {}, {{op.m, 2}});
  Evaluation evaluation =
      createCostModel("dataflow")->evaluate(op.problem, op.arch, mapping);
  ASSERT_FALSE(evaluation.valid());
  ASSERT_EQ(evaluation.errors.size(), 1u);
  EXPECT_NE(evaluation.errors[0].message.find(
                "does not count a residual factorization yet"),
            std::string::npos);
}

/// A random residual mapping of `problem` that clips some bound: factors
/// drawn for bounds raised by up to half, kept when the verifier accepts
/// them (P - B < S).
std::optional<Mapping> randomResidualMapping(const Problem &problem,
                                             const Arch &arch,
                                             std::mt19937_64 &rng) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    Problem raised = problem;
    for (Dimension &dim : raised.dims)
      if (rng() % 2)
        dim.bound += pick(rng, 1, std::max<int64_t>(1, dim.bound / 2 + 1));
    Mapping mapping = randomMapping(raised, arch, rng);
    mapping.factorization = Factorization::Residual;
    if (!clippedDims(problem, mapping).empty() &&
        verifyMapping(problem, arch, mapping).empty())
      return mapping;
  }
  return std::nullopt;
}

TEST(ReuseModelExactness, EqualsTheClippedBruteForceOnRandomResidualCases) {
  std::mt19937_64 rng(13);
  std::unique_ptr<CostModel> reuse = createCostModel("reuse");
  unsigned cases = 0, withIdle = 0, withSpatialClip = 0;
  for (int trial = 0; cases < 400 && trial < 4000; ++trial) {
    Problem problem = randomProblem(rng);
    Arch arch = randomArch(rng);
    std::optional<Mapping> mapping = randomResidualMapping(problem, arch, rng);
    if (!mapping)
      continue;
    Evaluation evaluation = reuse->evaluate(problem, arch, *mapping);
    ASSERT_TRUE(evaluation.valid()) << evaluation.errors[0].message;
    BruteWalk brute = bruteForceWalk(problem, arch, *mapping);
    const Report &report = *evaluation.report;
    SCOPED_TRACE("trial " + std::to_string(trial) + "\n" +
                 describe(problem, arch, *mapping));
    EXPECT_EQ(report.executedMacs, brute.macs);
    EXPECT_EQ(report.executedMacs, report.macs);
    for (unsigned l = 0; l < arch.levelCount(); ++l)
      for (unsigned t = 0; t < problem.tensors.size(); ++t) {
        const TensorActions &model = report.actions.at(l, t);
        SCOPED_TRACE("level " + arch.levels[l].name + ", tensor " +
                     problem.tensors[t].name);
        EXPECT_EQ(model.reads, brute.counts[l][t].reads);
        EXPECT_EQ(model.fills, brute.counts[l][t].fills);
        EXPECT_EQ(model.updates, brute.counts[l][t].updates);
        EXPECT_EQ(model.networkWords, brute.counts[l][t].networkWords);
        EXPECT_EQ(model.networkHops, brute.counts[l][t].networkHops);
      }
    if (arch.compute.macsPerPE <= 1)
      for (const ResourceCycles &resource : report.resourceCycles) {
        if (resource.resource == "compute") {
          EXPECT_EQ(resource.cycles, brute.steps);
        }
      }
    if (HasFailure())
      return;
    ++cases;
    for (unsigned d : clippedDims(problem, *mapping))
      for (const LevelMapping &level : mapping->levels)
        for (const SpatialLoop &loop : level.spatial)
          withSpatialClip += loop.dim == d;
    NestAnalysis nest(problem, arch, *mapping);
    withIdle +=
        brute.steps * nest.activeInstances(arch.levelCount()) > brute.macs;
  }
  std::printf("%u residual cases: %u with a clipped dimension spread over "
              "instances, %u with compute units idle in some step\n",
              cases, withSpatialClip, withIdle);
  EXPECT_EQ(cases, 400u);
  EXPECT_GT(withSpatialClip, 50u);
  EXPECT_GT(withIdle, 100u);
}

} // namespace
} // namespace tessel
