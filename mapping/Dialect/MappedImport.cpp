//===- mapping/Dialect/MappedImport.cpp -----------------------------------===//
#include "mapping/Dialect/MappedImport.h"

#include "mapping/Dialect/MappingAttr.h"
#include "mapping/Dialect/TesselDialect.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"

namespace tessel {
namespace {

std::unique_ptr<mlir::MLIRContext> mappedContext() {
  mlir::DialectRegistry registry;
  registerWorkloadDialects(registry);
  registry.insert<dialect::TesselDialect>();
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->getOrLoadDialect<dialect::TesselDialect>();
  return context;
}

} // namespace

MappedWorkloads importMappedFile(const std::string &path,
                                 const ImportOptions &options) {
  std::unique_ptr<mlir::MLIRContext> context = mappedContext();
  MappedWorkloads result;
  result.workloads = importLinalgFile(
      path, *context,
      [&](mlir::Operation *op, const Problem &) {
        auto attr = op->getAttrOfType<dialect::MappingAttr>(
            dialect::TesselDialect::kMappingAttrName);
        result.mappings.push_back(attr ? std::optional(specFromAttr(attr))
                                       : std::nullopt);
      },
      nullptr, options);
  result.mappings.resize(result.workloads.problems.size());
  return result;
}

std::optional<MappingSpec> parseMappingAttrText(const std::string &text,
                                                std::string &error) {
  std::unique_ptr<mlir::MLIRContext> context = mappedContext();
  mlir::ScopedDiagnosticHandler handler(context.get(),
                                        [&](mlir::Diagnostic &diagnostic) {
                                          if (error.empty())
                                            error = diagnostic.str();
                                          return mlir::success();
                                        });
  mlir::Attribute attr = mlir::parseAttribute(text, context.get());
  auto mapping = llvm::dyn_cast_or_null<dialect::MappingAttr>(attr);
  if (!mapping) {
    if (error.empty())
      error = "expected a #tessel.mapping<...> attribute";
    return std::nullopt;
  }
  return specFromAttr(mapping);
}

} // namespace tessel
