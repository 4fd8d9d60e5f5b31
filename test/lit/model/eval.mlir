// RUN: tessel eval %s --arch %S/Inputs/two.yaml | FileCheck %s
// RUN: tessel eval %s --arch %S/Inputs/two.yaml --model all | FileCheck %s --check-prefix=ALL
// RUN: tessel eval %s --arch %S/Inputs/two.yaml --json | FileCheck %s --check-prefix=JSON
// RUN: not tessel eval %s --arch %S/Inputs/two.yaml --model timeloop 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// C[m,n] += A[m,k] * B[k,n], m=2 n=2 k=4, worked by hand (as in
// test/model/ModelTest.cpp): Buf fills A 8, B 8; DRAM reads 16 words at 1
// per cycle (the bottleneck: 16 cycles against 8 compute steps), plus 13
// cycles to start, 2 to end and 5 at Buf's tile change that the busy DRAM
// cannot hide (ModelTest.cpp works them out); energy DRAM 160 + 120 + 20
// hops = 300 pJ, Buf 28 + 32 + 48 = 108 pJ, MACs 8 pJ.

// CHECK:      model reuse
// CHECK:      level  tensor  reads  fills  updates  net words  net hops  energy (pJ)
// CHECK:      DRAM   A  8  0  0  8  8  88.0
// CHECK-NEXT: DRAM   B  8  0  0  8  8  88.0
// CHECK-NEXT: DRAM   C  0  0  4  4  4  124.0
// CHECK-NEXT: Buf    A  8  8  0  8  8  24.0
// CHECK-NEXT: Buf    B 16  8  0 16 16  32.0
// CHECK-NEXT: Buf    C  4  0 16 16 16  52.0
// CHECK-NEXT: MAC                        8.0
// CHECK:      total                      416.0
// CHECK:      cycles       36  (bottleneck: DRAM read)
// CHECK-NEXT:              compute 8, DRAM read 16
// CHECK-NEXT:              + 13 exposed: start (first words to the PEs)
// CHECK-NEXT:              + 2 exposed: end (last sums to DRAM)
// CHECK-NEXT:              + 5 exposed: Buf tile changes (1 wait, double-buffered)
// CHECK-NEXT: energy       416.00 pJ  (26.000 pJ/MAC)
// CHECK-NEXT: MACs         16
// CHECK-NEXT: utilization  22.2%
// Leakage, apart from the energy: Buf's 200 bytes are CACTI's smallest SRAM
// macro (4.70431 uW), the two fp16 MACs 3000 um^2 each at Aladdin's 12.08
// nW/um^2 (36.25 uW each): 77.21 uW over 36 cycles of 1 ns is 2.78 pJ.
// CHECK-NEXT: leakage      2.78 pJ over 36 cycles (not in energy; energy + leakage 418.78 pJ)
// CHECK:      module total (reuse): 1 op, 36 cycles, 416.00 pJ, 16 MACs (26.000 pJ/MAC)

// ALL:      model     cycles  energy (pJ)  pJ/MAC  utilization  bottleneck
// ALL:      reuse     36  416.00  26.000  22.2%  DRAM read
// dataflow (ModelTest.cpp, Gemm.DataflowPricesEveryStep...): DRAM's two
// steps of 8 words at 1/cycle, 8 each, the first plus Buf's 5-cycle run:
// 13 + 8 = 21; C goes up every DRAM step: energy 424 + 112 + 8 = 544 pJ.
// ALL-NEXT: dataflow  21  544.00  34.000  38.1%  ingress-bound steps at DRAM (2 of 2)
// ALL-NEXT: roofline  16

// JSON:      "energyWithLeakagePJ": 418.7795
// JSON:      "leakageEnergyPJ": 2.7795
// JSON:      "model": "reuse"
// JSON:      "energyPJ": 416

// UNKNOWN: tessel eval: --model: must be one of: reuse, dataflow, roofline, all; got 'timeloop'

func.func @gemm(%a: tensor<2x4xf32>, %b: tensor<4x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %r = linalg.matmul {tessel.mapping = #tessel.mapping<
      DRAM: temporal [k=2] keep [A, B, C],
      Buf: temporal [m=2, k=2] spatial [n=2 @X] keep [A, B, C]>}
    ins(%a, %b : tensor<2x4xf32>, tensor<4x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
