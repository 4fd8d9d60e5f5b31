//===- model/ClippedAccounting.cpp - Access counts of a residual nest -----===//
//
// The counts of docs/model.md's box-buffer semantics for a residual mapping
// that clips a bound, where the closed forms of Accounting.cpp do not hold
// (the last tiles are shorter, edge instances idle). Along a clipped
// dimension, a step's geometry -- every instance's clipped old and new
// boxes -- depends only on how many points of the dimension are left from
// the loops outside the advancing one (every count at or beyond the
// reach of the loops inside is the same "full" class). So for each level
// and each advancing loop, the steps are sorted per dimension into these
// few classes, the classes' counts multiply across dimensions, and one
// representative step of each combination is counted word by word on the
// grid its boxes' corners cut the tensor into, weighted by its count.
//
//===----------------------------------------------------------------------===//
#include "model/ClippedAccounting.h"

#include "arch/Arch.h"
#include "model/ClippedNest.h"
#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>

namespace tessel {
namespace {

/// A box per coordinate, inclusive; `empty` when the tile holds nothing.
struct Box {
  std::vector<int64_t> low, high;
  bool empty = true;
  uint64_t volume() const {
    if (empty)
      return 0;
    uint64_t v = 1;
    for (size_t c = 0; c < low.size(); ++c)
      v *= uint64_t(high[c] - low[c] + 1);
    return v;
  }
};

/// |a \ b|.
uint64_t outside(const Box &a, const Box &b) {
  if (a.empty)
    return 0;
  uint64_t kept = b.empty ? 0 : 1;
  for (size_t c = 0; c < a.low.size() && kept; ++c) {
    int64_t low = std::max(a.low[c], b.low[c]);
    int64_t high = std::min(a.high[c], b.high[c]);
    kept = high >= low ? kept * uint64_t(high - low + 1) : 0;
  }
  return a.volume() - kept;
}

/// One instance's part in a transfer: the words of `in` outside `out`,
/// for child `child` of the network's instance.
struct Item {
  unsigned child;
  const Box *in;
  const Box *out;
};

/// gridLoad's buffers, kept per thread: it runs per network instance,
/// step and tensor, thousands of times per evaluation on a large array.
struct GridScratch {
  std::vector<const Item *> live;
  std::vector<int64_t> cuts;      ///< Every coordinate's, one after another.
  std::vector<size_t> cutStart;   ///< [c]: where coordinate c's cuts start.
  std::vector<size_t> rowStart;   ///< [c]: its first interval's row.
  std::vector<uint64_t> inIn, inOut; ///< [row * blocks + b]: membership.
  std::vector<size_t> cell;
  std::vector<uint64_t> in, out, needing;
  std::vector<unsigned> children;
  // The charge of each distinct set of children needing a word: sets in
  // `keys` (blocks words each), found through an open-addressing table.
  std::vector<uint64_t> keys;
  std::vector<NetworkLoad> loads;
  std::vector<size_t> table; ///< Entry + 1, or 0.
};

GridScratch &gridScratch() {
  thread_local GridScratch scratch;
  return scratch;
}

/// Sums charge(children) over the words of the items' `in \ out`, each
/// word charged once with the sorted set of children whose item holds it:
/// exact on the grid every box's corners cut the coordinates into.
template <typename Charge>
NetworkLoad gridLoad(const std::vector<Item> &items, size_t width,
                     Charge charge) {
  GridScratch &s = gridScratch();
  s.live.clear();
  for (const Item &item : items)
    if (!item.in->empty)
      s.live.push_back(&item);
  NetworkLoad load;
  if (s.live.empty())
    return load;
  size_t n = s.live.size(), blocks = (n + 63) / 64;
  s.cuts.clear();
  s.cutStart.assign(width + 1, 0);
  s.rowStart.assign(width + 1, 0);
  for (size_t c = 0; c < width; ++c) {
    size_t first = s.cuts.size();
    s.cutStart[c] = first;
    for (const Item *item : s.live) {
      s.cuts.push_back(item->in->low[c]);
      s.cuts.push_back(item->in->high[c] + 1);
      if (!item->out->empty) {
        s.cuts.push_back(item->out->low[c]);
        s.cuts.push_back(item->out->high[c] + 1);
      }
    }
    std::sort(s.cuts.begin() + long(first), s.cuts.end());
    s.cuts.erase(std::unique(s.cuts.begin() + long(first), s.cuts.end()),
                 s.cuts.end());
    s.rowStart[c + 1] = s.rowStart[c] + (s.cuts.size() - first - 1);
  }
  s.cutStart[width] = s.cuts.size();
  s.inIn.assign(s.rowStart[width] * blocks, 0);
  s.inOut.assign(s.rowStart[width] * blocks, 0);
  for (size_t c = 0; c < width; ++c) {
    size_t intervals = s.rowStart[c + 1] - s.rowStart[c];
    for (size_t k = 0; k < intervals; ++k) {
      int64_t at = s.cuts[s.cutStart[c] + k];
      uint64_t *rowIn = &s.inIn[(s.rowStart[c] + k) * blocks];
      uint64_t *rowOut = &s.inOut[(s.rowStart[c] + k) * blocks];
      for (size_t g = 0; g < n; ++g) {
        const Item &item = *s.live[g];
        if (at >= item.in->low[c] && at <= item.in->high[c])
          rowIn[g / 64] |= uint64_t(1) << (g % 64);
        if (!item.out->empty && at >= item.out->low[c] &&
            at <= item.out->high[c])
          rowOut[g / 64] |= uint64_t(1) << (g % 64);
      }
    }
  }
  s.keys.clear();
  s.loads.clear();
  s.table.assign(64, 0);
  auto hashOf = [&](const uint64_t *set) {
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (size_t b = 0; b < blocks; ++b)
      h = (h ^ set[b]) * 0x100000001b3ull + (h >> 31);
    return h;
  };
  auto grow = [&] {
    s.table.assign(s.table.size() * 2, 0);
    size_t mask = s.table.size() - 1;
    for (size_t e = 0; e < s.loads.size(); ++e) {
      size_t i = hashOf(&s.keys[e * blocks]) & mask;
      while (s.table[i] != 0)
        i = (i + 1) & mask;
      s.table[i] = e + 1;
    }
  };
  s.cell.assign(width, 0);
  s.in.resize(blocks);
  s.out.resize(blocks);
  s.needing.resize(blocks);
  while (true) {
    uint64_t volume = 1;
    std::fill(s.in.begin(), s.in.end(), ~uint64_t(0));
    std::fill(s.out.begin(), s.out.end(), ~uint64_t(0));
    for (size_t c = 0; c < width; ++c) {
      size_t k = s.cell[c];
      volume *= uint64_t(s.cuts[s.cutStart[c] + k + 1] -
                         s.cuts[s.cutStart[c] + k]);
      const uint64_t *rowIn = &s.inIn[(s.rowStart[c] + k) * blocks];
      const uint64_t *rowOut = &s.inOut[(s.rowStart[c] + k) * blocks];
      for (size_t b = 0; b < blocks; ++b) {
        s.in[b] &= rowIn[b];
        s.out[b] &= rowOut[b];
      }
    }
    bool any = false;
    for (size_t b = 0; b < blocks; ++b) {
      s.needing[b] = s.in[b] & ~s.out[b];
      any |= s.needing[b] != 0;
    }
    if (any) {
      size_t mask = s.table.size() - 1;
      size_t i = hashOf(s.needing.data()) & mask;
      const NetworkLoad *found = nullptr;
      for (; s.table[i] != 0; i = (i + 1) & mask) {
        size_t e = s.table[i] - 1;
        if (std::equal(s.needing.begin(), s.needing.end(),
                       s.keys.begin() + long(e * blocks))) {
          found = &s.loads[e];
          break;
        }
      }
      if (!found) {
        s.children.clear();
        for (size_t g = 0; g < n; ++g)
          if ((s.needing[g / 64] >> (g % 64)) & 1)
            s.children.push_back(s.live[g]->child);
        std::sort(s.children.begin(), s.children.end());
        s.children.erase(std::unique(s.children.begin(), s.children.end()),
                         s.children.end());
        NetworkLoad charged = charge(s.children);
        s.keys.insert(s.keys.end(), s.needing.begin(), s.needing.end());
        s.loads.push_back(charged);
        s.table[i] = s.loads.size();
        if (2 * s.loads.size() > s.table.size())
          grow();
        load.words += volume * charged.words;
        load.hops += volume * charged.hops;
      } else {
        load.words += volume * found->words;
        load.hops += volume * found->hops;
      }
    }
    size_t c = width;
    while (c > 0 &&
           ++s.cell[c - 1] + 1 == s.cutStart[c] - s.cutStart[c - 1])
      s.cell[--c] = 0;
    if (c == 0)
      break;
  }
  return load;
}

/// The instances of a level: the spatial loops above it in nest order and,
/// per instance (odometer order, the last loop fastest), its indices.
struct Instances {
  std::vector<size_t> loops;
  std::vector<std::vector<int64_t>> index;
};

class ClippedCounter {
public:
  ClippedCounter(const Problem &problem, const Arch &arch,
                 const Mapping &mapping, const NestAnalysis &nest,
                 Report &report)
      : problem(problem), arch(arch), mapping(mapping), nest(nest),
        loops(nest.loops()), levels(nest.levelCount()), report(report) {
    for (const Dimension &dim : problem.dims)
      bounds.push_back(dim.bound);
    std::vector<int64_t> covered = mapping.coveredBounds(bounds.size());
    for (unsigned d = 0; d < bounds.size(); ++d)
      clips.push_back(covered[d] > bounds[d]);
  }

