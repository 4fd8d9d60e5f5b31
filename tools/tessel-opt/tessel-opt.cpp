//===- tools/tessel-opt/tessel-opt.cpp - The MLIR driver ------------------===//
//
// mlir-opt with the tessel dialect, the dialects linalg modules use, and
// Tessel's passes (--tessel-verify-mappings=arch=FILE.yaml).
//
//===----------------------------------------------------------------------===//
#include "mapper/Dialect/MappingAttr.h"
#include "mapper/Dialect/TesselDialect.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  tessel::registerWorkloadDialects(registry);
  registry.insert<tessel::dialect::TesselDialect>();
  tessel::registerTesselPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "tessel-opt: the MLIR driver of Tessel\n", registry));
}
