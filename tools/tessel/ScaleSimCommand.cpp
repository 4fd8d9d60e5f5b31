//===- tools/tessel/ScaleSimCommand.cpp - `tessel scalesim` ---------------===//
//
// Runs SCALE-Sim v2's inputs (a .cfg and a topology CSV) on Tessel's
// structural systolic array (validation/ScaleSim.h) and prints SCALE-Sim's
// COMPUTE_REPORT columns per layer; --out writes them as SCALE-Sim's CSV
// beside Tessel's own detail, --json prints them for machines.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Options.h"

#include "support/Files.h"
#include "support/Interrupt.h"
#include "validation/ScaleSim.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

namespace tessel::cli {
namespace {

struct ScaleSimCommandOptions {
  std::string config;
  std::string topology;
  bool gemm = false;
  bool conv = false;
  bool json = false;
  std::string out;
  bool check = false;
  bool long_ = false;
  unsigned stationaryBuffers = 1;
  bool foldOverlap = false;
};

const char *dataflowName(const std::string &dataflow) {
  return dataflow == "os"   ? "output-stationary"
         : dataflow == "ws" ? "weight-stationary"
                            : "input-stationary";
}

llvm::json::Value resultJson(const ScaleSimResult &r) {
  const sim::SystolicRun &run = r.run;
  llvm::json::Object shares;
  for (const sim::CycleShare &share : run.shares)
    shares[share.what] = share.cycles;
  return llvm::json::Object{
      {"layer", r.layer},
      {"M", r.m},
      {"N", r.n},
      {"K", r.k},
      {"folds", r.folds},
      {"totalCycles", r.totalCycles},
      {"stallCycles", r.stallCycles},
      {"overallUtilPercent", r.overallUtil},
      {"mappingEfficiencyPercent", r.mappingEfficiency},
      {"computeUtilPercent", r.computeUtil},
      {"tesselCycles", r.cycles},
      {"reuseModelCycles", r.modelCycles},
      {"macs", run.macs},
      {"sramReads",
       llvm::json::Object{{"ifmap", r.ifmapReads}, {"filter", r.filterReads}}},
      {"sramWrites", llvm::json::Object{{"ofmap", r.ofmapWrites}}},
      {"linkWords", llvm::json::Object{{"horizontal", run.links.horizontal},
                                       {"vertical", run.links.vertical},
                                       {"partialSums", run.links.partialSums},
                                       {"drain", run.links.drain},
                                       {"load", run.links.load}}},
      {"cycleShares", std::move(shares)},
      {"checked", run.checked},
      {"steppedPeCycles", run.steppedPeCycles},
      {"skippedPeCycles", run.skippedPeCycles},
      {"seconds", run.seconds},
  };
}

int runScaleSim(const ScaleSimCommandOptions &options) {
  ScaleSimConfig config;
  std::vector<ScaleSimLayer> layers;
  try {
    config = readScaleSimConfig(options.config);
    layers = readScaleSimTopology(options.topology, options.gemm   ? 1
                                                    : options.conv ? 0
                                                                   : -1);
  } catch (const ScaleSimError &error) {
    std::cerr << "tessel scalesim: " << error.what() << "\n";
    return 1;
  }
  if (!options.out.empty()) {
    std::string why = makeDirectories(options.out);
    if (!why.empty()) {
      std::cerr << "tessel scalesim: --out " << options.out << ": " << why
                << "\n";
      return 1;
    }
  }
  ScaleSimOptions run;
  run.check = options.check;
  run.progress = true;
  run.allowLong = options.long_;
  run.timing = {options.stationaryBuffers, options.foldOverlap};
  if (options.foldOverlap && options.stationaryBuffers < 2) {
    std::cerr << "tessel scalesim: --fold-overlap needs "
                 "--stationary-buffers 2\n";
    return kUsageExitCode;
  }
  std::vector<ScaleSimResult> results;
  int status = 0;
  for (const ScaleSimLayer &layer : layers) {
    try {
      results.push_back(runScaleSimLayer(config, layer, run));
    } catch (const ScaleSimError &error) {
      std::cerr << "tessel scalesim: " << options.topology << ":" << layer.line
                << ": " << error.what() << "\n";
      status = 1;
      if (interrupted())
        break;
    }
  }

  if (!options.out.empty()) {
    for (auto [name, text] :
         {std::pair{"COMPUTE_REPORT.csv", scaleSimComputeReport(results)},
          std::pair{"TESSEL_DETAIL.csv", scaleSimDetailReport(results)}}) {
      std::string why = writeTextFile(options.out + "/" + name, text);
      if (!why.empty()) {
        std::cerr << "tessel scalesim: " << why << "\n";
        status = 1;
      }
    }
  }
  if (options.json) {
    llvm::json::Array array;
    for (const ScaleSimResult &r : results)
      array.push_back(resultJson(r));
    llvm::json::Object top{
        {"config", config.file},
        {"topology", options.topology},
        {"arrayHeight", config.arrayHeight},
        {"arrayWidth", config.arrayWidth},
        {"dataflow", dataflowName(config.dataflow)},
        {"layers", std::move(array)},
    };
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(top)))
                 << "\n";
    llvm::outs().flush();
    return interrupted() ? kInterruptedExitCode : status;
  }

