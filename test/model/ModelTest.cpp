//===- test/model/ModelTest.cpp - Models on hand-worked cases -------------===//
#include "RandomCases.h"

#include "mapping/MappingYaml.h"
#include "mapping/RandomMapping.h"
#include "model/CostModel.h"

#include <gmock/gmock.h>

#include <algorithm>
#include <array>
#include <set>

namespace tessel {
namespace {

using namespace tessel::testing;

/// DRAM (1 word/cycle reads) -> Buf -> 2 compute units on a multicast bus.
const char *kTwoUnits = R"(name: two
levels:
  - name: DRAM
    capacity: unbounded
    readBandwidth: 1
    latency: 10
    energy: {read: 10, write: 20, update: 30}
    network: {topology: bus, hopEnergy: 1}
  - name: Buf
    capacity: 100
    fanout: [2, 1]
    latency: 1
    energy: {read: 1, write: 2, update: 3}
    network: {topology: bus, multicast: true, hopEnergy: 0}
compute:
  macEnergy: 0.5
)";

Mapping mappingFor(const Problem &problem, const Arch &arch,
                   const std::string &yaml) {
  std::vector<NamedMapping> named = parseMappingYaml(yaml, "m.yaml");
  Mapping mapping;
  std::vector<MappingError> errors;
  EXPECT_TRUE(
      resolveMapping(named.at(0).mapping, problem, arch, mapping, errors));
  return mapping;
}

Report evaluate(const std::string &model, const Problem &problem,
                const Arch &arch, const Mapping &mapping) {
  Evaluation evaluation =
      createCostModel(model)->evaluate(problem, arch, mapping);
  EXPECT_TRUE(evaluation.valid());
  return evaluation.valid() ? *evaluation.report : Report(0, 0);
}

// C[m,n] += A[m,k] * B[k,n], m=2 n=2 k=4.
// DRAM: k=2 | Buf: m=2 k=2, n=2 across the 2 units.
// Buf tile m2 n2 k2: A 4, B 4, C 4 words. DRAM's k advance moves A and B
// to disjoint boxes (4 new words each) and leaves C in place: Buf fills A 8,
// B 8; C stays (no read-back), drains 4 words as DRAM updates. Compute: 8
// steps x 2 units; A[m,k] is the same for both units (multicast: 8 reads),
// B and C differ (16 reads, 16 updates).
class Gemm : public ::testing::Test {
protected:
  Problem problem = problemFrom(namedOp("matmul", "", {2, 4}, {4, 2}, {2, 2}));
  Arch arch = parseArch(kTwoUnits, "two.yaml");
  Mapping mapping = mappingFor(problem, arch, R"(mappings:
  - levels:
      - {level: DRAM, temporal: [k=2], keep: [A, B, C]}
      - {level: Buf, temporal: [m=2, k=2], spatial: [n=2@X], keep: [A, B, C]}
)");
};

TEST_F(Gemm, ReuseCountsByHand) {
  Report r = evaluate("reuse", problem, arch, mapping);
  auto at = [&](unsigned l, unsigned t) { return r.actions.at(l, t); };
  EXPECT_EQ(at(1, 0).fills, 8u);
  EXPECT_EQ(at(1, 1).fills, 8u);
  EXPECT_EQ(at(1, 2).fills, 0u);
  EXPECT_EQ(at(0, 0).reads, 8u);
  EXPECT_EQ(at(0, 1).reads, 8u);
  EXPECT_EQ(at(0, 2).updates, 4u);
  EXPECT_EQ(at(1, 0).reads, 8u);
  EXPECT_EQ(at(1, 1).reads, 16u);
  EXPECT_EQ(at(1, 2).reads, 4u);
  EXPECT_EQ(at(1, 2).updates, 16u);
  // Bus: one hop per word to any set of children.
  EXPECT_EQ(at(1, 0).networkWords, 8u);
  EXPECT_EQ(at(1, 0).networkHops, 8u);
  EXPECT_EQ(at(1, 1).networkHops, 16u);
  EXPECT_EQ(r.macs, 16u);
  // Energy: DRAM 16 reads x 10 + 4 updates x 30 + 20 words x 1 hop x 1 pJ
  // on its network = 300; Buf 28 reads x 1 + 16 fills x 2 + 16 updates x 3
  // (hops free) = 108; 16 MACs x 0.5 = 8.
  EXPECT_EQ(at(0, 0).networkHops + at(0, 1).networkHops + at(0, 2).networkHops,
            20u);
  EXPECT_DOUBLE_EQ(r.energy.levelTotal(0), 300.0);
  EXPECT_DOUBLE_EQ(r.energy.levelTotal(1), 108.0);
  EXPECT_DOUBLE_EQ(r.energy.total(), 416.0);
  // 16 DRAM reads at 1 word/cycle against 8 compute steps; then what the
  // busy DRAM does not hide (model/Timing.h):
  //  - start 13: Buf's request reaches DRAM (1), DRAM's latency (10), the
  //    hop to Buf (1) and the landing cycle (1);
  //  - end 2: the last sum's hop up and its landing (1-cycle MACs);
  //  - Buf's one tile change (k): the next tile's fetch (13, as at the
  //    start) exceeds its 4-cycle tile by 9; two tiles fit in Buf, so two
  //    fetches overlap: (9 + 1) / 2 = 5;
  //  - the first tile's fill (8 words at 1 word/cycle) stalls only the
  //    compute units: the 8 cycles DRAM is busier than them hide it.
  EXPECT_EQ(r.bottleneck, "DRAM read");
  ASSERT_EQ(r.exposedCycles.size(), 3u);
  EXPECT_EQ(r.exposedCycles[0].cycles, 13u);
  EXPECT_EQ(r.exposedCycles[1].cycles, 2u);
  EXPECT_EQ(r.exposedCycles[2].cycles, 5u);
  EXPECT_EQ(r.cycles, 16u + 13 + 2 + 5);
  EXPECT_DOUBLE_EQ(r.utilization, 16.0 / (36 * 2));
}

TEST_F(Gemm, ASingleBufferedLevelWaitsForEachFetch) {
  // The same mapping with Buf holding 20 words: two of its 12-word tiles
  // do not fit, so it asks for the next tile only once the current one is
  // done. At DRAM's k change A and B move: the MACs wait the whole fetch
  // with no tile to hide it behind: the first word after 13 cycles (Buf's
  // request, DRAM's latency 10, the hop, the landing), the tile's 8 words
  // leaving DRAM's port at 1 word a cycle, the last 7 cycles after it:
  // 16 + 13 (start) + 2 (end) + 20 = 51. (The simulator takes 50: its
  // first MACs of the tile start on the words that came first.)
  Arch small = arch;
  small.levels[1].capacity = 20;
  Report r = evaluate("reuse", problem, small, mapping);
  ASSERT_EQ(r.exposedCycles.size(), 3u);
  EXPECT_EQ(r.exposedCycles[2].cycles, 20u);
  EXPECT_NE(r.exposedCycles[2].resource.find("single-buffered"),
            std::string::npos);
  EXPECT_EQ(r.cycles, 51u);
}

// The dataflow model on the same mapping, worked by hand. Cluster levels:
// DRAM (TemporalMap k size 2; 1 hop of 1 cycle; read port 1 word/cycle)
// over Buf (TemporalMap m 1, TemporalMap k 1, SpatialMap n 1 over the 2
// units; 1 hop; no bandwidth limit). A transfer of w words takes the hop
// latency + w / bandwidth - 1 cycles (MAESTRO's NoC delay).
// Buf's run on its m2 n2 k2 tile, 4 steps; any transfer takes 1 cycle:
//   first (m, k first): ingress A 1 + B 2 (B's n union over the units);
//     1 + 1 MAC = 2 (a first step pays ingress plus compute);
//   k advances, m advances (k wraps: reload), both advance: ingress 3,
//     egress 2 (C's n union), max(1, 1, 1) = 1 each: 2 + 1 + 1 + 1 = 5.
// DRAM's 2 steps: first: A 4 + B 4 = 8 words at 1/cycle: 1 + 8 - 1 = 8,
//   + Buf's 5 = 13; k advances: A and B move to disjoint boxes: 8 again,
//   egress C 4 words: 1, compute 5: 8. Total 21.
// Counts: DRAM reads A 8, B 8; C goes up every DRAM step (partial sums
// accumulate upstream): DRAM updates C 8, Buf drains C 8. Buf fills A 8,
// B 8; Buf sends A 1 x 4 steps x 2 runs = 8 (multicast), B 2 x 8 = 16;
// updates C 2 x 8 = 16.
TEST_F(Gemm, DataflowPricesEveryStepAndSendsPartialSumsUp) {
  Report r = evaluate("dataflow", problem, arch, mapping);
  auto at = [&](unsigned l, unsigned t) { return r.actions.at(l, t); };
  EXPECT_EQ(r.cycles, 21u);
  EXPECT_EQ(r.bottleneck, "ingress-bound steps at DRAM (2 of 2)");
  EXPECT_EQ(at(0, 0).reads, 8u);
  EXPECT_EQ(at(0, 1).reads, 8u);
  EXPECT_EQ(at(0, 2).updates, 8u);
  EXPECT_EQ(at(1, 0).fills, 8u);
  EXPECT_EQ(at(1, 1).fills, 8u);
  EXPECT_EQ(at(1, 0).reads, 8u);
  EXPECT_EQ(at(1, 1).reads, 16u);
  EXPECT_EQ(at(1, 2).reads, 8u);
  EXPECT_EQ(at(1, 2).updates, 16u);
  EXPECT_EQ(r.executedMacs, 16u);
  // Energy: DRAM 16 reads x 10 + 8 updates x 30 + 24 words x 1 hop x 1 pJ
  // = 424; Buf 32 reads x 1 + 16 fills x 2 + 16 updates x 3 = 112; 16 MACs
  // x 0.5 = 8.
  EXPECT_DOUBLE_EQ(r.energy.levelTotal(0), 424.0);
  EXPECT_DOUBLE_EQ(r.energy.levelTotal(1), 112.0);
  EXPECT_DOUBLE_EQ(r.energy.total(), 544.0);
  // Where it disagrees with reuse: C stays in Buf across DRAM's k steps
  // there (4 updates, not 8); reuse charges DRAM's 10-cycle latency where
  // the busy port does not hide it (36 cycles), this model (as MAESTRO)
  // only the hops, and overlaps the second fetch with Buf's run.
  Report reuse = evaluate("reuse", problem, arch, mapping);
  EXPECT_EQ(reuse.actions.at(0, 2).updates, 4u);
  EXPECT_EQ(reuse.cycles, 36u);
}

TEST_F(Gemm, RooflineIsTheCompulsoryBound) {
  Report roofline = evaluate("roofline", problem, arch, mapping);
  // 16 MACs on 2 units: 8 cycles; A and B read once: 16 words at 1/cycle.
  EXPECT_EQ(roofline.cycles, 16u);
  EXPECT_EQ(roofline.actions.at(0, 0).reads, 8u);
  EXPECT_EQ(roofline.actions.at(0, 2).updates, 4u);
}

/// out[i] += in[a*i + b*j] * w[j], i < I, j < J: the roofline reads each
/// input word that some MAC touches once.
Problem strided(int64_t a, int64_t b, int64_t bound_i, int64_t bound_j) {
  Problem p;
  p.name = "strided";
  p.dims = {{"i", bound_i}, {"j", bound_j}};
  p.tensors = {{"in",
                32,
                "f32",
                {{{{0, a}, {1, b}}, 0}},
                {a * (bound_i - 1) + b * (bound_j - 1) + 1},
                false},
               {"w", 32, "f32", {{{{1, 1}}, 0}}, {bound_j}, false},
               {"out", 32, "f32", {{{{0, 1}}, 0}}, {bound_i}, true}};
  return p;
}

// The reference: every index the loop nest touches, in a set.
uint64_t touchedByBruteForce(int64_t a, int64_t b, int64_t bound_i,
                             int64_t bound_j) {
  std::set<int64_t> seen;
  for (int64_t i = 0; i < bound_i; ++i)
    for (int64_t j = 0; j < bound_j; ++j)
      seen.insert(a * i + b * j);
  return seen.size();
}

TEST(Roofline, TouchedWordsOfStridedCoordinatesAreExact) {
  Arch arch = parseArch(kTwoUnits, "two.yaml");
  Mapping none; // The roofline does not read the mapping.
  // Gapless (i + j), collision-free (i + 8j, i + 10^9 j: a flattened index
  // whose range 7*10^9 must not be enumerated), and neither (2i + 3j).
  for (auto [a, b, bi, bj] :
       std::vector<std::array<int64_t, 4>>{{1, 1, 4, 3},
                                           {1, 8, 8, 8},
                                           {1, 1000000000, 8, 8},
                                           {2, 3, 3, 3},
                                           {3, 5, 7, 6}}) {
    Problem problem = strided(a, b, bi, bj);
    Evaluation evaluation =
        createCostModel("roofline")->evaluate(problem, arch, none);
    ASSERT_TRUE(evaluation.valid());
    EXPECT_EQ(evaluation.report->actions.at(0, 0).reads,
              touchedByBruteForce(a, b, bi, bj))
        << a << "*i + " << b << "*j, i < " << bi << ", j < " << bj;
  }
}

/// out[n,p,f] += in[n, p + r, c] * w[r, c, f] with n=f=c=1, P=4, R=3.
Problem conv1d() {
  return problemFrom(
      namedOp("conv_1d_nwc_wcf",
              "{dilations = dense<1> : tensor<1xi64>, strides = dense<1> : "
              "tensor<1xi64>}",
              {1, 6, 1}, {3, 1, 1}, {1, 4, 1}));
}

/// DRAM -> `middle` (`children` on a bus, multicasting or not) -> Reg.
Arch busArch(const std::string &middle, unsigned children, bool multicast) {
  return parseArch("name: bus\nlevels:\n"
                   "  - {name: DRAM, capacity: unbounded}\n"
                   "  - name: " + middle +
                       "\n    capacity: 100\n    fanout: [" +
                       std::to_string(children) +
                       ", 1]\n    network: {topology: bus, multicast: " +
                       (multicast ? "true" : "false") +
                       "}\n  - {name: Reg, capacity: 100}\n",
                   "bus.yaml");
}

// out[n,p,f] += in[n, p + r, c] * w[r, c, f] with n=f=c=1, P=4, R=3.
// DRAM: r=3, p=2 (p innermost) | Buf: p=2. Buf input box: 2 words.
// p advances (3 times): the box moves by 2: 2 new words each.
// r advances (2 times), rewinding p by 2: the box moves by -1: 1 new word.
// reuse: 2 + 3*2 + 2*1 = 10 input fills (boxes [0,1] [2,3] [1,2] [3,4]
// [2,3] [4,5]). dataflow keeps overlap only for the innermost advancing
// loop (p): the r advances reload the whole box: 2 + 3*2 + 2*2 = 12.
TEST(ModelDisagreement, WindowOverlapAcrossAnOuterLoop) {
  Problem problem = conv1d();
  Arch arch = parseArch(R"(name: one
levels:
  - {name: DRAM, capacity: unbounded}
  - {name: Buf, capacity: 100}
)",
                        "one.yaml");
  Mapping mapping = mappingFor(problem, arch, R"(mappings:
  - levels:
      - {level: DRAM, temporal: [kw=3, ow=2], keep: [I, W, O]}
      - {level: Buf, temporal: [ow=2], keep: [I, W, O]}
)");
  EXPECT_EQ(evaluate("reuse", problem, arch, mapping).actions.at(1, 0).fills,
            10u);
  EXPECT_EQ(evaluate("dataflow", problem, arch, mapping).actions.at(1, 0).fills,
            12u);
}

