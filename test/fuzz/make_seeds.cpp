//===- test/fuzz/make_seeds.cpp - Seed mappings for the fuzz corpora ------===//
//
// `tessel_fuzz_seeds OUTDIR`: for every fixed problem x arch of
// FuzzCommon.h, a few seeded random legal mappings, written as mapping YAML
// (OUTDIR/yaml/) and as #tessel.mapping text (OUTDIR/attr/).
//
//===----------------------------------------------------------------------===//
#include "mapping/Dialect/MappingAttr.h"
#include "mapping/MappingYaml.h"
#include "mapping/RandomMapping.h"
#include "test/fuzz/FuzzCommon.h"

#include "mlir/IR/MLIRContext.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

using namespace tessel;

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: tessel_fuzz_seeds OUTDIR\n";
    return 2;
  }
  std::filesystem::path out = argv[1];
  std::filesystem::create_directories(out / "yaml");
  std::filesystem::create_directories(out / "attr");
  mlir::MLIRContext context;
  context.loadDialect<dialect::TesselDialect>();
  std::mt19937_64 rng(16);
  unsigned written = 0;
  for (const Problem &problem : fuzz::problems())
    for (const fuzz::NamedArch &named : fuzz::arches())
      for (int i = 0; i < 2; ++i) {
        std::optional<Mapping> mapping =
            randomLegalMapping(problem, named.arch, rng);
        if (!mapping)
          continue;
        MappingSpec spec = describeMapping(*mapping, problem, named.arch);
        std::string stem = problem.name + "-" + named.arch.name + "-" +
                           std::to_string(i);
        std::ofstream(out / "yaml" / (stem + ".yaml"))
            << mappingsToYaml({{i ? problem.name : "", spec}});
        std::string text;
        llvm::raw_string_ostream os(text);
        mlir::Attribute(attrFromSpec(&context, spec)).print(os);
        std::ofstream(out / "attr" / (stem + ".txt")) << os.str();
        ++written;
      }
  std::cout << written << " seeds in " << out.string() << "\n";
  return 0;
}
