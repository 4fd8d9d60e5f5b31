func.func @first(%a: tensor<4x2xf32>, %b: tensor<2x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: keep [A, B, C],
      GLB: temporal [m=4] spatial [n=2 @X, k=2 @Y] keep [A, B, C],
      PE: keep [B]>}
    ins(%a, %b : tensor<4x2xf32>, tensor<2x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}
func.func @second(%a: tensor<8x2xf32>, %b: tensor<2x2xf32>, %c: tensor<8x2xf32>) -> tensor<8x2xf32> {
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=2] keep [A, B, C],
      GLB: temporal [m=4] spatial [n=2 @X, k=2 @Y] keep [A, B, C],
      PE: keep [B]>}
    ins(%a, %b : tensor<8x2xf32>, tensor<2x2xf32>) outs(%c : tensor<8x2xf32>) -> tensor<8x2xf32>
  return %r : tensor<8x2xf32>
}
