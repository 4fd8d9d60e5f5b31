//===- model/SpatialGroups.cpp --------------------------------------------===//
#include "model/SpatialGroups.h"

#include "arch/Arch.h"
#include "model/MemoKey.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <unordered_map>

namespace tessel {
namespace {

/// A set of child-index shifts some origins share: `count` shifts from
/// `first` in the pool, and how many origins have this set.
struct ShiftClass {
  size_t first = 0, count = 0;
  uint64_t origins = 0;
};

/// One component: loops that move a shared coordinate (or one loop alone).
struct Component {
  std::vector<size_t> loops;
  std::vector<ShiftClass> classes;
  bool atNetwork = false;
};

/// Scratch kept per thread: the search calls this for most candidates.
struct Scratch {
  std::vector<size_t> parent;
  std::vector<Component> components;
  size_t componentCount = 0;
  std::vector<int64_t> pool;          ///< Shifts of every class.
  std::vector<int64_t> comboOrigins;  ///< [combo * width + c].
  std::vector<int64_t> comboShifts;   ///< [combo].
  std::vector<size_t> order;          ///< Vectors by rank (keysOf).
  std::vector<int64_t> index;         ///< An odometer.
  std::vector<int64_t> sums, next;    ///< Minkowski sums of shifts.
  std::vector<int64_t> base;          ///< The non-moving loops' children.
  std::vector<unsigned> children;
  std::vector<size_t> pick;           ///< A class per component.
  std::vector<int64_t> kept;
  std::vector<int64_t> differences; ///< Of origins, flat.
  std::vector<int64_t> low, high, spread, radix; ///< Per coordinate.
  std::vector<uint64_t> keys;
  std::vector<std::pair<uint64_t, size_t>> keyed;
};

Scratch &scratch() {
  thread_local Scratch s;
  return s;
}

/// Keeps the vectors of `candidates` (flat, `width` each, coordinates not
/// negative) that no other one is below or equal to in every coordinate,
/// each once. By increasing sum, a vector is dominated iff a minimal one
/// kept before it is below it (a dominating vector has no larger sum, and
/// an equal sum means an equal vector).
void keepMinimal(std::vector<int64_t> &candidates, size_t width, Scratch &s) {
  size_t n = width ? candidates.size() / width : 0;
  s.keyed.resize(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t sum = 0;
    for (size_t c = 0; c < width; ++c)
      sum += uint64_t(candidates[i * width + c]);
    s.keyed[i] = {sum, i};
  }
  std::sort(s.keyed.begin(), s.keyed.end());
  s.kept.clear();
  for (const auto &[sum, i] : s.keyed) {
    const int64_t *v = &candidates[i * width];
    bool dominated = false;
    for (size_t k = 0; k < s.kept.size() && !dominated; k += width) {
      bool below = true;
      for (size_t c = 0; c < width && below; ++c)
        below = s.kept[k + c] <= v[c];
      dominated = below;
    }
    if (!dominated)
      s.kept.insert(s.kept.end(), v, v + width);
  }
  candidates.swap(s.kept);
}

/// Merges the classes of `component` that have the same set.
void mergeClasses(Component &component, const std::vector<int64_t> &pool) {
  std::vector<ShiftClass> &classes = component.classes;
  auto less = [&](const ShiftClass &a, const ShiftClass &b) {
    return std::lexicographical_compare(
        pool.begin() + a.first, pool.begin() + a.first + a.count,
        pool.begin() + b.first, pool.begin() + b.first + b.count);
  };
  auto same = [&](const ShiftClass &a, const ShiftClass &b) {
    return a.count == b.count &&
           std::equal(pool.begin() + a.first, pool.begin() + a.first + a.count,
                      pool.begin() + b.first);
  };
  std::sort(classes.begin(), classes.end(), less);
  size_t out = 0;
  for (size_t i = 0; i < classes.size(); ++i) {
    if (out > 0 && same(classes[out - 1], classes[i]))
      classes[out - 1].origins += classes[i].origins;
    else
      classes[out++] = classes[i];
  }
  classes.resize(out);
}

/// Sort keys of `count` vectors (flat, `width` each, every coordinate c in
/// [low[c], high[c]]): equal keys for equal vectors, ordered as the vectors
/// are lexicographically. A mixed-radix code where it fits in 63 bits, else
/// the vector's rank.
void keysOf(const std::vector<int64_t> &vectors, size_t count, size_t width,
            const std::vector<int64_t> &low, const std::vector<int64_t> &high,
            Scratch &s, std::vector<uint64_t> &keys) {
  keys.assign(count, 0);
  s.radix.assign(width, 0);
  uint64_t scale = 1;
  bool fits = true;
  for (size_t c = width; c-- > 0 && fits;) { // Coordinate 0 most significant.
    s.radix[c] = int64_t(scale);
    uint64_t range = uint64_t(high[c] - low[c]) + 1;
    fits = !__builtin_mul_overflow(scale, range, &scale) && scale < (1ull << 62);
  }
  if (fits) {
    for (size_t i = 0; i < count; ++i)
      for (size_t c = 0; c < width; ++c)
        keys[i] += uint64_t(vectors[i * width + c] - low[c]) * uint64_t(s.radix[c]);
    return;
  }
  s.order.resize(count);
  std::iota(s.order.begin(), s.order.end(), size_t(0));
  auto at = [&](size_t i) { return &vectors[i * width]; };
  std::sort(s.order.begin(), s.order.end(), [&](size_t a, size_t b) {
    return std::lexicographical_compare(at(a), at(a) + width, at(b),
                                        at(b) + width);
  });
  uint64_t rank = 0;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0 && !std::equal(at(s.order[i]), at(s.order[i]) + width,
                             at(s.order[i - 1])))
      ++rank;
    keys[s.order[i]] = rank;
  }
}

