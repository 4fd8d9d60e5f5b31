//===- mapper/SearchEngine.cpp - Parallel, deterministic evaluation ===//
#include "mapper/Mapper.h"

#include "arch/Arch.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace tessel {

double Objective::of(const Report &report) const {
  return of(double(report.cycles), report.energy.total());
}

double Objective::of(double cycles, double energy) const {
  switch (kind) {
  case Kind::Cycles:
    return cycles;
  case Kind::Energy:
    return energy;
  case Kind::EnergyDelay:
    return cycles * energy;
  case Kind::Weighted:
    return std::pow(cycles, cycleWeight) * std::pow(energy, 1 - cycleWeight);
  case Kind::Lexicographic: {
    // Cycles are whole numbers: energy, mapped monotonically into [0, 0.5)
    // (its log10 over 10^-30 .. 10^70 pJ), breaks their ties. Resolved to
    // about 0.01% of the energy below 10^9 cycles (the double's spacing).
    double key = (std::log10(std::max(energy, 1e-30)) + 30) / 200;
    return cycles + std::clamp(key, 0.0, 0.499);
  }
  }
  return cycles * energy;
}

std::string Objective::name() const {
  switch (kind) {
  case Kind::Cycles:
    return "cycles";
  case Kind::Energy:
    return "energy";
  case Kind::EnergyDelay:
    return "edp";
  case Kind::Weighted: {
    char text[32];
    std::snprintf(text, sizeof text, "weighted:%g", cycleWeight);
    return text;
  }
  case Kind::Lexicographic:
    return "lex";
  }
  return "edp";
}

std::optional<Objective> Objective::parse(const std::string &text) {
  Objective objective;
  if (text == "cycles")
    objective.kind = Kind::Cycles;
  else if (text == "energy")
    objective.kind = Kind::Energy;
  else if (text == "edp")
    objective.kind = Kind::EnergyDelay;
  else if (text == "lex" || text == "lex:cycles,energy")
    objective.kind = Kind::Lexicographic;
  else if (text.rfind("weighted:", 0) == 0) {
    char *end = nullptr;
    std::string number = text.substr(9);
    double weight = std::strtod(number.c_str(), &end);
    if (number.empty() || *end != '\0' || weight < 0 || weight > 1)
      return std::nullopt;
    objective.kind = Kind::Weighted;
    objective.cycleWeight = weight;
  } else {
    return std::nullopt;
  }
  return objective;
}

/// Threads that live as long as the search (so that each keeps its
/// model's per-thread memos warm from batch to batch) and run the jobs of
/// one batch at a time.
struct SearchEngine::Pool {
  explicit Pool(unsigned threads) {
    for (unsigned w = 1; w < threads; ++w)
      helpers.emplace_back([this] { serve(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    wake.notify_all();
    for (std::thread &helper : helpers)
      helper.join();
  }

  /// Runs job(i) for i in [0, count) on this thread and the helpers, and
  /// `aside` on this thread while the helpers start on the jobs.
  template <typename Job>
  void run(size_t count, const Job &job,
           const std::function<void()> &aside = nullptr) {
    if (helpers.empty() || count <= 1) {
      for (size_t i = 0; i < count; ++i)
        job(i);
      if (aside)
        aside();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      current = [&job](size_t i) { job(i); };
      jobs = count;
      next = 0;
      busy = unsigned(helpers.size());
      ++batch;
    }
    wake.notify_all();
    if (aside)
      aside();
    work();
    std::unique_lock<std::mutex> lock(mutex);
    done.wait(lock, [this] { return busy == 0; });
    current = nullptr;
  }

private:
  std::vector<std::thread> helpers;
  std::mutex mutex;
  std::condition_variable wake, done;
  std::function<void(size_t)> current;
  size_t jobs = 0;
  std::atomic<size_t> next{0};
  uint64_t batch = 0;
  unsigned busy = 0;
  bool stop = false;

  void work() {
    for (size_t i = next++; i < jobs; i = next++)
      current(i);
  }
  void serve() {
    uint64_t seen = 0;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [&] { return stop || batch != seen; });
        if (stop)
          return;
        seen = batch;
      }
      work();
      std::lock_guard<std::mutex> lock(mutex);
      if (--busy == 0)
        done.notify_one();
    }
  }
};

SearchEngine::SearchEngine(const MapSpace &space, const CostModel &model,
                           const SearchOptions &options, std::string mapperName)
    : space(space), model(model), options(options),
      pool(new Pool(std::max(1u, options.threads))),
      start(std::chrono::steady_clock::now()), lastProgress(start) {
  best.mapper = std::move(mapperName);
}

SearchEngine::~SearchEngine() = default;

uint64_t SearchEngine::remaining() const {
  if (options.maxEvaluations == 0)
    return UINT64_MAX;
  return options.maxEvaluations > best.evaluations
             ? options.maxEvaluations - best.evaluations
             : 0;
}

std::vector<double> SearchEngine::evaluate(const std::vector<Genome> &batch) {
  return evaluate(batch.data(), batch.size());
}

std::vector<double> SearchEngine::evaluate(const Genome *batch,
                                           size_t size) {
  return evaluateGenomes(batch, size, false, nullptr);
}

std::vector<double>
SearchEngine::evaluateGenomes(const Genome *batch, size_t size, bool prunable,
                              const std::function<void()> &aside) {
  size_t count = std::min<uint64_t>(size, remaining());
  if (decoded.size() < count)
    decoded.resize(count);
  return evaluateMappings(decoded.data(), count, prunable, batch, aside);
}

