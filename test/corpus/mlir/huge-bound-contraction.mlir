#a = affine_map<(i, j) -> (i + 1000000000 * j)>
#b = affine_map<(i, j) -> (j)>
#c = affine_map<(i, j) -> (i)>
func.func @wide(%a: tensor<8000000000xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>) -> tensor<8xf32> {
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "reduction"]} ins(%a, %b : tensor<8000000000xf32>, tensor<8xf32>) outs(%c : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
// Corpus case: huge bound contraction.
// RUN: tessel eval %s --arch %inputs/small.yaml --model roofline
// ERROR: %s:
