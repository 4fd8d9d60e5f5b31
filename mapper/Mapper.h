//===- mapper/Mapper.h - Search algorithms behind one interface -*- C++
//-*-===//
//
// A Mapper searches a MapSpace for the mapping a cost model rates best on an
// objective. Mappers are registered by name (Mappers.cpp); each is one file.
// They generate candidates in one thread from a seeded generator and hand
// them to the SearchEngine in batches, which evaluates a batch on many
// threads and folds the results in candidate order: the same seed gives the
// same result whatever the thread count (a time budget, by its nature,
// does not).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPER_MAPPER_H
#define TESSEL_MAPPER_MAPPER_H

#include "mapper/MapSpace.h"
#include "model/CostModel.h"

#include <chrono>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

/// What the search minimises: cycles, energy, energy-delay product,
/// cycles^w x energy^(1-w) (`weighted:w`; w = 0.5 ranks like EDP), or
/// cycles then energy (`lex`: the fewest cycles, energy breaking ties).
struct Objective {
  enum class Kind { Cycles, Energy, EnergyDelay, Weighted, Lexicographic };
  Kind kind = Kind::EnergyDelay;
  double cycleWeight = 0.5;

  double of(const Report &report) const;
  double of(double cycles, double energyPJ) const;
  std::string name() const;
  /// "cycles", "energy", "edp", "weighted:0.7", "lex" (or
  /// "lex:cycles,energy"); nullopt if malformed.
  static std::optional<Objective> parse(const std::string &text);
};

/// A snapshot for progress lines.
struct SearchProgress {
  uint64_t evaluations = 0;
  uint64_t valid = 0;
  double seconds = 0;
  double bestCost = std::numeric_limits<double>::infinity();
  uint64_t pruned = 0; ///< Of the valid (SearchResult::pruned).
};

struct SearchOptions {
  Objective objective;
  uint64_t maxEvaluations = 20000; ///< 0: unlimited.
  double maxSeconds = 0;           ///< 0: unlimited.
  uint64_t patience = 0; ///< Stop after this many without improvement; 0: off.
  unsigned threads = 1;
  uint64_t seed = 1;
  /// How many of the best distinct mappings SearchResult::top keeps (for
  /// re-ranking them, e.g. by simulation); at least 1.
  uint64_t keepBest = 1;
  /// Let mappers that use no candidate's cost but to keep the best
  /// (random, exhaustive) skip evaluating a candidate whose model floor
  /// (CostModel::floor) shows it cannot enter the kept best: the same
  /// result, sooner.
  bool pruneByFloor = true;
  /// Called at most twice a second while searching.
  std::function<void(const SearchProgress &)> onProgress;
  /// Polled between batches; returning true stops the search (Ctrl-C).
  std::function<bool()> stopRequested;
};

/// One of the best mappings a search found, with the model's Report.
struct RankedMapping {
  Mapping mapping;
  Report report;
  double cost = std::numeric_limits<double>::infinity();
};

struct SearchResult {
  std::string mapper;
  std::optional<Mapping> best;
  std::optional<Report> report; ///< The best mapping's Report.
  double bestCost = std::numeric_limits<double>::infinity();
  /// The `keepBest` best distinct mappings, best first: by cost, a tie
  /// going to the one evaluated first (so the same seed gives the same
  /// list); two mappings are the same when they differ only in loops of
  /// factor 1. top[0] is `best`.
  std::vector<RankedMapping> top;
  uint64_t evaluations = 0;
  uint64_t valid = 0;
  /// Of the valid, those the model's floor showed could not enter the kept
  /// best, so not evaluated in full (SearchOptions::pruneByFloor).
  uint64_t pruned = 0;
  double seconds = 0;
  std::string stopReason; ///< "budget", "time", "patience", "interrupted",
                          ///< "exhausted".
};

class Mapper {
public:
  virtual ~Mapper() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  virtual SearchResult search(const MapSpace &space, const CostModel &model,
                              const SearchOptions &options) const = 0;
};

std::unique_ptr<Mapper> createMapper(const std::string &name);
std::vector<std::string> mapperNames();

/// Evaluates candidates for a mapper: in parallel, folded in order, with
/// the budgets, the best so far and the progress callback.
class SearchEngine {
public:
  SearchEngine(const MapSpace &space, const CostModel &model,
               const SearchOptions &options, std::string mapperName);
  ~SearchEngine();

  /// Costs of the candidates (infinity when invalid), in order. Evaluates
  /// fewer when the evaluation budget ends inside the batch.
  std::vector<double> evaluate(const std::vector<Genome> &batch);
  std::vector<double> evaluate(const Genome *batch, size_t count);
  std::vector<double> evaluate(const std::vector<Mapping> &batch);
  /// For a mapper that uses no cost but to keep the best: evaluate()
  /// without the costs, skipping (where the options allow) each candidate
  /// whose floor shows it cannot enter the kept best. `aside` runs on the
  /// calling thread while other threads evaluate (the next batch's
  /// generation); it must not touch `batch`.
  void evaluateForBest(const std::vector<Genome> &batch,
                       const std::function<void()> &aside = nullptr);
  void evaluateForBest(const std::vector<Mapping> &batch);
  /// Whether a budget, the patience or an interrupt says stop.
  bool done();
  /// Candidates the evaluation budget still allows (SIZE_MAX if none).
  uint64_t remaining() const;
  void finish(const std::string &reason) { finalReason = reason; }
  SearchResult result() const;

private:
  struct Pool;
  const MapSpace &space;
  const CostModel &model;
  const SearchOptions &options;
  std::unique_ptr<Pool> pool;
  SearchResult best;
  uint64_t sinceImprovement = 0;
  std::string finalReason;
  std::chrono::steady_clock::time_point start, lastProgress;

  std::vector<Mapping> decoded; ///< Storage reused by evaluate(genomes).

  /// The genomes decoded into `decoded` (as many as the budget allows).
  std::vector<double> evaluateGenomes(const Genome *batch, size_t size,
                                      bool prunable,
                                      const std::function<void()> &aside);
  /// With `genomes`, mappings[i] is decoded[i], decoded from genomes[i]
  /// by the job that evaluates it.
  std::vector<double> evaluateMappings(const Mapping *mappings, size_t count,
                                       bool prunable,
                                       const Genome *genomes = nullptr,
                                       const std::function<void()> &aside =
                                           nullptr);
  /// The cost a candidate must beat to enter the kept best (infinity while
  /// fewer than keepBest are kept).
  double entryCost() const;
  void keep(const Mapping &mapping, const Report &report, double cost);
  void report();
};

/// A whole search request, as tools and passes make it.
struct MapRequest {
  std::string mapper = "genetic";
  std::string model = "reuse";
  /// Whose rules the model counts by (only `reuse` offers Timeloop's).
  Accounting accounting = Accounting::Tessel;
  Constraints constraints;
  SearchOptions options;
};

/// Builds the op's map space and searches it. Throws ConstraintError for
/// impossible constraints and std::invalid_argument for an unknown mapper
/// or model (naming the known ones).
SearchResult mapProblem(const Problem &problem, const Arch &arch,
                        const MapRequest &request);

} // namespace tessel

#endif
