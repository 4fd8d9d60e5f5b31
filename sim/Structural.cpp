//===- sim/Structural.cpp - Every buffer instance, link and PE ------------===//

#include "sim/Structural.h"

#include "arch/Arch.h"
#include "arch/Energy.h"
#include "mapping/Mapping.h"
#include "sim/Dram.h"
#include "sim/Link.h"
#include "sim/Noc.h"
#include "sim/TensorSpace.h"
#include "sim/Trace.h"
#include "sim/VcdWriter.h"
#include "support/FlatMap.h"
#include "support/Interrupt.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace tessel::sim {
namespace {

/// Dimensions of an op the simulator runs (fixed-size scratch points).
constexpr size_t kMaxDims = 16;

/// A loop of the mapping's nest.
struct Placed {
  unsigned dim = 0;
  uint64_t factor = 1;
  int64_t weight = 1;
  unsigned level = 0;
  bool spatial = false;
  SpatialAxis axis = SpatialAxis::X;
};

/// The words of a tensor a tile spans, without its storage: the bounding
/// box, per coordinate, of the tile's iteration points.
struct Box {
  int64_t lo[kMaxTensorCoordinates], hi[kMaxTensorCoordinates];
  size_t coordinates = 0;
  bool empty = true;

  bool contains(const int64_t *coord) const {
    if (empty)
      return false;
    for (size_t i = 0; i < coordinates; ++i)
      if (coord[i] < lo[i] || coord[i] > hi[i])
        return false;
    return true;
  }
  bool operator==(const Box &other) const {
    if (empty || other.empty)
      return empty == other.empty;
    return coordinates == other.coordinates &&
           std::equal(lo, lo + coordinates, other.lo) &&
           std::equal(hi, hi + coordinates, other.hi);
  }
};

/// A tile: the dense box of one tensor's coordinates an instance holds for
/// one epoch, with the words' values and whether each has arrived.
struct Tile {
  uint64_t epoch = 0;
  std::vector<int64_t> lo, hi; ///< Inclusive, per coordinate.
  std::vector<uint64_t> stride;
  uint64_t words = 0;
  std::vector<int64_t> values;
  std::vector<uint8_t> present;
  uint64_t missing = 0;

  bool contains(const int64_t *coord) const {
    if (words == 0)
      return false;
    for (size_t i = 0; i < lo.size(); ++i)
      if (coord[i] < lo[i] || coord[i] > hi[i])
        return false;
    return true;
  }
  uint64_t index(const int64_t *coord) const {
    uint64_t at = 0;
    for (size_t i = 0; i < lo.size(); ++i)
      at += uint64_t(coord[i] - lo[i]) * stride[i];
    return at;
  }
  /// Whether the tile spans `box` (both empty, or the same corners).
  bool spans(const Box &box) const {
    if (box.empty || words == 0)
      return box.empty && words == 0;
    return lo.size() == box.coordinates &&
           std::equal(lo.begin(), lo.end(), box.lo) &&
           std::equal(hi.begin(), hi.end(), box.hi);
  }
};

uint64_t key(unsigned tensor, uint64_t address) {
  return (address << 2) | tensor;
}

/// A request is for one word at one time of the asker's program: its tag is
/// the word's address with that time (modulo 2^kUseBits) above it. For a
/// PE's operand FIFO the time is the step that uses the word, for a tile
/// the asker's epoch. Requests for the same word at different times are
/// different requests (each a read of the keeper and a word on each
/// network), while the same time's requests from several children join
/// into one (a multicast). A PE with no register for an operand has nothing
/// that would keep a word from one step to a later one.
constexpr unsigned kUseShift = 42, kUseBits = 20;
constexpr uint64_t kAddressMask = (uint64_t(1) << kUseShift) - 1;

uint64_t requestTag(uint64_t address, uint64_t when) {
  return address | ((when & ((uint64_t(1) << kUseBits) - 1)) << kUseShift);
}

/// The address a tag names (a tile's words carry no step).
uint64_t wordOf(uint64_t tag) { return tag & kAddressMask; }

/// A map by 64-bit key whose values live apart from its index: a lookup
/// probes the index's 16-byte slots, not whole values (a keeper's pending
/// requests are large and tens of thousands at once; probing them missed
/// the cache). Values stay where they are until erased.
template <typename V> class SlabMap {
public:
  std::pair<V *, bool> tryEmplace(uint64_t key) {
    auto [at, fresh] = index.tryEmplace(key);
    if (fresh) {
      if (spare.empty()) {
        *at = uint32_t(values.size());
        values.emplace_back();
      } else {
        *at = spare.back();
        spare.pop_back();
      }
    }
    return {&values[*at], fresh};
  }
  V *find(uint64_t key) {
    uint32_t *at = index.find(key);
    return at ? &values[*at] : nullptr;
  }
  const V *find(uint64_t key) const {
    return const_cast<SlabMap *>(this)->find(key);
  }
  bool contains(uint64_t key) const { return index.contains(key); }
  bool erase(uint64_t key) {
    uint32_t *at = index.find(key);
    if (!at)
      return false;
    uint32_t freed = *at;
    index.erase(key);
    values[freed] = V(); // Its storage back.
    spare.push_back(freed);
    return true;
  }
  /// Calls visit(key, value) for every entry, in the index's order.
  template <typename Visit> void forEach(Visit &&visit) {
    index.forEach([&](uint64_t key, uint32_t at) { visit(key, values[at]); });
  }

private:
  FlatMap<uint32_t> index;
  std::deque<V> values;
  std::vector<uint32_t> spare;
};

struct Instance {
  unsigned level = 0;
  int64_t parent = -1;         ///< Instance index at level - 1.
  uint32_t slot = 0;           ///< Its child number in the parent's network.
  std::vector<int64_t> offset; ///< The spatial loops' part of its points.
  std::vector<uint32_t> children;
  /// A PE whose registers bypass the output: the siblings whose sums of a
  /// step land on the same output words (they differ only in dimensions
  /// that do not index it), with the offset from this PE to each; the
  /// parent's network adds their sums where it reduces.
  std::vector<std::pair<uint32_t, std::vector<int64_t>>> reducesWith;
  uint64_t allocated = 0;              ///< Epochs whose tiles were created.
  uint64_t released = 0;               ///< Epochs finished.
  std::vector<std::deque<Tile>> tiles; ///< Per tensor it keeps.
  /// Requests waiting for a word (keepers) or for its arrival (relays), by
  /// key: the child slots that asked. Where the word is multicast, it
  /// leaves (is read, or asked for upward) once every child that needs it
  /// at the request's time has asked: a sender's program knows which
  /// children receive each word of a step, and a child farther along a
  /// mesh, whose request comes later, still gets the same multicast.
  struct Pending {
    ChildSet asked;
    ChildSet expected;    ///< The children that need it then.
    /// Keepers: the tile the asker's time falls in, which serves it (a
    /// word of a later tile that an earlier one also holds waits for its
    /// own tile, as the level's program reads that tile's buffer).
    uint64_t epoch = UINT64_MAX;
    uint32_t missing = 0; ///< Of `expected`, those that have not asked.
    uint32_t queued = 0;  ///< Times its key is in `ready`.
    /// Adds a child's request; whether it completed the set.
    bool join(uint32_t slot) {
      if (asked.contains(slot))
        return false;
      asked.insert(slot);
      if (missing == 0 || !expected.contains(slot))
        return false;
      return --missing == 0;
    }
    bool complete() const { return missing == 0; }
  };
  SlabMap<Pending> pending;
  /// Keepers: the operand tags waiting for a word this instance does not
  /// hold yet, by the word's key (the step-free one a fill arrives by).
  FlatMap<std::vector<uint64_t>> tagsWaiting;
  std::deque<uint64_t> ready; ///< Keepers: keys whose word is here.
  /// The instances below that ask this one for each tensor's words (at
  /// askerLevel), with the child each is under; built on first use.
  std::vector<std::pair<uint32_t, uint32_t>> askersBelow[3];
  bool askersKnown[3] = {false, false, false};
  /// Who asks for what at one (tensor, time), for a multicast's receivers:
  /// a direct-mapped cache of recent times (an operand FIFO has requests
  /// of many steps in flight).
  struct Receivers {
    uint64_t id = UINT64_MAX; ///< when << 2 | tensor.
    /// Tiles: the askers whose box at `when` spans words their box at
    /// `when - 1` does not (a word the earlier tile spans is kept, or
    /// already on its way): the child each is under, and the two boxes.
    /// Askers with the same two boxes are one group (a multicast's
    /// receivers share their boxes).
    std::vector<ChildSet> groups;
    std::vector<Box> now, before;
    /// Operands: the children asking for each address.
    std::unordered_map<uint64_t, ChildSet> byWord;
    /// Tiles: the children with a box in `now` that holds `coord` where
    /// its `before` does not.
    ChildSet spanning(const int64_t *coord) const {
      ChildSet who;
      for (size_t i = 0; i < groups.size(); ++i)
        if (now[i].contains(coord) && !before[i].contains(coord))
          who.insertAll(groups[i]);
      return who;
    }
    void clear() {
      groups.clear();
      now.clear();
      before.clear();
      byWord.clear();
    }
    /// Adds `slot` with its two boxes, to the group with the same ones.
    void add(uint32_t slot, const Box &a, const Box &b) {
      size_t g = 0;
      while (g < groups.size() && !(now[g] == a && before[g] == b))
        ++g;
      if (g == groups.size()) {
        groups.emplace_back();
        now.push_back(a);
        before.push_back(b);
      }
      groups[g].insert(slot);
    }
  };
  std::vector<Receivers> receivers;
  /// The same for the partial sums the tiles below drain through relays:
  /// each holder's box at a round and at the next (a word both hold stays).
  std::vector<Receivers> drainers;
  FlatMap<uint8_t> askedUp;   ///< Keys requested from above.
  std::deque<std::pair<uint64_t, Flit>> readPipe; ///< After the latency.
  std::deque<Flit> down;                          ///< Into its own network.
  std::deque<Flit> up; ///< Into its parent's network.
  std::unique_ptr<Noc> net;
  std::unique_ptr<RateLimiter> readPort, writePort;
  /// With `banks` > 1 and a read bandwidth: each bank serves its share of
  /// it; a word's bank is its address modulo the banks (interleaved).
  std::vector<RateLimiter> readBanks;
  uint64_t bankConflictAt = UINT64_MAX; ///< The last cycle one stalled it.
  uint64_t minChildReleased = 0;
  uint64_t drainsExpected = 0, drainsReceived = 0; ///< In all.
  /// Partial sums expected and landed, by this level's epoch they belong
  /// to; sums for a tile not started yet wait here.
  std::unordered_map<uint64_t, uint64_t> expectedBy, receivedBy;
  std::vector<Flit> parked;
  // PEs: the step within the current epoch and the last issue's cycle;
  // operand registers for tensors the innermost level does not keep, one
  // entry per step and word (keyed by its requestTag).
  struct Operand {
    int64_t value = 0;
    bool present = false;
  };
  FlatMap<Operand> operands[3];
  uint64_t prefetched = 0; ///< Steps (over all epochs) asked for.
  /// Keys to drop after each step, by step modulo the window.
  std::vector<std::vector<uint64_t>> evictions;
  uint64_t step = 0;
  uint64_t lastIssue = 0;
  bool issuedAny = false;
  /// A PE that cannot issue until a word arrives or its tiles change: not
  /// looked at until then (arrive, allocate and release wake it).
  bool asleep = false;
  /// A PE's first iteration points of epochs baseEpoch (the one it
  /// computes) and aheadEpoch (the one it prefetches), forEachPoint's.
  mutable std::vector<int64_t> base, ahead;
  mutable uint64_t baseEpoch = UINT64_MAX, aheadEpoch = UINT64_MAX;
  uint64_t tileSince = 0; ///< When the current tile's work began (traces).
};

struct ControlMessage {
  uint32_t to; ///< Instance index at `level`.
  unsigned level;
  uint32_t slot; ///< The asking child.
  uint64_t key;
  /// The asker's time its tag carries, in full: its epoch for a tile's
  /// word, the step for an operand's.
  uint64_t when;
};

class Hierarchy {
public:
  Hierarchy(const Problem &problem, const Arch &arch, const Mapping &mapping,
            const StructuralOptions &options, StructuralResult &result);
  /// Every cycle in this process.
  void run();