  /// Per tile of the PE level (the last storage level): the steps it
  /// runs, shared by `lanes`, rounded up.
  uint64_t computeCycles(uint64_t lanes) const {
    CheckedCounts &c = nest.arithmetic();
    size_t dims = bounds.size();
    unsigned pe = levels - 1;
    std::vector<std::vector<size_t>> chosen(dims), inner(dims);
    for (size_t p = 0; p < loops.size(); ++p)
      if (!loops[p].spatial && loops[p].factor > 1)
        (loops[p].level < pe ? chosen : inner)[loops[p].dim].push_back(p);
    std::vector<int64_t> reach(dims);
    for (unsigned d = 0; d < dims; ++d)
      reach[d] = reachOf(d, chosen[d]);
    uint64_t cycles = 0;
    forEachCombination(
        chosen, reach, loops.size(),
        [&](uint64_t weight, const std::vector<int64_t> &state) {
          uint64_t steps = 1;
          for (unsigned d = 0; d < dims; ++d) {
            int64_t position = 0;
            for (size_t p : chosen[d])
              position += state[p] * loops[p].stride;
            steps = c.mul(steps, clipped::executedCount(loops, inner[d],
                                                        bounds[d] - position));
          }
          c.accumulate(cycles, c.mul(weight, (steps + lanes - 1) / lanes));
        });
    return cycles;
  }

