//===- support/MpiJobs.cpp ------------------------------------------------===//
#include "support/MpiJobs.h"

#include "support/Interrupt.h"

#include <mpi.h>

#include <cstdlib>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

namespace tessel {
namespace {

constexpr int kWork = 1;    ///< To a worker: a job's index and payload.
constexpr int kStop = 2;    ///< To a worker: no more jobs.
constexpr int kResult = 3;  ///< From a worker: a job's result.
constexpr int kStopped = 4; ///< From a worker: interrupted, no result.

/// A job on the wire: its index (8 bytes) then the payload or result.
std::string framed(uint64_t job, const std::string &bytes) {
  std::string out(sizeof job, '\0');
  for (size_t i = 0; i < sizeof job; ++i)
    out[i] = char((job >> (8 * i)) & 0xff);
  return out + bytes;
}
uint64_t jobOf(const std::string &message) {
  uint64_t job = 0;
  for (size_t i = 0; i < sizeof job && i < message.size(); ++i)
    job |= uint64_t(uint8_t(message[i])) << (8 * i);
  return job;
}

std::string receive(int source, int tag, MPI_Status &status) {
  MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string bytes(size_t(count), '\0');
  MPI_Recv(bytes.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG,
           MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return bytes;
}

void send(const std::string &bytes, int rank, int tag) {
  MPI_Send(bytes.data(), int(bytes.size()), MPI_CHAR, rank, tag,
           MPI_COMM_WORLD);
}

std::string runOrAbort(const std::function<std::string(const std::string &)> &run,
                       const std::string &payload) {
  try {
    return run(payload);
  } catch (const std::exception &error) {
    std::cerr << error.what() << "\n";
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  return "";
}

/// Ranks 1..N-1.
void serve(const std::function<std::string(const std::string &)> &run) {
  while (true) {
    MPI_Status status;
    std::string message = receive(0, MPI_ANY_TAG, status);
    if (status.MPI_TAG == kStop)
      return;
    uint64_t job = jobOf(message);
    std::string result = runOrAbort(run, message.substr(8));
    if (interrupted())
      send(framed(job, ""), 0, kStopped); // Rank 0 answers with stop.
    else
      send(framed(job, result), 0, kResult);
  }
}

/// Rank 0's own worker thread (MPI stays on the main thread).
class LocalWorker {
public:
  explicit LocalWorker(const std::function<std::string(const std::string &)> &run)
      : run(run), thread([this] { loop(); }) {}
  ~LocalWorker() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    wake.notify_all();
    thread.join();
  }
  void give(size_t job, const std::string &payload) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      work = {job, payload};
    }
    wake.notify_all();
  }
  std::optional<std::pair<size_t, std::string>> take() {
    std::lock_guard<std::mutex> lock(mutex);
    auto result = std::move(done);
    done.reset();
    return result;
  }

private:
  const std::function<std::string(const std::string &)> &run;
  std::mutex mutex;
  std::condition_variable wake;
  std::optional<std::pair<size_t, std::string>> work, done;
  bool stop = false;
  std::thread thread;

  void loop() {
    while (true) {
      std::pair<size_t, std::string> job;
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait(lock, [this] { return stop || work; });
        if (stop)
          return;
        job = *work;
      }
      std::string result = runOrAbort(run, job.second);
      std::lock_guard<std::mutex> lock(mutex);
      work.reset();
      done = std::make_pair(job.first, std::move(result));
    }
  }
};

bool lead(const std::vector<std::string> &jobs,
          const std::function<std::string(const std::string &)> &run,
          const std::function<void(size_t, const std::string &)> &onResult,
          int ranks) {
  size_t next = 0;
  int busy = 0;
  bool stopping = false;
  auto handOut = [&](int rank) {
    if (!stopping && !interrupted() && next < jobs.size()) {
      send(framed(next, jobs[next]), rank, kWork);
      ++next;
      ++busy;
    } else {
      send("", rank, kStop);
    }
  };
  LocalWorker local(run);
  bool localBusy = false;
  for (int rank = 1; rank < ranks; ++rank)
    handOut(rank);
  while (true) {
    if (interrupted())
      stopping = true;
    if (!localBusy && !stopping && next < jobs.size()) {
      local.give(next, jobs[next]);
      ++next;
      localBusy = true;
    }
    if (localBusy) {
      if (auto result = local.take()) {
        localBusy = false;
        if (interrupted())
          stopping = true; // Cut short: not recorded.
        else
          onResult(result->first, result->second);
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
    std::string message = receive(status.MPI_SOURCE, status.MPI_TAG, status);
    --busy;
    if (status.MPI_TAG == kStopped)
      stopping = true;
    else
      onResult(size_t(jobOf(message)), message.substr(8));
    handOut(status.MPI_SOURCE);
  }
  return stopping || interrupted();
}

} // namespace

MpiJobsOutcome
runJobsMpi(const std::vector<std::string> &jobs,
           const std::function<std::string(const std::string &)> &run,
           const std::function<void(size_t, const std::string &)> &onResult) {
  // One MPI session for the process, however many runs it makes (a
  // `tessel study` runs several sweeps): initialised on the first run,
  // finalised at exit.
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    std::atexit([] {
      int finalized = 0;
      MPI_Finalized(&finalized);
      if (!finalized)
        MPI_Finalize();
    });
  }
  MpiJobsOutcome outcome;
  MPI_Comm_rank(MPI_COMM_WORLD, &outcome.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &outcome.ranks);
  if (outcome.rank == 0) {
    try {
      outcome.interrupted = lead(jobs, run, onResult, outcome.ranks);
    } catch (const std::exception &error) {
      std::cerr << error.what() << "\n";
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
  } else {
    serve(run);
  }
  MPI_Barrier(MPI_COMM_WORLD); // Every rank done before the next run.
  return outcome;
}

} // namespace tessel
