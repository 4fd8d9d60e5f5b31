// Four ops whose best mappings were recorded (seeded searches) before the
// search got faster: the speed work must not change what a seed finds.
// VGG-16 conv3_1 (VGG02 layer 5), a 3x3 ResNet-50 layer, a BERT-base
// projection and a MobileNetV2 depthwise layer.
func.func @vgg_conv3_1(%in: tensor<1x58x58x128xi8>, %w: tensor<3x3x128x256xi8>, %out: tensor<1x56x56x256xi32>) -> tensor<1x56x56x256xi32> {
  %0 = linalg.conv_2d_nhwc_hwcf
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<1x58x58x128xi8>, tensor<3x3x128x256xi8>)
         outs(%out : tensor<1x56x56x256xi32>) -> tensor<1x56x56x256xi32>
  return %0 : tensor<1x56x56x256xi32>
}

func.func @resnet_layer2_conv2(%in: tensor<1x30x30x128xi8>, %w: tensor<3x3x128x128xi8>, %out: tensor<1x28x28x128xi32>) -> tensor<1x28x28x128xi32> {
  %0 = linalg.conv_2d_nhwc_hwcf
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<1x30x30x128xi8>, tensor<3x3x128x128xi8>)
         outs(%out : tensor<1x28x28x128xi32>) -> tensor<1x28x28x128xi32>
  return %0 : tensor<1x28x28x128xi32>
}

func.func @bert_projection(%a: tensor<128x768xi8>, %b: tensor<768x768xi8>, %c: tensor<128x768xi32>) -> tensor<128x768xi32> {
  %0 = linalg.matmul ins(%a, %b : tensor<128x768xi8>, tensor<768x768xi8>)
                     outs(%c : tensor<128x768xi32>) -> tensor<128x768xi32>
  return %0 : tensor<128x768xi32>
}

func.func @mobilenet_depthwise(%in: tensor<1x58x58x144xi8>, %w: tensor<3x3x144xi8>, %out: tensor<1x56x56x144xi32>) -> tensor<1x56x56x144xi32> {
  %0 = linalg.depthwise_conv_2d_nhwc_hwc
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<1x58x58x144xi8>, tensor<3x3x144xi8>)
         outs(%out : tensor<1x56x56x144xi32>) -> tensor<1x56x56x144xi32>
  return %0 : tensor<1x56x56x144xi32>
}
