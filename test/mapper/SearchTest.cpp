//===- test/mapper/SearchTest.cpp - Map space, constraints, mappers -------===//
#include "../model/RandomCases.h"

#include "mapper/Mapper.h"

#include <gmock/gmock.h>

#include <set>

namespace tessel {
namespace {

using namespace tessel::testing;
using ::testing::HasSubstr;

/// DRAM (fan-out 1) -> Buf (fan-out 2x1) -> compute.
Arch smallArch(uint64_t bufferWords = 1000000) {
  return parseArch("name: small\nlevels:\n"
                   "  - {name: DRAM, capacity: unbounded}\n"
                   "  - {name: Buf, capacity: " +
                       std::to_string(bufferWords) +
                       ", fanout: [2, 1], network: {topology: bus, "
                       "multicast: true}}\n",
                   "small.yaml");
}

/// A preset of arch/presets by name.
Arch presetArch(const std::string &name) {
  return loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/" + name +
                  ".yaml");
}

/// A 3x3 convolution: 8x8 outputs, 8 filters, 4 channels.
Problem conv3x3() {
  return problemFrom(
      namedOp("conv_2d_nhwc_hwcf",
              "{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : "
              "tensor<2xi64>}",
              {1, 10, 10, 4}, {3, 3, 4, 8}, {1, 8, 8, 8}));
}

// C[m,n] += A[m,k] * B[k,n] with m=4, n=2, k=1 on the small arch: 6 slots
// (2 levels x temporal, X, Y), worked by hand in the comments.
class TinySpace : public ::testing::Test {
protected:
  Problem problem = problemFrom(namedOp("matmul", "", {4, 1}, {1, 2}, {4, 2}));
  Arch arch = smallArch();
};

TEST_F(TinySpace, SizesPerFamily) {
  MapSpace space(problem, arch, {});
  std::vector<SpaceSize> sizes = space.sizes(0);
  ASSERT_EQ(sizes.size(), 4u);
  // m=4 over 6 slots: C(2+5, 5) = 21; n=2: 6; k=1: 1. Orders (3!)^2 = 36,
  // keeps (2^3)^2 = 64: 21 * 6 * 36 * 64.
  EXPECT_EQ(sizes[0].size.text(), "290,304");
  // Usable slots: DRAM temporal, Buf temporal, Buf X (2 children). m has 5
  // ways, n 3, minus the 2 that put 2 of each on X: 13. Keeps: DRAM all,
  // Buf any non-empty set (7). 13 * 36 * 7.
  EXPECT_EQ(sizes[1].size.text(), "3,276");
  EXPECT_EQ(sizes[2].size.text(), "3,276");
  // Orders of factor-1 loops collapsed: sum over the 13 factorizations of
  // k0! * k1! (non-1 temporal loops per level) = 19, times 7 keeps.
  EXPECT_EQ(sizes[3].size.text(), "133");
  unsigned visited = 0;
  space.enumerate([&](const Mapping &) { return ++visited, true; });
  EXPECT_EQ(visited, 133u);
  unsigned all = 0;
  space.enumerate([&](const Mapping &) { return ++all, true; }, false);
  EXPECT_EQ(all, 290304u);
}

// The user family's new constraints on the same tiny space, each size
// worked by hand from the 13 factorizations above (m: (4,1,1), (2,2,1),
// (1,4,1), (2,1,2), (1,2,2) over DRAM temporal, Buf temporal, Buf X; n:
// (2,1,1), (1,2,1), (1,1,2); not both on X), and every point enumerate
// visits checked for the constraint's meaning on the mapping itself.
TEST_F(TinySpace, UserConstraintsAreCountedExactly) {
  struct Case {
    const char *text;
    const char *user, *pruned;
    unsigned visited;
    std::function<bool(const Mapping &)> holds;
  };
  auto bufTemporal = [](const Mapping &m, unsigned dim) {
    int64_t f = 1;
    for (const Loop &loop : m.levels[1].temporal)
      f *= loop.dim == dim ? loop.factor : 1;
    return f;
  };
  auto bufX = [](const Mapping &m, unsigned dim) {
    int64_t f = 1;
    for (const SpatialLoop &loop : m.levels[1].spatial)
      f *= (dim == ~0u || loop.dim == dim) ? loop.factor : 1;
    return f;
  };
  const unsigned m = 0;
  std::vector<Case> cases = {
      // m <= 2 at Buf's temporal slot: (1,4,1) goes; 4 x 3 - 2 = 10
      // factorizations, orders 36, keeps 7; pruned: sum of k0! k1! = 15.
      {"constraints:\n  levels:\n    - {level: Buf, temporal: [m<=2]}\n",
       "2,520", "105", 105,
       [&](const Mapping &map) { return bufTemporal(map, m) <= 2; }},
      // m innermost at Buf: Buf's orders 2! (not 3!): 13 x 12 x 7; the 3
      // factorizations with m and n both in Buf's loops count 1, not 2.
      {"constraints:\n  levels:\n    - {level: Buf, innermost: [m]}\n",
       "1,092", "112", 112,
       [&](const Mapping &map) {
         const auto &loops = map.levels[1].temporal;
         bool hasM = bufTemporal(map, m) > 1;
         return !hasM || loops.back().dim == m;
       }},
      // Buf uses both children: exactly one of m, n has 2 on X: 4 + 3 = 7
      // factorizations; pruned weights 2+1+1+2+1+1+1 = 9.
      {"constraints:\n  levels:\n    - {level: Buf, minUtilization: 1}\n",
       "1,764", "63", 63,
       [&](const Mapping &map) { return bufX(map, ~0u) == 2; }},
      // Only n spreads on Buf's X: m's 3 temporal-only ways x n's 3 = 9;
      // pruned 4 + 5 + 4 = 13.
      {"constraints:\n  levels:\n    - {level: Buf, spatialX: [n]}\n",
       "2,268", "91", 91,
       [&](const Mapping &map) { return bufX(map, m) == 1; }},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.text);
    MapSpace space(problem, arch, parseConstraints(c.text, "c.yaml"));
    std::vector<SpaceSize> sizes = space.sizes(0);
    EXPECT_EQ(sizes[2].size.text(), c.user);
    EXPECT_EQ(sizes[3].size.text(), c.pruned);
    unsigned visited = 0, holding = 0;
    space.enumerate([&](const Mapping &map) {
      ++visited;
      holding += c.holds(map) && !space.violation(map);
      return true;
    });
    EXPECT_EQ(visited, c.visited);
    EXPECT_EQ(holding, c.visited);
    // Random points and mutations keep the order and the axes; bounds and
    // utilizations they may miss are caught by violation().
    std::mt19937_64 rng(7);
    for (int i = 0; i < 200; ++i) {
      Mapping map = space.decode(space.mutate(space.random(rng), rng));
      EXPECT_TRUE(c.holds(map) || space.violation(map));
    }
  }
}

