//===- test/workloads/LinalgImportTest.cpp - Problems from linalg ops -----===//
//
// Every expected number below is worked out by hand from the op's shapes,
// not read back from the importer.
//
//===----------------------------------------------------------------------===//
#include "workloads/LinalgImport.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tessel {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// Wraps one op in a function taking %a, %b and %c.
std::string wrap(const std::string &args, const std::string &op,
                 const std::string &result) {
  return "func.func @layer(" + args + ") -> " + result + " {\n  %r = " + op +
         "\n  return %r : " + result + "\n}\n";
}

Problem importOne(const std::string &source) {
  WorkloadSet set = importLinalgSource(source, "test.mlir");
  for (const Diagnostic &diagnostic : set.diagnostics)
    ADD_FAILURE() << diagnostic.format();
  EXPECT_EQ(set.problems.size(), 1u);
  return set.problems.empty() ? Problem{} : set.problems.front();
}

std::vector<std::string> dimNames(const Problem &problem) {
  std::vector<std::string> names;
  for (const Dimension &dim : problem.dims)
    names.push_back(dim.name + "=" + std::to_string(dim.bound));
  return names;
}

std::vector<std::string> coordinates(const Problem &problem, unsigned tensor) {
  std::vector<std::string> text;
  for (const Projection &p : problem.tensors[tensor].projection)
    text.push_back(formatProjection(problem, p));
  return text;
}

std::vector<std::string> reduced(const Problem &problem) {
  std::vector<std::string> names;
  for (unsigned d : problem.reductionDims())
    names.push_back(problem.dims[d].name);
  return names;
}

TEST(LinalgImport, Matmul) {
  Problem p = importOne(
      wrap("%a: tensor<4x5xf32>, %b: tensor<5x6xf32>, %c: tensor<4x6xf32>",
           "linalg.matmul ins(%a, %b : tensor<4x5xf32>, tensor<5x6xf32>) "
           "outs(%c : tensor<4x6xf32>) -> tensor<4x6xf32>",
           "tensor<4x6xf32>"));
  EXPECT_EQ(p.name, "layer");
  EXPECT_EQ(p.opName, "linalg.matmul");
  EXPECT_THAT(dimNames(p), ElementsAre("m=4", "n=6", "k=5"));
  EXPECT_THAT(coordinates(p, 0), ElementsAre("m", "k"));
  EXPECT_THAT(coordinates(p, 1), ElementsAre("k", "n"));
  EXPECT_THAT(coordinates(p, 2), ElementsAre("m", "n"));
  EXPECT_EQ(p.tensors[0].name, "A");
  EXPECT_EQ(p.output().name, "C");
  EXPECT_THAT(reduced(p), ElementsAre("k"));
  EXPECT_EQ(p.macs(), 4u * 6 * 5);
  EXPECT_EQ(p.tensors[0].bytes(), 4u * 5 * 4);
  EXPECT_EQ(p.tensors[1].bytes(), 5u * 6 * 4);
  EXPECT_EQ(p.tensors[2].bytes(), 4u * 6 * 4);
  EXPECT_EQ(p.source.line, 2u);
}

TEST(LinalgImport, BatchMatmul) {
  Problem p = importOne(wrap(
      "%a: tensor<2x4x5xbf16>, %b: tensor<2x5x6xbf16>, %c: tensor<2x4x6xf32>",
      "linalg.batch_matmul ins(%a, %b : tensor<2x4x5xbf16>, "
      "tensor<2x5x6xbf16>) outs(%c : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>",
      "tensor<2x4x6xf32>"));
  EXPECT_THAT(dimNames(p), ElementsAre("b=2", "m=4", "n=6", "k=5"));
  EXPECT_THAT(coordinates(p, 0), ElementsAre("b", "m", "k"));
  EXPECT_THAT(coordinates(p, 1), ElementsAre("b", "k", "n"));
  EXPECT_EQ(p.tensors[0].elementBits, 16u);
  EXPECT_EQ(p.tensors[0].elementType, "bf16");
  EXPECT_EQ(p.tensors[0].bytes(), 2u * 4 * 5 * 2);
  EXPECT_EQ(p.macs(), 2u * 4 * 6 * 5);
}