  std::cout << "tessel scalesim: " << config.file << " (" << config.arrayHeight
            << "x" << config.arrayWidth << ", " << dataflowName(config.dataflow)
            << "), " << options.topology << ", " << layers.size() << " layer"
            << (layers.size() == 1 ? "" : "s") << "\n\n";
  Table table({"layer", "M", "N", "K", "folds", "total cycles", "stall",
               "overall util", "mapping eff", "compute util", "Tessel cycles",
               "reuse model", "sim time"},
              {false, true, true, true, true, true, true, true, true, true,
               true, true, true});
  for (const ScaleSimResult &r : results)
    table.addRow({r.layer, withCommas(uint64_t(r.m)), withCommas(uint64_t(r.n)),
                  withCommas(uint64_t(r.k)), withCommas(r.folds),
                  withCommas(r.totalCycles), withCommas(r.stallCycles),
                  fixed(r.overallUtil, 2) + "%",
                  fixed(r.mappingEfficiency, 2) + "%",
                  fixed(r.computeUtil, 2) + "%", withCommas(r.cycles),
                  withCommas(r.modelCycles), fixed(r.run.seconds, 2) + " s"});
  table.print(std::cout, "  ");
  std::cout
      << "\ntotal cycles: as SCALE-Sim counts them, the cycle (from 0) in "
         "which the last fold left the array;\nTessel cycles: until every "
         "output word is in the SRAM; reuse model: tessel eval's cycles for "
         "the same array and mapping. Stall-free memory, "
      << (options.stationaryBuffers == 1 ? "one stationary buffer"
                                         : "two stationary buffers")
      << " per PE" << (options.foldOverlap ? ", folds back to back" : "")
      << ".\n";
  if (options.check)
    std::cout << "Every layer's output was checked against a direct "
                 "computation.\n";
  if (!options.out.empty())
    std::cout << "Wrote " << options.out << "/COMPUTE_REPORT.csv and "
              << options.out << "/TESSEL_DETAIL.csv\n";
  return interrupted() ? kInterruptedExitCode : status;
}

} // namespace

void addScaleSimCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<ScaleSimCommandOptions>();
  CLI::App *sub = app.add_subcommand(
      "scalesim",
      "Simulate SCALE-Sim v2's inputs (a .cfg and a topology CSV) on "
      "Tessel's structural systolic array and print SCALE-Sim's "
      "COMPUTE_REPORT columns per layer.");
  sub->add_option("config", options->config,
                  "SCALE-Sim .cfg ([architecture_presets] ArrayHeight, "
                  "ArrayWidth, Dataflow os|ws|is)")
      ->required();
  sub->add_option("topology", options->topology,
                  "SCALE-Sim topology CSV: convolution layers (Layer name, "
                  "IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                  "Channels, Num Filter, Strides,) or GEMMs (Layer, M, N, K,)")
      ->required();
  CLI::Option *gemm = sub->add_flag(
      "--gemm", options->gemm,
      "The topology holds GEMMs (default: from its header's column count)");
  sub->add_flag("--conv", options->conv,
                "The topology holds convolution layers")
      ->excludes(gemm);
  sub->add_flag("--json", options->json, "Print the results as JSON");
  sub->add_option("--out", options->out,
                  "Directory for COMPUTE_REPORT.csv (SCALE-Sim's columns) "
                  "and TESSEL_DETAIL.csv");
  sub->add_flag("--check", options->check,
                "Also compare each layer's output with a direct computation");
  sub->add_flag("--long", options->long_,
                "Run layers estimated to take more than a minute");
  sub->add_option("--stationary-buffers", options->stationaryBuffers,
                  "Stationary registers per PE: 1 (SCALE-Sim's model) or 2 "
                  "(the next fold's operands shift in while this one "
                  "computes, as in a TPU)")
      ->check(CLI::Range(1, 2));
  sub->add_flag("--fold-overlap", options->foldOverlap,
                "Stream consecutive folds back to back (needs "
                "--stationary-buffers 2)");
  sub->callback([options, &exitCode] { exitCode = runScaleSim(*options); });
}

} // namespace tessel::cli
