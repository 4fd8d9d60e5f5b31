// A matmul whose simulation on tpu16 with long-mapping.yaml runs for about
// 10 s (16M cycles): the signal tests interrupt it after a second.
func.func @long(%a: tensor<4096x1024xf32>, %b: tensor<1024x1024xf32>, %c: tensor<4096x1024xf32>) -> tensor<4096x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4096x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<4096x1024xf32>) -> tensor<4096x1024xf32>
  return %r : tensor<4096x1024xf32>
}