  // The same in steps, for a clocked kernel (StructuralPhases).
  void prepare();
  uint64_t runArray(const std::function<bool(uint64_t)> &eachCycle);
  void begin(uint64_t cycle);
  void programs(unsigned level);
  void ports(unsigned level);
  void drains(unsigned level);
  void pes();
  void network(unsigned level);
  void end();
  /// All of a cycle's phases, in order; whether a word moved.
  bool cycle(uint64_t t);
  bool after();
  void finish();
  bool movedThisCycle() const { return moved; }
  unsigned levelCount() const { return levels; }

private:
  const Problem &problem;
  const Arch &arch;
  const Mapping &mapping;
  const StructuralOptions &options;
  StructuralResult &result;
  unsigned levels, tensors, out;
  std::vector<int64_t> bounds;
  std::vector<TensorSpace> spaces;
  std::vector<Placed> nest;
  std::vector<std::vector<size_t>> temporalAbove; ///< Per level, indices.
  std::vector<std::vector<size_t>> ownTemporal, ownSpatial;
  std::vector<uint64_t> epochs;   ///< Per level.
  std::vector<uint64_t> ownSteps; ///< Per level: own temporal product.
  std::vector<std::vector<int64_t>> extents;
  std::vector<uint8_t> doubleBuffered;
  /// Port words an element of each tensor takes at each level
  /// ([level * tensors + tensor]; arch/Packing.h), and the least per level.
  std::vector<double> wordCost, leastWordCost;
  std::vector<std::vector<Instance>> inst; ///< [level][index].
  std::deque<ControlMessage> control, controlNext;
  ActionCounts counts;
  /// The outermost level's DRAM with timing, when its Arch has `dram:`.
  std::unique_ptr<Dram> dram;
  std::vector<uint64_t> dramBase; ///< Each tensor's first word address.
  struct DramRead {
    Flit flit;
    ChildSet asked;
  };
  std::unordered_map<uint64_t, DramRead> dramReads; ///< By request tag.
  /// The controller's read buffer: a burst's data, once returned, serves
  /// later requests for its other words (the last kReadBufferBursts
  /// bursts); requests for a burst on its way wait for it.
  static constexpr size_t kReadBufferBursts = 512;
  std::deque<uint64_t> recentBursts;
  std::unordered_set<uint64_t> recentSet;
  std::unordered_map<uint64_t, std::vector<uint64_t>> burstWaiters;
  std::unordered_map<uint64_t, uint64_t> tagBurst;
  std::deque<uint64_t> dramWrites; ///< Word addresses waiting for a queue.
  uint64_t dramTag = 0;
  uint64_t now = 0;
  bool moved = false; ///< A word moved in this cycle.
  ProgressLine progressLine;
  std::chrono::steady_clock::time_point started, lastProgress;
  uint64_t computing = 0, draining = 0;  ///< Cycles with a MAC; after the last.
  std::map<std::string, uint64_t> waits; ///< Cycles without, by cause.
  uint64_t quiet = 0;                    ///< Cycles without progress.
  uint64_t macsThisCycle = 0;
  uint64_t pesThisCycle = 0;
  std::vector<std::pair<uint64_t, int64_t>> stepSums; ///< stepPe's scratch.
  /// stepPe's scratch per lane: coordinates, addresses, operand registers.
  struct LaneWork {
    int64_t point[kMaxDims];
    int64_t coord[3][kMaxTensorCoordinates];
    uint64_t address[3];
    const Instance::Operand *operand[3];
  };
  std::vector<LaneWork> laneWork;
  /// The innermost level's network to its compute units (lanes), as the
  /// reuse model counts it (docs/model.md): per step, each tensor the
  /// level keeps reaches the lanes once per distinct word where the
  /// network multicasts (reduces, for the output), else once per lane.
  struct LaneTraffic {
    uint64_t words = 0; ///< Register reads (updates) and network words.
    uint64_t hops = 0;
  };
  std::vector<uint32_t> laneSlot;    ///< Each lane's child of the network.
  LaneTraffic fullLanes[3];          ///< A step with every lane at work.
  std::vector<uint32_t> activeLanes; ///< stepPe's scratch.
  LaneTraffic laneTraffic(unsigned t, const uint32_t *active,
                          size_t count) const;
  /// The systolic level's array, when it runs as built.
  bool systolic = false;
  SystolicPlan systolicPlan;
  uint64_t foldsPerEpoch = 1;
  uint64_t foldsDone = 0;
  SystolicRun systolicRun;
  bool arrayRunning = false; ///< Its controller steps the PEs.
  friend class LevelSource;
  std::vector<unsigned> vcdSignals;
  /// Trace tracks by [level][instance] (instances beyond 64 share them).
  std::vector<std::vector<unsigned>> tracks;
  uint64_t lanes = 1; ///< Spatial product at the innermost level.
  /// Steps ahead whose operands a PE asks for when its registers do not
  /// keep them (an operand FIFO deep enough for the round trip to DRAM).
  uint64_t operandWindow = 4;

