//===- sweep/SweepMpi.cpp -------------------------------------------------===//
#include "sweep/SweepMpi.h"

#include "sweep/Database.h"

#include "support/Interrupt.h"
#include "support/MpiJobs.h"

#include <chrono>
#include <memory>

namespace tessel {

MpiSweepOutcome runSweepMpi(const SweepSpec &spec,
                            const SweepOptions &options) {
  // Rank 0 (the launcher's rank 0) owns the database and the list of
  // points still to do; a job is a point's index, its result the point's
  // encodePoint() bytes.
  bool root = launchRank() == 0;
  std::unique_ptr<SweepDatabase> database;
  std::vector<std::string> jobs;
  MpiSweepOutcome outcome;
  SweepProgress progress;
  if (root) {
    database = std::make_unique<SweepDatabase>(options.database, spec);
    std::set<uint64_t> finished = database->finishedPoints();
    for (const SweepPoint &point : pointsToDo(spec, finished))
      jobs.push_back(std::to_string(point.index));
    progress.total = jobs.size() + finished.size();
    progress.done = progress.skipped = outcome.summary.skipped =
        finished.size();
  }
  auto start = std::chrono::steady_clock::now();
  auto run = [&](const std::string &payload) {
    uint64_t index = std::stoull(payload);
    if (index >= gridSize(spec))
      throw SweepError("rank 0 sent point " + payload + ", outside the grid");
    return encodePoint(evaluatePoint(spec, sweepPoint(spec, index), options));
  };
  auto record = [&](size_t, const std::string &bytes) {
    PointResult result = decodePoint(bytes, spec);
    database->record(result);
    countRecorded(result,
                  std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - start)
                      .count(),
                  outcome.summary, progress, options.onProgress);
  };
  MpiJobsOutcome ran = runJobsMpi(jobs, run, record);
  outcome.rank = ran.rank;
  outcome.ranks = ran.ranks;
  outcome.summary.interrupted = ran.interrupted;
  return outcome;
}

} // namespace tessel
