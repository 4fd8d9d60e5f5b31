//===- test/model/SpatialGroupsTest.cpp - Group counts equal a brute force ===//
//
// NestAnalysis::groupTraffic counts the groups of instances (members with
// the same box origin) by components of spatial loops (model/SpatialGroups)
// instead of visiting every member. Here every member is visited: for each
// (from, network, level, tensor) of a few hundred seeded random legal
// mappings of ResNet-50, MobileNetV2 and BERT layers on the presets with
// big arrays (and a few hand-built ones for the sliding-window cases), the
// spatial loops of levels [from, level) are enumerated index by index, the
// members grouped by origin in a std::map, and the group count, children,
// hop sums and the overlap of the groups' boxes compared with the model's.
//
//===----------------------------------------------------------------------===//
#include "arch/Arch.h"
#include "arch/ArchLoader.h"
#include "mapping/Mapping.h"
#include "mapping/RandomMapping.h"
#include "model/NestAnalysis.h"
#include "workloads/LinalgImport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tessel {
namespace {

/// What the brute force finds for one (from, network, level, tensor).
struct Expected {
  uint64_t members = 1;
  uint64_t groups = 0, childPairs = 0, multicastHops = 0, reductionHops = 0,
           drainHops = 0;
  bool overlap = false;
  // Coverage.
  bool multiChildGroup = false; ///< Some group spans several children.
  /// Members of one group differ in the index of a loop that moves the
  /// tensor (a sliding window), of `network` or of another level.
  bool windowAtNetwork = false, windowElsewhere = false;
  uint64_t movingCombos = 1;    ///< Product of the moving loops' factors.
  bool otherLevelLoops = false; ///< Loops of levels other than `network`.
  bool networkLoops = false;    ///< Loops of `network` itself.
};

struct Group {
  std::set<unsigned> children;
  std::vector<int64_t> first; ///< The first member's indices.
};

Expected bruteForce(const NestAnalysis &analysis, const Problem &problem,
                    const Arch &arch, unsigned from, unsigned network,
                    unsigned level, unsigned tensor) {
  Expected expected;
  const Tensor &t = problem.tensors[tensor];
  const size_t width = t.projection.size();
  const Network &net = arch.levels[network].network;
  const unsigned fanoutX = arch.levels[network].fanout[0];

  std::vector<NestLoop> loops; // Nest order, outer to inner.
  for (const NestLoop &loop : analysis.loops())
    if (loop.spatial && loop.level >= from && loop.level < level)
      loops.push_back(loop);
  std::vector<bool> moving;
  for (const NestLoop &loop : loops) {
    expected.members *= uint64_t(loop.factor);
    bool moves = false;
    for (size_t c = 0; c < width; ++c)
      moves |= t.projection[c].coefficientOf(loop.dim) != 0;
    moving.push_back(moves);
    if (moves)
      expected.movingCombos *= uint64_t(loop.factor);
    if (loop.factor > 1)
      (loop.level == network ? expected.networkLoops
                             : expected.otherLevelLoops) = true;
  }

  std::map<std::vector<int64_t>, Group> groups;
  std::vector<int64_t> index(loops.size(), 0);
  std::vector<int64_t> origin(width);
  for (uint64_t m = 0; m < expected.members; ++m) {
    std::fill(origin.begin(), origin.end(), 0);
    for (size_t i = 0; i < loops.size(); ++i)
      for (size_t c = 0; c < width; ++c)
        origin[c] += index[i] * t.projection[c].coefficientOf(loops[i].dim) *
                     loops[i].stride;
    // The child: x + y * fanout[0], each axis a mixed-radix number of its
    // loops' indices, the innermost loop fastest.
    int64_t x = 0, y = 0, scaleX = 1, scaleY = 1;
    for (size_t i = loops.size(); i-- > 0;) {
      if (loops[i].level != network)
        continue;
      if (loops[i].axis == SpatialAxis::X) {
        x += index[i] * scaleX;
        scaleX *= loops[i].factor;
      } else {
        y += index[i] * scaleY;
        scaleY *= loops[i].factor;
      }
    }
    unsigned child = unsigned(x + y * int64_t(fanoutX));
    auto [it, inserted] = groups.try_emplace(origin);
    if (inserted) {
      it->second.first = index;
    } else {
      for (size_t i = 0; i < loops.size(); ++i)
        if (moving[i] && index[i] != it->second.first[i])
          (loops[i].level == network ? expected.windowAtNetwork
                                     : expected.windowElsewhere) = true;
    }
    it->second.children.insert(child);
    expected.drainHops += net.drainHops(child);
    // Next member: the last loop fastest.
    for (size_t i = loops.size(); i-- > 0;) {
      if (++index[i] < loops[i].factor)
        break;
      index[i] = 0;
    }
  }

  expected.groups = groups.size();
  for (const auto &[key, group] : groups) {
    std::vector<unsigned> children(group.children.begin(),
                                   group.children.end()); // Sorted.
    expected.childPairs += children.size();
    expected.multicastHops += net.multicastHops(children);
    expected.reductionHops += net.reductionHops(children);
    expected.multiChildGroup |= children.size() > 1;
  }

  // The boxes at `level`: span_c = 1 + sum |coefficient| x (extent - 1).
  std::vector<int64_t> span(width, 1);
  for (size_t c = 0; c < width; ++c)
    for (const ProjectionTerm &term : t.projection[c].terms)
      span[c] += std::abs(term.coefficient) *
                 (analysis.tileExtent(level, term.dim) - 1);
  // Two different groups share a word iff they are closer than the span in
  // every coordinate. The map is sorted by coordinate 0 first: only the
  // groups after one within span[0] of it in coordinate 0 can share.
  std::vector<const std::vector<int64_t> *> origins;
  for (const auto &[key, group] : groups)
    origins.push_back(&key);
  for (size_t a = 0; a < origins.size() && !expected.overlap; ++a)
    for (size_t b = a + 1; b < origins.size() && !expected.overlap; ++b) {
      const std::vector<int64_t> &oa = *origins[a], &ob = *origins[b];
      if (width > 0 && ob[0] - oa[0] >= span[0])
        break;
      bool shares = true;
      for (size_t c = 0; c < width && shares; ++c)
        shares = std::abs(oa[c] - ob[c]) < span[c];
      expected.overlap = shares;
    }
  return expected;
}

std::string describe(const Problem &problem, const Arch &arch,
                     const Mapping &mapping) {
  std::string text =
      problem.name + " (" + problem.opName + ") on " + arch.name + ":";
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    const LevelMapping &level = mapping.levels[l];
    text += "\n  " + arch.levels[l].name + ": temporal [";
    for (const Loop &loop : level.temporal)
      text += " " + problem.dims[loop.dim].name + std::to_string(loop.factor);
    text += " ] spatial [";
    for (const SpatialLoop &loop : level.spatial)
      text += " " + problem.dims[loop.dim].name + std::to_string(loop.factor) +
              (loop.axis == SpatialAxis::X ? "x" : "y");
    text += " ] keep [";
    for (unsigned t = 0; t < problem.tensors.size(); ++t)
      if (level.keeps(t))
        text += " " + problem.tensors[t].name;
    text += " ]";
  }
  return text;
}