TEST(LinalgImport, Matvec) {
  Problem p = importOne(
      wrap("%a: tensor<4x5xf32>, %b: tensor<5xf32>, %c: tensor<4xf32>",
           "linalg.matvec ins(%a, %b : tensor<4x5xf32>, tensor<5xf32>) "
           "outs(%c : tensor<4xf32>) -> tensor<4xf32>",
           "tensor<4xf32>"));
  EXPECT_THAT(dimNames(p), ElementsAre("m=4", "k=5"));
  EXPECT_THAT(coordinates(p, 1), ElementsAre("k"));
  EXPECT_THAT(reduced(p), ElementsAre("k"));
  EXPECT_EQ(p.macs(), 20u);
}

TEST(LinalgImport, Conv1dWithStrideAndDilation) {
  // OW=4, KW=3, stride 2, dilation 2: input width 2*(4-1) + 2*(3-1) + 1 = 11.
  Problem p = importOne(wrap(
      "%a: tensor<1x11x3xf32>, %b: tensor<3x3x8xf32>, %c: tensor<1x4x8xf32>",
      "linalg.conv_1d_nwc_wcf {dilations = dense<2> : tensor<1xi64>, "
      "strides = dense<2> : tensor<1xi64>} ins(%a, %b : tensor<1x11x3xf32>, "
      "tensor<3x3x8xf32>) outs(%c : tensor<1x4x8xf32>) -> tensor<1x4x8xf32>",
      "tensor<1x4x8xf32>"));
  EXPECT_THAT(dimNames(p), ElementsAre("n=1", "ow=4", "f=8", "kw=3", "c=3"));
  EXPECT_THAT(coordinates(p, 0), ElementsAre("n", "2*ow + 2*kw", "c"));
  EXPECT_THAT(coordinates(p, 1), ElementsAre("kw", "c", "f"));
  EXPECT_THAT(reduced(p), ElementsAre("kw", "c"));
  EXPECT_EQ(p.macs(), 1u * 4 * 8 * 3 * 3);
  // The footprint of the whole problem is the whole padded input.
  EXPECT_EQ(p.footprint(0, p.bounds()), 11u * 3);
}

TEST(LinalgImport, Conv2dNhwcHwcfStride2) {
  Problem p = importOne(wrap(
      "%a: tensor<1x9x9x3xf32>, %b: tensor<3x3x3x8xf32>, "
      "%c: tensor<1x4x4x8xf32>",
      "linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, "
      "strides = dense<2> : tensor<2xi64>} ins(%a, %b : tensor<1x9x9x3xf32>, "
      "tensor<3x3x3x8xf32>) outs(%c : tensor<1x4x4x8xf32>) -> "
      "tensor<1x4x4x8xf32>",
      "tensor<1x4x4x8xf32>"));
  EXPECT_THAT(dimNames(p),
              ElementsAre("n=1", "oh=4", "ow=4", "f=8", "kh=3", "kw=3", "c=3"));
  EXPECT_THAT(coordinates(p, 0),
              ElementsAre("n", "2*oh + kh", "2*ow + kw", "c"));
  EXPECT_THAT(coordinates(p, 1), ElementsAre("kh", "kw", "c", "f"));
  EXPECT_THAT(coordinates(p, 2), ElementsAre("n", "oh", "ow", "f"));
  EXPECT_THAT(reduced(p), ElementsAre("kh", "kw", "c"));
  EXPECT_EQ(p.macs(), 4u * 4 * 8 * 3 * 3 * 3);
  EXPECT_EQ(p.tensors[0].bytes(), 9u * 9 * 3 * 4);
  EXPECT_EQ(p.tensors[0].name, "I");
  EXPECT_EQ(p.tensors[1].name, "W");
  EXPECT_EQ(p.tensors[2].name, "O");
}