  bool keeps(unsigned level, unsigned t) const {
    return level == 0 || mapping.levels[level].keeps(t);
  }
  /// Whether the level holds tiles of t: what it keeps, and, at a systolic
  /// level run as built, the inputs it bypasses, staged a tile at a time in
  /// its array's edge FIFOs (counted as no read, fill or update of the
  /// level's storage).
  bool holdsTiles(unsigned level, unsigned t) const {
    return keeps(level, t) || (systolic && level == levels - 2 && t != out);
  }
  void build();
  void epochPoint(unsigned level, uint64_t epoch, const Instance &instance,
                  std::vector<int64_t> &point) const;
  Tile makeTile(unsigned t, unsigned level, uint64_t epoch,
                const Instance &instance) const;
  /// Calls visit(i, address, coord) for each word of `tile`, in order.
  template <typename Visit>
  void forEachWord(const Tile &tile, unsigned t, Visit visit) const;
  /// The resident tile holding `address` with its word present, if any
  /// (only the tile of `epoch`, when one is given).
  bool holds(const Instance &instance, unsigned t, uint64_t address,
             int64_t *value, uint64_t epoch = UINT64_MAX) const;
  void request(unsigned level, uint32_t index, unsigned t, uint64_t tag,
               uint64_t when);
  /// The level below `level` whose instances ask for tensor t's words:
  /// the next that holds its tiles, else the PEs' operand FIFOs.
  unsigned askerLevel(unsigned level, unsigned t) const;
  /// The instances at askerLevel below instance (level, index), each with
  /// the child of it they are under (built on first use).
  const std::vector<std::pair<uint32_t, uint32_t>> &
  askersBelow(unsigned level, uint32_t index, unsigned t);
  Box tileBox(unsigned t, unsigned level, uint64_t epoch,
              const Instance &instance) const;
  /// The children of instance (level, index) whose subtrees ask it for
  /// tensor t's word `address` at time `when`.
  ChildSet askers(unsigned level, uint32_t index, unsigned t,
                  uint64_t address, uint64_t when);
  /// The children of instance (level, index) whose subtrees send it the
  /// partial sum of tensor t's word `address` of `round` through relays
  /// (the PEs' sums of a step, or the sums a holder's tile drains).
  ChildSet sumSenders(unsigned level, uint32_t index, unsigned t,
                      uint64_t address, uint64_t round);
  /// Acts on a request whose receivers have all asked: a keeper reads the
  /// word (or waits for it), a relay asks upward.
  void requestComplete(unsigned level, uint32_t index, uint64_t k,
                       uint64_t when);
  void receiveRequest(const ControlMessage &message);
  void parkTagged(Instance &instance, uint64_t k);
  bool allocate(unsigned level, uint32_t index);
  bool tryRelease(unsigned level, uint32_t index);
  void release(unsigned level, uint32_t index);
  void serve(unsigned level, uint32_t index);
  void serveDram();
  void sendDown(Instance &instance, unsigned level, Flit flit,
                const ChildSet &asked);
  void arrive(unsigned level, uint32_t index, const Flit &flit);
  void arriveDrain(unsigned level, uint32_t index, const Flit &flit);
  void stepPe(uint32_t index);
  void prefetch(uint32_t index);
  template <typename Visit>
  void forEachPoint(const Instance &pe, uint64_t epoch, uint64_t step,
                    Visit &&visit) const;
  /// The same from the epoch's first point.
  template <typename Visit>
  void forEachLanePoint(const int64_t *base, uint64_t step,
                        Visit &&visit) const;
  uint64_t addressAt(unsigned t, const int64_t *point, int64_t *coord) const;
  Instance &keeperOfOutput(unsigned level, uint32_t index);
  bool finished() const;
  void sample();
  void countArray();
  std::string blockedCause() const;
  void collect();
  void check();
};

/// The systolic level's buffer instance as the array's word source: a
/// fold's words are there once the tile of its epoch is complete; reads and
/// the sums that land are counted by the instance.
class LevelSource : public WordSource {
public:
  explicit LevelSource(Hierarchy &h) : h(h) {}
  bool ready(uint64_t fold) override {
    const Instance &level = h.inst[h.levels - 2][0];
    uint64_t epoch = fold / h.foldsPerEpoch;
    for (unsigned t = 0; t < h.tensors; ++t) {
      const Tile *tile = find(level, t, epoch);
      if (!tile || (t != h.out && tile->missing > 0))
        return false;
    }
    return true;
  }
  bool valid(unsigned t, const int64_t *point) const override {
    return h.spaces[t].valid(point, h.bounds);
  }
  uint64_t address(unsigned t, const int64_t *point) const override {
    return h.spaces[t].addressAt(point);
  }
  int64_t read(unsigned t, uint64_t address, uint64_t fold) override {
    Instance &level = h.inst[h.levels - 2][0];
    const Tile *tile = find(level, t, fold / h.foldsPerEpoch);
    int64_t coord[kMaxTensorCoordinates];
    h.spaces[t].coordinates(address, coord);
    if (h.keeps(h.levels - 2, t)) // Staged words are no read of it.
      ++h.counts.at(h.levels - 2, t).reads;
    return tile && tile->contains(coord) ? tile->values[tile->index(coord)] : 0;
  }
  void accumulate(unsigned t, uint64_t address, int64_t value,
                  uint64_t fold) override {
    Instance &level = h.inst[h.levels - 2][0];
    Tile *tile = const_cast<Tile *>(find(level, t, fold / h.foldsPerEpoch));
    int64_t coord[kMaxTensorCoordinates];
    h.spaces[t].coordinates(address, coord);
    if (!tile || !tile->contains(coord))
      throw std::logic_error("a sum left the systolic array for a word its "
                             "buffer's tile does not hold");
    tile->values[tile->index(coord)] += value;
    ++h.counts.at(h.levels - 2, t).updates;
  }
  void foldDone(uint64_t) override { ++h.foldsDone; }

private:
  Hierarchy &h;
  static const Tile *find(const Instance &level, unsigned t, uint64_t epoch) {
    for (const Tile &tile : level.tiles[t])
      if (tile.epoch == epoch)
        return &tile;
    return nullptr;
  }
};

Hierarchy::Hierarchy(const Problem &problem, const Arch &arch,
                     const Mapping &mapping, const StructuralOptions &options,
                     StructuralResult &result)
    : problem(problem), arch(arch), mapping(mapping), options(options),
      result(result), levels(arch.levelCount()),
      tensors(unsigned(problem.tensors.size())), out(problem.outputIndex()),
      counts(arch.levelCount(), unsigned(problem.tensors.size())) {
  build();
}

void Hierarchy::build() {
  const size_t dims = problem.dims.size();
  bounds = problem.bounds();
  if (tensors != 3)
    throw std::invalid_argument(
        "the structural simulator runs ops with two inputs and one output");
  if (levels < 2)
    throw std::invalid_argument("the Arch needs at least two levels");
  // Each tensor's coordinate space.
  spaces = tensorSpaces(problem);
  for (unsigned t = 0; t < tensors; ++t)
    if (spaces[t].words == 0)
      throw std::invalid_argument("tensor '" + problem.tensors[t].name +
                                  "' has more words than 64 bits count");
    else if (spaces[t].words > kAddressMask)
      throw std::invalid_argument(
          "tensor '" + problem.tensors[t].name + "' has " +
          std::to_string(spaces[t].words) +
          " words; the structural simulator addresses at most 2^42");
  // The nest and each level's loops.
  for (unsigned l = 0; l < levels; ++l) {
    for (const Loop &loop : mapping.levels[l].temporal)
      if (loop.factor > 1)
        nest.push_back({loop.dim, uint64_t(loop.factor), 1, l, false, {}});
    for (const SpatialLoop &loop : mapping.levels[l].spatial)
      if (loop.factor > 1)
        nest.push_back(
            {loop.dim, uint64_t(loop.factor), 1, l, true, loop.axis});
  }
  std::vector<int64_t> below(dims, 1);
  for (size_t i = nest.size(); i-- > 0;) {
    nest[i].weight = below[nest[i].dim];
    below[nest[i].dim] *= int64_t(nest[i].factor);
  }
  temporalAbove.resize(levels);
  ownTemporal.resize(levels);
  ownSpatial.resize(levels);
  epochs.assign(levels, 1);
  ownSteps.assign(levels, 1);
  extents.assign(levels, std::vector<int64_t>(dims, 1));
  for (size_t i = 0; i < nest.size(); ++i) {
    const Placed &loop = nest[i];
    (loop.spatial ? ownSpatial : ownTemporal)[loop.level].push_back(i);
    if (!loop.spatial)
      ownSteps[loop.level] *= loop.factor;
    for (unsigned l = 0; l < levels; ++l) {
      if (!loop.spatial && loop.level < l) {
        temporalAbove[l].push_back(i);
        epochs[l] *= loop.factor;
      }
      if (loop.level >= l)
        extents[l][loop.dim] *= int64_t(loop.factor);
    }
  }
  for (size_t i : ownSpatial[levels - 1])
    lanes *= nest[i].factor;
  for (unsigned l = 0; l + 1 < levels; ++l)
    operandWindow +=
        arch.levels[l].latency +
        2 * std::max<uint64_t>(1, arch.levels[l].network.hopLatency) *
            arch.levels[l].network.summary.unicastMaxHops;
  // A compute unit issues macsPerPE steps a cycle: the window covers as
  // many cycles of them.
  operandWindow *= std::max<uint64_t>(1, arch.compute.macsPerPE);
  if (operandWindow >= (uint64_t(1) << kUseBits))
    throw std::invalid_argument(
        "the PEs' operand window (" + std::to_string(operandWindow) +
        " steps, from the levels' latencies) is over 2^20 steps");
  // Double buffering: two of the level's tiles fit.
  doubleBuffered.assign(levels, 0);
  for (unsigned l = 1; l < levels; ++l) {
    const StorageLevel &level = arch.levels[l];
    bool fits = true;
    uint64_t total = 0;
    for (unsigned t = 0; t < tensors; ++t) {
      if (!keeps(l, t))
        continue;
      uint64_t words =
          storedWords(problem, t, level, problem.footprint(t, extents[l]));
      if (level.partition) {
        TensorRole role = t == out                    ? TensorRole::Output
                          : t == (out == 0 ? 1u : 0u) ? TensorRole::Input
                                                      : TensorRole::Weight;
        fits = fits && 2 * words <= level.capacityFor(role);
      }
      total += words;
    }
    doubleBuffered[l] = level.isUnbounded() ||
                        (level.partition ? fits : 2 * total <= level.capacity);
  }

  wordCost.assign(size_t(levels) * tensors, 1);
  leastWordCost.assign(levels, 1);
  for (unsigned l = 0; l < levels; ++l)
    for (unsigned t = 0; t < tensors; ++t) {
      double cost = packingAt(problem, t, arch.levels[l]).wordsPerElement();
      wordCost[size_t(l) * tensors + t] = cost;
      leastWordCost[l] = t == 0 ? cost : std::min(leastWordCost[l], cost);
    }

  // A systolic level right above the PEs, keeping every tensor, one array:
  // its array as built (sim/SystolicArray.h) instead of PE instances.
  const unsigned arrayLevel = levels - 2;
  if (arch.levels[arrayLevel].network.topology == "systolic") {
    bool keepsAll = true, oneArray = true;
    keepsAll = keeps(arrayLevel, out); // Inputs it bypasses are staged.
    for (const Placed &loop : nest)
      oneArray = oneArray && !(loop.spatial && loop.level < arrayLevel);
    std::string why;
    SystolicTiming timing{arch.levels[arrayLevel].network.stationaryBuffers,
                          arch.levels[arrayLevel].network.foldOverlap};
    if (!keepsAll)
      why = "'" + arch.levels[arrayLevel].name +
            "' bypasses the output its array's sums land in";
    else if (!oneArray)
      why = "the mapping spreads loops over several arrays";
    else if (planSystolic(problem, arch, mapping, arrayLevel, timing,
                          systolicPlan, why, arrayLevel))
      systolic = true;
    if (!systolic)
      result.notes.push_back("the systolic array of '" +
                             arch.levels[arrayLevel].name +
                             "' runs through its network's routes, not as "
                             "built: " +
                             why);
    else
      foldsPerEpoch = systolicPlan.folds / epochs[arrayLevel];
  }

  // Every instance, level by level; children numbered as the network does
  // (x fastest).
  inst.resize(levels);
  inst[0].emplace_back();
  inst[0][0].offset.assign(dims, 0);
  for (unsigned l = 0; l + 1 < levels && !(systolic && l == arrayLevel); ++l) {
    const std::vector<size_t> &spatial = ownSpatial[l];
    uint64_t count = 1;
    for (size_t i : spatial)
      count *= nest[i].factor;
    for (uint32_t p = 0; p < inst[l].size(); ++p) {
      for (uint64_t c = 0; c < count; ++c) {
        Instance child;
        child.level = l + 1;
        child.parent = p;
        child.offset = inst[l][p].offset;
        uint64_t rest = c;
        uint64_t x = 0, y = 0, xScale = 1, yScale = 1;
        for (size_t k = spatial.size(); k-- > 0;) {
          const Placed &loop = nest[spatial[k]];
          uint64_t index = rest % loop.factor;
          rest /= loop.factor;
          child.offset[loop.dim] += int64_t(index) * loop.weight;
          if (loop.axis == SpatialAxis::X) {
            x += index * xScale;
            xScale *= loop.factor;
          } else {
            y += index * yScale;
            yScale *= loop.factor;
          }
        }
        child.slot = uint32_t(x + y * arch.levels[l].fanout[0]);
        inst[l][p].children.push_back(uint32_t(inst[l + 1].size()));
        inst[l + 1].push_back(std::move(child));
      }
    }
  }
  for (unsigned l = 0; l < levels; ++l)
    for (Instance &instance : inst[l]) {
      instance.level = l;
      instance.tiles.resize(tensors);
      const StorageLevel &level = arch.levels[l];
      instance.readPort = std::make_unique<RateLimiter>(level.readBandwidth);
      if (level.banks > 1 && level.readBandwidth)
        instance.readBanks.assign(
            level.banks, RateLimiter(*level.readBandwidth / level.banks));
      instance.writePort = std::make_unique<RateLimiter>(level.writeBandwidth);
      if (l + 1 < levels && !(systolic && l == levels - 2)) {
        NocOptions options;
        for (unsigned t = 0; t < tensors; ++t)
          options.wordCosts.push_back(packingAt(problem, t, level).wordsEach);
        instance.net =
            std::make_unique<Noc>(level.network, level.name, options);
      }
    }
  if (arch.levels[0].dram) {
    dram = std::make_unique<Dram>(*arch.levels[0].dram, arch.clockGHz,
                                  arch.levels[0].wordBits);
    uint64_t base = 0;
    for (unsigned t = 0; t < tensors; ++t) {
      dramBase.push_back(base);
      base += spaces[t].words;
    }
  }
  result.instances = 0;
  for (unsigned l = 0; l + 1 < levels; ++l)
    result.instances += inst[l].size();
  result.pes = systolic ? uint64_t(systolicPlan.rows) * systolicPlan.cols
                        : inst[levels - 1].size();
  for (Instance &pe : inst[levels - 1])
    pe.evictions.resize(operandWindow + 1);
  laneWork.resize(lanes);
  // Each lane's child of the innermost network, numbered as the network
  // does (x fastest), in forEachPoint's lane order.
  laneSlot.assign(lanes, 0);
  {
    const std::vector<size_t> &spatial = ownSpatial[levels - 1];
    for (uint64_t lane = 0; lane < lanes; ++lane) {
      uint64_t r = lane, x = 0, y = 0, xScale = 1, yScale = 1;
      for (size_t k = spatial.size(); k-- > 0;) {
        const Placed &loop = nest[spatial[k]];
        uint64_t i = r % loop.factor;
        r /= loop.factor;
        if (loop.axis == SpatialAxis::X) {
          x += i * xScale;
          xScale *= loop.factor;
        } else {
          y += i * yScale;
          yScale *= loop.factor;
        }
      }
      laneSlot[lane] = uint32_t(x + y * arch.levels[levels - 1].fanout[0]);
    }
    activeLanes.resize(lanes);
    for (uint32_t lane = 0; lane < lanes; ++lane)
      activeLanes[lane] = lane;
    for (unsigned t = 0; t < tensors; ++t)
      if (keeps(levels - 1, t))
        fullLanes[t] = laneTraffic(t, activeLanes.data(), lanes);
  }
  // Reduction groups of the PEs' straight-up sums.
  if (!keeps(levels - 1, out) && levels >= 2 &&
      arch.levels[levels - 2].network.reduction)
    for (Instance &pe : inst[levels - 1])
      for (uint32_t sibling : inst[levels - 2][pe.parent].children) {
        const Instance &other = inst[levels - 1][sibling];
        if (other.slot == pe.slot)
          continue;
        bool same = true;
        for (unsigned d : spaces[out].dims)
          same = same && other.offset[d] == pe.offset[d];
        if (!same)
          continue;
        std::vector<int64_t> delta(dims);
        for (size_t d = 0; d < dims; ++d)
          delta[d] = other.offset[d] - pe.offset[d];
        pe.reducesWith.push_back({other.slot, std::move(delta)});
      }
}

void Hierarchy::epochPoint(unsigned level, uint64_t epoch,
                           const Instance &instance,
                           std::vector<int64_t> &point) const {
  point = instance.offset;
  const std::vector<size_t> &loops = temporalAbove[level];
  for (size_t k = loops.size(); k-- > 0;) {
    const Placed &loop = nest[loops[k]];
    point[loop.dim] += int64_t(epoch % loop.factor) * loop.weight;
    epoch /= loop.factor;
  }
}

Box Hierarchy::tileBox(unsigned t, unsigned level, uint64_t epoch,
                       const Instance &instance) const {
  Box box;
  thread_local std::vector<int64_t> base; // Storage reused.
  epochPoint(level, epoch, instance, base);
  const size_t dims = bounds.size();
  int64_t first[kMaxDims], last[kMaxDims];
  for (size_t d = 0; d < dims; ++d) {
    first[d] = base[d];
    last[d] = std::min(base[d] + extents[level][d], bounds[d]) - 1;
    if (last[d] < first[d])
      return box; // A partial tile with no points.
  }
  const TensorSpace &space = spaces[t];
  for (const Projection &p : space.coords) {
    int64_t lo = p.constant, hi = p.constant;
    for (const ProjectionTerm &term : p.terms) {
      int64_t a = term.coefficient * first[term.dim];
      int64_t b = term.coefficient * last[term.dim];
      lo += std::min(a, b);
      hi += std::max(a, b);
    }
    box.lo[box.coordinates] = lo;
    box.hi[box.coordinates++] = hi;
  }
  box.empty = false;
  return box;
}

Tile Hierarchy::makeTile(unsigned t, unsigned level, uint64_t epoch,
                         const Instance &instance) const {
  Tile tile;
  tile.epoch = epoch;
  Box box = tileBox(t, level, epoch, instance);
  if (box.empty)
    return tile;
  tile.lo.assign(box.lo, box.lo + box.coordinates);
  tile.hi.assign(box.hi, box.hi + box.coordinates);
  tile.stride.assign(tile.lo.size(), 1);
  tile.words = 1;
  for (size_t i = tile.lo.size(); i-- > 0;) {
    tile.stride[i] = tile.words;
    tile.words *= uint64_t(tile.hi[i] - tile.lo[i] + 1);
  }
  tile.values.assign(tile.words, 0);
  tile.present.assign(tile.words, 0);
  return tile;
}

template <typename Visit>
void Hierarchy::forEachWord(const Tile &tile, unsigned t, Visit visit) const {
  if (tile.words == 0)
    return;
  const TensorSpace &space = spaces[t];
  int64_t coord[kMaxTensorCoordinates];
  std::copy(tile.lo.begin(), tile.lo.end(), coord);
  for (uint64_t i = 0; i < tile.words; ++i) {
    visit(i, space.address(coord), static_cast<const int64_t *>(coord));
    size_t c = tile.lo.size();
    while (c > 0 && ++coord[c - 1] > tile.hi[c - 1]) {
      coord[c - 1] = tile.lo[c - 1];
      --c;
    }
  }
}

bool Hierarchy::holds(const Instance &instance, unsigned t, uint64_t tag,
                      int64_t *value, uint64_t epoch) const {
  const uint64_t address = wordOf(tag);
  if (instance.level == 0) { // The backing store holds everything.
    if (value)
      *value = instance.tiles[t].front().values[address];
    return true;
  }
  int64_t coord[kMaxTensorCoordinates];
  spaces[t].coordinates(address, coord);
  for (const Tile &tile : instance.tiles[t])
    if ((epoch == UINT64_MAX || tile.epoch == epoch) && tile.contains(coord)) {
      uint64_t at = tile.index(coord);
      if (tile.present[at]) {
        if (value)
          *value = tile.values[at];
        return true;
      }
    }
  return false;
}

/// A request from instance (level, index) for a word of tensor t (its
/// tag: the address and the time `when`), to its parent, arriving next
/// cycle.
void Hierarchy::request(unsigned level, uint32_t index, unsigned t,
                        uint64_t tag, uint64_t when) {
  Instance &instance = inst[level][index];
  uint64_t k = key(t, tag);
  if (!instance.askedUp.tryEmplace(k).second)
    return; // Already on its way.
  controlNext.push_back(
      {uint32_t(instance.parent), level - 1, instance.slot, k, when});
}

unsigned Hierarchy::askerLevel(unsigned level, unsigned t) const {
  unsigned below = level + 1;
  while (below + 1 < levels && !holdsTiles(below, t))
    ++below;
  return below;
}

const std::vector<std::pair<uint32_t, uint32_t>> &
Hierarchy::askersBelow(unsigned level, uint32_t index, unsigned t) {
  Instance &instance = inst[level][index];
  const unsigned q = askerLevel(level, t);
  std::vector<std::pair<uint32_t, uint32_t>> &below = instance.askersBelow[t];
  if (!instance.askersKnown[t]) {
    // Down the relays to the instances that ask.
    std::vector<std::pair<uint32_t, uint32_t>> at;
    for (uint32_t child : instance.children)
      at.push_back({inst[level + 1][child].slot, child});
    for (unsigned l = level + 1; l < q; ++l) {
      std::vector<std::pair<uint32_t, uint32_t>> next;
      for (auto [slot, i] : at)
        for (uint32_t child : inst[l][i].children)
          next.push_back({slot, child});
      at.swap(next);
    }
    below = std::move(at);
    instance.askersKnown[t] = true;
  }
  return below;
}

ChildSet Hierarchy::askers(unsigned level, uint32_t index, unsigned t,
                           uint64_t address, uint64_t when) {
  Instance &instance = inst[level][index];
  const unsigned q = askerLevel(level, t);
  const std::vector<std::pair<uint32_t, uint32_t>> &below =
      askersBelow(level, index, t);
  if (instance.receivers.empty())
    instance.receivers.resize(256);
  const uint64_t id = (when << 2) | t;
  Instance::Receivers *seen =
      &instance.receivers[(when * 3 + t) % instance.receivers.size()];
  const bool operand = q == levels - 1 && !keeps(q, t);
  if (seen->id != id) {
    seen->id = id;
    seen->clear();
    if (operand) {
      // Each PE's lanes at that step, as its operand FIFO asks for them.
      const uint64_t steps = ownSteps[q];
      std::vector<int64_t> base;
      int64_t coord[kMaxTensorCoordinates];
      for (auto [slot, pe] : below) {
        epochPoint(q, when / steps, inst[q][pe], base);
        forEachLanePoint(base.data(), when % steps,
                         [&](const int64_t *point, uint32_t) {
                           seen->byWord[addressAt(t, point, coord)].insert(
                               slot);
                         });
      }
    } else {
      // A holder asks for the words its tile spans that its previous
      // tile did not (allocate).
      for (auto [slot, holder] : below) {
        const Instance &h = inst[q][holder];
        Box now = tileBox(t, q, when, h);
        Box before = when == 0 ? Box() : tileBox(t, q, when - 1, h);
        bool inside = !before.empty;
        for (size_t c = 0; c < now.coordinates && inside; ++c)
          inside = now.lo[c] >= before.lo[c] && now.hi[c] <= before.hi[c];
        if (now.empty || inside)
          continue; // Asks for nothing then.
        seen->add(slot, now, before);
      }
    }
  }
  if (operand) {
    auto found = seen->byWord.find(address);
    return found == seen->byWord.end() ? ChildSet() : found->second;
  }
  int64_t coord[kMaxTensorCoordinates];
  spaces[t].coordinates(address, coord);
  return seen->spanning(coord);
}

ChildSet Hierarchy::sumSenders(unsigned level, uint32_t index, unsigned t,
                               uint64_t address, uint64_t round) {
  const unsigned q = askerLevel(level, t);
  if (q == levels - 1 && !keeps(q, t))
    return askers(level, index, t, address, round); // The PEs' lanes.
  // Holders at q: a tile drains the words its next tile does not hold.
  Instance &instance = inst[level][index];
  const std::vector<std::pair<uint32_t, uint32_t>> &below =
      askersBelow(level, index, t);
  if (instance.drainers.empty())
    instance.drainers.resize(64);
  Instance::Receivers &seen =
      instance.drainers[round % instance.drainers.size()];
  if (seen.id != ((round << 2) | t)) {
    seen.id = (round << 2) | t;
    seen.clear();
    for (auto [slot, holder] : below) {
      const Instance &h = inst[q][holder];
      seen.add(slot, tileBox(t, q, round, h),
               round + 1 < epochs[q] ? tileBox(t, q, round + 1, h) : Box());
    }
  }
  int64_t coord[kMaxTensorCoordinates];
  spaces[t].coordinates(address, coord);
  return seen.spanning(coord);
}

void Hierarchy::receiveRequest(const ControlMessage &message) {
  const unsigned level = message.level;
  Instance &instance = inst[level][message.to];
  const unsigned t = unsigned(message.key & 3);
  auto [entry, fresh] = instance.pending.tryEmplace(message.key);
  if (fresh && instance.children.size() > 1 &&
      (!keeps(level, t) || arch.levels[level].network.multicast)) {
    // Read (or asked for) once for every child that needs it then.
    entry->expected = askers(level, message.to, t, wordOf(message.key >> 2),
                             message.when);
    entry->missing = uint32_t(entry->expected.size());
  }
  if (fresh && level > 0 && keeps(level, t)) {
    const unsigned q = askerLevel(level, t);
    uint64_t askerEpoch = q == levels - 1 && !keeps(q, t)
                              ? message.when / ownSteps[q]
                              : message.when;
    entry->epoch = askerEpoch / (epochs[q] / epochs[level]);
  }
  bool completes = entry->join(message.slot);
  if (!(fresh && entry->complete()) && !completes)
    return; // Joins the requests already waiting for this word.
  requestComplete(level, message.to, message.key, message.when);
}

void Hierarchy::requestComplete(unsigned level, uint32_t index, uint64_t k,
                                uint64_t when) {
  Instance &instance = inst[level][index];
  const unsigned t = unsigned(k & 3);
  if (!keeps(level, t)) {
    // A relay: ask upward once; the word comes back through here.
    request(level, index, t, k >> 2, when);
    return;
  }
  Instance::Pending &entry = *instance.pending.find(k);
  if (holds(instance, t, k >> 2, nullptr, entry.epoch)) {
    ++entry.queued;
    instance.ready.push_back(k);
  } else {
    parkTagged(instance, k);
  }
}

/// An operand request (its key carries a step) whose word `instance` does
/// not hold: it waits for the word's fill, which arrives by the step-free
/// key. Tile requests wait in `pending` alone (a fill finds them by key).
void Hierarchy::parkTagged(Instance &instance, uint64_t k) {
  uint64_t tag = k >> 2;
  if (tag != wordOf(tag))
    instance.tagsWaiting[key(unsigned(k & 3), wordOf(tag))].push_back(k);
}

bool Hierarchy::allocate(unsigned level, uint32_t index) {
  Instance &instance = inst[level][index];
  uint64_t epoch = instance.allocated;
  if (epoch >= epochs[level])
    return false;
  for (unsigned t = 0; t < tensors; ++t) {
    if (!holdsTiles(level, t))
      continue;
    std::deque<Tile> &resident = instance.tiles[t];
    Tile tile = makeTile(t, level, epoch, instance);
    const Tile *previous = resident.empty() ? nullptr : &resident.back();
    forEachWord(tile, t, [&](uint64_t i, uint64_t address,
                             const int64_t *coord) {
      if (t == out) {
        tile.present[i] = 1; // Partial sums start at zero here.
        return;
      }
      if (previous && previous->contains(coord)) {
        uint64_t at = previous->index(coord);
        if (previous->present[at]) { // Kept: the words both tiles share.
          tile.present[i] = 1;
          tile.values[i] = previous->values[at];
        } else {
          ++tile.missing; // On its way for the previous tile: it fills both.
        }
        return;
      }
      ++tile.missing;
      request(level, index, t, requestTag(address, epoch), epoch);
    });
    resident.push_back(std::move(tile));
  }
  ++instance.allocated;
  instance.asleep = false;
  // Requests that were waiting for words this tile kept are ready now.
  instance.pending.forEach([&](uint64_t k, Instance::Pending &entry) {
    unsigned t = unsigned(k & 3);
    if (entry.queued == 0 && entry.complete() && keeps(level, t) &&
        t != out && holds(instance, t, k >> 2, nullptr, entry.epoch)) {
      ++entry.queued;
      instance.ready.push_back(k);
    }
  });
  return true;
}

/// Whether the oldest resident epoch is finished: its children (or MACs)
/// are done with it and their partial sums have arrived.
bool Hierarchy::tryRelease(unsigned level, uint32_t index) {
  Instance &instance = inst[level][index];
  if (instance.released >= instance.allocated)
    return false;
  uint64_t epoch = instance.released;
  if (level == levels - 1) {
    if (instance.step < ownSteps[level] || instance.allocated == epoch)
      return false;
    uint64_t latency = std::max<uint64_t>(1, arch.compute.pipelineLatency);
    if (instance.issuedAny && now < instance.lastIssue + latency)
      return false;
  } else if (systolic && level == levels - 2) {
    // The array is done with the tile's folds and its sums have landed.
    if (foldsDone < (epoch + 1) * foldsPerEpoch)
      return false;
  } else {
    uint64_t needed = (epoch + 1) * ownSteps[level];
    for (uint32_t child : instance.children)
      if (inst[level + 1][child].released < needed)
        return false;
    if (keeps(level, out)) {
      auto expected = instance.expectedBy.find(epoch);
      if (expected != instance.expectedBy.end() &&
          instance.receivedBy[epoch] < expected->second)
        return false;
    }
  }
  release(level, index);
  return true;
}

void Hierarchy::release(unsigned level, uint32_t index) {
  Instance &instance = inst[level][index];
  uint64_t epoch = instance.released;
  bool last = epoch + 1 == epochs[level];
  // The next tile must exist to keep what both share.
  if (!last && instance.allocated == epoch + 1)
    allocate(level, index);
  for (unsigned t = 0; t < tensors; ++t) {
    if (!holdsTiles(level, t))
      continue;
    std::deque<Tile> &resident = instance.tiles[t];
    Tile done = std::move(resident.front());
    resident.pop_front();
    if (t != out)
      continue;
    // Partial sums: kept where the next tile holds them, else up to the
    // supplier (summed with the siblings' by a reducing network).
    Tile *next = resident.empty() ? nullptr : &resident.front();
    const Instance *parent =
        instance.parent >= 0 ? &inst[level - 1][instance.parent] : nullptr;
    ChildSet group;
    group.insert(instance.slot);
    if (parent && arch.levels[level - 1].network.reduction) {
      for (uint32_t sibling : parent->children) {
        const Instance &other = inst[level][sibling];
        if (other.slot == instance.slot)
          continue;
        if (done.spans(tileBox(t, level, epoch, other)) &&
            (last || (next ? *next : Tile())
                         .spans(tileBox(t, level, epoch + 1, other))))
          group.insert(other.slot);
      }
    }
    Instance &keeper = keeperOfOutput(level, index);
    uint64_t keeperEpoch =
        epoch / (epochs[level] / epochs[keeper.level]); // Its tile.
    forEachWord(done, t, [&](uint64_t i, uint64_t address,
                             const int64_t *coord) {
      if (next && next->contains(coord)) {
        next->values[next->index(coord)] += done.values[i];
        return;
      }
      Flit flit;
      flit.tensor = t;
      flit.tag = address;
      flit.value = uint64_t(done.values[i]);
      flit.direction = Direction::ToParent;
      flit.children = group;
      flit.epoch = keeperEpoch;
      flit.round = epoch;
      instance.up.push_back(flit);
      ++counts.at(level, t).reads; // Drained: read out of the level.
      ++keeper.drainsExpected;
      ++keeper.expectedBy[keeperEpoch];
    });
  }
  if (options.trace && !tracks.empty()) {
    const std::vector<unsigned> &row = tracks[level];
    size_t at = level == levels - 1 ? size_t(instance.parent) : index;
    // One PE per group draws its tiles; the first 64 instances of a level
    // draw theirs.
    bool draws =
        level == levels - 1
            ? inst[level - 1][instance.parent].children.front() == index
            : at < row.size(); // The first 64 instances have tracks.
    if (draws && !row.empty())
      options.trace->slice(row[at], "tile " + std::to_string(epoch),
                           instance.tileSince, now + 1);
  }
  instance.tileSince = now + 1;
  ++instance.released;
  instance.step = 0;
  instance.asleep = false;
  instance.issuedAny = false;
}

/// A keeper's read port: serves the ready requests it can this cycle.
void Hierarchy::sendDown(Instance &instance, unsigned level, Flit flit,
                         const ChildSet &asked) {
  if (arch.levels[level].network.multicast || asked.size() == 1) {
    flit.children = asked;
    instance.down.push_back(flit);
    return;
  }
  asked.forEach([&](uint32_t child) {
    Flit one = flit;
    one.children = ChildSet{child};
    instance.down.push_back(one);
  });
}

/// The outermost level with DRAM timing: ready requests become DRAM reads
/// (one per word; the DRAM serves them burst by burst), completions go into
/// the network; partial sums arriving become writes.
void Hierarchy::serveDram() {
  Instance &store = inst[0][0];
  dram->advanceTo(now);
  while (std::optional<DramCompletion> done = dram->popCompleted()) {
    if (done->write)
      continue;
    auto burst = tagBurst.find(done->tag);
    if (burst == tagBurst.end())
      continue;
    uint64_t id = burst->second;
    tagBurst.erase(burst);
    for (uint64_t tag : burstWaiters[id]) {
      auto found = dramReads.find(tag);
      sendDown(store, 0, found->second.flit, found->second.asked);
      dramReads.erase(found);
    }
    burstWaiters.erase(id);
    if (recentSet.insert(id).second) {
      recentBursts.push_back(id);
      if (recentBursts.size() > kReadBufferBursts) {
        recentSet.erase(recentBursts.front());
        recentBursts.pop_front();
      }
    }
  }
  while (!dramWrites.empty() &&
         dram->canAccept(dram->locate(dramWrites.front()).channel)) {
    dram->request(dramWrites.front(), true, dramTag++);
    dramWrites.pop_front();
  }
  while (!store.ready.empty()) {
    uint64_t k = store.ready.front();
    Instance::Pending *found = store.pending.find(k);
    if (!found) {
      store.ready.pop_front();
      continue;
    }
    unsigned t = unsigned(k & 3);
    uint64_t word = dramBase[t] + wordOf(k >> 2);
    uint64_t id = word / dram->wordsPerBurst();
    bool buffered = recentSet.count(id) > 0;
    bool onItsWay = burstWaiters.count(id) > 0;
    if (!buffered && !onItsWay && !dram->canAccept(dram->locate(word).channel))
      break; // Backpressure: the channel's queue is full.
    store.ready.pop_front();
    --found->queued;
    int64_t value = 0;
    holds(store, t, k >> 2, &value);
    Flit flit;
    flit.tensor = t;
    flit.tag = k >> 2;
    flit.value = uint64_t(value);
    ChildSet asked = std::move(found->asked);
    store.pending.erase(k);
    // One read per word sent (a non-multicast network sends it per child).
    counts.at(0, t).reads +=
        arch.levels[0].network.multicast ? 1 : asked.size();
    if (buffered) {
      sendDown(store, 0, flit, asked);
      continue;
    }
    uint64_t tag = dramTag++;
    dramReads[tag] = {flit, asked};
    burstWaiters[id].push_back(tag);
    if (!onItsWay) {
      dram->request(word, false, tag);
      tagBurst[tag] = id;
    }
  }
}

void Hierarchy::serve(unsigned level, uint32_t index) {
  if (level == 0 && dram) {
    serveDram();
    return;
  }
  Instance &instance = inst[level][index];
  const StorageLevel &storage = arch.levels[level];
  while (
      !instance.ready.empty() &&
      instance.readPort->allows(
          wordCost[size_t(level) * tensors + (instance.ready.front() & 3)])) {
    uint64_t k = instance.ready.front();
    double cost = wordCost[size_t(level) * tensors + (k & 3)];
    // Its bank busy this cycle: it waits, and the requests behind it too
    // (the port serves in order).
    RateLimiter *bank =
        instance.readBanks.empty()
            ? nullptr
            : &instance.readBanks[wordOf(k >> 2) %
                                  instance.readBanks.size()];
    if (bank && !bank->allows(cost)) {
      instance.bankConflictAt = now;
      break;
    }
    instance.ready.pop_front();
    Instance::Pending *found = instance.pending.find(k);
    if (!found)
      continue;
    --found->queued;
    unsigned t = unsigned(k & 3);
    int64_t value = 0;
    // The tile that held it may have gone since it became ready, or a
    // word arrived for another tile than the request's: it waits for the
    // word to arrive (or its tile to keep it).
    if (!holds(instance, t, k >> 2, &value, found->epoch)) {
      parkTagged(instance, k);
      continue;
    }
    ChildSet asked = std::move(found->asked);
    instance.pending.erase(k);
    auto send = [&](ChildSet to) {
      instance.readPort->take(cost);
      if (bank)
        bank->take(cost);
      ++counts.at(level, t).reads;
      Flit flit;
      flit.tensor = t;
      flit.tag = k >> 2;
      flit.value = uint64_t(value);
      flit.children = to;
      instance.readPipe.push_back({now + storage.latency, flit});
    };
    if (storage.network.multicast || asked.size() == 1)
      send(asked);
    else
      asked.forEach([&](uint32_t child) { send(ChildSet{child}); });
  }
}

/// A word from the parent's network reached instance (level, index).
void Hierarchy::arrive(unsigned level, uint32_t index, const Flit &flit) {
  Instance &instance = inst[level][index];
  unsigned t = flit.tensor;
  uint64_t k = key(t, flit.tag);
  instance.askedUp.erase(k);
  instance.asleep = false;
  if (!keeps(level, t) && level == levels - 1) {
    // A PE's operand register.
    if (Instance::Operand *found = instance.operands[t].find(flit.tag)) {
      found->present = true;
      found->value = int64_t(flit.value);
    }
    return;
  }
  if (!holdsTiles(level, t)) {
    // A relay: on to the children that asked.
    Instance::Pending *found = instance.pending.find(k);
    if (!found)
      return;
    Flit copy = flit;
    copy.children = std::move(found->asked);
    instance.pending.erase(k);
    if (arch.levels[level].network.multicast || copy.children.size() == 1)
      instance.down.push_back(copy);
    else
      copy.children.forEach([&](uint32_t child) {
        Flit one = copy;
        one.children = ChildSet{child};
        instance.down.push_back(one);
      });
    return;
  }
  if (keeps(level, t))
    ++counts.at(level, t).fills;
  // Requests wait by the word (untagged) or in tagsWaiting.
  k = key(t, wordOf(flit.tag));
  int64_t coord[kMaxTensorCoordinates];
  spaces[t].coordinates(wordOf(flit.tag), coord);
  for (Tile &tile : instance.tiles[t])
    if (tile.contains(coord)) {
      uint64_t at = tile.index(coord);
      if (!tile.present[at]) {
        tile.present[at] = 1;
        tile.values[at] = int64_t(flit.value);
        --tile.missing;
      }
    }
  if (Instance::Pending *waiting = instance.pending.find(k);
      waiting && waiting->complete()) {
    ++waiting->queued;
    instance.ready.push_back(k);
  }
  if (std::vector<uint64_t> *tags = instance.tagsWaiting.find(k)) {
    for (uint64_t tagged : *tags)
      if (Instance::Pending *waiting = instance.pending.find(tagged);
          waiting && waiting->queued == 0 && waiting->complete()) {
        ++waiting->queued;
        instance.ready.push_back(tagged);
      }
    instance.tagsWaiting.erase(k);
  }
}

/// Partial sums from a child reached instance (level, index).
void Hierarchy::arriveDrain(unsigned level, uint32_t index, const Flit &flit) {
  Instance &instance = inst[level][index];
  if (!keeps(level, flit.tensor)) {
    Flit copy = flit;
    copy.children = ChildSet{instance.slot};
    // A relay of the sums PEs send straight up each step: where its
    // parent's network reduces, the siblings whose PEs make a sum of the
    // same word in the same step are joined with it there.
    // Only where every network below it reduces too, so that the relay
    // sends one sum per word and round.
    bool reducedBelow = level > 0;
    const unsigned origin = reducedBelow ? askerLevel(level - 1, flit.tensor) : 0;
    for (unsigned l = level - 1; reducedBelow && l < origin; ++l)
      reducedBelow = arch.levels[l].network.reduction;
    if (reducedBelow && inst[level - 1][instance.parent].children.size() > 1) {
      copy.children = sumSenders(level - 1, uint32_t(instance.parent),
                                 flit.tensor, flit.tag, flit.round);
      copy.children.insert(instance.slot);
    }
    copy.contributions = flit.contributions;
    copy.senders = 1; // Into its parent's network: one member.
    instance.up.push_back(copy);
    return;
  }
  int64_t coord[kMaxTensorCoordinates];
  spaces[flit.tensor].coordinates(flit.tag, coord);
  if (level != 0) {
    Tile *target = nullptr;
    for (Tile &tile : instance.tiles[flit.tensor])
      if (tile.epoch == flit.epoch)
        target = &tile;
    if (!target) { // Its tile has not started: the sum waits for it.
      instance.parked.push_back(flit);
      return;
    }
    if (!target->contains(coord))
      throw std::logic_error("a partial sum reached '" +
                             arch.levels[level].name +
                             "', whose tile does not hold it");
    target->values[target->index(coord)] += int64_t(flit.value);
    ++counts.at(level, flit.tensor).updates;
    instance.drainsReceived += flit.contributions;
    instance.receivedBy[flit.epoch] += flit.contributions;
    return;
  }
  ++counts.at(level, flit.tensor).updates;
  instance.drainsReceived += flit.contributions;
  instance.receivedBy[flit.epoch] += flit.contributions;
  {
    inst[0][0].tiles[flit.tensor].front().values[flit.tag] +=
        int64_t(flit.value);
    if (dram)
      dramWrites.push_back(dramBase[flit.tensor] + flit.tag);
  }
}

/// One step's traffic of tensor t between the innermost level and the
/// lanes `active` (they differ only where a clipped tile leaves some
/// idle): lanes whose spatial offsets project to the same coordinate of t
/// share a word.
Hierarchy::LaneTraffic
Hierarchy::laneTraffic(unsigned t, const uint32_t *active, size_t count) const {
  const Network &network = arch.levels[levels - 1].network;
  bool output = t == out;
  bool share = output ? network.reduction : network.multicast;
  LaneTraffic traffic;
  if (!share || count <= 1) {
    traffic.words = count;
    for (size_t i = 0; i < count; ++i)
      traffic.hops += output ? network.drainHops(laneSlot[active[i]])
                             : network.unicastHops(laneSlot[active[i]]);
    return traffic;
  }
  // The lane's coordinate of t, relative to the step's first point.
  const std::vector<size_t> &spatial = ownSpatial[levels - 1];
  const Tensor &tensor = problem.tensors[t];
  std::map<std::vector<int64_t>, std::vector<unsigned>> groups;
  std::vector<int64_t> offset(bounds.size()), coord(tensor.projection.size());
  for (size_t i = 0; i < count; ++i) {
    std::fill(offset.begin(), offset.end(), 0);
    uint64_t r = active[i];
    for (size_t k = spatial.size(); k-- > 0;) {
      const Placed &loop = nest[spatial[k]];
      offset[loop.dim] += int64_t(r % loop.factor) * loop.weight;
      r /= loop.factor;
    }
    for (size_t c = 0; c < coord.size(); ++c) {
      coord[c] = 0;
      for (const ProjectionTerm &term : tensor.projection[c].terms)
        coord[c] += term.coefficient * offset[term.dim];
    }
    groups[coord].push_back(laneSlot[active[i]]);
  }
  for (const auto &[where, slots] : groups) {
    ++traffic.words;
    traffic.hops +=
        output ? network.reductionHops(slots) : network.multicastHops(slots);
  }
  return traffic;
}

template <typename Visit>
void Hierarchy::forEachPoint(const Instance &pe, uint64_t epoch, uint64_t step,
                             Visit &&visit) const {
  const unsigned level = levels - 1;
  // The epoch's first point, worked out once per epoch (one cache for the
  // epoch the PE computes, one for the epoch it prefetches).
  bool current = epoch == pe.released;
  std::vector<int64_t> &base = current ? pe.base : pe.ahead;
  uint64_t &baseEpoch = current ? pe.baseEpoch : pe.aheadEpoch;
  if (baseEpoch != epoch) {
    base = pe.offset;
    uint64_t rest = epoch;
    const std::vector<size_t> &above = temporalAbove[level];
    for (size_t k = above.size(); k-- > 0;) {
      const Placed &loop = nest[above[k]];
      base[loop.dim] += int64_t(rest % loop.factor) * loop.weight;
      rest /= loop.factor;
    }
    baseEpoch = epoch;
  }
  forEachLanePoint(base.data(), step, visit);
}

template <typename Visit>
void Hierarchy::forEachLanePoint(const int64_t *base, uint64_t step,
                                 Visit &&visit) const {
  const unsigned level = levels - 1;
  const size_t dims = bounds.size();
  int64_t point[kMaxDims], p[kMaxDims];
  for (size_t d = 0; d < dims; ++d)
    point[d] = base[d];
  uint64_t rest = step;
  const std::vector<size_t> &own = ownTemporal[level];
  for (size_t k = own.size(); k-- > 0;) {
    const Placed &loop = nest[own[k]];
    point[loop.dim] += int64_t(rest % loop.factor) * loop.weight;
    rest /= loop.factor;
  }
  const std::vector<size_t> &spatial = ownSpatial[level];
  for (uint64_t lane = 0; lane < lanes; ++lane) {
    std::copy(point, point + dims, p);
    uint64_t r = lane;
    for (size_t k = spatial.size(); k-- > 0;) {
      const Placed &loop = nest[spatial[k]];
      p[loop.dim] += int64_t(r % loop.factor) * loop.weight;
      r /= loop.factor;
    }
    bool inside = true;
    for (size_t d = 0; d < dims; ++d)
      inside &= p[d] < bounds[d];
    if (inside) // A partial tile's missing points are no work.
      visit(static_cast<const int64_t *>(p), uint32_t(lane));
  }
}

uint64_t Hierarchy::addressAt(unsigned t, const int64_t *point,
                              int64_t *coord) const {
  spaces[t].coordinatesAt(point, coord);
  return spaces[t].address(coord);
}

/// A PE whose registers do not keep an operand asks for the words of its
/// next steps (a few ahead) from the level that does.
void Hierarchy::prefetch(uint32_t index) {
  const unsigned level = levels - 1;
  Instance &pe = inst[level][index];
  // Its operand FIFO runs ahead of its MACs by up to operandWindow steps,
  // into the epochs (tiles) that follow: the program knows every step.
  const uint64_t steps = ownSteps[level];
  uint64_t current = pe.released * steps + pe.step;
  uint64_t end = std::min(epochs[level] * steps, current + operandWindow);
  int64_t coord[kMaxTensorCoordinates];
  for (uint64_t global = std::max(pe.prefetched, current); global < end;
       ++global) {
    forEachPoint(pe, global / steps, global % steps,
                 [&](const int64_t *point, uint32_t) {
                   for (unsigned t = 0; t < tensors; ++t) {
                     if (t == out || keeps(level, t))
                       continue;
                     uint64_t address =
                         requestTag(addressAt(t, point, coord), global);
                     if (!pe.operands[t].tryEmplace(address).second)
                       continue; // Another lane of the step asked for it.
                     pe.evictions[global % pe.evictions.size()].push_back(
                         key(t, address));
                     request(level, index, t, address, global);
                   }
                 });
    pe.prefetched = global + 1;
  }
}

/// A PE issues the next MAC steps of its current epoch whose operands are
/// in its registers.
void Hierarchy::stepPe(uint32_t index) {
  const unsigned level = levels - 1;
  Instance &pe = inst[level][index];
  if (pe.asleep)
    return;
  prefetch(index);
  if (pe.released >= pe.allocated || pe.step >= ownSteps[level]) {
    pe.asleep = true;
    return;
  }
  for (unsigned t = 0; t < tensors; ++t)
    if (keeps(level, t) && (pe.tiles[t].front().epoch != pe.released ||
                            (t != out && pe.tiles[t].front().missing > 0))) {
      pe.asleep = true;
      return; // Waiting for its registers' tile.
    }
  // Each compute unit (a lane) is a vector MAC of macsPerPE lanes: it
  // issues that many consecutive steps of its program a cycle.
  uint64_t perCycle = std::max<uint64_t>(1, arch.compute.macsPerPE);
  const unsigned a = out == 0 ? 1 : 0, b = 3 - out - a;
  // A step's operand words leave the registers once it has issued (each
  // entry is that step's alone).
  auto evict = [&](uint64_t global) {
    std::vector<uint64_t> &leaving = pe.evictions[global % pe.evictions.size()];
    for (uint64_t k : leaving)
      pe.operands[k & 3].erase(k >> 2);
    leaving.clear();
  };
  for (uint64_t issued = 0; pe.step < ownSteps[level] && issued < perCycle;) {
    uint64_t global = pe.released * ownSteps[level] + pe.step;
    // Every operand of the step must be here: each lane's coordinates and
    // operand registers, looked up once.
    size_t active = 0;
    bool ready = true;
    forEachPoint(
        pe, pe.released, pe.step, [&](const int64_t *point, uint32_t lane) {
          activeLanes[active] = lane;
          LaneWork &work = laneWork[active++];
          std::copy(point, point + bounds.size(), work.point);
          for (unsigned t : {a, b, out}) {
            spaces[t].coordinatesAt(point, work.coord[t]);
            if (keeps(level, t))
              continue;
            work.address[t] = spaces[t].address(work.coord[t]);
            if (t == out)
              continue;
            work.operand[t] =
                pe.operands[t].find(requestTag(work.address[t], global));
            ready = ready && work.operand[t] && work.operand[t]->present;
          }
        });
    if (!ready) {
      pe.asleep = true;
      break;
    }
    if (active == 0) { // A clipped step, every point beyond the bounds:
      evict(global);   // no work, and no cycle.
      ++pe.step;
      continue;
    }
    std::vector<std::pair<uint64_t, int64_t>> &sums = stepSums;
    sums.clear(); // Bypassed outputs.
    for (size_t lane = 0; lane < active; ++lane) {
      const LaneWork &work = laneWork[lane];
      int64_t operand[3];
      for (unsigned t : {a, b}) {
        if (keeps(level, t)) {
          const Tile &tile = pe.tiles[t].front();
          operand[t] = tile.values[tile.index(work.coord[t])];
        } else {
          operand[t] = work.operand[t]->value;
        }
      }
      int64_t product = operand[a] * operand[b];
      if (keeps(level, out)) {
        Tile &sum = pe.tiles[out].front();
        sum.values[sum.index(work.coord[out])] += product;
      } else {
        uint64_t address = work.address[out];
        auto same = std::find_if(sums.begin(), sums.end(), [&](const auto &s) {
          return s.first == address;
        });
        if (same == sums.end())
          sums.push_back({address, product});
        else
          same->second += product;
      }
      ++counts.macs;
      ++macsThisCycle;
    }
    // The registers' words to and from the lanes, over the level's network:
    // a read (update) per word sent.
    for (unsigned t = 0; t < tensors; ++t) {
      if (!keeps(level, t))
        continue;
      LaneTraffic traffic = active == lanes
                                ? fullLanes[t]
                                : laneTraffic(t, activeLanes.data(), active);
      TensorActions &here = counts.at(level, t);
      (t == out ? here.updates : here.reads) += traffic.words;
      here.networkWords += traffic.words;
      here.networkHops += traffic.hops;
    }
    // Partial sums the registers do not keep go straight up.
    for (auto [address, value] : sums) {
      Flit flit;
      flit.tensor = out;
      flit.tag = address;
      flit.value = uint64_t(value);
      flit.direction = Direction::ToParent;
      flit.children = ChildSet{pe.slot};
      // The siblings that make a sum of this word in this step (their
      // point of a lane that makes it is inside the bounds).
      for (const auto &[slot, delta] : pe.reducesWith)
        for (size_t lane = 0; lane < active; ++lane) {
          const LaneWork &work = laneWork[lane];
          if (work.address[out] != address)
            continue;
          bool inside = true;
          for (size_t d = 0; d < delta.size(); ++d)
            inside = inside && work.point[d] + delta[d] < bounds[d] &&
                     work.point[d] + delta[d] >= 0;
          if (inside) {
            flit.children.insert(slot);
            break;
          }
        }
      Instance &keeper = keeperOfOutput(level, index);
      flit.epoch = pe.released / (epochs[level] / epochs[keeper.level]);
      flit.round = global;
      pe.up.push_back(flit);
      ++keeper.drainsExpected;
      ++keeper.expectedBy[flit.epoch];
    }
    evict(global);
    if (issued++ == 0)
      ++pesThisCycle;
    ++pe.step;
    ++result.peSteps;
    pe.lastIssue = now;
    pe.issuedAny = true;
  }
}

Instance &Hierarchy::keeperOfOutput(unsigned level, uint32_t index) {
  unsigned keeperLevel = level - 1;
  int64_t keeper = inst[level][index].parent;
  while (keeperLevel > 0 && !keeps(keeperLevel, out)) {
    keeper = inst[keeperLevel][keeper].parent;
    --keeperLevel;
  }
  return inst[keeperLevel][keeper];
}

/// Why no PE computed this cycle, followed for one PE that has work left:
/// the first operand word it lacks, traced up to where it waits.
std::string Hierarchy::blockedCause() const {
  const unsigned level = levels - 1;
  const Instance *pe = nullptr;
  for (uint32_t i = 0; i < inst[level].size() && !pe; ++i)
    if (inst[level][i].released < epochs[level])
      pe = &inst[level][i];
  if (!pe)
    return "partial sums to land";
  if (pe->released >= pe->allocated)
    return "a PE tile to start";
  if (pe->step >= ownSteps[level])
    return "the MAC pipeline before a tile is done";
  // The first word of the PE's current step it does not have.
  unsigned tensor = 0;
  uint64_t address = 0;
  bool found = false;
  int64_t coord[kMaxTensorCoordinates];
  for (unsigned t = 0; t < tensors && !found; ++t) {
    if (t == out)
      continue;
    if (keeps(level, t)) {
      const Tile &tile = pe->tiles[t].front();
      if (tile.missing == 0)
        continue;
      forEachWord(tile, t, [&](uint64_t i, uint64_t a, const int64_t *) {
        if (!found && !tile.present[i]) {
          found = true;
          tensor = t;
          address = requestTag(a, tile.epoch);
        }
      });
    } else {
      uint64_t global = pe->released * ownSteps[level] + pe->step;
      forEachPoint(*pe, pe->released, pe->step,
                   [&](const int64_t *point, uint32_t) {
                     uint64_t a =
                         requestTag(addressAt(t, point, coord), global);
                     const Instance::Operand *entry = pe->operands[t].find(a);
                     if (!found && (!entry || !entry->present)) {
                       found = true;
                       tensor = t;
                       address = a;
                     }
                   });
    }
  }
  if (!found)
    return "operands that arrived this cycle";
  // Up the tree: where is the word?
  uint64_t k = key(tensor, address);
  const Instance *at = pe;
  unsigned l = level;
  while (l > 0) {
    const Instance &parent = inst[l - 1][at->parent];
    std::string name =
        arch.levels[l - 1].name +
        (inst[l - 1].size() > 1 ? "[" + std::to_string(at->parent) + "]" : "");
    if (!parent.pending.contains(k)) {
      for (const ControlMessage &message : controlNext)
        if (message.key == k && message.level == l - 1)
          return "a request on its way (control path)";
      // Served: on its way in the readPipe or the network.
      for (const auto &[ready, flit] : parent.readPipe)
        if (flit.tensor == tensor && flit.tag == address)
          return name + "'s access latency";
      if (l - 1 == 0 && dram && !dramReads.empty())
        return "DRAM banks and bus";
      return arch.levels[l - 1].name + "'s network";
    }
    if (!parent.pending.find(k)->complete())
      return name + "'s multicast (other receivers have not asked yet)";
    if (!keeps(l - 1, tensor)) { // A relay: the word is further up.
      at = &parent;
      --l;
      continue;
    }
    if (l - 1 == 0 || holds(parent, tensor, address, nullptr))
      return name + (dram && l - 1 == 0             ? "'s DRAM queue"
                     : parent.bankConflictAt == now ? "'s banks (a conflict)"
                                                    : "'s read port");
    // The keeper waits for the word itself: a fill from further up.
    at = &parent;
    --l;
  }
  return "a request on its way";
}

bool Hierarchy::finished() const {
  for (unsigned l = 1; l < levels; ++l)
    for (const Instance &instance : inst[l])
      if (instance.released < epochs[l])
        return false;
  for (unsigned l = 0; l < levels; ++l)
    for (const Instance &instance : inst[l]) {
      if (!instance.up.empty() || !instance.down.empty() ||
          !instance.readPipe.empty())
        return false;
      if (instance.net && !instance.net->idle())
        return false;
    }
  if (dram && (!dramReads.empty() || !dramWrites.empty() ||
               dram->nextEvent() != Dram::kNever))
    return false;
  return inst[0][0].drainsReceived == inst[0][0].drainsExpected;
}

/// The start of a cycle: partial sums that waited for their tile try
/// again; control messages sent last cycle arrive.
void Hierarchy::begin(uint64_t cycle) {
  now = cycle;
  macsThisCycle = 0;
  pesThisCycle = 0;
  moved = false;
  for (unsigned l = 1; l < levels; ++l)
    for (uint32_t i = 0; i < inst[l].size(); ++i)
      if (!inst[l][i].parked.empty()) {
        std::vector<Flit> waiting;
        waiting.swap(inst[l][i].parked);
        for (const Flit &flit : waiting)
          arriveDrain(l, i, flit);
      }
  std::swap(control, controlNext);
  for (const ControlMessage &message : control)
    receiveRequest(message);
  control.clear();
}

/// Level l's programs: its instances finish tiles and start the next.
void Hierarchy::programs(unsigned l) {
  if (l == 0)
    return; // The backing store holds everything from the start.
  for (uint32_t i = 0; i < inst[l].size(); ++i) {
    Instance &instance = inst[l][i];
    while (tryRelease(l, i))
      moved = true;
    // Start the next tile once a buffer is free: with two, while the
    // current one is in use (its words still arriving, or being computed
    // on); with one, once nothing is resident. Words both tiles need and
    // still on their way are asked for once and fill both.
    uint64_t resident = instance.allocated - instance.released;
    if (resident == 0 || (doubleBuffered[l] && resident == 1))
      if (allocate(l, i))
        moved = true;
  }
}

/// Level l's read ports serve; the words enter its network after the
/// level's latency.
void Hierarchy::ports(unsigned l) {
  if (l + 1 >= levels)
    return;
  for (uint32_t i = 0; i < inst[l].size(); ++i) {
    Instance &instance = inst[l][i];
    serve(l, i);
    if (!instance.net)
      continue; // A systolic level: its array reads the tiles.
    while (!instance.readPipe.empty() &&
           instance.readPipe.front().first <= now) {
      instance.down.push_back(instance.readPipe.front().second);
      instance.readPipe.pop_front();
    }
    while (!instance.down.empty() &&
           instance.net->canInject(Endpoint::parent())) {
      ++counts.at(l, instance.down.front().tensor).networkWords;
      instance.net->inject(Endpoint::parent(), instance.down.front());
      instance.down.pop_front();
      moved = true;
    }
  }
}

/// Level l's partial sums enter its parent's network.
void Hierarchy::drains(unsigned l) {
  if (l == 0)
    return;
  for (Instance &instance : inst[l]) {
    Noc &net = *inst[l - 1][instance.parent].net;
    while (!instance.up.empty() &&
           net.canInject(Endpoint::child(instance.slot))) {
      // A network's words are those through its parent's port: a sum the
      // network reduces from several children is one word (counted at its
      // first member), as a multicast is one word however many it reaches.
      const ChildSet &group = instance.up.front().children;
      if (group.size() <= 1 || group.front() == instance.slot)
        ++counts.at(l - 1, instance.up.front().tensor).networkWords;
      net.inject(Endpoint::child(instance.slot), instance.up.front());
      instance.up.pop_front();
      moved = true;
    }
  }
}

/// The PEs issue the MACs whose operands are in their registers.
void Hierarchy::pes() {
  for (uint32_t i = 0; i < inst[levels - 1].size(); ++i)
    stepPe(i);
}

/// Level l's network moves; words land through the write ports below it
/// (and partial sums at the level itself).
void Hierarchy::network(unsigned l) {
  if (l + 1 >= levels)
    return;
  for (uint32_t i = 0; i < inst[l].size(); ++i) {
    Instance &instance = inst[l][i];
    if (!instance.net)
      continue;
    instance.net->step();
    if (!instance.net->hasDeliveries())
      continue;
    while (auto got = instance.net->receive(Endpoint::parent())) {
      arriveDrain(l, i, got->flit);
      moved = true;
    }
    for (uint32_t child : instance.children) {
      if (!instance.net->hasDeliveries())
        break;
      Instance &c = inst[l + 1][child];
      while (c.writePort->allows(leastWordCost[l + 1])) {
        auto got = instance.net->receive(Endpoint::child(c.slot));
        if (!got)
          break;
        if (keeps(l + 1, got->flit.tensor))
          c.writePort->take(
              wordCost[size_t(l + 1) * tensors + got->flit.tensor]);
        arrive(l + 1, child, got->flit);
        moved = true;
      }
    }
  }
}

/// The end of a cycle: the ports' rates tick, the traces sample.
void Hierarchy::end() {
  for (unsigned l = 0; l < levels; ++l)
    for (Instance &instance : inst[l]) {
      instance.readPort->tick();
      instance.writePort->tick();
      for (RateLimiter &bank : instance.readBanks)
        bank.tick();
    }
  sample();
}

/// One cycle of every buffer instance, network and PE, the phases in the
/// order a clocked kernel runs them (sim/StructuralTop.h).
bool Hierarchy::cycle(uint64_t t) {
  begin(t);
  for (unsigned l = levels; l-- > 0;)
    programs(l);
  for (unsigned l = 0; l < levels; ++l)
    ports(l);
  for (unsigned l = 0; l < levels; ++l)
    drains(l);
  pes();
  for (unsigned l = 0; l < levels; ++l)
    network(l);
  end();
  return moved;
}

/// Trace counters every utilizationInterval cycles: words waiting at read
/// ports to enter a network, and each level's words on its links.
void Hierarchy::sample() {
  if (options.vcd) {
    if (vcdSignals.empty()) {
      vcdSignals.push_back(options.vcd->signal("pes", "computing", 32));
      vcdSignals.push_back(options.vcd->signal("array", "folds_done", 32));
      for (unsigned l = 1; l < levels; ++l)
        vcdSignals.push_back(options.vcd->signal(arch.levels[l].name,
                                                 "instance0_tiles_done", 32));
      for (unsigned l = 0; l + 1 < levels; ++l)
        vcdSignals.push_back(
            options.vcd->signal(arch.levels[l].name, "words_on_links", 32));
    }
    size_t at = 0;
    if (!arrayRunning) // Else the array's controller sets it.
      options.vcd->set(now, vcdSignals[at], pesThisCycle);
    ++at;
    options.vcd->set(now, vcdSignals[at++], foldsDone);
    for (unsigned l = 1; l < levels; ++l)
      options.vcd->set(now, vcdSignals[at++],
                       inst[l].empty() ? 0 : inst[l].front().released);
    for (unsigned l = 0; l + 1 < levels; ++l) {
      uint64_t onLinks = 0;
      for (const Instance &instance : inst[l])
        if (instance.net)
          for (const std::unique_ptr<Link> &link : instance.net->links())
            onLinks += link->occupancy();
      options.vcd->set(now, vcdSignals[at++], onLinks);
    }
  }
  if (!options.trace || now % options.utilizationInterval != 0)
    return;
  uint64_t waiting = 0;
  for (unsigned l = 0; l + 1 < levels; ++l) {
    uint64_t onLinks = 0;
    for (const Instance &instance : inst[l]) {
      waiting += instance.down.size() + instance.readPipe.size();
      if (instance.net)
        for (const std::unique_ptr<Link> &link : instance.net->links())
          onLinks += link->occupancy();
    }
    if (inst[l].front().net)
      options.trace->counter(arch.levels[l].name + " network: words on links",
                             now, double(onLinks));
  }
  options.trace->counter("words waiting to enter a network", now,
                         double(waiting));
}

void Hierarchy::prepare() {
  started = lastProgress = std::chrono::steady_clock::now();
  // The backing store holds every tensor.
  {
    Instance &store = inst[0][0];
    for (unsigned t = 0; t < tensors; ++t) {
      Tile all;
      all.words = spaces[t].words;
      all.values.assign(all.words, 0);
      all.present.assign(all.words, 1);
      if (t != out)
        fillSeeded(all.values, options.seed, t);
      store.tiles[t].push_back(std::move(all));
    }
    store.allocated = 1;
  }
  if (options.trace) {
    tracks.resize(levels);
    for (unsigned l = 1; l < levels; ++l) {
      const std::string &name = arch.levels[l].name;
      if (l == levels - 1) {
        for (uint32_t p = 0; p < inst[l - 1].size(); ++p)
          tracks[l].push_back(options.trace->track(
              name + " PEs under " + arch.levels[l - 1].name + "[" +
              std::to_string(p) + "]"));
        continue;
      }
      size_t count = inst[l].size();
      size_t shown = std::min<size_t>(count, 64);
      for (size_t i = 0; i < shown; ++i)
        tracks[l].push_back(options.trace->track(
            name + "[" + std::to_string(i) + "]" +
            (count > 64 ? " (the first 64 of " + std::to_string(count) + ")"
                        : "")));
    }
  }
}

uint64_t Hierarchy::runArray(const std::function<bool(uint64_t)> &eachCycle) {
  if (!systolic)
    return 0;
  // The array, its edge ports and fold controller run the PEs; every other
  // component steps before them each cycle.
  LevelSource source(*this);
  SystolicRunOptions arrayOptions;
  arrayOptions.progress = options.progress;
  arrayOptions.progressLabel = options.progressLabel;
  if (options.utilization || options.trace || options.vcd)
    arrayOptions.eachCycleMacs = [this](uint64_t t, uint64_t busy) {
      if (options.vcd && !vcdSignals.empty())
        options.vcd->set(t, vcdSignals[0], busy); // PEs computing.
      if (options.utilization)
        options.utilization->add(t, busy);
      if (options.trace && t % options.utilizationInterval == 0)
        options.trace->counter("PEs computing", t, double(busy));
    };
  arrayRunning = true;
  systolicRun =
      runSystolic(problem, systolicPlan, source, arrayOptions, eachCycle);
  arrayRunning = false;
  result.systolicAsBuilt = true;
  countArray();
  if (!systolicRun.error.empty()) {
    result.error = systolicRun.interrupted
                       ? systolicRun.error
                       : "the systolic array: " + systolicRun.error;
    result.interrupted = systolicRun.interrupted;
  }
  now = systolicRun.cycles;
  return systolicRun.cycles;
}

/// After a cycle: what it went to, whether the run is over (finished,
/// stuck, at its limit, interrupted), the progress line.
bool Hierarchy::after() {
  if (!result.error.empty())
    return false;
  if (options.utilization)
    options.utilization->add(now, pesThisCycle);
  if (options.trace && now % options.utilizationInterval == 0)
    options.trace->counter("PEs computing", now, double(pesThisCycle));
  if (macsThisCycle > 0)
    ++computing;
  else if (counts.macs < problem.macs())
    ++waits[blockedCause()];
  else
    ++draining;
  if (finished()) {
    ++now;
    return false;
  }
  bool busy = moved || macsThisCycle > 0 || !controlNext.empty() ||
              (dram && (!dramReads.empty() || !dramWrites.empty()));
  for (unsigned l = 0; l + 1 < levels && !busy; ++l)
    for (const Instance &instance : inst[l])
      busy = busy || (instance.net && instance.net->progressed()) ||
             !instance.readPipe.empty();
  quiet = busy ? 0 : quiet + 1;
  if (quiet > 1000) {
    result.error = "the structural simulation is stuck at cycle " +
                   std::to_string(now) +
                   " (no word moved for 1000 "
                   "cycles): a bug, please report it with the mapping";
    return false;
  }
  if (options.cycleLimit && now >= options.cycleLimit) {
    result.error =
        "stopped at the cycle limit " + std::to_string(options.cycleLimit);
    return false;
  }
  if ((now & 1023) == 1023) {
    if (interrupted()) {
      result.interrupted = true;
      result.error = "interrupted by " + interruptSignalName() + " at cycle " +
                     std::to_string(now);
      return false;
    }
    auto t = std::chrono::steady_clock::now();
    if (options.progress &&
        std::chrono::duration<double>(t - lastProgress).count() >= 1) {
      lastProgress = t;
      double done = double(counts.macs) / double(problem.macs());
      double seconds = std::chrono::duration<double>(t - started).count();
      char text[160];
      std::snprintf(text, sizeof text,
                    "%llu cycles simulated, %.0f%% of the MACs, %.3g "
                    "cycles/s, about %.0f s left",
                    (unsigned long long)now, done * 100, double(now) / seconds,
                    done > 0 ? seconds * (1 - done) / done : 0.0);
      progressLine.print(options.progressLabel + text);
    }
  }
  return true;
}

/// The run is over: the cycle shares, the counts, the functional check.
void Hierarchy::finish() {
  progressLine.end();
  result.shares = {};
  for (const CycleShare &share : systolicRun.shares)
    result.shares.push_back(
        {share.what.rfind("waiting", 0) == 0
             ? "the next tile of '" + arch.levels[levels - 2].name +
                   "' (nothing in the array)"
         : share.what.rfind("compute", 0) == 0 ? share.what
                                               : "array: " + share.what,
         share.cycles});
  if (computing)
    result.shares.push_back({"compute (some PE issued a MAC)", computing});
  std::vector<std::pair<std::string, uint64_t>> sorted(waits.begin(),
                                                       waits.end());
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const auto &x, const auto &y) { return x.second > y.second; });
  for (const auto &[cause, cycles] : sorted)
    result.shares.push_back({"waiting for " + cause, cycles});
  if (draining)
    result.shares.push_back(
        {"draining partial sums (after the last MAC)", draining});
  collect();
  if (options.functional && result.error.empty())
    check();
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
}

