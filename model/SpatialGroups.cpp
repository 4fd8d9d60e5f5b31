//===- model/SpatialGroups.cpp --------------------------------------------===//
#include "model/SpatialGroups.h"

#include "arch/Arch.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace tessel {
namespace {

/// A set of child-index shifts some origins share: `count` shifts from
/// `first` in the pool, the shift of the group's first instance (its
/// leader) and how many origins have this set and leader.
struct ShiftClass {
  size_t first = 0, count = 0;
  int64_t leader = 0;
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
  std::vector<size_t> order;          ///< Combos sorted by origin.
  std::vector<int64_t> distinct;      ///< Distinct origins, flat.
  std::vector<int64_t> index;         ///< An odometer.
  std::vector<int64_t> sums, next;    ///< Minkowski sums of shifts.
  std::vector<int64_t> base;          ///< The non-moving loops' children.
  std::vector<unsigned> children;
  std::vector<size_t> pick;           ///< A class per component.
  std::vector<int64_t> kept;
};

Scratch &scratch() {
  thread_local Scratch s;
  return s;
}

/// Keeps the vectors of `candidates` (flat, `width` each) that no other
/// one is below or equal to in every coordinate (and drops duplicates).
void keepMinimal(std::vector<int64_t> &candidates, size_t width,
                 std::vector<int64_t> &kept) {
  size_t n = width ? candidates.size() / width : 0;
  kept.clear();
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

/// Merges the classes of `component` that have the same leader and set.
void mergeClasses(Component &component, const std::vector<int64_t> &pool) {
  std::vector<ShiftClass> &classes = component.classes;
  auto less = [&](const ShiftClass &a, const ShiftClass &b) {
    if (a.leader != b.leader)
      return a.leader < b.leader;
    return std::lexicographical_compare(
        pool.begin() + a.first, pool.begin() + a.first + a.count,
        pool.begin() + b.first, pool.begin() + b.first + b.count);
  };
  auto same = [&](const ShiftClass &a, const ShiftClass &b) {
    return a.leader == b.leader && a.count == b.count &&
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

/// The classes of a component of several loops: every combination of its
/// indices, grouped by origin.
void enumerateComponent(Component &component,
                        const std::vector<SpreadLoop> &loops,
                        const std::vector<int64_t> &offsets, size_t width,
                        Scratch &s, std::vector<int64_t> &closest) {
  const std::vector<size_t> &members = component.loops;
  size_t combos = 1;
  for (size_t m : members)
    combos *= size_t(loops[m].factor);
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
  s.order.resize(combos);
  std::iota(s.order.begin(), s.order.end(), size_t(0));
  auto originOf = [&](size_t combo) { return &s.comboOrigins[combo * width]; };
  std::sort(s.order.begin(), s.order.end(), [&](size_t a, size_t b) {
    const int64_t *oa = originOf(a), *ob = originOf(b);
    for (size_t c = 0; c < width; ++c)
      if (oa[c] != ob[c])
        return oa[c] < ob[c];
    return a < b;
  });
  s.distinct.clear();
  for (size_t run = 0; run < combos;) {
    const int64_t *origin = originOf(s.order[run]);
    size_t end = run + 1;
    while (end < combos &&
           std::equal(origin, origin + width, originOf(s.order[end])))
      ++end;
    s.distinct.insert(s.distinct.end(), origin, origin + width);
    ShiftClass shiftClass;
    shiftClass.first = s.pool.size();
    shiftClass.leader = s.comboShifts[s.order[run]]; // The lowest combo.
    shiftClass.origins = 1;
    for (size_t i = run; i < end; ++i)
      s.pool.push_back(s.comboShifts[s.order[i]]);
    std::sort(s.pool.begin() + shiftClass.first, s.pool.end());
    s.pool.erase(std::unique(s.pool.begin() + shiftClass.first, s.pool.end()),
                 s.pool.end());
    shiftClass.count = s.pool.size() - shiftClass.first;
    component.classes.push_back(shiftClass);
    run = end;
  }
  mergeClasses(component, s.pool);
  // Two groups whose origins differ in this component alone: every pair.
  size_t origins = s.distinct.size() / width;
  for (size_t a = 0; a < origins; ++a)
    for (size_t b = a + 1; b < origins; ++b)
      for (size_t c = 0; c < width; ++c)
        closest.push_back(
            std::abs(s.distinct[a * width + c] - s.distinct[b * width + c]));
}

} // namespace

GroupTraffic countGroups(const std::vector<SpreadLoop> &loops,
                         const std::vector<int64_t> &offsets, size_t width,
                         const Network &network,
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
  // Each component's classes; components of other levels' loops only
  // multiply the groups.
  uint64_t otherGroups = 1;
  for (size_t k = 0; k < s.componentCount; ++k) {
    Component &component = s.components[k];
    if (component.loops.size() == 1) {
      size_t i = component.loops[0];
      for (size_t c = 0; c < width; ++c)
        closest.push_back(std::abs(offsets[i * width + c]));
      if (!component.atNetwork) {
        otherGroups *= uint64_t(loops[i].factor);
        continue;
      }
      for (int64_t j = 0; j < loops[i].factor; ++j) {
        ShiftClass shiftClass;
        shiftClass.first = s.pool.size();
        shiftClass.count = 1;
        shiftClass.leader = j * loops[i].childWeight;
        shiftClass.origins = 1;
        s.pool.push_back(shiftClass.leader);
        component.classes.push_back(shiftClass);
      }
      continue;
    }
    enumerateComponent(component, loops, offsets, width, s, closest);
    if (!component.atNetwork) {
      uint64_t origins = 0;
      for (const ShiftClass &shiftClass : component.classes)
        origins += shiftClass.origins;
      otherGroups *= origins;
    }
  }
  keepMinimal(closest, width, s.kept);

  GroupTraffic traffic;
  // Every combination of one class per network component is a set of
  // groups with the same children.
  s.pick.assign(s.componentCount, 0);
  while (true) {
    uint64_t groups = otherGroups;
    int64_t leader = 0;
    s.sums.assign(s.base.begin(), s.base.end());
    for (size_t k = 0; k < s.componentCount; ++k) {
      const Component &component = s.components[k];
      if (!component.atNetwork)
        continue;
      const ShiftClass &shiftClass = component.classes[s.pick[k]];
      groups *= shiftClass.origins;
      leader += shiftClass.leader;
      s.next.clear();
      for (int64_t sum : s.sums)
        for (size_t j = 0; j < shiftClass.count; ++j)
          s.next.push_back(sum + s.pool[shiftClass.first + j]);
      s.sums.swap(s.next);
    }
    s.children.clear();
    for (int64_t child : s.sums)
      s.children.push_back(unsigned(child));
    std::sort(s.children.begin(), s.children.end());
    s.children.erase(std::unique(s.children.begin(), s.children.end()),
                     s.children.end());
    traffic.groups += groups;
    traffic.childPairs += groups * s.children.size();
    traffic.multicastHops += groups * network.multicastHops(s.children);
    traffic.reductionHops += groups * network.reductionHops(s.children);
    traffic.leaderHops += groups * network.unicastHops(unsigned(leader));
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
  // is one child, under as many instances as the other loops make.
  s.sums.assign(1, 0);
  for (size_t i = 0; i < n; ++i) {
    if (!loops[i].atNetwork || loops[i].factor <= 1)
      continue;
    s.next.clear();
    for (int64_t sum : s.sums)
      for (int64_t k = 0; k < loops[i].factor; ++k)
        s.next.push_back(sum + k * loops[i].childWeight);
    s.sums.swap(s.next);
  }
  uint64_t drain = 0;
  for (int64_t child : s.sums)
    drain += network.drainHops(unsigned(child));
  traffic.drainHops = otherLevelInstances * drain;
  return traffic;
}

} // namespace tessel
