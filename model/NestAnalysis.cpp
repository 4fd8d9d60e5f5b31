//===- model/NestAnalysis.cpp ---------------------------------------------===//
#include "model/NestAnalysis.h"

#include "arch/Arch.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>
#include <set>

namespace tessel {
namespace {

/// The spatial loops with level in [from, to), and for each the offset it
/// adds to each coordinate of `tensor` per step.
struct SpatialContribution {
  const NestLoop *loop;
  std::vector<int64_t> offset; ///< Per coordinate.
  bool moves() const {
    return std::any_of(offset.begin(), offset.end(),
                       [](int64_t v) { return v != 0; });
  }
};

std::vector<SpatialContribution>
spatialContributions(const std::vector<NestLoop> &nest, const Tensor &tensor,
                     unsigned from, unsigned to) {
  std::vector<SpatialContribution> result;
  for (const NestLoop &loop : nest) {
    if (!loop.spatial || loop.level < from || loop.level >= to)
      continue;
    SpatialContribution contribution{&loop, {}};
    for (const Projection &coordinate : tensor.projection)
      contribution.offset.push_back(coordinate.coefficientOf(loop.dim) *
                                    loop.stride);
    result.push_back(std::move(contribution));
  }
  return result;
}

/// Calls `visit(indices)` for every combination of the loops' indices.
template <typename Visit>
void forEachCombination(const std::vector<const NestLoop *> &loops,
                        Visit visit) {
  std::vector<int64_t> index(loops.size(), 0);
  while (true) {
    visit(index);
    size_t i = loops.size();
    while (i > 0) {
      --i;
      if (++index[i] < loops[i]->factor)
        break;
      index[i] = 0;
      if (i == 0)
        return;
    }
    if (loops.empty())
      return;
  }
}

} // namespace

NestAnalysis::NestAnalysis(const Problem &problem, const Arch &arch,
                           const Mapping &mapping)
    : problem(problem), arch(arch), mapping(mapping),
      levels(arch.levelCount()) {
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    for (const Loop &loop : mapping.levels[l].temporal)
      nest.push_back({loop.dim, loop.factor, 1, l, false, SpatialAxis::X});
    for (const SpatialLoop &loop : mapping.levels[l].spatial)
      nest.push_back({loop.dim, loop.factor, 1, l, true, loop.axis});
  }
  unsigned dimCount = problem.dims.size();
  std::vector<int64_t> inner(dimCount, 1);
  for (size_t i = nest.size(); i-- > 0;) {
    nest[i].stride = inner[nest[i].dim];
    inner[nest[i].dim] *= nest[i].factor;
  }
  extents.assign(levels + 1, std::vector<int64_t>(dimCount, 1));
  for (unsigned l = levels; l-- > 0;) {
    extents[l] = extents[l + 1];
    for (const NestLoop &loop : nest)
      if (loop.level == l)
        extents[l][loop.dim] *= loop.factor;
  }
  active.assign(levels + 1, 1);
  for (unsigned l = 1; l <= levels; ++l) {
    active[l] = active[l - 1];
    for (const NestLoop &loop : nest)
      if (loop.spatial && loop.level == l - 1)
        active[l] *= uint64_t(loop.factor);
  }
  for (const NestLoop &loop : nest)
    if (!loop.spatial)
      steps *= uint64_t(loop.factor);
}

uint64_t NestAnalysis::activeInstances(unsigned level) const {
  return active[level];
}

uint64_t NestAnalysis::executedMacs() const { return steps * active[levels]; }

void NestAnalysis::spans(unsigned level, unsigned tensor,
                         std::vector<int64_t> &out) const {
  out.clear();
  const std::vector<int64_t> &extent = extents[level];
  for (const Projection &coordinate : problem.tensors[tensor].projection) {
    int64_t span = 1;
    for (const ProjectionTerm &term : coordinate.terms)
      span += std::llabs(term.coefficient) * (extent[term.dim] - 1);
    out.push_back(span);
  }
}

