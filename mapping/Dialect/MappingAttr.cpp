//===- mapping/Dialect/MappingAttr.cpp - Conversions and passes
//------------===//
#include "mapping/Dialect/MappingAttr.h"

#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "mapping/Mapping.h"
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

  Option<std::string> archPath{
      *this, "arch",
      llvm::cl::desc("Accelerator: a preset name (eyeriss, tpu16, ...) "
                     "or a YAML file")};
  Option<double> maxPadding{
      *this, "max-padding",
      llvm::cl::desc("Allowed overshoot of a bound by its factors, as a "
                     "fraction (default 0: exact)"),
      llvm::cl::init(0.0)};

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (archPath.empty()) {
      module.emitError("--tessel-verify-mappings needs the accelerator: "
                       "--tessel-verify-mappings=arch=PRESET|FILE.yaml");
      return signalPassFailure();
    }
    Arch arch;
    try {
      arch = loadArchByNameOrPath(archPath);
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

} // namespace

std::unique_ptr<Pass> createVerifyMappingsPass() {
  return std::make_unique<VerifyMappingsPass>();
}

void registerMappingPasses() { PassRegistration<VerifyMappingsPass>(); }

} // namespace tessel
