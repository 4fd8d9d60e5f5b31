//===- workloads/LinalgImport.cpp - Problems from MLIR files --------------===//
#include "workloads/LinalgImport.h"
#include "support/Checked.h"
#include "support/Text.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

namespace tessel {
namespace {

Diagnostic::Severity severityOf(mlir::DiagnosticSeverity severity) {
  switch (severity) {
  case mlir::DiagnosticSeverity::Error:
    return Diagnostic::Severity::Error;
  case mlir::DiagnosticSeverity::Warning:
    return Diagnostic::Severity::Warning;
  default:
    return Diagnostic::Severity::Note;
  }
}

SourceRef locate(mlir::Location loc) {
  SourceRef ref;
  loc->walk([&](mlir::Location nested) {
    if (auto file = mlir::dyn_cast<mlir::FileLineColLoc>(nested)) {
      ref.file = file.getFilename().str();
      ref.line = file.getLine();
      ref.column = file.getColumn();
      return mlir::WalkResult::interrupt();
    }
    return mlir::WalkResult::advance();
  });
  return ref;
}

WorkloadSet importBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                         const std::string &name, mlir::MLIRContext &context,
                         const LinalgOpVisitor &visit,
                         const std::function<void(mlir::Operation *)> &whenRead,
                         const ImportOptions &options) {
  WorkloadSet set;
  set.file = name;
  llvm::StringRef text = buffer->getBuffer();
  size_t nul = text.find('\0');
  if (nul != llvm::StringRef::npos) {
    TextPosition position = positionOf({text.data(), text.size()}, nul);
    Diagnostic entry;
    entry.where = {name, position.line, position.column};
    entry.message = "NUL byte in the text; MLIR files are plain text";
    set.diagnostics.push_back(std::move(entry));
    return set;
  }
  context.printOpOnDiagnostic(false);
  context.printStackTraceOnDiagnostic(false);
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    Diagnostic entry;
    entry.severity = severityOf(diag.getSeverity());
    entry.where = locate(diag.getLocation());
    if (entry.where.file.empty())
      entry.where.file = name;
    entry.message = diag.str();
    set.diagnostics.push_back(std::move(entry));
    for (const mlir::Diagnostic &note : diag.getNotes())
      set.diagnostics.push_back(
          {Diagnostic::Severity::Note, locate(note.getLocation()), note.str()});
    return mlir::success();
  });
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module) {
    if (!set.hasErrors())
      set.diagnostics.push_back({Diagnostic::Severity::Error,
                                 {name, 0, 0},
                                 "could not parse the file as an MLIR module"});
    return set;
  }
  std::optional<unsigned> lowered = lowerTosaToLinalg(module->getOperation());
  if (!lowered)
    return set; // The lowering's errors are in the diagnostics.
  if (*lowered > 0)
    set.diagnostics.push_back(
        {Diagnostic::Severity::Note,
         {name, 0, 0},
         "lowered " + std::to_string(*lowered) +
             " TOSA ops to linalg in-process (tosa-to-linalg-named, "
             "tosa-to-linalg, tosa-to-arith, tosa-to-tensor)"});
  module->walk([&](mlir::Operation *op) {
    if (!isLinalgWorkloadOp(op)) {
      std::optional<SetAsideOp> aside = setAsideOp(op);
      if (!aside)
        return;
      if (options.strict)
        op->emitError() << "'" << aside->opName << "' (" << aside->kind
                        << ") is not a tensor contraction; --strict makes "
                           "such ops errors";
      else
        set.setAside.push_back(std::move(*aside));
      return;
    }
    std::optional<Problem> problem = problemFromLinalgOp(op);
    if (!problem)
      return;
    if (visit)
      visit(op, *problem);
    set.problems.push_back(std::move(*problem));
  });
  if (set.problems.empty() && !set.hasErrors())
    set.diagnostics.push_back(
        {Diagnostic::Severity::Warning,
         {name, 0, 0},
         set.setAside.empty()
             ? "no linalg multiply-accumulate ops found (expected "
               "linalg.matmul, linalg.conv_*, linalg.generic, ...)"
             : "no tensor contractions found; " +
                   std::to_string(set.setAside.size()) +
                   " ops that do no multiply-accumulate were set aside"});
  if (whenRead)
    whenRead(module->getOperation());
  return set;
}

WorkloadSet unreadable(const std::string &path, const std::string &why) {
  WorkloadSet set;
  set.file = path;
  set.diagnostics.push_back({Diagnostic::Severity::Error,
                             {path, 0, 0},
                             "cannot read the file: " + why});
  return set;
}

std::unique_ptr<mlir::MLIRContext> workloadContext() {
  mlir::DialectRegistry registry;
  registerWorkloadDialects(registry);
  return std::make_unique<mlir::MLIRContext>(registry);
}

} // namespace

std::string Diagnostic::format() const {
  std::string text = where.file.empty() ? "<unknown>" : where.file;
  if (where.line != 0)
    text +=
        ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
  switch (severity) {
  case Severity::Error:
    text += ": error: ";
    break;
  case Severity::Warning:
    text += ": warning: ";
    break;
  case Severity::Note:
    text += ": note: ";
    break;
  }
  return text + message;
}

bool WorkloadSet::hasErrors() const {
  for (const Diagnostic &diagnostic : diagnostics)
    if (diagnostic.severity == Diagnostic::Severity::Error)
      return true;
  return false;
}

uint64_t WorkloadSet::totalMacs() const {
  uint64_t total = 0;
  for (const Problem &problem : problems)
    total = saturatingAdd(total, problem.macs());
  return total;
}

WorkloadSet
importLinalgFile(const std::string &path, mlir::MLIRContext &context,
                 const LinalgOpVisitor &visit,
                 const std::function<void(mlir::Operation *)> &whenRead,
                 const ImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer)
    return unreadable(path, buffer.getError().message());
  return importBuffer(std::move(*buffer), path, context, visit, whenRead,
                      options);
}

WorkloadSet importLinalgFile(const std::string &path,
                             const ImportOptions &options) {
  auto context = workloadContext();
  return importLinalgFile(path, *context, nullptr, nullptr, options);
}

WorkloadSet importLinalgSource(const std::string &source,
                               const std::string &bufferName,
                               const ImportOptions &options) {
  auto context = workloadContext();
  return importBuffer(llvm::MemoryBuffer::getMemBufferCopy(source, bufferName),
                      bufferName, *context, nullptr, nullptr, options);
}

} // namespace tessel