// 'factorization: residual' on the tiny space with m=3 (prime): a
// dimension's factors may exceed its bound B by less than the product S
// inside its outermost non-1 factor, which is then ceil(B / S). Over the 6
// slots, m=3 has S = 1 (3 in one slot: 6 ways) or S = 2 (a 2 in one slot
// and ceil(3/2) = 2 in one above it: C(6,2) = 15): 21, as many as m=4's
// exact ways; n=2 has 6 (S = 1 only), k=1 one. So every family equals
// SizesPerFamily's: on the usable slots (DRAM T, Buf T, Buf X) m has
// (3,1,1) (1,3,1) (2,2,1) (2,1,2) (1,2,2), as m=4 had 4 for 3. Exact, m=3
// has 6 ways unconstrained and 2 usable (not 3 on X): 6 x 6 x 36 x 64,
// 2 x 3 x 36 x 7, pruned 8 x 7 (k0! k1!: 2+1+1 with m at DRAM, 1+2+1 at
// Buf).
TEST(ResidualSpace, SizesPerFamilyAreExact) {
  Problem problem = problemFrom(namedOp("matmul", "", {3, 1}, {1, 2}, {3, 2}));
  Arch arch = smallArch();
  MapSpace exact(problem, arch, {});
  std::vector<SpaceSize> exactSizes = exact.sizes(0);
  EXPECT_EQ(exactSizes[0].size.text(), "82,944");
  EXPECT_EQ(exactSizes[1].size.text(), "1,512");
  EXPECT_EQ(exactSizes[3].size.text(), "56");
  MapSpace space(problem, arch,
                 parseConstraints("constraints:\n  factorization: residual\n",
                                  "c.yaml"));
  std::vector<SpaceSize> sizes = space.sizes(0);
  ASSERT_EQ(sizes.size(), 4u);
  EXPECT_EQ(sizes[0].size.text(), "290,304");
  EXPECT_EQ(sizes[1].size.text(), "3,276");
  EXPECT_EQ(sizes[2].size.text(), "3,276");
  EXPECT_EQ(sizes[3].size.text(), "133");
  // Of the 133, those with m = 2 x 2 (one of them on X or not): with m
  // (2,2,1) the n choices weigh 2+2+1, with (2,1,2) 2+1, with (1,2,2)
  // 1+2 (n on X does not fit): 11 x 7 = 77 clip m; the other 56 are the
  // exact space's.
  unsigned visited = 0, clipping = 0;
  space.enumerate([&](const Mapping &mapping) {
    ++visited;
    EXPECT_EQ(mapping.factorization, Factorization::Residual);
    EXPECT_TRUE(verifyMapping(problem, arch, mapping).empty());
    clipping += !clippedDims(problem, mapping).empty();
    return true;
  });
  EXPECT_EQ(visited, 133u);
  EXPECT_EQ(clipping, 77u);
  unsigned all = 0;
  space.enumerate([&](const Mapping &) { return ++all, true; }, false);
  EXPECT_EQ(all, 290304u);
}

