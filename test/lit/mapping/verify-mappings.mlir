// RUN: tessel-opt %s -split-input-file -verify-diagnostics --tessel-verify-mappings=arch=%S/Inputs/small.yaml

// Every kind of invalid mapping on the small arch (DRAM; Buffer: 1024 words,
// 4x4 children; PE: 16 words), with the message a user sees.

// A legal mapping: no diagnostics.
func.func @legal(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4, n=2] keep [A, B, C],
      Buffer: temporal [k=8] spatial [n=4 @X, k=4 @Y] keep [A, C],
      PE: temporal [m=4] keep [B]>}
    ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// -----

func.func @bound(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{invalid mapping: dimension 'k': the product of its factors is 8 but its bound is 32; the factors must multiply to 32}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4, n=2] keep [A, B, C],
      Buffer: temporal [k=8] spatial [n=4 @X] keep [A, C],
      PE: temporal [m=4] keep [B]>}
    ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// -----

func.func @padding(%a: tensor<16x30xf32>, %b: tensor<30x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{invalid mapping: dimension 'k': the product of its factors is 32, padding its bound 30 by 7%, beyond the allowed 0%}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4, n=2] keep [A, B, C],
      Buffer: temporal [k=8] spatial [n=4 @X, k=4 @Y] keep [A, C],
      PE: temporal [m=4] keep [B]>}
    ins(%a, %b : tensor<16x30xf32>, tensor<30x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// -----

func.func @fanout(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{invalid mapping: level 'Buffer': spatial factors on X multiply to 8 but the level has 4 children on X}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4] keep [A, B, C],
      Buffer: temporal [k=8] spatial [n=8 @X, k=4 @Y] keep [A, C],
      PE: temporal [m=4] keep [B]>}
    ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// -----

// 3x3 taps at stride 2 over a 4x4 output tile: the input halo is 9x9.
func.func @capacity(%i: tensor<1x9x9x4xf32>, %w: tensor<3x3x4x8xf32>, %o: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  // expected-error @+1 {{invalid mapping: level 'PE': the tiles it keeps need 324 words (I 324) but it holds 16}}
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>,
      tessel.mapping = #tessel.mapping<
        DRAM: temporal [f=8] keep [I, W, O],
        Buffer: keep [W, O],
        PE: temporal [oh=4, ow=4, kh=3, kw=3, c=4] keep [I]>}
    ins(%i, %w : tensor<1x9x9x4xf32>, tensor<3x3x4x8xf32>) outs(%o : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %r : tensor<1x4x4x8xf32>
}

// -----

func.func @keeps(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+2 {{invalid mapping: level 'DRAM' is the outermost and must keep every tensor, but bypasses 'C'}}
  // expected-error @+1 {{invalid mapping: level 'Buffer' keeps no tensor; keep at least one or remove its loops from the Arch}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4, n=2] keep [A, B],
      Buffer: temporal [k=8] spatial [n=4 @X, k=4 @Y] keep [],
      PE: temporal [m=4] keep [B]>}
    ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// -----

func.func @names(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+3 {{invalid mapping: mapping level 2 is 'GLB' but Arch level 2 is 'Buffer'; the Arch's levels are DRAM, Buffer, PE}}
  // expected-error @+2 {{invalid mapping: level 'GLB': unknown dimension 'q'; the op's dimensions are m, n, k}}
  // expected-error @+1 {{invalid mapping: level 'PE': unknown tensor 'D' in 'keep'; the op's tensors are A, B, C}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4, n=2] keep [A, B, C],
      GLB: temporal [q=8] keep [A, C],
      PE: temporal [m=4] keep [D]>}
    ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// -----

func.func @levels(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{invalid mapping: the mapping has 2 levels (DRAM, PE) but the Arch 'small' has 3 (DRAM, Buffer, PE), outer to inner}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4, n=2, k=32] keep [A, B, C],
      PE: temporal [m=4] keep [B]>}
    ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}


// -----

// Factors whose product wraps in 64 bits to the bound (4611686018427387908
// x 4 = 2^64 + 16) are an overflow, never a legal mapping.
func.func @overflow(%a: tensor<16x32xf32>, %b: tensor<32x8xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // expected-error @+1 {{invalid mapping: dimension 'm': its factors (4611686018427387908 x 4) must be whole numbers >= 1 whose product fits in 64 bits, and should multiply to its bound 16}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [m=4611686018427387908, n=2] keep [A, B, C],
      Buffer: temporal [k=8] spatial [n=4 @X, k=4 @Y] keep [A, C],
      PE: temporal [m=4] keep [B]>}
    ins(%a, %b : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}
