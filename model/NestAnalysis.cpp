//===- model/NestAnalysis.cpp ---------------------------------------------===//
#include "model/NestAnalysis.h"

#include "model/ClippedNest.h"

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

/// The moving contributions in groups that move a shared coordinate (e.g.
/// oh and kh both moving an input row): loops of different groups move
/// disjoint coordinates.
std::vector<std::vector<size_t>>
componentsOf(const std::vector<SpatialContribution> &contributions) {
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
  std::vector<std::vector<size_t>> groups;
  for (size_t root = 0; root < n; ++root) {
    if (find(root) != root || !contributions[root].moves())
      continue;
    groups.emplace_back();
    for (size_t i = 0; i < n; ++i)
      if (find(i) == root)
        groups.back().push_back(i);
  }
  return groups;
}

/// The distinct origins the loops of one component give a box.
std::set<std::vector<int64_t>>
originsOf(const std::vector<SpatialContribution> &contributions,
          const std::vector<size_t> &members) {
  std::vector<const NestLoop *> loops;
  for (size_t m : members)
    loops.push_back(contributions[m].loop);
  size_t coordinates = contributions[members[0]].offset.size();
  std::set<std::vector<int64_t>> origins;
  forEachCombination(loops, [&](const std::vector<int64_t> &index) {
    std::vector<int64_t> origin(coordinates, 0);
    for (size_t m = 0; m < members.size(); ++m)
      for (size_t c = 0; c < coordinates; ++c)
        origin[c] += index[m] * contributions[members[m]].offset[c];
    origins.insert(origin);
  });
  return origins;
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
  clipping = !clippedDims(problem, mapping).empty();
  if (clipping)
    steps = clippedTuples([](size_t) { return true; });
  resetMemos();
  // Each network by what its hop counts depend on, for groupTraffic's memo,
  // and its traffic to a single child.
  networkKeys.clear();
  trivialTraffic.clear();
  for (const StorageLevel &level : arch.levels) {
    const Network &n = level.network;
    uint64_t tree = n.graph ? n.graph->fingerprint() : 0;
    networkKeys.push_back(
        int64_t((tree ^ (uint64_t(level.fanout[0]) << 2) ^
                 (uint64_t(n.multicast) << 1) ^ uint64_t(n.reduction)) *
                1099511628211ull));
    GroupTraffic one;
    one.groups = one.childPairs = 1;
    one.multicastHops = one.leaderHops = n.unicastHops(0);
    one.reductionHops = one.drainHops = n.drainHops(0);
    trivialTraffic.push_back(one);
  }
}

NestAnalysis::~NestAnalysis() { std::swap(buffers, spareBuffers); }

uint64_t NestAnalysis::activeInstances(unsigned level) const {
  return active[level];
}

template <typename Keep> uint64_t NestAnalysis::clippedTuples(Keep keep) const {
  uint64_t product = 1;
  std::vector<size_t> loops;
  for (unsigned d = 0; d < dimCount; ++d) {
    loops.clear();
    for (size_t i = 0; i < nest.size(); ++i)
      if (!nest[i].spatial && nest[i].dim == d && nest[i].factor > 1 && keep(i))
        loops.push_back(i);
    product = counts.mul(
        product, clipped::executedCount(nest, loops, problem.dims[d].bound));
  }
  return product;
}

uint64_t NestAnalysis::tileChanges(unsigned level, size_t loop) const {
  auto outside = [&](size_t i) { return i < loop && nest[i].level < level; };
  if (!clipping) {
    uint64_t trips = 1;
    for (size_t i = 0; i < loop; ++i)
      if (!nest[i].spatial && outside(i))
        trips = counts.mul(trips, uint64_t(nest[i].factor));
    return counts.mul(trips, uint64_t(nest[loop].factor - 1));
  }
  // Tuples with the loop included, less those where it is at its first
  // index (its outer loops' tuples): each of the others is one advance.
  uint64_t with =
      clippedTuples([&](size_t i) { return outside(i) || i == loop; });
  uint64_t without = clippedTuples(outside);
  return counts.sub(with, without);
}

