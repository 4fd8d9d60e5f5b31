func.func @conv(%i: tensor<1x9x9x2xf32>, %w: tensor<3x3x2x4xf32>, %o: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>,
      tessel.mapping = #tessel.mapping<
        DRAM: temporal [f=2, oh=3] keep [I, W, O],
        GLB: temporal [kh=3, ow=3] spatial [f=2 @X, c=2 @Y] keep [I, W, O],
        PE: temporal [kw=3] keep [I, W, O]>}
    ins(%i, %w : tensor<1x9x9x2xf32>, tensor<3x3x2x4xf32>) outs(%o : tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32>
  return %r : tensor<1x3x3x4xf32>
}
