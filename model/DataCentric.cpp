//===- model/DataCentric.cpp - Cluster levels, cases and delays -----------===//
//
// See DataCentric.h and docs/model.md ("dataflow" and where it
// disagrees). The walk: a cluster level's directives are enumerated outer
// to inner; each takes its first position, its middle positions (all
// alike, counted) and, when the last window is clipped or the array is
// only partly used, its last position. Every combination is a case that occurs
// (product of counts) times. Sub-cluster runtimes are memoized by the tile they
// are given.
//
//===----------------------------------------------------------------------===//
#include "model/DataCentric.h"

#include "arch/Arch.h"
#include "arch/Energy.h"
#include "model/Models.h"
#include "support/Checked.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace tessel {
namespace {

enum class Position { First, Middle, Last };

/// One position class of a directive in one case.
struct State {
  Position position = Position::First;
  uint64_t count = 1;     ///< Steps in this class.
  int64_t size = 1;       ///< Window (per sub-cluster) in these steps.
  uint64_t active = 1;    ///< Sub-clusters used (spatial directives).
  bool multiStep = false; ///< The directive takes more than one step.
  int64_t extent = 1;     ///< What the directive walks.
};

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The position classes of `directive` walking `extent`.
std::vector<State> statesOf(const Directive &directive, int64_t extent,
                            uint64_t subClusters) {
  int64_t size = std::min(directive.size, extent);
  int64_t positions =
      extent <= size ? 1 : 1 + ceilDiv(extent - size, directive.offset);
  std::vector<State> states;
  if (directive.kind == Directive::Kind::Temporal) {
    bool multi = positions > 1;
    states.push_back({Position::First, 1, size, 1, multi, extent});
    if (!multi)
      return states;
    int64_t lastSize =
        std::min(size, extent - (positions - 1) * directive.offset);
    uint64_t middle = uint64_t(positions - (lastSize == size ? 1 : 2));
    if (middle)
      states.push_back({Position::Middle, middle, size, 1, multi, extent});
    if (lastSize != size)
      states.push_back({Position::Last, 1, lastSize, 1, multi, extent});
    return states;
  }
  uint64_t width = std::max<uint64_t>(1, subClusters);
  uint64_t steps = (uint64_t(positions) + width - 1) / width;
  uint64_t firstActive = std::min<uint64_t>(width, uint64_t(positions));
  bool multi = steps > 1;
  states.push_back({Position::First, 1, size, firstActive, multi, extent});
  if (!multi)
    return states;
  uint64_t lastActive = uint64_t(positions) - (steps - 1) * width;
  uint64_t middle = steps - (lastActive == width ? 1 : 2);
  if (middle)
    states.push_back({Position::Middle, middle, size, width, multi, extent});
  if (lastActive != width)
    states.push_back({Position::Last, 1, size, lastActive, multi, extent});
  return states;
}

/// One instance of a cluster level walking one tile: its runtime and the
/// traffic of it and every level inside it.
struct LevelRun {
  uint64_t runtime = 0;
  uint64_t macs = 0;
  std::vector<ClusterStats> stats; ///< This level and those inside.
};

class Analysis {
public:
  Analysis(const Problem &problem, const DataCentricMapping &mapping,
           unsigned simdLanes)
      : problem(problem), mapping(mapping), lanes(std::max(1u, simdLanes)),
        memo(mapping.clusters.size()) {
    for (unsigned t = 0; t < problem.tensors.size(); ++t)
      (problem.tensors[t].isOutput ? outputs : inputs).push_back(t);
  }

  const LevelRun &run(unsigned level, const std::vector<int64_t> &extents) {
    auto found = memo[level].find(extents);
    if (found != memo[level].end())
      return found->second;
    LevelRun result;
    result.stats.resize(mapping.clusters.size() - level);
    for (ClusterStats &stats : result.stats) {
      stats.ingressByTensor.assign(problem.tensors.size(), 0);
      stats.childFillsByTensor.assign(problem.tensors.size(), 0);
    }
    Walk walk{level, extents, {}, result, 0, 0, true, 0, 0};
    walk.states.resize(mapping.clusters[level].directives.size());
    enumerate(walk, 0, walk.extents);
    // No channel is busier than the run: the last step's egress (which no
    // later step overlaps) shows when egress dominates.
    result.runtime =
        std::max({result.runtime, walk.ingressBusy, walk.egressBusy});
    for (unsigned t : inputs)
      counts.accumulate(result.stats[0].childFills,
                        result.stats[0].childFillsByTensor[t]);
    return memo[level].emplace(extents, std::move(result)).first->second;
  }

