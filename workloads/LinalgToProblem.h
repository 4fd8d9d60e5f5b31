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

/// Adds every upstream dialect and extension (so that any module upstream
/// mlir-opt parses, Tessel parses: ml_program, scf, tosa, bufferization, ...).
void registerWorkloadDialects(mlir::DialectRegistry &registry);

/// Whether `op` is a linalg structured op whose body is a multiply-
/// accumulate of two inputs (quantized ops' zero points allowed): a tensor
/// contraction, which problemFromLinalgOp reads.
bool isLinalgWorkloadOp(mlir::Operation *op);

/// For an op the import lists but does not map (no multiply-accumulate):
/// its kind ("elementwise", "pooling", "reduction", "softmax", "fill",
/// "copy", "transpose", "broadcast", "pad", "reshape", "concat", "slice").
/// Nothing for contractions and for ops that are not tensor computations.
std::optional<std::string> setAsideKind(mlir::Operation *op);
/// The listing of an op with a setAsideKind: named by its `loc("name")`,
/// else "func.kind.i"; its result's elements and the bytes of its operands
/// and results (static shapes; dynamic ones count 0).
std::optional<SetAsideOp> setAsideOp(mlir::Operation *op);

/// Lowers the module's TOSA ops to linalg in place with upstream's
/// pipelines (tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith,
/// tosa-to-tensor); returns how many TOSA ops there were (0: untouched), or
/// nothing if the lowering failed (its errors were emitted).
std::optional<unsigned> lowerTosaToLinalg(mlir::Operation *module);

/// The Problem of a contraction (isLinalgWorkloadOp); on failure emits an
/// error at the op and returns nothing. Its name is the op's `loc("name")`
/// when it has one, else the function's name, followed by ".i" (its index
/// among the function's contractions) when the function has several: set
/// aside ops never count, so generalizing named ops keeps every name.
/// Dimension and tensor names come from the op's `tessel.dims` /
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
    const std::function<void(mlir::Operation *module)> &whenRead = nullptr,
    const ImportOptions &options = {});

} // namespace tessel

#endif // TESSEL_WORKLOADS_LINALGTOPROBLEM_H
