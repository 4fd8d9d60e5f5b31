//===- test/sim/SystolicTest.cpp - A systolic GEMM worked by hand ---------===//
//
// C[m,n] += A[m,k] * B[k,n], m=4 n=2 k=2, weight-stationary on a 2x2
// systolic array, every cycle worked out by hand from the timing rules of
// docs/sim.md:
//
//   arch: DRAM (latency 2) -> GLB (latency 1, 2x2 systolic, multicast and
//   reduction, hop latency 1) -> PE registers (latency 0); MAC pipeline 1.
//   Unicast hops: DRAM's 1-child bus 1; the systolic array 1 + x + y; the
//   PE's 1-child bus 1.
//   mapping: GLB temporal [m=4] spatial [n=2 @X, k=2 @Y] keeps A, B, C;
//   PE keeps B (the weight stays; A and C go between GLB and the MACs).
//
//   cycle 0   GLB's tile (A 8 words, B 4; C is new: no read-back) is
//             granted; it arrives 2 (DRAM latency) + 1 (hop) = 3 cycles
//             later.                                stall "GLB fill" 0..2
//   cycle 3   the weights go to the PEs: arrive 1 (GLB latency) + 1 (the
//             nearest PE's hop) = 2 later, cycle 5.  stall "PE fill" 3..4
//   cycle 5-8 steps m=0..3 issue, one per cycle (the weights stay: nothing
//             enters the PEs).                      4 compute cycles
//   operands: A from GLB: 1 + 1 + 1 (GLB, systolic hop, PE bus) = 3
//             cycles; PE (x, y) lags (0, 0) by x + y: it computes step s
//             in cycle 5 + s + 3 + x + y, the last in 8 + 3 + 2 = 13.
//   updates:  C lands at GLB 3 + 1 (pipeline) + 6 (the farthest PE (1,1):
//             skew 2 + its path back 3 + 1) = 10 cycles after issue: the
//             last in 8 + 10 = 18; GLB then drains C to DRAM, arriving
//             1 (GLB latency) + 1 (hop) later: cycle 20.
//   cycles = 20 + 1 = 21; the 12 cycles after the last issue are
//   "pipeline fill/drain".
//   Busy PEs per cycle (the wavefront): cycle 8: 1, 9: 3, 10: 4, 11: 4,
//   12: 3, 13: 1.
//
//===----------------------------------------------------------------------===//
#include "../model/RandomCases.h"

#include "model/CostModel.h"
#include "sim/Simulator.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace tessel::testing {
namespace {

const char *kArch = R"(name: ws2x2
compute: {pipelineLatency: 1}
levels:
  - {name: DRAM, capacity: unbounded, latency: 2}
  - name: GLB
    capacity: 1024
    latency: 1
    fanout: [2, 2]
    network: {topology: systolic, multicast: true, reduction: true}
  - name: PE
    capacity: {input: 1, weight: 1, output: 1}
    latency: 0
)";

TEST(SystolicGemm, CyclesWorkedByHand) {
  Problem problem = problemFrom(namedOp("matmul", "", {4, 2}, {2, 2}, {4, 2}));
  Arch arch = parseArch(kArch, "ws2x2.yaml");
  Mapping mapping;
  mapping.levels.resize(3);
  mapping.levels[0].keepMask = 7;
  mapping.levels[1].temporal = {{0, 4}};
  mapping.levels[1].spatial = {{1, 2, SpatialAxis::X}, {2, 2, SpatialAxis::Y}};
  mapping.levels[1].keepMask = 7;
  mapping.levels[2].keepMask = 2;
  ASSERT_TRUE(verifyMapping(problem, arch, mapping).empty());

  std::string csv = ::testing::TempDir() + "systolic-util.csv";
  sim::SimOptions options;
  options.engine = sim::SimEngine::Lockstep; // The older engine's own checks.
  options.functional = true;
  options.utilization = csv;
  options.utilizationInterval = 1;
  sim::SimResult result =
      sim::simulateIsolated(problem, arch, mapping, options);
  ASSERT_EQ(result.error, "");
  EXPECT_EQ(result.mismatch, "");
  EXPECT_EQ(result.report.cycles, 21u);
  EXPECT_EQ(result.computeCycles, 4u);
  std::map<std::string, uint64_t> stalls;
  for (const sim::Stall &stall : result.stalls)
    stalls[stall.reason] = stall.cycles;
  EXPECT_EQ(stalls,
            (std::map<std::string, uint64_t>{
                {"GLB fill", 3}, {"PE fill", 2}, {"pipeline fill/drain", 12}}));

  std::ifstream in(csv);
  std::string line;
  std::getline(in, line); // Header.
  std::map<uint64_t, uint64_t> busy;
  while (std::getline(in, line)) {
    uint64_t cycle = 0, pes = 0;
    if (std::sscanf(line.c_str(), "%lu,%lu", &cycle, &pes) == 2 && pes)
      busy[cycle] = pes;
  }
  EXPECT_EQ(busy, (std::map<uint64_t, uint64_t>{
                      {8, 1}, {9, 3}, {10, 4}, {11, 4}, {12, 3}, {13, 1}}));

  // Counts: exactly the reuse model's.
  Report reuse =
      *createCostModel("reuse")->evaluate(problem, arch, mapping).report;
  for (unsigned l = 0; l < arch.levelCount(); ++l)
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      const TensorActions &a = result.report.actions.at(l, t);
      const TensorActions &b = reuse.actions.at(l, t);
      EXPECT_EQ(a.reads, b.reads) << l << " " << t;
      EXPECT_EQ(a.fills, b.fills) << l << " " << t;
      EXPECT_EQ(a.updates, b.updates) << l << " " << t;
      EXPECT_EQ(a.networkHops, b.networkHops) << l << " " << t;
    }
}

} // namespace
} // namespace tessel::testing