struct Coverage {
  unsigned mappings = 0, handBuilt = 0;
  uint64_t checks = 0, nontrivial = 0, shared = 0, multiChild = 0,
           slidingWindow = 0, windowAtNetwork = 0, windowElsewhere = 0,
           overlapping = 0, crossLevel = 0, bigGroups = 0;
  uint64_t maxMembers = 0;
};

/// Every (from, network, level, tensor) of one mapping.
void checkMapping(const Problem &problem, const Arch &arch,
                  const Mapping &mapping, Coverage &coverage) {
  NestAnalysis analysis(problem, arch, mapping);
  const unsigned levels = analysis.levelCount();
  ++coverage.mappings;
  for (unsigned from = 0; from < levels; ++from)
    for (unsigned network = from; network < levels; ++network)
      for (unsigned level = network + 1; level <= levels; ++level)
        for (unsigned tensor = 0; tensor < problem.tensors.size(); ++tensor) {
          Expected expected =
              bruteForce(analysis, problem, arch, from, network, level, tensor);
          const GroupTraffic &actual =
              analysis.groupTraffic(from, network, level, tensor);
          bool overlap = analysis.boxesOverlap(actual, level, tensor);
          SCOPED_TRACE("from " + std::to_string(from) + " network " +
                       std::to_string(network) + " level " +
                       std::to_string(level) + " tensor " +
                       problem.tensors[tensor].name + " (" +
                       std::to_string(expected.members) + " members)\n" +
                       describe(problem, arch, mapping));
          EXPECT_EQ(actual.groups, expected.groups);
          EXPECT_EQ(actual.childPairs, expected.childPairs);
          EXPECT_EQ(actual.multicastHops, expected.multicastHops);
          EXPECT_EQ(actual.reductionHops, expected.reductionHops);
          EXPECT_EQ(actual.drainHops, expected.drainHops);
          EXPECT_EQ(overlap, expected.overlap);
          ++coverage.checks;
          coverage.maxMembers = std::max(coverage.maxMembers, expected.members);
          if (expected.members <= 1)
            continue;
          ++coverage.nontrivial;
          coverage.shared += expected.groups < expected.members;
          coverage.multiChild += expected.multiChildGroup;
          // Two loops moving one coordinate make origins coincide.
          coverage.slidingWindow += expected.groups < expected.movingCombos;
          coverage.windowAtNetwork += expected.windowAtNetwork;
          coverage.windowElsewhere += expected.windowElsewhere;
          coverage.overlapping += expected.overlap;
          coverage.crossLevel +=
              expected.otherLevelLoops && expected.networkLoops;
          coverage.bigGroups += expected.members >= 256;
        }
}