TEST(LinalgImport, Conv2dNchwFchwDilation2) {
  // 9x9 input, 3x3 taps dilated by 2 span 5: output 5x5.
  Problem p = importOne(wrap(
      "%a: tensor<1x3x9x9xf32>, %b: tensor<8x3x3x3xf32>, "
      "%c: tensor<1x8x5x5xf32>",
      "linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, "
      "strides = dense<1> : tensor<2xi64>} ins(%a, %b : tensor<1x3x9x9xf32>, "
      "tensor<8x3x3x3xf32>) outs(%c : tensor<1x8x5x5xf32>) -> "
      "tensor<1x8x5x5xf32>",
      "tensor<1x8x5x5xf32>"));
  EXPECT_THAT(dimNames(p),
              ElementsAre("n=1", "f=8", "oh=5", "ow=5", "c=3", "kh=3", "kw=3"));
  EXPECT_THAT(coordinates(p, 0),
              ElementsAre("n", "c", "oh + 2*kh", "ow + 2*kw"));
  EXPECT_THAT(coordinates(p, 1), ElementsAre("f", "c", "kh", "kw"));
  EXPECT_THAT(coordinates(p, 2), ElementsAre("n", "f", "oh", "ow"));
  EXPECT_EQ(p.macs(), 8u * 5 * 5 * 3 * 3 * 3);
}

TEST(LinalgImport, DepthwiseConv2d) {
  Problem p = importOne(wrap(
      "%a: tensor<1x9x9x3xf32>, %b: tensor<3x3x3xf32>, %c: tensor<1x7x7x3xf32>",
      "linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : "
      "tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%a, %b : "
      "tensor<1x9x9x3xf32>, tensor<3x3x3xf32>) outs(%c : tensor<1x7x7x3xf32>) "
      "-> tensor<1x7x7x3xf32>",
      "tensor<1x7x7x3xf32>"));
  EXPECT_THAT(dimNames(p),
              ElementsAre("n=1", "oh=7", "ow=7", "c=3", "kh=3", "kw=3"));
  EXPECT_THAT(coordinates(p, 0), ElementsAre("n", "oh + kh", "ow + kw", "c"));
  EXPECT_THAT(coordinates(p, 1), ElementsAre("kh", "kw", "c"));
  // Depthwise: the channel is not reduced.
  EXPECT_THAT(reduced(p), ElementsAre("kh", "kw"));
  EXPECT_EQ(p.macs(), 7u * 7 * 3 * 3 * 3);
}

TEST(LinalgImport, Conv3d) {
  Problem p = importOne(
      wrap("%a: tensor<1x5x9x9x3xf32>, %b: tensor<3x3x3x3x8xf32>, "
           "%c: tensor<1x3x7x7x8xf32>",
           "linalg.conv_3d_ndhwc_dhwcf ins(%a, %b : tensor<1x5x9x9x3xf32>, "
           "tensor<3x3x3x3x8xf32>) outs(%c : tensor<1x3x7x7x8xf32>) -> "
           "tensor<1x3x7x7x8xf32>",
           "tensor<1x3x7x7x8xf32>"));
  EXPECT_THAT(dimNames(p), ElementsAre("n=1", "od=3", "oh=7", "ow=7", "f=8",
                                       "kd=3", "kh=3", "kw=3", "c=3"));
  EXPECT_THAT(coordinates(p, 0),
              ElementsAre("n", "od + kd", "oh + kh", "ow + kw", "c"));
  EXPECT_EQ(p.macs(), 3u * 7 * 7 * 8 * 27 * 3);
}