uint64_t NestAnalysis::epochs(unsigned level) const {
  if (clipping)
    return clippedTuples([&](size_t i) { return nest[i].level < level; });
  uint64_t tiles = 1;
  for (const NestLoop &loop : nest)
    if (!loop.spatial && loop.level < level)
      tiles = counts.mul(tiles, uint64_t(loop.factor));
  return tiles;
}

uint64_t NestAnalysis::executedMacs() const {
  if (clipping) { // Every point inside the bounds runs once.
    uint64_t macs = 1;
    for (const Dimension &dim : problem.dims)
      macs = counts.mul(macs, uint64_t(dim.bound));
    return macs;
  }
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
          span, counts.mul(term.coefficient < 0
                               ? counts.sub<int64_t>(0, term.coefficient)
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

template <typename Visit>
void NestAnalysis::forEachEntering(unsigned level, unsigned tensor,
                                   bool wrapReuse, Visit visit) const {
  const Tensor &t = problem.tensors[tensor];
  std::vector<int64_t> &span = scratchSpan;
  spans(level, tensor, span);
  uint64_t tile = 1;
  for (int64_t s : span)
    tile = counts.mul(tile, uint64_t(s));
  visit(uint64_t(1), static_cast<const int64_t *>(nullptr), tile);

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
  std::vector<int64_t> &offsets = scratchOffset;
  offsets.resize(t.projection.size());
  uint64_t usedDims = 0; // Bit d: the tensor's coordinates use dimension d.
  for (const Projection &coordinate : t.projection)
    for (const ProjectionTerm &term : coordinate.terms)
      usedDims |= uint64_t(1) << (term.dim & 63);
  bool rewound = false; // Whether some used dimension has been rewound.
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
    for (size_t c = 0; c < t.projection.size(); ++c) {
      int64_t offset = 0;
      for (const ProjectionTerm &term : t.projection[c].terms)
        offset = counts.add(
            offset,
            counts.mul(term.coefficient,
                       counts.sub((term.dim == loop.dim ? loop.stride : 0),
                                  reset[term.dim])));
      offsets[c] = offset;
      int64_t kept = counts.sub(
          span[c], offset < 0 ? counts.sub<int64_t>(0, offset) : offset);
      overlap = counts.mul(overlap, kept > 0 ? uint64_t(kept) : 0);
    }
    uint64_t entering = tile - overlap;
    const int64_t *moved = offsets.data();
    if (!wrapReuse && entering != 0 && i != innermost) {
      entering = tile;
      moved = nullptr;
    }
    if (entering != 0)
      visit(counts.mul(trips, uint64_t(loop.factor - 1)), moved, entering);
    reset[loop.dim] =
        counts.add(reset[loop.dim], counts.mul(loop.factor - 1, loop.stride));
  }
}

uint64_t NestAnalysis::enteringWords(unsigned level, unsigned tensor,
                                     bool wrapReuse) const {
  uint64_t total = 0;
  forEachEntering(level, tensor, wrapReuse,
                  [&](uint64_t weight, const int64_t *, uint64_t entering) {
                    counts.accumulate(total, counts.mul(weight, entering));
                  });
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
  // Loops that move disjoint coordinates multiply; loops that move a shared
  // coordinate can coincide, so their combinations are counted.
  uint64_t distinct = 1;
  for (const std::vector<size_t> &members : componentsOf(contributions))
    distinct *= members.size() == 1
                    ? uint64_t(contributions[members[0]].loop->factor)
                    : originsOf(contributions, members).size();
  return distinct;
}

namespace {

/// What groupTraffic's answer depends on: the network, and for each spatial
/// loop between `from` and the level whether it spreads over the network's
/// own children, its axis, factor and coordinate offsets.
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

/// Pushes what a memo key needs of the spatial loops of levels [from,
/// level): each one's level (relative to `network`), axis, factor and the
/// offset it moves each of `tensor`'s coordinates by.
void pushSpatialLoops(TrafficKey &key, const std::vector<NestLoop> &nest,
                      const Tensor &tensor, unsigned from, unsigned network,
                      unsigned level) {
  for (const NestLoop &loop : nest) {
    if (!loop.spatial || loop.level < from || loop.level >= level)
      continue;
    key.push(int64_t(loop.level) - int64_t(network));
    key.push(int64_t(loop.axis));
    key.push(loop.factor);
    for (const Projection &coordinate : tensor.projection)
      key.push(coordinate.coefficientOf(loop.dim) * loop.stride);
  }
}

struct TrafficKeyHash {
  size_t operator()(const TrafficKey &key) const { return size_t(key.first); }
};

struct TrafficEntry {
  GroupTraffic traffic;
  std::vector<int64_t> closest; ///< traffic.closest points here.
};

/// Per-thread memos of groupTraffic and of overlappingLoad: searches
/// evaluate many mappings with the same spatial structure. Entries are
/// stable (node-based) and cleared, when the memo grows large, only when
/// an analysis starts, so an answer lives as long as its analysis.
std::unordered_map<TrafficKey, TrafficEntry, TrafficKeyHash> &trafficMemo() {
  thread_local std::unordered_map<TrafficKey, TrafficEntry, TrafficKeyHash>
      memo;
  return memo;
}
std::unordered_map<TrafficKey, NetworkLoad, TrafficKeyHash> &loadMemo() {
  thread_local std::unordered_map<TrafficKey, NetworkLoad, TrafficKeyHash> memo;
  return memo;
}

/// Keeps the vectors of `candidates` (flat, `width` each) that no other
/// one is below or equal to in every coordinate (and drops duplicates).
void keepMinimal(std::vector<int64_t> &candidates, size_t width) {
  size_t n = width ? candidates.size() / width : 0;
  std::vector<int64_t> kept;
  for (size_t a = 0; a < n; ++a) {
    const int64_t *va = &candidates[a * width];
    bool dominated = false;
    for (size_t b = 0; b < n && !dominated; ++b) {
      if (a == b)
        continue;
      const int64_t *vb = &candidates[b * width];
      bool below = true, equal = true;
      for (size_t c = 0; c < width; ++c) {
        below &= vb[c] <= va[c];
        equal &= vb[c] == va[c];
      }
      dominated = below && (!equal || b < a);
    }
    if (!dominated)
      kept.insert(kept.end(), va, va + width);
  }
  candidates.swap(kept);
}

} // namespace

void NestAnalysis::resetMemos() {
  if (trafficMemo().size() > 200000)
    trafficMemo().clear();
  if (loadMemo().size() > 200000)
    loadMemo().clear();
}

const GroupTraffic &NestAnalysis::groupTraffic(unsigned from, unsigned network,
                                               unsigned level,
                                               unsigned tensor) const {
  bool anySpatial = false;
  for (unsigned l = from; l < level; ++l)
    anySpatial |= spatialLoops[l] != 0;
  if (!anySpatial) // One instance below: a unicast to or from child 0.
    return trivialTraffic[network];
  // The network by what its hop counts depend on (never by address: an
  // Arch freed and another built in its place must not share entries).
  TrafficKey key;
  key.push(networkKeys[network]);
  key.push(int64_t(level) - int64_t(from));
  key.push(int64_t(network) - int64_t(from));
  pushSpatialLoops(key, nest, problem.tensors[tensor], from, network, level);
  auto &memo = trafficMemo();
  auto found = memo.find(key);
  if (found != memo.end())
    return found->second.traffic;
  TrafficEntry entry;
  entry.traffic = enumerateGroups(from, network, level, tensor, entry.closest);
  TrafficEntry &stored = memo.emplace(key, std::move(entry)).first->second;
  stored.traffic.closest = stored.closest.data();
  return stored.traffic;
}

bool NestAnalysis::boxesOverlap(const GroupTraffic &traffic, unsigned level,
                                unsigned tensor) const {
  if (traffic.closestCount == 0)
    return false;
  const int64_t *extent = &extents[level * dimCount];
  const std::vector<Projection> &projection =
      problem.tensors[tensor].projection;
  size_t width = projection.size();
  for (unsigned v = 0; v < traffic.closestCount; ++v) {
    const int64_t *difference = traffic.closest + v * width;
    bool shares = true;
    for (size_t c = 0; c < width && shares; ++c) {
      int64_t span = 1;
      for (const ProjectionTerm &term : projection[c].terms)
        span += std::abs(term.coefficient) * (extent[term.dim] - 1);
      shares = difference[c] < span;
    }
    if (shares)
      return true;
  }
  return false;
}

NetworkLoad NestAnalysis::downTraffic(unsigned network, unsigned level,
                                      unsigned tensor, bool wrapReuse,
                                      uint64_t entering) const {
  const GroupTraffic &traffic = groupTraffic(network, network, level, tensor);
  bool multicast = arch.levels[network].network.multicast;
  // Where no two groups share a word (or a child receives its own words
  // alone: a network that cannot multicast, right above the level), every
  // entering word goes to one group's children.
  bool alone = !multicast && spatialLoops[network] != 0 &&
               std::all_of(spatialLoops.begin() + network + 1,
                           spatialLoops.begin() + std::min(level, levels),
                           [](unsigned n) { return n == 0; });
  if (alone || !boxesOverlap(traffic, level, tensor))
    return {
        counts.mul(entering, multicast ? traffic.groups : traffic.childPairs),
        counts.mul(entering, traffic.multicastHops)};
  NetworkLoad total;
  forEachEntering(
      level, tensor, wrapReuse,
      [&](uint64_t weight, const int64_t *offset, uint64_t) {
        NetworkLoad one = overlappingLoad(network, level, tensor, offset);
        counts.accumulate(total.words, counts.mul(weight, one.words));
        counts.accumulate(total.hops, counts.mul(weight, one.hops));
      });
  return total;
}

namespace {

/// The instances below one instance of `from` (the spatial loops'
/// combinations): each one's box origin and its child of the network.
struct Member {
  std::vector<int64_t> origin;
  unsigned child;
};

} // namespace

/// Calls visit(origin, child) for every instance of `level` under one
/// instance of `from`, in the nest's order (the last loop fastest): its
/// box's origin and the child of `network`'s instance it sits under
/// (children are numbered x-fastest, the innermost loop of an axis
/// fastest).
template <typename Visit>
static void forEachMember(const std::vector<NestLoop> &nest,
                          const Problem &problem, const Arch &arch,
                          unsigned from, unsigned network, unsigned level,
                          unsigned tensor, Visit visit) {
  std::vector<SpatialContribution> contributions =
      spatialContributions(nest, problem.tensors[tensor], from, level);
  std::vector<const NestLoop *> loops;
  for (const SpatialContribution &c : contributions)
    loops.push_back(c.loop);
  const StorageLevel &source = arch.levels[network];
  size_t coordinates = problem.tensors[tensor].projection.size();
  std::vector<int64_t> origin(coordinates);
  forEachCombination(loops, [&](const std::vector<int64_t> &index) {
    std::fill(origin.begin(), origin.end(), 0);
    int64_t x = 0, y = 0, xScale = 1, yScale = 1;
    for (size_t m = loops.size(); m-- > 0;) {
      for (size_t c = 0; c < coordinates; ++c)
        origin[c] += index[m] * contributions[m].offset[c];
      if (loops[m]->level != network)
        continue;
      if (loops[m]->axis == SpatialAxis::X) {
        x += index[m] * xScale;
        xScale *= loops[m]->factor;
      } else {
        y += index[m] * yScale;
        yScale *= loops[m]->factor;
      }
    }
    visit(origin, unsigned(x + y * int64_t(source.fanout[0])));
  });
}

GroupTraffic
NestAnalysis::enumerateGroups(unsigned from, unsigned network, unsigned level,
                              unsigned tensor,
                              std::vector<int64_t> &closest) const {
  const Network &net = arch.levels[network].network;
  // Group members by box origin; note which of the network's children
  // each member sits under.
  std::map<std::vector<int64_t>, std::vector<unsigned>> groups;
  std::map<std::vector<int64_t>, unsigned> leaders;
  GroupTraffic traffic;
  forEachMember(nest, problem, arch, from, network, level, tensor,
                [&](const std::vector<int64_t> &origin, unsigned child) {
                  groups[origin].push_back(child);
                  leaders.emplace(origin, child);
                  traffic.drainHops += net.drainHops(child);
                });
  traffic.groups = groups.size();
  for (auto &[origin, children] : groups) {
    std::sort(children.begin(), children.end());
    children.erase(std::unique(children.begin(), children.end()),
                   children.end());
    traffic.childPairs += children.size();
    traffic.multicastHops += net.multicastHops(children);
    traffic.reductionHops += net.reductionHops(children);
    traffic.leaderHops += net.unicastHops(leaders[origin]);
  }
  // The closest origins of different groups: two groups that differ in
  // several components differ in one alone too, no farther apart, so the
  // components' own differences are all that is needed.
  std::vector<SpatialContribution> contributions =
      spatialContributions(nest, problem.tensors[tensor], from, level);
  size_t width = problem.tensors[tensor].projection.size();
  closest.clear();
  for (const std::vector<size_t> &members : componentsOf(contributions)) {
    if (members.size() == 1) {
      for (int64_t v : contributions[members[0]].offset)
        closest.push_back(std::abs(v));
      continue;
    }
    std::set<std::vector<int64_t>> origins = originsOf(contributions, members);
    for (auto a = origins.begin(); a != origins.end(); ++a)
      for (auto b = std::next(a); b != origins.end(); ++b)
        for (size_t c = 0; c < width; ++c)
          closest.push_back(std::abs((*a)[c] - (*b)[c]));
  }
  keepMinimal(closest, width);
  traffic.closestCount = unsigned(width ? closest.size() / width : 0);
  return traffic;
}

NetworkLoad NestAnalysis::overlappingLoad(unsigned network, unsigned level,
                                          unsigned tensor,
                                          const int64_t *offset) const {
  std::vector<int64_t> span;
  spans(level, tensor, span);
  size_t width = span.size();
  TrafficKey key;
  key.push(networkKeys[network]);
  key.push(int64_t(level) - int64_t(network));
  pushSpatialLoops(key, nest, problem.tensors[tensor], network, network,
                   level);
  for (size_t c = 0; c < width; ++c) {
    key.push(span[c]);
    key.push(offset ? offset[c] : std::numeric_limits<int64_t>::min());
  }
  auto &memo = loadMemo();
  if (auto found = memo.find(key); found != memo.end())
    return found->second;

  const Network &net = arch.levels[network].network;
  std::map<std::vector<int64_t>, std::vector<unsigned>> groupMap;
  forEachMember(nest, problem, arch, network, network, level, tensor,
                [&](const std::vector<int64_t> &origin, unsigned child) {
                  groupMap[origin].push_back(child);
                });
  std::vector<std::vector<int64_t>> origins;
  std::vector<std::vector<unsigned>> children;
  for (auto &[origin, members] : groupMap) {
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    origins.push_back(origin);
    children.push_back(members);
  }
  // The words that enter a box at [0, span): all of it but the part it
  // kept, [keptLow, keptHigh) (empty for a whole box).
  std::vector<int64_t> keptLow(width, 0), keptHigh(width, 0);
  bool kept = offset != nullptr;
  for (size_t c = 0; c < width && kept; ++c) {
    keptLow[c] = std::max<int64_t>(0, -offset[c]);
    keptHigh[c] = std::min(span[c], span[c] - offset[c]);
    kept = keptLow[c] < keptHigh[c];
  }
  // Every group's entering words are a translate of the same shape; the
  // breakpoints of all of them cut each coordinate into intervals on which
  // each group's membership is constant, so every cell of the grid they
  // make has one set of children needing its words.
  size_t groups = origins.size();
  size_t blocks = (groups + 63) / 64;
  std::vector<std::vector<int64_t>> cuts(width);
  // [c][interval][block]: the groups whose box (kept part) covers it.
  std::vector<std::vector<std::vector<uint64_t>>> inBox(width), inKept(width);
  for (size_t c = 0; c < width; ++c) {
    for (const std::vector<int64_t> &o : origins) {
      cuts[c].push_back(o[c]);
      cuts[c].push_back(o[c] + span[c]);
      if (kept) {
        cuts[c].push_back(o[c] + keptLow[c]);
        cuts[c].push_back(o[c] + keptHigh[c]);
      }
    }
    std::sort(cuts[c].begin(), cuts[c].end());
    cuts[c].erase(std::unique(cuts[c].begin(), cuts[c].end()), cuts[c].end());
    size_t intervals = cuts[c].size() - 1;
    inBox[c].assign(intervals, std::vector<uint64_t>(blocks, 0));
    inKept[c].assign(intervals, std::vector<uint64_t>(blocks, 0));
    for (size_t k = 0; k < intervals; ++k)
      for (size_t g = 0; g < groups; ++g) {
        int64_t at = cuts[c][k] - origins[g][c];
        if (at >= 0 && at < span[c])
          inBox[c][k][g / 64] |= uint64_t(1) << (g % 64);
        if (kept && at >= keptLow[c] && at < keptHigh[c])
          inKept[c][k][g / 64] |= uint64_t(1) << (g % 64);
      }
  }
  NetworkLoad load;
  std::map<std::vector<uint64_t>, std::pair<uint64_t, uint64_t>> bySet;
  std::vector<size_t> cell(width, 0);
  std::vector<uint64_t> box(blocks), keep(blocks), needing(blocks);
  while (true) {
    uint64_t volume = 1;
    std::fill(box.begin(), box.end(), ~uint64_t(0));
    std::fill(keep.begin(), keep.end(), kept ? ~uint64_t(0) : 0);
    for (size_t c = 0; c < width; ++c) {
      volume *= uint64_t(cuts[c][cell[c] + 1] - cuts[c][cell[c]]);
      for (size_t b = 0; b < blocks; ++b) {
        box[b] &= inBox[c][cell[c]][b];
        keep[b] &= inKept[c][cell[c]][b];
      }
    }
    bool any = false;
    for (size_t b = 0; b < blocks; ++b) {
      needing[b] = box[b] & ~keep[b];
      any |= needing[b] != 0;
    }
    if (any) {
      auto [entry, fresh] = bySet.try_emplace(needing, 0, 0);
      if (fresh) {
        std::vector<unsigned> receivers;
        for (size_t g = 0; g < groups; ++g)
          if ((needing[g / 64] >> (g % 64)) & 1)
            receivers.insert(receivers.end(), children[g].begin(),
                             children[g].end());
        std::sort(receivers.begin(), receivers.end());
        receivers.erase(std::unique(receivers.begin(), receivers.end()),
                        receivers.end());
        entry->second = {net.multicast ? 1 : receivers.size(),
                         net.multicastHops(receivers)};
      }
      counts.accumulate(load.words, counts.mul(volume, entry->second.first));
      counts.accumulate(load.hops, counts.mul(volume, entry->second.second));
    }
    size_t c = width;
    while (c > 0 && ++cell[c - 1] + 1 == cuts[c - 1].size())
      cell[--c] = 0;
    if (c == 0)
      break;
  }
  memo.emplace(key, load);
  return load;
}

bool NestAnalysis::pathCanMulticast(unsigned supplier, unsigned level) const {
  for (unsigned j = supplier; j < level && j < levels; ++j)
    if (!mapping.levels[j].spatial.empty() && !arch.levels[j].network.multicast)
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