  /// Calls visit(loop, changes, steps) for the advances of each temporal
  /// loop above `level` (nest position `loop`), per class of the tile
  /// before the advance: how many such advances, and the steps that tile
  /// runs.
  template <typename Visit> void tileChanges(unsigned level, Visit visit) {
    size_t dims = bounds.size();
    std::vector<std::vector<size_t>> inner(dims);
    for (size_t p = 0; p < loops.size(); ++p)
      if (!loops[p].spatial && loops[p].factor > 1 && loops[p].level >= level)
        inner[loops[p].dim].push_back(p);
    forEachStep(level, [&](uint64_t weight, const std::vector<int64_t> *old,
                           const std::vector<int64_t> *now, size_t loop) {
      if (!old || !now)
        return;
      std::vector<int64_t> position(dims, 0);
      for (size_t p = 0; p < loops.size(); ++p)
        if (!loops[p].spatial && loops[p].level < level)
          position[loops[p].dim] += (*old)[p] * loops[p].stride;
      uint64_t steps = 1;
      for (unsigned d = 0; d < dims; ++d)
        steps = nest.arithmetic().mul(
            steps,
            clipped::executedCount(loops, inner[d], bounds[d] - position[d]));
      visit(loop, weight, steps);
    });
  }

  uint64_t run() {
    unsigned out = problem.outputIndex();
    for (unsigned l = 1; l < levels; ++l) {
      uint32_t kept = mapping.levels[l].keepMask;
      if (kept)
        countLevel(l, kept, out);
    }
    countCompute(out);
    return macs;
  }

private:
  const Problem &problem;
  const Arch &arch;
  const Mapping &mapping;
  const NestAnalysis &nest;
  const std::vector<NestLoop> &loops;
  unsigned levels;
  Report &report;
  std::vector<int64_t> bounds;
  mutable std::vector<int64_t> startScratch, lengthScratch; ///< boxInto's.
  std::vector<bool> clips;
  uint64_t macs = 0;

