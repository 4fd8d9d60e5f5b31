// RUN: tessel-opt %s | FileCheck %s
// RUN: tessel-opt %s | tessel-opt | FileCheck %s

// The mapping attribute prints a level per line, and parse/print round-trips.

// CHECK:      #mapping = #tessel.mapping<
// CHECK-NEXT:   DRAM: temporal [m=4, n=2] keep [A, B, C],
// CHECK-NEXT:   Buffer: temporal [k=8] spatial [n=4 @X, k=4 @Y] keep [A, C],
// CHECK-NEXT:   PE: temporal [m=4] keep [B]
// CHECK-NEXT: >
// CHECK:      #mapping1 = #tessel.mapping<
// CHECK-NEXT:   DRAM: temporal [f=2, oh=2] keep [I, W, O],
// CHECK-NEXT:   Buffer: temporal [c=4] spatial [f=4 @X, ow=4 @Y] keep [I, W, O],
// CHECK-NEXT:   PE: temporal [oh=2, kh=3, kw=3] keep [I, W, O]
// CHECK-NEXT: >
// CHECK:      #mapping2 = #tessel.mapping<
// CHECK-NEXT:   DRAM: temporal [a=2, b=3] keep [V, T, R],
// CHECK-NEXT:   "Global Buffer": temporal [c=6] spatial [a=2 @X, i=3 @Y] keep [T, R],
// CHECK-NEXT:   PE: temporal [j=2, b=2] keep [V, R]
// CHECK-NEXT: >

// CHECK-LABEL: func.func @gemm
// CHECK: linalg.matmul {tessel.mapping = #mapping}
func.func @gemm(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4, n=2] keep [A, B, C],
      Buffer: keep [A, C] spatial [n=4 @X, k=4 @Y] temporal [k=8],
      PE: temporal [m=4] keep [B]>}
    ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// CHECK-LABEL: func.func @conv
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>, tessel.mapping = #mapping1}
func.func @conv(%i: tensor<1x9x9x4xf32>, %w: tensor<3x3x4x8xf32>, %o: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>,
      tessel.mapping = #tessel.mapping<
        DRAM: temporal [f=2, oh=2] keep [I, W, O],
        Buffer: temporal [c=4] spatial [f=4 @X, ow=4 @Y] keep [I, W, O],
        PE: temporal [oh=2, kh=3, kw=3] keep [I, W, O]>}
    ins(%i, %w : tensor<1x9x9x4xf32>, tensor<3x3x4x8xf32>) outs(%o : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %r : tensor<1x4x4x8xf32>
}

#v = affine_map<(a, b, i, j, c) -> (a, c, i)>
#t = affine_map<(a, b, i, j, c) -> (c, b, j)>
#r = affine_map<(a, b, i, j, c) -> (a, b, i, j)>
// CHECK-LABEL: func.func @contract
// CHECK: tessel.mapping = #mapping2
func.func @contract(%v: tensor<4x6x3xf32>, %t: tensor<6x6x2xf32>, %r: tensor<4x6x3x2xf32>) -> tensor<4x6x3x2xf32> {
  %0 = linalg.generic {indexing_maps = [#v, #t, #r],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%v, %t : tensor<4x6x3xf32>, tensor<6x6x2xf32>) outs(%r : tensor<4x6x3x2xf32>)
      attrs = {tessel.dims = ["a", "b", "i", "j", "c"], tessel.tensors = ["V", "T", "R"],
               tessel.mapping = #tessel.mapping<DRAM: temporal [a=2, b=3] keep [V, T, R],
                 "Global Buffer": temporal [c=6] spatial [a=2 @X, i=3 @Y] keep [T, R],
                 PE: temporal [j=2, b=2] keep [V, R]>} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x6x3x2xf32>
  return %0 : tensor<4x6x3x2xf32>
}
