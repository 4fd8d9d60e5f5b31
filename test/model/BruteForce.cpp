//===- test/model/BruteForce.cpp ------------------------------------------===//
#include "BruteForce.h"

#include <algorithm>
#include <map>
#include <set>

namespace tessel::testing {
namespace {

using Point = std::vector<int64_t>;
using Words = std::set<Point>;

struct FlatLoop {
  unsigned dim;
  int64_t factor;
  unsigned level;
  bool spatial;
  SpatialAxis axis;
};

/// The nest, outer to inner, and each loop's weight in its dimension's
/// index (the product of the factors of that dimension inside it).
struct Nest {
  std::vector<FlatLoop> loops;
  std::vector<int64_t> weight;
};

Nest flatten(const Mapping &mapping, unsigned dimCount) {
  Nest nest;
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    for (const Loop &loop : mapping.levels[l].temporal)
      nest.loops.push_back({loop.dim, loop.factor, l, false, SpatialAxis::X});
    for (const SpatialLoop &loop : mapping.levels[l].spatial)
      nest.loops.push_back({loop.dim, loop.factor, l, true, loop.axis});
  }
  nest.weight.assign(nest.loops.size(), 1);
  std::vector<int64_t> below(dimCount, 1);
  for (size_t i = nest.loops.size(); i-- > 0;) {
    nest.weight[i] = below[nest.loops[i].dim];
    below[nest.loops[i].dim] *= nest.loops[i].factor;
  }
  return nest;
}

/// All index vectors of the loops selected by `pick`, odometer order.
std::vector<std::vector<int64_t>>
combinations(const Nest &nest, const std::vector<size_t> &pick) {
  std::vector<std::vector<int64_t>> all;
  std::vector<int64_t> index(pick.size(), 0);
  while (true) {
    all.push_back(index);
    size_t i = pick.size();
    while (i > 0 && ++index[i - 1] == nest.loops[pick[i - 1]].factor)
      index[--i] = 0;
    if (i == 0)
      return all;
  }
}

Point coordinatesOf(const Tensor &tensor, const std::vector<int64_t> &dims) {
  Point point;
  for (const Projection &coordinate : tensor.projection) {
    int64_t value = coordinate.constant;
    for (const ProjectionTerm &term : coordinate.terms)
      value += term.coefficient * dims[term.dim];
    point.push_back(value);
  }
  return point;
}

/// Every point of the box spanned by `points`.
Words boxOf(const std::vector<Point> &points) {
  Point low = points.front(), high = points.front();
  for (const Point &p : points)
    for (size_t c = 0; c < p.size(); ++c) {
      low[c] = std::min(low[c], p[c]);
      high[c] = std::max(high[c], p[c]);
    }
  Words box;
  Point p = low;
  while (true) {
    box.insert(p);
    size_t c = p.size();
    while (c > 0 && ++p[c - 1] > high[c - 1]) {
      p[c - 1] = low[c - 1];
      --c;
    }
    if (c == 0)
      return box;
  }
}

Words minus(const Words &a, const Words &b) {
  Words result;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                      std::inserter(result, result.end()));
  return result;
}

class Walker {
public:
  Walker(const Problem &problem, const Arch &arch, const Mapping &mapping)
      : problem(problem), arch(arch), mapping(mapping),
        nest(flatten(mapping, problem.dims.size())), levels(arch.levelCount()),
        counts(levels, std::vector<BruteCounts>(problem.tensors.size())) {
    for (size_t i = 0; i < nest.loops.size(); ++i)
      (nest.loops[i].spatial ? spatialLoops : temporalLoops).push_back(i);
  }

  BruteWalk run() {
    std::vector<std::vector<int64_t>> times = combinations(nest, temporalLoops);
    std::vector<int64_t> previous;
    for (const std::vector<int64_t> &time : times) {
      if (!executed(time))
        continue; // An empty iteration of a clipped loop.
      ++steps;
      for (unsigned l = 1; l < levels; ++l)
        if (previous.empty() || outerChanged(previous, time, l))
          for (unsigned t = 0; t < problem.tensors.size(); ++t)
            if (mapping.levels[l].keeps(t))
              moveTiles(l, t, time);
      compute(time);
      previous = time;
    }
    drainOutputs();
    return {counts, macs, steps};
  }

private:
  const Problem &problem;
  const Arch &arch;
  const Mapping &mapping;
  Nest nest;
  unsigned levels;
  std::vector<size_t> temporalLoops, spatialLoops;
  std::vector<std::vector<BruteCounts>> counts;
  uint64_t macs = 0, steps = 0;
  /// Per (level, tensor, instance): the words held.
  std::map<std::tuple<unsigned, unsigned, std::vector<int64_t>>, Words> held;