// out[p] += in[p + r] * w[r], P=4 R=3 (n=c=f=1): 6 input words.
// DRAM -> GLB (4 PEs on a bus) -> Reg: GLB spreads p=4 over the PEs, each
// Reg runs r=3 and keeps in's box [p, p+2]: [0,2] [1,3] [2,4] [3,5], four
// different boxes that overlap (the halo). Needed by:
//   in[0] {PE0}, in[1] {0,1}, in[2] {0,1,2}, in[3] {1,2,3}, in[4] {2,3},
//   in[5] {3}.
// A multicasting bus sends each of the 6 words once, one hop each (onto
// the bus; its taps cost none): GLB reads 6, network 6 words, 6 hops.
// Without multicast: one word per PE that needs it, 3 per PE: 12, 12 hops.
// The Regs fill 12 either way; the GLB fills its box [0,5] once: 6.
TEST(ReuseModelNetwork, OverlappingHalosShareOneMulticast) {
  Problem problem = conv1d();
  for (bool multicast : {true, false}) {
    Arch arch = busArch("GLB", 4, multicast);
    Mapping mapping = mappingFor(problem, arch, R"(mappings:
  - levels:
      - {level: DRAM, keep: [I, W, O]}
      - {level: GLB, spatial: [ow=4@X], keep: [I, W, O]}
      - {level: Reg, temporal: [kw=3], keep: [I, W, O]}
)");
    Report report = evaluate("reuse", problem, arch, mapping);
    const TensorActions &glb = report.actions.at(1, 0);
    SCOPED_TRACE(multicast ? "multicast" : "unicast");
    EXPECT_EQ(glb.fills, 6u);
    EXPECT_EQ(glb.reads, multicast ? 6u : 12u);
    EXPECT_EQ(glb.networkWords, multicast ? 6u : 12u);
    EXPECT_EQ(glb.networkHops, multicast ? 6u : 12u);
    EXPECT_EQ(report.actions.at(2, 0).fills, 12u);
  }
}

