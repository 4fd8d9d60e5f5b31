func.func @big(%a: tensor<4294967296x4294967296xf32>, %b: tensor<4294967296x4294967296xf32>, %c: tensor<4294967296x4294967296xf32>) -> tensor<4294967296x4294967296xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4294967296x4294967296xf32>, tensor<4294967296x4294967296xf32>) outs(%c : tensor<4294967296x4294967296xf32>) -> tensor<4294967296x4294967296xf32>
  return %r : tensor<4294967296x4294967296xf32>
}
// Corpus case: macs overflow.
// RUN: tessel workloads %s
// ERROR: %s:2:8: error: MAC count of 'big' does not fit in 64 bits