const char *kLadder = R"(#mapV = affine_map<(a, b, i, j, c, d) -> (a, b, c, d)>
#mapT = affine_map<(a, b, i, j, c, d) -> (c, d, i, j)>
#mapR = affine_map<(a, b, i, j, c, d) -> (a, b, i, j)>
func.func @ladder(%v: tensor<3x3x4x4xi8>, %t: tensor<4x4x2x2xi8>,
                  %r: tensor<3x3x2x2xi32>) -> tensor<3x3x2x2xi32> {
  %0 = linalg.generic {indexing_maps = [#mapV, #mapT, #mapR],
      iterator_types = ["parallel", "parallel", "parallel", "parallel",
                        "reduction", "reduction"]}
      ins(%v, %t : tensor<3x3x4x4xi8>, tensor<4x4x2x2xi8>)
      outs(%r : tensor<3x3x2x2xi32>) NAMES {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %m = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<3x3x2x2xi32>
  return %0 : tensor<3x3x2x2xi32>
}
)";

std::string ladder(const std::string &names) {
  std::string text = kLadder;
  text.replace(text.find("NAMES"), 5, names);
  return text;
}

TEST(LinalgImport, GenericContractionWithNames) {
  Problem p = importOne(
      ladder("attrs = {tessel.dims = [\"a\", \"b\", \"i\", \"j\", \"c\", "
             "\"d\"], tessel.tensors = [\"V\", \"T2\", \"R\"]}"));
  EXPECT_EQ(p.opName, "linalg.generic");
  EXPECT_THAT(dimNames(p),
              ElementsAre("a=3", "b=3", "i=2", "j=2", "c=4", "d=4"));
  EXPECT_THAT(coordinates(p, 1), ElementsAre("c", "d", "i", "j"));
  EXPECT_THAT(reduced(p), ElementsAre("c", "d"));
  EXPECT_EQ(p.tensors[1].name, "T2");
  EXPECT_EQ(p.tensors[0].elementBits, 8u);
  EXPECT_EQ(p.tensors[2].elementBits, 32u);
  EXPECT_EQ(p.tensors[2].bytes(), 3u * 3 * 2 * 2 * 4);
  EXPECT_EQ(p.macs(), 3u * 3 * 2 * 2 * 4 * 4);
}

TEST(LinalgImport, GenericWithoutNamesUsesPositions) {
  Problem p = importOne(ladder(""));
  EXPECT_THAT(dimNames(p),
              ElementsAre("d0=3", "d1=3", "d2=2", "d3=2", "d4=4", "d5=4"));
  EXPECT_EQ(p.tensors[0].name, "in0");
  EXPECT_EQ(p.tensors[2].name, "out");
}

/// Imports `source` expecting errors; returns them formatted.
std::vector<std::string> errorsOf(const WorkloadSet &set) {
  std::vector<std::string> errors;
  for (const Diagnostic &diagnostic : set.diagnostics)
    if (diagnostic.severity == Diagnostic::Severity::Error)
      errors.push_back(diagnostic.format());
  return errors;
}

TEST(LinalgImportErrors, MissingFile) {
  WorkloadSet set = importLinalgFile("/nonexistent/net.mlir");
  ASSERT_TRUE(set.hasErrors());
  EXPECT_THAT(errorsOf(set)[0],
              HasSubstr("/nonexistent/net.mlir: error: cannot read the file: "
                        "No such file or directory"));
}

TEST(LinalgImportErrors, SyntaxErrorHasFileAndLine) {
  WorkloadSet set =
      importLinalgSource("func.func @f() {\n  %0 = arith.constant 1 : i32\n"
                         "  return %0 \n}\n",
                         "broken.mlir");
  ASSERT_TRUE(set.hasErrors());
  EXPECT_TRUE(set.problems.empty());
  EXPECT_THAT(errorsOf(set)[0],
              HasSubstr("broken.mlir:3:12: error: expected ':'"));
}

TEST(LinalgImportErrors, DynamicShapeIsLocatedAndOtherOpsStillRead) {
  std::string source =
      wrap("%a: tensor<?x5xf32>, %b: tensor<5x6xf32>, %c: tensor<?x6xf32>",
           "linalg.matmul ins(%a, %b : tensor<?x5xf32>, tensor<5x6xf32>) "
           "outs(%c : tensor<?x6xf32>) -> tensor<?x6xf32>",
           "tensor<?x6xf32>") +
      "func.func @good(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, "
      "%c: tensor<2x4xf32>) -> tensor<2x4xf32> {\n"
      "  %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) "
      "outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>\n"
      "  return %r : tensor<2x4xf32>\n}\n";
  WorkloadSet set = importLinalgSource(source, "dyn.mlir");
  std::vector<std::string> errors = errorsOf(set);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("dyn.mlir:2:8: error: operand #0 has "
                                   "dynamic shape tensor<?x5xf32>"));
  ASSERT_EQ(set.problems.size(), 1u);
  EXPECT_EQ(set.problems[0].name, "good");
  EXPECT_EQ(set.problems[0].macs(), 24u);
}

