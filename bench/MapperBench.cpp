//===- bench/MapperBench.cpp - Mapping ResNet-50 with each mapper ---------===//
//
// Each mapper maps every ResNet-50 layer on the Eyeriss-like and the
// TPU-like (16x16) presets with the reuse model, 2,000 evaluations per
// layer, one thread, seed 1; reports the wall time and the module's
// energy-delay product (total cycles x total energy, cycle*pJ) as counters.
// (The exhaustive mapper is left out: ResNet-50's spaces are ~10^20 points.)
// BM_SpaceSizes counts BERT-base's map spaces per constraint family
// (`tessel map --space`, capacity sampling off) on the simba and NVDLA
// presets; its unit is whole modules counted (8 ops each).
// BM_RandomSearch maps VGG-16's conv3_1 (K256 C128 R=S=3, 56x56; issue
// 18's case) on the Eyeriss-like preset with the random mapper, 200,000
// candidates, on 1 and 2 threads: items_per_second is candidates judged per
// second (each drawn, then rejected as invalid, ruled out by the model's
// floor, or evaluated in full); the counters say how many took each way.
// BM_ReuseModel_Residual evaluates seeded random residual-factorization
// mappings of ResNet-50's conv1 on simba (the clipped nest's exact
// counting); items_per_second is evaluations per second.
//
//   ./build/bench/tessel_mapper_bench
//
//===----------------------------------------------------------------------===//
#include "arch/ArchLoader.h"
#include "mapper/MapSpace.h"
#include "mapper/Mapper.h"
#include "model/CostModel.h"
#include "workloads/LinalgImport.h"

#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>

namespace tessel {
namespace {

const WorkloadSet &resnet50() {
  static const WorkloadSet layers = importLinalgFile(
      std::string(TESSEL_SOURCE_DIR) + "/workloads/zoo/resnet50.mlir");
  return layers;
}

void mapResNet50(benchmark::State &state, const std::string &mapper,
                 const std::string &preset) {
  Arch arch = loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/" +
                       preset + ".yaml");
  MapRequest request;
  request.mapper = mapper;
  request.options.maxEvaluations = 2000;
  request.options.seed = 1;
  double cycles = 0, energy = 0;
  uint64_t unmapped = 0;
  for (auto _ : state) {
    cycles = energy = 0;
    unmapped = 0;
    for (const Problem &layer : resnet50().problems) {
      SearchResult result = mapProblem(layer, arch, request);
      if (!result.report) {
        ++unmapped;
        continue;
      }
      cycles += double(result.report->cycles);
      energy += result.report->energy.total();
    }
  }
  state.counters["cycles"] = cycles;
  state.counters["energy_pJ"] = energy;
  state.counters["EDP"] = cycles * energy;
  state.counters["unmapped_layers"] = double(unmapped);
}

void spaceSizesBert(benchmark::State &state, const std::string &preset) {
  static const WorkloadSet bert = importLinalgFile(
      std::string(TESSEL_SOURCE_DIR) + "/workloads/zoo/bert_base.mlir");
  Arch arch = loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/" +
                       preset + ".yaml");
  double log10Sum = 0;
  for (auto _ : state) {
    log10Sum = 0;
    for (const Problem &op : bert.problems) {
      MapSpace space(op, arch, Constraints{});
      for (const SpaceSize &size : space.sizes(/*capacitySamples=*/0))
        log10Sum += size.size.log10();
    }
  }
  state.counters["modules"] =
      benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["sum_log10_sizes"] = log10Sum;
}
BENCHMARK_CAPTURE(spaceSizesBert, simba, "simba")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(spaceSizesBert, nvdla, "nvdla")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

void BM_RandomSearch_Vgg16Conv3_1_Eyeriss(benchmark::State &state) {
  static const WorkloadSet vgg = importLinalgSource(
      "func.func @conv3_1(%in: tensor<1x58x58x128xf32>, %w: "
      "tensor<3x3x128x256xf32>, %out: tensor<1x56x56x256xf32>) -> "
      "tensor<1x56x56x256xf32> {\n"
      "  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : "
      "tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : "
      "tensor<1x58x58x128xf32>, tensor<3x3x128x256xf32>) outs(%out : "
      "tensor<1x56x56x256xf32>) -> tensor<1x56x56x256xf32>\n"
      "  return %0 : tensor<1x56x56x256xf32>\n}\n",
      "vgg16_conv3_1.mlir");
  if (vgg.problems.size() != 1)
    throw std::runtime_error("bench: conv3_1 did not import");
  Arch arch = loadArch(std::string(TESSEL_SOURCE_DIR) +
                       "/arch/presets/eyeriss.yaml");
  MapRequest request;
  request.mapper = "random";
  request.options.maxEvaluations = 200000;
  request.options.seed = 1;
  request.options.threads = unsigned(state.range(0));
  SearchResult result;
  for (auto _ : state)
    result = mapProblem(vgg.problems[0], arch, request);
  state.SetItemsProcessed(int64_t(state.iterations() * result.evaluations));
  state.counters["valid"] = double(result.valid);
  state.counters["pruned"] = double(result.pruned);
  state.counters["evaluated"] = double(result.valid - result.pruned);
  state.counters["cycles"] = result.report ? double(result.report->cycles) : 0;
}
BENCHMARK(BM_RandomSearch_Vgg16Conv3_1_Eyeriss)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_ReuseModel_Residual_Simba(benchmark::State &state) {
  static const WorkloadSet resnet = importLinalgFile(
      std::string(TESSEL_SOURCE_DIR) + "/workloads/zoo/resnet50.mlir");
  static const Arch arch =
      loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/simba.yaml");
  const Problem &conv1 = resnet.problems.front();
  std::unique_ptr<CostModel> model = createCostModel("reuse");
  static const std::vector<Mapping> mappings = [&] {
    Constraints residual;
    residual.factorization = Factorization::Residual;
    MapSpace space(conv1, arch, residual);
    std::mt19937_64 rng(7);
    std::vector<Mapping> legal;
    for (unsigned i = 0; i < 2000 && legal.size() < 50; ++i) {
      Mapping mapping = space.decode(space.random(rng));
      if (model->evaluate(conv1, arch, mapping).report)
        legal.push_back(mapping);
    }
    return legal;
  }();
  if (mappings.empty())
    throw std::runtime_error("no legal residual mapping of conv1 on simba");
  size_t next = 0;
  uint64_t checksum = 0;
  for (auto _ : state) {
    Evaluation evaluation = model->evaluate(conv1, arch, mappings[next]);
    checksum += evaluation.report->cycles;
    benchmark::DoNotOptimize(checksum);
    next = next + 1 == mappings.size() ? 0 : next + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["mappings"] = double(mappings.size());
}
BENCHMARK(BM_ReuseModel_Residual_Simba)->Unit(benchmark::kMillisecond);

#define MAPPER_BENCHMARK(mapper, preset)                                       \
  BENCHMARK_CAPTURE(mapResNet50, mapper##_##preset, #mapper, #preset)          \
      ->Unit(benchmark::kMillisecond)                                          \
      ->Iterations(1)

MAPPER_BENCHMARK(random, eyeriss);
MAPPER_BENCHMARK(hillclimb, eyeriss);
MAPPER_BENCHMARK(annealing, eyeriss);
MAPPER_BENCHMARK(genetic, eyeriss);
MAPPER_BENCHMARK(random, tpu16);
MAPPER_BENCHMARK(hillclimb, tpu16);
MAPPER_BENCHMARK(annealing, tpu16);
MAPPER_BENCHMARK(genetic, tpu16);

} // namespace
} // namespace tessel

BENCHMARK_MAIN();
