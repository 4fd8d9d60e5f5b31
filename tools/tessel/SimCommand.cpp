//===- tools/tessel/SimCommand.cpp - `tessel sim` -------------------------===//
//
// Simulates each mapped op of a module cycle by cycle (sim/Simulator.h), each
// in its own process (SystemC elaborates once per process), up to --jobs at
// a time: the simulated Report beside the analytical "reuse" model's, the
// stall breakdown, and with --functional the check of the output values.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Json.h"
#include "MappedModule.h"
#include "Options.h"

#include "model/CostModel.h"
#include "sim/Simulator.h"
#include "support/Interrupt.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <unistd.h>

namespace tessel::cli {
namespace {

struct SimCommandOptions {
  std::string file;
  std::string arch;
  Precision precision = Precision::Words;
  std::string mapping;
  bool functional = false;
  uint64_t dataSeed = 1;
  std::string trace;
  std::string vcd;
  std::string util;
  uint64_t utilInterval = 100;
  uint64_t traceLimit = sim::kDefaultTraceLimitBytes;
  bool json = false;
  unsigned jobs = 1;
  bool long_ = false;
};

/// Ops whose simulation must not start (sim::simulationRefusal) get an
/// error at the op; the long ones --long lets through get their estimate.
/// Returns false if any was refused.
bool checkSimulationSizes(const std::vector<const MappedOp *> &ops,
                          const Arch &arch, bool allowLong, bool functional) {
  bool ok = true;
  for (const MappedOp *op : ops) {
    sim::SimulationSize size =
        sim::minimumSimulationSize(op->problem, arch, op->mapping);
    std::string refusal =
        sim::simulationRefusal(size, arch, functional, allowLong);
    if (!refusal.empty()) {
      std::cerr << Diagnostic{Diagnostic::Severity::Error, op->problem.source,
                              "simulating '" + op->problem.name + "' " +
                                  refusal}
                       .format()
                << "\n";
      ok = false;
    } else if (size.seconds() > sim::kLongSimulationSeconds) {
      std::cerr << "tessel sim: '" << op->problem.name
                << "' simulates at least "
                << sim::simulationEstimate(size, arch) << "\n";
    }
  }
  return ok;
}

std::string percent(double fraction) { return fixed(fraction * 100, 1) + "%"; }

/// (sim - model) / model, as "+12.5%".
std::string difference(double simulated, double modelled) {
  if (modelled == 0)
    return simulated == 0 ? "0.0%" : "-";
  double change = (simulated - modelled) / modelled * 100;
  return (change >= 0 ? "+" : "") + fixed(change, 1) + "%";
}

/// `path` with `.op` inserted before its extension, when several ops share
/// one trace option.
std::string perOpPath(const std::string &path, const std::string &op,
                      bool several) {
  if (path.empty() || !several)
    return path;
  size_t dot = path.find_last_of('.');
  size_t slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return path + "." + op;
  return path.substr(0, dot) + "." + op + path.substr(dot);
}

/// The Report as `tessel eval --json` prints it, plus the stall breakdown.
llvm::json::Value
simReportJson(const Report &report, const Problem &problem, const Arch &arch,
              const std::vector<sim::Stall> *stalls,
              const std::vector<sim::Stall> *events = nullptr) {
  llvm::json::Object object = reportJson(report, problem, arch);
  if (stalls) {
    llvm::json::Object stallJson;
    for (const sim::Stall &stall : *stalls)
      stallJson[stall.reason] = stall.cycles;
    object["stalls"] = std::move(stallJson);
  }
  if (events && !events->empty()) {
    llvm::json::Object eventJson;
    for (const sim::Stall &event : *events)
      eventJson[event.reason] = event.cycles;
    object["events"] = std::move(eventJson);
  }
  return object;
}

void printAccesses(const Report &report, const Problem &problem,
                   const Arch &arch, std::ostream &os) {
  // One unit for the energy column, the total's.
  EnergyUnit unit = energyUnitFor(report.energy.total());
  int digits = unit.picojoules == 1 ? 1 : 3;
  Table table({"level", "tensor", "reads", "fills", "updates", "net words",
               "net hops", std::string("energy (") + unit.name + ")"},
              {false, false, true, true, true, true, true, true});
  for (unsigned l = 0; l < arch.levelCount(); ++l)
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      const TensorActions &a = report.actions.at(l, t);
      if (!a.reads && !a.fills && !a.updates && !a.networkWords)
        continue;
      table.addRow({arch.levels[l].name, problem.tensors[t].name,
                    withCommas(a.reads), withCommas(a.fills),
                    withCommas(a.updates), withCommas(a.networkWords),
                    withCommas(a.networkHops),
                    energyIn(report.energy.at(l, t).total(), unit, digits)});
    }
  table.addRow({"MAC", "", "", "", "", "", "",
                energyIn(report.energy.macs, unit, digits)});
  os << "  simulated accesses per level x tensor ("
     << (storedBits(problem).empty() ? "words"
                                     : "elements, at their declared widths")
     << "):\n";
  table.print(os, "    ");
}

void printComparison(const sim::SimResult &result, const Report &reuse,
                     std::ostream &os) {
  const Report &report = result.report;
  Table table({"", "sim", "reuse", "difference"}, {false, true, true, true});
  table.addRow({"cycles", withCommas(report.cycles), withCommas(reuse.cycles),
                difference(double(report.cycles), double(reuse.cycles))});
  // Both in one unit, the larger value's.
  EnergyUnit unit =
      energyUnitFor(std::max(report.energy.total(), reuse.energy.total()));
  table.addRow({"energy",
                energyIn(report.energy.total(), unit) + " " + unit.name,
                energyIn(reuse.energy.total(), unit) + " " + unit.name,
                difference(report.energy.total(), reuse.energy.total())});
  table.addRow({"utilization", percent(report.utilization),
                percent(reuse.utilization),
                difference(report.utilization, reuse.utilization)});
  table.addRow(
      {"MACs", withCommas(report.executedMacs), withCommas(reuse.executedMacs),
       difference(double(report.executedMacs), double(reuse.executedMacs))});
  table.print(os, "  ");
}

void printStalls(const sim::SimResult &result, std::ostream &os) {
  uint64_t cycles = result.report.cycles;
  Table table({"cycles spent", "cycles", "share"}, {false, true, true});
  table.addRow({"computing (a step issued)", withCommas(result.computeCycles),
                percent(cycles ? double(result.computeCycles) / cycles : 0)});
  for (const sim::Stall &stall : result.stalls)
    table.addRow({"stalled: " + stall.reason, withCommas(stall.cycles),
                  percent(cycles ? double(stall.cycles) / cycles : 0)});
  table.print(os, "  ");
  if (result.events.empty())
    return;
  Table events({"component events", "count"}, {false, true});
  for (const sim::Stall &event : result.events)
    events.addRow({event.reason, withCommas(event.cycles)});
  events.print(os, "  ");
}

int run(const SimCommandOptions &options) {
  Arch arch;
  std::vector<NamedMapping> yamlMappings;
  if (!loadInputs(options.arch, options.mapping, arch, yamlMappings))
    return 1;
  MappedModule module =
      readMappedModule(options.file, arch, yamlMappings, {}, options.precision);
  if (!reportModuleDiagnostics(module, options.file))
    return 1;
  std::vector<const MappedOp *> ops;
  for (const MappedOp &op : module.ops)
    if (op.valid())
      ops.push_back(&op);
  bool several = ops.size() > 1;
  // Every trace path is checked before the first simulation starts.
  std::vector<std::string> outputs;
  for (const MappedOp *op : ops)
    for (const std::string *path :
         {&options.trace, &options.vcd, &options.util})
      outputs.push_back(perOpPath(*path, op->problem.name, several));
  if (!checkOutputFiles(outputs))
    return 1;
  if (!checkSimulationSizes(ops, arch, options.long_, options.functional))
    return 1;
  // On stderr, also when it is not a terminal (a line a second at most,
  // only for simulations that run longer than that).
  bool progress = options.jobs <= 1 || !isatty(2);
  std::vector<sim::SimResult> results =
      sim::runIsolated(ops.size(), options.jobs, [&](size_t i) {
        const MappedOp &op = *ops[i];
        sim::SimOptions simOptions;
        simOptions.functional = options.functional;
        simOptions.seed = options.dataSeed;
        simOptions.chromeTrace =
            perOpPath(options.trace, op.problem.name, several);
        simOptions.vcd = perOpPath(options.vcd, op.problem.name, several);
        simOptions.utilization =
            perOpPath(options.util, op.problem.name, several);
        simOptions.utilizationInterval = options.utilInterval;
        simOptions.traceLimitBytes = options.traceLimit;
        simOptions.progress = progress;
        simOptions.progressLabel = op.problem.name + ": ";
        return sim::simulate(op.problem, arch, op.mapping, simOptions);
      });

  std::unique_ptr<CostModel> reuseModel = createCostModel("reuse");
  bool failed = module.workloads.hasErrors() || !module.errors.empty();
  llvm::json::Array opsJson;
  uint64_t totalCycles = 0, totalReuseCycles = 0;
  double totalEnergy = 0, totalReuseEnergy = 0;
  size_t finished = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    const MappedOp &op = *ops[i];
    const sim::SimResult &result = results[i];
    for (const std::string &warning : result.warnings)
      std::cerr << warning << " (--trace-limit raises the limit)\n";
    for (const std::string &note : result.notes)
      std::cerr << Diagnostic{Diagnostic::Severity::Note, op.problem.source,
                              "'" + op.problem.name + "': " + note}
                       .format()
                << "\n";
    if (result.interrupted) {
      std::cerr << Diagnostic{Diagnostic::Severity::Note, op.problem.source,
                              "simulation of '" + op.problem.name +
                                  "': " + result.error}
                       .format()
                << "\n";
      continue;
    }
    if (!result.error.empty()) {
      std::cerr << Diagnostic{Diagnostic::Severity::Error, op.problem.source,
                              "simulation of '" + op.problem.name +
                                  "' failed: " + result.error}
                       .format()
                << "\n";
      failed = true;
      continue;
    }
    if (!result.mismatch.empty()) {
      std::cerr << op.problem.source.file << ":" << op.problem.source.line
                << ":" << op.problem.source.column
                << ": error: functional simulation of '" << op.problem.name
                << "': " << result.mismatch << "\n";
      failed = true;
    }
    ++finished;
    // The reuse model does not count every mapping the simulator runs
    // (a residual factorization): then its columns stay empty (zero).
    Evaluation reuseEvaluation =
        reuseModel->evaluate(op.problem, arch, op.mapping);
    if (!reuseEvaluation.valid())
      std::cerr << "note: '" << op.problem.name
                << "': no reuse-model comparison: "
                << reuseEvaluation.errors.front().message << "\n";
    Report reuse = reuseEvaluation.valid()
                       ? *reuseEvaluation.report
                       : Report(arch.levelCount(), op.problem.tensors.size());
    totalCycles += result.report.cycles;
    totalReuseCycles += reuse.cycles;
    totalEnergy += result.report.energy.total();
    totalReuseEnergy += reuse.energy.total();
    if (options.json) {
      llvm::json::Object entry{
          {"name", op.problem.name},
          {"op", op.problem.opName},
          {"sim", simReportJson(result.report, op.problem, arch, &result.stalls,
                                &result.events)},
          {"reuse", simReportJson(reuse, op.problem, arch, nullptr)},
          {"computeCycles", result.computeCycles},
          {"differencePercent",
           llvm::json::Object{
               {"cycles", reuse.cycles ? (double(result.report.cycles) -
                                          double(reuse.cycles)) /
                                             double(reuse.cycles) * 100
                                       : 0.0},
               {"energy",
                reuse.energy.total() != 0
                    ? (result.report.energy.total() - reuse.energy.total()) /
                          reuse.energy.total() * 100
                    : 0.0}}},
          {"simSeconds", result.seconds},
          {"peCyclesPerSecond", result.peCyclesPerSecond()}};
      if (result.functional)
        entry["functional"] =
            llvm::json::Object{{"passed", result.mismatch.empty()},
                               {"mismatch", result.mismatch},
                               {"dataSeed", options.dataSeed}};
      opsJson.push_back(std::move(entry));
      continue;
    }
    std::cout << op.problem.name << "  " << op.problem.opName << "  on "
              << arch.name << "  (simulated)\n";
    printLoopNest(op.problem, op.mapping, arch, std::cout);
    printAccesses(result.report, op.problem, arch, std::cout);
    printComparison(result, reuse, std::cout);
    printStalls(result, std::cout);
    if (result.functional)
      std::cout << "  functional   "
                << (result.mismatch.empty()
                        ? "output equals the reference (data seed " +
                              std::to_string(options.dataSeed) + ")"
                        : "MISMATCH: " + result.mismatch)
                << "\n";
    std::cout << "  speed        " << withCommas(result.pes) << " PEs x "
              << withCommas(result.report.cycles) << " cycles in "
              << fixed(result.seconds, 3) << " s ("
              << fixed(result.peCyclesPerSecond() / 1e6, 1)
              << " M PE-cycles/s)\n\n";
  }
  bool stopped = interrupted();
  if (options.json) {
    std::string text;
    llvm::raw_string_ostream stream(text);
    stream << llvm::formatv(
        "{0:2}", llvm::json::Value(llvm::json::Object{
                     {"file", options.file},
                     {"arch", arch.name},
                     {"ops", std::move(opsJson)},
                     {"interrupted", stopped},
                     {"total", llvm::json::Object{
                                   {"cycles", totalCycles},
                                   {"reuseCycles", totalReuseCycles},
                                   {"energyPJ", totalEnergy},
                                   {"reuseEnergyPJ", totalReuseEnergy}}}}));
    std::cout << stream.str() << "\n";
  } else if (!ops.empty() && !stopped) {
    std::cout << "module total: " << ops.size()
              << (ops.size() == 1 ? " op, " : " ops, ")
              << withCommas(totalCycles) << " cycles simulated ("
              << difference(double(totalCycles), double(totalReuseCycles))
              << " against reuse), " << humanEnergy(totalEnergy) << " ("
              << difference(totalEnergy, totalReuseEnergy) << ")\n";
  }
  if (stopped)
    return reportInterrupted(
        std::to_string(finished) + " of " + std::to_string(ops.size()) +
        (ops.size() == 1 ? " op" : " ops") + " simulated" +
        (options.trace.empty() && options.vcd.empty() && options.util.empty()
             ? std::string()
             : ", the traces so far closed cleanly"));
  return failed ? 1 : 0;
}

} // namespace

void addSimCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<SimCommandOptions>();
  CLI::App *sub = app.add_subcommand(
      "sim", "Simulate each mapped op cycle by cycle (SystemC): cycles, "
             "accesses and energy beside the reuse model's, the stall "
             "breakdown, traces, and with --functional a check of the "
             "output values.");
  sub->add_option("FILE", options->file,
                  "MLIR file whose ops carry tessel.mapping attributes")
      ->required();
  addArchOption(sub, options->arch);
  addPrecisionOption(sub, options->precision);
  sub->add_option("--mapping", options->mapping,
                  "Mapping YAML file (used instead of the ops' attributes)");
  addRemovedOption(sub, "--engine",
                   "the lockstep engine is gone; the structural simulator "
                   "is the only one: drop --engine");
  sub->add_flag("--functional", options->functional,
                "Carry seeded random values and compare the output with a "
                "direct computation of the op");
  addWholeOption(sub, "--data-seed", options->dataSeed, 0, UINT64_MAX, "a seed",
                 "Seed of the functional input values (default 1)");
  // --seed is the search's seed (tessel map); here it was renamed.
  sub->add_option(
         "--seed",
         [](const CLI::results_t &) -> bool {
           throw UsageError("--seed is now --data-seed (the seed of the "
                            "functional input values; --seed is the search "
                            "seed of 'tessel map')");
         },
         "")
      ->group("")
      ->type_size(1)
      ->expected(1);
  sub->add_option("--trace", options->trace,
                  "Write a Chrome trace-event JSON (open it in Perfetto)");
  sub->add_option("--vcd", options->vcd, "Write key signals as a VCD");
  sub->add_option("--util", options->util,
                  "Write PE utilization per interval as CSV");
  addWholeOption(sub, "--util-interval", options->utilInterval, 1, UINT64_MAX,
                 "cycles",
                 "Cycles per utilization row and trace counter (default "
                 "100)");
  addByteSizeOption(sub, "--trace-limit", options->traceLimit, 4096,
                    uint64_t(1) << 40,
                    "Size limit of each trace file (bytes, or with K, M, G; "
                    "default 256M): past it later events are left out and "
                    "the file stays complete");
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->add_flag("--long", options->long_,
                "Run simulations estimated to take more than a minute; "
                "without it they are refused with the estimate");
  addJobsOption(sub, options->jobs,
                "Simulations run at once, each in its own process "
                "(default 1)");
  sub->footer("Example: tessel sim mapped.mlir --arch tpu16 "
              "--functional --trace gemm.json\n"
              "With several ops, trace files get the op's name before their "
              "extension (gemm.json -> gemm.conv1.json).\n"
              "Exit status: 1 if a mapping is invalid, a simulation fails or "
              "a functional check finds a wrong value; 130 when SIGINT or "
              "SIGTERM stopped it (the traces so far are closed cleanly).");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