  /// Whether a dimension's point is inside its bound. A residual mapping
  /// clips every loop to the bounds; exact and padded ones run every point
  /// of their factors.
  bool inside(unsigned dim, int64_t value) const {
    return mapping.factorization != Factorization::Residual ||
           value < problem.dims[dim].bound;
  }
  bool inside(const std::vector<int64_t> &dims) const {
    for (unsigned d = 0; d < dims.size(); ++d)
      if (!inside(d, dims[d]))
        return false;
    return true;
  }

  /// The temporal loops' point with every spatial index 0: a step is run
  /// iff some compute unit has a point inside the bounds, and index 0 of
  /// every spatial loop gives the lowest.
  std::vector<int64_t> temporalBase(const std::vector<int64_t> &time) const {
    std::vector<int64_t> base(problem.dims.size(), 0);
    size_t tIndex = 0;
    for (size_t i = 0; i < nest.loops.size(); ++i)
      if (!nest.loops[i].spatial)
        base[nest.loops[i].dim] += time[tIndex++] * nest.weight[i];
    return base;
  }
  bool executed(const std::vector<int64_t> &time) const {
    return inside(temporalBase(time));
  }

  bool outerChanged(const std::vector<int64_t> &before,
                    const std::vector<int64_t> &now, unsigned level) const {
    for (size_t i = 0; i < temporalLoops.size(); ++i)
      if (nest.loops[temporalLoops[i]].level < level && before[i] != now[i])
        return true;
    return false;
  }

  /// Spatial index vectors selecting the instances of `level`.
  std::vector<std::vector<int64_t>> instancesOf(unsigned level) const {
    std::vector<size_t> pick;
    for (size_t i : spatialLoops)
      if (nest.loops[i].level < level)
        pick.push_back(i);
    return combinations(nest, pick);
  }

  /// The first `supplier`-level part of an instance's spatial indices:
  /// which supplier instance serves it.
  std::vector<int64_t> supplierKey(const std::vector<int64_t> &instance,
                                   unsigned supplier) const {
    std::vector<int64_t> key;
    size_t n = 0;
    for (size_t i : spatialLoops)
      if (nest.loops[i].level < supplier)
        key.push_back(instance[n++]);
    return key;
  }

  unsigned supplierOf(unsigned level, unsigned tensor) const {
    for (unsigned k = level; k-- > 0;)
      if (mapping.levels[k].keeps(tensor))
        return k;
    return 0;
  }

  /// The box of `tensor` held by `instance` of `level` at `time`: the
  /// coordinates of every iteration of the loops at and below `level`.
  Words tileOf(unsigned level, unsigned tensor,
               const std::vector<int64_t> &time,
               const std::vector<int64_t> &instance) const {
    std::vector<int64_t> fixed(problem.dims.size(), 0);
    size_t tIndex = 0, sIndex = 0;
    std::vector<size_t> inner;
    for (size_t i = 0; i < nest.loops.size(); ++i) {
      const FlatLoop &loop = nest.loops[i];
      bool isTemporal = !loop.spatial;
      int64_t value = -1;
      if (isTemporal) {
        if (loop.level < level)
          value = time[tIndex];
        ++tIndex;
      } else {
        if (loop.level < level)
          value = instance[sIndex++];
      }
      if (value >= 0)
        fixed[loop.dim] += value * nest.weight[i];
      else
        inner.push_back(i);
    }
    std::vector<Point> points;
    for (const std::vector<int64_t> &index : combinations(nest, inner)) {
      std::vector<int64_t> dims = fixed;
      for (size_t j = 0; j < inner.size(); ++j)
        dims[nest.loops[inner[j]].dim] += index[j] * nest.weight[inner[j]];
      if (inside(dims)) // A clipped tile never reaches past a bound.
        points.push_back(coordinatesOf(problem.tensors[tensor], dims));
    }
    return points.empty() ? Words{} : boxOf(points);
  }

