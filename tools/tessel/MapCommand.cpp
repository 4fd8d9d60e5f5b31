//===- tools/tessel/MapCommand.cpp - `tessel map` -------------------------===//
//
// Maps every op of a module: builds each op's map space under the Arch and
// the constraints, searches it with a mapper on a cost model, attaches the
// best mapping to the op as a tessel.mapping attribute, writes the module
// and prints a table of what was found.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Json.h"
#include "MappedModule.h"
#include "Options.h"

#include "mapper/Mapper.h"
#include "mapping/Dialect/MappingAttr.h"
#include "mapping/MappingYaml.h"
#include "support/Checked.h"
#include "support/Interrupt.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace tessel::cli {
namespace {

struct MapOptions {
  std::string file;
  std::string arch;
  Precision precision = Precision::Words;
  std::string constraints;
  std::string output;
  std::string objective = "edp";
  MapRequest request;
  bool json = false;
  bool space = false;
  bool progress = false;
};

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string fixedSeconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", seconds);
  return text;
}

struct OpOutcome {
  std::string name;
  SearchResult result;
  std::string error;
  std::optional<MappingSpec> spec; ///< The best mapping, by name.
};

/// Whether -o names a mapping YAML file rather than an MLIR module.
bool isYamlPath(const std::string &path) {
  auto endsWith = [&](const std::string &suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) ==
               0;
  };
  return endsWith(".yaml") || endsWith(".yml");
}

/// A mapping as JSON: per level its loops and kept tensors.
llvm::json::Value mappingJson(const MappingSpec &spec) {
  llvm::json::Array levels;
  for (const LevelSpec &level : spec.levels) {
    llvm::json::Array temporal, spatial, keep;
    for (const LoopSpec &loop : level.temporal)
      temporal.push_back(
          llvm::json::Object{{"dim", loop.dim}, {"factor", loop.factor}});
    for (const SpatialLoopSpec &loop : level.spatial)
      spatial.push_back(llvm::json::Object{{"dim", loop.dim},
                                           {"factor", loop.factor},
                                           {"axis", axisName(loop.axis)}});
    for (const std::string &tensor : level.keep)
      keep.push_back(tensor);
    levels.push_back(llvm::json::Object{{"level", level.level},
                                        {"temporal", std::move(temporal)},
                                        {"spatial", std::move(spatial)},
                                        {"keep", std::move(keep)}});
  }
  return llvm::json::Value(std::move(levels));
}

/// Writes the mappings found as a mapping YAML file (what check, eval and
/// sim read with --mapping); false after an error.
bool writeMappingsYaml(const std::vector<OpOutcome> &outcomes,
                       const std::string &path) {
  std::vector<NamedMapping> mappings;
  for (const OpOutcome &outcome : outcomes)
    if (outcome.spec)
      mappings.push_back({outcome.name, *outcome.spec});
  std::ofstream out(path);
  out << mappingsToYaml(mappings);
  out.close();
  if (!out) {
    std::cerr << "error writing " << path << ": " << std::strerror(errno)
              << "\n";
    return false;
  }
  return true;
}

void printSpace(const Problem &problem, const MapSpace &space,
                std::ostream &os) {
  os << "map space of " << problem.name << ":\n";
  Table table({"after", "size", "what it applies"}, {false, true, false});
  for (const SpaceSize &size : space.sizes())
    table.addRow({size.family, size.size.text(), size.note});
  table.print(os, "  ");
}

void printTable(const std::vector<OpOutcome> &outcomes,
                const MapOptions &options, std::ostream &os) {
  // One unit for the energy column: the total's (the largest value).
  double largest = 0;
  for (const OpOutcome &outcome : outcomes)
    if (outcome.error.empty() && outcome.result.report)
      largest += outcome.result.report->energy.total();
  EnergyUnit unit = energyUnitFor(largest);
  std::string costUnit = objectiveUnit(options.objective);
  Table table(
      {"op", "mapper", "evaluations", "valid",
       options.objective + (costUnit.empty() ? "" : " (" + costUnit + ")"),
       "cycles", std::string("energy (") + unit.name + ")", "time (s)",
       "stopped by"},
      {false, false, true, true, true, true, true, true, false});
  uint64_t cycles = 0;
  double energy = 0;
  for (const OpOutcome &outcome : outcomes) {
    const SearchResult &r = outcome.result;
    if (!outcome.error.empty() || !r.report) {
      bool skipped = r.stopReason == "not searched";
      table.addRow({outcome.name, options.request.mapper,
                    withCommas(r.evaluations), "",
                    skipped ? "-" : "no valid mapping", "", "", "",
                    outcome.error.empty() || r.stopReason == "not searched"
                        ? r.stopReason
                        : "error"});
      continue;
    }
    cycles += r.report->cycles;
    energy += r.report->energy.total();
    table.addRow(
        {outcome.name, r.mapper, withCommas(r.evaluations),
         std::to_string(r.evaluations ? 100 * r.valid / r.evaluations : 0) +
             "%",
         scientific(r.bestCost), withCommas(r.report->cycles),
         energyIn(r.report->energy.total(), unit), fixedSeconds(r.seconds),
         r.stopReason});
  }
  table.addRule();
  // An interrupted run has no module total: the ops left out would make it
  // look smaller than it is.
  bool complete = !interrupted();
  table.addRow({complete ? "total" : "total so far", "", "", "", "",
                withCommas(cycles), energyIn(energy, unit), "", ""});
  table.print(os);
  if (complete)
    os << "module: " << withCommas(cycles) << " cycles, " << humanEnergy(energy)
       << ", EDP " << scientific(double(cycles) * energy) << " cycle*pJ\n";
  else
    os << "module: incomplete (interrupted), no total\n";
}

