// A small network in TOSA (f32 and i8 quantized): conv2d with pad, bias
// and ReLU (clamp), depthwise conv2d, matmul, fully_connected.
func.func @conv(%input: tensor<1x8x8x4xf32>, %weight: tensor<16x3x3x4xf32>, %bias: tensor<16xf32>) -> tensor<1x8x8x16xf32> {
  %0 = tosa.conv2d %input, %weight, %bias {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<16x3x3x4xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
  %1 = tosa.clamp %0 {min_fp = 0.0 : f32, max_fp = 3.4028235e+38 : f32, min_int = 0 : i64, max_int = 2147483647 : i64} : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
  return %1 : tensor<1x8x8x16xf32>
}
func.func @dw(%input: tensor<1x8x8x4xf32>, %weight: tensor<3x3x4x2xf32>, %bias: tensor<8xf32>) -> tensor<1x8x8x8xf32> {
  %0 = tosa.depthwise_conv2d %input, %weight, %bias {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}
func.func @mm(%a: tensor<1x16x32xf32>, %b: tensor<1x32x8xf32>) -> tensor<1x16x8xf32> {
  %0 = tosa.matmul %a, %b : (tensor<1x16x32xf32>, tensor<1x32x8xf32>) -> tensor<1x16x8xf32>
  return %0 : tensor<1x16x8xf32>
}
func.func @fc(%x: tensor<4x64xf32>, %w: tensor<10x64xf32>, %b: tensor<10xf32>) -> tensor<4x10xf32> {
  %0 = tosa.fully_connected %x, %w, %b : (tensor<4x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}
func.func @qconv(%input: tensor<1x8x8x4xi8>, %weight: tensor<16x3x3x4xi8>, %bias: tensor<16xi32>) -> tensor<1x8x8x16xi32> {
  %0 = tosa.conv2d %input, %weight, %bias {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, quantization_info = #tosa.conv_quant<input_zp = -128, weight_zp = 0>} : (tensor<1x8x8x4xi8>, tensor<16x3x3x4xi8>, tensor<16xi32>) -> tensor<1x8x8x16xi32>
  return %0 : tensor<1x8x8x16xi32>
}
func.func @qmm(%a: tensor<1x16x32xi8>, %b: tensor<1x32x8xi8>) -> tensor<1x16x8xi32> {
  %0 = tosa.matmul %a, %b {quantization_info = #tosa.matmul_quant<a_zp = 3, b_zp = 5>} : (tensor<1x16x32xi8>, tensor<1x32x8xi8>) -> tensor<1x16x8xi32>
  return %0 : tensor<1x16x8xi32>
}
func.func @qdw(%input: tensor<1x8x8x4xi8>, %weight: tensor<3x3x4x2xi8>, %bias: tensor<8xi32>) -> tensor<1x8x8x8xi32> {
  %0 = tosa.depthwise_conv2d %input, %weight, %bias {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, quantization_info = #tosa.conv_quant<input_zp = -128, weight_zp = 0>} : (tensor<1x8x8x4xi8>, tensor<3x3x4x2xi8>, tensor<8xi32>) -> tensor<1x8x8x8xi32>
  return %0 : tensor<1x8x8x8xi32>
}
