// RUN: tessel workloads %s | FileCheck %s
// RUN: tessel workloads --brief %s | FileCheck %s --check-prefix=BRIEF
// RUN: tessel workloads --json %s | FileCheck %s --check-prefix=JSON

// A GEMM and a strided convolution; every figure below is worked by hand.

// CHECK-LABEL: gemm  linalg.matmul
// CHECK-NEXT:   dims    m=16 n=8 k=32
// CHECK:        A       f32   [m, k]  16x32  2,048  input
// CHECK-NEXT:   B       f32   [k, n]  32x8   1,024  input
// CHECK-NEXT:   C       f32   [m, n]  16x8     512  output, reduces k
// CHECK-NEXT:   MACs    4,096
func.func @gemm(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// 5x5 output, 3x3 taps, stride 2: input 2*4 + 2 + 1 = 11 rows.
// CHECK-LABEL: conv  linalg.conv_2d_nhwc_hwcf
// CHECK-NEXT:   dims    n=1 oh=5 ow=5 f=4 kh=3 kw=3 c=2
// CHECK:        I  i8  [n, 2*oh + kh, 2*ow + kw, c]  1x11x11x2  242  input
// CHECK-NEXT:   W  i8  [kh, kw, c, f]                3x3x2x4     72  input
// CHECK-NEXT:   O  i32 [n, oh, ow, f]                1x5x5x4    400  output, reduces kh, kw, c
// CHECK-NEXT:   MACs    1,800
func.func @conv(%i: tensor<1x11x11x2xi8>, %w: tensor<3x3x2x4xi8>, %o: tensor<1x5x5x4xi32>) -> tensor<1x5x5x4xi32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%i, %w : tensor<1x11x11x2xi8>, tensor<3x3x2x4xi8>) outs(%o : tensor<1x5x5x4xi32>) -> tensor<1x5x5x4xi32>
  return %r : tensor<1x5x5x4xi32>
}

// BRIEF:      op    kind              dims                               MACs
// BRIEF:      gemm  matmul            m=16 n=8 k=32                     4,096
// BRIEF-NEXT: conv  conv_2d_nhwc_hwcf n=1 oh=5 ow=5 f=4 kh=3 kw=3 c=2  1,800
// BRIEF:      total 2 ops                                               5,896

// JSON:      "file":
// JSON:      "macs": 4096
// JSON:      "name": "gemm"
// JSON:      "text": "2*oh + kh"
// JSON:      "totalMacs": 5896