uint64_t NestAnalysis::tileWords(unsigned level, unsigned tensor) const {
  std::vector<int64_t> span;
  spans(level, tensor, span);
  uint64_t words = 1;
  for (int64_t s : span)
    words *= uint64_t(s);
  return words;
}

uint64_t NestAnalysis::enteringWords(unsigned level, unsigned tensor,
                                     bool wrapReuse) const {
  const Tensor &t = problem.tensors[tensor];
  std::vector<int64_t> span;
  spans(level, tensor, span);
  uint64_t tile = 1;
  for (int64_t s : span)
    tile *= uint64_t(s);

  // The temporal loops above `level`, outer to inner.
  std::vector<const NestLoop *> outer;
  for (const NestLoop &loop : nest)
    if (!loop.spatial && loop.level < level && loop.factor > 1)
      outer.push_back(&loop);
  std::vector<uint64_t> before(outer.size() + 1, 1); // trips of loops < i
  for (size_t i = 0; i < outer.size(); ++i)
    before[i + 1] = before[i] * uint64_t(outer[i]->factor);

  uint64_t total = tile;
  std::vector<int64_t> reset(problem.dims.size(), 0);
  std::vector<int64_t> shift(problem.dims.size());
  for (size_t i = outer.size(); i-- > 0;) {
    const NestLoop &loop = *outer[i];
    // Advancing `loop` moves its dimension by one stride and rewinds every
    // loop inside it.
    for (size_t d = 0; d < shift.size(); ++d)
      shift[d] = -reset[d];
    shift[loop.dim] += loop.stride;
    uint64_t overlap = 1;
    for (size_t c = 0; c < t.projection.size(); ++c) {
      int64_t offset = 0;
      for (const ProjectionTerm &term : t.projection[c].terms)
        offset += term.coefficient * shift[term.dim];
      int64_t kept = span[c] - std::llabs(offset);
      overlap *= kept > 0 ? uint64_t(kept) : 0;
    }
    uint64_t entering = tile - overlap;
    if (!wrapReuse && entering != 0 && i + 1 != outer.size())
      entering = tile;
    total += before[i] * uint64_t(loop.factor - 1) * entering;
    reset[loop.dim] += (loop.factor - 1) * loop.stride;
  }
  return total;
}

uint64_t NestAnalysis::visitedWords(unsigned level, unsigned tensor) const {
  std::vector<int64_t> extent = extents[level];
  for (const NestLoop &loop : nest)
    if (!loop.spatial && loop.level < level)
      extent[loop.dim] *= loop.factor;
  return problem.footprint(tensor, extent);
}

uint64_t NestAnalysis::distinctBoxes(unsigned supplier, unsigned level,
                                     unsigned tensor) const {
  std::vector<SpatialContribution> contributions =
      spatialContributions(nest, problem.tensors[tensor], supplier, level);
  contributions.erase(
      std::remove_if(contributions.begin(), contributions.end(),
                     [](const SpatialContribution &c) { return !c.moves(); }),
      contributions.end());
  // Loops that move disjoint coordinates multiply; loops that move a shared
  // coordinate (e.g. oh and kh both moving an input row) can coincide, so
  // their combinations are counted.
  size_t n = contributions.size();
  std::vector<size_t> component(n);
  std::iota(component.begin(), component.end(), 0);
  auto find = [&](size_t x) {
    while (component[x] != x)
      x = component[x] = component[component[x]];
    return x;
  };
  for (size_t a = 0; a < n; ++a)
    for (size_t b = a + 1; b < n; ++b)
      for (size_t c = 0; c < contributions[a].offset.size(); ++c)
        if (contributions[a].offset[c] != 0 && contributions[b].offset[c] != 0)
          component[find(a)] = find(b);
  uint64_t distinct = 1;
  for (size_t root = 0; root < n; ++root) {
    if (find(root) != root)
      continue;
    std::vector<const NestLoop *> loops;
    std::vector<const SpatialContribution *> members;
    for (size_t i = 0; i < n; ++i)
      if (find(i) == root) {
        loops.push_back(contributions[i].loop);
        members.push_back(&contributions[i]);
      }
    if (loops.size() == 1) {
      distinct *= uint64_t(loops[0]->factor);
      continue;
    }
    std::set<std::vector<int64_t>> origins;
    forEachCombination(loops, [&](const std::vector<int64_t> &index) {
      std::vector<int64_t> origin(members[0]->offset.size(), 0);
      for (size_t m = 0; m < members.size(); ++m)
        for (size_t c = 0; c < origin.size(); ++c)
          origin[c] += index[m] * members[m]->offset[c];
      origins.insert(origin);
    });
    distinct *= origins.size();
  }
  return distinct;
}