/// The classes of a component of several loops: every combination of its
/// indices, grouped by origin.
void enumerateComponent(Component &component,
                        const std::vector<SpreadLoop> &loops,
                        const std::vector<int64_t> &offsets, size_t width,
                        Scratch &s) {
  const std::vector<size_t> &members = component.loops;
  size_t combos = 1;
  s.low.assign(width, 0);
  s.high.assign(width, 0);
  for (size_t m : members) {
    combos *= size_t(loops[m].factor);
    for (size_t c = 0; c < width; ++c) {
      int64_t reach = (loops[m].factor - 1) * offsets[m * width + c];
      (reach < 0 ? s.low[c] : s.high[c]) += reach;
    }
  }
  s.comboOrigins.assign(combos * width, 0);
  s.comboShifts.assign(combos, 0);
  s.index.assign(members.size(), 0);
  // Odometer, the last loop fastest (the nest's order of the instances).
  for (size_t combo = 0; combo < combos; ++combo) {
    int64_t *origin = &s.comboOrigins[combo * width];
    int64_t shift = 0;
    for (size_t m = 0; m < members.size(); ++m) {
      const int64_t *offset = &offsets[members[m] * width];
      for (size_t c = 0; c < width; ++c)
        origin[c] += s.index[m] * offset[c];
      shift += s.index[m] * loops[members[m]].childWeight;
    }
    s.comboShifts[combo] = shift;
    for (size_t m = members.size(); m-- > 0;) {
      if (++s.index[m] < loops[members[m]].factor)
        break;
      s.index[m] = 0;
    }
  }
  // Combos by origin.
  keysOf(s.comboOrigins, combos, width, s.low, s.high, s, s.keys);
  s.keyed.resize(combos);
  for (size_t combo = 0; combo < combos; ++combo)
    s.keyed[combo] = {s.keys[combo], combo};
  std::sort(s.keyed.begin(), s.keyed.end());
  for (size_t run = 0; run < combos;) {
    size_t end = run + 1;
    while (end < combos && s.keyed[end].first == s.keyed[run].first)
      ++end;
    ShiftClass shiftClass;
    shiftClass.first = s.pool.size();
    shiftClass.origins = 1;
    for (size_t i = run; i < end; ++i)
      s.pool.push_back(s.comboShifts[s.keyed[i].second]);
    std::sort(s.pool.begin() + shiftClass.first, s.pool.end());
    s.pool.erase(std::unique(s.pool.begin() + shiftClass.first, s.pool.end()),
                 s.pool.end());
    shiftClass.count = s.pool.size() - shiftClass.first;
    component.classes.push_back(shiftClass);
    run = end;
  }
  mergeClasses(component, s.pool);
}

