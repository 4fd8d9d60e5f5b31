//===- test/sim/SystolicArrayTest.cpp - The structural systolic array -----===//
//
// Cycle counts worked out by hand from the array's rules (sim/SystolicArray.h,
// docs/sim.md), for C[m,n] += A[m,k] * B[k,n] on R x C arrays:
//
//  * A word entering a lane at cycle t is at PE position p at cycle t + p;
//    the edge ports skew lane i by i cycles, so PE (col c, row r) computes
//    stream step s of a fold whose stream starts at t0 in cycle
//    t0 + s + r + c. The last MAC of a fold is at t0 + S - 1 + (R-1) +
//    (C-1), and the fold has left the array in that same cycle (its last
//    marks leave the far edges).
//  * Weight-/input-stationary with one stationary buffer: a fold first
//    shifts its R rows of stationary words in (cycles t .. t+R-1), its
//    stream starts at t+R, and the next fold's load starts the cycle after
//    the fold has left: a fold takes S + 2R + C - 2 cycles.
//  * With two buffers the next fold's words load during this fold; its
//    stream starts the cycle after this fold has left: R + F (S + R + C - 2)
//    cycles in all. With foldOverlap the streams follow each other back to
//    back: R + F S + R + C - 2 (when the loads keep up).
//  * Output-stationary: no load; a fold takes T + R + C - 2 cycles to its
//    last MAC; the outputs then drain down the columns.
//
// SCALE-Sim v2's formulas (issue #12) are the one-buffer cases minus one
// (it prints the index of the last cycle).
//
//===----------------------------------------------------------------------===//
#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "sim/SystolicPlan.h"
#include "sim/SystolicSim.h"
#include "workloads/Problem.h"

#include <gtest/gtest.h>

#include <random>

