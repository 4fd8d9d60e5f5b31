// C[0,0] += sum_k A[0,k] B[k,0], k = 64: i8 inputs, an i32 sum.
func.func @op(%a: tensor<1x64xi8>, %b: tensor<64x1xi8>, %c: tensor<1x1xi32>) -> tensor<1x1xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<1x64xi8>, tensor<64x1xi8>) outs(%c : tensor<1x1xi32>) -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}
