//===- mapper/Dialect/MappingAttr.cpp - Conversions and passes ------------===//
#include "mapper/Dialect/MappingAttr.h"

#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "mapper/Mapping.h"
#include "mapper/search/Mapper.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace tessel {

MappingSpec specFromAttr(dialect::MappingAttr attr) {
  MappingSpec spec;
  for (dialect::LevelAttr level : attr.getLevels()) {
    LevelSpec levelSpec;
    levelSpec.level = level.getName().str();
    for (dialect::LoopAttr loop : level.getTemporal())
      levelSpec.temporal.push_back({loop.getDim().str(), loop.getFactor()});
    for (dialect::LoopAttr loop : level.getSpatial())
      levelSpec.spatial.push_back(
          {loop.getDim().str(), loop.getFactor(),
           loop.getAxis() == 2 ? SpatialAxis::Y : SpatialAxis::X});
    for (StringAttr tensor : level.getKeep())
      levelSpec.keep.push_back(tensor.str());
    spec.levels.push_back(std::move(levelSpec));
  }
  return spec;
}

dialect::MappingAttr attrFromSpec(MLIRContext *context,
                                  const MappingSpec &spec) {
  context->getOrLoadDialect<dialect::TesselDialect>();
  auto name = [&](const std::string &text) {
    return StringAttr::get(context, text);
  };
  SmallVector<dialect::LevelAttr> levels;
  for (const LevelSpec &levelSpec : spec.levels) {
    SmallVector<dialect::LoopAttr> temporal, spatial;
    SmallVector<StringAttr> keep;
    for (const LoopSpec &loop : levelSpec.temporal)
      temporal.push_back(
          dialect::LoopAttr::get(context, name(loop.dim), loop.factor, 0));
    for (const SpatialLoopSpec &loop : levelSpec.spatial)
      spatial.push_back(
          dialect::LoopAttr::get(context, name(loop.dim), loop.factor,
                                 loop.axis == SpatialAxis::X ? 1 : 2));
    for (const std::string &tensor : levelSpec.keep)
      keep.push_back(name(tensor));
    levels.push_back(dialect::LevelAttr::get(context, name(levelSpec.level),
                                             temporal, spatial, keep));
  }
  return dialect::MappingAttr::get(context, levels);
}

namespace {

struct VerifyMappingsPass
    : public PassWrapper<VerifyMappingsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(VerifyMappingsPass)

  VerifyMappingsPass() = default;
  VerifyMappingsPass(const VerifyMappingsPass &other) : PassWrapper(other) {}

  StringRef getArgument() const override { return "tessel-verify-mappings"; }
  StringRef getDescription() const override {
    return "Report every linalg op whose #tessel.mapping is not legal for "
           "its loop nest on the given accelerator";
  }

  Option<std::string> archPath{*this, "arch",
                               llvm::cl::desc("Accelerator YAML file")};
  Option<double> maxPadding{
      *this, "max-padding",
      llvm::cl::desc("Allowed overshoot of a bound by its factors, as a "
                     "fraction (default 0: exact)"),
      llvm::cl::init(0.0)};

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (archPath.empty()) {
      module.emitError("--tessel-verify-mappings needs the accelerator: "
                       "--tessel-verify-mappings=arch=FILE.yaml");
      return signalPassFailure();
    }
    Arch arch;
    try {
      arch = loadArch(archPath);
    } catch (const ArchError &error) {
      module.emitError() << error.what();
      return signalPassFailure();
    }
    bool failed = false;
    module.walk([&](Operation *op) {
      auto attr = op->getAttrOfType<dialect::MappingAttr>(
          dialect::TesselDialect::kMappingAttrName);
      if (!attr)
        return;
      std::optional<Problem> problem = problemFromLinalgOp(op);
      if (!problem) {
        failed = true;
        return;
      }
      VerifyOptions options;
      options.maxPadding = maxPadding;
      for (const MappingError &error :
           verifyMapping(*problem, arch, specFromAttr(attr), options)) {
        op->emitError() << "invalid mapping: " << error.message;
        failed = true;
      }
    });
    if (failed)
      signalPassFailure();
  }
};

/// `--tessel-map=arch=FILE.yaml [mapper=...] ...`: maps every linalg op
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

  Option<std::string> archPath{*this, "arch",
                               llvm::cl::desc("Accelerator YAML file")};
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
  Option<uint64_t> budget{*this, "budget", llvm::cl::desc("Evaluations per op"),
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
    MapRequest request;
    request.mapper = mapper;
    request.model = model;
    request.options.maxEvaluations = budget;
    request.options.seed = seed;
    Arch arch;
    try {
      arch = loadArch(archPath);
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
    bool failed = false;
    module.walk([&](Operation *op) {
      if (!isLinalgWorkloadOp(op) ||
          op->hasAttr(dialect::TesselDialect::kMappingAttrName))
        return;
      std::optional<Problem> problem = problemFromLinalgOp(op);
      if (!problem)
        return;
      try {
        SearchResult result = mapProblem(*problem, arch, request);
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
      } catch (const std::exception &error) {
        op->emitError() << "cannot map: " << error.what();
        failed = true;
      }
    });
    if (failed)
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> createVerifyMappingsPass() {
  return std::make_unique<VerifyMappingsPass>();
}

void registerTesselPasses() {
  PassRegistration<VerifyMappingsPass>();
  PassRegistration<MapPass>();
}

} // namespace tessel