/// Runs every cycle in this process, phase after phase.
void Hierarchy::run() {
  prepare();
  uint64_t t = runArray([&](uint64_t cycleIndex) { return cycle(cycleIndex); });
  if (result.error.empty())
    for (;; ++t) {
      cycle(t);
      if (!after())
        break;
    }
  finish();
}

/// The array's own counts, by tensor: its PEs' MACs and register actions,
/// the words that entered at its edges and crossed its links.
void Hierarchy::countArray() {
  const SystolicRun &run = systolicRun;
  const SystolicPlan &plan = systolicPlan;
  const unsigned array = levels - 2, pe = levels - 1;
  counts.macs = run.macs;
  const unsigned a = out == 0 ? 1 : 0, b = 3 - out - a;
  counts.at(pe, a).reads += run.macs; // Each MAC reads both operand
  counts.at(pe, b).reads += run.macs; // registers and updates its sum.
  counts.at(pe, out).updates += run.macs;
  // Between a PE's registers and its MAC: the level's network, one word
  // each way per MAC for what the registers keep (as stepPe counts it).
  const Network &own = arch.levels[pe].network;
  for (unsigned t = 0; t < tensors; ++t)
    if (keeps(pe, t)) {
      counts.at(pe, t).networkWords += run.macs;
      counts.at(pe, t).networkHops +=
          run.macs * (t == out ? own.drainHops(0) : own.unicastHops(0));
    }
  auto chain = [&](unsigned t, uint64_t words) {
    counts.at(array, t).networkHops += words;
    if (t != out)
      counts.at(pe, t).fills += words;
  };
  for (unsigned t = 0; t < tensors; ++t) {
    counts.at(array, t).networkWords += run.injected[t];
    chain(t, run.injected[t]); // The hop from the edge port into a PE.
  }
  chain(plan.horizontal, run.links.horizontal);
  if (plan.mode == SystolicArray::Mode::Reduce) {
    chain(out, run.links.partialSums);
    chain(unsigned(plan.stationary), run.links.load);
  } else {
    chain(plan.vertical, run.links.vertical);
    chain(out, run.links.drain);
  }
  result.peSteps = run.steppedPeCycles;
}