  CheckedCounts counts;
  uint64_t offChipDelay = 0;

private:
  struct Walk {
    unsigned level;
    std::vector<int64_t> extents;
    std::vector<State> states;
    LevelRun &result;
    uint64_t offIn, offOut;
    bool first;
    uint64_t ingressBusy, egressBusy; ///< Cycles each channel is busy.
  };

  void enumerate(Walk &walk, unsigned j, std::vector<int64_t> &tile) {
    const ClusterLevel &cluster = mapping.clusters[walk.level];
    if (j == cluster.directives.size()) {
      step(walk, tile);
      return;
    }
    const Directive &directive = cluster.directives[j];
    int64_t saved = tile[directive.dim];
    for (const State &state : statesOf(directive, saved, cluster.subClusters)) {
      walk.states[j] = state;
      tile[directive.dim] = state.size;
      enumerate(walk, j + 1, tile);
    }
    tile[directive.dim] = saved;
  }

  uint64_t footprint(unsigned tensor, const std::vector<int64_t> &extents) {
    uint64_t words = problem.footprint(tensor, extents);
    if (words == std::numeric_limits<uint64_t>::max())
      counts.markOverflow();
    return words;
  }

  /// Words of `extents`' footprint not in the same box moved `shift`
  /// along `dim` (the sliding window's new part).
  uint64_t newWords(unsigned tensor, std::vector<int64_t> extents, unsigned dim,
                    int64_t shift) {
    uint64_t all = footprint(tensor, extents);
    if (extents[dim] <= shift)
      return all;
    extents[dim] -= shift;
    return all - footprint(tensor, extents);
  }

  /// Cycles to move `words` (`perChild` of them into or out of each
  /// sub-cluster) over the level's network and ports.
  uint64_t moveDelay(const ClusterLevel &cluster, uint64_t words,
                     uint64_t perChild, const std::optional<double> &port,
                     const std::optional<double> &childPort) {
    if (words == 0)
      return 0;
    auto sends = [&](uint64_t n, const std::optional<double> &bandwidth) {
      return bandwidth ? counts.fromDouble(std::ceil(double(n) / *bandwidth))
                       : uint64_t(1);
    };
    uint64_t slowest =
        std::max({sends(words, cluster.bandwidth), sends(words, port),
                  sends(perChild, childPort), uint64_t(1)});
    return counts.add(cluster.latency, slowest - 1);
  }

