//===- model/Timing.cpp - Cycles no resource's traffic accounts for -------===//
#include "model/Timing.h"

#include "model/ClippedAccounting.h"
#include "model/Systolic.h"

#include "arch/Arch.h"
#include "mapping/Report.h"
#include "model/NestAnalysis.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace tessel {
namespace {

/// Latencies along the hierarchy, from the Arch: level k's network joins
/// level k to its children (level k + 1); the innermost level's instances
/// are the PEs.
class Paths {
public:
  Paths(const Arch &arch, const Mapping &mapping)
      : arch(arch), mapping(mapping), pe(arch.levelCount() - 1) {
    for (unsigned k = 0; k < pe && k < kMaxLevels; ++k) {
      hops[k] = farthestUsedChild(k, false);
      drains[k] = farthestUsedChild(k, true);
    }
  }

  unsigned peLevel() const { return pe; }

  /// Cycles for a word on level k's network to reach its farthest child
  /// that the mapping uses (a corner of the box its spatial loops span).
  uint64_t hop(unsigned k) const {
    if (k >= pe)
      return 0;
    return k < kMaxLevels ? hops[k] : farthestUsedChild(k, false);
  }
  /// The same for a sum on its way up from the farthest used child (a
  /// systolic wiring's sums leave at the far edge: a column's length).
  uint64_t drainHop(unsigned k) const {
    if (k >= pe)
      return 0;
    return k < kMaxLevels ? drains[k] : farthestUsedChild(k, true);
  }

  /// Cycles for a word of `tensor` that level `from` serves to reach level
  /// `to` (from < to) and be used there: the access latency of `from` and
  /// of every keeper on the way, the hops of every network crossed, and a
  /// cycle at each landing (a word that lands is read, relayed or computed
  /// on the next cycle). Levels that bypass the tensor relay it without an
  /// access.
  uint64_t down(unsigned from, unsigned to, unsigned tensor) const {
    uint64_t cycles = 0;
    for (unsigned k = from; k < to; ++k) {
      if (k == from || mapping.levels[k].keeps(tensor))
        cycles = saturatingAdd(cycles, uint64_t(arch.levels[k].latency));
      cycles = saturatingAdd(cycles, saturatingAdd<uint64_t>(hop(k), 1));
    }
    return cycles;
  }

  /// Cycles for the last sums of a tile at `level` to land there once the
  /// PEs under it have issued their last MAC: the MAC pipeline, then each
  /// network's hops, each landing but the last one a cycle.
  /// From the array's level instead, for a systolic array run as built
  /// (its folds count the cycles inside it).
  uint64_t drainTo(unsigned level, unsigned from) const {
    uint64_t pipeline = std::max<uint64_t>(1, arch.compute.pipelineLatency);
    if (from < pe)
      pipeline = 1;
    if (level >= from)
      return pipeline - 1;
    uint64_t cycles = pipeline - 1;
    for (unsigned k = level; k < from; ++k)
      cycles = saturatingAdd(cycles, saturatingAdd<uint64_t>(drainHop(k), 1));
    return cycles;
  }

private:
  static constexpr unsigned kMaxLevels = 16;
  const Arch &arch;
  const Mapping &mapping;
  unsigned pe;
  uint64_t hops[kMaxLevels] = {}, drains[kMaxLevels] = {};