TEST(ResidualSpace, MappersDrawAndMutateResidualFactors) {
  Problem problem = problemFrom(
      namedOp("conv_2d_nhwc_hwcf",
              "{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : "
              "tensor<2xi64>}",
              {1, 9, 9, 3}, {3, 3, 3, 5}, {1, 7, 7, 5}));
  Arch arch =
      presetArch("eyeriss");
  MapSpace space(problem, arch,
                 parseConstraints("constraints:\n  factorization: residual\n",
                                  "c.yaml"));
  std::mt19937_64 rng(7);
  unsigned clipping = 0, mutatedClipping = 0;
  for (int i = 0; i < 500; ++i) {
    Genome genome = space.random(rng);
    Genome mutated = space.mutate(genome, rng);
    for (const Genome *g : {&genome, &mutated}) {
      Mapping mapping = space.decode(*g);
      // Every draw keeps the residual rule (capacities aside).
      for (const MappingError &error : verifyMapping(problem, arch, mapping))
        EXPECT_NE(error.level, -1) << error.message;
      bool clips = !clippedDims(problem, mapping).empty();
      (g == &genome ? clipping : mutatedClipping) += clips;
    }
  }
  EXPECT_GT(clipping, 100u);
  EXPECT_GT(mutatedClipping, 100u);
  auto model = createCostModel("reuse");
  for (const char *name : {"random", "annealing", "genetic"}) {
    SearchOptions options;
    options.maxEvaluations = 1000;
    SearchResult found = createMapper(name)->search(space, *model, options);
    ASSERT_TRUE(found.best) << name;
    EXPECT_EQ(found.best->factorization, Factorization::Residual);
    EXPECT_GT(found.valid, 0u) << name;
  }
}

TEST(Objective, LexicographicRanksCyclesThenEnergy) {
  std::optional<Objective> lex = Objective::parse("lex");
  ASSERT_TRUE(lex);
  EXPECT_EQ(lex->name(), "lex");
  EXPECT_TRUE(Objective::parse("lex:cycles,energy"));
  EXPECT_FALSE(Objective::parse("lex:energy"));
  auto report = [](uint64_t cycles, double energy) {
    Report r(1, 1);
    r.cycles = cycles;
    r.energy.macs = energy;
    return r;
  };
  // Fewer cycles win whatever the energy; equal cycles, less energy wins
  // (down to 0.1% apart at a million cycles).
  EXPECT_LT(lex->of(report(999999, 1e12)), lex->of(report(1000000, 1)));
  EXPECT_LT(lex->of(report(1000000, 1000)), lex->of(report(1000000, 1001)));
  EXPECT_LT(lex->of(report(1, 1e-3)), lex->of(report(1, 1e9)));
}

