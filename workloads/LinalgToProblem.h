//===- workloads/LinalgToProblem.h - One linalg op to a Problem -*- C++ -*-===//
//
// The MLIR-level entry of the import, for passes and tools that already hold
// a module. Only MLIR-aware code includes this header.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_WORKLOADS_LINALGTOPROBLEM_H
#define TESSEL_WORKLOADS_LINALGTOPROBLEM_H

#include "workloads/Problem.h"

#include "workloads/LinalgImport.h"

#include <functional>
#include <optional>
#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;
class Operation;
} // namespace mlir

namespace tessel {

/// Adds the dialects that linalg workload modules use (func, linalg, arith,
/// tensor, memref, math).
void registerWorkloadDialects(mlir::DialectRegistry &registry);

/// Whether `op` is a linalg structured op that the import looks at.
bool isLinalgWorkloadOp(mlir::Operation *op);

/// The Problem of a linalg op; on failure emits an error (or, for data
/// movement ops such as linalg.fill, a warning) at the op and returns
/// nothing. Dimension and tensor names come from the op's `tessel.dims` /
/// `tessel.tensors` string-array attributes when present, else from the
/// conventional names of the named op, else d0, d1, ... / in0, in1, out.
std::optional<Problem> problemFromLinalgOp(mlir::Operation *op);

/// Called for each op read, while the module is alive.
using LinalgOpVisitor =
    std::function<void(mlir::Operation *op, const Problem &problem)>;

/// Reads `path` ("-" for stdin) in `context`, which must know the workload
/// dialects and any other dialect the module uses (e.g. tessel), calling
/// `visit` for each op read, then `whenRead` with the module (if it
/// parsed), still alive, e.g. to print it after `visit` changed it.
WorkloadSet importLinalgFile(
    const std::string &path, mlir::MLIRContext &context,
    const LinalgOpVisitor &visit,
    const std::function<void(mlir::Operation *module)> &whenRead = nullptr);

} // namespace tessel

#endif // TESSEL_WORKLOADS_LINALGTOPROBLEM_H