namespace tessel::testing {
namespace {

using sim::LinkFault;
using sim::SystolicPlan;
using sim::SystolicRun;
using sim::SystolicTiming;

enum { M = 0, N = 1, K = 2 };

Problem gemm(int64_t m, int64_t n, int64_t k) {
  Problem p;
  p.name = "gemm";
  p.dims = {{"m", m}, {"n", n}, {"k", k}};
  auto proj = [](unsigned d) { return Projection{{{d, 1}}, 0}; };
  p.tensors = {{"A", 32, "i32", {proj(M), proj(K)}, {m, k}, false},
               {"B", 32, "i32", {proj(K), proj(N)}, {k, n}, false},
               {"C", 32, "i32", {proj(M), proj(N)}, {m, n}, true}};
  return p;
}

Arch systolic(unsigned rows, unsigned cols, uint64_t latency = 1) {
  Arch arch;
  arch.name = "sys";
  arch.compute.pipelineLatency = latency;
  StorageLevel buffer;
  buffer.name = "Buffer";
  buffer.fanout = {cols, rows};
  buffer.network.topology = "systolic";
  StorageLevel pe;
  pe.name = "PE";
  pe.capacity = 4;
  arch.levels = {buffer, pe};
  arch.computeInstances();
  return arch;
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// SCALE-Sim's folding: `rowDim` over the rows, `colDim` over the columns
/// (partial folds where they do not divide), column folds outer, then row
/// folds, then the stream over `streamDim`.
Mapping folded(const Problem &p, unsigned rowDim, unsigned colDim,
               unsigned streamDim, unsigned rows, unsigned cols) {
  int64_t rs = std::min<int64_t>(p.dims[rowDim].bound, rows);
  int64_t cs = std::min<int64_t>(p.dims[colDim].bound, cols);
  Mapping mapping;
  mapping.levels.resize(2);
  LevelMapping &top = mapping.levels[0];
  top.temporal = {{colDim, ceilDiv(p.dims[colDim].bound, cs)},
                  {rowDim, ceilDiv(p.dims[rowDim].bound, rs)},
                  {streamDim, p.dims[streamDim].bound}};
  top.spatial = {{colDim, cs, SpatialAxis::X}, {rowDim, rs, SpatialAxis::Y}};
  top.keepMask = 7;
  mapping.levels[1].keepMask = 7;
  return mapping;
}

struct Case {
  Problem problem;
  SystolicPlan plan;
  SystolicRun run;
};

Case simulate(const Problem &problem, const Arch &arch, const Mapping &mapping,
              SystolicTiming timing = {}, LinkFault fault = {}) {
  Case c{problem, {}, {}};
  std::string error;
  EXPECT_TRUE(
      sim::planSystolic(problem, arch, mapping, 0, timing, c.plan, error))
      << error;
  sim::SystolicRunOptions options;
  options.fault = fault;
  c.run = sim::runSystolic(problem, c.plan, options);
  return c;
}

Case ws(int64_t m, int64_t n, int64_t k, unsigned rows, unsigned cols,
        SystolicTiming timing = {}, LinkFault fault = {}) {
  Problem p = gemm(m, n, k);
  return simulate(p, systolic(rows, cols), folded(p, K, N, M, rows, cols),
                  timing, fault);
}
Case os(int64_t m, int64_t n, int64_t k, unsigned rows, unsigned cols,
        SystolicTiming timing = {}, LinkFault fault = {}) {
  Problem p = gemm(m, n, k);
  return simulate(p, systolic(rows, cols), folded(p, M, N, K, rows, cols),
                  timing, fault);
}
Case is(int64_t m, int64_t n, int64_t k, unsigned rows, unsigned cols,
        SystolicTiming timing = {}, LinkFault fault = {}) {
  Problem p = gemm(m, n, k);
  return simulate(p, systolic(rows, cols), folded(p, K, M, N, rows, cols),
                  timing, fault);
}

void expectCorrect(const Case &c) {
  EXPECT_EQ(c.run.error, "");
  EXPECT_TRUE(c.run.checked);
  EXPECT_EQ(c.run.mismatch, "");
  EXPECT_EQ(c.run.misaligned, 0u);
  uint64_t macs = 1;
  for (const Dimension &d : c.problem.dims)
    macs *= uint64_t(d.bound);
  EXPECT_EQ(c.run.macs, macs) << "every MAC of the op once, none padded";
}

TEST(SystolicArray, PicksTheDataflowTheLoopOrderImplies) {
  EXPECT_EQ(ws(3, 2, 2, 2, 2).plan.dataflow, "weight-stationary");
  EXPECT_EQ(os(3, 2, 2, 2, 2).plan.dataflow, "output-stationary");
  EXPECT_EQ(is(3, 2, 2, 2, 2).plan.dataflow, "input-stationary");
}

// 2x2 WS, M=3 N=2 K=2: one fold. Load: cycles 0-1 (the bottom row's weight
// first). Stream from cycle 2: PE (c, r) computes step s in 2 + s + r + c;
// the last MAC (s=2, r=c=1) in cycle 6, its sum leaves the bottom then.
// Words: A enters 2 rows x 3 steps = 6 times and crosses the one link of
// its row; the sums enter 2 columns x 3 steps and cross one link each; each
// column's bottom weight crosses one load link.
TEST(SystolicArray, WeightStationary2x2ByHand) {
  Case c = ws(3, 2, 2, 2, 2);
  expectCorrect(c);
  EXPECT_EQ(c.run.lastMacCycle, 6u);
  EXPECT_EQ(c.run.cycles, 7u);
  EXPECT_EQ(c.run.links.horizontal, 6u);
  EXPECT_EQ(c.run.links.partialSums, 6u);
  EXPECT_EQ(c.run.links.load, 2u);
  EXPECT_EQ(c.run.stationaryLatched, 4u);
  EXPECT_EQ(c.run.reads[0], 6u); // A[m,k], each once.
  EXPECT_EQ(c.run.reads[1], 4u); // B, each once.
  EXPECT_EQ(c.run.writes[2], 6u);
  EXPECT_EQ(c.run.updates[2], 0u);
  ASSERT_EQ(c.run.folds.size(), 1u);
  EXPECT_EQ(c.run.folds[0].start, 0u);
  EXPECT_EQ(c.run.folds[0].end, 6u);
  EXPECT_EQ(c.run.folds[0].pes, 4u);
}

// K=4: two row folds, the second adds its partial sums to the first's
// (6 updates). One buffer: 2 x (3 + 4 + 2 - 2) = 14 cycles. Two buffers:
// fold 1's weights load in cycles 2-3 and latch once every PE has switched
// to fold 0 (PE (1,1) sees its first word in cycle 4); fold 1 streams from
// cycle 7, the cycle after fold 0 left: last MAC 7 + 2 + 1 + 1 = 11, i.e.
// R + F (S + R + C - 2) = 2 + 2 x 5 = 12 cycles. With foldOverlap fold 1
// streams from cycle 5 (right behind fold 0's 3 steps): last MAC 9.
TEST(SystolicArray, WeightStationaryFoldsAndDoubleBuffering) {
  Case single = ws(3, 2, 4, 2, 2);
  expectCorrect(single);
  EXPECT_EQ(single.run.lastMacCycle, 13u);
  EXPECT_EQ(single.run.updates[2], 6u);
  EXPECT_EQ(single.run.writes[2], 6u);

  Case twice = ws(3, 2, 4, 2, 2, {2, false});
  expectCorrect(twice);
  EXPECT_EQ(twice.run.lastMacCycle, 11u);
  EXPECT_EQ(twice.run.folds[1].end, 11u);

  Case overlapped = ws(3, 2, 4, 2, 2, {2, true});
  expectCorrect(overlapped);
  EXPECT_EQ(overlapped.run.lastMacCycle, 9u);
}

// 2x2 OS, M=2 N=2 K=3: no load; PE (c, r) computes step s in s + r + c,
// the last MAC in 2 + 1 + 1 = 4. Sums: PE (c, 0) finishes in 2 + c and
// PE (c, 1) in 3 + c; in cycle 3 + c the row-0 sum waits (PE (c, 1) puts
// its own sum into its drain register first), leaves row 1 for the bottom
// in 4 + c while row 0's moves down, which leaves in 5 + c: the last word
// is written in cycle 6.
TEST(SystolicArray, OutputStationary2x2ByHand) {
  Case c = os(2, 2, 3, 2, 2);
  expectCorrect(c);
  EXPECT_EQ(c.run.lastMacCycle, 4u);
  EXPECT_EQ(c.run.cycles, 7u);
  EXPECT_EQ(c.run.links.horizontal, 6u); // 2 rows x 3 steps, one link.
  EXPECT_EQ(c.run.links.vertical, 6u);   // 2 columns x 3 steps.
  EXPECT_EQ(c.run.links.drain, 2u);      // Each column's row-0 sum.
  EXPECT_EQ(c.run.writes[2], 4u);
}

// The formulas of the model comment above on 2x2 and 4x4, one and two
// buffers, WS/OS/IS, including partial folds on rows and columns.
TEST(SystolicArray, CyclesOn2x2And4x4) {
  struct Shape {
    int64_t m, n, k;
    unsigned rows, cols;
  };
  for (Shape s :
       {Shape{3, 2, 2, 2, 2}, Shape{5, 3, 7, 2, 2}, Shape{9, 6, 10, 4, 4},
        Shape{4, 4, 4, 4, 4}, Shape{7, 5, 3, 4, 4}}) {
    int64_t R = s.rows, C = s.cols;
    SCOPED_TRACE(::testing::Message()
                 << s.m << "x" << s.n << "x" << s.k << " on " << R << "x" << C);
    // WS: rows fold K, columns N, the stream is M.
    int64_t wsFolds = ceilDiv(s.k, R) * ceilDiv(s.n, C);
    Case w1 = ws(s.m, s.n, s.k, s.rows, s.cols);
    expectCorrect(w1);
    EXPECT_EQ(int64_t(w1.run.folds.back().end) + 1,
              wsFolds * (s.m + 2 * R + C - 2));
    Case w2 = ws(s.m, s.n, s.k, s.rows, s.cols, {2, false});
    expectCorrect(w2);
    EXPECT_EQ(int64_t(w2.run.folds.back().end) + 1,
              R + wsFolds * (s.m + R + C - 2));
    // OS: rows fold M, columns N, the stream is K.
    int64_t osFolds = ceilDiv(s.m, R) * ceilDiv(s.n, C);
    Case o = os(s.m, s.n, s.k, s.rows, s.cols);
    expectCorrect(o);
    EXPECT_EQ(int64_t(o.run.folds.back().end) + 1, osFolds * (s.k + R + C - 2));
    // IS: rows fold K, columns M, the stream is N.
    int64_t isFolds = ceilDiv(s.k, R) * ceilDiv(s.m, C);
    Case i1 = is(s.m, s.n, s.k, s.rows, s.cols);
    expectCorrect(i1);
    EXPECT_EQ(int64_t(i1.run.folds.back().end) + 1,
              isFolds * (s.n + 2 * R + C - 2));
    Case i2 = is(s.m, s.n, s.k, s.rows, s.cols, {2, false});
    expectCorrect(i2);
    EXPECT_EQ(int64_t(i2.run.folds.back().end) + 1,
              R + isFolds * (s.n + R + C - 2));
  }
}

// A fault on one link must show in the output (or stop the run). The
// shapes fill every fold, so every word crossing the link carries data.
TEST(SystolicArray, FaultOnOneLinkIsCaught) {
  using Kind = LinkFault::Kind;
  for (Kind kind : {Kind::Drop, Kind::Duplicate, Kind::Delay}) {
    for (char chain : {'h', 'p', 'l'}) {
      SCOPED_TRACE(::testing::Message() << int(kind) << " on " << chain);
      LinkFault fault{kind, chain, 1, 2, 3};
      Case c = ws(8, 8, 8, 4, 4, {}, fault);
      EXPECT_TRUE(!c.run.mismatch.empty() || !c.run.error.empty());
    }
    for (char chain : {'h', 'v', 'd'}) {
      SCOPED_TRACE(::testing::Message() << int(kind) << " on " << chain);
      LinkFault fault{kind, chain, 1, 2, 1};
      Case c = os(8, 8, 8, 4, 4, {}, fault);
      EXPECT_TRUE(!c.run.mismatch.empty() || !c.run.error.empty());
    }
  }
  // And the same runs without the fault are right.
  expectCorrect(ws(8, 8, 8, 4, 4));
  expectCorrect(os(8, 8, 8, 4, 4));
}

// Seeded random shapes, arrays, dataflows and timings: always the right
// output, every MAC once.
TEST(SystolicArray, RandomCasesComputeTheOp) {
  std::mt19937_64 rng(12);
  for (int i = 0; i < 300; ++i) {
    int64_t m = 1 + rng() % 11, n = 1 + rng() % 11, k = 1 + rng() % 11;
    unsigned rows = 1 + rng() % 6, cols = 1 + rng() % 6;
    SystolicTiming timing{unsigned(1 + rng() % 2), false};
    timing.foldOverlap = timing.stationaryBuffers == 2 && rng() % 2;
    SCOPED_TRACE(::testing::Message()
                 << m << "x" << n << "x" << k << " on " << rows << "x" << cols
                 << " buffers " << timing.stationaryBuffers);
    switch (rng() % 3) {
    case 0:
      expectCorrect(ws(m, n, k, rows, cols, timing));
      break;
    case 1:
      expectCorrect(os(m, n, k, rows, cols, timing));
      break;
    default:
      expectCorrect(is(m, n, k, rows, cols, timing));
    }
  }
}

// A MAC pipeline of 2 stages: the partial sums take 2 cycles per row, so
// the rows' words are skewed by 2: last MAC of one fold at
// R + (S - 1) + 2 (R - 1) + (C - 1).
TEST(SystolicArray, PipelineLatencySkewsTheRows) {
  Problem p = gemm(3, 2, 2);
  Case c = simulate(p, systolic(2, 2, 2), folded(p, K, N, M, 2, 2));
  expectCorrect(c);
  EXPECT_EQ(c.run.lastMacCycle, 2u + 2 + 2 + 1);
}

} // namespace
} // namespace tessel::testing
