//===- tools/tessel/MpiHandoff.h - `tessel` under mpirun --------*- C++ -*-===//
//
// `tessel` links no MPI. Started by mpirun, the commands that can use the
// ranks (sweep, validate) hand the process to `tessel-mpi`, built beside it
// where Open MPI is installed: the same program with support/MpiJobs.h.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TOOLS_MPIHANDOFF_H
#define TESSEL_TOOLS_MPIHANDOFF_H

#include <string>

namespace tessel::cli {

/// Replaces this process with `tessel-mpi` (beside this binary) and the
/// same arguments. Returns (1, after saying why) only if it cannot.
int handToMpiBuild(const std::string &command);

} // namespace tessel::cli

#endif // TESSEL_TOOLS_MPIHANDOFF_H