void Hierarchy::collect() {
  for (unsigned l = 0; l + 1 < levels; ++l)
    for (const Instance &instance : inst[l])
      if (instance.net)
        for (const std::unique_ptr<Link> &link : instance.net->links())
          for (unsigned t = 0; t < tensors; ++t)
            counts.at(l, t).networkHops += link->wordsOf(t) * link->hops();
  // Where words waited in the networks, the worst five ports.
  std::vector<std::pair<std::string, uint64_t>> &links = result.busiestLinks;
  for (unsigned l = 0; l + 1 < levels; ++l)
    for (uint32_t i = 0; i < inst[l].size(); ++i) {
      const Instance &instance = inst[l][i];
      if (!instance.net)
        continue;
      for (const std::unique_ptr<Router> &router : instance.net->routers())
        for (size_t o = 0; o < router->outputCount(); ++o) {
          uint64_t stalled = router->outputCounters(o).stalledCycles();
          if (stalled == 0)
            continue;
          std::string name = inst[l].size() > 1 ? arch.levels[l].name + "[" +
                                                      std::to_string(i) + "] "
                                                : std::string();
          links.push_back({name + router->outputName(o), stalled});
        }
    }
  std::stable_sort(
      links.begin(), links.end(),
      [](const auto &a, const auto &b) { return a.second > b.second; });
  if (links.size() > 5)
    links.resize(5);
  if (dram) {
    DramBankCounts totals = dram->bankTotals();
    result.dram = {{"row hits", totals.rowHits},
                   {"row misses (bank closed)", totals.rowMisses},
                   {"row conflicts", totals.rowConflicts},
                   {"activates", totals.activates},
                   {"precharges", totals.precharges},
                   {"read bursts", totals.reads},
                   {"write bursts", totals.writes},
                   {"refreshes", totals.refreshes}};
  }
  Report &report = result.report;
  report = Report(levels, tensors);
  report.evaluator = "structural";
  counts.cycles = now; // Leakage runs through them.
  report.actions = counts;
  report.cycles = now;
  report.macs = problem.macs();
  report.executedMacs = counts.macs;
  report.energy = energyOf(arch, counts, storedBits(problem));
  uint64_t peak = arch.peakMacsPerCycle();
  report.utilization =
      now && peak ? double(report.macs) / (double(now) * double(peak)) : 0;
}