  void step(Walk &walk, const std::vector<int64_t> &tile) {
    const ClusterLevel &cluster = mapping.clusters[walk.level];
    const std::vector<Directive> &directives = cluster.directives;
    uint64_t occurrences = 1;
    int changing = -1, spatial = -1;
    for (unsigned j = 0; j < directives.size(); ++j) {
      occurrences = counts.mul(occurrences, walk.states[j].count);
      if (walk.states[j].position != Position::First)
        changing = int(j);
      if (directives[j].kind == Directive::Kind::Spatial)
        spatial = int(j);
    }
    uint64_t active = spatial < 0 ? 1 : walk.states[spatial].active;
    std::vector<int64_t> all = tile; // The union over the sub-clusters.
    if (spatial >= 0) {
      const Directive &d = directives[spatial];
      all[d.dim] = std::min(walk.states[spatial].extent,
                            int64_t(active - 1) * d.offset + tile[d.dim]);
    }
    ClusterStats &stats = walk.result.stats[0];
    uint64_t ingress = 0, egress = 0, fillsPerStep = 0;
    for (unsigned t : inputs) {
      uint64_t sent = 0, filled = 0;
      const Tensor &tensor = problem.tensors[t];
      bool reset = false;
      for (unsigned j = changing + 1; j < directives.size(); ++j)
        reset |=
            walk.states[j].multiStep && tensor.isIndexedBy(directives[j].dim);
      // Sub-clusters whose windows of this tensor differ get their own
      // copies: the halo two neighbours share is sent once only while the
      // array sweeps inside an advancing loop (as MAESTRO counts it).
      bool split = spatial >= 0 && tensor.isIndexedBy(directives[spatial].dim);
      if (changing < 0 || reset) {
        sent =
            split ? counts.mul(footprint(t, tile), active) : footprint(t, all);
        filled = counts.mul(footprint(t, tile), active);
      } else if (tensor.isIndexedBy(directives[changing].dim)) {
        const Directive &d = directives[changing];
        if (d.kind == Directive::Kind::Temporal) {
          uint64_t perChild = newWords(t, tile, d.dim, d.offset);
          filled = counts.mul(perChild, active);
          sent = split && spatial < changing
                     ? filled
                     : newWords(t, all, d.dim, d.offset);
        } else {
          int64_t shift = int64_t(cluster.subClusters) * d.offset;
          sent = newWords(t, all, d.dim, shift);
          filled = counts.mul(footprint(t, tile), active);
        }
      }
      ingress = counts.add(ingress, sent);
      fillsPerStep = counts.add(fillsPerStep, filled);
      counts.accumulate(stats.ingressByTensor[t],
                        counts.mul(sent, occurrences));
      counts.accumulate(stats.childFillsByTensor[t],
                        counts.mul(filled, occurrences));
    }
    uint64_t drained = 0;
    for (unsigned t : outputs) {
      egress = counts.add(egress, footprint(t, all));
      drained = counts.add(drained, counts.mul(footprint(t, tile), active));
    }
    uint64_t compute = 0;
    if (walk.level + 1 == mapping.clusters.size()) {
      uint64_t macs = 1;
      for (int64_t extent : tile)
        macs = counts.mul(macs, uint64_t(extent));
      compute = (macs + lanes - 1) / lanes;
      counts.accumulate(walk.result.macs,
                        counts.mul(macs, active, occurrences));
    } else {
      const LevelRun &child = run(walk.level + 1, tile);
      compute = child.runtime;
      uint64_t instances = counts.mul(active, occurrences);
      counts.accumulate(walk.result.macs, counts.mul(child.macs, instances));
      for (size_t i = 0; i < child.stats.size(); ++i)
        addScaled(walk.result.stats[i + 1], child.stats[i], instances);
    }
    uint64_t in =
        moveDelay(cluster, ingress, (fillsPerStep + active - 1) / active,
                  cluster.readBandwidth, cluster.childWriteBandwidth);
    uint64_t out =
        moveDelay(cluster, egress, (drained + active - 1) / active,
                  cluster.writeBandwidth, cluster.childReadBandwidth);
    if (walk.first && walk.level == 0 && mapping.offChipBandwidth) {
      // The top level's step tile comes from off-chip into a double
      // buffer: a step lasts at least tile / bandwidth (rounded down, as
      // MAESTRO does).
      walk.offIn = counts.fromDouble(
          std::floor(double(ingress) / *mapping.offChipBandwidth));
      walk.offOut = counts.fromDouble(
          std::floor(double(egress) / *mapping.offChipBandwidth));
      offChipDelay = std::max(walk.offIn, walk.offOut);
    }
    uint64_t delay =
        changing < 0 ? counts.add(in, compute) : std::max({in, out, compute});
    int bound = changing < 0       ? (in > compute ? 0 : 2)
                : delay == compute ? 2
                : delay == in      ? 0
                                   : 1;
    if (walk.level == 0 && mapping.offChipBandwidth &&
        std::max(walk.offIn, walk.offOut) > delay) {
      delay = std::max(walk.offIn, walk.offOut);
      bound = 3;
    }
    walk.first = false;
    counts.accumulate(walk.result.runtime, counts.mul(delay, occurrences));
    counts.accumulate(walk.ingressBusy, counts.mul(in, occurrences));
    counts.accumulate(walk.egressBusy, counts.mul(out, occurrences));
    counts.accumulate(stats.steps, occurrences);
    counts.accumulate(stats.boundSteps[bound], occurrences);
    counts.accumulate(stats.ingressWords, counts.mul(ingress, occurrences));
    counts.accumulate(stats.egressWords, counts.mul(egress, occurrences));
    counts.accumulate(stats.childDrains, counts.mul(drained, occurrences));
    stats.peakWordsPerCycle =
        std::max(stats.peakWordsPerCycle,
                 std::max(ingress, egress) / std::max<uint64_t>(1, compute));
    uint64_t held = 0, sent = 0; // One sub-cluster's tile; the whole step's.
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      held = counts.add(held, footprint(t, tile));
      sent = counts.add(sent, footprint(t, all));
    }
    stats.childTileWords = std::max(stats.childTileWords, held);
    stats.stepTileWords = std::max(stats.stepTileWords, sent);
  }