std::vector<double> SearchEngine::evaluate(const std::vector<Mapping> &batch) {
  return evaluateMappings(
      batch.data(), std::min<uint64_t>(batch.size(), remaining()), false);
}

void SearchEngine::evaluateForBest(const std::vector<Genome> &batch,
                                   const std::function<void()> &aside) {
  evaluateGenomes(batch.data(), batch.size(), true, aside);
}

void SearchEngine::evaluateForBest(const std::vector<Mapping> &batch) {
  evaluateMappings(batch.data(),
                   std::min<uint64_t>(batch.size(), remaining()), true);
}

double SearchEngine::entryCost() const {
  size_t capacity = size_t(std::max<uint64_t>(1, options.keepBest));
  return best.top.size() >= capacity ? best.top.back().cost
                                     : std::numeric_limits<double>::infinity();
}

std::vector<double> SearchEngine::evaluateMappings(const Mapping *mappings,
                                                   size_t count,
                                                   bool prunable,
                                                   const Genome *genomes,
                                                   const std::function<void()>
                                                       &aside) {
  std::vector<std::optional<Report>> reports(count);
  std::vector<char> pruned(count, 0); // Valid, ruled out by its floor.
  // A candidate enters the kept best only below this cost; it falls as the
  // batch is folded in, so a floor at or above it (taken before the batch,
  // whatever the threads) rules a candidate out. Floors are sums taken in
  // another order than the energy's: a relative 1e-9 below covers their
  // rounding.
  const double entry =
      prunable && options.pruneByFloor ? entryCost()
                                       : std::numeric_limits<double>::infinity();
  pool->run(count, [&](size_t i) {
    if (genomes) // Decoded where it is evaluated, on any thread.
      space.decode(genomes[i], decoded[i]);
    if (space.violation(mappings[i]))
      return;
    if (entry < std::numeric_limits<double>::infinity()) {
      CostFloor floor =
          model.floor(space.problem(), space.arch(), mappings[i]);
      if (floor.invalid)
        return;
      if (options.objective.of(floor.cycles, floor.energyPJ) * (1 - 1e-9) >=
          entry) {
        pruned[i] = 1;
        return;
      }
    }
    Evaluation evaluation =
        model.evaluate(space.problem(), space.arch(), mappings[i]);
    reports[i] = std::move(evaluation.report);
  }, aside);
  std::vector<double> costs(count, std::numeric_limits<double>::infinity());
  for (size_t i = 0; i < count; ++i) {
    ++best.evaluations;
    ++sinceImprovement;
    if (pruned[i]) {
      ++best.valid;
      ++best.pruned;
      continue;
    }
    if (!reports[i])
      continue;
    ++best.valid;
    costs[i] = options.objective.of(*reports[i]);
    keep(mappings[i], *reports[i], costs[i]);
    if (costs[i] < best.bestCost) {
      best.bestCost = costs[i];
      best.best = mappings[i];
      best.report = std::move(reports[i]);
      sinceImprovement = 0;
    }
  }
  report();
  return costs;
}

namespace {

/// `mapping` without its loops of factor 1 (they change nothing it does).
Mapping withoutUnitLoops(const Mapping &mapping) {
  Mapping trimmed = mapping;
  for (LevelMapping &level : trimmed.levels) {
    level.temporal.erase(
        std::remove_if(level.temporal.begin(), level.temporal.end(),
                       [](const Loop &loop) { return loop.factor == 1; }),
        level.temporal.end());
    level.spatial.erase(std::remove_if(level.spatial.begin(),
                                       level.spatial.end(),
                                       [](const SpatialLoop &loop) {
                                         return loop.factor == 1;
                                       }),
                        level.spatial.end());
  }
  return trimmed;
}

} // namespace

void SearchEngine::keep(const Mapping &mapping, const Report &report,
                        double cost) {
  std::vector<RankedMapping> &top = best.top;
  size_t capacity = size_t(std::max<uint64_t>(1, options.keepBest));
  if (top.size() >= capacity && !(cost < top.back().cost))
    return;
  // A mapping already kept comes back with the same cost: once is enough.
  // (One that fell out cannot come back: the kept ones all beat it.)
  Mapping trimmed = withoutUnitLoops(mapping);
  for (const RankedMapping &kept : top)
    if (withoutUnitLoops(kept.mapping) == trimmed)
      return;
  auto place = std::upper_bound(top.begin(), top.end(), cost,
                                [](double value, const RankedMapping &kept) {
                                  return value < kept.cost;
                                });
  top.insert(place, RankedMapping{mapping, report, cost});
  if (top.size() > capacity)
    top.pop_back();
}

void SearchEngine::report() {
  auto now = std::chrono::steady_clock::now();
  best.seconds = std::chrono::duration<double>(now - start).count();
  if (!options.onProgress ||
      std::chrono::duration<double>(now - lastProgress).count() < 0.5)
    return;
  lastProgress = now;
  options.onProgress(
      {best.evaluations, best.valid, best.seconds, best.bestCost, best.pruned});
}

bool SearchEngine::done() {
  if (options.stopRequested && options.stopRequested())
    finalReason = "interrupted";
  else if (options.maxEvaluations && best.evaluations >= options.maxEvaluations)
    finalReason = "budget";
  else if (options.maxSeconds > 0 && best.seconds >= options.maxSeconds)
    finalReason = "time";
  else if (options.patience && sinceImprovement >= options.patience)
    finalReason = "patience";
  return !finalReason.empty();
}

SearchResult SearchEngine::result() const {
  SearchResult result = best;
  result.stopReason = finalReason.empty() ? "exhausted" : finalReason;
  return result;
}

} // namespace tessel
