//===- bench/ModelBench.cpp - Mapping evaluations per second --------------===//
//
// The reuse model evaluating seeded random legal mappings of every ResNet-50
// layer on the Eyeriss-like preset, one core. items_per_second is
// evaluations per second.
//
// Warm: 432 mappings (8 per layer) cycled, so the model's per-thread memos
// answer every spatial structure after the first round. Cold: 21,600
// distinct mappings (400 per layer), each evaluated once, the memos emptied
// first: what a search of fresh random points costs.
//
//   ./build/bench/tessel_model_bench --benchmark_filter=ResNet50
//
//===----------------------------------------------------------------------===//
#include "arch/ArchLoader.h"
#include "mapping/RandomMapping.h"
#include "model/CostModel.h"
#include "model/NestAnalysis.h"
#include "workloads/LinalgImport.h"

#include <benchmark/benchmark.h>

#include <stdexcept>

namespace tessel {
namespace {

struct Case {
  const Problem *problem;
  Mapping mapping;
};

/// ResNet-50's layers, the preset, and a pool of legal mappings (a few per
/// layer), built once.
struct Pool {
  WorkloadSet layers;
  Arch arch;
  std::vector<Case> cases;

  Pool(const std::string &preset, unsigned perLayer) {
    layers = importLinalgFile(std::string(TESSEL_SOURCE_DIR) +
                              "/workloads/zoo/resnet50.mlir");
    arch = loadArch(std::string(TESSEL_SOURCE_DIR) + "/arch/presets/" + preset +
                    ".yaml");
    std::mt19937_64 rng(2026);
    for (const Problem &problem : layers.problems)
      for (unsigned i = 0; i < perLayer; ++i)
        if (auto mapping = randomLegalMapping(problem, arch, rng, 200000))
          cases.push_back({&problem, std::move(*mapping)});
    if (cases.empty())
      throw std::runtime_error("no legal mapping found");
  }
};

const Pool &eyerissPool() {
  static const Pool pool("eyeriss", 8);
  return pool;
}

void evaluateAll(benchmark::State &state, const Pool &pool,
                 const std::string &modelName) {
  std::unique_ptr<CostModel> model = createCostModel(modelName);
  size_t next = 0;
  uint64_t checksum = 0;
  for (auto _ : state) {
    const Case &c = pool.cases[next];
    Evaluation evaluation = model->evaluate(*c.problem, pool.arch, c.mapping);
    checksum += evaluation.report->cycles;
    benchmark::DoNotOptimize(checksum);
    next = next + 1 == pool.cases.size() ? 0 : next + 1;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["mappings"] = double(pool.cases.size());
}

void BM_ReuseModel_ResNet50_Eyeriss(benchmark::State &state) {
  evaluateAll(state, eyerissPool(), "reuse");
}
BENCHMARK(BM_ReuseModel_ResNet50_Eyeriss);

constexpr unsigned kColdPerLayer = 400;
constexpr size_t kColdEvaluations = 20000;

const Pool &coldPool() {
  static const Pool pool("eyeriss", kColdPerLayer);
  return pool;
}

/// Each mapping once, from empty memos.
void BM_ReuseModel_ResNet50_Eyeriss_Cold(benchmark::State &state) {
  const Pool &pool = coldPool();
  if (pool.cases.size() < kColdEvaluations)
    throw std::runtime_error("the cold pool is smaller than its iterations");
  std::unique_ptr<CostModel> model = createCostModel("reuse");
  NestAnalysis::clearMemos();
  size_t next = 0;
  uint64_t checksum = 0;
  for (auto _ : state) {
    const Case &c = pool.cases[next++];
    Evaluation evaluation = model->evaluate(*c.problem, pool.arch, c.mapping);
    checksum += evaluation.report->cycles;
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["mappings"] = double(next);
}
BENCHMARK(BM_ReuseModel_ResNet50_Eyeriss_Cold)->Iterations(kColdEvaluations);

void BM_DataflowModel_ResNet50_Eyeriss(benchmark::State &state) {
  evaluateAll(state, eyerissPool(), "dataflow");
}
BENCHMARK(BM_DataflowModel_ResNet50_Eyeriss);

} // namespace
} // namespace tessel

BENCHMARK_MAIN();