  Instances instancesOf(unsigned level) const {
    Instances result;
    for (size_t i = 0; i < loops.size(); ++i)
      if (loops[i].spatial && loops[i].level < level)
        result.loops.push_back(i);
    std::vector<int64_t> index(result.loops.size(), 0);
    while (true) {
      result.index.push_back(index);
      size_t j = index.size();
      while (j > 0 && ++index[j - 1] == loops[result.loops[j - 1]].factor)
        index[--j] = 0;
      if (j == 0)
        return result;
    }
  }

  /// The instance of level `at` above instance `i` (its ordinal).
  size_t ancestor(const Instances &instances, size_t i, unsigned at) const {
    size_t below = 1;
    for (size_t j : instances.loops)
      if (loops[j].level >= at)
        below *= size_t(loops[j].factor);
    return i / below;
  }

  /// Which child of its `network`-level ancestor an instance sits under
  /// (x-fastest, the innermost loop of an axis fastest).
  unsigned slotAt(const Instances &instances, size_t i,
                  unsigned network) const {
    int64_t x = 0, y = 0, xScale = 1, yScale = 1;
    const std::vector<int64_t> &index = instances.index[i];
    for (size_t n = index.size(); n-- > 0;) {
      const NestLoop &loop = loops[instances.loops[n]];
      if (loop.level != network)
        continue;
      if (loop.axis == SpatialAxis::X) {
        x += index[n] * xScale;
        xScale *= loop.factor;
      } else {
        y += index[n] * yScale;
        yScale *= loop.factor;
      }
    }
    return unsigned(x + y * int64_t(arch.levels[network].fanout[0]));
  }

  /// The clipped box of `tensor` at `level` for an instance, the temporal
  /// loops at `state` (an index per nest position).
  Box boxOf(unsigned level, unsigned tensor, const std::vector<int64_t> &state,
            const Instances &instances, size_t i) const {
    Box box;
    boxInto(box, level, tensor, state, instances, i);
    return box;
  }

  /// The same into `box`, reusing its storage (called per step, tensor and
  /// instance: thousands of times per evaluation on a large array).
  void boxInto(Box &box, unsigned level, unsigned tensor,
               const std::vector<int64_t> &state, const Instances &instances,
               size_t i) const {
    size_t dims = bounds.size();
    box.low.clear();
    box.high.clear();
    box.empty = true;
    std::vector<int64_t> &start = startScratch, &length = lengthScratch;
    start.assign(dims, 0);
    length.assign(dims, 0);
    for (size_t p = 0; p < loops.size(); ++p)
      if (!loops[p].spatial && loops[p].level < level)
        start[loops[p].dim] += state[p] * loops[p].stride;
    for (size_t n = 0; n < instances.loops.size(); ++n) {
      const NestLoop &loop = loops[instances.loops[n]];
      start[loop.dim] += instances.index[i][n] * loop.stride;
    }
    for (unsigned d = 0; d < dims; ++d) {
      length[d] = std::min(nest.tileExtent(level, d), bounds[d] - start[d]);
      if (length[d] <= 0)
        return;
    }
    box.empty = false;
    for (const Projection &coordinate : problem.tensors[tensor].projection) {
      int64_t low = coordinate.constant, high = coordinate.constant;
      for (const ProjectionTerm &term : coordinate.terms) {
        int64_t first = term.coefficient * start[term.dim];
        int64_t last =
            term.coefficient * (start[term.dim] + length[term.dim] - 1);
        low += std::min(first, last);
        high += std::max(first, last);
      }
      box.low.push_back(low);
      box.high.push_back(high);
    }
  }

