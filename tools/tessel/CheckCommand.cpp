//===- tools/tessel/CheckCommand.cpp - `tessel check` ---------------------===//
//
// Verifies the mapping of each op of a module on an accelerator and prints
// its loop nest level by level, DRAM to MAC, with the tile each level holds.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Options.h"
#include "Json.h"
#include "MappedModule.h"

#include "arch/Arch.h"
#include "mapping/Mapping.h"

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
  Precision precision = Precision::Words;
  std::string mapping;
  double maxPadding = 0;
  bool json = false;
};

void printTiles(const MappedOp &op, const Arch &arch, std::ostream &os) {
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
      uint64_t stored = storedWords(problem, t, arch.levels[l], words[l][t]);
      row.push_back(keeps ? withCommas(stored) : "-");
      kept += keeps ? stored : 0;
    }
    row.push_back(withCommas(kept));
    row.push_back(capacityText(arch.levels[l]));
    table.addRow(row);
  }
  os << "  tiles per level instance (words; '-' = bypassed):\n";
  table.print(os, "    ");
}

void printText(const MappedOp &op, const Arch &arch, std::ostream &os) {
  os << op.problem.name << "  " << op.problem.opName << "  on " << arch.name
     << ": " << (op.errors.empty() ? "valid" : "INVALID") << "\n";
  if (op.resolved) {
    printLoopNest(op.problem, op.mapping, arch, os);
    printTiles(op, arch, os);
  }
  for (const MappingError &error : op.errors)
    os << "  error: " << error.message << "\n";
  os << "\n";
}

llvm::json::Value opJson(const MappedOp &op, const Arch &arch) {
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
        tiles[op.problem.tensors[t].name] =
            storedWords(op.problem, t, arch.levels[l], words[l][t]);
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
  if (!loadInputs(options.arch, options.mapping, arch, yamlMappings))
    return 1;
  VerifyOptions verifyOptions;
  verifyOptions.maxPadding = options.maxPadding;
  MappedModule module =
      readMappedModule(options.file, arch, yamlMappings, verifyOptions,
                       options.precision);
  if (!reportModuleDiagnostics(module, options.file))
    return 1;
  if (options.json) {
    llvm::json::Array ops;
    for (const MappedOp &op : module.ops)
      ops.push_back(opJson(op, arch));
    printJson(std::cout, llvm::json::Value(llvm::json::Object{
                             {"file", options.file}, {"ops", std::move(ops)}}));
  } else {
    for (const MappedOp &op : module.ops)
      printText(op, arch, std::cout);
  }
  return module.workloads.hasErrors() || !module.errors.empty() ? 1 : 0;
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
  addArchOption(sub, options->arch);
  addPrecisionOption(sub, options->precision);
  sub->add_option("--mapping", options->mapping,
                  "Mapping YAML file (used instead of the ops' attributes)");
  addRealOption(sub, "--max-padding", options->maxPadding, 0.0, 10.0,
                "a fraction of the bound",
                "How far factors may overshoot a bound, as a fraction "
                "(default 0: exact)");
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->footer("Example: tessel check mapped.mlir --arch tpu16\n"
              "Exit status: 1 if any mapping is invalid; each reason is "
              "printed as file:line:col: error: ...");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
