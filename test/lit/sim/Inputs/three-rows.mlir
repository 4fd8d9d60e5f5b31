func.func @gemm(%a: tensor<3x1xf32>, %b: tensor<1x2xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<3x1xf32>, tensor<1x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}