GroupTraffic NestAnalysis::groupTraffic(unsigned supplier, unsigned level,
                                        unsigned tensor) const {
  std::vector<SpatialContribution> contributions =
      spatialContributions(nest, problem.tensors[tensor], supplier, level);
  std::vector<const NestLoop *> loops;
  for (const SpatialContribution &c : contributions)
    loops.push_back(c.loop);
  const StorageLevel &source = arch.levels[supplier];
  // Group members by box origin; note which of the supplier's children
  // each member sits under (children are numbered x-fastest).
  std::map<std::vector<int64_t>, std::vector<unsigned>> groups;
  std::map<std::vector<int64_t>, unsigned> leaders;
  size_t coordinates = problem.tensors[tensor].projection.size();
  forEachCombination(loops, [&](const std::vector<int64_t> &index) {
    std::vector<int64_t> origin(coordinates, 0);
    int64_t x = 0, y = 0, xScale = 1, yScale = 1;
    for (size_t m = loops.size(); m-- > 0;) {
      for (size_t c = 0; c < coordinates; ++c)
        origin[c] += index[m] * contributions[m].offset[c];
      if (loops[m]->level != supplier)
        continue;
      if (loops[m]->axis == SpatialAxis::X) {
        x += index[m] * xScale;
        xScale *= loops[m]->factor;
      } else {
        y += index[m] * yScale;
        yScale *= loops[m]->factor;
      }
    }
    unsigned child = unsigned(x + y * int64_t(source.fanout[0]));
    groups[origin].push_back(child);
    leaders.emplace(origin, child);
  });
  GroupTraffic traffic;
  traffic.groups = groups.size();
  for (auto &[origin, children] : groups) {
    std::sort(children.begin(), children.end());
    children.erase(std::unique(children.begin(), children.end()),
                   children.end());
    traffic.multicastHops += source.network.multicastHops(children);
    traffic.reductionHops += source.network.reductionHops(children);
    traffic.leaderHops += source.network.unicastHops(leaders[origin]);
  }
  return traffic;
}

bool NestAnalysis::pathCanMulticast(unsigned supplier, unsigned level) const {
  for (unsigned j = supplier; j < level && j < levels; ++j)
    if (!mapping.levels[j].spatial.empty() && !arch.levels[j].network.multicast)
      return false;
  return true;
}

bool NestAnalysis::pathCanReduce(unsigned supplier, unsigned level) const {
  for (unsigned j = supplier; j < level && j < levels; ++j)
    if (!mapping.levels[j].spatial.empty() && !arch.levels[j].network.reduction)
      return false;
  return true;
}

unsigned NestAnalysis::supplierOf(unsigned level, unsigned tensor) const {
  for (unsigned k = level; k-- > 0;)
    if (mapping.levels[k].keeps(tensor))
      return k;
  return 0;
}

unsigned NestAnalysis::innermostKeeper(unsigned tensor) const {
  return supplierOf(levels, tensor);
}

} // namespace tessel
