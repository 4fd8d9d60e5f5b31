//===- mapper/RandomMapper.cpp - Random sampling -------------------===//
#include "mapper/Mappers.h"

namespace tessel {
namespace {

class RandomMapper : public Mapper {
public:
  std::string name() const override { return "random"; }
  std::string description() const override {
    return "independent random points of the map space";
  }

  SearchResult search(const MapSpace &space, const CostModel &model,
                      const SearchOptions &options) const override {
    SearchEngine engine(space, model, options, name());
    std::mt19937_64 rng(options.seed);
    std::vector<Genome> batch(kBatchSize); // Storage reused.
    while (!engine.done()) {
      for (Genome &genome : batch)
        space.random(rng, genome);
      engine.evaluateForBest(batch);
    }
    return engine.result();
  }
};

} // namespace

std::unique_ptr<Mapper> createRandomMapper() {
  return std::make_unique<RandomMapper>();
}

} // namespace tessel