TEST(LinalgImportErrors, NonMultiplyAccumulateBody) {
  const char *source = R"(#id = affine_map<(i) -> (i)>
func.func @add(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>) -> tensor<8xf32> {
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<8xf32>, tensor<8xf32>) outs(%c : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
)";
  // Set aside, not an error: 8 f32 elements out; it moves 3 operands and
  // one result of 8 x 4 bytes each.
  WorkloadSet set = importLinalgSource(source, "add.mlir");
  EXPECT_FALSE(set.hasErrors());
  EXPECT_TRUE(set.problems.empty());
  ASSERT_EQ(set.setAside.size(), 1u);
  const SetAsideOp &aside = set.setAside[0];
  EXPECT_EQ(aside.name, "add.elementwise.0");
  EXPECT_EQ(aside.opName, "linalg.generic");
  EXPECT_EQ(aside.kind, "elementwise");
  EXPECT_EQ(aside.elements, 8u);
  EXPECT_EQ(aside.bytes, 4u * 32);
  EXPECT_EQ(aside.source.line, 3u);
  // --strict makes it an error at the op.
  ImportOptions strict;
  strict.strict = true;
  std::vector<std::string> errors =
      errorsOf(importLinalgSource(source, "add.mlir", strict));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("add.mlir:3:8: error: 'linalg.generic' "
                                   "(elementwise) is not a tensor "
                                   "contraction"));
}

TEST(LinalgImportErrors, NonLinearIndexing) {
  const char *source = R"(#half = affine_map<(i, k) -> (i floordiv 2, k)>
#k = affine_map<(i, k) -> (k)>
#i = affine_map<(i, k) -> (i)>
func.func @f(%a: tensor<4x8xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>) -> tensor<8xf32> {
  %0 = linalg.generic {indexing_maps = [#half, #k, #i], iterator_types = ["parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%c : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
)";
  WorkloadSet set = importLinalgSource(source, "div.mlir");
  std::vector<std::string> errors = errorsOf(set);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0],
              HasSubstr("div.mlir:5:8: error: indexing map of "
                        "operand #0 has coordinate 'd0 floordiv 2'"));
}

TEST(LinalgImportErrors, WrongNameAttribute) {
  WorkloadSet set = importLinalgSource(
      ladder("attrs = {tessel.dims = [\"a\", \"b\"]}"), "names.mlir");
  std::vector<std::string> errors = errorsOf(set);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("'tessel.dims' must be an array of 6 "
                                   "strings"));
}

TEST(LinalgImportErrors, FillIsSkippedWithAWarningOnly) {
  const char *source = R"(func.func @f(%c: tensor<8xf32>) -> tensor<8xf32> {
  %z = arith.constant 0.0 : f32
  %0 = linalg.fill ins(%z : f32) outs(%c : tensor<8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
)";
  WorkloadSet set = importLinalgSource(source, "fill.mlir");
  EXPECT_FALSE(set.hasErrors());
  ASSERT_EQ(set.setAside.size(), 1u);
  EXPECT_EQ(set.setAside[0].kind, "fill");
  EXPECT_EQ(set.setAside[0].elements, 8u);
  EXPECT_EQ(set.setAside[0].bytes, 2u * 32); // The scalar is no tensor.
  ASSERT_FALSE(set.diagnostics.empty());
  EXPECT_THAT(set.diagnostics[0].format(),
              HasSubstr("warning: no tensor contractions found; 1 ops"));
}