void print(const char *what, const Coverage &coverage) {
  std::printf(
      "%s: %u mappings (%u hand-built), %llu (from, network, level, tensor) "
      "checks, %llu with several members (at most %llu), %llu with >= 256: "
      "%llu with fewer groups than members, %llu with a group over several "
      "children, %llu with sliding-window origins coinciding (%llu on the "
      "network's loops, %llu on another level's), %llu with overlapping "
      "boxes, %llu spread at the network and at another level\n",
      what, coverage.mappings, coverage.handBuilt,
      (unsigned long long)coverage.checks,
      (unsigned long long)coverage.nontrivial,
      (unsigned long long)coverage.maxMembers,
      (unsigned long long)coverage.bigGroups,
      (unsigned long long)coverage.shared,
      (unsigned long long)coverage.multiChild,
      (unsigned long long)coverage.slidingWindow,
      (unsigned long long)coverage.windowAtNetwork,
      (unsigned long long)coverage.windowElsewhere,
      (unsigned long long)coverage.overlapping,
      (unsigned long long)coverage.crossLevel);
}

std::string zoo(const std::string &name) {
  return std::string(TESSEL_SOURCE_DIR) + "/workloads/zoo/" + name + ".mlir";
}

/// The named layers of a zoo network.
std::vector<Problem> layers(const std::string &network,
                            const std::vector<std::string> &names) {
  WorkloadSet set = importLinalgFile(zoo(network));
  EXPECT_FALSE(set.hasErrors()) << network;
  std::vector<Problem> chosen;
  for (const std::string &name : names) {
    auto found = std::find_if(set.problems.begin(), set.problems.end(),
                              [&](const Problem &p) { return p.name == name; });
    EXPECT_NE(found, set.problems.end()) << network << " has no " << name;
    if (found != set.problems.end())
      chosen.push_back(*found);
  }
  return chosen;
}

unsigned dimNamed(const Problem &problem, const std::string &name) {
  std::optional<unsigned> dim = problem.dimIndex(name);
  EXPECT_TRUE(dim.has_value()) << problem.name << " has no dimension " << name;
  return dim.value_or(0);
}