TEST(SpaceCount, ExactThenLog) {
  SpaceCount big(1);
  for (int i = 0; i < 5; ++i)
    big *= SpaceCount(1000000000000ull); // 10^60 overflows 128 bits.
  EXPECT_FALSE(big.isExact());
  EXPECT_EQ(big.text(), "10^60.0");
  SpaceCount small(1);
  for (int i = 0; i < 3; ++i)
    small *= SpaceCount(1000000000000ull); // 10^36 fits.
  EXPECT_TRUE(small.isExact());
  EXPECT_EQ(small.text().size(), 37u + 12u); // 37 digits, 12 commas.
}

/// The best cost over all points `enumerate` visits.
double bestOf(const MapSpace &space, const CostModel &model,
              const Objective &objective, bool pruned) {
  double best = INFINITY;
  space.enumerate(
      [&](const Mapping &mapping) {
        Evaluation e = model.evaluate(space.problem(), space.arch(), mapping);
        if (e.valid() && !space.violation(mapping))
          best = std::min(best, objective.of(*e.report));
        return true;
      },
      pruned);
  return best;
}

TEST(MapSpacePruning, IsSound) {
  // With tight capacities, the pruned space's optimum equals the optimum of
  // every point of the unpruned space, for each objective.
  auto model = createCostModel("reuse");
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 3; ++trial) {
    int64_t m = pick(rng, 2, 4), n = pick(rng, 1, 2), k = pick(rng, 1, 2);
    Problem problem =
        problemFrom(namedOp("matmul", "", {m, k}, {k, n}, {m, n}));
    Arch arch = smallArch(uint64_t(pick(rng, 3, 8)));
    MapSpace space(problem, arch, {});
    for (const char *objective : {"edp", "energy", "cycles"}) {
      Objective o = *Objective::parse(objective);
      double pruned = bestOf(space, *model, o, true);
      EXPECT_TRUE(std::isfinite(pruned));
      EXPECT_EQ(pruned, bestOf(space, *model, o, false))
          << objective << " trial " << trial;
    }
  }
}

TEST(Mappers, SameSeedSameResultWhateverTheThreads) {
  Problem problem = conv3x3();
  Arch arch =
      presetArch("eyeriss");
  MapSpace space(problem, arch, {});
  auto model = createCostModel("reuse");
  for (const std::string &name : mapperNames()) {
    if (name == "exhaustive")
      continue;
    SearchOptions options;
    options.maxEvaluations = 1500;
    options.seed = 42;
    options.threads = 1;
    SearchResult one = createMapper(name)->search(space, *model, options);
    options.threads = 3;
    SearchResult three = createMapper(name)->search(space, *model, options);
    EXPECT_EQ(one.evaluations, 1500u) << name;
    EXPECT_EQ(one.evaluations, three.evaluations) << name;
    EXPECT_EQ(one.valid, three.valid) << name;
    EXPECT_EQ(one.bestCost, three.bestCost) << name;
    ASSERT_TRUE(one.best && three.best) << name;
    EXPECT_EQ(describeMapping(*one.best, problem, arch),
              describeMapping(*three.best, problem, arch))
        << name;
    EXPECT_EQ(one.stopReason, "budget");
  }
}

