//===- sweep/SweepMpi.cpp -------------------------------------------------===//
#include "sweep/SweepMpi.h"

#include "sweep/Database.h"

#include "support/Interrupt.h"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

namespace tessel {
namespace {

constexpr int kWork = 1;    ///< To a worker: a point's index (or kStop).
constexpr int kResult = 2;  ///< From a worker: encodePoint() bytes.
constexpr int kStopped = 3; ///< From a worker: interrupted, no result.
constexpr uint64_t kStop = UINT64_MAX;

void sendIndex(uint64_t index, int rank) {
  MPI_Send(&index, 1, MPI_UINT64_T, rank, kWork, MPI_COMM_WORLD);
}

/// Ranks 1..N-1: evaluate what rank 0 sends until it says stop.
void serve(const SweepSpec &spec, const SweepOptions &options) {
  while (true) {
    uint64_t index = 0;
    MPI_Recv(&index, 1, MPI_UINT64_T, 0, kWork, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (index == kStop)
      return;
    PointResult result;
    try {
      if (index >= gridSize(spec))
        throw SweepError("rank 0 sent point " + std::to_string(index) +
                         ", outside the grid");
      result = evaluatePoint(spec, sweepPoint(spec, index), options);
    } catch (const std::exception &error) {
      std::cerr << "tessel sweep: " << error.what() << "\n";
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (interrupted()) {
      MPI_Send(nullptr, 0, MPI_CHAR, 0, kStopped, MPI_COMM_WORLD);
      continue; // Rank 0 answers with stop.
    }
    std::string bytes = encodePoint(result);
    MPI_Send(bytes.data(), int(bytes.size()), MPI_CHAR, 0, kResult,
             MPI_COMM_WORLD);
  }
}

/// Rank 0's own worker: a thread that evaluates the points it is given
/// (MPI stays on the main thread).
class LocalWorker {
public:
  LocalWorker(const SweepSpec &spec, const SweepOptions &options)
      : spec(spec), options(options), thread([this] { run(); }) {}
  ~LocalWorker() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    wake.notify_all();
    thread.join();
  }
  bool idle() {
    std::lock_guard<std::mutex> lock(mutex);
    return !work && !done;
  }
  void give(const SweepPoint &point) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      work = point;
    }
    wake.notify_all();
  }
  /// The finished point, if any.
  std::optional<PointResult> take() {
    std::lock_guard<std::mutex> lock(mutex);
    std::optional<PointResult> result = std::move(done);
    done.reset();
    return result;
  }

private:
  const SweepSpec &spec;
  const SweepOptions &options;
  std::mutex mutex;
  std::condition_variable wake;
  std::optional<SweepPoint> work;
  std::optional<PointResult> done;
  bool stop = false;
  std::thread thread;

  void run() {
    while (true) {
      SweepPoint point;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [this] { return stop || work; });
        if (stop)
          return;
        point = *work;
      }
      PointResult result = evaluatePoint(spec, point, options);
      std::lock_guard<std::mutex> lock(mutex);
      work.reset();
      done = std::move(result);
    }
  }
};

SweepSummary lead(const SweepSpec &spec, const SweepOptions &options,
                  int ranks) {
  SweepDatabase database(options.database, spec);
  std::set<uint64_t> finished = database.finishedPoints();
  std::vector<SweepPoint> todo = pointsToDo(spec, finished);
  SweepSummary summary;
  SweepProgress progress;
  progress.total = todo.size() + finished.size();
  progress.done = progress.skipped = summary.skipped = finished.size();
  auto start = std::chrono::steady_clock::now();
  size_t next = 0;
  int busy = 0; // Remote workers with a point.
  bool stopping = false;
  auto handOut = [&](int rank) {
    if (!stopping && !interrupted() && next < todo.size()) {
      sendIndex(todo[next++].index, rank);
      ++busy;
    } else {
      sendIndex(kStop, rank);
    }
  };
  auto record = [&](const PointResult &result) {
    database.record(result);
    ++summary.points;
    summary.failed += result.status != "ok";
    progress.failed += result.status != "ok";
    ++progress.done;
    progress.seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
    progress.last = &result;
    if (options.onProgress)
      options.onProgress(progress);
  };
  LocalWorker local(spec, options);
  bool localBusy = false;
  for (int rank = 1; rank < ranks; ++rank)
    handOut(rank);
  while (true) {
    if (interrupted())
      stopping = true;
    if (!localBusy && !stopping && next < todo.size()) {
      local.give(todo[next++]);
      localBusy = true;
    }
    if (localBusy) {
      if (std::optional<PointResult> result = local.take()) {
        localBusy = false;
        if (interrupted())
          stopping = true; // Cut short: not recorded.
        else
          record(*result);
        continue;
      }
    }
    if (busy == 0 && !localBusy)
      break;
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
    if (!flag) {
      // Nothing yet: wait without spinning a core away from the workers.
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    int count = 0;
    MPI_Get_count(&status, MPI_CHAR, &count);
    std::string bytes(size_t(count), '\0');
    MPI_Recv(bytes.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG,
             MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    --busy;
    if (status.MPI_TAG == kStopped)
      stopping = true;
    else
      record(decodePoint(bytes, spec));
    handOut(status.MPI_SOURCE);
  }
  summary.interrupted = stopping || interrupted();
  return summary;
}

} // namespace

MpiSweepOutcome runSweepMpi(const SweepSpec &spec,
                            const SweepOptions &options) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MpiSweepOutcome outcome;
  MPI_Comm_rank(MPI_COMM_WORLD, &outcome.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &outcome.ranks);
  if (outcome.rank == 0) {
    try {
      outcome.summary = lead(spec, options, outcome.ranks);
    } catch (const std::exception &error) {
      std::cerr << error.what() << "\n";
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  } else {
    serve(spec, options);
  }
  MPI_Finalize();
  return outcome;
}

} // namespace tessel