/// Adds to `closest` how far apart the origins of two groups that differ
/// in this component alone are: |sum of (index difference x offset)|, each
/// index difference in (-factor, factor) and the sum not zero; each
/// distinct one once.
void addDifferences(const Component &component,
                    const std::vector<SpreadLoop> &loops,
                    const std::vector<int64_t> &offsets, size_t width,
                    Scratch &s, std::vector<int64_t> &closest) {
  const std::vector<size_t> &members = component.loops;
  s.spread.assign(width, 0);
  for (size_t m : members)
    for (size_t c = 0; c < width; ++c)
      s.spread[c] += std::abs((loops[m].factor - 1) * offsets[m * width + c]);
  s.differences.clear();
  s.index.assign(members.size(), 0);
  for (size_t m = 0; m < members.size(); ++m)
    s.index[m] = 1 - loops[members[m]].factor;
  while (true) {
    size_t at = s.differences.size();
    bool zero = true;
    for (size_t c = 0; c < width; ++c) {
      int64_t v = 0;
      for (size_t m = 0; m < members.size(); ++m)
        v += s.index[m] * offsets[members[m] * width + c];
      s.differences.push_back(std::abs(v));
      zero &= v == 0;
    }
    if (zero)
      s.differences.resize(at);
    size_t m = members.size();
    while (m > 0 && ++s.index[m - 1] == loops[members[m - 1]].factor) {
      s.index[m - 1] = 1 - loops[members[m - 1]].factor;
      --m;
    }
    if (m == 0)
      break;
  }
  size_t count = s.differences.size() / width;
  s.low.assign(width, 0);
  keysOf(s.differences, count, width, s.low, s.spread, s, s.keys);
  s.keyed.resize(count);
  for (size_t i = 0; i < count; ++i)
    s.keyed[i] = {s.keys[i], i};
  std::sort(s.keyed.begin(), s.keyed.end());
  for (size_t i = 0; i < count; ++i) {
    if (i > 0 && s.keyed[i].first == s.keyed[i - 1].first)
      continue;
    const int64_t *d = &s.differences[s.keyed[i].second * width];
    closest.insert(closest.end(), d, d + width);
  }
}

/// The network's part of the groups of one combination of the other
/// levels' components: the groups' count, children and hops, and every
/// instance's drain hops per instance of the other levels.
struct NetworkSums {
  uint64_t groups = 0, childPairs = 0, multicastHops = 0, reductionHops = 0,
           drainHops = 0;
};

NetworkSums networkSums(const std::vector<SpreadLoop> &loops,
                        const std::vector<int64_t> &offsets, size_t width,
                        const Network &network, Scratch &s) {
  NetworkSums sums;
  for (size_t k = 0; k < s.componentCount; ++k) {
    Component &component = s.components[k];
    if (!component.atNetwork)
      continue;
    if (component.loops.size() > 1) {
      enumerateComponent(component, loops, offsets, width, s);
      continue;
    }
    size_t i = component.loops[0];
    for (int64_t j = 0; j < loops[i].factor; ++j) {
      ShiftClass shiftClass;
      shiftClass.first = s.pool.size();
      shiftClass.count = 1;
      shiftClass.origins = 1;
      s.pool.push_back(j * loops[i].childWeight);
      component.classes.push_back(shiftClass);
    }
  }
  // Every combination of one class per network component is a set of
  // groups with the same children. (The children of a valid mapping's
  // combinations of indices are distinct: each axis's factors fit it.)
  s.pick.assign(s.componentCount, 0);
  while (true) {
    uint64_t groups = 1;
    s.sums.assign(s.base.begin(), s.base.end());
    for (size_t k = 0; k < s.componentCount; ++k) {
      const Component &component = s.components[k];
      if (!component.atNetwork)
        continue;
      const ShiftClass &shiftClass = component.classes[s.pick[k]];
      groups *= shiftClass.origins;
      if (shiftClass.count == 1) {
        for (int64_t &sum : s.sums)
          sum += s.pool[shiftClass.first];
        continue;
      }
      s.next.clear();
      for (int64_t sum : s.sums)
        for (size_t j = 0; j < shiftClass.count; ++j)
          s.next.push_back(sum + s.pool[shiftClass.first + j]);
      s.sums.swap(s.next);
    }
    s.children.assign(s.sums.begin(), s.sums.end());
    sums.groups += groups;
    sums.childPairs += groups * s.children.size();
    sums.multicastHops += groups * network.multicastHops(s.children);
    sums.reductionHops += groups * network.reductionHops(s.children);
    bool advanced = false;
    for (size_t k = s.componentCount; k-- > 0 && !advanced;) {
      if (!s.components[k].atNetwork)
        continue;
      if (++s.pick[k] < s.components[k].classes.size())
        advanced = true;
      else
        s.pick[k] = 0;
    }
    if (!advanced)
      break;
  }
  // Every instance drains alone: each combination of the network's loops
  // is one child.
  s.sums.assign(1, 0);
  for (const SpreadLoop &loop : loops) {
    if (!loop.atNetwork || loop.factor <= 1)
      continue;
    s.next.clear();
    for (int64_t sum : s.sums)
      for (int64_t k = 0; k < loop.factor; ++k)
        s.next.push_back(sum + k * loop.childWeight);
    s.sums.swap(s.next);
  }
  for (int64_t child : s.sums)
    sums.drainHops += network.drainHops(unsigned(child));
  return sums;
}

FlatMemo<NetworkSums> &groupMemo() {
  thread_local FlatMemo<NetworkSums> memo(1u << 17);
  return memo;
}

} // namespace

void clearGroupMemo() { groupMemo().clear(); }

