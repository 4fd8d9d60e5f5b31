// Shaped like torch-mlir's linalg-on-tensors output for a tiny residual
// block: ml_program globals, a padded convolution with bias and ReLU, a
// residual add, max pooling, flatten (collapse_shape), a linear layer
// (transpose + matmul + bias), a reshape back (expand_shape) and softmax.
#map = affine_map<(d0, d1, d2, d3) -> (d1)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#map2 = affine_map<(d0, d1) -> (d1)>
#map3 = affine_map<(d0, d1) -> (d0, d1)>
module attributes {torch.debug_module_name = "Block"} {
  ml_program.global private mutable @global_seed(dense<0> : tensor<i64>) : tensor<i64>
  func.func @forward(%x: tensor<1x4x8x8xf32>) -> tensor<1x1x10xf32> {
    %cst = arith.constant 0.000000e+00 : f32
    %ninf = arith.constant 0xFF800000 : f32
    %w = arith.constant dense<1.0> : tensor<4x4x3x3xf32>
    %b = arith.constant dense<0.5> : tensor<4xf32>
    %fw = arith.constant dense<0.25> : tensor<10x64xf32>
    %fb = arith.constant dense<0.1> : tensor<10xf32>
    %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
    ^bb0(%i: index, %j: index, %k: index, %l: index):
      tensor.yield %cst : f32
    } : tensor<1x4x8x8xf32> to tensor<1x4x10x10xf32>
    %e0 = tensor.empty() : tensor<1x4x8x8xf32>
    %bias = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<4xf32>) outs(%e0 : tensor<1x4x8x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
    } -> tensor<1x4x8x8xf32>
    %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %w : tensor<1x4x10x10xf32>, tensor<4x4x3x3xf32>) outs(%bias : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> loc("conv1")
    %relu = linalg.generic {indexing_maps = [#map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv : tensor<1x4x8x8xf32>) outs(%e0 : tensor<1x4x8x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %in, %cst : f32
      linalg.yield %m : f32
    } -> tensor<1x4x8x8xf32>
    %res = linalg.generic {indexing_maps = [#map1, #map1, #map1], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%relu, %x : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>) outs(%e0 : tensor<1x4x8x8xf32>) {
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %s = arith.addf %in, %in_1 : f32
      linalg.yield %s : f32
    } -> tensor<1x4x8x8xf32>
    %e1 = tensor.empty() : tensor<1x4x4x4xf32>
    %minus = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    %win = tensor.empty() : tensor<2x2xf32>
    %pool = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%res, %win : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%minus : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
    %flat = tensor.collapse_shape %pool [[0], [1, 2, 3]] : tensor<1x4x4x4xf32> into tensor<1x64xf32>
    %e2 = tensor.empty() : tensor<64x10xf32>
    %wt = linalg.transpose ins(%fw : tensor<10x64xf32>) outs(%e2 : tensor<64x10xf32>) permutation = [1, 0]
    %e3 = tensor.empty() : tensor<1x10xf32>
    %zero = linalg.fill ins(%cst : f32) outs(%e3 : tensor<1x10xf32>) -> tensor<1x10xf32>
    %fc = linalg.matmul ins(%flat, %wt : tensor<1x64xf32>, tensor<64x10xf32>) outs(%zero : tensor<1x10xf32>) -> tensor<1x10xf32>
    %fcb = linalg.generic {indexing_maps = [#map3, #map2, #map3], iterator_types = ["parallel", "parallel"]} ins(%fc, %fb : tensor<1x10xf32>, tensor<10xf32>) outs(%e3 : tensor<1x10xf32>) {
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %s = arith.addf %in, %in_1 : f32
      linalg.yield %s : f32
    } -> tensor<1x10xf32>
    %sm = linalg.softmax dimension(1) ins(%fcb : tensor<1x10xf32>) outs(%e3 : tensor<1x10xf32>) -> tensor<1x10xf32>
    %out = tensor.expand_shape %sm [[0, 1], [2]] output_shape [1, 1, 10] : tensor<1x10xf32> into tensor<1x1x10xf32>
    return %out : tensor<1x1x10xf32>
  }
}
