//===- mapper/AnnealingMapper.cpp - Simulated annealing ------------===//
//
// A Metropolis chain over log-cost: each step proposes a batch of one to
// three mutations of the current point (and a few fresh random points)
// (evaluated in parallel) and walks them in order, accepting a proposal that is
// better, or worse by d with probability exp(-d / T). T falls geometrically
// from 0.1 to 0.0001 over the evaluation budget (or over 20,000 evaluations
// when it is unlimited), and the chain returns to the best point found after 8
// steps without finding a better one.
//
//===----------------------------------------------------------------------===//
#include "mapper/Mappers.h"

#include <cmath>

namespace tessel {
namespace {

constexpr unsigned kProposals = 32;
constexpr unsigned kReturnAfter = 8;
constexpr unsigned kJumps = 4;
constexpr double kHot = 0.1, kCold = 0.0001;

class AnnealingMapper : public Mapper {
public:
  std::string name() const override { return "annealing"; }
  std::string description() const override {
    return "simulated annealing on log-cost with a geometric temperature "
           "schedule";
  }

  SearchResult search(const MapSpace &space, const CostModel &model,
                      const SearchOptions &options) const override {
    SearchEngine engine(space, model, options, name());
    std::mt19937_64 rng(options.seed);
    std::uniform_real_distribution<double> uniform(0, 1);
    double horizon =
        double(options.maxEvaluations ? options.maxEvaluations : 20000);
    // Start from the best of a random batch.
    std::vector<Genome> starts;
    for (unsigned i = 0; i < kProposals; ++i)
      starts.push_back(space.random(rng));
    std::vector<double> costs = engine.evaluate(starts);
    Genome current = starts[0];
    double currentCost = costs.empty() ? INFINITY : costs[0];
    for (size_t i = 1; i < costs.size(); ++i)
      if (costs[i] < currentCost) {
        current = starts[i];
        currentCost = costs[i];
      }
    uint64_t evaluated = costs.size();
    Genome best = current;
    double bestCost = currentCost;
    unsigned sinceBest = 0;
    while (!engine.done()) {
      double progress = std::min(1.0, double(evaluated) / horizon);
      double temperature = kHot * std::pow(kCold / kHot, progress);
      std::vector<Genome> proposals;
      for (unsigned i = 0; i < kProposals; ++i) {
        if (i < kJumps) { // Global moves keep the chain from getting stuck.
          proposals.push_back(space.random(rng));
          continue;
        }
        Genome proposal = space.mutate(current, rng);
        for (unsigned extra = rng() % 3; extra > 0; --extra)
          space.mutateInPlace(proposal, rng);
        proposals.push_back(std::move(proposal));
      }
      costs = engine.evaluate(proposals);
      evaluated += costs.size();
      for (size_t i = 0; i < costs.size(); ++i) {
        double draw = uniform(rng);
        if (!std::isfinite(costs[i]))
          continue;
        double delta = std::isfinite(currentCost)
                           ? std::log(costs[i]) - std::log(currentCost)
                           : -1;
        if (delta <= 0 || draw < std::exp(-delta / temperature)) {
          current = proposals[i];
          currentCost = costs[i];
        }
      }
      if (currentCost < bestCost) {
        best = current;
        bestCost = currentCost;
        sinceBest = 0;
      } else if (++sinceBest >= kReturnAfter) {
        current = best;
        currentCost = bestCost;
        sinceBest = 0;
      }
    }
    return engine.result();
  }
};

} // namespace

std::unique_ptr<Mapper> createAnnealingMapper() {
  return std::make_unique<AnnealingMapper>();
}

} // namespace tessel
