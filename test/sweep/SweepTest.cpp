//===- test/sweep/SweepTest.cpp - Sweep files, points, database, resume ---===//
//
// The grid's order and sampling, each point's Arch (the values really set),
// located errors, a failing point recorded while the rest complete, a run
// interrupted half-way and resumed giving the same database as one run, and
// the Pareto front of a hand-made set of points.
//
//===----------------------------------------------------------------------===//
#include "sweep/Database.h"
#include "sweep/Sweep.h"

#include "arch/Arch.h"
#include "support/Interrupt.h"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

namespace tessel {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = TESSEL_SOURCE_DIR;

/// A fresh directory under the test's temporary directory.
std::string scratch(const std::string &name) {
  fs::path dir = fs::temp_directory_path() /
                 ("tessel-sweep-test-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

/// Two GEMMs (MACs 4096 and 32768) in a module of our own.
std::string gemms(const std::string &dir) {
  std::string path = (fs::path(dir) / "gemms.mlir").string();
  std::ofstream(path) << R"(
func.func @small(%a: tensor<16x16xi8>, %b: tensor<16x16xi8>, %c: tensor<16x16xi32>) -> tensor<16x16xi32> {
  %0 = linalg.matmul ins(%a, %b : tensor<16x16xi8>, tensor<16x16xi8>) outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return %0 : tensor<16x16xi32>
}
func.func @large(%a: tensor<32x32xi8>, %b: tensor<32x32xi8>, %c: tensor<32x32xi32>) -> tensor<32x32xi32> {
  %0 = linalg.matmul ins(%a, %b : tensor<32x32xi8>, tensor<32x32xi8>) outs(%c : tensor<32x32xi32>) -> tensor<32x32xi32>
  return %0 : tensor<32x32xi32>
}
)";
  return path;
}

std::string sweepText(const std::string &mlir, const std::string &extra = "") {
  return "name: t\narch: tpu16\nparameters:\n"
         "  - {name: array, path: GlobalBuffer.fanout, values: [[4, 4], [8, 8], "
         "[16, 16]]}\n"
         "  - {name: clock, path: clockGHz, range: {from: 0.5, to: 2, "
         "times: 2}}\n"
         "workloads:\n  - {file: " +
         mlir + "}\nmapper: {name: random, budget: 300, seed: 3}\n" + extra;
}

/// The level of `arch` whose children the array's PEs are.
const StorageLevel &arrayLevel(const Arch &arch) {
  for (const StorageLevel &level : arch.levels)
    if (level.name == "GlobalBuffer")
      return level;
  ADD_FAILURE() << "no level GlobalBuffer";
  return arch.levels[0];
}

TEST(Sweep, GridIsRowMajorAndEachPointSetsItsValues) {
  std::string dir = scratch("grid");
  SweepSpec spec =
      parseSweep(sweepText(gemms(dir)), dir + "/s.yaml", kRoot);
  ASSERT_EQ(spec.parameters.size(), 2u);
  // 0.5, 1, 2: the geometric range.
  EXPECT_EQ(spec.parameters[1].values,
            (std::vector<std::string>{"0.5", "1", "2"}));
  EXPECT_EQ(gridSize(spec), 9u);
  std::vector<SweepPoint> points = sweepPoints(spec);
  ASSERT_EQ(points.size(), 9u);
  // The first parameter slowest.
  EXPECT_EQ(points[4].choice, (std::vector<size_t>{1, 1}));
  EXPECT_EQ(points[4].key, "array=[8, 8], clock=1");
  EXPECT_EQ(points[7].key, "array=[16, 16], clock=1");
  Arch arch = archAt(spec, points[7]);
  EXPECT_EQ(arrayLevel(arch).fanout[0], 16u);
  EXPECT_EQ(arrayLevel(arch).fanout[1], 16u);
  EXPECT_DOUBLE_EQ(arch.clockGHz, 1.0);
  EXPECT_EQ(arch.peCount(), 256u);
}

TEST(Sweep, SampleDrawsDistinctPointsFromItsSeed) {
  std::string dir = scratch("sample");
  SweepSpec spec = parseSweep(sweepText(gemms(dir), "sample: 4\nseed: 9\n"),
                              dir + "/s.yaml", kRoot);
  std::vector<SweepPoint> a = sweepPoints(spec), b = sweepPoints(spec);
  ASSERT_EQ(a.size(), 4u);
  std::set<uint64_t> seen;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].index, b[i].index);
    EXPECT_LT(a[i].index, 9u);
    seen.insert(a[i].index);
    if (i) {
      EXPECT_LT(a[i - 1].index, a[i].index); // In grid order.
    }
  }
  EXPECT_EQ(seen.size(), 4u);
}

