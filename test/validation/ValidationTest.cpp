//===- test/validation/ValidationTest.cpp - Suites, runs, baselines -------===//
#include "validation/Output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tessel {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

const std::string kRoot = TESSEL_SOURCE_DIR;

std::string suiteError(const std::string &text) {
  try {
    parseSuite(text, "s.yaml", kRoot);
  } catch (const SuiteError &error) {
    return error.what();
  }
  return "no error";
}

TEST(Suite, ErrorsAreLocatedAndSayWhatIsValid) {
  EXPECT_THAT(suiteError("cases:\n  - name: a\n    workload: {zoo: resnet50, "
                         "op: conv1}\n    arch: eyeriz\n"),
              HasSubstr("s.yaml:4:11: error: unknown preset 'eyeriz'; presets "
                        "are: eyeriss, maeri, nvdla, simba, tpu128, tpu16 "
                        "(did you mean 'eyeriss'?)"));
  EXPECT_THAT(suiteError("cases:\n  - name: a\n    workload: {zoo: resnet50, "
                         "op: conv99}\n    arch: eyeriss\n"),
              HasSubstr("s.yaml:3:35: error: unknown op 'conv99' in "));
  EXPECT_THAT(suiteError("cases:\n  - name: a\n    workload: {zoo: resnet5, "
                         "op: conv1}\n    arch: eyeriss\n"),
              HasSubstr("unknown zoo model 'resnet5'; the zoo has: alexnet, "
                        "bert_base, contractions, dlrm, mobilenetv2, "
                        "resnet50, vgg16"));
  EXPECT_THAT(suiteError("cases:\n  - name: a\n    workload: {zoo: resnet50, "
                         "op: conv1}\n    arch: eyeriss\n    mapping: {file: "
                         "nowhere.yaml}\n"),
              HasSubstr("s.yaml:5:21: error: mapping file 'nowhere.yaml' "
                        "does not exist"));
  EXPECT_THAT(suiteError("cases:\n  - name: a\n    workload: {zoo: resnet50, "
                         "op: conv1}\n    arch: eyeriss\n    expect: {cycles: "
                         "5}\n"),
              HasSubstr("case 'a' expects figures, so it needs 'source'"));
  EXPECT_THAT(suiteError("cases: []\n"), HasSubstr("the suite has no cases"));
}

/// A stand-in for `tessel`: a script that behaves as told.
std::string fakeTessel(const std::string &body) {
  fs::path path =
      fs::temp_directory_path() / ("fake-tessel-" + std::to_string(::getpid()) +
                                   "-" + std::to_string(rand()));
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  fs::permissions(path, fs::perms::owner_all);
  return path.string();
}

Suite twoCases() {
  return parseSuite(R"(suite: t
simTimeoutSeconds: 1
cases:
  - name: first
    workload: {zoo: alexnet, op: fc8}
    arch: tpu16
    mapping: {mapper: random, seed: 1, budget: 100}
  - name: second
    workload: {zoo: dlrm, op: top_mlp_2}
    arch: eyeriss
    mapping: {mapper: random, seed: 2, budget: 100}
)",
                    "t.yaml", kRoot);
}

ValidateOptions optionsWith(const std::string &tessel) {
  ValidateOptions options;
  options.root = kRoot;
  options.tesselPath = tessel;
  options.jobs = 2;
  options.workDirectory =
      (fs::temp_directory_path() / ("validate-" + std::to_string(::getpid())))
          .string();
  return options;
}

/// `tessel sim --json` output with a simulated report of 1,000 cycles for
/// each op named.
std::string simJson(const std::vector<std::string> &ops) {
  std::string json = R"({"ops":[)";
  for (size_t i = 0; i < ops.size(); ++i)
    json += std::string(i ? "," : "") + R"({"name":")" + ops[i] +
            R"(","sim":{"model":"sim","cycles":1000,"energyPJ":5.5,)"
            R"("levels":[],"stalls":{"DRAM data":12}}})";
  return json + "]}";
}

