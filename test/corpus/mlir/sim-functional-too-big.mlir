#map = affine_map<(d0, d1) -> (d0 + d1 * 1000000000)>
#map1 = affine_map<(d0, d1) -> (d1)>
#map2 = affine_map<(d0, d1) -> (d0)>
#mapping = #tessel.mapping<
  DRAM: temporal [d1=2] keep [in0, in1, out],
  Buffer: temporal [d1=2] spatial [d0=2 @X, d1=2 @X, d0=4 @Y] keep [out],
  PE: keep [in1, out]
>
module {
  func.func @wide(%arg0: tensor<8000000000xf32>, %arg1: tensor<8xf32>, %arg2: tensor<8xf32>) -> tensor<8xf32> {
    %0 = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "reduction"]} ins(%arg0, %arg1 : tensor<8000000000xf32>, tensor<8xf32>) outs(%arg2 : tensor<8xf32>) attrs =  {tessel.mapping = #mapping} {
    ^bb0(%in: f32, %in_0: f32, %out: f32):
      %1 = arith.mulf %in, %in_0 : f32
      %2 = arith.addf %out, %1 : f32
      linalg.yield %2 : f32
    } -> tensor<8xf32>
    return %0 : tensor<8xf32>
  }
}

// Corpus case: a contraction whose input spans 7*10^9 words (i + 10^9 j):
// a functional simulation would allocate 56 GB; it is refused up front.
// RUN: tessel sim %s --arch %inputs/small.yaml --functional
// ERROR: %s:11:10: error: simulating 'wide' would hold 7e+09 words of tensors and 18 buffer and PE instances (5.6e+10 bytes), more than the 4 GiB limit
