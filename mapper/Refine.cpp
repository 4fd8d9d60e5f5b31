//===- mapper/Refine.cpp - Re-ranking the model's best by simulation ------===//
#include "mapper/Refine.h"

#include <algorithm>

namespace tessel {
namespace {

double errorPercent(double model, double sim) {
  return sim == 0 ? 0 : (model - sim) / sim * 100;
}

} // namespace

double RefineCandidate::cyclesErrorPercent() const {
  return sim ? errorPercent(double(modelCycles), double(sim->cycles)) : 0;
}

double RefineCandidate::energyErrorPercent() const {
  return sim ? errorPercent(modelEnergyPJ, sim->energyPJ) : 0;
}

bool RefineRanking::modelBestComparable() const {
  return !candidates.empty() && candidates[0].sim.has_value();
}

bool RefineRanking::modelBestWasNotSimBest() const {
  return modelBestComparable() && candidates[0].simRank > 1;
}

bool RefineRanking::chosenTiedModelBest() const {
  return simulated > 0 && chosen != 0 &&
         candidates[chosen].modelCost == candidates[0].modelCost;
}

RefineRanking rankBySimulation(std::vector<RefineCandidate> candidates,
                               const Objective &objective) {
  RefineRanking ranking;
  ranking.candidates = std::move(candidates);
  std::vector<size_t> order;
  for (size_t i = 0; i < ranking.candidates.size(); ++i) {
    RefineCandidate &candidate = ranking.candidates[i];
    candidate.simRank = 0;
    candidate.simCost = 0;
    if (!candidate.sim)
      continue;
    candidate.simCost =
        objective.of(double(candidate.sim->cycles), candidate.sim->energyPJ);
    order.push_back(i);
  }
  // Stable: equal simulated costs keep the model's order.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return ranking.candidates[a].simCost < ranking.candidates[b].simCost;
  });
  for (size_t r = 0; r < order.size(); ++r) {
    RefineCandidate &candidate = ranking.candidates[order[r]];
    // Equal costs share a rank: the model's rank-1 tied with another is
    // still the simulator's best.
    candidate.simRank =
        r > 0 && candidate.simCost == ranking.candidates[order[r - 1]].simCost
            ? ranking.candidates[order[r - 1]].simRank
            : r + 1;
  }
  ranking.simulated = order.size();
  ranking.chosen = order.empty() ? 0 : order.front();
  return ranking;
}

} // namespace tessel
