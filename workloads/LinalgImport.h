//===- workloads/LinalgImport.h - Problems from MLIR files ------*- C++ -*-===//
//
// Reads an MLIR module and turns every tensor contraction in it (a linalg op
// whose body multiplies two inputs into an accumulated output, zero points
// of quantized ops allowed) into a Problem, from the op's indexing maps and
// static loop ranges (never from its name). Ops that do no
// multiply-accumulate (elementwise, pooling, reductions, softmax, fills,
// transposes, pads, reshapes) are set aside and listed; with `strict` they
// are errors. A contraction that cannot be a Problem (dynamic shapes,
// indexing that is not a linear combination of loop indices) yields an error
// at its location; the other ops are still read. Modules with TOSA ops are
// lowered to linalg in-process first (upstream's tosa-to-linalg pipelines).
//
// This header is MLIR-free; see LinalgToProblem.h for the MLIR-level entry.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_WORKLOADS_LINALGIMPORT_H
#define TESSEL_WORKLOADS_LINALGIMPORT_H

#include "workloads/Problem.h"

#include <string>
#include <vector>

namespace tessel {

/// An op that is read but not mapped: it performs no multiply-accumulate.
struct SetAsideOp {
  std::string name;      ///< As Problem names are chosen (docs/workloads.md).
  std::string opName;    ///< e.g. "linalg.generic", "tensor.pad".
  std::string kind;      ///< "elementwise", "pooling", "reduction", "fill", ...
  uint64_t elements = 0; ///< Of its result.
  uint64_t bytes = 0;    ///< Its operands' and results' bytes: what it moves.
  SourceRef source;
};

struct ImportOptions {
  /// Ops that are not tensor contractions are errors, not set aside.
  bool strict = false;
};

/// A located message, printed as `file:line:col: error: message`.
struct Diagnostic {
  enum class Severity { Error, Warning, Note };
  Severity severity = Severity::Error;
  SourceRef where;
  std::string message;

  std::string format() const;
};

/// The ops of one module read as Problems, and what could not be read.
struct WorkloadSet {
  std::string file;
  std::vector<Problem> problems;
  std::vector<SetAsideOp> setAside; ///< In module order.
  std::vector<Diagnostic> diagnostics;

  bool hasErrors() const;
  uint64_t totalMacs() const;
};

/// Reads the MLIR file at `path` ("-" for standard input).
WorkloadSet importLinalgFile(const std::string &path,
                             const ImportOptions &options = {});
/// Reads MLIR source text; `bufferName` names it in messages.
WorkloadSet importLinalgSource(const std::string &source,
                               const std::string &bufferName,
                               const ImportOptions &options = {});

} // namespace tessel

#endif // TESSEL_WORKLOADS_LINALGIMPORT_H
