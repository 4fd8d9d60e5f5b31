//===- tools/tessel/TimeloopCommand.cpp - `tessel timeloop` ---------------===//
//
// Reads a design in Timeloop's own files (interop/Timeloop.h), evaluates the
// given mapping (or maps when none is given) with the reuse model in
// Timeloop's accounting (or Tessel's), and prints Timeloop-style stats:
// cycles, utilization, per level x tensor reads, fills and updates per
// instance, energy per level and pJ/MAC.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Json.h"
#include "MappedModule.h"
#include "Options.h"

#include "interop/Timeloop.h"

#include "llvm/Support/JSON.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace tessel::cli {
namespace {

struct TimeloopCommandOptions {
  std::vector<std::string> files;
  std::string accounting = "timeloop";
  std::string mapper = "genetic";
  uint64_t budget = 0;
  uint64_t seed = 1;
  bool json = false;
};

uint64_t perInstance(uint64_t total, uint64_t instances) {
  return instances ? total / instances : 0;
}

void printStats(const TimeloopRun &run, const std::string &accounting,
                std::ostream &os) {
  const Problem &problem = run.design.problem;
  const Arch &arch = run.design.arch;
  const Report &report = run.report;
  os << "design " << problem.name << " on " << arch.peCount() << " PEs ("
     << run.design.files.size() << " files)\n";
  for (const std::string &note : run.design.notes)
    os << "  note: " << note << "\n";
  os << "  mapping: "
     << (run.mapped ? "found by the mapper (" + withCommas(run.evaluations) +
                          " evaluations)"
                    : "given")
     << "\n";
  printLoopNest(problem, run.mapping, arch, os);
  os << "  accounting " << accounting
     << "; counts per instance, as Timeloop prints them (x instances = "
        "totals):\n";
  EnergyUnit unit = energyUnitFor(report.energy.total());
  Table table({"level", "tensor", "instances", "reads", "fills", "updates",
               std::string("energy (") + unit.name + ")"},
              {false, false, true, true, true, true, true});
  for (unsigned l = arch.levelCount(); l-- > 0;) {
    uint64_t instances = run.utilizedInstances[l];
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      const TensorActions &a = report.actions.at(l, t);
      if (!a.reads && !a.fills && !a.updates)
        continue;
      table.addRow({arch.levels[l].name, problem.tensors[t].name,
                    withCommas(instances),
                    withCommas(perInstance(a.reads, instances)),
                    withCommas(perInstance(a.fills, instances)),
                    withCommas(perInstance(a.updates, instances)),
                    energyIn(report.energy.at(l, t).total(), unit)});
    }
  }
  table.print(os, "    ");
  os << "  cycles       " << withCommas(report.cycles) << "\n";
  os << "  utilization  " << fixed(report.utilization, 2) << "\n";
  os << "  energy       " << humanEnergy(report.energy.total()) << "\n";
  os << "  MACs         " << withCommas(report.macs) << "\n";
  os << "  energy per MAC:\n";
  Table perMac({"level", "pJ/MAC"}, {false, true});
  double macs = double(std::max<uint64_t>(1, report.macs));
  perMac.addRow({"mac", fixed(report.energy.macs / macs, 2)});
  for (unsigned l = arch.levelCount(); l-- > 0;)
    perMac.addRow(
        {arch.levels[l].name, fixed(report.energy.levelTotal(l) / macs, 2)});
  perMac.addRow({"Total", fixed(report.energyPerMac(), 2)});
  perMac.print(os, "    ");
}

llvm::json::Value statsJson(const TimeloopRun &run,
                            const std::string &accounting) {
  const Problem &problem = run.design.problem;
  const Arch &arch = run.design.arch;
  llvm::json::Array levels;
  for (unsigned l = 0; l < arch.levelCount(); ++l) {
    uint64_t instances = run.utilizedInstances[l];
    llvm::json::Object tensors;
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      const TensorActions &a = run.report.actions.at(l, t);
      tensors[problem.tensors[t].name] = llvm::json::Object{
          {"readsPerInstance", perInstance(a.reads, instances)},
          {"fillsPerInstance", perInstance(a.fills, instances)},
          {"updatesPerInstance", perInstance(a.updates, instances)},
          {"reads", a.reads},
          {"fills", a.fills},
          {"updates", a.updates},
          {"energyPJ", run.report.energy.at(l, t).total()}};
    }
    levels.push_back(llvm::json::Object{{"level", arch.levels[l].name},
                                        {"utilizedInstances", instances},
                                        {"tensors", std::move(tensors)}});
  }
  llvm::json::Array notes;
  for (const std::string &note : run.design.notes)
    notes.push_back(note);
  return llvm::json::Object{{"problem", problem.name},
                            {"accounting", accounting},
                            {"mapped", run.mapped},
                            {"notes", std::move(notes)},
                            {"cycles", run.report.cycles},
                            {"utilization", run.report.utilization},
                            {"macs", run.report.macs},
                            {"energyPJ", run.report.energy.total()},
                            {"pJPerMac", run.report.energyPerMac()},
                            {"levels", std::move(levels)},
                            {"report", reportJson(run.report, problem, arch)}};
}

int runTimeloop(const TimeloopCommandOptions &options) {
  std::optional<Accounting> accounting = accountingNamed(options.accounting);
  if (!accounting) {
    std::cerr << "tessel timeloop: --accounting must be timeloop or tessel, "
                 "not '"
              << options.accounting << "'\n";
    return kUsageExitCode;
  }
  TimeloopRunOptions run;
  run.accounting = *accounting;
  run.mapper = options.mapper;
  run.budget = options.budget;
  run.seed = options.seed;
  try {
    TimeloopRun result = runTimeloopDesign(options.files, run);
    if (options.json)
      printJson(std::cout, statsJson(result, options.accounting));
    else
      printStats(result, options.accounting, std::cout);
  } catch (const TimeloopError &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  return 0;
}

} // namespace

void addTimeloopCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<TimeloopCommandOptions>();
  CLI::App *sub = app.add_subcommand(
      "timeloop",
      "Read a design in Timeloop's own YAML files (architecture, problem, "
      "mapping, constraints, mapper, ERT; any order, told apart by their "
      "top-level keys), evaluate the mapping or map when none is given, and "
      "print Timeloop-style stats in Timeloop's accounting.");
  sub->add_option("FILE", options->files,
                  "Timeloop YAML files or folders of them")
      ->required();
  sub->add_option("--accounting", options->accounting,
                  "timeloop (default: Timeloop's counts) or tessel (the "
                  "reuse model's own)");
  addMapperOption(sub, options->mapper);
  sub->add_option("--budget", options->budget,
                  "Evaluations when mapping (default: the mapper file's search-size, else 3000)");
  sub->add_option("--seed", options->seed, "Search seed when mapping");
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->footer("Example: tessel timeloop arch/ constraints/ problem.yaml "
              "mapping.yaml ERT.yaml\n"
              "Exit status: 1 for a bad Timeloop file (file:line:col: error: "
              "...) or an illegal mapping.");
  sub->callback([options, &exitCode] { exitCode = runTimeloop(*options); });
}

} // namespace tessel::cli
