//===- model/NestAnalysis.cpp ---------------------------------------------===//
#include "model/NestAnalysis.h"

#include "model/ClippedNest.h"
#include "model/MemoKey.h"
#include "model/SpatialGroups.h"

#include "arch/Arch.h"
#include "arch/NetworkGraph.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <deque>
#include <cstdlib>
#include <limits>
#include <numeric>

namespace tessel {

namespace {
/// Storage of the last analysis on this thread, handed to the next.
thread_local NestAnalysis::Buffers spareBuffers;
/// The analyses begun on this thread: each stamps its answers with its own
/// number (never 0, an empty entry's).
thread_local uint64_t analysesBegun = 0;
} // namespace

NestAnalysis::NestAnalysis(const Problem &problem, const Arch &arch,
                           const Mapping &mapping)
    : problem(problem), arch(arch), mapping(mapping), levels(arch.levelCount()),
      dimCount(problem.dims.size()) {
  std::swap(buffers, spareBuffers);
  buffers.stamp = ++analysesBegun;
  size_t tensorCount = problem.tensors.size(), places = levels + 1;
  if (buffers.trafficSeen.size() < places * places * places * tensorCount)
    buffers.trafficSeen.resize(places * places * places * tensorCount);
  if (buffers.enteringSeen.size() < places * tensorCount * 2)
    buffers.enteringSeen.resize(places * tensorCount * 2);
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
  // Every loop's offset per coordinate of every tensor (for the spatial
  // loops' groups and memo keys).
  tensorBase.clear();
  size_t coordinates = 0;
  for (const Tensor &t : problem.tensors) {
    tensorBase.push_back(coordinates);
    coordinates += t.projection.size();
  }
  offsetStride = coordinates;
  offsetTable.assign(nest.size() * coordinates, 0);
  for (size_t i = 0; i < nest.size(); ++i) {
    if (!nest[i].spatial)
      continue;
    int64_t *row = &offsetTable[i * coordinates];
    for (const Tensor &t : problem.tensors)
      for (const Projection &coordinate : t.projection)
        *row++ = counts.mul(coordinate.coefficientOf(nest[i].dim),
                            nest[i].stride);
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
    one.multicastHops = n.unicastHops(0);
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
  Buffers::EnteringEntry &seen =
      buffers.enteringSeen[(size_t(level) * problem.tensors.size() + tensor) *
                               2 +
                           wrapReuse];
  if (seen.stamp == buffers.stamp)
    return seen.words;
  uint64_t total = 0;
  forEachEntering(level, tensor, wrapReuse,
                  [&](uint64_t weight, const int64_t *, uint64_t entering) {
                    counts.accumulate(total, counts.mul(weight, entering));
                  });
  seen = {buffers.stamp, total};
  return total;
}

uint64_t NestAnalysis::distinctBoxes(unsigned supplier, unsigned level,
                                     unsigned tensor) const {
  return groupTraffic(supplier, supplier, level, tensor).groups;
}

namespace {

/// Storage of the memoised GroupTraffic::closest lists: runs in chunks
/// that never move, reused after clear().
class ClosestPool {
public:
  int64_t *store(const std::vector<int64_t> &values) {
    size_t n = values.size();
    if (chunks.empty() || at + n > chunkSize(current)) {
      current = chunks.empty() ? 0 : current + 1;
      while (current < chunks.size() && chunkSize(current) < n)
        ++current;
      if (current == chunks.size())
        chunks.emplace_back(std::max<size_t>(n, 4096));
      at = 0;
    }
    int64_t *run = chunks[current].data() + at;
    std::copy(values.begin(), values.end(), run);
    at += n;
    return run;
  }
  void clear() {
    current = 0;
    at = 0;
  }

private:
  size_t chunkSize(size_t i) const {
    return i < chunks.size() ? chunks[i].size() : 0;
  }
  std::deque<std::vector<int64_t>> chunks; // Never moved once made.
  size_t current = 0, at = 0;
};

/// Per-thread memos of groupTraffic and of overlappingLoad: searches
/// evaluate many mappings with the same spatial structure. Answers stay
/// put (FlatMemo never moves them), and the memos are cleared, when they
/// fill up, only when an analysis starts, so an answer lives as long as
/// its analysis.
FlatMemo<GroupTraffic> &trafficMemo() {
  thread_local FlatMemo<GroupTraffic> memo(1u << 16);
  return memo;
}
ClosestPool &closestPool() {
  thread_local ClosestPool pool;
  return pool;
}
FlatMemo<NetworkLoad> &loadMemo() {
  thread_local FlatMemo<NetworkLoad> memo(1u << 16);
  return memo;
}

} // namespace

void NestAnalysis::clearMemos() {
  trafficMemo().clear();
  closestPool().clear();
  loadMemo().clear();
  clearGroupMemo();
}

void NestAnalysis::resetMemos() {
  if (2 * trafficMemo().size() > trafficMemo().capacity()) {
    trafficMemo().clear();
    closestPool().clear();
  }
  if (2 * loadMemo().size() > loadMemo().capacity())
    loadMemo().clear();
}

void NestAnalysis::pushSpatialLoops(MemoKey &key, unsigned tensor,
                                    unsigned from, unsigned network,
                                    unsigned level) const {
  size_t width = problem.tensors[tensor].projection.size();
  for (size_t i = 0; i < nest.size(); ++i) {
    const NestLoop &loop = nest[i];
    if (!loop.spatial || loop.level < from || loop.level >= level)
      continue;
    key.push(int64_t(loop.level) - int64_t(network));
    key.push(int64_t(loop.axis));
    key.push(loop.factor);
    const int64_t *offset = loopOffsets(i, tensor);
    for (size_t c = 0; c < width; ++c)
      key.push(offset[c]);
  }
}

const GroupTraffic &NestAnalysis::groupTraffic(unsigned from, unsigned network,
                                               unsigned level,
                                               unsigned tensor) const {
  bool anySpatial = false;
  for (unsigned l = from; l < level; ++l)
    anySpatial |= spatialLoops[l] != 0;
  if (!anySpatial) // One instance below: a unicast to or from child 0.
    return trivialTraffic[network];
  size_t places = levels + 1;
  Buffers::TrafficEntry &seen =
      buffers.trafficSeen[((size_t(from) * places + network) * places + level) *
                              problem.tensors.size() +
                          tensor];
  if (seen.stamp == buffers.stamp)
    return *seen.traffic;
  // The network by what its hop counts depend on (never by address: an
  // Arch freed and another built in its place must not share entries).
  MemoKey key;
  key.push(networkKeys[network]);
  key.push(int64_t(level) - int64_t(from));
  key.push(int64_t(network) - int64_t(from));
  pushSpatialLoops(key, tensor, from, network, level);
  FlatMemo<GroupTraffic> &memo = trafficMemo();
  const GroupTraffic *found = memo.find(key);
  if (!found) {
    thread_local std::vector<int64_t> closest;
    GroupTraffic traffic =
        enumerateGroups(from, network, level, tensor, closest);
    traffic.closest = closestPool().store(closest);
    found = &memo.insert(key, traffic);
  }
  seen = {buffers.stamp, found};
  return *found;
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
  bool grouped = false; // The groups are the same for every shape.
  forEachEntering(
      level, tensor, wrapReuse,
      [&](uint64_t weight, const int64_t *offset, uint64_t) {
        NetworkLoad one =
            overlappingLoad(network, level, tensor, offset, grouped);
        counts.accumulate(total.words, counts.mul(weight, one.words));
        counts.accumulate(total.hops, counts.mul(weight, one.hops));
      });
  return total;
}

void NestAnalysis::spreadLoops(unsigned from, unsigned network, unsigned level,
                              unsigned tensor, std::vector<SpreadLoop> &spread,
                              std::vector<int64_t> &offsets) const {
  size_t width = problem.tensors[tensor].projection.size();
  spread.clear();
  offsets.clear();
  for (size_t n = 0; n < nest.size(); ++n) {
    const NestLoop &loop = nest[n];
    if (!loop.spatial || loop.level < from || loop.level >= level)
      continue;
    spread.push_back({loop.factor, 0, loop.level == network});
    const int64_t *offset = loopOffsets(n, tensor);
    offsets.insert(offsets.end(), offset, offset + width);
  }
  // Children are numbered x-fastest, the innermost loop of an axis fastest.
  int64_t xScale = 1, yScale = arch.levels[network].fanout[0];
  size_t i = spread.size();
  for (size_t n = nest.size(); n-- > 0;) {
    const NestLoop &loop = nest[n];
    if (!loop.spatial || loop.level < from || loop.level >= level)
      continue;
    --i;
    if (loop.level != network)
      continue;
    int64_t &scale = loop.axis == SpatialAxis::X ? xScale : yScale;
    spread[i].childWeight = scale;
    scale *= loop.factor;
  }
}

GroupTraffic
NestAnalysis::enumerateGroups(unsigned from, unsigned network, unsigned level,
                              unsigned tensor,
                              std::vector<int64_t> &closest) const {
  thread_local std::vector<SpreadLoop> spread;
  thread_local std::vector<int64_t> offsets;
  spreadLoops(from, network, level, tensor, spread, offsets);
  size_t width = problem.tensors[tensor].projection.size();
  GroupTraffic traffic =
      countGroups(spread, offsets, width, arch.levels[network].network,
                  uint64_t(networkKeys[network]), closest);
  traffic.closestCount = unsigned(width ? closest.size() / width : 0);
  return traffic;
}

namespace {

/// overlappingLoad's storage, kept per thread.
struct OverlapScratch {
  std::vector<int64_t> span;
  std::vector<SpreadLoop> spread;
  std::vector<int64_t> offsets;
  std::vector<int64_t> memberOrigins; ///< [member * width + c].
  std::vector<unsigned> memberChildren;
  std::vector<int64_t> index;
  std::vector<size_t> order;
  std::vector<int64_t> origins;  ///< Groups' origins, [group * width + c].
  std::vector<size_t> firstChild, childCount; ///< Into `children`, by group.
  std::vector<unsigned> children;
  /// Each coordinate's distinct origins (from valueStart[c], sorted) and
  /// the groups at each ([value * blocks + block]).
  std::vector<int64_t> values;
  std::vector<size_t> valueStart;
  std::vector<uint64_t> valueMasks;
  std::vector<int64_t> keptLow, keptHigh;
  std::vector<int64_t> cuts;     ///< Every coordinate's, one after another.
  std::vector<size_t> cutsStart; ///< [c]: where coordinate c's begin.
  /// Each coordinate's distinct interval patterns (the groups whose box,
  /// then whose kept part, covers the interval; 2 x blocks words each),
  /// one coordinate after another from patternStart[c], with the total
  /// length of the intervals of each.
  std::vector<uint64_t> patterns, pattern;
  std::vector<uint64_t> lengths;
  std::vector<size_t> patternStart;
  std::vector<size_t> cell;
  std::vector<uint64_t> prefix;  ///< [c * 2 x blocks]: running intersections.
  std::vector<uint64_t> volumes; ///< [c]: running volume.
  std::vector<uint64_t> needing;
  std::vector<unsigned> receivers;
  /// Receiver sets seen, by a 128-bit fingerprint of the set of groups:
  /// open addressing, a slot used iff its generation is the current one.
  struct Slot {
    uint64_t first = 0, second = 0;
    uint64_t words = 0, hops = 0;
    uint32_t generation = 0;
  };
  std::vector<Slot> slots;
  uint32_t generation = 0;
  size_t used = 0;
};

OverlapScratch &overlapScratch() {
  thread_local OverlapScratch s;
  return s;
}

} // namespace

void NestAnalysis::groupMembers(unsigned network, unsigned level,
                                unsigned tensor) const {
  OverlapScratch &s = overlapScratch();
  size_t width = problem.tensors[tensor].projection.size();
  // Every instance below one instance of the network: its origin and its
  // child, the last loop fastest.
  spreadLoops(network, network, level, tensor, s.spread, s.offsets);
  size_t members = 1;
  for (const SpreadLoop &loop : s.spread)
    members *= size_t(loop.factor);
  s.memberOrigins.assign(members * width, 0);
  s.memberChildren.assign(members, 0);
  s.index.assign(s.spread.size(), 0);
  for (size_t m = 0; m < members; ++m) {
    int64_t *origin = &s.memberOrigins[m * width];
    int64_t child = 0;
    for (size_t i = 0; i < s.spread.size(); ++i) {
      for (size_t c = 0; c < width; ++c)
        origin[c] += s.index[i] * s.offsets[i * width + c];
      child += s.index[i] * s.spread[i].childWeight;
    }
    s.memberChildren[m] = unsigned(child);
    for (size_t i = s.spread.size(); i-- > 0;) {
      if (++s.index[i] < s.spread[i].factor)
        break;
      s.index[i] = 0;
    }
  }
  // Groups: members with the same origin, with their distinct children.
  s.order.resize(members);
  std::iota(s.order.begin(), s.order.end(), size_t(0));
  auto originOf = [&](size_t m) { return &s.memberOrigins[m * width]; };
  std::sort(s.order.begin(), s.order.end(), [&](size_t a, size_t b) {
    const int64_t *oa = originOf(a), *ob = originOf(b);
    for (size_t c = 0; c < width; ++c)
      if (oa[c] != ob[c])
        return oa[c] < ob[c];
    return s.memberChildren[a] < s.memberChildren[b];
  });
  s.origins.clear();
  s.firstChild.clear();
  s.childCount.clear();
  s.children.clear();
  for (size_t run = 0; run < members;) {
    const int64_t *origin = originOf(s.order[run]);
    s.origins.insert(s.origins.end(), origin, origin + width);
    s.firstChild.push_back(s.children.size());
    size_t end = run;
    for (; end < members &&
           std::equal(origin, origin + width, originOf(s.order[end]));
         ++end) {
      unsigned child = s.memberChildren[s.order[end]];
      if (end == run || child != s.children.back())
        s.children.push_back(child);
    }
    s.childCount.push_back(s.children.size() - s.firstChild.back());
    run = end;
  }
  // Each coordinate's distinct origins, with the groups at each.
  size_t groups = s.firstChild.size();
  size_t blocks = (groups + 63) / 64;
  s.values.clear();
  s.valueMasks.clear();
  s.valueStart.assign(width + 1, 0);
  for (size_t c = 0; c < width; ++c) {
    size_t first = s.values.size();
    s.valueStart[c] = first;
    for (size_t g = 0; g < groups; ++g)
      s.values.push_back(s.origins[g * width + c]);
    std::sort(s.values.begin() + first, s.values.end());
    s.values.erase(std::unique(s.values.begin() + first, s.values.end()),
                   s.values.end());
    s.valueMasks.resize(s.values.size() * blocks, 0);
    for (size_t g = 0; g < groups; ++g) {
      size_t v = size_t(std::lower_bound(s.values.begin() + first,
                                         s.values.end(),
                                         s.origins[g * width + c]) -
                        s.values.begin());
      s.valueMasks[v * blocks + g / 64] |= uint64_t(1) << (g % 64);
    }
  }
  s.valueStart[width] = s.values.size();
}

NetworkLoad NestAnalysis::overlappingLoad(unsigned network, unsigned level,
                                          unsigned tensor,
                                          const int64_t *offset,
                                          bool &grouped) const {
  OverlapScratch &s = overlapScratch();
  std::vector<int64_t> &span = s.span;
  spans(level, tensor, span);
  size_t width = span.size();
  MemoKey key;
  key.push(networkKeys[network]);
  key.push(int64_t(level) - int64_t(network));
  pushSpatialLoops(key, tensor, network, network, level);
  for (size_t c = 0; c < width; ++c) {
    key.push(span[c]);
    key.push(offset ? offset[c] : std::numeric_limits<int64_t>::min());
  }
  FlatMemo<NetworkLoad> &memo = loadMemo();
  if (const NetworkLoad *found = memo.find(key))
    return *found;

  const Network &net = arch.levels[network].network;
  if (!grouped) {
    groupMembers(network, level, tensor);
    grouped = true;
  }
  size_t groups = s.firstChild.size();
  // The words that enter a box at [0, span): all of it but the part it
  // kept, [keptLow, keptHigh) (empty for a whole box).
  s.keptLow.assign(width, 0);
  s.keptHigh.assign(width, 0);
  bool kept = offset != nullptr;
  for (size_t c = 0; c < width && kept; ++c) {
    s.keptLow[c] = std::max<int64_t>(0, -offset[c]);
    s.keptHigh[c] = std::min(span[c], span[c] - offset[c]);
    kept = s.keptLow[c] < s.keptHigh[c];
  }
  // Every group's entering words are a translate of the same shape; the
  // breakpoints of all of them cut each coordinate into intervals on which
  // each group's membership is constant, so every cell of the grid they
  // make has one set of children needing its words.
  size_t blocks = (groups + 63) / 64;
  s.cuts.clear();
  s.cutsStart.assign(width + 1, 0);
  for (size_t c = 0; c < width; ++c) {
    size_t start = s.cuts.size();
    s.cutsStart[c] = start;
    for (size_t v = s.valueStart[c]; v < s.valueStart[c + 1]; ++v) {
      int64_t o = s.values[v];
      s.cuts.push_back(o);
      s.cuts.push_back(o + span[c]);
      if (kept) {
        s.cuts.push_back(o + s.keptLow[c]);
        s.cuts.push_back(o + s.keptHigh[c]);
      }
    }
    std::sort(s.cuts.begin() + start, s.cuts.end());
    s.cuts.erase(std::unique(s.cuts.begin() + start, s.cuts.end()),
                 s.cuts.end());
  }
  s.cutsStart[width] = s.cuts.size();
  // Each coordinate's intervals by which groups' boxes (kept parts) cover
  // them. A cell's words depend only on its intervals' patterns, so the
  // intervals of one pattern merge into one of their total length (the
  // volumes of a product of sums are the sum of the products), and those
  // no box covers need nothing.
  size_t stride = 2 * blocks; // A pattern: box blocks, then kept blocks.
  s.patterns.clear();
  s.lengths.clear();
  s.patternStart.assign(width + 1, 0);
  for (size_t c = 0; c < width; ++c) {
    size_t start = s.cutsStart[c], count = s.cutsStart[c + 1] - start - 1;
    size_t first = s.lengths.size();
    s.patternStart[c] = first;
    for (size_t k = 0; k < count; ++k) {
      s.pattern.assign(stride, 0);
      uint64_t *box = s.pattern.data(), *keep = box + blocks;
      bool covered = false;
      for (size_t v = s.valueStart[c]; v < s.valueStart[c + 1]; ++v) {
        int64_t at = s.cuts[start + k] - s.values[v];
        const uint64_t *mask = &s.valueMasks[v * blocks];
        if (at >= 0 && at < span[c]) {
          for (size_t b = 0; b < blocks; ++b)
            box[b] |= mask[b];
          covered = true;
        }
        if (kept && at >= s.keptLow[c] && at < s.keptHigh[c])
          for (size_t b = 0; b < blocks; ++b)
            keep[b] |= mask[b];
      }
      if (!covered)
        continue;
      int64_t length = s.cuts[start + k + 1] - s.cuts[start + k];
      size_t same = first;
      while (same < s.lengths.size() &&
             !std::equal(s.pattern.begin(), s.pattern.end(),
                         s.patterns.begin() + same * stride))
        ++same;
      if (same < s.lengths.size()) {
        s.lengths[same] += uint64_t(length);
      } else {
        s.patterns.insert(s.patterns.end(), s.pattern.begin(),
                          s.pattern.end());
        s.lengths.push_back(uint64_t(length));
      }
    }
    if (s.lengths.size() == first) { // No word of this coordinate needed.
      memo.insert(key, NetworkLoad{});
      return {};
    }
  }
  s.patternStart[width] = s.lengths.size();
  if (++s.generation == 0) {
    for (OverlapScratch::Slot &slot : s.slots)
      slot.generation = 0;
    s.generation = 1;
  }
  s.used = 0;
  if (s.slots.size() < 64)
    s.slots.resize(64);
  NetworkLoad load;
  // Walk the cells with running intersections: prefix[c] holds the boxes
  // (kept parts) and the volume of coordinates before c.
  s.cell.assign(width, 0);
  s.prefix.assign((width + 1) * stride, 0);
  s.volumes.assign(width + 1, 1);
  std::fill(s.prefix.begin(), s.prefix.begin() + blocks, ~uint64_t(0));
  std::fill(s.prefix.begin() + blocks, s.prefix.begin() + stride,
            kept ? ~uint64_t(0) : 0);
  s.needing.resize(blocks);
  size_t from = 0; // Coordinates from here on changed their interval.
  while (true) {
    for (size_t c = from; c < width; ++c) {
      size_t at = s.patternStart[c] + s.cell[c];
      const uint64_t *pattern = &s.patterns[at * stride];
      const uint64_t *outer = &s.prefix[c * stride];
      uint64_t *inner = &s.prefix[(c + 1) * stride];
      for (size_t b = 0; b < stride; ++b)
        inner[b] = outer[b] & pattern[b];
      s.volumes[c + 1] = s.volumes[c] * s.lengths[at];
    }
    const uint64_t *all = &s.prefix[width * stride];
    MemoKey set;
    bool any = false;
    for (size_t b = 0; b < blocks; ++b) {
      s.needing[b] = all[b] & ~all[blocks + b];
      any |= s.needing[b] != 0;
      set.push(int64_t(s.needing[b]));
    }
    if (any) {
      // The set's slot (grown to stay at most half full).
      if (2 * (s.used + 1) > s.slots.size()) {
        std::vector<OverlapScratch::Slot> old;
        old.swap(s.slots);
        s.slots.assign(old.size() * 2, {});
        for (const OverlapScratch::Slot &slot : old) {
          if (slot.generation != s.generation)
            continue;
          size_t i = size_t(slot.first) & (s.slots.size() - 1);
          while (s.slots[i].generation == s.generation)
            i = (i + 1) & (s.slots.size() - 1);
          s.slots[i] = slot;
        }
      }
      size_t i = size_t(set.first) & (s.slots.size() - 1);
      while (s.slots[i].generation == s.generation &&
             (s.slots[i].first != set.first || s.slots[i].second != set.second))
        i = (i + 1) & (s.slots.size() - 1);
      OverlapScratch::Slot &slot = s.slots[i];
      if (slot.generation != s.generation) {
        s.receivers.clear();
        for (size_t b = 0; b < blocks; ++b)
          for (uint64_t bits = s.needing[b]; bits != 0; bits &= bits - 1) {
            size_t g = b * 64 + size_t(__builtin_ctzll(bits));
            s.receivers.insert(s.receivers.end(),
                               s.children.begin() + s.firstChild[g],
                               s.children.begin() + s.firstChild[g] +
                                   s.childCount[g]);
          }
        std::sort(s.receivers.begin(), s.receivers.end());
        s.receivers.erase(std::unique(s.receivers.begin(), s.receivers.end()),
                          s.receivers.end());
        slot.first = set.first;
        slot.second = set.second;
        slot.words = net.multicast ? 1 : s.receivers.size();
        slot.hops = net.multicastHops(s.receivers);
        slot.generation = s.generation;
        ++s.used;
      }
      uint64_t volume = s.volumes[width];
      counts.accumulate(load.words, counts.mul(volume, slot.words));
      counts.accumulate(load.hops, counts.mul(volume, slot.hops));
    }
    size_t c = width;
    while (c > 0 && s.patternStart[c - 1] + ++s.cell[c - 1] ==
                        s.patternStart[c])
      s.cell[--c] = 0;
    if (c == 0)
      break;
    from = c - 1;
  }
  memo.insert(key, load);
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