TEST(Mappers, PruningByTheFloorKeepsTheSameResult) {
  // Random and exhaustive skip candidates whose model floor cannot enter
  // the kept best: the kept list, counts and stop must not change, and
  // most candidates must be skipped (else the mechanism is not working).
  Problem problem = conv3x3();
  auto model = createCostModel("reuse");
  for (auto [preset, mapper] : {std::pair{"eyeriss", "random"},
                                {"simba", "random"}, {"simba", "exhaustive"}}) {
    Arch arch = presetArch(preset);
    MapSpace space(problem, arch, {});
    {
      SearchOptions options;
      options.maxEvaluations = 3000;
      options.seed = 7;
      options.keepBest = 4;
      options.threads = 2;
      SearchResult pruned = createMapper(mapper)->search(space, *model, options);
      options.pruneByFloor = false;
      SearchResult full = createMapper(mapper)->search(space, *model, options);
      std::string what = std::string(mapper) + " on " + preset;
      ASSERT_GT(full.valid, 100u) << what; // Else nothing is compared.
      EXPECT_EQ(full.pruned, 0u) << what;
      // Eyeriss-like: the floor is tight (about 0.4 of the EDP at the
      // median); Simba-like's package hops, which it leaves out, loosen it.
      EXPECT_GT(pruned.pruned, pruned.valid / (preset == std::string("eyeriss") ? 2 : 10))
          << what;
      EXPECT_EQ(pruned.evaluations, full.evaluations) << what;
      EXPECT_EQ(pruned.valid, full.valid) << what;
      EXPECT_EQ(pruned.stopReason, full.stopReason) << what;
      ASSERT_EQ(pruned.top.size(), full.top.size()) << what;
      for (size_t i = 0; i < full.top.size(); ++i) {
        EXPECT_EQ(pruned.top[i].cost, full.top[i].cost) << what << " #" << i;
        EXPECT_EQ(describeMapping(pruned.top[i].mapping, problem, arch),
                  describeMapping(full.top[i].mapping, problem, arch))
            << what << " #" << i;
      }
    }
  }
}

TEST(Mappers, HeuristicsLandWithinFivePercentOfTheOptimum) {
  auto model = createCostModel("reuse");
  std::mt19937_64 rng(9);
  for (int trial = 0; trial < 6; ++trial) {
    int64_t m = pick(rng, 4, 8), n = pick(rng, 2, 4), k = pick(rng, 2, 6);
    Problem problem =
        problemFrom(namedOp("matmul", "", {m, k}, {k, n}, {m, n}));
    Arch arch = smallArch(uint64_t(pick(rng, 8, 24)));
    MapSpace space(problem, arch, {});
    SearchOptions exhaustiveOptions;
    exhaustiveOptions.maxEvaluations = 0;
    SearchResult optimum =
        createMapper("exhaustive")->search(space, *model, exhaustiveOptions);
    ASSERT_EQ(optimum.stopReason, "exhausted");
    for (const std::string &name : mapperNames()) {
      if (name == "exhaustive")
        continue;
      SearchOptions options;
      options.maxEvaluations = 3000;
      options.seed = 100 + trial;
      SearchResult found = createMapper(name)->search(space, *model, options);
      EXPECT_LE(found.bestCost, optimum.bestCost * 1.05)
          << name << " trial " << trial << ": optimum " << optimum.bestCost
          << " over " << optimum.evaluations << " points";
    }
  }
}

TEST(Mappers, StopOnPatienceAndInterrupt) {
  Problem problem = problemFrom(namedOp("matmul", "", {8, 8}, {8, 8}, {8, 8}));
  Arch arch = smallArch();
  MapSpace space(problem, arch, {});
  auto model = createCostModel("reuse");
  SearchOptions options;
  options.maxEvaluations = 0;
  options.patience = 600;
  SearchResult patient = createMapper("random")->search(space, *model, options);
  EXPECT_EQ(patient.stopReason, "patience");
  options.patience = 0;
  int polls = 0;
  options.stopRequested = [&] { return ++polls > 3; };
  SearchResult stopped =
      createMapper("genetic")->search(space, *model, options);
  EXPECT_EQ(stopped.stopReason, "interrupted");
  EXPECT_TRUE(stopped.best.has_value()); // The best so far is kept.
}

