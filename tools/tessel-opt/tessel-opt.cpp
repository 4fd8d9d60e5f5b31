//===- tools/tessel-opt/tessel-opt.cpp - The MLIR driver ------------------===//
//
// mlir-opt with the tessel dialect, the dialects linalg modules use, and
// Tessel's passes (--tessel-verify-mappings=arch=FILE.yaml, --tessel-map).
// --help starts with Tessel's passes and leaves out the options that LLVM's
// libraries register (--help-hidden lists them); --version is Tessel's
// version.
//
//===----------------------------------------------------------------------===//
#include "Version.h"

#include "arch/ArchLoader.h"
#include "mapper/Mapper.h"
#include "mapping/Dialect/MappingAttr.h"
#include "mapping/Dialect/TesselDialect.h"
#include "support/Interrupt.h"
#include "tools/tessel-opt/MapPass.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace {

std::string joined(const std::vector<std::string> &names) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// The head of --help: what tessel-opt is and Tessel's passes.
std::string overview() {
  return "tessel-opt: the MLIR driver of Tessel (mlir-opt with the tessel "
         "dialect and Tessel's passes)\n\n"
         "Tessel's passes:\n"
         "  --tessel-verify-mappings=arch=FILE.yaml [max-padding=X]\n"
         "      report every linalg op whose #tessel.mapping is not legal on "
         "the accelerator\n"
         "  --tessel-map=\"arch=PRESET|FILE.yaml [mapper=genetic] "
         "[model=reuse] [objective=edp] [budget=20000] [seed=1] "
         "[constraints=C.yaml]\"\n"
         "      search a mapping for every linalg op that has none and attach "
         "it as tessel.mapping; fails (exit 1) when an op cannot be read or "
         "mapped\n"
         "  presets: " +
         joined(tessel::presetNames()) +
         "\n  mappers: " + joined(tessel::mapperNames()) +
         "\n  models:  " + joined(tessel::costModelNames()) +
         "\n\nExample: tessel-opt --tessel-map=\"arch=eyeriss budget=2000\" "
         "net.mlir -o mapped.mlir\n"
         "LLVM's library options are not listed "
         "(--help-hidden lists every option).\n";
}

/// Every option registered before MlirOptMain comes from the static
/// initializers of LLVM's libraries (LLVMSupport, LLVMCore: --rng-seed,
/// --stats, ...): hidden from --help. MLIR's driver options and the pass
/// list are registered later and stay.
void hideLibraryOptions() {
  for (auto &entry : llvm::cl::getRegisteredOptions()) {
    llvm::cl::Option *option = entry.second;
    bool generic = false;
    for (llvm::cl::OptionCategory *category : option->Categories)
      generic |= category->getName() == "Generic Options";
    if (!generic && option->getOptionHiddenFlag() == llvm::cl::NotHidden)
      option->setHiddenFlag(llvm::cl::Hidden);
  }
}

} // namespace

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  tessel::registerWorkloadDialects(registry);
  registry.insert<tessel::dialect::TesselDialect>();
  tessel::registerMappingPasses();
  tessel::registerMapPass();
  hideLibraryOptions();
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "tessel-opt (" << TESSEL_VERSION_STRING << "), on MLIR/LLVM "
       << LLVM_VERSION_STRING << "\n";
  });
  std::string help = overview();
  int status = mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, help, registry));
  // --tessel-map stops on SIGINT/SIGTERM and prints what it mapped.
  return tessel::interrupted() ? tessel::kInterruptedExitCode : status;
}