TEST(Sweep, ErrorsNameTheFileLineAndWhatWouldBeRight) {
  std::string dir = scratch("errors");
  std::string mlir = gemms(dir);
  auto error = [&](const std::string &text) {
    try {
      parseSweep(text, "s.yaml", kRoot);
    } catch (const SweepError &e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("arch: tpu16\nparameters:\n  - {path: Aray.fanout, "
                  "values: [1]}\nworkloads:\n  - {file: " +
                  mlir + "}\n")
                .find("s.yaml:3:12: error: path 'Aray.fanout' starts with "
                      "'Aray', neither a level of the Arch"),
            std::string::npos);
  EXPECT_NE(error("arch: tpu17\nparameters: []\n").find("s.yaml:1:7"),
            std::string::npos);
  EXPECT_NE(error("arch: tpu16\nparameters:\n  - {path: clockGHz, values: "
                  "[1]}\nworkloads:\n  - {file: " +
                  mlir + "}\nmapper: {budget: 0}\n")
                .find("s.yaml:6:18: error: 'budget' must be at least 1"),
            std::string::npos);
  EXPECT_NE(error("arch: tpu16\nparameters:\n  - {path: clockGHz, values: "
                  "[1, 1]}\nworkloads:\n  - {file: " +
                  mlir + "}\n")
                .find("lists 1 twice"),
            std::string::npos);
  EXPECT_NE(error("arch: tpu16\nparameters:\n  - {path: clockGHz, values: "
                  "[1]}\nworkloads:\n  - {file: " +
                  mlir + ", ops: [nope]}\n")
                .find("no op 'nope'"),
            std::string::npos);
}

/// Every recorded figure but the time taken.
std::string figures(const std::vector<PointResult> &results) {
  std::string text;
  for (const PointResult &r : results) {
    text += std::to_string(r.point.index) + " " + r.point.key + " " +
            r.status + " " + r.error + " " + std::to_string(r.cycles) + " " +
            std::to_string(r.energyPJ) + " " + std::to_string(r.macs) + "\n";
    for (const OpResult &o : r.ops)
      text += "  " + o.op + " " + std::to_string(o.cycles) + " " +
              std::to_string(o.energyPJ) + " " +
              std::to_string(o.evaluations) + "\n" + o.mapping;
  }
  return text;
}

TEST(Sweep, AFailingPointIsRecordedAndTheRestComplete) {
  std::string dir = scratch("failing");
  std::string text = "arch: tpu16\nparameters:\n"
                     "  - {path: GlobalBuffer.fanout, values: [[4, 4], [0, 4], "
                     "[8, 8]]}\nworkloads:\n  - {file: " +
                     gemms(dir) + "}\nmapper: {name: random, budget: 200}\n";
  SweepSpec spec = parseSweep(text, dir + "/s.yaml", kRoot);
  SweepOptions options;
  options.database = dir + "/sweep.db";
  SweepSummary summary = runSweep(spec, options);
  EXPECT_EQ(summary.points, 3u);
  EXPECT_EQ(summary.failed, 1u);
  std::vector<PointResult> results =
      SweepDatabase(options.database, spec).results();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].status, "ok");
  EXPECT_EQ(results[1].status, "failed");
  EXPECT_NE(results[1].error.find("point 1 (GlobalBuffer.fanout=[0, 4])"),
            std::string::npos)
      << results[1].error;
  EXPECT_EQ(results[2].status, "ok");
  // Both GEMMs at each good point, their MACs summed: 16^3 + 32^3.
  EXPECT_EQ(results[2].ops.size(), 2u);
  EXPECT_EQ(results[2].macs, 4096u + 32768u);
  EXPECT_EQ(results[2].cycles,
            results[2].ops[0].cycles + results[2].ops[1].cycles);
}