TEST(Constraints, TemplatesAndFixedChoicesShapeEveryPoint) {
  Problem problem = problemFrom(
      namedOp("conv_2d_nhwc_hwcf",
              "{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : "
              "tensor<2xi64>}",
              {1, 6, 6, 2}, {3, 3, 2, 4}, {1, 4, 4, 4}));
  Arch arch =
      presetArch("eyeriss");
  Constraints constraints = parseConstraints(R"(constraints:
  dataflow: weight-stationary
  minUtilization: 0.05
  levels:
    - level: GlobalBuffer
      spatial: [f=4@X]
      keep: [I, O]
)",
                                             "c.yaml");
  MapSpace space(problem, arch, constraints);
  std::mt19937_64 rng(1);
  for (int i = 0; i < 200; ++i) {
    Mapping mapping = space.decode(space.random(rng));
    // Weight-stationary: the PE level's loops never index W[kh, kw, c, f].
    for (const Loop &loop : mapping.levels[2].temporal)
      EXPECT_FALSE(problem.tensors[1].isIndexedBy(loop.dim));
    EXPECT_EQ(mapping.levels[1].keepMask, 0b101u);
    bool fixedSpatial = false;
    for (const SpatialLoop &loop : mapping.levels[1].spatial)
      fixedSpatial |= problem.dims[loop.dim].name == "f" && loop.factor == 4 &&
                      loop.axis == SpatialAxis::X;
    EXPECT_TRUE(fixedSpatial);
  }
  Mapping lonely = space.decode(space.random(rng));
  lonely.levels[1].spatial = {
      {problem.dimIndex("f").value(), 4, SpatialAxis::X}};
  // 4 of 168 PEs is 2.4%, below 5%.
  EXPECT_THAT(space.violation(lonely).value_or(""),
              HasSubstr("spatial factors use 4 of 168 PEs, below the minimum "
                        "5% utilization"));
}

TEST(Constraints, NativeNetworksForbidBroadcastAndReductionByCopies) {
  // The small arch's bus multicasts but cannot reduce: with nativeNetworks,
  // no point spreads k (which C ignores) over the 2 children.
  Problem problem = problemFrom(namedOp("matmul", "", {2, 2}, {2, 2}, {2, 2}));
  Arch arch = smallArch();
  Constraints native;
  native.nativeNetworks = true;
  unsigned withK = 0, all = 0;
  auto countK = [&](const MapSpace &space) {
    withK = all = 0;
    space.enumerate([&](const Mapping &mapping) {
      ++all;
      for (const SpatialLoop &loop : mapping.levels[1].spatial)
        withK += problem.dims[loop.dim].name == "k";
      return true;
    });
  };
  countK(MapSpace(problem, arch, {}));
  EXPECT_GT(withK, 0u);
  unsigned before = all;
  countK(MapSpace(problem, arch, native));
  EXPECT_EQ(withK, 0u);
  EXPECT_LT(all, before);
}

TEST(Constraints, RowStationaryNeedsAConvolution) {
  Problem gemm = problemFrom(namedOp("matmul", "", {4, 4}, {4, 4}, {4, 4}));
  Arch arch =
      presetArch("eyeriss");
  Constraints rs;
  rs.dataflow = DataflowTemplate::RowStationary;
  try {
    MapSpace space(gemm, arch, rs);
    ADD_FAILURE() << "no error";
  } catch (const ConstraintError &error) {
    EXPECT_THAT(error.what(), HasSubstr("row-stationary needs a convolution"));
  }
}

TEST(Constraints, RowStationaryReplicatesThePeSetOverTheArray) {
  // A 3x3 convolution, 8 output rows, 8 filters and 4 channels on the
  // Eyeriss-like 14x12 array. The row primitive alone (output rows on X,
  // filter rows on Y) uses at most 8 x 3 = 24 PEs; replicating the PE set
  // over filters, channels or batch may use more, never a sliding window
  // dimension other than the pair.
  Problem problem = conv3x3();
  Arch arch =
      presetArch("eyeriss");
  Constraints rs;
  rs.dataflow = DataflowTemplate::RowStationary;
  MapSpace space(problem, arch, rs);
  unsigned oh = *problem.dimIndex("oh"), kh = *problem.dimIndex("kh");
  unsigned ow = *problem.dimIndex("ow"), kw = *problem.dimIndex("kw");
  std::mt19937_64 rng(3);
  uint64_t most = 0;
  for (int i = 0; i < 3000; ++i) {
    Mapping mapping = space.decode(space.random(rng));
    uint64_t pes = 1;
    for (const SpatialLoop &loop : mapping.levels[1].spatial) {
      pes *= uint64_t(loop.factor);
      EXPECT_NE(loop.dim, ow);
      EXPECT_NE(loop.dim, kw);
      if (loop.axis == SpatialAxis::X)
        EXPECT_NE(loop.dim, kh);
      else
        EXPECT_NE(loop.dim, oh);
    }
    most = std::max(most, pes);
  }
  EXPECT_GT(most, 24u);
}

