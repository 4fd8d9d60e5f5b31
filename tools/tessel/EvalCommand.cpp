//===- tools/tessel/EvalCommand.cpp - `tessel eval` -----------------------===//
//
// Evaluates each mapped op of a module with an analytical cost model (or all
// of them): the loop nest, accesses and energy per level x tensor, cycles
// with the bottleneck, energy per MAC, utilization, and a module total.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Json.h"
#include "MappedModule.h"
#include "Options.h"

#include "model/CostModel.h"
#include "support/Checked.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

namespace tessel::cli {
namespace {

struct EvalOptions {
  std::string file;
  std::string arch;
  Precision precision = Precision::Words;
  std::string mapping;
  std::string model = "reuse";
  std::string accounting = "tessel";
  bool json = false;
};

std::string percent(double fraction) { return fixed(fraction * 100, 1) + "%"; }

void printAccesses(const Report &report, const Problem &problem,
                   const Arch &arch, std::ostream &os) {
  // One unit for the energy column, the total's.
  EnergyUnit unit = energyUnitFor(report.energy.total());
  int digits = unit.picojoules == 1 ? 1 : 3;
  Table table({"level", "tensor", "reads", "fills", "updates", "net words",
               "net hops", std::string("energy (") + unit.name + ")"},
              {false, false, true, true, true, true, true, true});
  for (unsigned l = 0; l < arch.levelCount(); ++l) {
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
  }
  table.addRow({"MAC", "", "", "", "", "", "",
                energyIn(report.energy.macs, unit, digits)});
  table.addRule();
  table.addRow({"total", "", "", "", "", "", "",
                energyIn(report.energy.total(), unit, digits)});
  os << "  accesses per level x tensor ("
     << (storedBits(problem).empty() ? "words"
                                      : "elements, at their declared widths")
     << "):\n";
  table.print(os, "    ");
}

void printTotals(const Report &report, std::ostream &os) {
  os << "  cycles       " << withCommas(report.cycles)
     << "  (bottleneck: " << report.bottleneck << ")\n";
  std::string resources;
  for (const ResourceCycles &resource : report.resourceCycles)
    resources += (resources.empty() ? "" : ", ") + resource.resource + " " +
                 withCommas(resource.cycles);
  os << "               " << resources << "\n";
  for (const ResourceCycles &cause : report.exposedCycles)
    os << "               + " << withCommas(cause.cycles) << " exposed: "
       << cause.resource << "\n";
  os << "  energy       " << humanEnergy(report.energy.total()) << "  ("
     << fixed(report.energyPerMac(), 3) << " pJ/MAC)\n";
  os << "  MACs         " << withCommas(report.macs);
  if (report.executedMacs != report.macs)
    os << "  (" << withCommas(report.executedMacs) << " executed, padding "
       << "included)";
  os << "\n  utilization  " << percent(report.utilization) << "\n";
  os << "  leakage      " << humanEnergy(report.energy.leakage) << " over "
     << withCommas(report.actions.cycles)
     << " cycles (not in energy; energy + leakage "
     << humanEnergy(report.energy.totalWithLeakage()) << ")\n";
}

void printComparison(const std::vector<Report> &reports, std::ostream &os) {
  double largest = 0;
  for (const Report &report : reports)
    largest = std::max(largest, report.energy.total());
  EnergyUnit unit = energyUnitFor(largest);
  Table table({"model", "cycles", std::string("energy (") + unit.name + ")",
               "pJ/MAC", "utilization", "bottleneck"},
              {false, true, true, true, true, false});
  for (const Report &report : reports)
    table.addRow({report.evaluator, withCommas(report.cycles),
                  energyIn(report.energy.total(), unit),
                  fixed(report.energyPerMac(), 3), percent(report.utilization),
                  report.bottleneck});
  table.print(os, "  ");
}

int run(const EvalOptions &options) {
  std::vector<std::string> modelNames =
      options.model == "all" ? costModelNames()
                             : std::vector<std::string>{options.model};
  std::optional<Accounting> accounting = accountingNamed(options.accounting);
  if (!accounting) {
    std::cerr << "tessel eval: --accounting must be tessel or timeloop, not '"
              << options.accounting << "'\n";
    return kUsageExitCode;
  }
  if (*accounting == Accounting::Timeloop && options.model != "reuse") {
    std::cerr << "tessel eval: --accounting timeloop is an option of the "
                 "reuse model; use --model reuse\n";
    return kUsageExitCode;
  }
  std::vector<std::unique_ptr<CostModel>> models;
  for (const std::string &name : modelNames) {
    models.push_back(createCostModel(name, *accounting));
    if (!models.back()) {
      std::string known;
      for (const std::string &model : costModelNames())
        known += (known.empty() ? "" : ", ") + model;
      std::cerr << "error: unknown model '" << name
                << "'; expected one of: " << known << ", all\n";
      return 1;
    }
  }
  Arch arch;
  std::vector<NamedMapping> yamlMappings;
  if (!loadInputs(options.arch, options.mapping, arch, yamlMappings))
    return 1;
  MappedModule module = readMappedModule(
      options.file, arch, yamlMappings, {}, options.precision);
  if (!reportModuleDiagnostics(module, options.file))
    return 1;

  llvm::json::Array opsJson;
  std::vector<Report> totals;
  bool failedEvaluations = false;
  for (const MappedOp &op : module.ops) {
    if (!op.valid())
      continue;
    std::vector<Report> reports;
    for (const auto &model : models) {
      Evaluation evaluation = model->evaluate(op.problem, arch, op.mapping);
      for (const MappingError &error : evaluation.errors)
        std::cerr << Diagnostic{Diagnostic::Severity::Error, op.problem.source,
                                "model '" + model->name() +
                                    "' cannot evaluate '" + op.problem.name +
                                    "': " + error.message}
                         .format()
                  << "\n";
      if (!evaluation.report)
        break;
      reports.push_back(std::move(*evaluation.report));
    }
    if (reports.size() != models.size()) {
      failedEvaluations = true;
      continue;
    }
    if (totals.empty())
      for (const Report &report : reports) {
        totals.emplace_back(arch.levelCount(), 0);
        totals.back().evaluator = report.evaluator;
      }
    for (size_t m = 0; m < reports.size(); ++m) {
      // Module totals saturate rather than wrap (each op's counts fit).
      totals[m].cycles = saturatingAdd(totals[m].cycles, reports[m].cycles);
      totals[m].macs = saturatingAdd(totals[m].macs, reports[m].macs);
      totals[m].energy.macs += reports[m].energy.total();
    }
    if (options.json) {
      llvm::json::Array reportsJson;
      for (const Report &report : reports)
        reportsJson.push_back(reportJson(report, op.problem, arch));
      opsJson.push_back(
          llvm::json::Object{{"name", op.problem.name},
                             {"op", op.problem.opName},
                             {"reports", std::move(reportsJson)}});
      continue;
    }
    std::cout << op.problem.name << "  " << op.problem.opName << "  on "
              << arch.name << "\n";
    printLoopNest(op.problem, op.mapping, arch, std::cout);
    if (reports.size() == 1) {
      std::cout << "  model " << reports[0].evaluator << "\n";
      printAccesses(reports[0], op.problem, arch, std::cout);
      printTotals(reports[0], std::cout);
    } else {
      printComparison(reports, std::cout);
    }
    std::cout << "\n";
  }
  if (options.json) {
    llvm::json::Array totalJson;
    for (const Report &total : totals)
      totalJson.push_back(llvm::json::Object{{"model", total.evaluator},
                                             {"cycles", total.cycles},
                                             {"macs", total.macs},
                                             {"energyPJ", total.energy.macs}});
    printJson(std::cout,
              llvm::json::Value(llvm::json::Object{
                  {"file", options.file},
                  {"arch", arch.name},
                  {"ops", std::move(opsJson)},
                  {"notContractions", setAsideJson(module.workloads.setAside)},
                  {"total", std::move(totalJson)}}));
  } else if (!totals.empty()) {
    for (const Report &total : totals)
      std::cout << "module total (" << total.evaluator
                << "): " << module.ops.size()
                << (module.ops.size() == 1 ? " op, " : " ops, ")
                << withCommas(total.cycles) << " cycles, "
                << humanEnergy(total.energy.macs) << ", "
                << withCommas(total.macs) << " MACs ("
                << fixed(total.macs ? total.energy.macs / double(total.macs)
                                    : 0,
                         3)
                << " pJ/MAC)\n";
  }
  return module.workloads.hasErrors() || !module.errors.empty() ||
                 failedEvaluations
             ? 1
             : 0;
}

} // namespace

void addEvalCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App *sub = app.add_subcommand(
      "eval", "Evaluate each mapped op with an analytical cost model: "
              "accesses and energy per level x tensor, cycles and bottleneck, "
              "pJ/MAC, utilization, and a module total.");
  sub->add_option("FILE", options->file,
                  "MLIR file whose ops carry tessel.mapping attributes")
      ->required();
  addArchOption(sub, options->arch);
  addPrecisionOption(sub, options->precision);
  sub->add_option("--mapping", options->mapping,
                  "Mapping YAML file (used instead of the ops' attributes)");
  addModelOption(sub, options->model, true,
                 "reuse (default), dataflow, roofline, or all (a comparison)");
  sub->add_option("--accounting", options->accounting,
                  "tessel (default) or timeloop: whose rules count reads, "
                  "fills and updates (reuse model only; docs/model.md)");
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->footer("Example: tessel eval mapped.mlir --arch eyeriss "
              "--model all\n"
              "Exit status: 1 if any mapping is invalid (each reason printed "
              "as file:line:col: error: ...).");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