  /// Whether words between `supplier` and `level` cross level j's network
  /// (the innermost level's relays land in the PE's registers).
  bool crosses(unsigned supplier, unsigned level, unsigned j) const {
    return j == supplier || level < levels || j + 1 < levels;
  }

  /// Words of the instances' `in \ out` from `supplier` down to them,
  /// weighted `weight`, on every network on the way, per instance of the
  /// network's level: each word once per step to the children that need it
  /// where the network multicasts, else once per child.
  void transfer(unsigned supplier, unsigned level, unsigned tensor,
                const Instances &instances, const std::vector<Box> &in,
                const std::vector<Box> &out, uint64_t weight) {
    CheckedCounts &c = nest.arithmetic();
    size_t width = problem.tensors[tensor].projection.size();
    for (unsigned j = supplier; j < level; ++j) {
      if (!crosses(supplier, level, j))
        continue;
      const Network &network = arch.levels[j].network;
      TensorActions &actions = report.actions.at(j, tensor);
      // The instances by the instance of j above them, in order.
      thread_local std::vector<std::pair<size_t, size_t>> byParent;
      thread_local std::vector<Item> items;
      byParent.clear();
      for (size_t i = 0; i < in.size(); ++i)
        byParent.push_back({ancestor(instances, i, j), i});
      std::sort(byParent.begin(), byParent.end());
      for (size_t first = 0; first < byParent.size();) {
        size_t last = first;
        items.clear();
        for (; last < byParent.size() &&
               byParent[last].first == byParent[first].first;
             ++last) {
          size_t i = byParent[last].second;
          items.push_back({slotAt(instances, i, j), &in[i], &out[i]});
        }
        first = last;
        NetworkLoad load =
            gridLoad(items, width, [&](const std::vector<unsigned> &children) {
              return NetworkLoad{network.multicast ? 1 : children.size(),
                                 network.multicastHops(children)};
            });
        c.accumulate(actions.networkWords, c.mul(weight, load.words));
        c.accumulate(actions.networkHops, c.mul(weight, load.hops));
        if (j == supplier)
          c.accumulate(actions.reads, c.mul(weight, load.words));
      }
    }
  }

