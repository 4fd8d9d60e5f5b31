//===- tools/tessel/CheckCommand.cpp - `tessel check` ---------------------===//
//
// Verifies the mapping of each op of a module on an accelerator and prints
// its loop nest level by level, DRAM to MAC, with the tile each level holds.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"

#include "arch/Arch.h"
#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "mapper/Dialect/MappingAttr.h"
#include "mapper/Mapping.h"
#include "mapper/MappingYaml.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <memory>

namespace tessel::cli {
namespace {

struct CheckOptions {
  std::string file;
  std::string arch;
  std::string mapping;
  double maxPadding = 0;
  bool json = false;
};

/// One op, its mapping and the verdict.
struct CheckedOp {
  Problem problem;
  MappingSpec spec;
  std::vector<MappingError> errors;
  Mapping mapping; ///< Valid when `resolved`.
  bool resolved = false;
};

std::string keptText(const Problem &problem, const LevelMapping &level) {
  std::string text;
  for (unsigned t = 0; t < problem.tensors.size(); ++t)
    if (level.keeps(t))
      text += (text.empty() ? "" : ", ") + problem.tensors[t].name;
  return text.empty() ? "nothing (bypassed)" : text;
}

void printLoopNest(const CheckedOp &op, const Arch &arch, std::ostream &os) {
  const Problem &problem = op.problem;
  os << "  loop nest, DRAM to MAC:\n";
  std::string indent = "    ";
  for (unsigned l = 0; l < arch.levels.size(); ++l) {
    const LevelMapping &level = op.mapping.levels[l];
    os << indent << arch.levels[l].name << "  (keeps "
       << keptText(problem, level) << ")\n";
    for (const Loop &loop : level.temporal) {
      indent += "  ";
      os << indent << "for " << problem.dims[loop.dim].name << " in "
         << loop.factor << "\n";
    }
    for (const SpatialLoop &loop : level.spatial) {
      indent += "  ";
      os << indent << "spatial-for " << problem.dims[loop.dim].name << " in "
         << loop.factor << " across " << axisName(loop.axis) << "\n";
    }
    indent += "  ";
  }
  os << indent << "MAC\n";
}

void printTiles(const CheckedOp &op, const Arch &arch, std::ostream &os) {
  const Problem &problem = op.problem;
  std::vector<std::string> header = {"level"};
  std::vector<bool> right = {false};
  for (const Tensor &tensor : problem.tensors) {
    header.push_back(tensor.name);
    right.push_back(true);
  }
  header.insert(header.end(), {"kept words", "capacity (words)"});
  right.insert(right.end(), {true, true});
  Table table(header, right);
  std::vector<std::vector<uint64_t>> words = tileWords(problem, op.mapping);
  for (unsigned l = 0; l < arch.levels.size(); ++l) {
    std::vector<std::string> row = {arch.levels[l].name};
    uint64_t kept = 0;
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      bool keeps = op.mapping.levels[l].keeps(t);
      row.push_back(keeps ? withCommas(words[l][t]) : "-");
      kept += keeps ? words[l][t] : 0;
    }
    row.push_back(withCommas(kept));
    row.push_back(capacityText(arch.levels[l]));
    table.addRow(row);
  }
  os << "  tiles per level instance (words; '-' = bypassed):\n";
  table.print(os, "    ");
}

void printText(const CheckedOp &op, const Arch &arch, std::ostream &os) {
  os << op.problem.name << "  " << op.problem.opName << "  on " << arch.name
     << ": " << (op.errors.empty() ? "valid" : "INVALID") << "\n";
  if (op.resolved) {
    printLoopNest(op, arch, os);
    printTiles(op, arch, os);
  }
  for (const MappingError &error : op.errors)
    os << "  error: " << error.message << "\n";
  os << "\n";
}

llvm::json::Value opJson(const CheckedOp &op, const Arch &arch) {
  llvm::json::Array errors, levels;
  for (const MappingError &error : op.errors)
    errors.push_back(error.message);
  std::vector<std::vector<uint64_t>> words;
  if (op.resolved)
    words = tileWords(op.problem, op.mapping);
  for (unsigned l = 0; l < op.spec.levels.size(); ++l) {
    const LevelSpec &level = op.spec.levels[l];
    llvm::json::Array temporal, spatial, keep;
    for (const LoopSpec &loop : level.temporal)
      temporal.push_back(loopText(loop));
    for (const SpatialLoopSpec &loop : level.spatial)
      spatial.push_back(loopText(loop));
    for (const std::string &tensor : level.keep)
      keep.push_back(tensor);
    llvm::json::Object entry{{"level", level.level},
                             {"temporal", std::move(temporal)},
                             {"spatial", std::move(spatial)},
                             {"keep", std::move(keep)}};
    if (op.resolved) {
      llvm::json::Object tiles;
      for (unsigned t = 0; t < op.problem.tensors.size(); ++t)
        tiles[op.problem.tensors[t].name] = words[l][t];
      entry["tileWords"] = std::move(tiles);
    }
    levels.push_back(std::move(entry));
  }
  return llvm::json::Object{
      {"name", op.problem.name},     {"op", op.problem.opName},
      {"arch", arch.name},           {"valid", op.errors.empty()},
      {"errors", std::move(errors)}, {"levels", std::move(levels)}};
}

int run(const CheckOptions &options) {
  Arch arch;
  std::vector<NamedMapping> yamlMappings;
  try {
    arch = loadArch(options.arch);
    if (!options.mapping.empty())
      yamlMappings = loadMappingYaml(options.mapping);
  } catch (const ArchError &error) {
    std::cerr << error.what() << "\n";
    return 1;
  } catch (const MappingYamlError &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }

  mlir::DialectRegistry registry;
  registerWorkloadDialects(registry);
  registry.insert<dialect::TesselDialect>();
  mlir::MLIRContext context(registry);
  std::vector<CheckedOp> checked;
  std::vector<Diagnostic> located;
  VerifyOptions verifyOptions;
  verifyOptions.maxPadding = options.maxPadding;
  WorkloadSet set = importLinalgFile(
      options.file, context, [&](mlir::Operation *op, const Problem &problem) {
        CheckedOp entry;
        entry.problem = problem;
        bool found = false;
        for (const NamedMapping &named : yamlMappings)
          if (named.op == problem.name || named.op.empty()) {
            entry.spec = named.mapping;
            found = true;
          }
        if (!found) {
          auto attr = op->getAttrOfType<dialect::MappingAttr>(
              dialect::TesselDialect::kMappingAttrName);
          if (!attr)
            return;
          entry.spec = specFromAttr(attr);
        }
        entry.resolved = resolveMapping(entry.spec, problem, arch,
                                        entry.mapping, entry.errors);
        if (entry.resolved)
          entry.errors =
              verifyMapping(problem, arch, entry.mapping, verifyOptions);
        for (const MappingError &error : entry.errors)
          located.push_back(
              {Diagnostic::Severity::Error, problem.source,
               "invalid mapping of '" + problem.name + "': " + error.message});
        checked.push_back(std::move(entry));
      });
  for (const Diagnostic &diagnostic : set.diagnostics)
    std::cerr << diagnostic.format() << "\n";
  for (const Diagnostic &diagnostic : located)
    std::cerr << diagnostic.format() << "\n";
  if (checked.empty() && !set.hasErrors()) {
    std::cerr << options.file
              << ": error: no op carries a mapping; attach a tessel.mapping "
                 "attribute or pass --mapping FILE.yaml\n";
    return 1;
  }
  if (options.json) {
    llvm::json::Array ops;
    for (const CheckedOp &op : checked)
      ops.push_back(opJson(op, arch));
    std::string text;
    llvm::raw_string_ostream stream(text);
    stream << llvm::formatv(
        "{0:2}", llvm::json::Value(llvm::json::Object{
                     {"file", options.file}, {"ops", std::move(ops)}}));
    std::cout << stream.str() << "\n";
  } else {
    for (const CheckedOp &op : checked)
      printText(op, arch, std::cout);
  }
  return set.hasErrors() || !located.empty() ? 1 : 0;
}

} // namespace

void addCheckCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App *sub = app.add_subcommand(
      "check", "Verify the mapping of each op on an accelerator and print "
               "its loop nest, DRAM to MAC, with the tile each level holds.");
  sub->add_option("FILE", options->file,
                  "MLIR file whose ops carry "
                  "tessel.mapping attributes")
      ->required();
  sub->add_option("--arch", options->arch, "Accelerator YAML file")->required();
  sub->add_option("--mapping", options->mapping,
                  "Mapping YAML file (used instead of the ops' attributes)");
  sub->add_option("--max-padding", options->maxPadding,
                  "How far factors may overshoot a bound, as a fraction "
                  "(default 0: exact)")
      ->check(CLI::Range(0.0, 10.0));
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->footer("Example: tessel check mapped.mlir --arch "
              "arch/presets/tpu16.yaml\n"
              "Exit status: 1 if any mapping is invalid; each reason is "
              "printed as file:line:col: error: ...");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
