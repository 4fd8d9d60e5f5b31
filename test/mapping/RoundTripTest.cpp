//===- test/mapping/RoundTripTest.cpp - YAML <-> attribute <-> C++ ---------===//
//
// Seeded random legal mappings go through every form and come back equal.
//
//===----------------------------------------------------------------------===//
#include "mapping/RandomMapping.h"
#include "test/mapping/TestArch.h"

#include "mapping/Dialect/MappingAttr.h"
#include "mapping/MappingYaml.h"
#include "workloads/LinalgImport.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

namespace tessel {
namespace {

std::string printAttr(mlir::Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  attr.print(os);
  return os.str();
}

/// A GEMM, a strided conv and a 4-D contraction, from MLIR.
std::vector<Problem> problems() {
  const char *source = R"(
func.func @gemm(%a: tensor<12x18xf32>, %b: tensor<18x8xf32>, %c: tensor<12x8xf32>) -> tensor<12x8xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<12x18xf32>, tensor<18x8xf32>) outs(%c : tensor<12x8xf32>) -> tensor<12x8xf32>
  return %r : tensor<12x8xf32>
}
func.func @conv(%i: tensor<1x13x13x6xf32>, %w: tensor<3x3x6x8xf32>, %o: tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%i, %w : tensor<1x13x13x6xf32>, tensor<3x3x6x8xf32>) outs(%o : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  return %r : tensor<1x6x6x8xf32>
}
#v = affine_map<(a, b, i, j, c) -> (a, c, i)>
#t = affine_map<(a, b, i, j, c) -> (c, b, j)>
#r = affine_map<(a, b, i, j, c) -> (a, b, i, j)>
func.func @contract(%v: tensor<4x6x3xf32>, %t: tensor<6x4x2xf32>, %r: tensor<4x4x3x2xf32>) -> tensor<4x4x3x2xf32> {
  %0 = linalg.generic {indexing_maps = [#v, #t, #r],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%v, %t : tensor<4x6x3xf32>, tensor<6x4x2xf32>) outs(%r : tensor<4x4x3x2xf32>)
      attrs = {tessel.dims = ["a", "b", "i", "j", "c"], tessel.tensors = ["V", "T", "R"]} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x4x3x2xf32>
  return %0 : tensor<4x4x3x2xf32>
}
)";
  WorkloadSet set = importLinalgSource(source, "roundtrip.mlir");
  EXPECT_FALSE(set.hasErrors());
  return set.problems;
}

TEST(MappingRoundTrip, RandomLegalMappingsThroughEveryForm) {
  mlir::MLIRContext context;
  context.loadDialect<dialect::TesselDialect>();
  Arch arch = testing::threeLevelArch(4, 3, StorageLevel::kUnbounded,
                                      StorageLevel::kUnbounded);
  std::mt19937_64 rng(20261126);
  unsigned checked = 0;
  for (const Problem &problem : problems()) {
    for (int trial = 0; trial < 100; ++trial) {
      Mapping mapping = randomMapping(problem, arch, rng);
      ASSERT_TRUE(verifyMapping(problem, arch, mapping).empty());
      MappingSpec spec = describeMapping(mapping, problem, arch);

      // C++ -> names -> C++.
      Mapping back;
      std::vector<MappingError> errors;
      ASSERT_TRUE(resolveMapping(spec, problem, arch, back, errors));
      EXPECT_EQ(describeMapping(back, problem, arch), spec);

      // names -> YAML text -> names.
      std::string yaml = mappingsToYaml({{problem.name, spec}});
      std::vector<NamedMapping> parsed = parseMappingYaml(yaml, "rt.yaml");
      ASSERT_EQ(parsed.size(), 1u);
      EXPECT_EQ(parsed[0].op, problem.name);
      EXPECT_EQ(parsed[0].mapping, spec) << yaml;

      // names -> attribute -> text -> attribute -> names.
      dialect::MappingAttr attr = attrFromSpec(&context, spec);
      std::string text = printAttr(attr);
      mlir::Attribute reparsed = mlir::parseAttribute(text, &context);
      ASSERT_TRUE(reparsed) << text;
      EXPECT_EQ(reparsed, attr) << text;
      EXPECT_EQ(printAttr(reparsed), text);
      EXPECT_EQ(specFromAttr(mlir::cast<dialect::MappingAttr>(reparsed)), spec);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 300u);
}

TEST(MappingYaml, FactorizationRoundTrips) {
  std::string text = "mappings:\n  - op: gemm\n    factorization: residual\n"
                     "    levels:\n      - level: DRAM\n"
                     "        temporal: [k=4]\n        keep: [A]\n";
  std::vector<NamedMapping> read = parseMappingYaml(text, "m.yaml");
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].mapping.factorization, Factorization::Residual);
  EXPECT_EQ(mappingsToYaml(read), text);
  // Without the key, a mapping is exact, and none is written.
  read[0].mapping.factorization = Factorization::Exact;
  EXPECT_EQ(mappingsToYaml(read).find("factorization"), std::string::npos);
  try {
    parseMappingYaml("mappings:\n  - factorization: clipped\n"
                     "    levels:\n      - level: DRAM\n        keep: [A]\n",
                     "m.yaml");
    ADD_FAILURE() << "no error for an unknown factorization";
  } catch (const MappingYamlError &error) {
    EXPECT_EQ(std::string(error.what()),
              "m.yaml:2:20: error: unknown factorization 'clipped'; expected "
              "exact, residual (the last iteration of each loop clipped to "
              "the bound) or padded (padded iterations executed)");
  }
}

TEST(MappingYaml, ErrorsAreLocated) {
  auto expectError = [](const std::string &text, const std::string &what) {
    try {
      parseMappingYaml(text, "m.yaml");
      ADD_FAILURE() << "no error for:\n" << text;
    } catch (const MappingYamlError &error) {
      EXPECT_EQ(std::string(error.what()), what);
    }
  };
  expectError("mappings:\n  - levels:\n      - level: DRAM\n"
              "        temporal: [k=four]\n        keep: [A]\n",
              "m.yaml:4:20: error: level 'DRAM' temporal: factor 'four' is "
              "not a positive integer");
  expectError("mappings:\n  - levels:\n      - level: DRAM\n"
              "        tempral: [k=4]\n        keep: [A]\n",
              "m.yaml:4:9: error: a level: unknown field 'tempral'; expected "
              "one of: keep, level, spatial, temporal");
  expectError("mappings:\n  - levels:\n      - level: PE\n"
              "        spatial: [k=4@Z]\n        keep: [A]\n",
              "m.yaml:4:19: error: level 'PE' spatial: spatial axis 'Z' must "
              "be X or Y");
  expectError("mappings:\n  - levels:\n      - level: PE\n"
              "        temporal: [k=4]\n",
              "m.yaml:3:9: error: level 'PE' needs 'keep: [...]' listing the "
              "tensors it stores ([] bypasses all)");
  expectError("mappings: [\n", "m.yaml:2:1: error: malformed YAML: end of "
                               "sequence flow not found");
}

} // namespace
} // namespace tessel