  /// Output words leaving `level`'s instances (their `in \ out`) up to
  /// `supplier`, network by network from the innermost, as
  /// model/Accounting.cpp's chargeUp counts them: a network that reduces
  /// merges the copies of a word its children send (the copies a lower
  /// network kept apart stay apart), another carries each child's words
  /// alone; the innermost level's registers add their lanes' products of a
  /// word they do not keep into one. The words reaching the supplier are
  /// its updates.
  void upward(unsigned supplier, unsigned level, unsigned tensor,
              const Instances &instances, const std::vector<Box> &in,
              const std::vector<Box> &out, uint64_t weight) {
    CheckedCounts &c = nest.arithmetic();
    size_t width = problem.tensors[tensor].projection.size();
    struct Send {
      size_t rep;                  ///< An instance it holds the words of.
      std::vector<size_t> members; ///< Instances whose words it carries.
      std::vector<uint8_t> merged; ///< Per spatial loop: merged away.
    };
    std::vector<Send> sends;
    for (size_t i = 0; i < in.size(); ++i)
      sends.push_back({i, {i}, std::vector<uint8_t>(instances.loops.size())});
    auto distinct = [&](const std::vector<size_t> &members) {
      std::vector<Item> items;
      for (size_t m : members)
        items.push_back({0, &in[m], &out[m]});
      return gridLoad(items, width,
                      [](const std::vector<unsigned> &) {
                        return NetworkLoad{1, 0};
                      })
          .words;
    };
    for (unsigned j = level; j-- > supplier;) {
      bool registers = !crosses(supplier, level, j);
      const Network &network = arch.levels[j].network;
      TensorActions &actions = report.actions.at(j, tensor);
      if (!registers && !network.reduction) { // Every child's words alone.
        for (const Send &send : sends) {
          uint64_t words = distinct(send.members);
          c.accumulate(actions.networkWords, c.mul(weight, words));
          c.accumulate(
              actions.networkHops,
              c.mul(weight, words,
                    network.drainHops(slotAt(instances, send.rep, j))));
        }
        continue;
      }
      // A copy's class: the instance of j it reaches and the spatial
      // indices below j no reduction merged.
      std::map<std::pair<size_t, std::vector<int64_t>>, std::vector<size_t>>
          classes;
      for (size_t k = 0; k < sends.size(); ++k) {
        const Send &send = sends[k];
        std::vector<int64_t> lineage;
        for (size_t n = 0; n < instances.loops.size(); ++n) {
          unsigned at = loops[instances.loops[n]].level;
          if (at >= j)
            lineage.push_back(
                at == j || send.merged[n] ? -1 : instances.index[send.rep][n]);
        }
        classes[{ancestor(instances, send.rep, j), lineage}].push_back(k);
      }
      std::vector<Send> up;
      for (const auto &[where, members] : classes) {
        std::vector<Item> items;
        Send joined = sends[members.front()];
        joined.members.clear();
        for (size_t k : members)
          for (size_t m : sends[k].members) {
            items.push_back(
                {slotAt(instances, sends[k].rep, j), &in[m], &out[m]});
            joined.members.push_back(m);
          }
        for (size_t n = 0; n < instances.loops.size(); ++n)
          if (loops[instances.loops[n]].level == j)
            joined.merged[n] = 1;
        if (!registers) {
          NetworkLoad load =
              gridLoad(items, width, [&](const std::vector<unsigned> &set) {
                return NetworkLoad{1, network.reductionHops(set)};
              });
          c.accumulate(actions.networkWords, c.mul(weight, load.words));
          c.accumulate(actions.networkHops, c.mul(weight, load.hops));
        }
        up.push_back(std::move(joined));
      }
      sends = std::move(up);
    }
    TensorActions &source = report.actions.at(supplier, tensor);
    for (const Send &send : sends)
      c.accumulate(source.updates, c.mul(weight, distinct(send.members)));
  }

  /// Per dimension, the classes of the loops' executed tuples: the
  /// points left (capped at `reach`), how many tuples, one of them.
  struct Class {
    uint64_t count = 0;
    std::vector<int64_t> index;
  };
  std::map<int64_t, Class> classesOf(unsigned dim,
                                     const std::vector<size_t> &chosen,
                                     int64_t reach, bool advanced) const {
    std::map<int64_t, Class> classes;
    if (!clips[dim]) { // Never clipped: one class, every tuple.
      Class all;
      all.count = 1;
      for (size_t p : chosen)
        all.count *= uint64_t(loops[p].factor);
      all.index.assign(chosen.size(), 0);
      if (advanced) {
        all.count = all.count / uint64_t(loops[chosen.back()].factor) *
                    uint64_t(loops[chosen.back()].factor - 1);
        all.index.back() = 1;
      }
      classes[reach] = all;
      return classes;
    }
    clipped::forEachExecuted(
        loops, chosen, bounds[dim],
        [&](const std::vector<int64_t> &index, int64_t position) {
          if (advanced && index.back() == 0)
            return;
          Class &entry = classes[std::min(bounds[dim] - position, reach)];
          if (entry.count++ == 0)
            entry.index = index;
        });
    return classes;
  }

