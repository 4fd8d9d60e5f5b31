// RUN: tessel-opt %s -verify-diagnostics --tessel-verify-mappings=arch=%presets/tpu16.yaml

// On the 16x16 systolic array, words enter at the edges and move to
// neighbours. With m and k both on X and n on Y, no dataflow fits either
// way round: rows along Y, the input moving along them must not be indexed
// by m or k (both inputs are); rows along X, A (not indexed by n) moves
// along them, but C and B are both indexed by the rows' m or k, so neither
// can move down the columns.
func.func @systolic(%a: tensor<16x16xi8>, %b: tensor<16x16xi8>, %c: tensor<16x16xi32>) -> tensor<16x16xi32> {
  // expected-error @+1 {{invalid mapping: level 'GlobalBuffer': no dataflow of its systolic network runs these spatial loops}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [k=4] keep [A, B, C],
      GlobalBuffer: spatial [m=4 @X, k=4 @X, n=16 @Y] temporal [m=4] keep [A, B, C],
      PERegisters: keep [B]>}
    ins(%a, %b : tensor<16x16xi8>, tensor<16x16xi8>) outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return %r : tensor<16x16xi32>
}

// m on X and k on Y run input-stationary: B moves along the rows (Y is k),
// A stays in the PEs, the sums move down the columns.
func.func @inputStationary(%a: tensor<16x16xi8>, %b: tensor<16x16xi8>, %c: tensor<16x16xi32>) -> tensor<16x16xi32> {
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [n=16] keep [A, B, C],
      GlobalBuffer: spatial [m=16 @X, k=16 @Y] keep [A, B, C],
      PERegisters: keep [A]>}
    ins(%a, %b : tensor<16x16xi8>, tensor<16x16xi8>) outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return %r : tensor<16x16xi32>
}
