//===- workloads/LinalgImport.h - Problems from MLIR files ------*- C++ -*-===//
//
// Reads an MLIR module and turns every linalg op in it into a Problem, from
// the op's indexing maps and static loop ranges (never from its name). An op
// that cannot be a Problem (dynamic shapes, a body that is not a
// multiply-accumulate, indexing that is not a linear combination of loop
// indices) yields an error at its location; the other ops are still read.
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
  std::vector<Diagnostic> diagnostics;

  bool hasErrors() const;
  uint64_t totalMacs() const;
};

/// Reads the MLIR file at `path` ("-" for standard input).
WorkloadSet importLinalgFile(const std::string &path);
/// Reads MLIR source text; `bufferName` names it in messages.
WorkloadSet importLinalgSource(const std::string &source,
                               const std::string &bufferName);

} // namespace tessel

#endif // TESSEL_WORKLOADS_LINALGIMPORT_H
