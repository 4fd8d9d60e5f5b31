//===- model/NestAnalysis.cpp ---------------------------------------------===//
#include "model/NestAnalysis.h"

#include "arch/Arch.h"
#include "arch/NetworkGraph.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

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

namespace {
/// Storage of the last analysis on this thread, handed to the next.
thread_local NestAnalysis::Buffers spareBuffers;
} // namespace

NestAnalysis::NestAnalysis(const Problem &problem, const Arch &arch,
                           const Mapping &mapping)
    : problem(problem), arch(arch), mapping(mapping), levels(arch.levelCount()),
      dimCount(problem.dims.size()) {
  std::swap(buffers, spareBuffers);
  nest.clear();
  size_t loopCount = 0;
  for (const LevelMapping &level : mapping.levels)
    loopCount += level.temporal.size() + level.spatial.size();
  nest.reserve(loopCount);
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    for (const Loop &loop : mapping.levels[l].temporal)
      nest.push_back({loop.dim, loop.factor, 1, l, false, SpatialAxis::X});
    for (const SpatialLoop &loop : mapping.levels[l].spatial)
      nest.push_back({loop.dim, loop.factor, 1, l, true, loop.axis});
  }
  // Inner to outer: strides, and each level's tile extents (the product of
  // the factors at and below it).
  extents.assign(size_t(levels + 1) * dimCount, 1);
  std::vector<int64_t> &inner = scratchReset; // Free until the queries.
  inner.assign(dimCount, 1);
  size_t next = nest.size();
  for (unsigned l = levels; l-- > 0;) {
    while (next > 0 && nest[next - 1].level == l) {
      NestLoop &loop = nest[--next];
      loop.stride = inner[loop.dim];
      inner[loop.dim] = counts.mul(inner[loop.dim], loop.factor);
    }
    std::copy(inner.begin(), inner.end(), extents.begin() + l * dimCount);
  }
  // Outer to inner: active instances, temporal steps, spatial loops per
  // level.
  active.assign(levels + 1, 1);
  spatialLoops.assign(levels, 0);
  for (const NestLoop &loop : nest) {
    if (loop.spatial) {
      active[loop.level + 1] =
          counts.mul(active[loop.level + 1], uint64_t(loop.factor));
      ++spatialLoops[loop.level];
    } else {
      steps = counts.mul(steps, uint64_t(loop.factor));
    }
  }
  for (unsigned l = 1; l <= levels; ++l)
    active[l] = counts.mul(active[l], active[l - 1]);
  // Each network by what its hop counts depend on, for groupTraffic's memo.
  networkKeys.clear();
  for (const StorageLevel &level : arch.levels) {
    const Network &n = level.network;
    uint64_t tree = n.graph ? n.graph->fingerprint() : 0;
    networkKeys.push_back(
        int64_t((tree ^ (uint64_t(level.fanout[0]) << 2) ^
                 (uint64_t(n.multicast) << 1) ^ uint64_t(n.reduction)) *
                1099511628211ull));
  }
}

NestAnalysis::~NestAnalysis() { std::swap(buffers, spareBuffers); }

uint64_t NestAnalysis::activeInstances(unsigned level) const {
  return active[level];
}

uint64_t NestAnalysis::epochs(unsigned level) const {
  uint64_t tiles = 1;
  for (const NestLoop &loop : nest)
    if (!loop.spatial && loop.level < level)
      tiles = counts.mul(tiles, uint64_t(loop.factor));
  return tiles;
}

uint64_t NestAnalysis::executedMacs() const {
  return counts.mul(steps, active[levels]);
}

void NestAnalysis::spans(unsigned level, unsigned tensor,
                         std::vector<int64_t> &out) const {
  out.clear();
  const int64_t *extent = &extents[level * dimCount];
  for (const Projection &coordinate : problem.tensors[tensor].projection) {
    int64_t span = 1;
    for (const ProjectionTerm &term : coordinate.terms)
      span = counts.add(
          span, counts.mul(term.coefficient < 0 ? counts.sub<int64_t>(
                                                      0, term.coefficient)
                                                : term.coefficient,
                           extent[term.dim] - 1));
    out.push_back(span);
  }
}

uint64_t NestAnalysis::tileWords(unsigned level, unsigned tensor) const {
  std::vector<int64_t> &span = scratchSpan;
  spans(level, tensor, span);
  uint64_t words = 1;
  for (int64_t s : span)
    words = counts.mul(words, uint64_t(s));
  return words;
}

