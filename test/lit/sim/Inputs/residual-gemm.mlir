func.func @gemm(%a: tensor<7x6xf32>, %b: tensor<6x5xf32>, %c: tensor<7x5xf32>) -> tensor<7x5xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<7x6xf32>, tensor<6x5xf32>) outs(%c : tensor<7x5xf32>) -> tensor<7x5xf32>
  return %r : tensor<7x5xf32>
}