  void addScaled(ClusterStats &into, const ClusterStats &from, uint64_t times) {
    counts.accumulate(into.steps, counts.mul(from.steps, times));
    counts.accumulate(into.ingressWords, counts.mul(from.ingressWords, times));
    counts.accumulate(into.egressWords, counts.mul(from.egressWords, times));
    counts.accumulate(into.childFills, counts.mul(from.childFills, times));
    counts.accumulate(into.childDrains, counts.mul(from.childDrains, times));
    for (size_t t = 0; t < from.ingressByTensor.size(); ++t) {
      counts.accumulate(into.ingressByTensor[t],
                        counts.mul(from.ingressByTensor[t], times));
      counts.accumulate(into.childFillsByTensor[t],
                        counts.mul(from.childFillsByTensor[t], times));
    }
    for (int b = 0; b < 4; ++b)
      counts.accumulate(into.boundSteps[b],
                        counts.mul(from.boundSteps[b], times));
    into.peakWordsPerCycle =
        std::max(into.peakWordsPerCycle, from.peakWordsPerCycle);
    into.childTileWords = std::max(into.childTileWords, from.childTileWords);
    into.stepTileWords = std::max(into.stepTileWords, from.stepTileWords);
  }

  const Problem &problem;
  const DataCentricMapping &mapping;
  uint64_t lanes;
  std::vector<unsigned> inputs, outputs;
  std::vector<std::map<std::vector<int64_t>, LevelRun>> memo;
};

const char *kBoundNames[4] = {"ingress", "egress", "compute", "off-chip"};

constexpr size_t kMaxDirectives = 13;

} // namespace

std::vector<MappingError> checkDataCentric(const Problem &problem,
                                           const DataCentricMapping &mapping) {
  std::vector<MappingError> errors;
  if (mapping.clusters.empty())
    errors.push_back({"the dataflow has no cluster level; give at least one "
                      "directive"});
  if (mapping.extents.size() != problem.dims.size())
    errors.push_back({"the dataflow walks " +
                      std::to_string(mapping.extents.size()) +
                      " dimensions, the problem has " +
                      std::to_string(problem.dims.size())});
  for (int64_t extent : mapping.extents)
    if (extent < 1)
      errors.push_back({"a dimension's extent is " + std::to_string(extent) +
                        "; extents are positive"});
  for (size_t c = 0; c < mapping.clusters.size(); ++c) {
    const ClusterLevel &cluster = mapping.clusters[c];
    unsigned spatial = 0;
    for (const Directive &d : cluster.directives) {
      std::string where = "cluster level " + std::to_string(c) + ": ";
      if (d.dim >= problem.dims.size())
        errors.push_back({where + "a directive names dimension " +
                          std::to_string(d.dim) + " of " +
                          std::to_string(problem.dims.size())});
      if (d.size < 1 || d.offset < 1)
        errors.push_back({where + "a directive has size " +
                          std::to_string(d.size) + " and offset " +
                          std::to_string(d.offset) +
                          "; both must be at least 1"});
      spatial += d.kind == Directive::Kind::Spatial;
    }
    // Each directive takes up to 3 position classes: 3^13 (1.6 million)
    // cases bounds a level's walk.
    if (cluster.directives.size() > kMaxDirectives)
      errors.push_back({"cluster level " + std::to_string(c) + " has " +
                        std::to_string(cluster.directives.size()) +
                        " directives; give at most " +
                        std::to_string(kMaxDirectives) +
                        " (merge loops over the same dimension or open a "
                        "Cluster)"});
    if (spatial > 1)
      errors.push_back({"cluster level " + std::to_string(c) + " has " +
                        std::to_string(spatial) +
                        " spatial maps; give each level at most one (nest "
                        "a Cluster for a second array axis)"});
    if (cluster.subClusters < 1)
      errors.push_back(
          {"cluster level " + std::to_string(c) + " has no sub-clusters"});
    bool positive = true;
    for (const std::optional<double> *port :
         {&cluster.bandwidth, &cluster.readBandwidth, &cluster.writeBandwidth,
          &cluster.childWriteBandwidth, &cluster.childReadBandwidth})
      positive &= !*port || **port > 0;
    if (!positive)
      errors.push_back({"cluster level " + std::to_string(c) +
                        " has a non-positive bandwidth"});
  }
  if (mapping.offChipBandwidth && !(*mapping.offChipBandwidth > 0))
    errors.push_back({"the off-chip bandwidth must be positive"});
  return errors;
}

