//===- support/MpiJobs.h - Jobs spread over the ranks of an MPI job -*- C++ -*-//
//
// Dynamic scheduling over MPI_COMM_WORLD: rank 0 hands out one job at a
// time (a payload of bytes) and gets each job's result back as bytes; a rank
// that finishes gets the next job. Every rank runs jobs, rank 0 on a thread
// of its own beside the one that talks MPI, so N ranks are N workers. Only
// `tessel-mpi` links this (Open MPI, libopenmpi-dev).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_MPIJOBS_H
#define TESSEL_SUPPORT_MPIJOBS_H

#include <functional>
#include <string>
#include <vector>

namespace tessel {

struct MpiJobsOutcome {
  int rank = 0;
  int ranks = 1;
  /// SIGINT/SIGTERM stopped the run; jobs not handed out never ran.
  bool interrupted = false;
};

/// Runs `jobs` (rank 0's list; the others' is ignored): `run(payload)` on
/// some rank returns the job's result, and on rank 0 `onResult(job,
/// result)` records it (on rank 0's MPI thread, in completion order).
/// Calls MPI_Init and MPI_Finalize. A run that throws aborts the job with
/// its message on stderr.
MpiJobsOutcome
runJobsMpi(const std::vector<std::string> &jobs,
           const std::function<std::string(const std::string &)> &run,
           const std::function<void(size_t, const std::string &)> &onResult);

} // namespace tessel

#endif // TESSEL_SUPPORT_MPIJOBS_H
