// 10^4 x 10^4 x 10^4 = 10^12 MACs: a model evaluates it at once, a
// cycle-level simulation would run for hours.
func.func @tera(%a: tensor<10000x10000xi8>, %b: tensor<10000x10000xi8>, %c: tensor<10000x10000xi32>) -> tensor<10000x10000xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<10000x10000xi8>, tensor<10000x10000xi8>) outs(%c : tensor<10000x10000xi32>) -> tensor<10000x10000xi32>
  return %r : tensor<10000x10000xi32>
}
