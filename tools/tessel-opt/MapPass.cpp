//===- tools/tessel-opt/MapPass.cpp - --tessel-map ------------------------===//
//
// The pass that searches a mapping for every unmapped linalg op. It lives
// with the MLIR driver because it sits above the search (mapper/), while the
// dialect and its verification pass sit below the models (mapping/).
//
//===----------------------------------------------------------------------===//
#include "tools/tessel-opt/MapPass.h"

#include "arch/ArchLoader.h"
#include "mapper/Mapper.h"
#include "mapping/Dialect/MappingAttr.h"
#include "support/Interrupt.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

#include <algorithm>
#include <tuple>

using namespace mlir;

namespace tessel {
namespace {

/// `--tessel-map=arch=PRESET|FILE.yaml [mapper=...] ...`: maps every linalg op
/// without a mapping and attaches the best one found.
struct MapPass : public PassWrapper<MapPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(MapPass)

  MapPass() = default;
  MapPass(const MapPass &other) : PassWrapper(other) {}

  StringRef getArgument() const override { return "tessel-map"; }
  StringRef getDescription() const override {
    return "Search a mapping for every linalg op that has none and attach "
           "it as tessel.mapping";
  }

  Option<std::string> archPath{
      *this, "arch",
      llvm::cl::desc("Accelerator: a preset (arch/presets/NAME.yaml) or a "
                     "YAML file")};
  Option<std::string> mapper{*this, "mapper",
                             llvm::cl::desc("Search algorithm"),
                             llvm::cl::init("genetic")};
  Option<std::string> model{*this, "model", llvm::cl::desc("Cost model"),
                            llvm::cl::init("reuse")};
  Option<std::string> objective{
      *this, "objective", llvm::cl::desc("cycles, energy, edp or weighted:W"),
      llvm::cl::init("edp")};
  Option<std::string> constraints{*this, "constraints",
                                  llvm::cl::desc("Constraints YAML file")};
  Option<uint64_t> budget{
      *this, "budget",
      llvm::cl::desc("Evaluations per op (a whole number >= 0; 0 = unlimited)"),
      llvm::cl::init(20000)};
  Option<uint64_t> seed{*this, "seed", llvm::cl::desc("Random seed"),
                        llvm::cl::init(1)};

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (archPath.empty()) {
      module.emitError("--tessel-map needs the accelerator: "
                       "--tessel-map=arch=FILE.yaml");
      return signalPassFailure();
    }
    // An unknown mapper or model stops the pass before any op is touched.
    for (const auto &[kind, name, names] :
         {std::make_tuple("mapper", mapper.getValue(), mapperNames()),
          std::make_tuple("model", model.getValue(), costModelNames())})
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        std::string known;
        for (const std::string &n : names)
          known += (known.empty() ? "" : ", ") + n;
        module.emitError() << "--tessel-map: unknown " << kind << " '" << name
                           << "'; expected one of: " << known;
        return signalPassFailure();
      }
    MapRequest request;
    request.mapper = mapper;
    request.model = model;
    request.options.maxEvaluations = budget;
    request.options.seed = seed;
    Arch arch;
    try {
      arch = loadArchByNameOrPath(archPath);
      if (!constraints.empty())
        request.constraints = loadConstraints(constraints);
    } catch (const std::exception &error) {
      module.emitError() << error.what();
      return signalPassFailure();
    }
    auto parsed = Objective::parse(objective);
    if (!parsed) {
      module.emitError() << "unknown objective '" << objective
                         << "'; expected cycles, energy, edp or weighted:W";
      return signalPassFailure();
    }
    request.options.objective = *parsed;
    // SIGINT/SIGTERM stop the search (installed here, after LLVM's own
    // handlers): the ops mapped so far keep their mappings, the others are
    // left unmapped, and tessel-opt prints the module and exits 130.
    installInterruptHandlers();
    request.options.stopRequested = [] { return interrupted(); };
    bool failed = false;
    size_t ops = 0, mapped = 0;
    module.walk([&](Operation *op) {
      if (!isLinalgWorkloadOp(op) ||
          op->hasAttr(dialect::TesselDialect::kMappingAttrName))
        return;
      std::optional<Problem> problem = problemFromLinalgOp(op);
      if (!problem) {
        // The error is emitted at the op; `tessel map` exits 1 for it too.
        failed = true;
        return;
      }
      ++ops;
      if (interrupted())
        return;
      try {
        SearchResult result = mapProblem(*problem, arch, request);
        if (!result.best && interrupted())
          return;
        if (!result.best) {
          op->emitError() << "no valid mapping found in " << result.evaluations
                          << " evaluations";
          failed = true;
          return;
        }
        op->setAttr(
            dialect::TesselDialect::kMappingAttrName,
            attrFromSpec(op->getContext(),
                         describeMapping(*result.best, *problem, arch)));
        ++mapped;
      } catch (const std::exception &error) {
        op->emitError() << "cannot map: " << error.what();
        failed = true;
      }
    });
    if (interrupted())
      llvm::errs() << "tessel-opt: interrupted by " << interruptSignalName()
                   << "; " << mapped << " of " << ops
                   << " ops mapped (the op being searched keeps its best "
                      "mapping so far), the module so far is printed\n";
    if (failed)
      signalPassFailure();
  }
};

} // namespace

void registerMapPass() { PassRegistration<MapPass>(); }

} // namespace tessel