  /// Which child of its `network`-level ancestor an instance (spatial
  /// indices of the loops above its level) sits under: the spatial loops
  /// of that level, x-fastest, the innermost loop of an axis fastest.
  unsigned slotAt(const std::vector<int64_t> &instance,
                  unsigned network) const {
    int64_t x = 0, y = 0, xScale = 1, yScale = 1;
    for (size_t n = instance.size(); n-- > 0;) {
      const FlatLoop &loop = nest.loops[spatialLoops[n]];
      if (loop.level != network)
        continue;
      if (loop.axis == SpatialAxis::X) {
        x += instance[n] * xScale;
        xScale *= loop.factor;
      } else {
        y += instance[n] * yScale;
        yScale *= loop.factor;
      }
    }
    return unsigned(x + y * int64_t(arch.levels[network].fanout[0]));
  }

  /// The innermost level relaying words to or from the MACs: they land in
  /// its PE's operand registers, without crossing a network of its own.
  bool intoRegisters(unsigned supplier, unsigned level, unsigned j) const {
    return level == levels && j + 1 == levels && j != supplier;
  }

  /// What one instance needs from (or sends to) its supplier this step.
  struct Need {
    std::vector<int64_t> instance;
    Words words;
    int box; ///< Its box, numbered per distinct box.
  };

  /// Words down from `supplier` to the instances of `level`: on each
  /// network on the way, per instance of its level and per word, the set
  /// of its children that need the word (one of their instances below
  /// does); a multicasting network sends it once, another once per child.
  /// The supplier reads every word it sends.
  void sendDown(unsigned supplier, unsigned level, unsigned tensor,
                const std::vector<Need> &needs) {
    for (unsigned j = supplier; j < level; ++j) {
      if (intoRegisters(supplier, level, j))
        continue;
      const Network &network = arch.levels[j].network;
      std::map<std::pair<std::vector<int64_t>, Point>,
               std::pair<std::set<unsigned>, std::set<int>>>
          wanted;
      for (const Need &need : needs)
        for (const Point &word : need.words) {
          auto &entry = wanted[{supplierKey(need.instance, j), word}];
          entry.first.insert(slotAt(need.instance, j));
          entry.second.insert(need.box);
        }
      BruteCounts &here = counts[j][tensor];
      for (const auto &[where, receivers] : wanted) {
        std::vector<unsigned> children(receivers.first.begin(),
                                       receivers.first.end());
        uint64_t sent = network.multicast ? 1 : children.size();
        here.networkWords += sent;
        here.networkHops += network.multicastHops(children);
        if (j == supplier)
          here.reads += sent;
        if (network.multicast && receivers.second.size() > 1)
          ++here.sharedAcrossBoxes;
        if (!mapping.levels[j].keeps(tensor))
          here.relayed += sent;
      }
    }
  }

  /// Output words up from the instances of `level` to `supplier`, network
  /// by network from the innermost: a network that reduces merges the
  /// copies of a word that its children send into one (its hops the
  /// reduction's), another carries each child's word alone; what leaves a
  /// network is what its level's instance sends on, so copies a lower
  /// network kept apart stay apart (a relay adds nothing). The innermost
  /// level's registers, taking the MACs' products of an output they do
  /// not keep, add the lanes' products of a word into one (no network).
  /// The supplier updates once per word reaching it.
  void sendUp(unsigned supplier, unsigned level, unsigned tensor,
              const std::vector<Need> &sends) {
    struct Send {
      std::vector<int64_t> instance; ///< A sender's (a representative's).
      std::vector<uint8_t> merged;   ///< Per spatial loop: merged away.
      Point word;
    };
    std::vector<Send> words;
    for (const Need &send : sends)
      for (const Point &word : send.words)
        words.push_back({send.instance,
                         std::vector<uint8_t>(send.instance.size(), 0), word});
    for (unsigned j = level; j-- > supplier;) {
      const Network &network = arch.levels[j].network;
      bool registers = intoRegisters(supplier, level, j);
      BruteCounts &here = counts[j][tensor];
      uint64_t before = here.networkWords;
      std::vector<Send> up;
      if (registers || network.reduction) {
        // A copy's identity: its word, the instance of j it reaches, and
        // the spatial indices below j no reduction merged.
        std::map<std::pair<std::vector<int64_t>, Point>,
                 std::pair<std::set<unsigned>, size_t>>
            joined;
        for (const Send &send : words) {
          std::vector<int64_t> key;
          for (size_t n = 0; n < send.instance.size(); ++n) {
            unsigned at = nest.loops[spatialLoops[n]].level;
            key.push_back(at == j || send.merged[n] ? -1 : send.instance[n]);
          }
          auto [it, fresh] = joined.insert({{key, send.word}, {{}, up.size()}});
          it->second.first.insert(slotAt(send.instance, j));
          if (fresh) {
            up.push_back(send);
            for (size_t n = 0; n < send.instance.size(); ++n)
              if (nest.loops[spatialLoops[n]].level == j)
                up.back().merged[n] = 1;
          }
        }
        if (!registers)
          for (const auto &[where, senders] : joined) {
            ++here.networkWords;
            here.networkHops += network.reductionHops(std::vector<unsigned>(
                senders.first.begin(), senders.first.end()));
          }
      } else {
        for (const Send &send : words) {
          ++here.networkWords;
          here.networkHops += network.drainHops(slotAt(send.instance, j));
        }
        up = words;
      }
      if (!mapping.levels[j].keeps(tensor))
        here.relayed += here.networkWords - before;
      words = std::move(up);
    }
    counts[supplier][tensor].updates += words.size();
  }