// The same convolution, P=4 R=3. DRAM -> Mid (2 PEs on a bus) -> Reg: Mid
// spreads p=2 and bypasses the weights; each Reg runs p=2, r=3 and keeps
// w[0..2]. Both Regs need the same 3 weights, once: DRAM (Mid's supplier)
// reads 3 and sends them over its network to its one child, Mid (3 words,
// 3 hops); Mid relays them without a read or a fill, over its own
// network: multicast, 3 words and 3 hops; without multicast one per Reg,
// 6 words and 6 hops, and DRAM still reads each weight once. The Regs fill
// 3 each: 6.
TEST(ReuseModelNetwork, BypassedWordsCrossTheRelaysNetwork) {
  Problem problem = conv1d();
  for (bool multicast : {true, false}) {
    Arch arch = busArch("Mid", 2, multicast);
    Mapping mapping = mappingFor(problem, arch, R"(mappings:
  - levels:
      - {level: DRAM, keep: [I, W, O]}
      - {level: Mid, spatial: [ow=2@X], keep: [I, O]}
      - {level: Reg, temporal: [ow=2, kw=3], keep: [I, W, O]}
)");
    Report report = evaluate("reuse", problem, arch, mapping);
    SCOPED_TRACE(multicast ? "multicast" : "unicast");
    const TensorActions &dram = report.actions.at(0, 1);
    const TensorActions &mid = report.actions.at(1, 1);
    EXPECT_EQ(dram.reads, 3u);
    EXPECT_EQ(dram.networkWords, 3u);
    EXPECT_EQ(dram.networkHops, 3u);
    EXPECT_EQ(mid.reads, 0u);
    EXPECT_EQ(mid.fills, 0u);
    EXPECT_EQ(mid.networkWords, multicast ? 3u : 6u);
    EXPECT_EQ(mid.networkHops, multicast ? 3u : 6u);
    EXPECT_EQ(report.actions.at(2, 1).fills, 6u);
  }
}