DataCentricResult analyzeDataCentric(const Problem &problem,
                                     const DataCentricMapping &mapping,
                                     unsigned simdLanes) {
  Analysis analysis(problem, mapping, simdLanes);
  const LevelRun &top = analysis.run(0, mapping.extents);
  DataCentricResult result;
  result.cycles = top.runtime;
  result.executedMacs = top.macs;
  result.clusters = top.stats;
  result.offChipDelay = analysis.offChipDelay;
  result.overflowed = analysis.counts.overflowed();
  return result;
}

DataCentricMapping directivesOf(const Problem &problem, const Arch &arch,
                                const Mapping &mapping) {
  unsigned dims = unsigned(problem.dims.size());
  DataCentricMapping result;
  result.extents = mapping.coveredBounds(dims);
  // Every loop, outer to inner, with the extent of its dimension inside it.
  struct Placed {
    unsigned level;
    Directive directive;
    int64_t factor;
  };
  std::vector<Placed> loops;
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    for (const Loop &loop : mapping.levels[l].temporal)
      if (loop.factor > 1)
        loops.push_back(
            {l, {Directive::Kind::Temporal, loop.dim, 1, 1}, loop.factor});
    for (const SpatialLoop &loop : mapping.levels[l].spatial)
      if (loop.factor > 1)
        loops.push_back(
            {l, {Directive::Kind::Spatial, loop.dim, 1, 1}, loop.factor});
  }
  std::vector<int64_t> inner(dims, 1);
  for (size_t i = loops.size(); i-- > 0;) {
    Directive &d = loops[i].directive;
    d.size = d.offset = inner[d.dim];
    inner[d.dim] = saturatingMul(inner[d.dim], loops[i].factor);
  }
  // One cluster level per Arch level (the innermost one's sub-clusters
  // are the compute units); a second spatial loop of a level opens a
  // nested level on the same network.
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    ClusterLevel cluster;
    cluster.upstreamLevel = l;
    const Network &network = arch.levels[l].network;
    cluster.bandwidth = network.linkBandwidth;
    cluster.readBandwidth = arch.levels[l].readBandwidth;
    cluster.writeBandwidth = arch.levels[l].writeBandwidth;
    if (l + 1 < arch.levelCount()) {
      cluster.childWriteBandwidth = arch.levels[l + 1].writeBandwidth;
      cluster.childReadBandwidth = arch.levels[l + 1].readBandwidth;
    }
    // The first word's hops, on average over the children, x hop latency
    // (MAESTRO's NoC model; buffer access latency is pipelined away).
    cluster.latency = std::max<uint64_t>(
        1, saturatingMul<uint64_t>(
               network.hopLatency,
               uint64_t(std::ceil(network.summary.unicastAverageHops))));
    bool spatialSeen = false;
    for (const Placed &placed : loops) {
      if (placed.level != l)
        continue;
      if (placed.directive.kind == Directive::Kind::Spatial && spatialSeen) {
        result.clusters.push_back(cluster);
        cluster = ClusterLevel{}; // The same network, priced above.
        cluster.upstreamLevel = l;
        cluster.latency = 0;
      }
      cluster.directives.push_back(placed.directive);
      if (placed.directive.kind == Directive::Kind::Spatial) {
        cluster.subClusters = uint64_t(placed.factor);
        spatialSeen = true;
      }
    }
    result.clusters.push_back(cluster);
  }
  return result;
}

