//===- test/sim/SimPropertyTest.cpp - Simulator against references --------===//
//
// Seeded random small problems x random legal mappings on random
// accelerators and on the presets: the functional output equals a direct
// computation, the action counts equal the reuse model's exactly, and the
// simulated cycles are never below the roofline bound.
//
//===----------------------------------------------------------------------===//
#include "../model/RandomCases.h"

#include "mapping/RandomMapping.h"
#include "model/CostModel.h"
#include "sim/Simulator.h"

#include <gtest/gtest.h>

#include <deque>

namespace tessel::testing {
namespace {

std::string countsText(const ActionCounts &counts, const Problem &problem,
                       const Arch &arch) {
  std::string text;
  for (unsigned l = 0; l < counts.levelCount(); ++l)
    for (unsigned t = 0; t < counts.tensorCount(); ++t) {
      const TensorActions &a = counts.at(l, t);
      text += arch.levels[l].name + " " + problem.tensors[t].name + ": reads " +
              std::to_string(a.reads) + " fills " + std::to_string(a.fills) +
              " updates " + std::to_string(a.updates) + " words " +
              std::to_string(a.networkWords) + " hops " +
              std::to_string(a.networkHops) + "\n";
    }
  return text;
}

std::string mappingText(const Problem &problem, const Arch &arch,
                        const Mapping &mapping) {
  std::string text;
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    const LevelMapping &level = mapping.levels[l];
    text += "  " + arch.levels[l].name + ": temporal [";
    for (const Loop &loop : level.temporal)
      text +=
          problem.dims[loop.dim].name + "=" + std::to_string(loop.factor) + " ";
    text += "] spatial [";
    for (const SpatialLoop &loop : level.spatial)
      text += problem.dims[loop.dim].name + "=" + std::to_string(loop.factor) +
              (loop.axis == SpatialAxis::X ? "@X " : "@Y ");
    text += "] keep " + std::to_string(level.keepMask);
    const StorageLevel &hw = arch.levels[l];
    text += "  (read bw " +
            (hw.readBandwidth ? std::to_string(*hw.readBandwidth) : "-") +
            ", write bw " +
            (hw.writeBandwidth ? std::to_string(*hw.writeBandwidth) : "-") +
            ", fanout " + std::to_string(hw.fanout[0]) + "x" +
            std::to_string(hw.fanout[1]) + " " + hw.network.topology +
            (hw.network.multicast ? " mc" : "") +
            (hw.network.reduction ? " red" : "") + ")\n";
  }
  return text;
}

/// Simulates one case functionally and checks it against the references.
void checkCase(const Problem &problem, const Arch &arch, const Mapping &mapping,
               std::string label) {
  sim::SimOptions options;
  options.engine = sim::SimEngine::Lockstep; // The older engine's own checks.
  options.functional = true;
  options.seed = 7;
  sim::SimResult result =
      sim::simulateIsolated(problem, arch, mapping, options);
  ASSERT_EQ(result.error, "") << label;
  label += "\nmapping:\n" + mappingText(problem, arch, mapping) + "cycles " +
           std::to_string(result.report.cycles) + ", compute " +
           std::to_string(result.computeCycles) + ", stalls:";
  for (const sim::Stall &stall : result.stalls)
    label += " " + stall.reason + " " + std::to_string(stall.cycles) + ";";
  EXPECT_EQ(result.mismatch, "") << label;
  Report reuse =
      *createCostModel("reuse")->evaluate(problem, arch, mapping).report;
  Report roofline =
      *createCostModel("roofline")->evaluate(problem, arch, mapping).report;
  EXPECT_EQ(countsText(result.report.actions, problem, arch),
            countsText(reuse.actions, problem, arch))
      << label;
  EXPECT_EQ(result.report.actions.macs, reuse.actions.macs) << label;
  EXPECT_NEAR(result.report.energy.total(), reuse.energy.total(),
              1e-6 * reuse.energy.total())
      << label;
  EXPECT_GE(result.report.cycles, roofline.cycles) << label;
  uint64_t accounted = result.computeCycles;
  for (const sim::Stall &stall : result.stalls)
    accounted += stall.cycles;
  EXPECT_EQ(accounted, result.report.cycles) << label;
}

/// Every Arch a test made, kept alive: the reuse model memoizes group
/// traffic by network address, so a new Arch at a freed one's address would
/// be given the old one's hop counts.
Arch &keepAlive(Arch arch) {
  static std::deque<Arch> archs;
  archs.push_back(std::move(arch));
  return archs.back();
}

TEST(SimProperties, RandomCasesMatchReferences) {
  std::mt19937_64 rng(2024);
  for (int i = 0; i < 60; ++i) {
    Problem problem = randomProblem(rng);
    Arch &arch = keepAlive(randomArch(rng));
    std::optional<Mapping> mapping = randomLegalMapping(problem, arch, rng);
    if (!mapping)
      continue;
    std::string label = "case " + std::to_string(i) + " " + problem.opName;
    checkCase(problem, arch, *mapping, label);
    if (::testing::Test::HasFailure())
      return;
  }
}

/// A random accelerator with what randomArch leaves out: banks, ports, link
/// bandwidths, systolic and tree networks, latencies, and capacities
/// small enough that some tiles cannot be double-buffered.
Arch contendedArch(std::mt19937_64 &rng) {
  const char *bandwidths[] = {"0.5", "1", "2", "3"};
  std::string yaml = "name: contended\ncompute: {pipelineLatency: " +
                     std::to_string(1 + rng() % 3) + "}\nlevels:\n";
  unsigned levelCount = 3;
  for (unsigned l = 0; l < levelCount; ++l) {
    bool last = l + 1 == levelCount;
    int64_t x = last ? 1 : pick(rng, 1, 4), y = last ? 1 : pick(rng, 1, 2);
    const char *topologies[] = {"bus", "mesh", "systolic", "tree"};
    std::string topology = topologies[rng() % 4];
    if (topology == "tree")
      x = 4, y = 1;
    yaml += "  - name: L" + std::to_string(l) + "\n";
    yaml += std::string("    capacity: ") +
            (l == 0 ? "unbounded" : std::to_string(pick(rng, 40, 400))) + "\n";
    yaml += "    latency: " + std::to_string(rng() % 4) + "\n";
    yaml += "    banks: " + std::to_string(1 + rng() % 4) + "\n";
    yaml += "    ports: " + std::to_string(1 + rng() % 2) + "\n";
    yaml += std::string("    readBandwidth: ") + bandwidths[rng() % 4] + "\n";
    yaml += std::string("    writeBandwidth: ") + bandwidths[rng() % 4] + "\n";
    yaml +=
        "    fanout: [" + std::to_string(x) + ", " + std::to_string(y) + "]\n";
    yaml += "    network: {topology: " + topology +
            ", multicast: " + (rng() % 2 ? "true" : "false") +
            ", reduction: " + (rng() % 2 ? "true" : "false") +
            ", bandwidth: " + bandwidths[rng() % 4] +
            ", hopLatency: " + std::to_string(1 + rng() % 2) + "}\n";
  }
  return parseArch(yaml, "contended.yaml");
}

TEST(SimProperties, ContendedArchesMatchReferences) {
  std::mt19937_64 rng(77);
  int checked = 0;
  for (int i = 0; i < 60; ++i) {
    Problem problem = randomProblem(rng);
    Arch &arch = keepAlive(contendedArch(rng));
    std::optional<Mapping> mapping =
        randomLegalMapping(problem, arch, rng, 2000);
    if (!mapping)
      continue;
    ++checked;
    checkCase(problem, arch, *mapping,
              "contended case " + std::to_string(i) + " " + problem.opName);
    if (::testing::Test::HasFailure())
      return;
  }
  EXPECT_GE(checked, 30);
}

/// Small GEMMs, convolutions with stride and dilation, and contractions on
/// the presets.
TEST(SimProperties, PresetsMatchReferences) {
  std::mt19937_64 rng(99);
  for (const char *preset : {"eyeriss", "tpu16", "simba", "nvdla", "maeri"}) {
    Arch &arch = keepAlive(loadArch(std::string(TESSEL_SOURCE_DIR) +
                                    "/arch/presets/" + preset + ".yaml"));
    int checked = 0;
    for (int i = 0; i < 12; ++i) {
      Problem problem = randomProblem(rng);
      std::optional<Mapping> mapping =
          randomLegalMapping(problem, arch, rng, 5000);
      if (!mapping)
        continue;
      ++checked;
      checkCase(problem, arch, *mapping,
                std::string(preset) + " case " + std::to_string(i) + " " +
                    problem.opName);
      if (::testing::Test::HasFailure())
        return;
    }
    EXPECT_GE(checked, 4) << preset;
  }
}

} // namespace
} // namespace tessel::testing
