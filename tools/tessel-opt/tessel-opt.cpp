//===- tools/tessel-opt/tessel-opt.cpp - The MLIR driver ------------------===//
//
// mlir-opt with the tessel dialect, the dialects linalg modules use, and
// Tessel's passes (--tessel-verify-mappings=arch=FILE.yaml, --tessel-map).
//
//===----------------------------------------------------------------------===//
#include "mapping/Dialect/MappingAttr.h"
#include "mapping/Dialect/TesselDialect.h"
#include "support/Interrupt.h"
#include "tools/tessel-opt/MapPass.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  tessel::registerWorkloadDialects(registry);
  registry.insert<tessel::dialect::TesselDialect>();
  tessel::registerMappingPasses();
  tessel::registerMapPass();
  int status = mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "tessel-opt: the MLIR driver of Tessel\n", registry));
  // --tessel-map stops on SIGINT/SIGTERM and prints what it mapped.
  return tessel::interrupted() ? tessel::kInterruptedExitCode : status;
}
