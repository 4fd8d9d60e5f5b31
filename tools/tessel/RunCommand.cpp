//===- tools/tessel/RunCommand.cpp - tessel run ---------------------------===//
//
// A whole network: map every tensor contraction of a module, optionally
// simulate each (parallel processes), print one row per layer and the
// network total, and with --out write layers.csv, network.json,
// mappings.yaml and a plot of cycles per layer (validation/NetworkRun.h).
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "MappedModule.h"
#include "Options.h"

#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "mapper/Constraints.h"
#include "support/Files.h"
#include "support/Interrupt.h"
#include "validation/NetworkRun.h"
#include "workloads/LinalgImport.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

namespace tessel::cli {
namespace {

namespace fs = std::filesystem;

struct RunOptions {
  std::string file;
  std::string arch;
  Precision precision = Precision::Words;
  std::string constraints;
  std::string objective = "edp";
  std::string out;
  MapRequest request;
  bool simulate = false;
  bool long_ = false;
  unsigned jobs = 1;
  bool progress = false;
};

std::string percentText(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", fraction * 100);
  return text;
}

std::string errorText(const LayerResult &layer) {
  if (!layer.model || !layer.simulated || layer.model->cycles == 0)
    return "";
  double error =
      (double(layer.simulated->cycles) - double(layer.model->cycles)) /
      double(layer.model->cycles) * 100;
  char text[32];
  std::snprintf(text, sizeof text, "%+.1f%%", error);
  return text;
}

void printTable(const NetworkRun &run, bool simulated, std::ostream &os) {
  // One unit for the column, chosen by its largest entry (the total).
  EnergyUnit unit = energyUnitFor(run.totalEnergy(false));
  std::vector<std::string> header = {
      "layer", "MACs",      "cycles", std::string("energy (") + unit.name + ")",
      "util",  "bottleneck"};
  std::vector<bool> right = {false, true, true, true, true, false};
  if (simulated) {
    header.insert(header.end(), {"sim cycles", "error"});
    right.insert(right.end(), {true, true});
  }
  header.push_back("status");
  right.push_back(false);
  Table table(header, right);
  for (const LayerResult &layer : run.layers) {
    std::vector<std::string> row = {layer.problem.name,
                                    withCommas(layer.problem.macs())};
    if (layer.model)
      row.insert(row.end(), {withCommas(layer.model->cycles),
                             energyIn(layer.model->energy.total(), unit),
                             percentText(layer.model->utilization),
                             layer.model->bottleneck});
    else
      row.insert(row.end(), {"-", "-", "-", "-"});
    if (simulated)
      row.insert(row.end(),
                 {layer.simulated ? withCommas(layer.simulated->cycles) : "-",
                  errorText(layer)});
    row.push_back(layer.status);
    table.addRow(row);
  }
  table.addRule();
  std::vector<std::string> total = {
      "total (" + std::to_string(run.layers.size()) + " layers)",
      withCommas(run.totalMacs()),
      withCommas(run.totalCycles(false)),
      energyIn(run.totalEnergy(false), unit),
      "",
      ""};
  if (simulated)
    total.insert(total.end(), {withCommas(run.totalCycles(true)), ""});
  total.push_back(run.interrupted ? "interrupted" : "");
  table.addRow(total);
  table.print(os);
  if (!run.setAside.empty())
    os << run.setAside.size()
       << " ops that are not tensor contractions were not mapped ('tessel "
          "workloads' lists them)\n";
}

/// Writes the files of --out; prints what it wrote; false on an error.
bool writeOutputs(const NetworkRun &run, const Arch &arch,
                  const std::string &out) {
  std::error_code code;
  fs::create_directories(out, code);
  if (code || !fs::is_directory(out, code)) {
    std::cerr << out << ": error: cannot create the directory: "
              << (code ? code.message() : "it exists and is not a directory")
              << " (--out names where the results go)\n";
    return false;
  }
  fs::path dir(out);
  bool ok = true;
  auto write = [&](const std::string &name, const std::string &text) {
    std::string path = (dir / name).string();
    std::ofstream file(path);
    file << text;
    file.close();
    if (!file) {
      std::cerr << "error writing " << path << "\n";
      ok = false;
    }
    return path;
  };
  std::ostringstream csv;
  writeLayersCsv(run, csv);
  std::vector<std::string> written = {
      write("layers.csv", csv.str()),
      write("network.json", networkJson(run, arch)),
      write("mappings.yaml", networkMappingsYaml(run, arch))};
  std::string why;
  for (const std::string &plot : writeNetworkPlot(run, out, why))
    written.push_back(plot);
  if (!why.empty())
    std::cerr << "tessel run: no plot: " << why << "\n";
  std::cout << "wrote";
  for (const std::string &path : written)
    std::cout << " " << path;
  std::cout << "\n";
  return ok;
}

int run(RunOptions &options) {
  if (!checkInputFiles({options.file, options.constraints}))
    return 1;
  Arch arch;
  try {
    arch = loadArchByNameOrPath(options.arch);
    if (!options.constraints.empty())
      options.request.constraints = loadConstraints(options.constraints);
  } catch (const std::exception &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  options.request.options.objective = *Objective::parse(options.objective);
  WorkloadSet workloads = importLinalgFile(options.file);
  for (Problem &problem : workloads.problems)
    applyPrecision(problem, options.precision);
  std::vector<Diagnostic> warnings;
  for (const Problem &problem : workloads.problems)
    addDatatypeWarnings(problem, arch, warnings);
  for (const Diagnostic &diagnostic : workloads.diagnostics)
    std::cerr << diagnostic.format() << "\n";
  for (const Diagnostic &diagnostic : warnings)
    std::cerr << diagnostic.format() << "\n";
  if (workloads.hasErrors() || workloads.problems.empty())
    return 1;

  NetworkRunOptions runOptions;
  runOptions.request = options.request;
  runOptions.simulate = options.simulate;
  runOptions.allowLongSimulations = options.long_;
  runOptions.jobs = options.jobs;
  bool showProgress = options.progress || isatty(STDERR_FILENO);
  if (showProgress)
    runOptions.onProgress = [](const std::string &stage, size_t done,
                               size_t total, const std::string &layer,
                               double eta) {
      char line[160];
      if (eta >= 0)
        std::snprintf(line, sizeof line,
                      "\r[run] %s op %zu of %zu: %s (ETA %.0f s)",
                      stage.c_str(), done + (stage == "mapping"), total,
                      layer.c_str(), eta);
      else
        std::snprintf(line, sizeof line, "\r[run] %s op %zu of %zu: %s",
                      stage.c_str(), done + (stage == "mapping"), total,
                      layer.c_str());
      std::fprintf(stderr, "%-100s", line);
      std::fflush(stderr);
    };
  NetworkRun result = runNetwork(workloads, arch, runOptions);
  if (showProgress)
    std::fprintf(stderr, "\r%100s\r", "");

  std::cout << result.file << " on " << arch.name << ": "
            << result.layers.size() << " layers mapped with " << result.mapper
            << " on " << result.model << "\n";
  printTable(result, options.simulate, std::cout);
  bool ok = options.out.empty() || writeOutputs(result, arch, options.out);
  std::string problem = stdoutError();
  if (!problem.empty()) {
    std::cerr << "tessel: " << problem << "\n";
    return 1;
  }
  if (result.interrupted) {
    std::cerr << "tessel: interrupted by " << interruptSignalName() << "; "
              << result.layers.size() << " of " << workloads.problems.size()
              << " layers mapped"
              << (options.out.empty() ? ""
                                      : ", results so far in " + options.out)
              << "\n";
    return kInterruptedExitCode;
  }
  bool allMapped = true;
  for (const LayerResult &layer : result.layers)
    allMapped &= layer.mapping.has_value();
  return ok && allMapped ? 0 : 1;
}

} // namespace

void addRunCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<RunOptions>();
  CLI::App *sub = app.add_subcommand(
      "run", "A whole network: map every tensor contraction of a module, "
             "optionally simulate each, and report per layer and in total "
             "(table; with --out per-layer CSV, JSON, the mappings as YAML "
             "and a plot).");
  sub->add_option("FILE", options->file, "MLIR module (linalg or TOSA)")
      ->required();
  addArchOption(sub, options->arch);
  addPrecisionOption(sub, options->precision);
  options->request.options.maxEvaluations = 5000;
  addSearchOptions(sub, options->request, options->objective,
                   options->constraints);
  sub->add_flag("--simulate", options->simulate,
                "Simulate each layer's mapping cycle by cycle (one process "
                "per layer) beside the model");
  sub->add_flag("--long", options->long_,
                "Also simulate layers estimated to take more than a minute");
  addJobsOption(sub, options->jobs, "Simulations run at once (default 1)");
  sub->add_option("--out", options->out,
                  "Directory for layers.csv, network.json, mappings.yaml and "
                  "cycles-per-layer.png/.svg");
  sub->add_flag("--progress", options->progress,
                "Show the progress line even when stderr is not a terminal");
  sub->footer("Example: tessel run workloads/zoo/resnet50.mlir --arch eyeriss "
              "--simulate --jobs 2 --out resnet50-eyeriss\n"
              "Exit status: 1 if a layer could not be mapped or an output "
              "not written; 130 when interrupted (what is done is kept).");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
