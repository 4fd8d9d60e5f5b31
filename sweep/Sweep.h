//===- sweep/Sweep.h - Design-space sweeps -----------------------*- C++ -*-===//
//
// A sweep (YAML, docs/sweeps.md) names a base Arch, the Arch fields to vary
// (by path, each with a list or a range of values), the workloads, and how
// each op is mapped. Its points are every combination of the values (or a
// seeded sample of them), in a fixed order; each point's Arch is the base
// YAML with the point's values set, read by the ordinary Arch reader, so
// any field the Arch format has can be swept.
//
// runSweep() maps every op of every workload on every point and records
// each point in a SQLite database as it finishes (sweep/Database.h): a
// rerun skips the points already there, a point that fails is recorded
// with its error and the rest go on, and Ctrl-C loses only the point in
// flight.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SWEEP_SWEEP_H
#define TESSEL_SWEEP_SWEEP_H

#include "support/Launch.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel {

struct Arch;

/// Bad sweep YAML or a bad point; what() reads `sweep.yaml:12:5: error: ...`.
class SweepError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct SweepParameter {
  std::string name; ///< The column's name (the path or setting unless given).
  std::string path; ///< `Level.field[.field...]` or a top-level field.
  /// Or, instead of an Arch field, one of the run's settings: `arch` (a
  /// preset or Arch file per value), `mapper`, `model`, `objective`,
  /// `constraints` (a constraints file per value, or `none`), `budget`.
  std::string setting;
  /// Each value as YAML text (`65536`, `[16, 16]`, `true`, `genetic`).
  std::vector<std::string> values;
  /// For `arch` and `constraints`: each value's file (resolved; "" for
  /// `none`), and for `arch` its YAML.
  std::vector<std::string> files, texts;
  unsigned line = 0;
};

/// The names `setting:` accepts.
const std::vector<std::string> &sweepSettingNames();

struct SweepWorkload {
  std::string file;             ///< Resolved MLIR file.
  std::vector<std::string> ops; ///< Empty: every op of the file.
  unsigned line = 0;
};

struct SweepSpec {
  std::string file; ///< The sweep file.
  std::string text; ///< Its text: the sweep's identity in a database.
  std::string name;
  std::string description; ///< What the sweep shows (for reports).
  std::string archFile; ///< The base Arch's file (a preset resolved).
  std::string archText; ///< Its YAML.
  std::vector<SweepParameter> parameters;
  std::vector<SweepWorkload> workloads;
  std::string mapper = "genetic";
  std::string model = "reuse";
  std::string objective = "edp";
  std::string precision = "words";
  std::string constraintsFile; ///< Resolved; empty for none.
  uint64_t budget = 2000;
  uint64_t seed = 1;
  /// Evaluate this many points drawn (seeded) from the grid; 0: all.
  uint64_t sample = 0;
  /// Limits a design must meet to count as feasible (recorded per point).
  std::optional<double> minUtilization;
  std::optional<double> maxAreaMm2;
  /// Simulate each op's best mapping (`tessel sim`, a process per op).
  bool simulate = false;
  /// Count each op's map space per constraint family (MapSpace::sizes).
  bool space = false;
  double simTimeoutSeconds = 300;
};

/// Reads a sweep; relative paths resolve against the sweep file's folder,
/// then `root` (the repository: presets and the model zoo). Checks that
/// every file, preset, op and parameter path exists.
SweepSpec loadSweep(const std::string &path, const std::string &root);
SweepSpec parseSweep(const std::string &text, const std::string &fileName,
                     const std::string &root);

/// One design: a value per parameter.
struct SweepPoint {
  uint64_t index = 0;          ///< In the grid (row-major, first slowest).
  std::vector<size_t> choice;  ///< Per parameter: the value's index.
  std::string key;             ///< `name=value, ...`: the point's identity.
};

/// The value (YAML text) `point` gives parameter `p`, or "?" if the point
/// does not name one (a database row of another grid).
inline const std::string &parameterValue(const SweepSpec &spec,
                                         const SweepPoint &point, size_t p) {
  static const std::string unknown = "?";
  if (p >= point.choice.size() ||
      point.choice[p] >= spec.parameters[p].values.size())
    return unknown;
  return spec.parameters[p].values[point.choice[p]];
}

/// The point at `index` of the grid (index < gridSize(spec)).
SweepPoint sweepPoint(const SweepSpec &spec, uint64_t index);
/// The grid's size (every combination), checked against 2^64.
uint64_t gridSize(const SweepSpec &spec);
/// The points to evaluate, in grid order: all of them, or `sample` drawn
/// without replacement with the spec's seed.
std::vector<SweepPoint> sweepPoints(const SweepSpec &spec);
/// The point's Arch; throws SweepError naming the sweep file, the point and
/// what the Arch reader refused.
Arch archAt(const SweepSpec &spec, const SweepPoint &point);