GroupTraffic countGroups(const std::vector<SpreadLoop> &loops,
                         const std::vector<int64_t> &offsets, size_t width,
                         const Network &network, uint64_t networkKey,
                         std::vector<int64_t> &closest) {
  Scratch &s = scratch();
  size_t n = loops.size();
  auto moves = [&](size_t i) {
    if (loops[i].factor <= 1)
      return false; // One index: no second origin.
    for (size_t c = 0; c < width; ++c)
      if (offsets[i * width + c] != 0)
        return true;
    return false;
  };
  // Components: moving loops joined when they move a shared coordinate.
  s.parent.resize(n);
  std::iota(s.parent.begin(), s.parent.end(), size_t(0));
  auto find = [&](size_t x) {
    while (s.parent[x] != x)
      x = s.parent[x] = s.parent[s.parent[x]];
    return x;
  };
  for (size_t a = 0; a < n; ++a)
    for (size_t b = a + 1; b < n; ++b)
      if (moves(a) && moves(b))
        for (size_t c = 0; c < width; ++c)
          if (offsets[a * width + c] != 0 && offsets[b * width + c] != 0) {
            s.parent[find(a)] = find(b);
            break;
          }
  s.componentCount = 0;
  s.pool.clear();
  closest.clear();
  // Loops that move nothing: replicate each group over the children they
  // reach (the base set) and multiply the instances.
  s.sums.assign(1, 0);
  uint64_t otherLevelInstances = 1; // Per network child combination.
  for (size_t i = 0; i < n; ++i) {
    if (!loops[i].atNetwork)
      otherLevelInstances *= uint64_t(loops[i].factor);
    if (moves(i)) {
      if (find(i) != i)
        continue;
      if (s.components.size() <= s.componentCount)
        s.components.emplace_back();
      Component &component = s.components[s.componentCount++];
      component.loops.clear();
      component.classes.clear();
      component.atNetwork = false;
      for (size_t j = 0; j < n; ++j)
        if (moves(j) && find(j) == i) {
          component.loops.push_back(j);
          component.atNetwork |= loops[j].atNetwork;
        }
      continue;
    }
    if (!loops[i].atNetwork || loops[i].factor <= 1)
      continue;
    s.next.clear();
    for (int64_t base : s.sums)
      for (int64_t k = 0; k < loops[i].factor; ++k)
        s.next.push_back(base + k * loops[i].childWeight);
    s.sums.swap(s.next);
  }
  s.base.swap(s.sums);
  // How far apart the groups' origins can be; components of other levels'
  // loops only multiply the groups.
  uint64_t otherGroups = 1;
  for (size_t k = 0; k < s.componentCount; ++k) {
    Component &component = s.components[k];
    if (component.loops.size() == 1) {
      size_t i = component.loops[0];
      for (size_t c = 0; c < width; ++c)
        closest.push_back(std::abs(offsets[i * width + c]));
      if (!component.atNetwork)
        otherGroups *= uint64_t(loops[i].factor);
      continue;
    }
    addDifferences(component, loops, offsets, width, s, closest);
    if (!component.atNetwork) {
      enumerateComponent(component, loops, offsets, width, s);
      uint64_t origins = 0;
      for (const ShiftClass &shiftClass : component.classes)
        origins += shiftClass.origins;
      otherGroups *= origins;
    }
  }
  keepMinimal(closest, width, s);

  // The network's part depends on its loops alone (and, for components of
  // several loops, on how their origins coincide): memoised.
  MemoKey key;
  key.push(int64_t(networkKey));
  for (size_t i = 0; i < n; ++i)
    if (loops[i].atNetwork && !moves(i) && loops[i].factor > 1) {
      key.push(loops[i].factor);
      key.push(loops[i].childWeight);
    }
  for (size_t k = 0; k < s.componentCount; ++k) {
    const Component &component = s.components[k];
    if (!component.atNetwork)
      continue;
    key.push(-1);
    for (size_t i : component.loops) {
      key.push(loops[i].factor);
      key.push(loops[i].childWeight);
      if (component.loops.size() > 1)
        for (size_t c = 0; c < width; ++c)
          key.push(offsets[i * width + c]);
    }
  }
  FlatMemo<NetworkSums> &memo = groupMemo();
  const NetworkSums *found = memo.find(key);
  if (!found) {
    if (4 * memo.size() >= 3 * memo.capacity())
      memo.clear();
    found = &memo.insert(key, networkSums(loops, offsets, width, network, s));
  }
  const NetworkSums &sums = *found;
  GroupTraffic traffic;
  traffic.groups = otherGroups * sums.groups;
  traffic.childPairs = otherGroups * sums.childPairs;
  traffic.multicastHops = otherGroups * sums.multicastHops;
  traffic.reductionHops = otherGroups * sums.reductionHops;
  traffic.drainHops = otherLevelInstances * sums.drainHops;
  return traffic;
}

} // namespace tessel
