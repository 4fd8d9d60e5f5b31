// 2^21 x 2^21 x 2^21 = 2^63 MACs: fits in 64 bits, but the counts of any
// mapping of it (accesses x hops, cycles) do not.
func.func @huge(%a: tensor<2097152x2097152xf32>, %b: tensor<2097152x2097152xf32>, %c: tensor<2097152x2097152xf32>) -> tensor<2097152x2097152xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<2097152x2097152xf32>, tensor<2097152x2097152xf32>) outs(%c : tensor<2097152x2097152xf32>) -> tensor<2097152x2097152xf32>
  return %r : tensor<2097152x2097152xf32>
}
