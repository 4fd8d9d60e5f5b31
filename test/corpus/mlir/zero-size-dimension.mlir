func.func @z(%a: tensor<0x5xf32>, %b: tensor<5x6xf32>, %c: tensor<0x6xf32>) -> tensor<0x6xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<0x5xf32>, tensor<5x6xf32>) outs(%c : tensor<0x6xf32>) -> tensor<0x6xf32>
  return %r : tensor<0x6xf32>
}
// Corpus case: zero size dimension.
// RUN: tessel workloads %s
// ERROR: %s:2:8: error: loop d0 has no static positive bound
