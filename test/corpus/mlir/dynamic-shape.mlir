func.func @dynamic(%a: tensor<?x5xf32>, %b: tensor<5x6xf32>, %c: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x5xf32>, tensor<5x6xf32>) outs(%c : tensor<?x6xf32>) -> tensor<?x6xf32>
  return %r : tensor<?x6xf32>
}
// Corpus case: dynamic shape.
// RUN: tessel workloads %s
// ERROR: %s:2:8: error: operand #0 has dynamic shape tensor<?x5xf32>