TEST(Sweep, InterruptedAndResumedEqualsOneRun) {
  std::string dir = scratch("resume");
  SweepSpec spec = parseSweep(sweepText(gemms(dir)), dir + "/s.yaml", kRoot);
  SweepOptions whole;
  whole.database = dir + "/whole.db";
  EXPECT_EQ(runSweep(spec, whole).points, 9u);

  installInterruptHandlers();
  SweepOptions first;
  first.database = dir + "/resumed.db";
  first.onProgress = [](const SweepProgress &p) {
    if (p.done == 4)
      std::raise(SIGINT); // Ctrl-C after the fourth point.
  };
  SweepSummary stopped = runSweep(spec, first);
  EXPECT_TRUE(stopped.interrupted);
  EXPECT_EQ(stopped.points, 4u);
  EXPECT_EQ(SweepDatabase(first.database, spec).finishedPoints().size(), 4u);
  clearInterrupt();
  SweepOptions second;
  second.database = first.database;
  SweepSummary resumed = runSweep(spec, second);
  EXPECT_FALSE(resumed.interrupted);
  EXPECT_EQ(resumed.skipped, 4u);
  EXPECT_EQ(resumed.points, 5u);
  EXPECT_EQ(figures(SweepDatabase(first.database, spec).results()),
            figures(SweepDatabase(whole.database, spec).results()));
}

TEST(Sweep, ADatabaseOfAnotherSweepIsRefused) {
  std::string dir = scratch("other");
  std::string mlir = gemms(dir);
  SweepSpec a = parseSweep(sweepText(mlir), dir + "/a.yaml", kRoot);
  SweepSpec b =
      parseSweep(sweepText(mlir, "objective: cycles\n"), dir + "/b.yaml", kRoot);
  { SweepDatabase db(dir + "/sweep.db", a); }
  try {
    SweepDatabase db(dir + "/sweep.db", b);
    FAIL() << "accepted another sweep's database";
  } catch (const SweepError &e) {
    EXPECT_NE(std::string(e.what()).find("holds the results of another sweep"),
              std::string::npos);
  }
}

TEST(Sweep, ResultsCrossProcessesExactly) {
  std::string dir = scratch("encode");
  SweepSpec spec = parseSweep(sweepText(gemms(dir)), dir + "/s.yaml", kRoot);
  PointResult r = evaluatePoint(spec, sweepPoint(spec, 5), SweepOptions{});
  ASSERT_EQ(r.status, "ok") << r.error;
  r.energyPJ = 1.0 / 3.0; // Every digit must survive.
  r.error = "a:b\n7:x"; // Text that looks like the framing.
  PointResult back = decodePoint(encodePoint(r), spec);
  EXPECT_EQ(back.point.key, r.point.key);
  EXPECT_EQ(back.error, r.error);
  EXPECT_EQ(back.energyPJ, r.energyPJ);
  EXPECT_EQ(back.cycles, r.cycles);
  ASSERT_EQ(back.ops.size(), r.ops.size());
  EXPECT_EQ(back.ops[1].mapping, r.ops[1].mapping);
  EXPECT_EQ(figures({back}), figures({r}));
  std::string bytes = encodePoint(r);
  EXPECT_THROW(decodePoint(bytes.substr(0, bytes.size() - 3), spec),
               std::runtime_error);
  EXPECT_THROW(decodePoint(bytes + "1:x", spec), std::runtime_error);
  EXPECT_THROW(decodePoint("99:x", spec), std::runtime_error);
  EXPECT_THROW(decodePoint("1:-", spec), std::runtime_error);
}