  void moveTiles(unsigned level, unsigned tensor,
                 const std::vector<int64_t> &time) {
    unsigned supplier = supplierOf(level, tensor);
    bool isOutput = problem.tensors[tensor].isOutput;
    std::map<Words, int> boxes; // Identical boxes share a box number.
    auto box = [&](const Words &words) {
      return boxes.emplace(words, int(boxes.size())).first->second;
    };
    std::vector<Need> moved;
    for (const std::vector<int64_t> &instance : instancesOf(level)) {
      auto key = std::make_tuple(level, tensor, instance);
      Words now = tileOf(level, tensor, time, instance);
      Words entering = minus(now, held[key]);
      Words leaving = minus(held[key], now);
      BruteCounts &here = counts[level][tensor];
      if (!isOutput) {
        here.fills += entering.size();
        moved.push_back({instance, std::move(entering), box(now)});
      } else {
        // Drained up and added where it is kept; a tile starts its words
        // at zero (no partial sum is read back).
        here.reads += leaving.size();
        moved.push_back({instance, std::move(leaving), box(now)});
      }
      held[key] = std::move(now);
    }
    if (isOutput)
      sendUp(supplier, level, tensor, moved);
    else
      sendDown(supplier, level, tensor, moved);
  }

  void compute(const std::vector<int64_t> &time) {
    std::vector<int64_t> base = temporalBase(time);
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      unsigned supplier = supplierOf(levels, t);
      bool isOutput = problem.tensors[t].isOutput;
      std::map<Point, int> points;
      std::vector<Need> operands;
      for (const std::vector<int64_t> &unit : instancesOf(levels)) {
        std::vector<int64_t> dims = base;
        for (size_t j = 0; j < spatialLoops.size(); ++j)
          dims[nest.loops[spatialLoops[j]].dim] +=
              unit[j] * nest.weight[spatialLoops[j]];
        if (!inside(dims))
          continue;     // No MAC beyond a bound.
        macs += t == 0; // One MAC per unit, whatever the tensor.
        Point point = coordinatesOf(problem.tensors[t], dims);
        int box = points.emplace(point, int(points.size())).first->second;
        operands.push_back({unit, Words{point}, box});
      }
      if (isOutput)
        sendUp(supplier, levels, t, operands);
      else
        sendDown(supplier, levels, t, operands);
    }
  }

  void drainOutputs() {
    unsigned out = problem.outputIndex();
    for (unsigned l = 1; l < levels; ++l) {
      if (!mapping.levels[l].keeps(out))
        continue;
      unsigned supplier = supplierOf(l, out);
      std::vector<Need> drained;
      for (const std::vector<int64_t> &instance : instancesOf(l)) {
        const Words &last = held[std::make_tuple(l, out, instance)];
        counts[l][out].reads += last.size();
        drained.push_back({instance, last, 0});
      }
      sendUp(supplier, l, out, drained);
    }
  }
};

} // namespace

BruteWalk bruteForceWalk(const Problem &problem, const Arch &arch,
                         const Mapping &mapping) {
  return Walker(problem, arch, mapping).run();
}

std::vector<std::vector<BruteCounts>> bruteForceCounts(const Problem &problem,
                                                       const Arch &arch,
                                                       const Mapping &mapping) {
  return bruteForceWalk(problem, arch, mapping).counts;
}

} // namespace tessel::testing
