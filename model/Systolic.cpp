//===- model/Systolic.cpp - A systolic array run as built -----------------===//
#include "model/Systolic.h"

#include "arch/Arch.h"
#include "mapping/Report.h"
#include "model/Accounting.h"
#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

#include <array>

namespace tessel {

SystolicFolds systolicFolds(const Problem &problem, const Arch &arch,
                            const Mapping &mapping, const NestAnalysis &nest) {
  SystolicFolds result;
  if (arch.levelCount() < 2 || problem.tensors.size() != 3)
    return result;
  unsigned array = arch.levelCount() - 2;
  const StorageLevel &storage = arch.levels[array];
  if (storage.network.topology != "systolic")
    return result;
  const unsigned out = problem.outputIndex();
  if (!mapping.levels[array].keeps(out))
    return result;
  const unsigned first = out == 0 ? 1 : 0, second = 3 - out - first;
  const std::vector<NestLoop> &loops = nest.loops();
  std::array<uint64_t, 3> uses{};
  for (unsigned t = 0; t < 3; ++t)
    for (const Projection &coordinate : problem.tensors[t].projection)
      for (const ProjectionTerm &term : coordinate.terms)
        if (term.coefficient != 0)
          uses[t] |= uint64_t(1) << term.dim;
  uint64_t xDims = 0, yDims = 0, xUsed = 1, yUsed = 1;
  for (const NestLoop &loop : loops) {
    if (!loop.spatial || loop.factor <= 1)
      continue;
    if (loop.level < array)
      return result; // Several arrays.
    if (loop.level != array)
      continue;
    bool x = loop.axis == SpatialAxis::X;
    (x ? xDims : yDims) |= uint64_t(1) << loop.dim;
    (x ? xUsed : yUsed) *= uint64_t(loop.factor);
  }
  uint64_t inside = 1; // Temporal steps of one tile of the array's level.
  for (const NestLoop &loop : loops)
    if (!loop.spatial && loop.level >= array)
      inside *= uint64_t(loop.factor);
  auto streamOf = [&](unsigned held) {
    uint64_t stream = 1;
    for (size_t i = loops.size(); i-- > 0;) {
      const NestLoop &loop = loops[i];
      if (loop.spatial || loop.factor <= 1)
        continue;
      if (loop.level < array || ((uses[held] >> loop.dim) & 1))
        break;
      stream *= uint64_t(loop.factor);
    }
    return stream;
  };
  // Candidates ranked by (stream, held kept in the PEs, untransposed,
  // dataflow preference); the greatest runs.
  std::array<uint64_t, 4> best{};
  const uint64_t mac = std::max<uint64_t>(1, arch.compute.pipelineLatency);
  const LevelMapping &pes = mapping.levels[array + 1];
  for (bool transposed : {false, true}) {
    uint64_t rowDims = transposed ? xDims : yDims;
    uint64_t colDims = transposed ? yDims : xDims;
    auto consider = [&](unsigned held, unsigned right, unsigned down,
                        uint64_t preference) {
      uint64_t stream = streamOf(held);
      std::array<uint64_t, 4> rank{stream, pes.keeps(held) ? 1u : 0u,
                                   transposed ? 0u : 1u, preference};
      if (result.asBuilt && rank <= best)
        return;
      best = rank;
      result.asBuilt = true;
      result.stream = stream;
      result.reduce = held != out;
      result.held = held;
      result.horizontal = right;
      result.vertical = down;
      result.rows = transposed ? storage.fanout[0] : storage.fanout[1];
      result.cols = transposed ? storage.fanout[1] : storage.fanout[0];
      result.rowsUsed = transposed ? xUsed : yUsed;
      result.colsUsed = transposed ? yUsed : xUsed;
    };
    // Reduce: one input held, the other moving right, sums moving down.
    for (unsigned held : {first, second}) {
      unsigned moving = held == first ? second : first;
      if (!(uses[moving] & colDims) && !(uses[out] & rowDims))
        consider(held, moving, out, held == second ? 4 : 3);
    }
    // Output-stationary (one-cycle MACs only): one input right, one down.
    if (mac == 1)
      for (unsigned right : {first, second}) {
        unsigned down = right == first ? second : first;
        if (!(uses[right] & colDims) && !(uses[down] & rowDims))
          consider(out, right, down, right == first ? 2 : 1);
      }
  }
  if (!result.asBuilt)
    return result;
  result.level = array;
  result.folds = nest.epochs(array) * (inside / result.stream);
  return result;
}

void countSystolicArray(const Problem &problem, const Mapping &mapping,
                        const NestAnalysis &nest, const SystolicFolds &array,
                        Report &report, bool wrapReuse) {
  if (!array.asBuilt)
    return;
  CheckedCounts &c = nest.arithmetic();
  const unsigned pe = array.level + 1, out = problem.outputIndex();
  const uint64_t macs = report.executedMacs;
  const LevelMapping &level = mapping.levels[array.level];
  ActionCounts &actions = report.actions;
  for (unsigned t = 0; t < 3; ++t) {
    TensorActions &here = actions.at(pe, t);
    here.reads = t == out ? 0 : macs;
    here.updates = t == out ? macs : 0;
    here.fills = 0;
  }
  // With a residual (a last tile shorter) the level hierarchy's counts of
  // the words entering the array are kept; otherwise they follow the
  // folds: a moving operand's word per row (or column) used per step of
  // each fold's stream, a stationary word per PE used per fold.
  const bool clipped = nest.clips();
  const uint64_t steps = c.mul(array.folds, array.stream);
  const uint64_t columns = c.mul(array.folds, array.colsUsed);
  if (!clipped) {
    for (unsigned t = 0; t < 3; ++t)
      if (t != out && !level.keeps(t))
        countStagedInput(nest, report, array.level, t, wrapReuse);
    // The output: in a partial-sum array a sum enters each used column's
    // top per stream step (zero) and leaves at the bottom into the level's
    // tile, passing every row; in an output-stationary array each used PE
    // gets its output word's address per fold and its sum drains down from
    // its row r, R - r hops.
    TensorActions &sums = actions.at(array.level, out);
    if (array.reduce) {
      uint64_t perStep = c.mul(steps, array.colsUsed);
      sums.updates = sums.networkWords = perStep;
      sums.networkHops = c.mul(perStep, array.rows);
    } else {
      uint64_t ru = array.rowsUsed;
      sums.updates = sums.networkWords = c.mul(columns, ru);
      sums.networkHops =
          c.mul(columns, c.sub(c.mul(ru, array.rows), ru * (ru - 1) / 2));
    }
  }
  // Each landing is a hop of the array's network (from the edge port into
  // the first PE, then from PE to PE): the wiring's hops, not a route's.
  // The edge ports read the level's tile; a tensor the level bypasses is
  // staged in their FIFOs: no read of the level.
  auto enter = [&](unsigned t, uint64_t perfect) {
    TensorActions &edge = actions.at(array.level, t);
    uint64_t words = perfect;
    if (clipped) {
      words = edge.networkWords;
    } else {
      if (level.keeps(t))
        edge.reads = words;
      edge.networkWords = words;
    }
    return words;
  };
  auto land = [&](unsigned t, uint64_t fills) {
    actions.at(pe, t).fills = fills;
    actions.at(array.level, t).networkHops = fills;
  };
  uint64_t right = enter(array.horizontal, c.mul(steps, array.rowsUsed));
  land(array.horizontal, c.mul(right, array.cols));
  if (!array.reduce) {
    uint64_t down = enter(array.vertical, c.mul(steps, array.colsUsed));
    land(array.vertical, c.mul(down, array.rows));
    return;
  }
  // A fold's stationary words shift down each column used, the bottom
  // row's first: the word for row r passes rows 0..r, r + 1 fills; over
  // the rows used, Ru (Ru + 1) / 2 a column, (Ru + 1) / 2 per word.
  uint64_t loaded = enter(array.held, c.mul(columns, array.rowsUsed));
  uint64_t perColumn = array.rowsUsed * (array.rowsUsed + 1) / 2;
  land(array.held, clipped ? c.mul(loaded, array.rowsUsed + 1) / 2
                           : c.mul(columns, perColumn));
}

} // namespace tessel