  /// Calls visit(weight, state) for every combination of the dimensions'
  /// classes: the temporal loops at nest positions `chosen[d]` set from the
  /// classes' representatives (the others 0).
  template <typename Visit>
  void forEachCombination(const std::vector<std::vector<size_t>> &chosen,
                          const std::vector<int64_t> &reach, size_t advanced,
                          Visit visit) const {
    size_t dims = bounds.size();
    std::vector<std::vector<const Class *>> classes(dims);
    std::vector<std::map<int64_t, Class>> storage(dims);
    for (unsigned d = 0; d < dims; ++d) {
      bool advances = advanced < loops.size() && loops[advanced].dim == d;
      if (chosen[d].empty()) {
        static const Class one{1, {}};
        classes[d].push_back(&one);
        continue;
      }
      storage[d] = classesOf(d, chosen[d], reach[d], advances);
      for (const auto &[key, entry] : storage[d])
        classes[d].push_back(&entry);
      if (classes[d].empty())
        return;
    }
    std::vector<size_t> pick(dims, 0);
    std::vector<int64_t> state(loops.size(), 0);
    while (true) {
      uint64_t weight = 1;
      std::fill(state.begin(), state.end(), 0);
      for (unsigned d = 0; d < dims; ++d) {
        const Class &entry = *classes[d][pick[d]];
        weight = nest.arithmetic().mul(weight, entry.count);
        for (size_t j = 0; j < chosen[d].size(); ++j)
          state[chosen[d][j]] = entry.index[j];
      }
      visit(weight, state);
      size_t d = dims;
      while (d > 0 && ++pick[d - 1] == classes[d - 1].size())
        pick[--d] = 0;
      if (d == 0)
        return;
    }
  }

  /// The reach of a dimension's loops other than `chosen`: every point
  /// left beyond it is the same (unclipped) class.
  int64_t reachOf(unsigned dim, const std::vector<size_t> &chosen) const {
    int64_t reach = 1;
    for (size_t p = 0; p < loops.size(); ++p)
      if (loops[p].dim == dim &&
          std::find(chosen.begin(), chosen.end(), p) == chosen.end())
        reach += (loops[p].factor - 1) * loops[p].stride;
    return reach;
  }

  /// Sets the temporal loops above `level` after nest position `from` to
  /// their last executed index (the loops before it as in `state`).
  void runToLast(unsigned level, std::vector<int64_t> &state,
                 size_t from) const {
    std::vector<int64_t> position(bounds.size(), 0);
    for (size_t p = 0; p < loops.size(); ++p) {
      const NestLoop &loop = loops[p];
      if (loop.spatial || loop.level >= level)
        continue;
      if (p >= from && loop.factor > 1)
        state[p] = clipped::lastIndex(bounds[loop.dim] - position[loop.dim],
                                      loop.stride, loop.factor);
      position[loop.dim] += state[p] * loop.stride;
    }
  }

  /// Per step kind of `level` (the first tile, each loop's advance, the
  /// last drain), calls visit(weight, old state or nullptr, new state or
  /// nullptr, the advancing loop's nest position or loops.size()).
  template <typename Visit> void forEachStep(unsigned level, Visit visit) {
    size_t dims = bounds.size();
    std::vector<int64_t> zero(loops.size(), 0), last(loops.size(), 0);
    visit(uint64_t(1), nullptr, &zero, loops.size());
    for (size_t i = 0; i < loops.size(); ++i) {
      const NestLoop &loop = loops[i];
      if (loop.spatial || loop.level >= level || loop.factor <= 1)
        continue;
      std::vector<std::vector<size_t>> chosen(dims);
      for (size_t p = 0; p <= i; ++p)
        if (!loops[p].spatial && loops[p].factor > 1)
          chosen[loops[p].dim].push_back(p);
      std::vector<int64_t> reach(dims);
      for (unsigned d = 0; d < dims; ++d)
        reach[d] = reachOf(d, chosen[d]);
      forEachCombination(chosen, reach, i,
                         [&](uint64_t weight, std::vector<int64_t> &state) {
                           std::vector<int64_t> before = state;
                           --before[i];
                           runToLast(level, before, i + 1);
                           visit(weight, &before, &state, i);
                         });
    }
    runToLast(level, last, 0);
    visit(uint64_t(1), &last, nullptr, loops.size());
  }

