// A 1024 x 512 output, each word on its own PE of wide-bus.yaml.
func.func @wide(%a: tensor<1024x4xi8>, %b: tensor<4x512xi8>, %c: tensor<1024x512xi32>) -> tensor<1024x512xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<1024x4xi8>, tensor<4x512xi8>) outs(%c : tensor<1024x512xi32>) -> tensor<1024x512xi32>
  return %r : tensor<1024x512xi32>
}
