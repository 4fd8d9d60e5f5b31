//===- test/workloads/ProblemTest.cpp - Problem arithmetic ----------------===//
#include "workloads/Problem.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace tessel {
namespace {

/// A 1-D convolution by hand: out[p] += in[2p + 3r] * w[r], P=4, R=3.
Problem strided1dConv() {
  Problem problem;
  problem.name = "conv1d";
  problem.dims = {{"p", 4}, {"r", 3}};
  Tensor in{"in", 8, "i8", {{{{0, 2}, {1, 3}}, 0}}, {13}, false};
  Tensor w{"w", 8, "i8", {{{{1, 1}}, 0}}, {3}, false};
  Tensor out{"out", 32, "i32", {{{{0, 1}}, 0}}, {4}, true};
  problem.tensors = {in, w, out};
  return problem;
}

TEST(Problem, FootprintOfAStridedDilatedWindow) {
  Problem problem = strided1dConv();
  // The whole problem: 2*(4-1) + 3*(3-1) + 1 = 13 input points.
  EXPECT_EQ(problem.footprint(0, {4, 3}), 13u);
  // A tile of 2 outputs and 1 tap: 2*(2-1) + 1 = 3 (a dense box).
  EXPECT_EQ(problem.footprint(0, {2, 1}), 3u);
  EXPECT_EQ(problem.footprint(1, {2, 1}), 1u);
  EXPECT_EQ(problem.footprint(2, {2, 3}), 2u);
}

TEST(Problem, MacsReductionAndLookup) {
  Problem problem = strided1dConv();
  EXPECT_EQ(problem.macs(), 12u);
  ASSERT_EQ(problem.reductionDims().size(), 1u);
  EXPECT_EQ(problem.reductionDims()[0], 1u);
  EXPECT_EQ(problem.dimIndex("r"), 1u);
  EXPECT_FALSE(problem.dimIndex("q").has_value());
  EXPECT_EQ(problem.tensorIndex("w"), 1u);
  EXPECT_EQ(problem.outputIndex(), 2u);
  EXPECT_EQ(problem.tensors[2].bytes(), 16u);
  EXPECT_EQ(problem.tensors[0].bytes(), 13u);
}

TEST(Problem, ProjectionText) {
  Problem problem = strided1dConv();
  EXPECT_EQ(formatProjection(problem, problem.tensors[0].projection[0]),
            "2*p + 3*r");
  Projection negative{{{0, -1}, {1, 1}}, -2};
  EXPECT_EQ(formatProjection(problem, negative), "-p + r - 2");
  EXPECT_EQ(formatProjection(problem, Projection{{}, 5}), "5");
}

TEST(Problem, MacsBeyondTrillionsStayExactAndOverflowIsReported) {
  Problem problem;
  problem.name = "huge";
  problem.dims = {{"a", 1000000}, {"b", 1000000}, {"c", 1000}};
  EXPECT_EQ(problem.macs(), 1000000000000000ull);
  problem.dims.push_back({"d", 100000});
  EXPECT_THROW(problem.macs(), std::overflow_error);
}

} // namespace
} // namespace tessel
