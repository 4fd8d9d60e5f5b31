//===- mapper/ExhaustiveMapper.cpp - Every point of the pruned space
//===//
#include "mapper/Mappers.h"

namespace tessel {
namespace {

class ExhaustiveMapper : public Mapper {
public:
  std::string name() const override { return "exhaustive"; }
  std::string description() const override {
    return "every point of the pruned map space, in order (for small spaces "
           "or as a reference)";
  }

  SearchResult search(const MapSpace &space, const CostModel &model,
                      const SearchOptions &options) const override {
    SearchEngine engine(space, model, options, name());
    std::vector<Mapping> batch;
    bool stopped = !space.enumerate([&](const Mapping &mapping) {
      batch.push_back(mapping);
      if (batch.size() < kBatchSize)
        return true;
      engine.evaluateForBest(batch);
      batch.clear();
      return !engine.done();
    });
    if (!stopped && !batch.empty()) {
      engine.evaluateForBest(batch);
      engine.done();
    }
    return engine.result();
  }
};

} // namespace

std::unique_ptr<Mapper> createExhaustiveMapper() {
  return std::make_unique<ExhaustiveMapper>();
}

} // namespace tessel