TEST(Constraints, SystolicArraysTakeTheDataflowTheTemplateNames) {
  // C[m,n] += A[m,k] B[k,n] on the 16x16 systolic array: by default the
  // weights stay (A moves along X: no m on X; sums flow down Y: no m, n on
  // Y); input-stationary moves B along X (no k, n on X); output-stationary
  // moves A along X and B down Y (no k, n on Y). Every point verifies.
  Problem gemm = problemFrom(namedOp("matmul", "", {16, 16}, {16, 16}, {16, 16}));
  Arch arch =
      presetArch("tpu16");
  struct Case {
    DataflowTemplate flow;
    std::string notOnX, notOnY;
  };
  for (const Case &c : {Case{DataflowTemplate::None, "mk", "mn"},
                        Case{DataflowTemplate::InputStationary, "kn", "mn"},
                        Case{DataflowTemplate::OutputStationary, "mk", "kn"}}) {
    Constraints constraints;
    constraints.dataflow = c.flow;
    MapSpace space(gemm, arch, constraints);
    std::mt19937_64 rng(5);
    std::set<std::string> seenX, seenY;
    for (int i = 0; i < 500; ++i) {
      Mapping mapping = space.decode(space.random(rng));
      for (const SpatialLoop &loop : mapping.levels[1].spatial) {
        const std::string &dim = gemm.dims[loop.dim].name;
        const std::string &forbidden =
            loop.axis == SpatialAxis::X ? c.notOnX : c.notOnY;
        EXPECT_EQ(forbidden.find(dim), std::string::npos)
            << dim << " on " << axisName(loop.axis);
        (loop.axis == SpatialAxis::X ? seenX : seenY).insert(dim);
      }
      for (const MappingError &error : verifyMapping(gemm, arch, mapping))
        EXPECT_EQ(error.message.find("systolic"), std::string::npos)
            << error.message;
    }
    EXPECT_FALSE(seenX.empty());
    EXPECT_FALSE(seenY.empty());
  }
}

TEST(Constraints, BadInputIsLocated) {
  auto expectError = [](const std::string &text, const std::string &what) {
    try {
      parseConstraints(text, "c.yaml");
      ADD_FAILURE() << "no error for " << text;
    } catch (const ConstraintError &error) {
      EXPECT_EQ(std::string(error.what()), what);
    }
  };
  expectError("constraints:\n  dataflow: diagonal-stationary\n",
              "c.yaml:2:13: error: unknown dataflow 'diagonal-stationary'; "
              "expected one of: none, weight-stationary, output-stationary, "
              "input-stationary, row-stationary");
  expectError("constraints:\n  padding: 2\n",
              "c.yaml:2:12: error: 'padding' must be between 0 and 1.0, got 2");
  expectError("constraints:\n  levels:\n    - level: GLB\n      tempral: []\n",
              "c.yaml:4:7: error: a level constraint: unknown field 'tempral'; "
              "expected one of: innermost, keep, level, minUtilization, "
              "noSpatial, order, outermost, spatial, spatialX, spatialY, "
              "temporal");
  Problem gemm = problemFrom(namedOp("matmul", "", {4, 4}, {4, 4}, {4, 4}));
  Arch arch = smallArch();
  try {
    MapSpace(gemm, arch,
             parseConstraints("constraints:\n  levels:\n    - level: Buf\n"
                              "      temporal: [k=3]\n",
                              "c.yaml"));
    ADD_FAILURE() << "no error";
  } catch (const ConstraintError &error) {
    EXPECT_THAT(error.what(),
                HasSubstr("dimension 'k' (bound 4) cannot be mapped: its fixed "
                          "factors multiply to 3, which divides no allowed "
                          "bound"));
  }
}

} // namespace
} // namespace tessel
