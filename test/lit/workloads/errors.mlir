// RUN: not tessel workloads %s 2>&1 | FileCheck %s
// RUN: not tessel workloads %S/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING

// One bad op does not stop the others: @good is still listed, and @add
// (no multiply-accumulate) is set aside, not an error.

// CHECK: errors.mlir:[[@LINE+2]]:8: error: operand #0 has dynamic shape tensor<?x5xf32>
func.func @dynamic(%a: tensor<?x5xf32>, %b: tensor<5x6xf32>, %c: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x5xf32>, tensor<5x6xf32>) outs(%c : tensor<?x6xf32>) -> tensor<?x6xf32>
  return %r : tensor<?x6xf32>
}

#id = affine_map<(i) -> (i)>
func.func @add(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>) -> tensor<8xf32> {
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<8xf32>, tensor<8xf32>) outs(%c : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// CHECK-NOT: error: {{.*}}linalg.generic
// CHECK: good  matmul  m=2 n=4 k=3  24
// CHECK: not tensor contractions (not mapped):
// CHECK: add.elementwise.0  elementwise  linalg.generic  8  128
func.func @good(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%c : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// MISSING: does-not-exist.mlir: error: cannot read the file: No such file or directory
