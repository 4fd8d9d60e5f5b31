//===- sweep/SweepMpi.h - A sweep over the ranks of an MPI job --*- C++ -*-===//
//
// `mpirun -n N tessel sweep ...` (support/MpiJobs.h): rank 0 owns the
// database and hands out points one at a time (dynamic scheduling: a rank
// that finishes gets the next point); every rank evaluates points, rank 0
// on a thread of its own beside the one that talks MPI, so N ranks are N
// workers. Results come back as encodePoint() bytes and rank 0 records each
// as it arrives. A
// point's figures do not depend on which rank computed it, so the database
// holds the same rows whatever N (only `seconds` differs, as it does
// between two single-process runs).
//
// Built only where Open MPI is (libopenmpi-dev); `tessel` itself does not
// link MPI: under mpirun it hands `tessel sweep` to `tessel-mpi`, the same
// program with this file.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SWEEP_SWEEPMPI_H
#define TESSEL_SWEEP_SWEEPMPI_H

#include "sweep/Sweep.h"

namespace tessel {

struct MpiSweepOutcome {
  int rank = 0;
  int ranks = 1;
  SweepSummary summary; ///< Rank 0's; the other ranks' is empty.
};

/// Runs the sweep over MPI_COMM_WORLD (MPI_Init and MPI_Finalize inside).
/// Rank 0 throws SweepError as runSweep() does; a worker that cannot go on
/// aborts the job with a message.
MpiSweepOutcome runSweepMpi(const SweepSpec &spec, const SweepOptions &options);

} // namespace tessel

#endif // TESSEL_SWEEP_SWEEPMPI_H