// i8 x i8 -> i32 with zero points: C[m,n] += (A[m,k] - za) * (B[k,n] - zb).
TEST(LinalgImportQuantized, QuantizedMatmulIsItsMacs) {
  const char *source =
      R"(func.func @q(%a: tensor<4x8xi8>, %b: tensor<8x2xi8>, %c: tensor<4x2xi32>) -> tensor<4x2xi32> {
  %za = arith.constant 3 : i32
  %zb = arith.constant -5 : i32
  %r = linalg.quantized_matmul ins(%a, %b, %za, %zb : tensor<4x8xi8>, tensor<8x2xi8>, i32, i32) outs(%c : tensor<4x2xi32>) -> tensor<4x2xi32>
  return %r : tensor<4x2xi32>
}
)";
  WorkloadSet set = importLinalgSource(source, "q.mlir");
  ASSERT_FALSE(set.hasErrors()) << set.diagnostics[0].format();
  ASSERT_EQ(set.problems.size(), 1u);
  const Problem &p = set.problems[0];
  EXPECT_EQ(p.opName, "linalg.quantized_matmul");
  ASSERT_EQ(p.dims.size(), 3u);
  EXPECT_EQ(p.dims[0].name, "m");
  EXPECT_EQ(p.dims[2].name, "k");
  EXPECT_EQ(p.macs(), 4u * 2 * 8);
  ASSERT_EQ(p.tensors.size(), 3u);
  EXPECT_EQ(p.tensors[0].elementType, "i8");
  EXPECT_EQ(p.tensors[1].elementType, "i8");
  EXPECT_EQ(p.tensors[2].elementType, "i32");
  EXPECT_EQ(p.tensors[2].elementBits, 32u);
}

// A module in TOSA is lowered in-process: tosa.matmul is a batch matmul.
TEST(LinalgImportTosa, TosaIsLoweredBeforeImport) {
  const char *source =
      R"(func.func @mm(%a: tensor<1x16x32xf32>, %b: tensor<1x32x8xf32>) -> tensor<1x16x8xf32> {
  %0 = tosa.matmul %a, %b : (tensor<1x16x32xf32>, tensor<1x32x8xf32>) -> tensor<1x16x8xf32>
  return %0 : tensor<1x16x8xf32>
}
)";
  WorkloadSet set = importLinalgSource(source, "mm.tosa.mlir");
  ASSERT_FALSE(set.hasErrors()) << set.diagnostics[0].format();
  ASSERT_EQ(set.problems.size(), 1u);
  EXPECT_EQ(set.problems[0].opName, "linalg.batch_matmul");
  EXPECT_EQ(set.problems[0].name, "mm");
  EXPECT_EQ(set.problems[0].macs(), 16u * 32 * 8);
  EXPECT_EQ(set.problems[0].source.line, 2u); // The TOSA op's line.
  bool noted = false;
  for (const Diagnostic &d : set.diagnostics)
    noted |=
        d.format().find("lowered 1 TOSA ops to linalg") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(LinalgImportNames, LocationNamesWinAndSurviveGeneralization) {
  const char *named =
      R"(func.func @net(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %s = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%r : tensor<2x4xf32>) -> tensor<2x4xf32> loc("fc2")
  return %s : tensor<2x4xf32>
}
)";
  // The same function after --linalg-generalize-named-ops: the fill is a
  // linalg.generic now, and must not shift the matmul's index.
  const char *generalized = R"(#s = affine_map<(d0, d1) -> ()>
#id = affine_map<(d0, d1) -> (d0, d1)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @net(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %z = arith.constant 0.0 : f32
  %f = linalg.generic {indexing_maps = [#s, #id], iterator_types = ["parallel", "parallel"]} ins(%z : f32) outs(%c : tensor<2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x4xf32>
  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    %t = arith.addf %o, %m : f32
    linalg.yield %t : f32
  } -> tensor<2x4xf32>
  %s = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%r : tensor<2x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    %t = arith.addf %o, %m : f32
    linalg.yield %t : f32
  } -> tensor<2x4xf32> loc("fc2")
  return %s : tensor<2x4xf32>
}
)";
  for (const char *source : {named, generalized}) {
    WorkloadSet set = importLinalgSource(source, "net.mlir");
    ASSERT_FALSE(set.hasErrors()) << set.diagnostics[0].format();
    ASSERT_EQ(set.problems.size(), 2u);
    EXPECT_EQ(set.problems[0].name, "net.0");
    EXPECT_EQ(set.problems[1].name, "fc2");
    ASSERT_EQ(set.setAside.size(), 1u);
    EXPECT_EQ(set.setAside[0].elements, 8u);
  }
}

} // namespace
} // namespace tessel