struct HandSpatial {
  unsigned level;
  std::string dim;
  int64_t factor;
  SpatialAxis axis;
};

struct HandTemporal {
  unsigned level;
  std::string dim;
  int64_t factor;
};

/// A mapping of `problem` with the given spatial loops (in nest order) and
/// temporal loops, every other factor temporal at the outermost level (its
/// innermost loops); every level keeps every tensor its Arch level may
/// hold.
Mapping handMapping(const Problem &problem, const Arch &arch,
                    const std::vector<HandSpatial> &spatial,
                    const std::vector<HandTemporal> &temporal) {
  Mapping mapping;
  mapping.levels.resize(arch.levelCount());
  std::vector<int64_t> rest;
  for (const Dimension &dim : problem.dims)
    rest.push_back(dim.bound);
  for (const HandSpatial &loop : spatial) {
    unsigned dim = dimNamed(problem, loop.dim);
    EXPECT_EQ(rest[dim] % loop.factor, 0) << loop.dim;
    rest[dim] /= loop.factor;
    mapping.levels[loop.level].spatial.push_back({dim, loop.factor, loop.axis});
  }
  for (const HandTemporal &loop : temporal) {
    unsigned dim = dimNamed(problem, loop.dim);
    EXPECT_EQ(rest[dim] % loop.factor, 0) << loop.dim;
    rest[dim] /= loop.factor;
    mapping.levels[loop.level].temporal.push_back({dim, loop.factor});
  }
  for (unsigned d = 0; d < problem.dims.size(); ++d)
    if (rest[d] > 1)
      mapping.levels[0].temporal.push_back({d, rest[d]});
  for (unsigned l = 0; l < arch.levelCount(); ++l)
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      TensorRole role = tensorRole(problem, t);
      if (l == 0 || (arch.levels[l].keepsRole(role) &&
                     arch.levels[l].capacityFor(role) > 0))
        mapping.levels[l].keepMask |= 1u << t;
    }
  return mapping;
}

Arch preset(const std::string &name) {
  return loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/" + name +
                  ".yaml");
}

const Problem &named(const std::vector<Problem> &problems,
                     const std::string &name) {
  for (const Problem &problem : problems)
    if (problem.name == name)
      return problem;
  ADD_FAILURE() << "no layer " << name;
  return problems.front();
}