TEST(ModelProperties, NoMappingBeatsTheRoofline) {
  std::mt19937_64 rng(11);
  auto roofline = createCostModel("roofline");
  unsigned bandwidthBound = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Problem problem = randomProblem(rng);
    Arch arch = randomArch(rng);
    Mapping mapping = randomMapping(problem, arch, rng);
    uint64_t bound = roofline->evaluate(problem, arch, mapping).report->cycles;
    bandwidthBound +=
        roofline->evaluate(problem, arch, mapping).report->bottleneck !=
        "compute";
    for (const char *name : {"reuse", "dataflow"}) {
      Report report = evaluate(name, problem, arch, mapping);
      EXPECT_GE(report.cycles, bound) << name << " trial " << trial;
      EXPECT_LE(report.utilization, 1.0);
    }
  }
  EXPECT_GT(bandwidthBound, 10u); // Some cases are memory-bound.
}

/// The reuse model's floor (what a search prunes by) against its full
/// evaluation: invalid exactly when the evaluation is, and never above its
/// cycles or energy; on real layers it must also be close enough to prune.
void expectFloorBelow(const CostModel &model, const Problem &problem,
                      const Arch &arch, const Mapping &mapping,
                      const std::string &what, std::vector<double> &ratios) {
  CostFloor floor = model.floor(problem, arch, mapping);
  Evaluation evaluation = model.evaluate(problem, arch, mapping);
  ASSERT_EQ(floor.invalid, !evaluation.valid()) << what;
  if (!evaluation.valid())
    return;
  const Report &report = *evaluation.report;
  EXPECT_LE(floor.cycles, double(report.cycles)) << what;
  EXPECT_LE(floor.energyPJ, report.energy.total() * (1 + 1e-12)) << what;
  if (report.energy.total() > 0 && report.cycles > 0)
    ratios.push_back(floor.cycles * floor.energyPJ /
                     (double(report.cycles) * report.energy.total()));
}