void Hierarchy::check() {
  result.checked = true;
  const unsigned a = out == 0 ? 1 : 0, b = 3 - out - a;
  const Instance &store = inst[0][0];
  const Tile &outputs = store.tiles[out].front();
  std::vector<int64_t> expected =
      referenceOutput(problem, spaces, store.tiles[a].front().values,
                      store.tiles[b].front().values, out);
  for (uint64_t i = 0; i < expected.size(); ++i)
    if (expected[i] != outputs.values[i]) {
      result.mismatch = "output " + problem.tensors[out].name +
                        spaces[out].describe(i) + " is " +
                        std::to_string(outputs.values[i]) + ", expected " +
                        std::to_string(expected[i]);
      return;
    }
}

/// Hierarchy's steps behind StructuralPhases.
class Phases : public StructuralPhases {
public:
  Phases(const Problem &problem, const Arch &arch, const Mapping &mapping,
         const StructuralOptions &options) {
    try {
      if (problem.dims.size() > kMaxDims)
        throw std::invalid_argument("ops of more than 16 loop dimensions");
      hierarchy =
          std::make_unique<Hierarchy>(problem, arch, mapping, options, result);
    } catch (const std::invalid_argument &error) {
      result.error = error.what();
    }
    failure = result.error;
  }
  unsigned levelCount() const override { return hierarchy->levelCount(); }
  void prepare() override { hierarchy->prepare(); }
  uint64_t runArray(const std::function<bool(uint64_t)> &eachCycle) override {
    return hierarchy->runArray(eachCycle);
  }
  void begin(uint64_t cycle) override { hierarchy->begin(cycle); }
  void programs(unsigned level) override { hierarchy->programs(level); }
  void ports(unsigned level) override { hierarchy->ports(level); }
  void drains(unsigned level) override { hierarchy->drains(level); }
  void pes() override { hierarchy->pes(); }
  void network(unsigned level) override { hierarchy->network(level); }
  void end() override { hierarchy->end(); }
  bool moved() const override { return hierarchy->movedThisCycle(); }
  bool after() override { return hierarchy->after(); }
  StructuralResult finish() override {
    if (hierarchy)
      hierarchy->finish();
    return result;
  }
  const std::string &error() const override { return failure; }

private:
  StructuralResult result;
  std::unique_ptr<Hierarchy> hierarchy;
  std::string failure;
};

} // namespace

std::unique_ptr<StructuralPhases>
structuralPhases(const Problem &problem, const Arch &arch,
                 const Mapping &mapping, const StructuralOptions &options) {
  return std::make_unique<Phases>(problem, arch, mapping, options);
}

StructuralResult simulateStructural(const Problem &problem, const Arch &arch,
                                    const Mapping &mapping,
                                    const StructuralOptions &options) {
  StructuralResult result;
  try {
    if (problem.dims.size() > kMaxDims)
      throw std::invalid_argument("ops of more than 16 loop dimensions");
    Hierarchy hierarchy(problem, arch, mapping, options, result);
    hierarchy.run();
  } catch (const std::invalid_argument &error) {
    result.error = error.what();
  }
  return result;
}

} // namespace tessel::sim
