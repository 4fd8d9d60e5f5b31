//===- support/Launch.h - Was this process started by mpirun? --*- C++ -*-===//
//
// Open MPI's mpirun (or a PMIx/PMI launcher) tells each process its rank and
// the job's size in the environment before MPI starts; `tessel` reads them
// to hand a command to `tessel-mpi` and to let only rank 0 print.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_LAUNCH_H
#define TESSEL_SUPPORT_LAUNCH_H

#include <cstdlib>
#include <initializer_list>

namespace tessel {

/// Whether this process is one of several ranks started by mpirun.
inline bool launchedByMpirun() {
  for (const char *name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    if (const char *value = std::getenv(name))
      return std::atoi(value) > 1;
  return false;
}

/// This process's rank by the launcher (0 when not launched by mpirun).
inline int launchRank() {
  for (const char *name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"})
    if (const char *value = std::getenv(name))
      return std::atoi(value);
  return 0;
}

} // namespace tessel

#endif // TESSEL_SUPPORT_LAUNCH_H
