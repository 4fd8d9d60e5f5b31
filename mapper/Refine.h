//===- mapper/Refine.h - Re-ranking the model's best by simulation -*- C++ -*-//
//
// Simulation in the loop: a search keeps the K best distinct mappings by
// the cost model (SearchOptions::keepBest); each is simulated (through a
// process boundary: `tessel map --refine-with-sim K` runs `tessel sim` per
// candidate, tools/tessel/Refine.h) and the one the simulator rates best on
// the same objective is chosen. This is the ranking: which candidate wins,
// each one's rank by the simulator, and whether the model's rank-1 was the
// simulator's best. A candidate whose simulation failed has no sim rank and
// cannot be chosen; when none was simulated, the model's best stays.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPER_REFINE_H
#define TESSEL_MAPPER_REFINE_H

#include "mapper/Mapper.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

/// The simulator's figures of one mapping.
struct SimulatedFigures {
  uint64_t cycles = 0;
  double energyPJ = 0;
};

struct RefineCandidate {
  uint64_t modelRank = 0; ///< 1 = the model's best.
  uint64_t modelCycles = 0;
  double modelEnergyPJ = 0;
  double modelCost = 0;
  std::optional<SimulatedFigures> sim; ///< Absent when it failed.
  std::string failure;                 ///< Why there is no `sim`.
  double simSeconds = 0;
  // Set by rankBySimulation:
  double simCost = 0;   ///< The objective of `sim`.
  uint64_t simRank = 0; ///< 1 = the simulator's best; 0 without `sim`.

  /// (model - sim) / sim in percent; 0 without `sim` or for a zero sim.
  double cyclesErrorPercent() const;
  double energyErrorPercent() const;
};

struct RefineRanking {
  std::vector<RefineCandidate> candidates; ///< In model order.
  /// Index of the chosen candidate: the simulator's best; the model's best
  /// (0) when `simulated` is 0.
  size_t chosen = 0;
  uint64_t simulated = 0; ///< Candidates with a simulated figure.
  /// Whether the simulator rated the model's rank-1 (it was simulated) and
  /// some other candidate strictly better.
  bool modelBestComparable() const;
  bool modelBestWasNotSimBest() const;
  /// Whether the model rated the chosen candidate exactly as its rank-1
  /// (a tie the search order broke), when the two differ.
  bool chosenTiedModelBest() const;
};

/// Ranks `candidates` (in model order, modelRank 1, 2, ...) by the
/// simulated `objective`; equal simulated costs keep the model's order.
RefineRanking rankBySimulation(std::vector<RefineCandidate> candidates,
                               const Objective &objective);

} // namespace tessel

#endif // TESSEL_MAPPER_REFINE_H