TEST(SpatialGroups, GroupTrafficEqualsBruteForceOnPresets) {
  auto start = std::chrono::steady_clock::now();
  std::vector<Problem> problems;
  for (auto &&[network, names] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"resnet50",
            {"conv1", "layer1_0_conv1", "layer1_0_conv2", "layer2_0_conv2"}},
           {"mobilenetv2",
            {"conv_stem", "block1_dw", "block2_dw", "block2_expand"}},
           {"bert_base", {"q_proj", "attn_scores", "ffn_up"}}})
    for (Problem &problem : layers(network, names))
      problems.push_back(std::move(problem));
  ASSERT_EQ(problems.size(), 11u);

  Coverage coverage;
  std::mt19937_64 rng(20260512);
  const unsigned perLayer = 8;
  for (const char *name : {"eyeriss", "simba", "tpu16", "maeri", "nvdla"}) {
    Arch arch = preset(name);
    unsigned drawn = 0;
    for (const Problem &problem : problems)
      for (unsigned i = 0; i < perLayer; ++i) {
        std::optional<Mapping> mapping =
            randomLegalMapping(problem, arch, rng, 20000);
        if (!mapping)
          continue;
        ++drawn;
        checkMapping(problem, arch, *mapping, coverage);
        if (HasFailure())
          return;
      }
    std::printf("%s: %u random legal mappings\n", name, drawn);
    EXPECT_GE(drawn, problems.size() * perLayer / 2) << name;
  }

  const Coverage random = coverage;
  print("random", random);

  // Sliding windows the random draws make rarely: an output row and a
  // filter row (and columns) spread together, on one network or across
  // two levels, strided and not; arrays filled.
  const SpatialAxis x = SpatialAxis::X, y = SpatialAxis::Y;
  struct Hand {
    std::string arch, layer;
    std::vector<HandSpatial> spatial;
    std::vector<HandTemporal> temporal = {};
  };
  const std::vector<Hand> hand = {
      // Eyeriss row-stationary: filter rows and output rows on Y.
      {"eyeriss",
       "layer1_0_conv2",
       {{1, "kh", 3, y}, {1, "oh", 4, y}, {1, "ow", 14, x}},
       {{2, "kw", 3}}}, // A row of 3 inputs per PE: the boxes overlap.
      {"eyeriss",
       "layer1_0_conv2",
       {{1, "oh", 4, y}, {1, "ow", 4, x}, {1, "kh", 3, y}, {1, "kw", 3, x}}},
      // Strided 7x7: the columns' window on X.
      {"eyeriss", "conv1", {{1, "kh", 7, y}, {1, "ow", 2, x}, {1, "kw", 7, x}}},
      // Simba filled: 6x6 chiplets x 4x4 PEs x 8 lanes (4608 members).
      {"simba",
       "layer1_0_conv2",
       {{0, "kh", 3, x},
        {0, "oh", 2, x},
        {0, "ow", 2, y},
        {0, "kw", 3, y},
        {1, "f", 4, x},
        {1, "c", 4, y},
        {2, "c", 8, x}}},
      // Simba, strided: the window spans the chiplets and the PEs.
      {"simba",
       "layer2_0_conv2",
       {{0, "oh", 2, x},
        {0, "f", 2, x},
        {0, "ow", 4, y},
        {1, "kh", 3, x},
        {1, "kw", 3, y},
        {2, "c", 8, x}},
       {{2, "oh", 2}}}, // Two output rows per PE: the boxes overlap.
      // TPU, weight-stationary (its dataflow allows no window): filter
      // rows, columns and channels down the rows, filters across.
      {"tpu16",
       "layer1_0_conv2",
       {{1, "f", 16, x}, {1, "kh", 3, y}, {1, "kw", 3, y}}},
      // MAERI: a strided depthwise window on the tree.
      {"maeri",
       "block2_dw",
       {{1, "kw", 3, x}, {1, "ow", 2, x}, {1, "kh", 3, x}, {1, "oh", 2, x}}},
      // NVDLA: rows across the MAC cells, columns across the MACs.
      {"nvdla",
       "conv1",
       {{2, "oh", 2, x}, {2, "kh", 7, x}, {3, "kw", 7, x}, {3, "ow", 8, x}}},
  };
  for (const Hand &h : hand) {
    Arch arch = preset(h.arch);
    const Problem &problem = named(problems, h.layer);
    Mapping mapping = handMapping(problem, arch, h.spatial, h.temporal);
    std::vector<MappingError> errors = verifyMapping(problem, arch, mapping);
    ASSERT_TRUE(errors.empty()) << errors[0].message << "\n"
                                << describe(problem, arch, mapping);
    ++coverage.handBuilt;
    checkMapping(problem, arch, mapping, coverage);
    if (HasFailure())
      return;
  }

  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  print("all", coverage);
  std::printf("%.2f s\n", elapsed);
  // The cases cover what the brute force is for (so it is not vacuous).
  EXPECT_GE(coverage.nontrivial, 5000u);
  EXPECT_GE(coverage.maxMembers, 4608u);
  EXPECT_GE(coverage.bigGroups, 200u);
  EXPECT_GE(coverage.shared, 3000u);
  EXPECT_GE(coverage.multiChild, 1500u);
  EXPECT_GE(coverage.crossLevel, 1000u);
  EXPECT_GE(coverage.slidingWindow, 100u);
  EXPECT_GE(coverage.windowAtNetwork, 50u);
  EXPECT_GE(coverage.windowElsewhere, 50u);
  EXPECT_GE(coverage.overlapping, 60u);
  EXPECT_GE(random.slidingWindow, 20u);
  EXPECT_GE(random.overlapping, 20u);
  EXPECT_GE(coverage.slidingWindow - random.slidingWindow, 30u);
}

} // namespace
} // namespace tessel
