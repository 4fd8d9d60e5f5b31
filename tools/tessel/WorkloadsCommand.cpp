//===- tools/tessel/WorkloadsCommand.cpp - `tessel workloads` -------------===//
//
// Lists the ops of an MLIR module as Problems: dimensions, tensors with their
// projections and sizes, MAC counts and a total.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Json.h"

#include "support/Checked.h"
#include "workloads/LinalgImport.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

namespace tessel::cli {
namespace {

struct WorkloadsOptions {
  std::string file;
  bool json = false;
  bool brief = false;
  bool strict = false;
};

/// The ops read but not mapped, one line each.
void printSetAside(const WorkloadSet &set, std::ostream &os) {
  if (set.setAside.empty())
    return;
  os << "\nnot tensor contractions (not mapped):\n";
  Table table({"op", "kind", "operation", "elements", "bytes moved"},
              {false, false, false, true, true});
  uint64_t bytes = 0;
  for (const SetAsideOp &op : set.setAside) {
    table.addRow({op.name, op.kind, op.opName, withCommas(op.elements),
                  withCommas(op.bytes)});
    bytes = saturatingAdd(bytes, op.bytes);
  }
  table.addRule();
  table.addRow({"total", std::to_string(set.setAside.size()) + " ops", "", "",
                withCommas(bytes)});
  table.print(os);
}

std::string reductionText(const Problem &problem) {
  std::string text;
  for (unsigned d : problem.reductionDims())
    text += (text.empty() ? "" : ", ") + problem.dims[d].name;
  return text;
}

std::string projectionText(const Problem &problem, const Tensor &tensor) {
  std::string text = "[";
  for (size_t i = 0; i < tensor.projection.size(); ++i)
    text += (i ? ", " : "") + formatProjection(problem, tensor.projection[i]);
  return text + "]";
}

void printProblem(const Problem &problem, std::ostream &os) {
  os << problem.name << "  " << problem.opName;
  if (problem.source.line)
    os << "  (line " << problem.source.line << ")";
  os << "\n  dims   ";
  for (const Dimension &dim : problem.dims)
    os << " " << dim.name << "=" << dim.bound;
  os << "\n";
  Table table({"tensor", "type", "coordinates", "shape", "bytes", "role"},
              {false, false, false, false, true, false});
  for (const Tensor &tensor : problem.tensors) {
    std::string role = "input";
    if (tensor.isOutput) {
      std::string reduced = reductionText(problem);
      role = reduced.empty() ? "output" : "output, reduces " + reduced;
    }
    table.addRow({tensor.name, tensor.elementType,
                  projectionText(problem, tensor), joinShape(tensor.shape),
                  withCommas(tensor.bytes()), role});
  }
  table.print(os, "  ");
  os << "  MACs    " << withCommas(problem.macs()) << "\n\n";
}

void printBrief(const WorkloadSet &set, std::ostream &os) {
  Table table({"op", "kind", "dims", "MACs"}, {false, false, false, true});
  for (const Problem &problem : set.problems) {
    std::string dims;
    for (const Dimension &dim : problem.dims)
      dims += (dims.empty() ? "" : " ") + dim.name + "=" +
              std::to_string(dim.bound);
    std::string kind = problem.opName;
    if (kind.rfind("linalg.", 0) == 0)
      kind = kind.substr(7);
    table.addRow({problem.name, kind, dims, withCommas(problem.macs())});
  }
  table.addRule();
  table.addRow({"total", std::to_string(set.problems.size()) + " ops", "",
                withCommas(set.totalMacs())});
  table.print(os);
}

llvm::json::Value problemJson(const Problem &problem) {
  llvm::json::Array dims, tensors, reduced;
  for (const Dimension &dim : problem.dims)
    dims.push_back(
        llvm::json::Object{{"name", dim.name}, {"bound", dim.bound}});
  for (unsigned d : problem.reductionDims())
    reduced.push_back(problem.dims[d].name);
  for (const Tensor &tensor : problem.tensors) {
    llvm::json::Array coordinates, shape;
    for (const Projection &coordinate : tensor.projection) {
      llvm::json::Object terms;
      for (const ProjectionTerm &term : coordinate.terms)
        terms[problem.dims[term.dim].name] = term.coefficient;
      coordinates.push_back(
          llvm::json::Object{{"text", formatProjection(problem, coordinate)},
                             {"terms", std::move(terms)},
                             {"constant", coordinate.constant}});
    }
    for (int64_t extent : tensor.shape)
      shape.push_back(extent);
    tensors.push_back(
        llvm::json::Object{{"name", tensor.name},
                           {"elementType", tensor.elementType},
                           {"elementBits", tensor.elementBits},
                           {"shape", std::move(shape)},
                           {"coordinates", std::move(coordinates)},
                           {"bytes", tensor.bytes()},
                           {"output", tensor.isOutput}});
  }
  return llvm::json::Object{
      {"name", problem.name},
      {"op", problem.opName},
      {"source", llvm::json::Object{{"file", problem.source.file},
                                    {"line", problem.source.line},
                                    {"column", problem.source.column}}},
      {"dims", std::move(dims)},
      {"tensors", std::move(tensors)},
      {"reductionDims", std::move(reduced)},
      {"macs", problem.macs()}};
}

void printJson(const WorkloadSet &set, std::ostream &os) {
  llvm::json::Array problems, diagnostics;
  for (const Problem &problem : set.problems)
    problems.push_back(problemJson(problem));

  for (const Diagnostic &diagnostic : set.diagnostics)
    diagnostics.push_back(diagnostic.format());
  llvm::json::Value document =
      llvm::json::Object{{"file", set.file},
                         {"ops", std::move(problems)},
                         {"notContractions", setAsideJson(set.setAside)},
                         {"totalMacs", set.totalMacs()},
                         {"diagnostics", std::move(diagnostics)}};
  tessel::cli::printJson(os, document);
}

int run(const WorkloadsOptions &options) {
  ImportOptions importOptions;
  importOptions.strict = options.strict;
  WorkloadSet set = importLinalgFile(options.file, importOptions);
  for (const Diagnostic &diagnostic : set.diagnostics)
    std::cerr << diagnostic.format() << "\n";
  if (options.json) {
    printJson(set, std::cout);
  } else if (!set.problems.empty()) {
    if (!options.brief)
      for (const Problem &problem : set.problems)
        printProblem(problem, std::cout);
    printBrief(set, std::cout);
  }
  if (!options.json)
    printSetAside(set, std::cout);
  return set.hasErrors() ? 1 : 0;
}

} // namespace

void addWorkloadsCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<WorkloadsOptions>();
  CLI::App *sub = app.add_subcommand(
      "workloads",
      "List the linalg ops of an MLIR module as loop nests: dimensions, "
      "tensors with their projections and sizes, MAC counts.");
  sub->add_option("FILE", options->file, "MLIR file ('-' for stdin)")
      ->required();
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->add_flag("--brief", options->brief, "One line per op");
  sub->add_flag("--strict", options->strict,
                "Ops that are not tensor contractions (elementwise, pooling, "
                "reductions, softmax, fills, pads, reshapes) are errors "
                "instead of being listed as not mapped");
  sub->footer("Example: tessel workloads workloads/zoo/resnet50.mlir --brief\n"
              "Exit status: 1 if an op could not be read (each error names "
              "file:line:col), or with --strict if an op is not a tensor "
              "contraction.");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
