//===- bench/SimBench.cpp - Simulated PE-cycles per second ----------------===//
//
// The cycle-level simulator on one core: a weight-stationary GEMM on the
// 16x16 systolic preset (arch/presets/tpu16.yaml) and a convolution layer
// row-stationary on the Eyeriss-like preset. SystemC elaborates once per
// process, so each iteration simulates in a child process; the time is the
// child's simulation time (elaboration and fork excluded). The counter
// pe_cycles_per_second is simulated PE-cycles (PEs x cycles) per second.
//
//   ./build/bench/tessel_sim_bench
//
//===----------------------------------------------------------------------===//
#include "arch/ArchLoader.h"
#include "mapping/Mapping.h"
#include "mapping/MappingYaml.h"
#include "sim/Simulator.h"
#include "workloads/LinalgImport.h"

#include <benchmark/benchmark.h>

#include <stdexcept>

namespace tessel {
namespace {

struct Case {
  Problem problem;
  Arch arch;
  Mapping mapping;

  Case(const std::string &mlir, const std::string &preset,
       const std::string &mappingYaml) {
    WorkloadSet set = importLinalgSource(mlir, "bench.mlir");
    if (set.problems.size() != 1)
      throw std::runtime_error("bench: the op did not import");
    problem = set.problems[0];
    arch = loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/" + preset +
                    ".yaml");
    std::vector<NamedMapping> named =
        parseMappingYaml(mappingYaml, "bench-mapping.yaml");
    std::vector<MappingError> errors;
    if (!resolveMapping(named.at(0).mapping, problem, arch, mapping, errors) ||
        !verifyMapping(problem, arch, mapping).empty())
      throw std::runtime_error("bench: the mapping is invalid");
  }
};

/// C[m,n] += A[m,k] * B[k,n], m=2048 n=64 k=64: 16x16 weight tiles held in
/// the PEs, inputs streamed across the rows, partial sums reduced down the
/// columns.
const Case &tpuGemm() {
  static const Case c(
      "func.func @gemm(%a: tensor<2048x64xi8>, %b: tensor<64x64xi8>, %c: "
      "tensor<2048x64xi32>) -> tensor<2048x64xi32> {\n"
      "  %r = linalg.matmul ins(%a, %b : tensor<2048x64xi8>, "
      "tensor<64x64xi8>) outs(%c : tensor<2048x64xi32>) -> "
      "tensor<2048x64xi32>\n"
      "  return %r : tensor<2048x64xi32>\n}\n",
      "tpu16",
      "mappings:\n"
      "  - levels:\n"
      "      - {level: DRAM, temporal: [n=4, k=4], keep: [A, B, C]}\n"
      "      - {level: GlobalBuffer, temporal: [m=2048], spatial: [n=16@X, "
      "k=16@Y], keep: [A, B, C]}\n"
      "      - {level: PERegisters, keep: [B]}\n");
  return c;
}

/// A 3x3 convolution, 16 -> 32 channels on 28x28, row-stationary: output
/// rows across the 14 columns, filter rows x 4 filters down the 12 rows.
const Case &eyerissConv() {
  static const Case c(
      "func.func @conv(%i: tensor<1x30x30x16xi16>, %w: tensor<3x3x16x32xi16>, "
      "%o: tensor<1x28x28x32xi16>) -> tensor<1x28x28x32xi16> {\n"
      "  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : "
      "tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%i, %w : "
      "tensor<1x30x30x16xi16>, tensor<3x3x16x32xi16>) outs(%o : "
      "tensor<1x28x28x32xi16>) -> tensor<1x28x28x32xi16>\n"
      "  return %r : tensor<1x28x28x32xi16>\n}\n",
      "eyeriss",
      "mappings:\n"
      "  - levels:\n"
      "      - {level: DRAM, temporal: [f=2, oh=2], keep: [I, W, O]}\n"
      "      - {level: GlobalBuffer, temporal: [ow=28, c=4], spatial: "
      "[oh=14@X, kh=3@Y, f=4@Y], keep: [I, W, O]}\n"
      "      - {level: Scratchpad, temporal: [f=4, c=4, kw=3], keep: [I, W, "
      "O]}\n");
  return c;
}

void simulateCase(benchmark::State &state, const Case &c) {
  double peCycles = 0, seconds = 0;
  for (auto _ : state) {
    sim::SimResult result = sim::simulateIsolated(c.problem, c.arch, c.mapping);
    if (!result.error.empty()) {
      state.SkipWithError(result.error.c_str());
      return;
    }
    state.SetIterationTime(result.seconds);
    peCycles += double(result.pes) * double(result.report.cycles);
    seconds += result.seconds;
    state.counters["cycles"] = double(result.report.cycles);
    state.counters["pes"] = double(result.pes);
  }
  state.counters["pe_cycles_per_second"] = seconds > 0 ? peCycles / seconds : 0;
}

void BM_Tpu16Gemm(benchmark::State &state) { simulateCase(state, tpuGemm()); }
void BM_EyerissConv(benchmark::State &state) {
  simulateCase(state, eyerissConv());
}

BENCHMARK(BM_Tpu16Gemm)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EyerissConv)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace
} // namespace tessel

BENCHMARK_MAIN();
