//===- sim/Plan.cpp -------------------------------------------------------===//
#include "sim/Plan.h"

#include "arch/NetworkGraph.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

namespace tessel::sim {
namespace {

/// Identifies the links of a network's routes, one direction, from its hop
/// counts: counted from the parent's end, the p-th hop of child c's route is
/// the same link as the p-th hop of child c''s when their routes share at
/// least p hops (routes from the parent part once; routes to it join once).
class LinkMap {
public:
  LinkMap() = default; ///< No links (a network without link bandwidth).
  LinkMap(const Network &network, bool upward) {
    const NetworkGraph &graph = *network.graph;
    unsigned children = graph.childCount();
    paths.resize(children);
    std::vector<uint64_t> hops(children);
    for (unsigned c = 0; c < children; ++c)
      hops[c] = upward ? graph.hopsFrom(c) : graph.hopsTo(c);
    auto unionHops = [&](unsigned a, unsigned b) {
      return upward ? graph.reductionTreeHops({a, b})
                    : graph.multicastTreeHops({a, b});
    };
    for (unsigned c = 0; c < children; ++c) {
      for (uint64_t p = 1; p <= hops[c]; ++p) {
        uint32_t id = 0;
        bool found = false;
        for (unsigned other = 0; other < c && !found; ++other) {
          uint64_t shared = hops[c] + hops[other] - unionHops(c, other);
          if (shared >= p && paths[other].size() >= p) {
            id = paths[other][p - 1];
            found = true;
          }
        }
        paths[c].push_back(found ? id : count++);
      }
    }
  }
  const std::vector<uint32_t> &pathTo(unsigned child) const {
    return paths[child];
  }
  uint32_t links() const { return count; }

private:
  std::vector<std::vector<uint32_t>> paths;
  uint32_t count = 0;
};

/// Link uses of sending one word to `children`: the union of their paths
/// when the network shares (multicast or reduction), else every path.
void addLinkUses(const LinkMap &map, const std::vector<unsigned> &children,
                 bool shares, std::map<uint32_t, uint32_t> &uses) {
  std::set<uint32_t> seen;
  for (unsigned child : children)
    for (uint32_t link : map.pathTo(child))
      if (!shares || seen.insert(link).second)
        ++uses[link];
}

} // namespace

Plan::Plan(const Problem &problem, const Arch &arch, const Mapping &mapping)
    : problem(problem), arch(arch), mapping(mapping), levels(arch.levelCount()),
      dims(unsigned(problem.dims.size())) {
  flatten();
  enumerateInstances();
  buildResidencies();
  buildTiming();
}

TensorRole Plan::roleOf(unsigned tensor) const {
  if (problem.tensors[tensor].isOutput)
    return TensorRole::Output;
  unsigned inputsBefore = 0;
  for (unsigned t = 0; t < tensor; ++t)
    inputsBefore += !problem.tensors[t].isOutput;
  return inputsBefore == 0 ? TensorRole::Input : TensorRole::Weight;
}

uint64_t Plan::capacityFor(unsigned level, unsigned tensor) const {
  return arch.levels[level].capacityFor(roleOf(tensor));
}

void Plan::flatten() {
  for (unsigned l = 0; l < levels; ++l) {
    for (const Loop &loop : mapping.levels[l].temporal)
      nest.push_back({loop.dim, loop.factor, 1, l, false, SpatialAxis::X});
    for (const SpatialLoop &loop : mapping.levels[l].spatial)
      nest.push_back({loop.dim, loop.factor, 1, l, true, loop.axis});
  }
  extents.assign(size_t(levels + 1) * dims, 1);
  std::vector<int64_t> inner(dims, 1);
  size_t next = nest.size();
  for (unsigned l = levels; l-- > 0;) {
    while (next > 0 && nest[next - 1].level == l) {
      SimLoop &loop = nest[--next];
      loop.stride = inner[loop.dim];
      inner[loop.dim] *= loop.factor;
    }
    std::copy(inner.begin(), inner.end(), extents.begin() + size_t(l) * dims);
  }
  stepsPerEpoch.assign(levels + 1, 1);
  epochs.assign(levels + 1, 1);
  for (unsigned i = 0; i < nest.size(); ++i) {
    if (nest[i].spatial)
      continue;
    temporalLoops.push_back(i);
    steps *= uint64_t(nest[i].factor);
    for (unsigned l = 0; l <= levels; ++l)
      (nest[i].level >= l ? stepsPerEpoch[l] : epochs[l]) *=
          uint64_t(nest[i].factor);
  }
  keeps.assign(size_t(levels) * tensors(), false);
  for (unsigned l = 0; l < levels; ++l)
    for (unsigned t = 0; t < tensors(); ++t)
      keeps[size_t(l) * tensors() + t] = l == 0 || mapping.levels[l].keeps(t);
}

void Plan::enumerateInstances() {
  instances.resize(levels + 1);
  for (unsigned l = 0; l <= levels; ++l) {
    std::vector<const SimLoop *> loops;
    for (const SimLoop &loop : nest)
      if (loop.spatial && loop.level < l)
        loops.push_back(&loop);
    LevelInstances &result = instances[l];
    std::vector<int64_t> index(loops.size(), 0);
    while (true) {
      std::vector<int64_t> offset(dims, 0);
      for (size_t i = 0; i < loops.size(); ++i)
        offset[loops[i]->dim] += index[i] * loops[i]->stride;
      result.dimOffset.push_back(std::move(offset));
      size_t i = loops.size();
      while (i > 0 && ++index[i - 1] == loops[i - 1]->factor)
        index[--i] = 0;
      if (i == 0)
        break;
    }
    result.count = result.dimOffset.size();
  }
}

namespace {

/// The child of `supplier`'s network under which instance `instance` of
/// `level` sits (children numbered x-fastest; among a level's spatial loops
/// on one axis the innermost varies fastest).
unsigned childOn(const Plan &plan, unsigned supplier, unsigned level,
                 uint64_t instance) {
  std::vector<const SimLoop *> loops;
  for (const SimLoop &loop : plan.nest)
    if (loop.spatial && loop.level < level)
      loops.push_back(&loop);
  int64_t x = 0, y = 0, xScale = 1, yScale = 1;
  for (size_t m = loops.size(); m-- > 0;) {
    int64_t index = int64_t(instance % uint64_t(loops[m]->factor));
    instance /= uint64_t(loops[m]->factor);
    if (loops[m]->level != supplier)
      continue;
    if (loops[m]->axis == SpatialAxis::X) {
      x += index * xScale;
      xScale *= loops[m]->factor;
    } else {
      y += index * yScale;
      yScale *= loops[m]->factor;
    }
  }
  return unsigned(x + y * int64_t(plan.arch.levels[supplier].fanout[0]));
}

} // namespace

void Plan::buildResidencies() {
  // Only links with a bandwidth are contended for. Each direction numbers
  // its links on its own (Links keeps the two directions' servers apart).
  std::vector<LinkMap> downMaps(levels), upMaps(levels);
  linkCount.assign(levels, 0);
  for (unsigned l = 0; l < levels; ++l) {
    const Network &network = arch.levels[l].network;
    if (!network.linkBandwidth)
      continue;
    downMaps[l] = LinkMap(network, false);
    upMaps[l] = LinkMap(network, true);
    linkCount[l] = std::max(downMaps[l].links(), upMaps[l].links());
  }
  residency.assign(levels + 1, std::vector<Residency>(tensors()));
  for (unsigned l = 1; l <= levels; ++l) {
    for (unsigned t = 0; t < tensors(); ++t) {
      if (l < levels && !keepsTensor(l, t))
        continue;
      Residency &r = residency[l][t];
      r.tensor = t;
      r.level = l;
      r.isOutput = problem.tensors[t].isOutput;
      r.supplier = 0;
      for (unsigned k = l; k-- > 0;)
        if (keepsTensor(k, t)) {
          r.supplier = k;
          break;
        }
      unsigned k = r.supplier;
      std::vector<int64_t> tile(extents.begin() + size_t(l) * dims,
                                extents.begin() + size_t(l + 1) * dims);
      r.spans = problem.footprintShape(t, tile);
      r.boxWords = 1;
      for (int64_t s : r.spans)
        r.boxWords *= uint64_t(s);
      r.instances = instances[l].count;
      r.suppliers = instances[k].count;
      r.members = r.instances / r.suppliers;
      r.shares = true;
      for (unsigned j = k; j < l && j < levels; ++j)
        if (!mapping.levels[j].spatial.empty() &&
            !(r.isOutput ? arch.levels[j].network.reduction
                         : arch.levels[j].network.multicast))
          r.shares = false;
      // Group the members under supplier instance 0 by box origin.
      std::map<std::vector<int64_t>, unsigned> groupIds;
      std::vector<std::vector<unsigned>> children;
      std::vector<unsigned> leaders;
      std::vector<int64_t> origin;
      for (uint64_t m = 0; m < r.members; ++m) {
        coordinates(t, instances[l].dimOffset[m], origin);
        auto [it, added] = groupIds.emplace(origin, unsigned(groupIds.size()));
        unsigned child = childOn(*this, k, l, m);
        if (added) {
          children.emplace_back();
          leaders.push_back(child);
        }
        r.groupOf.push_back(it->second);
        r.isLeader.push_back(added);
        children[it->second].push_back(child);
      }
      r.groups = groupIds.size();
      const Network &network = arch.levels[k].network;
      r.down.copies = r.up.copies = r.shares ? r.groups : r.members;
      r.leader.copies = r.groups;
      std::map<uint32_t, uint32_t> downUses, upUses, leaderUses;
      for (unsigned g = 0; g < r.groups; ++g) {
        std::vector<unsigned> &set = children[g];
        if (linkCount[k] && !r.shares) // A copy per member, each its path.
          for (unsigned child : set) {
            addLinkUses(downMaps[k], {child}, true, downUses);
            addLinkUses(upMaps[k], {child}, true, upUses);
          }
        std::sort(set.begin(), set.end());
        set.erase(std::unique(set.begin(), set.end()), set.end());
        r.down.hops += network.multicastHops(set);
        r.up.hops += network.reductionHops(set);
        r.leader.hops += network.unicastHops(leaders[g]);
        if (linkCount[k]) {
          if (r.shares) {
            addLinkUses(downMaps[k], set, network.multicast, downUses);
            addLinkUses(upMaps[k], set, network.reduction, upUses);
          }
          addLinkUses(downMaps[k], {leaders[g]}, true, leaderUses);
        }
      }
      r.down.links.assign(downUses.begin(), downUses.end());
      r.up.links.assign(upUses.begin(), upUses.end());
      r.leader.links.assign(leaderUses.begin(), leaderUses.end());
    }
  }
}

void Plan::buildTiming() {
  // Per network: hop latency of each used child, and of the nearest one.
  std::vector<uint64_t> nearest(levels, 0);
  auto childLatency = [&](unsigned j, unsigned child) {
    const Network &network = arch.levels[j].network;
    return network.unicastHops(child) * network.hopLatency;
  };
  for (unsigned j = 0; j < levels; ++j) {
    uint64_t best = UINT64_MAX;
    for (uint64_t i = 0; i < instances[j + 1].count; ++i)
      best = std::min(best, childLatency(j, childOn(*this, j, j + 1, i)));
    nearest[j] = best;
  }
  // Latency over networks [from, to) of instance `i` of level `to`: its
  // lag behind the nearest instance, and its path.
  auto lagAndPath = [&](unsigned from, unsigned to, uint64_t i) {
    uint64_t lag = 0, path = 0;
    for (unsigned j = from; j < to; ++j) {
      uint64_t hops = childLatency(j, childOn(*this, j, to, i));
      lag += hops - nearest[j];
      path += hops;
    }
    return std::make_pair(lag, path);
  };
  auto nearestPath = [&](unsigned from, unsigned to) {
    uint64_t path = 0;
    for (unsigned j = from; j < to; ++j)
      path += nearest[j];
    return path;
  };
  for (unsigned l = 1; l <= levels; ++l)
    for (Residency &r : residency[l]) {
      if (r.spans.empty())
        continue;
      r.downLatency =
          arch.levels[r.supplier].latency + nearestPath(r.supplier, l);
      uint64_t farthest = 0;
      for (uint64_t m = 0; m < r.members; ++m) {
        auto [lag, path] = lagAndPath(r.supplier, l, m);
        farthest = std::max(farthest, lag + path);
      }
      r.upLatency = (l < levels ? arch.levels[l].latency : 0) + farthest;
    }
  peSkew.assign(instances[levels].count, 0);
  for (uint64_t u = 0; u < peSkew.size(); ++u)
    peSkew[u] = lagAndPath(0, levels, u).first;
  operandLatency = 0;
  unsigned out = problem.outputIndex();
  for (const Residency &r : residency[levels])
    if (!r.isOutput)
      operandLatency = std::max(operandLatency, r.downLatency);
  updateLatency = operandLatency + arch.compute.pipelineLatency +
                  residency[levels][out].upLatency;
}

void Plan::epochStart(unsigned level, uint64_t epoch,
                      std::vector<int64_t> &dimStart) const {
  dimStart.assign(dims, 0);
  for (size_t i = temporalLoops.size(); i-- > 0;) {
    const SimLoop &loop = nest[temporalLoops[i]];
    if (loop.level >= level)
      continue;
    dimStart[loop.dim] += int64_t(epoch % uint64_t(loop.factor)) * loop.stride;
    epoch /= uint64_t(loop.factor);
  }
}

void Plan::stepDims(uint64_t step, std::vector<int64_t> &dimValues) const {
  epochStart(levels + 1, step, dimValues);
}

void Plan::boxLow(unsigned level, unsigned tensor,
                  const std::vector<int64_t> &start,
                  std::vector<int64_t> &low) const {
  const Tensor &t = problem.tensors[tensor];
  low.resize(t.projection.size());
  for (size_t c = 0; c < t.projection.size(); ++c) {
    int64_t value = t.projection[c].constant;
    for (const ProjectionTerm &term : t.projection[c].terms)
      value += term.coefficient *
               (start[term.dim] +
                (term.coefficient < 0 ? extent(level, term.dim) - 1 : 0));
    low[c] = value;
  }
}

void Plan::reachLow(unsigned level, unsigned tensor, std::vector<int64_t> &low,
                    std::vector<int64_t> &spans) const {
  std::vector<int64_t> reach(extents.begin() + size_t(level) * dims,
                             extents.begin() + size_t(level + 1) * dims);
  // The temporal loops above move instance 0's box by their strides (which
  // include the spatial factors inside them).
  for (const SimLoop &loop : nest)
    if (!loop.spatial && loop.level < level)
      reach[loop.dim] += (loop.factor - 1) * loop.stride;
  const Tensor &t = problem.tensors[tensor];
  low.resize(t.projection.size());
  spans.resize(t.projection.size());
  for (size_t c = 0; c < t.projection.size(); ++c) {
    int64_t value = t.projection[c].constant, span = 1;
    for (const ProjectionTerm &term : t.projection[c].terms) {
      if (term.coefficient < 0)
        value += term.coefficient * (reach[term.dim] - 1);
      span += std::llabs(term.coefficient) * (reach[term.dim] - 1);
    }
    low[c] = value;
    spans[c] = span;
  }
}

void Plan::coordinates(unsigned tensor, const std::vector<int64_t> &dimValues,
                       std::vector<int64_t> &coords) const {
  const Tensor &t = problem.tensors[tensor];
  coords.resize(t.projection.size());
  for (size_t c = 0; c < t.projection.size(); ++c) {
    int64_t value = t.projection[c].constant;
    for (const ProjectionTerm &term : t.projection[c].terms)
      value += term.coefficient * dimValues[term.dim];
    coords[c] = value;
  }
}

} // namespace tessel::sim