TEST(Validate, CrashesAndTimeoutsAreReportedAndOtherResultsKept) {
  // The simulator crashes on the first case and hangs on the second.
  std::string script = fakeTessel(
      "case \"$2\" in *alexnet*) kill -SEGV $$ ;; *) sleep 30 ;; esac");
  std::vector<CaseResult> results = runSuite(twoCases(), optionsWith(script));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_THAT(results[0].simStatus, HasSubstr("crashed: signal 11"));
  EXPECT_EQ(results[1].simStatus, "timed out after 1 s");
  for (const CaseResult &r : results) {
    EXPECT_EQ(r.status, "ok");
    EXPECT_EQ(r.models.size(), 3u); // The analytical results are kept.
    EXPECT_GT(r.models[0].cycles, 0u);
  }
}

TEST(Validate, ReadsTheSimulatorsReport) {
  // A simulator that reports 1,000 cycles for either case's op.
  std::string report = simJson({"fc8", "top_mlp_2"});
  std::string script = fakeTessel("echo '" + report + "'");
  ValidateOptions options = optionsWith(script);
  std::vector<CaseResult> results = runSuite(twoCases(), options);
  ASSERT_TRUE(results[0].sim.has_value()) << results[0].simStatus;
  EXPECT_EQ(results[0].sim->cycles, 1000u);
  EXPECT_DOUBLE_EQ(results[0].sim->energyPJ, 5.5);
  EXPECT_DOUBLE_EQ(results[0].sim->stalls.at("DRAM data"), 12);
  double reuse = double(results[0].models[0].cycles);
  std::vector<ModelSummary> summary = summarize(results);
  EXPECT_EQ(summary[0].model, "reuse");
  EXPECT_EQ(summary[0].cases, 2u);
  EXPECT_NEAR(summary[0].maxCyclesError,
              std::max(std::abs(errorPercent(reuse, 1000)),
                       std::abs(errorPercent(
                           double(results[1].models[0].cycles), 1000))),
              1e-9);
}

TEST(Validate, AnotherOpsFailureIsNotTheCases) {
  // `tessel sim` exits 1 because another op of the module cannot be read,
  // with a warning first; this case's op was simulated.
  std::string script = fakeTessel(
      "echo 'net.mlir:1:1: warning: something about another op' >&2\n"
      "echo \"net.mlir:2:8: error: cannot read 'other'\" >&2\n"
      "echo '" + simJson({"fc8"}) + "'\nexit 1");
  std::vector<CaseResult> results = runSuite(twoCases(), optionsWith(script));
  EXPECT_EQ(results[0].simStatus, "ok");
  ASSERT_TRUE(results[0].sim.has_value());
  EXPECT_EQ(results[0].sim->cycles, 1000u);
  // The second case's op (top_mlp_2) has no report: failed, with the error
  // (not the warning) as the reason.
  EXPECT_FALSE(results[1].sim.has_value());
  EXPECT_THAT(results[1].simStatus,
              HasSubstr("failed (exit 1): net.mlir:2:8: error: cannot read "
                        "'other'"));
  EXPECT_THAT(results[1].simStatus, ::testing::Not(HasSubstr("warning")));
}

TEST(Validate, TheReasonIsTheErrorAboutTheCasesOp) {
  std::string script = fakeTessel(
      "echo 'net.mlir:1:1: warning: a warning' >&2\n"
      "echo \"net.mlir:2:8: error: cannot read 'other'\" >&2\n"
      "echo \"net.mlir:3:8: error: simulating 'fc8' takes too long\" >&2\n"
      "exit 1");
  std::vector<CaseResult> results = runSuite(twoCases(), optionsWith(script));
  EXPECT_EQ(results[0].simStatus,
            "failed (exit 1): net.mlir:3:8: error: simulating 'fc8' takes "
            "too long");
}