TEST(Sweep, AFileThatIsNoDatabaseIsRefusedByName) {
  std::string dir = scratch("garbage");
  SweepSpec spec = parseSweep(sweepText(gemms(dir)), dir + "/s.yaml", kRoot);
  std::ofstream(dir + "/sweep.db") << "not a database, 64 bytes of text to "
                                      "look like a header.............\n";
  try {
    SweepDatabase db(dir + "/sweep.db", spec);
    FAIL() << "opened a file that is no database";
  } catch (const std::exception &e) {
    EXPECT_NE(std::string(e.what()).find(dir + "/sweep.db: error:"),
              std::string::npos)
        << e.what();
  }
}

PointResult made(uint64_t index, uint64_t cycles, double energy,
                 bool ok = true) {
  PointResult r;
  r.point.index = index;
  r.cycles = cycles;
  r.energyPJ = energy;
  r.status = ok ? "ok" : "failed";
  return r;
}

TEST(Sweep, ParetoFrontOfHandMadePoints) {
  // (cycles, energy): 0 (10, 5) and 1 (5, 10) trade off; 2 (10, 10) is
  // beaten by both; 3 (4, 20) has the fewest cycles; 4 (4, 25) ties 3 in
  // cycles with more energy; 5 (20, 1) the least energy; 6 (3, 1) failed,
  // so it beats nothing; 7 (10, 5) equals 0 and neither beats the other.
  std::vector<PointResult> points = {
      made(0, 10, 5), made(1, 5, 10), made(2, 10, 10), made(3, 4, 20),
      made(4, 4, 25), made(5, 20, 1), made(6, 3, 1, false), made(7, 10, 5)};
  EXPECT_EQ(paretoFront(points), (std::vector<uint64_t>{0, 1, 3, 5, 7}));
  // Area is the third objective: 7 (10, 5) at 2 mm^2 now loses to 0 at
  // 1 mm^2, and 2 (10, 10), the smallest, joins the front.
  for (PointResult &p : points)
    p.areaMm2 = 1;
  points[7].areaMm2 = 2;
  points[2].areaMm2 = 0.5;
  EXPECT_EQ(paretoFront(points), (std::vector<uint64_t>{0, 1, 2, 3, 5}));
}

TEST(Sweep, TheAreaBudgetMarksLargerDesignsInfeasible) {
  std::string dir = scratch("area");
  std::string text = "arch: tpu16\nparameters:\n"
                     "  - {path: GlobalBuffer.fanout, values: [[4, 4], "
                     "[16, 16]]}\nworkloads:\n  - {file: " +
                     gemms(dir) +
                     "}\nmapper: {name: random, budget: 100}\n"
                     "limits: {max_area_mm2: 100}\n";
  SweepSpec spec = parseSweep(text, dir + "/s.yaml", kRoot);
  PointResult small = evaluatePoint(spec, sweepPoint(spec, 0), {});
  PointResult large = evaluatePoint(spec, sweepPoint(spec, 1), {});
  ASSERT_EQ(small.status, "ok") << small.error;
  ASSERT_EQ(large.status, "ok") << large.error;
  // 256 PEs hold 16x the 4x4 array's MACs and registers: more area.
  EXPECT_GT(large.areaMm2, small.areaMm2);
  EXPECT_TRUE(small.feasible);
  EXPECT_TRUE(large.feasible);
  // A budget between the two leaves only the small array feasible.
  spec.maxAreaMm2 = (small.areaMm2 + large.areaMm2) / 2;
  EXPECT_TRUE(evaluatePoint(spec, sweepPoint(spec, 0), {}).feasible);
  EXPECT_FALSE(evaluatePoint(spec, sweepPoint(spec, 1), {}).feasible);
}

} // namespace
} // namespace tessel