TEST(ModelProperties, TheReuseFloorIsNeverAboveTheEvaluation) {
  auto reuse = createCostModel("reuse");
  std::mt19937_64 rng(29);
  std::vector<double> ratios;
  for (int trial = 0; trial < 600; ++trial) {
    Problem problem = randomProblem(rng);
    Arch arch = randomArch(rng);
    Mapping mapping = randomMapping(problem, arch, rng);
    expectFloorBelow(*reuse, problem, arch, mapping,
                     "random trial " + std::to_string(trial), ratios);
  }
  // Real layers on every preset (systolic arrays, packed words, vector
  // lanes, bypass).
  WorkloadSet layers = importLinalgFile(std::string(TESSEL_SOURCE_DIR) +
                                        "/workloads/zoo/resnet50.mlir");
  for (const char *preset :
       {"eyeriss", "simba", "tpu16", "tpu128", "nvdla", "maeri"}) {
    Arch arch = loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/" +
                         preset + ".yaml");
    std::vector<double> edp;
    for (size_t op = 0; op < layers.problems.size(); op += 5)
      for (int i = 0; i < 6; ++i) {
        const Problem &problem = layers.problems[op];
        if (auto mapping = randomLegalMapping(problem, arch, rng, 2000))
          expectFloorBelow(*reuse, problem, arch, *mapping,
                           std::string(preset) + " " + problem.name, edp);
        Mapping any = randomMapping(problem, arch, rng);
        expectFloorBelow(*reuse, problem, arch, any,
                         std::string(preset) + " " + problem.name + " (any)",
                         edp);
      }
    ASSERT_FALSE(edp.empty()) << preset;
    std::sort(edp.begin(), edp.end());
    if (std::string(preset) == "eyeriss")
      EXPECT_GT(edp[edp.size() / 2], 0.2) // A floor that prunes.
          << "median floor / EDP on " << preset;
  }
}

TEST(ModelRegistry, NamesAndInvalidMappings) {
  EXPECT_THAT(costModelNames(),
              ::testing::ElementsAre("reuse", "dataflow", "roofline"));
  EXPECT_EQ(createCostModel("timeloop"), nullptr);
  Problem problem = problemFrom(namedOp("matmul", "", {2, 4}, {4, 2}, {2, 2}));
  Arch arch = parseArch(kTwoUnits, "two.yaml");
  Mapping mapping = mappingFor(problem, arch, R"(mappings:
  - levels:
      - {level: DRAM, temporal: [k=2], keep: [A, B, C]}
      - {level: Buf, temporal: [m=2], spatial: [n=2@X], keep: [A, B, C]}
)");
  Evaluation evaluation =
      createCostModel("reuse")->evaluate(problem, arch, mapping);
  ASSERT_FALSE(evaluation.valid());
  EXPECT_EQ(evaluation.errors[0].message,
            "dimension 'k': the product of its factors is 2 but its bound is "
            "4; the factors must multiply to 4");
}

} // namespace
} // namespace tessel
