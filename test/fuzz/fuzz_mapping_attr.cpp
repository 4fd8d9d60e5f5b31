//===- test/fuzz/fuzz_mapping_attr.cpp - libFuzzer: #tessel.mapping -------===//
//
// mlir::parseAttribute with the tessel dialect loaded, on inputs that start
// with `#tessel` (other inputs would fuzz MLIR's builtin attribute parser,
// not ours). A #tessel.mapping that parses must convert to a MappingSpec and
// back to the same attribute, print and reparse to itself, and go through
// resolve/verify/evaluate on the fixed problems (test/fuzz/FuzzCommon.h).
//
//===----------------------------------------------------------------------===//
#include "mapping/Dialect/MappingAttr.h"
#include "test/fuzz/FuzzCommon.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

using namespace tessel;

namespace {

/// A context interns every attribute and string it sees, forever: start a
/// fresh one now and then so that memory stays flat over millions of runs.
mlir::MLIRContext &context() {
  static std::unique_ptr<mlir::MLIRContext> current;
  static unsigned uses = 0;
  if (!current || ++uses % 20000 == 0) {
    current = std::make_unique<mlir::MLIRContext>(
        mlir::MLIRContext::Threading::DISABLED);
    current->loadDialect<dialect::TesselDialect>();
    // Parse errors are expected; keep them off stderr.
    current->getDiagEngine().registerHandler(
        [](mlir::Diagnostic &) { return mlir::success(); });
  }
  return *current;
}

std::string printed(mlir::Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  attr.print(os);
  return os.str();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::problems();
  fuzz::arches();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  if (text.rfind("#tessel", 0) != 0)
    return 0;
  mlir::MLIRContext &ctx = context();
  size_t consumed = 0;
  mlir::Attribute attr = mlir::parseAttribute(text, &ctx, mlir::Type(),
                                              &consumed);
  if (!attr)
    return 0;
  auto mapping = mlir::dyn_cast<dialect::MappingAttr>(attr);
  if (!mapping)
    return 0;
  MappingSpec spec = specFromAttr(mapping);
  if (attrFromSpec(&ctx, spec) != attr)
    fuzz::fail("attrFromSpec(specFromAttr(a)) != a for " + printed(attr));
  std::string text1 = printed(attr);
  mlir::Attribute reparsed = mlir::parseAttribute(text1, &ctx);
  if (reparsed != attr)
    fuzz::fail("printed attribute does not reparse to itself: " + text1);
  fuzz::checkMapping(spec, "");
  return 0;
}
