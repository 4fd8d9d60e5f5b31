// RUN: tessel-opt %s -split-input-file -verify-diagnostics

// Malformed mapping attributes give located errors, never a crash.

func.func @f(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{spatial loop 'n' needs an array axis: @X or @Y}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<DRAM: spatial [n=4] keep [A, B, C]>}
    ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

func.func @f(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{array axis must be @X or @Y, got @Z}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<DRAM: spatial [n=4 @Z] keep [A, B, C]>}
    ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

func.func @f(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{loop factor must be a positive integer, got 0}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<DRAM: temporal [m=0] keep [A, B, C]>}
    ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

func.func @f(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{level 'DRAM' needs 'keep [...]' listing the tensors it stores}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<DRAM: temporal [m=4]>}
    ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

func.func @f(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'temporal' given twice}}
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<DRAM: temporal [m=4] temporal [n=4] keep [A]>}
    ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

func.func @f(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>, %c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'tessel.mapping' must be a #tessel.mapping<...> attribute}}
  %r = linalg.matmul {tessel.mapping = "DRAM: m=4"}
    ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}
