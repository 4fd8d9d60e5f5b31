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
    // Two batches (storage reused): the next is drawn while the current
    // one is evaluated. The draws do not depend on the evaluations, so the
    // points, and the result, are those of drawing then evaluating.
    std::vector<Genome> batch(kBatchSize), next(kBatchSize);
    auto draw = [&](std::vector<Genome> &into) {
      for (Genome &genome : into)
        space.random(rng, genome);
    };
    draw(batch);
    while (!engine.done()) {
      engine.evaluateForBest(batch, [&] { draw(next); });
      batch.swap(next);
    }
    return engine.result();
  }
};

} // namespace

std::unique_ptr<Mapper> createRandomMapper() {
  return std::make_unique<RandomMapper>();
}

} // namespace tessel
