//===- mapper/GeneticMapper.cpp - A GAMMA-style genetic algorithm --===//
//
// After GAMMA (Kao & Krishna, ICCAD 2020): a population of mappings evolves
// by tournament selection, crossover of per-dimension factors and per-level
// orders and keeps, and mutation (moving a prime factor, swapping loops,
// flipping a keep), with the best few carried over unchanged (elitism).
//
//===----------------------------------------------------------------------===//
#include "mapper/Mappers.h"

#include <algorithm>
#include <numeric>

namespace tessel {
namespace {

constexpr unsigned kPopulation = 64;
constexpr unsigned kElite = 4;
constexpr unsigned kTournament = 3;

class GeneticMapper : public Mapper {
public:
  std::string name() const override { return "genetic"; }
  std::string description() const override {
    return "GAMMA-style genetic algorithm: tournament selection, crossover, "
           "mutation, elitism";
  }

  SearchResult search(const MapSpace &space, const CostModel &model,
                      const SearchOptions &options) const override {
    SearchEngine engine(space, model, options, name());
    std::mt19937_64 rng(options.seed);
    std::vector<Genome> population;
    for (unsigned i = 0; i < kPopulation; ++i)
      population.push_back(space.random(rng));
    std::vector<double> fitness = engine.evaluate(population);
    population.resize(fitness.size());
    // The next generation is built in the storage of the one before last
    // (genomes assigned, not made: a search breeds millions).
    std::vector<Genome> next;
    std::vector<double> nextFitness;
    std::vector<size_t> rank;
    while (!engine.done() && !population.empty()) {
      rank.resize(population.size());
      std::iota(rank.begin(), rank.end(), 0);
      std::stable_sort(rank.begin(), rank.end(), [&](size_t a, size_t b) {
        return fitness[a] < fitness[b];
      });
      auto select = [&]() -> const Genome & {
        size_t pick = rng() % population.size();
        for (unsigned k = 1; k < kTournament; ++k) {
          size_t other = rng() % population.size();
          if (fitness[other] < fitness[pick])
            pick = other;
        }
        return population[pick];
      };
      next.resize(kPopulation);
      nextFitness.clear();
      size_t elites = 0;
      for (; elites < kElite && elites < rank.size(); ++elites) {
        next[elites] = population[rank[elites]];
        nextFitness.push_back(fitness[rank[elites]]);
      }
      for (size_t i = elites; i < kPopulation; ++i) {
        // The two parents are drawn in sequence: as function arguments
        // their order would be the compiler's (g++ and clang differ), and
        // so would the search. (Second parent first, as g++ did, so the
        // baselines stay.)
        Genome &child = next[i];
        if (rng() % 10 < 8) {
          const Genome &second = select();
          const Genome &first = select();
          space.crossoverInto(first, second, rng, child);
        } else {
          child = select();
        }
        for (unsigned m = 1 + rng() % 2; m > 0; --m)
          space.mutateInPlace(child, rng);
      }
      std::vector<double> childFitness =
          engine.evaluate(next.data() + elites, kPopulation - elites);
      next.resize(elites + childFitness.size());
      nextFitness.insert(nextFitness.end(), childFitness.begin(),
                         childFitness.end());
      population.swap(next);
      fitness.swap(nextFitness);
    }
    return engine.result();
  }
};

} // namespace

std::unique_ptr<Mapper> createGeneticMapper() {
  return std::make_unique<GeneticMapper>();
}

} // namespace tessel
