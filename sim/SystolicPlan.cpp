//===- sim/SystolicPlan.cpp - A mapping lowered onto a systolic array -----===//

#include "sim/SystolicPlan.h"

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cmath>

namespace tessel::sim {
namespace {

/// A loop of the mapping's nest with where it sits.
struct Placed {
  NestLoop loop;
  unsigned level = 0;
  bool spatial = false;
  SpatialAxis axis = SpatialAxis::X;
};

std::vector<Placed> flatten(const Mapping &mapping, unsigned dimCount) {
  std::vector<Placed> nest;
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    for (const Loop &loop : mapping.levels[l].temporal)
      nest.push_back({{loop.dim, uint64_t(loop.factor), 1}, l, false, {}});
    for (const SpatialLoop &loop : mapping.levels[l].spatial)
      nest.push_back(
          {{loop.dim, uint64_t(loop.factor), 1}, l, true, loop.axis});
  }
  std::vector<int64_t> below(dimCount, 1);
  for (size_t i = nest.size(); i-- > 0;) {
    nest[i].loop.weight = below[nest[i].loop.dim];
    below[nest[i].loop.dim] *= int64_t(nest[i].loop.factor);
  }
  return nest;
}

bool indexedByAny(const Tensor &tensor, const std::vector<NestLoop> &loops) {
  for (const NestLoop &loop : loops)
    if (tensor.isIndexedBy(loop.dim))
      return true;
  return false;
}

/// One way to run the mapping on the array.
struct Candidate {
  SystolicPlan plan;
  int score[4] = {0, 0, 0, 0};
};

} // namespace

