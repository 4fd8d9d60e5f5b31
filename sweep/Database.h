//===- sweep/Database.h - A sweep's results in SQLite ------------*- C++ -*-===//
//
// One file per sweep run directory (Debian's libsqlite3):
//
//   sweep(key, value)        the sweep file's text and name (its identity)
//   points(point, parameters, status, error, cycles, energy_pj, edp,
//          macs, utilization, feasible, seconds, sim_status, sim_cycles,
//          sim_energy_pj, area_mm2, leakage_mw)   one row per design
//   point_parameters(point, name, value)           the design's values
//   point_ops(point, op, cycles, energy_pj, edp, macs, utilization,
//             evaluations, mapping, sim_status, sim_cycles, sim_energy_pj,
//             seconds, space)                      one row per design x op
//
// Each point is written in one transaction when it finishes, so a killed
// run keeps every point it finished and a rerun skips them.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SWEEP_DATABASE_H
#define TESSEL_SWEEP_DATABASE_H

#include "sweep/Sweep.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <memory>

namespace tessel {

class SqliteDatabase;

class SweepDatabase {
public:
  /// Opens (creating if needed) `path` for `spec`; throws SweepError if it
  /// cannot, or if it holds a different sweep.
  SweepDatabase(const std::string &path, const SweepSpec &spec);
  ~SweepDatabase();
  SweepDatabase(const SweepDatabase &) = delete;
  SweepDatabase &operator=(const SweepDatabase &) = delete;

  /// The grid indices of the points already recorded (ok or failed).
  std::set<uint64_t> finishedPoints() const;
  /// Records one point and its ops, atomically.
  void record(const PointResult &result);
  /// Every recorded point, by grid index (ops included).
  std::vector<PointResult> results() const;

private:
  std::unique_ptr<SqliteDatabase> db;
  const SweepSpec &spec;
};

/// The points on the Pareto front of (cycles, energy, area): none other has
/// no more of each and less of one. Failed and infeasible points are left
/// out.
std::vector<uint64_t> paretoFront(const std::vector<PointResult> &results);

/// CSV of the results: one row per design (`points.csv`) and one per
/// design x op (`ops.csv`), the parameters as columns.
std::string pointsCsv(const SweepSpec &spec,
                      const std::vector<PointResult> &results);
std::string opsCsv(const SweepSpec &spec,
                   const std::vector<PointResult> &results);

} // namespace tessel

#endif // TESSEL_SWEEP_DATABASE_H