  /// Down to (or, `up`, from) the farthest corner of the box of children
  /// the mapping's spatial loops use.
  uint64_t farthestUsedChild(unsigned k, bool up) const {
    const StorageLevel &level = arch.levels[k];
    const Network &network = level.network;
    uint64_t most = network.summary.unicastMaxHops;
    if (network.graph) {
      uint64_t x = 1, y = 1;
      for (const SpatialLoop &loop : mapping.levels[k].spatial)
        (loop.axis == SpatialAxis::X ? x : y) *= uint64_t(loop.factor);
      most = 0;
      for (uint64_t cx : {uint64_t(0), x - 1})
        for (uint64_t cy : {uint64_t(0), y - 1}) {
          unsigned child = unsigned(cx + cy * level.fanout[0]);
          most = std::max(most, up ? network.drainHops(child)
                                   : network.unicastHops(child));
        }
    }
    return saturatingMul(std::max<uint64_t>(1, network.hopLatency), most);
  }
};

/// Whether two of `level`'s tiles fit (the level then fetches its next
/// tile while the current one is in use).
bool holdsTwoTiles(const Problem &problem, const Arch &arch,
                   const Mapping &mapping, const NestAnalysis &nest,
                   unsigned level) {
  const StorageLevel &storage = arch.levels[level];
  if (storage.isUnbounded())
    return true;
  uint64_t total = 0;
  for (unsigned t = 0; t < problem.tensors.size(); ++t) {
    if (!mapping.levels[level].keeps(t))
      continue;
    uint64_t words = saturatingMul<uint64_t>(
        2, storedWords(problem, t, storage, nest.tileWords(level, t)));
    if (storage.partition &&
        words > storage.capacityFor(tensorRole(problem, t)))
      return false;
    total = saturatingAdd(total, words);
  }
  return storage.partition || total <= storage.capacity;
}

/// The copies of a tile of `level` its supplier sends: one per group of
/// instances sharing it where the path multicasts, else one per instance
/// under the supplier.
uint64_t tilesServed(const NestAnalysis &nest, unsigned supplier,
                     unsigned level, unsigned tensor) {
  return nest.pathCanMulticast(supplier, level)
             ? nest.groupTraffic(supplier, level, tensor).groups
             : nest.activeInstances(level) /
                   std::max<uint64_t>(1, nest.activeInstances(supplier));
}

/// Per-thread scratch, so that the hot path does not allocate.
std::vector<uint64_t> &usedByBuffer() {
  thread_local std::vector<uint64_t> buffer;
  return buffer;
}
std::vector<uint64_t> &wordsBuffer() {
  thread_local std::vector<uint64_t> buffer;
  return buffer;
}

/// Calls visit(changes, moved) for each advance of a temporal loop above
/// `level`: `changes` tile changes of the level at which the boxes of the
/// tensors in mask `moved` move (the loop's dimension, or one that a loop
/// inside it rewinds).
template <typename Visit>
void forEachTileChange(const uint64_t *usedBy, const NestAnalysis &nest,
                       unsigned level, Visit visit) {
  CheckedCounts &counts = nest.arithmetic();
  const std::vector<NestLoop> &loops = nest.loops();
  uint64_t trips = 1;
  for (const NestLoop &loop : loops)
    if (!loop.spatial && loop.level < level && loop.factor > 1)
      trips = counts.mul(trips, uint64_t(loop.factor));
  uint64_t rewound = 0;
  for (size_t i = loops.size(); i-- > 0;) {
    const NestLoop &loop = loops[i];
    if (loop.spatial || loop.level >= level || loop.factor <= 1)
      continue;
    trips /= uint64_t(loop.factor);
    rewound |= usedBy[loop.dim];
    visit(nest.clips() ? nest.tileChanges(level, i)
                       : counts.mul(trips, uint64_t(loop.factor - 1)),
          rewound, i);
  }
}

std::string plural(uint64_t n, const std::string &word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

void addExposedCycles(const Problem &problem, const Arch &arch,
                      const Mapping &mapping, const NestAnalysis &nest,
                      const SystolicFolds &systolic, Report &report) {
  CheckedCounts &counts = nest.arithmetic();
  Paths paths(arch, mapping);
  const unsigned pe = paths.peLevel();
  const unsigned tensors = unsigned(problem.tensors.size());
  // Each cause, and whether it stalls only the compute units (the ports
  // and networks may still be busy then: a bottleneck elsewhere hides it).
  // Names are built only for causes that cost cycles (the mapper calls
  // this millions of times).
  std::vector<std::pair<ResourceCycles, bool>> found;
  auto add = [&](auto cause, uint64_t cycles, bool computeOnly) {
    if (cycles)
      found.push_back({{std::string(cause()), cycles}, computeOnly});
  };
  // Bit t of usedBy[d]: tensor t's coordinates use dimension d.
  std::vector<uint64_t> &usedBy = usedByBuffer();
  usedBy.assign(problem.dims.size(), 0);
  for (unsigned t = 0; t < tensors; ++t)
    for (const Projection &coordinate : problem.tensors[t].projection)
      for (const ProjectionTerm &term : coordinate.terms)
        if (term.coefficient != 0 && term.dim < usedBy.size())
          usedBy[term.dim] |= uint64_t(1) << t;

  // Start: each input's first word from the outermost level to the PEs
  // (its request climbs to the outermost level first), after the first
  // tile of the level whose first fill takes longest has arrived (a
  // supplier serves a tile's words in the order they are asked for; a
  // systolic array starts a fold once its tile is complete, the inputs it
  // bypasses staged in it too).
  const unsigned edge = systolic.asBuilt ? systolic.level : pe;
  uint64_t start = 0;
  for (unsigned t = 0; t < tensors; ++t) {
    if (problem.tensors[t].isOutput)
      continue;
    unsigned first = edge;
    for (unsigned l = 1; l < edge; ++l)
      if (mapping.levels[l].keeps(t)) {
        first = l;
        break;
      }
    start =
        std::max(start, counts.add(uint64_t(first), paths.down(0, edge, t)));
  }
  // A systolic array's fold controller steps after the hierarchy in each
  // cycle: it uses a word the cycle it lands.
  if (systolic.asBuilt && start > 0)
    --start;
  uint64_t firstFill = 0;
  // Elements each supplier sends, as the words of its read port (packed,
  // arch/Packing.h) and of its network's links (a word per element).
  std::vector<uint64_t> &wordsFrom = wordsBuffer();
  thread_local std::vector<double> portWordsFrom;
  for (unsigned l = 1; l <= edge; ++l) {
    wordsFrom.assign(pe + 1, 0);
    portWordsFrom.assign(pe + 1, 0);
    for (unsigned t = 0; t < tensors; ++t) {
      bool staged = systolic.asBuilt && l == edge;
      if ((!mapping.levels[l].keeps(t) && !staged) ||
          problem.tensors[t].isOutput)
        continue;
      unsigned supplier = nest.supplierOf(l, t);
      uint64_t elements = counts.mul(tilesServed(nest, supplier, l, t),
                                     nest.tileWords(l, t));
      Packing packing = packingAt(problem, t, arch.levels[supplier]);
      counts.accumulate(wordsFrom[supplier],
                        counts.mul<uint64_t>(elements, packing.wordsEach));
      portWordsFrom[supplier] += double(elements) * packing.wordsPerElement();
    }
    for (unsigned k = 0; k < l; ++k) {
      const StorageLevel &supplier = arch.levels[k];
      auto fill = [&](double words, std::optional<double> rate) {
        if (rate && words > 0)
          firstFill =
              std::max(firstFill, counts.fromDouble(std::ceil(words / *rate)));
      };
      fill(portWordsFrom[k], supplier.readBandwidth);
      fill(double(wordsFrom[k]), supplier.network.linkBandwidth);
    }
  }
  add([] { return "start (first words to the PEs)"; }, start, false);
  add([] { return "first tile's fill"; }, firstFill, true);
  add([&] { return "end (last sums to " + arch.levels[0].name + ")"; },
      paths.drainTo(0, edge), false);

  // Tile changes a level cannot hide, innermost level first: a tile's
  // time includes what the levels inside it expose.
  const uint64_t lanes = std::max(1u, arch.compute.macsPerPE);
  uint64_t inner = 0; // Exposed by the levels inside the current one.
  if (systolic.asBuilt) {
    // Each fold: its stationary words shift down the rows (behind the
    // previous fold with two stationary buffers), its stream enters
    // skewed (a row a cycle, or a MAC pipeline a row where partial sums
    // move down) and the last marks cross every row and column before
    // the next fold may start (unless folds overlap).
    const StorageLevel &storage = arch.levels[systolic.level];
    const Network &network = storage.network;
    uint64_t rows = systolic.rows, cols = systolic.cols;
    uint64_t mac = std::max<uint64_t>(1, arch.compute.pipelineLatency);
    uint64_t skew = (rows - 1) * (systolic.reduce ? mac : 1) + cols - 1;
    uint64_t load = systolic.reduce ? rows : 0;
    uint64_t perFold = 0, once = 0;
    if (network.foldOverlap && network.stationaryBuffers >= 2) {
      // Streams follow each other, but a fold's stationary words latch only
      // once every PE has switched to the fold before: R + C - 2 cycles
      // after that fold's stream started.
      uint64_t latch = rows + cols - 2;
      perFold = latch > systolic.stream ? latch - systolic.stream : 0;
      once = counts.add(load, skew);
    } else if (network.stationaryBuffers >= 2) {
      perFold = skew;
      once = load;
    } else {
      perFold = counts.add(load, skew);
    }
    // Output-stationary: each fold's sums shift down the columns behind the
    // next fold; the last fold's drain (a row a cycle) is exposed.
    if (!systolic.reduce)
      once = counts.add(once, rows);
    uint64_t folds = counts.add(counts.mul(systolic.folds, perFold), once);
    add(
        [&] {
          return storage.name + "'s systolic folds (" +
                 plural(systolic.folds, "fold") + " of " +
                 plural(systolic.stream, "step") + ": load, skew and drain)";
        },
        // A level that holds two tiles fills the next while the array
        // works (its supplier's port may hide the folds); one that holds
        // one fills only once the array is done: nothing overlaps them.
        folds, holdsTwoTiles(problem, arch, mapping, nest, systolic.level));
    counts.accumulate(inner, folds);
  }
  for (unsigned l = pe; l >= 1; --l) {
    if (systolic.asBuilt && l > systolic.level)
      continue; // The array's PEs: their folds are below.
    const LevelMapping &level = mapping.levels[l];
    bool twoTiles = holdsTwoTiles(problem, arch, mapping, nest, l);
    // The tensors whose tiles the level holds: what it keeps and, at a
    // systolic array run as built, the inputs it stages in its edge FIFOs
    // (each tile's words fetched from their supplier at a tile change).
    auto holdsTiles = [&](unsigned t) {
      return level.keeps(t) ||
             (systolic.asBuilt && l == systolic.level &&
              !problem.tensors[t].isOutput);
    };
    uint64_t tiles = std::max<uint64_t>(1, nest.epochs(l));
    uint64_t tileCycles =
        (nest.temporalSteps() / tiles + lanes - 1) / lanes + inner / tiles;
    uint64_t exposed = 0, changes = 0;
    // Whether every tile change fetches (the innermost loop above the
    // level moves a kept input): then fetches follow each other.
    uint64_t keptInputs = 0;
    for (unsigned t = 0; t < tensors; ++t)
      if (holdsTiles(t) && !problem.tensors[t].isOutput)
        keptInputs |= uint64_t(1) << t;
    bool everyChange = false;
    const std::vector<NestLoop> &loops = nest.loops();
    for (size_t i = loops.size(); i-- > 0;)
      if (!loops[i].spatial && loops[i].level < l && loops[i].factor > 1) {
        everyChange = (usedBy[loops[i].dim] & keptInputs) != 0;
        break;
      }
    auto change = [&](uint64_t n, uint64_t moved, uint64_t tileCycles) {
      uint64_t fetch = 0, drain = 0;
      // The moved tiles' words through each supplier's read port and
      // links: the last word arrives that much after the first.
      thread_local std::vector<double> portWords, linkWords;
      portWords.assign(pe + 1, 0);
      linkWords.assign(pe + 1, 0);
      for (unsigned t = 0; t < tensors; ++t) {
        if (!holdsTiles(t) || !((moved >> t) & 1))
          continue;
        if (problem.tensors[t].isOutput) {
          drain = paths.drainTo(l, edge);
          continue;
        }
        unsigned supplier = nest.supplierOf(l, t);
        uint64_t arrive =
            counts.add(uint64_t(l - supplier), paths.down(supplier, l, t),
                       l < pe ? paths.down(l, pe, t) : uint64_t(0));
        fetch = std::max(fetch, arrive);
        double elements = double(tilesServed(nest, supplier, l, t)) *
                          double(nest.tileWords(l, t));
        portWords[supplier] +=
            elements *
            packingAt(problem, t, arch.levels[supplier]).wordsPerElement();
        linkWords[supplier] += elements;
      }
      uint64_t transfer = 0;
      for (unsigned k = 0; k < l; ++k) {
        auto spread = [&](double words, std::optional<double> rate) {
          if (rate && words > *rate)
            transfer = std::max(
                transfer, counts.fromDouble(std::ceil(words / *rate)) - 1);
        };
        spread(portWords[k], arch.levels[k].readBandwidth);
        spread(linkWords[k], arch.levels[k].network.linkBandwidth);
      }
      if (fetch && !twoTiles)
        fetch = counts.add(fetch, transfer);
      // With two buffers, the next tile is asked for when the one before
      // the current is released, so a fetch overlaps the tile before its
      // own; where every change fetches, two fetches overlap, and a tile
      // takes at least half of a fetch and its own compute.
      uint64_t beyond = fetch > tileCycles ? fetch - tileCycles : 0;
      uint64_t wait = !twoTiles     ? counts.add(fetch, drain)
                      : everyChange ? (beyond + 1) / 2
                                    : beyond;
      if (wait) {
        counts.accumulate(exposed, counts.mul(n, wait));
        counts.accumulate(changes, n);
      }
    };
    if (!nest.clips()) {
      forEachTileChange(usedBy.data(), nest, l,
                        [&](uint64_t n, uint64_t moved, size_t) {
                          change(n, moved, tileCycles);
                        });
    } else {
      // Clipped tiles differ in length: each change's fetch overlaps the
      // tile before it, as long as that tile runs.
      std::vector<uint64_t> movedAt(nest.loops().size(), 0);
      forEachTileChange(usedBy.data(), nest, l,
                        [&](uint64_t, uint64_t moved, size_t loop) {
                          movedAt[loop] = moved;
                        });
      forEachClippedTileChange(problem, arch, mapping, nest, l,
                               [&](size_t loop, uint64_t n, uint64_t steps) {
                                 change(n, movedAt[loop],
                                        (steps + lanes - 1) / lanes +
                                            inner / tiles);
                               });
    }
    add(
        [&] {
          return arch.levels[l].name + " tile changes (" +
                 plural(changes, "wait") +
                 (twoTiles ? ", double-buffered" : ", single-buffered") + ")";
        },
        exposed, twoTiles);
    counts.accumulate(inner, exposed);
  }

  // What stalls only the compute units hides behind a busier resource.
  uint64_t computeCycles = 0, busiest = 0;
  std::string busiestName;
  for (const ResourceCycles &resource : report.resourceCycles) {
    if (resource.resource == "compute")
      computeCycles = resource.cycles;
    if (resource.cycles > busiest) {
      busiest = resource.cycles;
      busiestName = resource.resource;
    }
  }
  uint64_t slack = busiest - std::min(busiest, computeCycles);
  for (auto &[cause, computeOnly] : found) {
    if (computeOnly && slack) {
      uint64_t hidden = std::min(slack, cause.cycles);
      slack -= hidden;
      cause.cycles -= hidden;
      cause.resource += " (" + std::to_string(hidden) + " more hidden by " +
                        busiestName + ")";
    }
    if (cause.cycles)
      report.exposedCycles.push_back(std::move(cause));
  }
}

} // namespace tessel
