//===- test/sweep/StudyTest.cpp - Settings as parameters; case studies ----===//
//
// A sweep's `setting:` parameters (arch, mapper, constraints) reach each
// point's search; `space: true` records the hand-worked map-space sizes of
// docs/constraints.md; an older database gains the new columns; and the
// case-study document's ratios from hand-made results, worked out by hand.
//
//===----------------------------------------------------------------------===//
#include "sweep/Database.h"
#include "sweep/Study.h"
#include "sweep/Sweep.h"

#include "arch/Arch.h"
#include "support/Sqlite.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace tessel {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = TESSEL_SOURCE_DIR;
const std::string kTiny = kRoot + "/test/lit/mapper/Inputs/tiny.mlir";
const std::string kTwoLevel = kRoot + "/test/lit/mapper/Inputs/two-level.yaml";

std::string scratch(const std::string &name) {
  fs::path dir = fs::temp_directory_path() /
                 ("tessel-study-test-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::string write(const std::string &dir, const std::string &name,
                  const std::string &text) {
  std::string path = (fs::path(dir) / name).string();
  std::ofstream(path) << text;
  return path;
}

/// eyeriss and tpu16 x random and genetic x none and a weight-stationary
/// template, on the tiny GEMM.
SweepSpec settingsSweep(const std::string &dir, const std::string &extra = "") {
  write(dir, "ws.yaml", "constraints:\n  dataflow: weight-stationary\n");
  std::string text = "name: study\nparameters:\n"
                     "  - {setting: arch, values: [eyeriss, tpu16]}\n"
                     "  - {setting: mapper, values: [random, genetic]}\n"
                     "  - {setting: constraints, values: [none, ws.yaml]}\n"
                     "workloads:\n  - {file: " +
                     kTiny + "}\nmapper: {budget: 50}\n" + extra;
  return parseSweep(text, write(dir, "s.yaml", text), kRoot);
}

TEST(SweepSettings, EachPointMapsWithItsArchMapperAndConstraints) {
  std::string dir = scratch("settings");
  SweepSpec spec = settingsSweep(dir);
  ASSERT_EQ(gridSize(spec), 8u);
  for (uint64_t i = 0; i < 8; ++i) {
    SweepPoint point = sweepPoint(spec, i);
    PointSettings settings = settingsAt(spec, point);
    // Row-major, the first parameter slowest.
    std::string arch = i < 4 ? "eyeriss" : "tpu16";
    EXPECT_EQ(fs::path(settings.archFile).filename(), arch + ".yaml") << i;
    EXPECT_EQ(settings.mapper, (i / 2) % 2 ? "genetic" : "random") << i;
    EXPECT_EQ(settings.constraintsFile.empty(), i % 2 == 0) << i;
    EXPECT_EQ(settingValue(spec, point, "arch"), arch);
    EXPECT_EQ(settingValue(spec, point, "constraints"),
              i % 2 ? "ws.yaml" : "none");
    // The preset's own array: Eyeriss-like 14x12 PEs, TPU-like 16x16.
    EXPECT_EQ(archAt(spec, point).peCount(), i < 4 ? 168u : 256u) << i;
  }
}

TEST(SweepSettings, SpaceSizesAreTheHandWorkedOnes) {
  // docs/constraints.md (worked by hand in test/mapper/SearchTest.cpp): the
  // tiny GEMM on two-level.yaml has 290,304 points, 3,276 after the
  // hardware family and 133 pruned, all of which fit.
  std::string dir = scratch("space");
  std::string text = "name: space\narch: " + kTwoLevel +
                     "\nparameters:\n"
                     "  - {setting: mapper, values: [random, genetic]}\n"
                     "workloads:\n  - {file: " +
                     kTiny + "}\nmapper: {budget: 20}\nspace: true\n";
  SweepSpec spec = parseSweep(text, write(dir, "s.yaml", text), kRoot);
  for (uint64_t i = 0; i < 2; ++i) {
    PointResult r = evaluatePoint(spec, sweepPoint(spec, i), {});
    ASSERT_EQ(r.status, "ok") << r.error;
    ASSERT_EQ(r.ops.size(), 1u);
    EXPECT_EQ(r.ops[0].space,
              "unconstrained=290,304; hardware=3,276; user=3,276; "
              "pruned=133; capacity=~133");
    EXPECT_EQ(spaceSizes(r.ops[0].space).size(), 5u);
    EXPECT_GE(r.ops[0].seconds, 0);
  }
  EXPECT_DOUBLE_EQ(spaceLog10("1,000"), 3);
  EXPECT_DOUBLE_EQ(spaceLog10("~100"), 2);
  EXPECT_DOUBLE_EQ(spaceLog10("10^41.5"), 41.5);
  EXPECT_TRUE(std::isnan(spaceLog10("not counted")));
}

TEST(SweepSettings, ErrorsNameTheSettingAndWhatWouldBeRight) {
  std::string dir = scratch("errors");
  auto error = [&](const std::string &text) {
    try {
      parseSweep(text, write(dir, "bad.yaml", text), kRoot);
    } catch (const SweepError &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string workloads = "workloads:\n  - {file: " + kTiny + "}\n";
  EXPECT_NE(error("parameters:\n  - {setting: mappr, values: [random]}\n" +
                  workloads + "arch: tpu16\n")
                .find("unknown setting 'mappr'; the settings are arch, "
                      "mapper"),
            std::string::npos);
  EXPECT_NE(error("arch: tpu16\nparameters:\n  - {setting: arch, values: "
                  "[eyeriss]}\n" +
                  workloads)
                .find("keep one"),
            std::string::npos);
  EXPECT_NE(error("arch: tpu16\nparameters:\n  - {setting: mapper, values: "
                  "[random, greedy]}\n" +
                  workloads)
                .find("bad.yaml:3:40: error: unknown mapper 'greedy'"),
            std::string::npos);
  // A field of one preset that the other has not.
  std::string missing =
      error("parameters:\n  - {setting: arch, values: [tpu16, eyeriss]}\n"
            "  - {path: PERegisters.capacity, values: [4, 8]}\n" +
            workloads);
  EXPECT_NE(missing.find("path 'PERegisters.capacity' starts with "
                         "'PERegisters'"),
            std::string::npos)
      << missing;
  EXPECT_NE(missing.find("(in arch eyeriss)"), std::string::npos) << missing;
}

TEST(SweepSettings, AnOlderDatabaseGainsTheNewColumns) {
  std::string dir = scratch("migrate");
  SweepSpec spec = settingsSweep(dir);
  std::string path = dir + "/sweep.db";
  {
    // point_ops as the first version of the database made it.
    SqliteDatabase old(path);
    old.exec("CREATE TABLE point_ops(point INTEGER, op TEXT, cycles INTEGER, "
             "energy_pj REAL, edp REAL, macs INTEGER, utilization REAL, "
             "evaluations INTEGER, mapping TEXT, sim_status TEXT, "
             "sim_cycles INTEGER, sim_energy_pj REAL, "
             "PRIMARY KEY(point, op))");
  }
  SweepDatabase db(path, spec);
  PointResult r;
  r.point = sweepPoint(spec, 3);
  OpResult op;
  op.op = "tiny";
  op.cycles = 7;
  op.seconds = 0.25;
  op.space = "pruned=133";
  r.ops.push_back(op);
  db.record(r);
  std::vector<PointResult> back = db.results();
  ASSERT_EQ(back.size(), 1u);
  ASSERT_EQ(back[0].ops.size(), 1u);
  EXPECT_EQ(back[0].ops[0].seconds, 0.25);
  EXPECT_EQ(back[0].ops[0].space, "pruned=133");
}

/// A hand-made result of `tiny` at the point of (arch, mapper, constraints)
/// indices.
PointResult made(const SweepSpec &spec, unsigned arch, unsigned mapper,
                 unsigned constraints, uint64_t cycles, double energy) {
  PointResult r;
  r.point = sweepPoint(spec, arch * 4 + mapper * 2 + constraints);
  OpResult op;
  op.op = "tiny";
  op.cycles = cycles;
  op.energyPJ = energy;
  op.evaluations = 100;
  op.seconds = 0.5;
  op.simStatus = "ok";
  op.simCycles = 100;
  op.simEnergyPJ = 10;
  r.ops.push_back(op);
  r.cycles = cycles;
  r.energyPJ = energy;
  r.areaMm2 = arch == 0 ? 2 : 0.5;
  return r;
}

TEST(Study, RatiosOfHandMadeResultsAreTheHandWorkedOnes) {
  std::string dir = scratch("study");
  StudySweep sweep{settingsSweep(dir, "simulate: true\n"), {}};
  const SweepSpec &spec = sweep.spec;
  // EDP (cycles x pJ) of tiny, [arch][mapper][constraints]:
  //   eyeriss: random 1000 / 800, genetic 500 / 600
  //   tpu16:   random 2000 / 1000, genetic 2000 / 1500
  sweep.results = {made(spec, 0, 0, 0, 100, 10), made(spec, 0, 0, 1, 80, 10),
                   made(spec, 0, 1, 0, 50, 10),  made(spec, 0, 1, 1, 60, 10),
                   made(spec, 1, 0, 0, 200, 10), made(spec, 1, 0, 1, 100, 10),
                   made(spec, 1, 1, 0, 100, 20), made(spec, 1, 1, 1, 150, 10)};
  std::string md = studyMarkdown({sweep}, {}).markdown;
  auto has = [&](const std::string &text) {
    EXPECT_NE(md.find(text), std::string::npos) << "missing: " << text << "\n"
                                                << md;
  };
  // Best per arch: eyeriss 500, tpu16 1000: tpu16 is 2x.
  has("| study | **1.00x** | 2.00x | eyeriss |");
  // Weighed by area (2 and 0.5 mm^2): 1000 against 500, tpu16 the best.
  has("eyeriss 2.00 mm^2, tpu16 0.50 mm^2");
  has("| study | 2.00x | **1.00x** | tpu16 |");
  // The same in a sentence, with the constraint set's geometric mean.
  has("- **study**: the least EDP on eyeriss (next tpu16 at 2.00x); weighed "
      "by area, tpu16 (next eyeriss at 2.00x). `ws.yaml`: 0.77x the EDP of "
      "`none`.");
  has("| `tiny` | **5.00e+02 (50 cyc, 0%)** | 1.00e+03 (100 cyc, 0%) |");
  // ws.yaml against none per (arch, mapper): 0.8, 1.2, 0.5, 0.75; their
  // geometric mean 0.36^(1/4) = 0.775; per arch sqrt(0.96) = 0.980 and
  // sqrt(0.375) = 0.612.
  has("| `ws.yaml` | - | 0.77x | 2.00 | 0 |");
  has("| `ws.yaml` | 0.98x | 0.61x |");
  // Against the best mapper per (arch, constraints): random 2, 4/3, 1, 1
  // (geomean 1.278; eyeriss sqrt(8/3) = 1.633); genetic 1, 1, 1, 1.5
  // (1.107; tpu16 sqrt(1.5) = 1.225). 400 evaluations in 2 s each.
  has("| `random` | 1.28x | 1.63x | 1.00x | 200 | 2.00 |");
  has("| `genetic` | 1.11x | 1.00x | 1.22x | 200 | 2.00 |");
  // The model against the simulator (first mapper and constraints):
  // eyeriss 100 vs 100 cycles, tpu16 200 vs 100.
  has("| eyeriss | `tiny` | 100 | 100 | +0.0% |");
  has("| tpu16 | `tiny` | 200 | 100 | +100.0% |");
  has("The largest cycle difference: `tiny` on tpu16 (+100.0%).");
}

} // namespace
} // namespace tessel