Evaluation evaluateDataCentric(const std::string &evaluator,
                               const Problem &problem, const Arch &arch,
                               const DataCentricMapping &mapping,
                               DataCentricResult *details) {
  Evaluation evaluation;
  evaluation.errors = checkDataCentric(problem, mapping);
  for (const ClusterLevel &cluster : mapping.clusters)
    if (cluster.upstreamLevel >= arch.levelCount())
      evaluation.errors.push_back({"a cluster level is fed by level " +
                                   std::to_string(cluster.upstreamLevel) +
                                   "; the Arch has " +
                                   std::to_string(arch.levelCount())});
  if (!evaluation.errors.empty())
    return evaluation;
  std::optional<uint64_t> macs = macsOf(problem, evaluation.errors);
  if (!macs)
    return evaluation;
  DataCentricResult result =
      analyzeDataCentric(problem, mapping, arch.compute.macsPerPE);
  CheckedCounts counts;
  Report report(arch.levelCount(), unsigned(problem.tensors.size()));
  report.evaluator = evaluator;
  report.macs = *macs;
  report.executedMacs = result.executedMacs;
  report.actions.macs = result.executedMacs;
  unsigned levels = arch.levelCount();
  const std::vector<ClusterLevel> &clusters = mapping.clusters;
  for (size_t c = 0; c < clusters.size(); ++c) {
    const ClusterStats &stats = result.clusters[c];
    unsigned up = clusters[c].upstreamLevel;
    // A nested level on the same network: the outer one counts the reads,
    // the inner one the fills.
    bool countsReads = c == 0 || clusters[c - 1].upstreamLevel != up;
    bool countsFills =
        c + 1 == clusters.size() || clusters[c + 1].upstreamLevel != up;
    double hops =
        std::max(1.0, arch.levels[up].network.summary.unicastAverageHops);
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      TensorActions &above = report.actions.at(up, t);
      bool output = problem.tensors[t].isOutput;
      uint64_t sent = output ? stats.egressWords : stats.ingressByTensor[t];
      if (countsReads) {
        counts.accumulate(output ? above.updates : above.reads, sent);
        counts.accumulate(above.networkWords, sent);
        counts.accumulate(above.networkHops,
                          counts.fromDouble(std::round(double(sent) * hops)));
      }
      if (countsFills && up + 1 < levels) {
        TensorActions &below = report.actions.at(up + 1, t);
        if (output)
          counts.accumulate(below.reads, stats.childDrains);
        else
          counts.accumulate(below.fills, stats.childFillsByTensor[t]);
      }
    }
  }
  unsigned top = clusters[0].upstreamLevel;
  if (top > 0 && mapping.offChipBandwidth)
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      bool output = problem.tensors[t].isOutput;
      uint64_t words = output ? result.clusters[0].egressWords
                              : result.clusters[0].ingressByTensor[t];
      counts.accumulate(output ? report.actions.at(0, t).updates
                               : report.actions.at(0, t).reads,
                        words);
      counts.accumulate(output ? report.actions.at(top, t).reads
                               : report.actions.at(top, t).fills,
                        words);
    }
  // PEs below the last cluster level's children (a MAESTRO L1): each MAC
  // reads its operands there and updates its sum.
  if (clusters.back().upstreamLevel + 1 < levels)
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      TensorActions &innermost = report.actions.at(levels - 1, t);
      counts.accumulate(problem.tensors[t].isOutput ? innermost.updates
                                                    : innermost.reads,
                        result.executedMacs);
    }
  if (result.overflowed || counts.overflowed()) {
    evaluation.errors.push_back(countOverflowError(problem));
    return evaluation;
  }
  report.resourceCycles.push_back({"cluster steps", result.cycles});
  report.settle(arch.peakMacsPerCycle());
  report.actions.cycles = report.cycles; // Leakage runs through them.
  energyOf(arch, report.actions, report.energy, storedBits(problem));
  const ClusterStats &outer = result.clusters[0];
  int bound = int(std::max_element(outer.boundSteps, outer.boundSteps + 4) -
                  outer.boundSteps);
  report.bottleneck = std::string(kBoundNames[bound]) + "-bound steps at " +
                      arch.levels[top].name + " (" +
                      std::to_string(outer.boundSteps[bound]) + " of " +
                      std::to_string(outer.steps) + ")";
  if (details)
    *details = std::move(result);
  evaluation.report = std::move(report);
  return evaluation;
}

} // namespace tessel
