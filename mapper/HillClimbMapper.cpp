//===- mapper/HillClimbMapper.cpp - Hill climbing with restarts ----===//
//
// Starts from the best of a batch of random points, then repeatedly tries a
// batch of neighbours (one to three mutations each) and moves to the best
// one if it improves; after a few batches without improvement it restarts
// from a fresh random batch. Keeps the best point seen.
//
//===----------------------------------------------------------------------===//
#include "mapper/Mappers.h"

#include <cmath>

namespace tessel {
namespace {

constexpr unsigned kNeighbours = 64;
constexpr unsigned kStaleBatches = 4;

class HillClimbMapper : public Mapper {
public:
  std::string name() const override { return "hillclimb"; }
  std::string description() const override {
    return "steepest descent over batches of mutated neighbours, with "
           "random restarts";
  }

  SearchResult search(const MapSpace &space, const CostModel &model,
                      const SearchOptions &options) const override {
    SearchEngine engine(space, model, options, name());
    std::mt19937_64 rng(options.seed);
    Genome current;
    double currentCost = INFINITY;
    unsigned stale = kStaleBatches; // Forces a start.
    while (!engine.done()) {
      if (stale >= kStaleBatches || !std::isfinite(currentCost)) {
        std::vector<Genome> starts;
        for (unsigned i = 0; i < kNeighbours; ++i)
          starts.push_back(space.random(rng));
        std::vector<double> costs = engine.evaluate(starts);
        size_t pick = 0;
        for (size_t i = 1; i < costs.size(); ++i)
          if (costs[i] < costs[pick])
            pick = i;
        if (costs.empty())
          break;
        current = starts[pick];
        currentCost = costs[pick];
        stale = 0;
        continue;
      }
      std::vector<Genome> neighbours;
      for (unsigned i = 0; i < kNeighbours; ++i) {
        Genome next = space.mutate(current, rng);
        for (unsigned extra = rng() % 3; extra > 0; --extra)
          space.mutateInPlace(next, rng);
        neighbours.push_back(std::move(next));
      }
      std::vector<double> costs = engine.evaluate(neighbours);
      size_t pick = costs.size();
      for (size_t i = 0; i < costs.size(); ++i)
        if (costs[i] < currentCost &&
            (pick == costs.size() || costs[i] < costs[pick]))
          pick = i;
      if (pick == costs.size()) {
        ++stale;
        continue;
      }
      current = neighbours[pick];
      currentCost = costs[pick];
      stale = 0;
    }
    return engine.result();
  }
};

} // namespace

std::unique_ptr<Mapper> createHillClimbMapper() {
  return std::make_unique<HillClimbMapper>();
}

} // namespace tessel