bool planSystolic(const Problem &problem, const Arch &arch,
                  const Mapping &mapping, unsigned level,
                  const SystolicTiming &timing, SystolicPlan &plan,
                  std::string &error, unsigned firstStreamLevel) {
  const StorageLevel &storage = arch.levels.at(level);
  const std::string where = "level '" + storage.name + "'";
  if (problem.tensors.size() != 3) {
    error = "a systolic array multiplies two operands into one output; '" +
            problem.name + "' has " + std::to_string(problem.tensors.size()) +
            " tensors";
    return false;
  }
  if (level + 2 != arch.levelCount()) {
    error = where +
            ": the systolic level's children must be the PEs' registers "
            "(the innermost level)";
    return false;
  }
  if (timing.foldOverlap && timing.stationaryBuffers < 2) {
    error = where + ": foldOverlap needs stationaryBuffers: 2 (a PE must "
                    "hold the next fold's stationary word while the current "
                    "fold's last words pass)";
    return false;
  }
  std::vector<Placed> nest = flatten(mapping, unsigned(problem.dims.size()));
  std::vector<NestLoop> xLoops, yLoops, temporal;
  size_t outerTemporal = 0; ///< Temporal loops above firstStreamLevel.
  for (const Placed &placed : nest) {
    if (placed.loop.factor <= 1)
      continue;
    if (placed.spatial && placed.level != level) {
      error = "level '" + arch.levels[placed.level].name +
              "': spatial loops outside the systolic level (several arrays) "
              "are not simulated structurally yet";
      return false;
    }
    if (placed.spatial)
      (placed.axis == SpatialAxis::X ? xLoops : yLoops).push_back(placed.loop);
    else {
      temporal.push_back(placed.loop);
      if (placed.level < firstStreamLevel)
        outerTemporal = temporal.size();
    }
  }

  const unsigned out = problem.outputIndex();
  std::vector<unsigned> inputs;
  for (unsigned t = 0; t < problem.tensors.size(); ++t)
    if (t != out)
      inputs.push_back(t);
  const Tensor &output = problem.tensors[out];
  const unsigned pe = level + 1;

  std::vector<Candidate> candidates;
  std::string reasons;
  for (bool transposed : {false, true}) {
    const std::vector<NestLoop> &rowLoops = transposed ? xLoops : yLoops;
    const std::vector<NestLoop> &colLoops = transposed ? yLoops : xLoops;
    auto inRows = [&](unsigned t) {
      return indexedByAny(problem.tensors[t], rowLoops);
    };
    auto inCols = [&](unsigned t) {
      return indexedByAny(problem.tensors[t], colLoops);
    };
    auto streamOf = [&](const Tensor &held, SystolicPlan &p) {
      size_t split = temporal.size();
      while (split > outerTemporal &&
             !held.isIndexedBy(temporal[split - 1].dim))
        --split;
      p.foldLoops.assign(temporal.begin(), temporal.begin() + split);
      p.streamLoops.assign(temporal.begin() + split, temporal.end());
      p.folds = p.streamSteps = 1;
      for (const NestLoop &loop : p.foldLoops)
        p.folds *= loop.factor;
      for (const NestLoop &loop : p.streamLoops)
        p.streamSteps *= loop.factor;
    };
    auto base = [&](SystolicArray::Mode mode) {
      SystolicPlan p;
      p.level = level;
      p.transposed = transposed;
      p.rows = transposed ? storage.fanout[0] : storage.fanout[1];
      p.cols = transposed ? storage.fanout[1] : storage.fanout[0];
      p.mode = mode;
      p.macLatency =
          unsigned(std::max<uint64_t>(1, arch.compute.pipelineLatency));
      for (unsigned l = 0; l <= level && l < arch.levelCount(); ++l)
        for (const std::optional<double> &rate :
             {arch.levels[l].readBandwidth,
              arch.levels[l].network.linkBandwidth})
          if (rate && *rate > 0 && *rate < 1)
            p.slowestWordCycles = std::max<uint64_t>(
                p.slowestWordCycles, uint64_t(std::ceil(1 / *rate)));
      p.timing = timing;
      p.output = out;
      p.rowLoops = rowLoops;
      p.colLoops = colLoops;
      for (const NestLoop &loop : rowLoops)
        p.rowsUsed *= loop.factor;
      for (const NestLoop &loop : colLoops)
        p.colsUsed *= loop.factor;
      return p;
    };
    // Reduce: one input held, the other moving right along the rows, the
    // partial sums moving down the columns (summing over the rows).
    for (unsigned held : inputs) {
      unsigned moving = held == inputs[0] ? inputs[1] : inputs[0];
      if (inCols(moving) || inRows(out))
        continue;
      Candidate c;
      c.plan = base(SystolicArray::Mode::Reduce);
      c.plan.stationary = int(held);
      c.plan.horizontal = moving;
      c.plan.vertical = out;
      c.plan.dataflow =
          held == inputs[0] ? "input-stationary" : "weight-stationary";
      streamOf(problem.tensors[held], c.plan);
      c.score[0] = 0;
      c.score[1] = mapping.levels[pe].keeps(held) ? 1 : 0;
      c.score[2] = transposed ? 0 : 1;
      c.score[3] = held == inputs[1] ? 2 : 1;
      candidates.push_back(c);
    }
    // Accumulate: the output held, one input moving right, one down.
    if (base(SystolicArray::Mode::Reduce).macLatency == 1)
      for (unsigned right : inputs) {
        unsigned down = right == inputs[0] ? inputs[1] : inputs[0];
        if (inCols(right) || inRows(down))
          continue;
        Candidate c;
        c.plan = base(SystolicArray::Mode::Accumulate);
        c.plan.horizontal = right;
        c.plan.vertical = down;
        c.plan.dataflow = "output-stationary";
        streamOf(output, c.plan);
        c.score[1] = mapping.levels[pe].keeps(out) ? 1 : 0;
        c.score[2] = transposed ? 0 : 1;
        c.score[3] = right == inputs[0] ? 0 : -1;
        candidates.push_back(c);
      }
  }
  if (candidates.empty()) {
    error = where +
            ": no systolic dataflow runs this mapping: a moving operand "
            "must be the same for every PE of a row (or column) and the "
            "output must either stay in the PEs or be summed along one "
            "axis; spread the dimensions so that one input is not indexed "
            "by the columns' dimensions and the output not by the rows'";
    return false;
  }
  // The longest stream (fewest folds) first: the dataflow the loop order
  // implies; then what the mapping keeps in the PEs, then no transposition.
  auto better = [](const Candidate &a, const Candidate &b) {
    if (a.plan.streamSteps != b.plan.streamSteps)
      return a.plan.streamSteps > b.plan.streamSteps;
    for (int i = 1; i < 4; ++i)
      if (a.score[i] != b.score[i])
        return a.score[i] > b.score[i];
    return false;
  };
  plan = std::min_element(candidates.begin(), candidates.end(), better)->plan;
  return true;
}

} // namespace tessel::sim