/// How a point's ops are mapped: the sweep's settings with the point's
/// `setting:` values in place.
struct PointSettings {
  std::string archFile; ///< The base Arch's file at this point.
  std::string mapper, model, objective, constraintsFile;
  uint64_t budget = 0;
};
PointSettings settingsAt(const SweepSpec &spec, const SweepPoint &point);

/// What one op cost at one point, with the mapping found.
struct OpResult {
  std::string op;
  uint64_t cycles = 0;
  double energyPJ = 0;
  uint64_t macs = 0;
  double utilization = 0;
  uint64_t evaluations = 0;
  double seconds = 0;  ///< The search's wall time (not reproducible).
  /// With `space: true`: the map space's size after each family,
  /// `family=size; ...` (SpaceCount::text: exact digits, `~` estimates).
  std::string space;
  std::string mapping; ///< Mapping YAML.
  /// The simulator's figures for that mapping ("" status: not simulated).
  std::string simStatus;
  uint64_t simCycles = 0;
  double simEnergyPJ = 0;
};

/// One point's outcome.
struct PointResult {
  SweepPoint point;
  std::string status = "ok"; ///< "ok" or "failed".
  std::string error;
  uint64_t cycles = 0; ///< Ops run one after another: summed.
  double energyPJ = 0;
  double edp = 0; ///< cycles x pJ of the totals.
  uint64_t macs = 0;
  double utilization = 0; ///< MACs / (cycles x peak MACs per cycle).
  bool feasible = true;   ///< Meets the sweep's limits.
  double areaMm2 = 0;     ///< On-chip area (arch/Area.h).
  double leakageMW = 0;
  double seconds = 0;
  /// "" (not simulated), "ok" (every op simulated: the sums below) or why
  /// not ("failed: op: reason").
  std::string simStatus;
  uint64_t simCycles = 0;
  double simEnergyPJ = 0;
  std::vector<OpResult> ops;
};

/// One op of a point for the simulator: its workload file, the file of its
/// mapping, the op's name.
struct SimulationJob {
  std::string op, workloadFile, mappingFile, directory;
};
struct SimulatedOp {
  bool ok = false;
  uint64_t cycles = 0;
  double energyPJ = 0;
  std::string failure; ///< Why not, when !ok.
};

struct SweepProgress {
  uint64_t done = 0, total = 0, skipped = 0, failed = 0;
  double seconds = 0; ///< Since the run started.
  const PointResult *last = nullptr;
};

struct SweepOptions {
  std::string database; ///< The SQLite file (created if missing).
  unsigned threads = 1; ///< Per search (the result does not depend on it).
  std::function<void(const SweepProgress &)> onProgress;
  /// Where each point's Arch and mappings are written for the simulator.
  std::string workDirectory;
  /// Runs the simulator (a child process per op: the tool supplies it, so
  /// that this library starts no process). Needed when the sweep has
  /// `simulate: true`; `arch` is the point's Arch file.
  std::function<std::vector<SimulatedOp>(
      const std::string &arch, const std::vector<SimulationJob> &jobs,
      double timeoutSeconds)>
      simulate;
};

struct SweepSummary {
  uint64_t points = 0;  ///< Evaluated in this run.
  uint64_t skipped = 0; ///< Already in the database.
  uint64_t failed = 0;
  bool interrupted = false;
};

/// Counts `result` in `summary` and `progress` (`seconds` since the run
/// started) and reports progress: what a run does once a point is recorded.
void countRecorded(const PointResult &result, double seconds,
                   SweepSummary &summary, SweepProgress &progress,
                   const std::function<void(const SweepProgress &)> &onProgress);

/// Evaluates every point not yet in the database and records it. Throws
/// SweepError if the database holds another sweep or cannot be written.
SweepSummary runSweep(const SweepSpec &spec, const SweepOptions &options);

/// Evaluates one point (no database).
PointResult evaluatePoint(const SweepSpec &spec, const SweepPoint &point,
                          const SweepOptions &options);
/// The point's Arch as YAML (what archAt() reads).
std::string archYamlAt(const SweepSpec &spec, const SweepPoint &point);

/// A point's result as bytes (every figure exact: doubles to 17 digits)
/// and back, for results sent between processes (sweep/SweepMpi.h).
std::string encodePoint(const PointResult &result);
/// Throws std::runtime_error on bytes encodePoint() did not make.
PointResult decodePoint(const std::string &bytes, const SweepSpec &spec);

/// What a distributed run needs of the single-process one: the points
/// still to do (not in the database), in grid order.
std::vector<SweepPoint> pointsToDo(const SweepSpec &spec,
                                   const std::set<uint64_t> &finished);

} // namespace tessel

#endif // TESSEL_SWEEP_SWEEP_H