int run(MapOptions &options) {
  // Checked when parsed (addObjectiveOption).
  options.request.options.objective = *Objective::parse(options.objective);
  // Inputs are checked by their readers (the path and what is wrong);
  // the output before the search, not after it.
  if (!checkOutputFiles({options.output}))
    return 1;
  Arch arch;
  std::vector<NamedMapping> none;
  if (!loadInputs(options.arch, "", arch, none))
    return 1;
  if (!options.constraints.empty()) {
    try {
      options.request.constraints = loadConstraints(options.constraints);
    } catch (const ConstraintError &error) {
      std::cerr << error.what() << "\n";
      return 1;
    }
  }
  bool showProgress = options.progress || isatty(STDERR_FILENO);
  options.request.options.stopRequested = [] { return interrupted(); };

  mlir::DialectRegistry registry;
  registerWorkloadDialects(registry);
  registry.insert<dialect::TesselDialect>();
  mlir::MLIRContext context(registry);
  std::vector<OpOutcome> outcomes;
  bool failed = false;
  size_t opIndex = 0;
  // The number of ops, for "op i of N": a first, cheap read (parsing is
  // milliseconds against seconds of search).
  size_t opCount =
      showProgress ? importLinalgFile(options.file).problems.size() : 0;
  bool written = false;
  std::vector<Diagnostic> warnings;
  WorkloadSet set = importLinalgFile(
      options.file, context,
      [&](mlir::Operation *op, const Problem &imported) {
        Problem problem = imported;
        applyPrecision(problem, options.precision);
        ++opIndex;
        addDatatypeWarnings(problem, arch, warnings);
        OpOutcome outcome;
        outcome.name = problem.name;
        if (interrupted()) {
          outcome.result.stopReason = "not searched";
          outcome.error = "interrupted before this op";
          outcomes.push_back(std::move(outcome));
          return;
        }
        MapRequest request = options.request;
        if (showProgress)
          request.options.onProgress = [&](const SearchProgress &p) {
            std::fprintf(stderr,
                         "\r[map op %zu of %zu] %s: %llu evaluations "
                         "(%.0f/s), %.0f%% valid, best %s %s   ",
                         opIndex, opCount, problem.name.c_str(),
                         (unsigned long long)p.evaluations,
                         p.evaluations / std::max(p.seconds, 1e-9),
                         p.evaluations ? 100.0 * p.valid / p.evaluations : 0.0,
                         options.objective.c_str(),
                         scientific(p.bestCost).c_str());
          };
        try {
          if (options.space) {
            MapSpace space(problem, arch, request.constraints);
            printSpace(problem, space, std::cout);
          }
          outcome.result = mapProblem(problem, arch, request);
        } catch (const std::exception &error) {
          outcome.error = error.what();
          if (outcome.error.find(": error: ") != std::string::npos)
            // Located in the constraints file: that is what to fix.
            std::cerr << outcome.error << "\n"
                      << Diagnostic{Diagnostic::Severity::Note, problem.source,
                                    "while mapping '" + problem.name + "'"}
                             .format()
                      << "\n";
          else
            std::cerr << Diagnostic{Diagnostic::Severity::Error, problem.source,
                                    "cannot map '" + problem.name +
                                        "': " + outcome.error}
                             .format()
                      << "\n";
          failed = true;
        }
        if (showProgress)
          std::fprintf(stderr, "\r%80s\r", "");
        if (outcome.result.best) {
          outcome.spec = describeMapping(*outcome.result.best, problem, arch);
          op->setAttr(dialect::TesselDialect::kMappingAttrName,
                      attrFromSpec(&context, *outcome.spec));
        } else if (outcome.error.empty())
          failed = true;
        outcomes.push_back(std::move(outcome));
      },
      [&](mlir::Operation *module) {
        if (options.output.empty() || isYamlPath(options.output))
          return;
        std::error_code error;
        llvm::raw_fd_ostream out(options.output, error, llvm::sys::fs::OF_Text);
        if (error) {
          std::cerr << options.output
                    << ": error: cannot write the mapped module: "
                    << error.message() << "\n";
          failed = true;
          return;
        }
        module->print(out);
        out << "\n";
        out.close();
        if (out.has_error()) {
          std::cerr << "error writing " << options.output << ": "
                    << out.error().message() << "\n";
          out.clear_error();
          failed = true;
          return;
        }
        written = true;
      });
  for (const Diagnostic &diagnostic : set.diagnostics)
    std::cerr << diagnostic.format() << "\n";
  for (const Diagnostic &diagnostic : warnings)
    std::cerr << diagnostic.format() << "\n";
  if (!options.output.empty() && isYamlPath(options.output)) {
    written = writeMappingsYaml(outcomes, options.output);
    failed |= !written;
  }
  if (options.json) {
    llvm::json::Array ops;
    for (const OpOutcome &outcome : outcomes) {
      const SearchResult &r = outcome.result;
      llvm::json::Object entry{
          {"op", outcome.name},           {"mapper", options.request.mapper},
          {"evaluations", r.evaluations}, {"valid", r.valid},
          {"seconds", r.seconds},         {"stoppedBy", r.stopReason}};
      if (!outcome.error.empty())
        entry["error"] = outcome.error;
      if (r.report) {
        entry[options.objective] = r.bestCost;
        entry["cycles"] = r.report->cycles;
        entry["energyPJ"] = r.report->energy.total();
      }
      if (outcome.spec)
        entry["mapping"] = mappingJson(*outcome.spec);
      ops.push_back(std::move(entry));
    }
    uint64_t cycles = 0, mapped = 0;
    double energy = 0;
    for (const OpOutcome &outcome : outcomes)
      if (outcome.result.report) {
        cycles = saturatingAdd(cycles, outcome.result.report->cycles);
        energy += outcome.result.report->energy.total();
        ++mapped;
      }
    llvm::json::Object total{
        {"ops", int64_t(outcomes.size())},
        {"mapped", mapped},
        {"cycles", cycles},
        {"energyPJ", energy},
        {"edp", double(cycles) * energy},
        {"complete", mapped == outcomes.size() && !interrupted()}};
    printJson(std::cout, llvm::json::Value(llvm::json::Object{
                             {"file", options.file},
                             {"arch", arch.name},
                             {"objective", options.objective},
                             {"seed", options.request.options.seed},
                             {"interrupted", interrupted()},
                             {"ops", std::move(ops)},
                             {"notContractions", setAsideJson(set.setAside)},
                             {"total", std::move(total)}}));
  } else if (!outcomes.empty()) {
    printTable(outcomes, options, std::cout);
    if (options.output.empty())
      std::cout << "(write the mapped module with -o mapped.mlir)\n";
    else if (written)
      std::cout << (isYamlPath(options.output) ? "mappings written to "
                                               : "mapped module written to ")
                << options.output << "\n";
  }
  if (interrupted()) {
    size_t mapped = 0;
    for (const OpOutcome &outcome : outcomes)
      mapped += outcome.result.best ? 1 : 0;
    return reportInterrupted(
        std::to_string(mapped) + " of " + std::to_string(outcomes.size()) +
        " ops mapped (the op being searched keeps its best mapping so far), " +
        (written ? "results so far written to " + options.output
                 : std::string("results so far printed above")));
  }
  return set.hasErrors() || failed ? 1 : 0;
}

} // namespace

void addMapCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<MapOptions>();
  CLI::App *sub = app.add_subcommand(
      "map", "Find a mapping for every op of a module: search each op's map "
             "space with a mapper on a cost model, attach the best, write the "
             "module.");
  sub->add_option("FILE", options->file, "MLIR file with linalg ops")
      ->required();
  addArchOption(sub, options->arch);
  addPrecisionOption(sub, options->precision);
  addSearchOptions(sub, options->request, options->objective,
                   options->constraints);
  sub->add_option("-o,--output", options->output,
                  "Write the module with tessel.mapping attributes here, or, "
                  "for a name ending in .yaml, the mappings as a mapping YAML "
                  "file (what check, eval and sim read with --mapping)");
  sub->add_flag("--space", options->space,
                "Print each op's map-space size per constraint family");
  sub->add_flag("--progress", options->progress,
                "Show the progress line even when stderr is not a terminal");
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->footer("Example: tessel map workloads/zoo/resnet50.mlir --arch eyeriss "
              "--mapper genetic --budget 5000 -o mapped.mlir\nCtrl-C (or "
              "SIGTERM) stops the search, keeps the best "
              "mapping found so far, writes what is done and exits 130.");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
