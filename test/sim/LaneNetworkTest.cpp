//===- test/sim/LaneNetworkTest.cpp - A PE's registers to its lanes -------===//
//
// The innermost level's network carries the words its registers keep to
// and from the compute units under it (sim/Structural.cpp's stepPe, the
// systolic array's countArray): per step, once per distinct word where
// the network multicasts (reduces, for the output), else once per lane.
// Counted by hand on a bus (any set of children is one hop away,
// docs/arch.md), and against the reuse model, which counts them from the
// nest (model/Accounting.cpp).
//
//===----------------------------------------------------------------------===//
#include "../model/RandomCases.h"
#include "SimulateChecked.h"

#include "arch/ArchLoader.h"
#include "mapping/Mapping.h"
#include "model/CostModel.h"
#include "sim/Structural.h"

#include <gtest/gtest.h>

namespace tessel::testing {
namespace {

Arch busArch(bool multicast, bool reduction) {
  return parseArch(
      std::string("name: lanes\nlevels:\n"
                  "  - {name: DRAM, capacity: unbounded}\n"
                  "  - name: Reg\n    capacity: 100\n    fanout: [4, 1]\n"
                  "    network: {topology: bus, multicast: ") +
          (multicast ? "true" : "false") +
          ", reduction: " + (reduction ? "true" : "false") + "}\n",
      "lanes.yaml");
}

void expectSameAsModel(const Problem &problem, const Arch &arch,
                       const Mapping &mapping, const Report &sim) {
  Evaluation model = createCostModel("reuse")->evaluate(problem, arch, mapping);
  ASSERT_TRUE(model.valid());
  for (unsigned t = 0; t < 3; ++t) {
    const TensorActions &m = model.report->actions.at(1, t);
    const TensorActions &s = sim.actions.at(1, t);
    EXPECT_EQ(s.reads, m.reads) << "tensor " << t;
    EXPECT_EQ(s.updates, m.updates) << "tensor " << t;
    EXPECT_EQ(s.networkWords, m.networkWords) << "tensor " << t;
    EXPECT_EQ(s.networkHops, m.networkHops) << "tensor " << t;
  }
}

// C[0,n] += A[0,k] B[k,n], n = 4 over the 4 lanes, k = 2 steps: every lane
// needs the same A word each step, its own B word and its own C word.
//  - multicast bus: A 1 word a step (2 in all, 1 hop each), B and C 4 a
//    step (8);
//  - unicast bus: A 4 a step too (8).
// Register reads equal the words sent; C's 8 updates, one per lane-step.
TEST(LaneNetwork, SharedOperandsCrossOnceWhereTheBusMulticasts) {
  Problem problem = problemFrom(namedOp("matmul", "", {1, 2}, {2, 4}, {1, 4}));
  Mapping mapping;
  mapping.levels.resize(2);
  mapping.levels[1].temporal = {{2, 2}};                // k
  mapping.levels[1].spatial = {{1, 4, SpatialAxis::X}}; // n
  mapping.levels[0].keepMask = mapping.levels[1].keepMask = 7;
  for (bool multicast : {true, false}) {
    SCOPED_TRACE(multicast ? "multicast" : "unicast");
    Arch arch = busArch(multicast, false);
    sim::StructuralResult result = simulateChecked(problem, arch, mapping);
    const ActionCounts &a = result.report.actions;
    EXPECT_EQ(a.at(1, 0).networkWords, multicast ? 2u : 8u);
    EXPECT_EQ(a.at(1, 0).networkHops, multicast ? 2u : 8u);
    EXPECT_EQ(a.at(1, 0).reads, multicast ? 2u : 8u);
    EXPECT_EQ(a.at(1, 1).networkWords, 8u);
    EXPECT_EQ(a.at(1, 1).reads, 8u);
    EXPECT_EQ(a.at(1, 2).networkWords, 8u);
    EXPECT_EQ(a.at(1, 2).updates, 8u);
    expectSameAsModel(problem, arch, mapping, result.report);
  }
}

// C[0,0] += A[0,k] B[k,0], k = 8: 4 over the lanes, 2 steps. The 4 lanes
// make one sum a step: a reducing bus carries it once (2 updates, 2
// hops), a plain one 4 times (8).
TEST(LaneNetwork, SumsOfTheLanesMergeWhereTheBusReduces) {
  Problem problem = problemFrom(namedOp("matmul", "", {1, 8}, {8, 1}, {1, 1}));
  Mapping mapping;
  mapping.levels.resize(2);
  mapping.levels[1].temporal = {{2, 2}};
  mapping.levels[1].spatial = {{2, 4, SpatialAxis::X}};
  mapping.levels[0].keepMask = mapping.levels[1].keepMask = 7;
  for (bool reduction : {true, false}) {
    SCOPED_TRACE(reduction ? "reduction" : "no reduction");
    Arch arch = busArch(true, reduction);
    sim::StructuralResult result = simulateChecked(problem, arch, mapping);
    const ActionCounts &a = result.report.actions;
    EXPECT_EQ(a.at(1, 2).updates, reduction ? 2u : 8u);
    EXPECT_EQ(a.at(1, 2).networkWords, reduction ? 2u : 8u);
    EXPECT_EQ(a.at(1, 2).networkHops, reduction ? 2u : 8u);
    expectSameAsModel(problem, arch, mapping, result.report);
  }
}

} // namespace
} // namespace tessel::testing
