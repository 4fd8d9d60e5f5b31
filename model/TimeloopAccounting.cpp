//===- model/TimeloopAccounting.cpp - Access counts by Timeloop's rules ---===//
#include "model/TimeloopAccounting.h"

#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

#include <cstdlib>

namespace tessel {
namespace {

/// Where one instance's tile of a tensor was last, and the translation it
/// moved by since the one before (none: the first step, or after a reset).
struct TileHistory {
  bool seen = false;
  bool hasTranslation = false;
  std::vector<int64_t> low, translation;
};

/// Walks the temporal loops above `level` as Timeloop samples them (the
/// first iteration once, the second weighted by the remaining trips) and
/// sums, for one instance, the words of `tensor` that enter its tile.
class DeltaWalk {
public:
  DeltaWalk(const Problem &problem, const NestAnalysis &nest, unsigned level,
            unsigned tensor)
      : counts(nest.arithmetic()), tensor(problem.tensors[tensor]),
        tile(nest.tileWords(level, tensor)) {
    for (const NestLoop &loop : nest.loops())
      if (!loop.spatial && loop.level < level && loop.factor > 1)
        loops.push_back(&loop);
    std::vector<int64_t> extents;
    for (unsigned d = 0; d < problem.dims.size(); ++d)
      extents.push_back(nest.tileExtent(level, d));
    for (const Projection &coordinate : this->tensor.projection)
      spans.push_back(spanOf(coordinate, extents.data()));
    origin.assign(problem.dims.size(), 0);
  }

  uint64_t run() {
    visit(0, 1);
    return total;
  }

private:
  CheckedCounts &counts;
  const Tensor &tensor;
  uint64_t tile;
  std::vector<const NestLoop *> loops;
  std::vector<int64_t> spans, origin;
  TileHistory history;
  uint64_t total = 0;

  void visit(size_t index, uint64_t weight) {
    if (index == loops.size())
      return step(weight);
    const NestLoop &loop = *loops[index];
    visit(index + 1, weight);
    origin[loop.dim] += loop.stride;
    visit(index + 1, counts.mul(weight, uint64_t(loop.factor - 1)));
    origin[loop.dim] -= loop.stride;
  }

  /// The words of the tile at `low` outside the tile at `low - moved`.
  uint64_t entering(const std::vector<int64_t> &moved) const {
    uint64_t kept = 1;
    for (size_t c = 0; c < spans.size(); ++c) {
      int64_t overlap = spans[c] - std::llabs(moved[c]);
      kept = counts.mul(kept, overlap > 0 ? uint64_t(overlap) : 0);
    }
    return tile - kept;
  }

  void step(uint64_t weight) {
    std::vector<int64_t> low;
    for (const Projection &coordinate : tensor.projection) {
      int64_t value = 0;
      for (const ProjectionTerm &term : coordinate.terms)
        value += term.coefficient * origin[term.dim];
      low.push_back(value);
    }
    uint64_t delta = tile;
    if (history.seen) {
      std::vector<int64_t> moved(low.size());
      for (size_t c = 0; c < low.size(); ++c)
        moved[c] = low[c] - history.low[c];
      if (!history.hasTranslation) {
        delta = entering(moved);
        history.hasTranslation = true;
        history.translation = moved;
      } else if (moved == history.translation) {
        delta = entering(moved);
      } else {
        history.hasTranslation = false; // The stride changed: refetch.
      }
    }
    history.seen = true;
    history.low = std::move(low);
    counts.accumulate(total, counts.mul(delta, weight));
  }
};

/// Words of the box `tensor` spans under all of `level`'s spatial loops
/// (the tile of the level below, times this level's spatial factors).
uint64_t spatialSpanWords(const Problem &problem, const NestAnalysis &nest,
                          unsigned level, unsigned tensor) {
  std::vector<int64_t> extents;
  for (unsigned d = 0; d < problem.dims.size(); ++d)
    extents.push_back(nest.tileExtent(level + 1, d));
  for (const NestLoop &loop : nest.loops())
    if (loop.spatial && loop.level == level)
      extents[loop.dim] *= loop.factor;
  return problem.footprint(tensor, extents);
}

bool spreads(const NestAnalysis &nest, unsigned level) {
  for (const NestLoop &loop : nest.loops())
    if (loop.spatial && loop.level == level && loop.factor > 1)
      return true;
  return false;
}

void countTensor(const Problem &problem, const Mapping &mapping,
                 const NestAnalysis &nest, Report &report, unsigned tensor) {
  CheckedCounts &c = nest.arithmetic();
  unsigned levels = nest.levelCount();
  bool isOutput = tensor == problem.outputIndex();
  // Per instance: words entering each level's tile (level `levels` stands
  // for the compute units, one word per step), distinct groups among each
  // level's children, tile and partition sizes.
  std::vector<uint64_t> entering(levels + 1), groups(levels), size(levels),
      partition(levels), content(levels);
  entering[levels] = nest.temporalSteps();
  for (unsigned l = 1; l < levels; ++l)
    entering[l] = DeltaWalk(problem, nest, l, tensor).run();
  for (unsigned l = 0; l < levels; ++l) {
    groups[l] = nest.distinctBoxes(l, l + 1, tensor);
    size[l] = nest.tileWords(l, tensor);
    content[l] = c.mul(groups[l], entering[l + 1]);
  }
  partition[0] = size[0];
  for (unsigned l = 1; l < levels; ++l) {
    uint64_t share = c.mul(partition[l - 1], size[l]);
    uint64_t denominator = spreads(nest, l - 1)
                               ? spatialSpanWords(problem, nest, l - 1, tensor)
                               : size[l];
    partition[l] = denominator ? share / denominator : 0;
  }
  // A bypassed level hands its children's accesses to its parent, once per
  // distinct group of the parent's children.
  for (unsigned l = levels; l-- > 1;)
    if (!mapping.levels[l].keeps(tensor))
      content[l - 1] = c.mul(groups[l - 1], content[l]);
  for (unsigned l = 0; l < levels; ++l) {
    uint64_t instances = nest.activeInstances(l);
    TensorActions &actions = report.actions.at(l, tensor);
    c.accumulate(actions.networkWords, c.mul(instances, content[l]));
    if (!mapping.levels[l].keeps(tensor))
      continue;
    uint64_t fills = l == 0 ? 0 : entering[l];
    c.accumulate(actions.fills, c.mul(instances, fills));
    if (isOutput) {
      c.accumulate(actions.updates, c.mul(instances, content[l]));
      uint64_t reads =
          content[l] > partition[l] ? content[l] - partition[l] : 0;
      c.accumulate(actions.reads, c.mul(instances, reads));
    } else {
      c.accumulate(actions.reads, c.mul(instances, content[l]));
    }
  }
}

} // namespace

void countAccessesTimeloop(const Problem &problem, const Mapping &mapping,
                           const NestAnalysis &nest, Report &report) {
  for (unsigned t = 0; t < problem.tensors.size(); ++t)
    countTensor(problem, mapping, nest, report, t);
}

} // namespace tessel