std::string fileText(const fs::path &path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

// Identical counts mean all five kinds: two evaluators that agree in
// reads, fills and updates but not in a network's hops differ, and the
// difference names the level, the tensor and the kind.
TEST(Validate, CountDifferencesCoverNetworkWordsAndHops) {
  CaseResult result;
  result.levels = {"DRAM", "GLB"};
  result.tensors = {"A", "B", "C"};
  Figures model, sim;
  model.evaluator = "reuse";
  sim.evaluator = "sim";
  model.counts.assign(6, {4, 4, 0, 4, 8});
  sim.counts = model.counts;
  EXPECT_TRUE(countDifferences(result, model, sim).empty());
  sim.counts[4][4] = 12; // GLB B's hops.
  sim.counts[2][3] = 5;  // DRAM C's network words.
  std::vector<std::string> differences = countDifferences(result, model, sim);
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0], "DRAM C network words: reuse 4, sim 5");
  EXPECT_EQ(differences[1], "GLB B network hops: reuse 8, sim 12");
}

TEST(Plots, CasesWithoutASimulationAreLeftOutAndLegendsNameLevels) {
  // Only the first case's op is simulated.
  std::string script = fakeTessel("echo '" + simJson({"fc8"}) + "'");
  ValidateOptions options = optionsWith(script);
  std::vector<CaseResult> results = runSuite(twoCases(), options);
  ASSERT_TRUE(results[0].sim.has_value());
  ASSERT_FALSE(results[1].sim.has_value());
  fs::path dir = fs::path(options.workDirectory) / "plots";
  fs::create_directories(dir);
  std::string why;
  std::vector<std::string> plots = writePlots(results, dir.string(), why);
  ASSERT_FALSE(plots.empty()) << why;
  // The unsimulated case is in no plot (it used to appear with the reuse
  // model's figures labelled "simulated").
  std::string cycles = fileText(dir / "cycles.dat");
  EXPECT_THAT(cycles, HasSubstr(" first\n"));
  EXPECT_THAT(cycles, ::testing::Not(HasSubstr("second")));
  std::string energy = fileText(dir / "energy.dat");
  EXPECT_THAT(energy, ::testing::Not(HasSubstr("second")));
  // Level names, not level0..level3, in the energy legend.
  EXPECT_THAT(energy, HasSubstr("case " + results[0].levels[0] + " "));
  EXPECT_THAT(energy, ::testing::Not(HasSubstr("level0")));
  std::string gnuplotScript = fileText(dir / "plots-png.gp");
  EXPECT_THAT(gnuplotScript, HasSubstr("(1 of 2 cases without a simulation left "
                                 "out)"));
  // Markers without lines between unrelated cases; legends off the data.
  EXPECT_THAT(gnuplotScript, ::testing::Not(HasSubstr("lines")));
  EXPECT_THAT(gnuplotScript, HasSubstr("set key outside"));
  EXPECT_THAT(gnuplotScript, ::testing::Not(HasSubstr("set key top left")));
}

TEST(Baseline, AHandEditedFigureFailsTheComparison) {
  ValidateOptions options = optionsWith("/bin/false");
  options.simulate = false;
  Suite suite = twoCases();
  std::vector<CaseResult> results = runSuite(suite, options);
  std::string json = reportJson(suite, results, summarize(results));
  EXPECT_TRUE(compareToBaseline(json, json, suite.tolerances).empty());
  // Change one figure of the stored report by hand: 10% more cycles.
  std::string cycles = std::to_string(results[1].models[0].cycles);
  std::string edited = json;
  // Keys print sorted, so the case's evaluators come before its name.
  size_t second = edited.find("\"name\": \"second\"");
  size_t at = edited.find("\"cycles\": " + cycles,
                          edited.rfind("\"evaluators\"", second));
  ASSERT_NE(at, std::string::npos);
  edited.replace(at, 10 + cycles.size(),
                 "\"cycles\": " +
                     std::to_string(results[1].models[0].cycles * 11 / 10));
  std::vector<std::string> drift =
      compareToBaseline(edited, json, suite.tolerances);
  ASSERT_EQ(drift.size(), 1u);
  EXPECT_THAT(drift[0], HasSubstr("second "));
  EXPECT_THAT(drift[0], HasSubstr(" cycles: "));
  EXPECT_THAT(drift[0], HasSubstr("tolerance 1.0%"));
  EXPECT_THROW(compareToBaseline("{not json", json, suite.tolerances),
               std::runtime_error);
}

} // namespace
} // namespace tessel
