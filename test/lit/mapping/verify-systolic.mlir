// RUN: tessel-opt %s -verify-diagnostics --tessel-verify-mappings=arch=%presets/tpu16.yaml

// On the 16x16 systolic array, inputs flow along X: m (which indexes A)
// cannot spread on X.
func.func @systolic(%a: tensor<16x16xi8>, %b: tensor<16x16xi8>, %c: tensor<16x16xi32>) -> tensor<16x16xi32> {
  // expected-error @+1 {{invalid mapping: level 'GlobalBuffer': the systolic network forwards inputs along X, so a spatial loop on X must not index 'A', but 'm' does}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [n=16] keep [A, B, C],
      GlobalBuffer: spatial [m=16 @X, k=16 @Y] keep [A, B, C],
      PERegisters: keep [B]>}
    ins(%a, %b : tensor<16x16xi8>, tensor<16x16xi8>) outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return %r : tensor<16x16xi32>
}
