//===- test/fuzz/FuzzCommon.cpp - Fixed problems and arches for harnesses -===//
#include "test/fuzz/FuzzCommon.h"

#include "arch/ArchLoader.h"
#include "model/CostModel.h"
#include "workloads/LinalgImport.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace tessel::fuzz {
namespace {

const char *kProblems = R"(
func.func @gemm(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}
func.func @conv(%i: tensor<1x13x13x6xf32>, %w: tensor<3x3x6x8xf32>, %o: tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%i, %w : tensor<1x13x13x6xf32>, tensor<3x3x6x8xf32>) outs(%o : tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  return %r : tensor<1x6x6x8xf32>
}
func.func @tiny(%a: tensor<4x1xf32>, %b: tensor<1x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x1xf32>, tensor<1x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
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

const char *kArchFiles[] = {
    "test/lit/mapping/Inputs/small.yaml", "test/lit/model/Inputs/two.yaml",
    "test/lit/mapper/Inputs/two-level.yaml", "arch/presets/eyeriss.yaml",
    "arch/presets/tpu16.yaml", "arch/presets/simba.yaml"};

/// a * b, or false when it does not fit in int64_t.
bool mul(int64_t a, int64_t b, int64_t &out) {
  return !__builtin_mul_overflow(a, b, &out);
}

} // namespace

void fail(const std::string &what) {
  std::fprintf(stderr, "tessel-fuzz: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

const std::vector<Problem> &problems() {
  static const std::vector<Problem> set = [] {
    WorkloadSet imported = importLinalgSource(kProblems, "fuzz-problems.mlir");
    if (imported.hasErrors() || imported.problems.size() != 4)
      fail("the fixed problems did not import");
    return imported.problems;
  }();
  return set;
}

const std::vector<NamedArch> &arches() {
  static const std::vector<NamedArch> set = [] {
    std::vector<NamedArch> loaded;
    for (const char *file : kArchFiles)
      loaded.push_back(
          {file, loadArch(std::string(TESSEL_SOURCE_DIR) + "/" + file)});
    return loaded;
  }();
  return set;
}

void checkResolved(const Problem &problem, const Arch &arch,
                   const Mapping &mapping, double maxPadding) {
  VerifyOptions options;
  options.maxPadding = maxPadding;
  std::vector<MappingError> errors =
      verifyMapping(problem, arch, mapping, options);
  if (!errors.empty())
    return;

  // Oracle 1: a legal mapping's factor products fit in 64 bits and cover
  // every bound (checked here without the library's arithmetic).
  std::vector<int64_t> covered(problem.dims.size(), 1);
  auto multiply = [&](unsigned dim, int64_t factor, const char *kind) {
    if (dim >= covered.size())
      fail("verifyMapping accepted a loop over dimension #" +
           std::to_string(dim) + " of " + std::to_string(covered.size()));
    if (factor < 1)
      fail(std::string("verifyMapping accepted a ") + kind + " factor " +
           std::to_string(factor));
    if (!mul(covered[dim], factor, covered[dim]))
      fail("verifyMapping accepted a mapping whose factors of '" +
           problem.dims[dim].name + "' multiply past 2^63 (" + problem.name +
           " on " + arch.name + ")");
  };
  for (const LevelMapping &level : mapping.levels) {
    for (const Loop &loop : level.temporal)
      multiply(loop.dim, loop.factor, "temporal");
    for (const SpatialLoop &loop : level.spatial)
      multiply(loop.dim, loop.factor, "spatial");
  }
  for (unsigned d = 0; d < covered.size(); ++d)
    if (covered[d] < problem.dims[d].bound)
      fail("verifyMapping accepted factors of '" + problem.dims[d].name +
           "' covering " + std::to_string(covered[d]) + " of bound " +
           std::to_string(problem.dims[d].bound));

  // Oracle 2: the reuse model counts the op's MACs and at least as many
  // executed MACs (padding included), exactly the covered product.
  static const std::unique_ptr<CostModel> reuse = createCostModel("reuse");
  if (!reuse)
    fail("no 'reuse' cost model registered");
  Evaluation evaluation = reuse->evaluate(problem, arch, mapping);
  if (evaluation.valid() == !evaluation.errors.empty())
    fail("reuse model: an Evaluation with both or neither of report/errors");
  if (!evaluation.valid())
    return; // The model may refuse more than verifyMapping (its own checks).
  const Report &report = *evaluation.report;
  uint64_t executed = 1;
  for (int64_t extent : covered)
    if (__builtin_mul_overflow(executed, uint64_t(extent), &executed))
      return; // Padded MACs past 2^64: the model should have refused; rare.
  if (report.macs != problem.macs())
    fail("reuse model: macs " + std::to_string(report.macs) + " != " +
         std::to_string(problem.macs()));
  if (report.executedMacs != executed)
    fail("reuse model: executedMacs " + std::to_string(report.executedMacs) +
         " != covered product " + std::to_string(executed));
  if (report.cycles == 0)
    fail("reuse model: 0 cycles for a valid mapping");
}

unsigned checkMapping(const MappingSpec &spec, const std::string &op,
                      double maxPadding) {
  unsigned resolvedCount = 0;
  for (const Problem &problem : problems()) {
    if (!op.empty() && op != problem.name)
      continue;
    for (const NamedArch &named : arches()) {
      Mapping mapping;
      std::vector<MappingError> errors;
      if (!resolveMapping(spec, problem, named.arch, mapping, errors)) {
        if (errors.empty())
          fail("resolveMapping failed without a reason");
        continue;
      }
      ++resolvedCount;
      checkResolved(problem, named.arch, mapping, maxPadding);
    }
  }
  return resolvedCount;
}

} // namespace tessel::fuzz
