//===- bench/SystolicBench.cpp - The structural systolic array's speed ----===//
//
// Stepped PE-cycles per second of sim/SystolicSim on one core: PE objects
// the array actually advanced (a cycle in which nothing is in flight
// through the PEs steps none, and is counted as skipped), for a GEMM on a
// 32x32 array weight-, output- and input-stationary; and `tessel
// scalesim`'s work for AlexNet conv1 on a 32x32 weight-stationary array
// (one layer simulated from SCALE-Sim's inputs).
//
//   ./build/bench/tessel_systolic_bench
//
//===----------------------------------------------------------------------===//
#include "validation/ScaleSim.h"

#include <benchmark/benchmark.h>

namespace tessel {
namespace {

void simulateGemm(benchmark::State &state, const std::string &dataflow) {
  ScaleSimConfig config;
  config.arrayHeight = config.arrayWidth = 32;
  config.dataflow = dataflow;
  ScaleSimLayer layer;
  layer.name = "gemm";
  layer.gemm = true;
  layer.m = 1024;
  layer.n = 128;
  layer.k = 256;
  uint64_t stepped = 0, skipped = 0, cycles = 0;
  for (auto _ : state) {
    ScaleSimResult result = runScaleSimLayer(config, layer);
    stepped += result.run.steppedPeCycles;
    skipped += result.run.skippedPeCycles;
    cycles += result.cycles;
  }
  state.counters["stepped_pe_cycles_per_s"] =
      benchmark::Counter(double(stepped), benchmark::Counter::kIsRate);
  state.counters["skipped_pe_cycles_per_s"] =
      benchmark::Counter(double(skipped), benchmark::Counter::kIsRate);
  state.counters["cycles_per_s"] =
      benchmark::Counter(double(cycles), benchmark::Counter::kIsRate);
}

void BM_Gemm32x32WeightStationary(benchmark::State &state) {
  simulateGemm(state, "ws");
}
void BM_Gemm32x32OutputStationary(benchmark::State &state) {
  simulateGemm(state, "os");
}
void BM_Gemm32x32InputStationary(benchmark::State &state) {
  simulateGemm(state, "is");
}

void BM_ScaleSimAlexNetConv1(benchmark::State &state) {
  const std::string dir =
      std::string(TESSEL_SOURCE_DIR) + "/validation/references/scalesim/";
  ScaleSimConfig config = readScaleSimConfig(dir + "ws_32x32.cfg");
  ScaleSimLayer layer = readScaleSimTopology(dir + "alexnet_conv1.csv")[0];
  uint64_t stepped = 0;
  for (auto _ : state)
    stepped += runScaleSimLayer(config, layer).run.steppedPeCycles;
  state.counters["stepped_pe_cycles_per_s"] =
      benchmark::Counter(double(stepped), benchmark::Counter::kIsRate);
}

BENCHMARK(BM_Gemm32x32WeightStationary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Gemm32x32OutputStationary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Gemm32x32InputStationary)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScaleSimAlexNetConv1)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace tessel

BENCHMARK_MAIN();