uint64_t NestAnalysis::enteringWords(unsigned level, unsigned tensor,
                                     bool wrapReuse) const {
  const Tensor &t = problem.tensors[tensor];
  std::vector<int64_t> &span = scratchSpan;
  spans(level, tensor, span);
  uint64_t tile = 1;
  for (int64_t s : span)
    tile = counts.mul(tile, uint64_t(s));

  // The temporal loops above `level` run outer to inner; walk them inner to
  // outer. `trips` is the product of the factors of the loops outside the
  // current one; `reset` how far each dimension rewinds when every loop
  // inside the current one wraps.
  uint64_t trips = 1;
  size_t innermost = nest.size();
  for (size_t i = 0; i < nest.size(); ++i) {
    const NestLoop &loop = nest[i];
    if (!loop.spatial && loop.level < level && loop.factor > 1) {
      trips = counts.mul(trips, uint64_t(loop.factor));
      innermost = i;
    }
  }
  std::vector<int64_t> &reset = scratchReset;
  std::fill(reset.begin(), reset.end(), 0);
  uint64_t usedDims = 0; // Bit d: the tensor's coordinates use dimension d.
  for (const Projection &coordinate : t.projection)
    for (const ProjectionTerm &term : coordinate.terms)
      usedDims |= uint64_t(1) << (term.dim & 63);
  bool rewound = false; // Whether some used dimension has been rewound.
  uint64_t total = tile;
  for (size_t i = nest.size(); i-- > 0;) {
    const NestLoop &loop = nest[i];
    if (loop.spatial || loop.level >= level || loop.factor <= 1)
      continue;
    trips /= uint64_t(loop.factor);
    bool moves = (usedDims >> (loop.dim & 63)) & 1;
    if (!moves && !rewound)
      continue; // The box stays where it is: nothing enters.
    rewound |= moves;
    // Advancing `loop` moves its dimension by one stride and rewinds every
    // loop inside it: the box moves by a fixed offset per coordinate.
    uint64_t overlap = 1;
    for (size_t c = 0; c < t.projection.size() && overlap; ++c) {
      int64_t offset = 0;
      for (const ProjectionTerm &term : t.projection[c].terms)
        offset = counts.add(
            offset,
            counts.mul(term.coefficient,
                       counts.sub((term.dim == loop.dim ? loop.stride : 0),
                                  reset[term.dim])));
      int64_t kept = counts.sub(span[c], offset < 0 ? counts.sub<int64_t>(
                                                          0, offset)
                                                    : offset);
      overlap = counts.mul(overlap, kept > 0 ? uint64_t(kept) : 0);
    }
    uint64_t entering = tile - overlap;
    if (!wrapReuse && entering != 0 && i != innermost)
      entering = tile;
    counts.accumulate(total,
                      counts.mul(trips, uint64_t(loop.factor - 1), entering));
    reset[loop.dim] = counts.add(reset[loop.dim],
                                 counts.mul(loop.factor - 1, loop.stride));
  }
  return total;
}

uint64_t NestAnalysis::visitedWords(unsigned level, unsigned tensor) const {
  std::vector<int64_t> &extent = scratchReset;
  extent.assign(extents.begin() + level * dimCount,
                extents.begin() + (level + 1) * dimCount);
  for (const NestLoop &loop : nest)
    if (!loop.spatial && loop.level < level)
      extent[loop.dim] = counts.mul(extent[loop.dim], loop.factor);
  uint64_t words = problem.footprint(tensor, extent);
  if (words == std::numeric_limits<uint64_t>::max())
    counts.markOverflow(); // footprint() saturated.
  return words;
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

namespace {

/// What groupTraffic's answer depends on: the network, and for each spatial
/// loop between the supplier and the level whether it spreads over the
/// supplier's own children, its axis, factor and coordinate offsets.
struct TrafficKey {
  // Two independent 64-bit hashes of the values pushed: a 128-bit
  // fingerprint (a collision would need ~2^64 distinct keys), so the memo
  // compares 16 bytes instead of the whole list.
  uint64_t first = 1469598103934665603ull;
  uint64_t second = 0x9e3779b97f4a7c15ull;

  void push(int64_t value) {
    first = (first ^ uint64_t(value)) * 1099511628211ull;
    second = (second + uint64_t(value) + 0x9e3779b97f4a7c15ull) *
             0xbf58476d1ce4e5b9ull;
    second ^= second >> 31;
  }
  bool operator==(const TrafficKey &other) const {
    return first == other.first && second == other.second;
  }
};

struct TrafficKeyHash {
  size_t operator()(const TrafficKey &key) const { return size_t(key.first); }
};

using TrafficMemo =
    std::unordered_map<TrafficKey, GroupTraffic, TrafficKeyHash>;

/// Per-thread memo of groupTraffic: searches evaluate many mappings with
/// the same spatial structure. Bounded: cleared when it grows large.
TrafficMemo &trafficMemo() {
  thread_local TrafficMemo memo;
  if (memo.size() > 200000)
    memo.clear();
  return memo;
}

} // namespace

GroupTraffic NestAnalysis::groupTraffic(unsigned supplier, unsigned level,
                                        unsigned tensor) const {
  const Network &network = arch.levels[supplier].network;
  bool anySpatial = false;
  for (unsigned l = supplier; l < level; ++l)
    anySpatial |= spatialLoops[l] != 0;
  if (!anySpatial) {
    // One instance below: every transfer is a unicast to or from child 0.
    uint64_t down = network.unicastHops(0);
    return {1, down, network.drainHops(0), down};
  }
  // The network by what its hop counts depend on (never by address: an
  // Arch freed and another built in its place must not share entries).
  TrafficKey key;
  key.push(networkKeys[supplier]);
  key.push(int64_t(level) - int64_t(supplier));
  for (const NestLoop &loop : nest) {
    if (!loop.spatial || loop.level < supplier || loop.level >= level)
      continue;
    key.push(loop.level == supplier);
    key.push(int64_t(loop.axis));
    key.push(loop.factor);
    for (const Projection &coordinate : problem.tensors[tensor].projection)
      key.push(coordinate.coefficientOf(loop.dim) * loop.stride);
  }
  TrafficMemo &memo = trafficMemo();
  auto found = memo.find(key);
  if (found != memo.end())
    return found->second;
  GroupTraffic traffic = enumerateGroups(supplier, level, tensor);
  memo.emplace(key, traffic);
  return traffic;
}

GroupTraffic NestAnalysis::enumerateGroups(unsigned supplier, unsigned level,
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
