// RUN: tessel eval %s --arch %S/Inputs/packed32.yaml 2>&1 | FileCheck %s --check-prefix=WORDS
// RUN: tessel eval %s --arch %S/Inputs/packed32.yaml --precision declared 2>&1 | FileCheck %s --check-prefix=DECLARED
// RUN: tessel check %s --arch %S/Inputs/packed32.yaml --precision declared | FileCheck %s --check-prefix=TILES
// RUN: not tessel eval %s --arch %S/Inputs/packed32.yaml --precision bits 2>&1 | FileCheck %s --check-prefix=BAD

// C[0,0] += sum_k A[0,k] B[k,0], k = 64, i8 inputs and an i32 sum, on one
// PE under a DRAM of 32-bit words that reads one word a cycle. The i8
// inputs fit the words without a mismatch warning; by default each
// element is one word: 128 words read. Declared, four i8 share a word:
// 32 read cycles, and a read costs 100 / 4 = 25 pJ per element
// (64 x 25 = 1,600 pJ for A, plus its 64 bus hops).

// WORDS-NOT:  warning
// WORDS:      accesses per level x tensor (words):
// WORDS:      DRAM   A  64  0  0  64  64  6.{{[0-9]+}}
// WORDS:      compute 64, DRAM read 128
// DECLARED:   accesses per level x tensor (elements, at their declared widths):
// DECLARED:   DRAM   A  64  0  0  64  64  1.6{{[0-9]+}}
// DECLARED:   compute 64, DRAM read 32
// DECLARED:   + 32 exposed: first tile's fill

// Tiles in words of each level: A and B 64 bytes each in 16 words, C one.
// TILES:      DRAM  16  16  1  33  unbounded
// TILES-NEXT: Reg   16  16  1  33  1,000

// BAD: --precision must be 'words' or 'declared', got 'bits'

func.func @op(%a: tensor<1x64xi8>, %b: tensor<64x1xi8>, %c: tensor<1x1xi32>) -> tensor<1x1xi32> {
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: keep [A, B, C],
      Reg: temporal [k=64] keep [A, B, C]>}
    ins(%a, %b : tensor<1x64xi8>, tensor<64x1xi8>) outs(%c : tensor<1x1xi32>) -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}