  void countLevel(unsigned level, uint32_t kept, unsigned out) {
    CheckedCounts &c = nest.arithmetic();
    Instances instances = instancesOf(level);
    size_t n = instances.index.size();
    unsigned tensors = unsigned(problem.tensors.size());
    std::vector<Box> before(n), after(n);
    forEachStep(level, [&](uint64_t weight, const std::vector<int64_t> *old,
                           const std::vector<int64_t> *now, size_t) {
      for (unsigned t = 0; t < tensors; ++t) {
        if (!((kept >> t) & 1))
          continue;
        for (size_t i = 0; i < n; ++i) {
          if (old)
            boxInto(before[i], level, t, *old, instances, i);
          else
            before[i] = Box{};
          if (now)
            boxInto(after[i], level, t, *now, instances, i);
          else
            after[i] = Box{};
        }
        unsigned supplier = nest.supplierOf(level, t);
        TensorActions &here = report.actions.at(level, t);
        if (t != out) {
          for (size_t i = 0; i < n; ++i)
            c.accumulate(here.fills,
                         c.mul(weight, outside(after[i], before[i])));
          transfer(supplier, level, t, instances, after, before, weight);
          continue;
        }
        for (size_t i = 0; i < n; ++i) // Drained up; never read back.
          c.accumulate(here.reads, c.mul(weight, outside(before[i], after[i])));
        upward(supplier, level, t, instances, before, after, weight);
      }
    });
  }

  bool usesDim(unsigned tensor, unsigned dim) const {
    for (const Projection &coordinate : problem.tensors[tensor].projection)
      if (coordinate.coefficientOf(dim) != 0)
        return true;
    return false;
  }

  /// The compute units: each step, every active unit reads one word of
  /// each input and updates one output word, from the innermost keepers.
  void countCompute(unsigned out) {
    CheckedCounts &c = nest.arithmetic();
    size_t dims = bounds.size();
    Instances units = instancesOf(levels);
    size_t n = units.index.size();
    std::vector<std::vector<size_t>> chosen(dims);
    for (size_t p = 0; p < loops.size(); ++p)
      if (!loops[p].spatial && loops[p].factor > 1)
        chosen[loops[p].dim].push_back(p);
    std::vector<int64_t> reach(dims);
    for (unsigned d = 0; d < dims; ++d)
      reach[d] = reachOf(d, chosen[d]);
    std::vector<Box> points(n), none(n);
    forEachCombination(
        chosen, reach, loops.size(),
        [&](uint64_t weight, const std::vector<int64_t> &state) {
          for (unsigned t = 0; t < problem.tensors.size(); ++t) {
            uint64_t active = 0;
            for (size_t i = 0; i < n; ++i) {
              points[i] = boxOf(levels, t, state, units, i);
              active += !points[i].empty;
            }
            if (t == 0)
              c.accumulate(macs, c.mul(weight, active));
            unsigned supplier = nest.innermostKeeper(t);
            if (t == out) {
              upward(supplier, levels, t, units, points, none, weight);
            } else {
              transfer(supplier, levels, t, units, points, none, weight);
            }
          }
        });
  }
};

} // namespace

bool clippedCountable(const Problem &problem) {
  // Proven exact (against the clipped brute-force walk) for outputs whose
  // coordinates are plain dimensions only.
  const Tensor &out = problem.tensors[problem.outputIndex()];
  std::vector<bool> seen(problem.dims.size(), false);
  for (const Projection &coordinate : out.projection) {
    if (coordinate.terms.size() != 1 ||
        std::abs(coordinate.terms[0].coefficient) != 1 ||
        seen[coordinate.terms[0].dim])
      return false;
    seen[coordinate.terms[0].dim] = true;
  }
  return true;
}

uint64_t clippedComputeCycles(const Problem &problem, const Arch &arch,
                              const Mapping &mapping, const NestAnalysis &nest,
                              uint64_t lanes) {
  Report scratch(arch.levelCount(), problem.tensors.size());
  return ClippedCounter(problem, arch, mapping, nest, scratch)
      .computeCycles(lanes);
}

void forEachClippedTileChange(
    const Problem &problem, const Arch &arch, const Mapping &mapping,
    const NestAnalysis &nest, unsigned level,
    const std::function<void(size_t, uint64_t, uint64_t)> &visit) {
  Report scratch(arch.levelCount(), problem.tensors.size());
  ClippedCounter(problem, arch, mapping, nest, scratch)
      .tileChanges(level, visit);
}

uint64_t countClippedAccesses(const Problem &problem, const Arch &arch,
                              const Mapping &mapping, const NestAnalysis &nest,
                              Report &report) {
  return ClippedCounter(problem, arch, mapping, nest, report).run();
}

} // namespace tessel
