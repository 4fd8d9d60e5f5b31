//===- validation/History.h - Validation runs over time ----------*- C++ -*-===//
//
// `tessel validate --history DB` appends each run's per-case figures to a
// SQLite database with the commit and the date; `tessel history DB` reads
// them back and flags every change between two consecutive runs of a suite
// beyond that suite's tolerances: regression benchmarking over time rather
// than against one baseline.
//
//   runs(run, suite, commit, date, cycles_tolerance, energy_tolerance)
//   figures(run, case_name, evaluator, cycles, energy_pj, cycles_error,
//           energy_error, status)
//
// `evaluator` is a model's name or "sim"; the errors are a model's against
// the simulator in percent (NULL where the simulator did not run).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_VALIDATION_HISTORY_H
#define TESSEL_VALIDATION_HISTORY_H

#include "validation/Validate.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

struct HistoryRun {
  int64_t run = 0;
  std::string suite, commit, date;
  Tolerances tolerances;
};

struct HistoryFigure {
  int64_t run = 0;
  std::string caseName, evaluator, status;
  uint64_t cycles = 0;
  double energyPJ = 0;
  std::optional<double> cyclesError, energyError;
};

struct History {
  std::vector<HistoryRun> runs;       ///< Oldest first.
  std::vector<HistoryFigure> figures; ///< By run, then case, evaluator.
};

/// Appends one run; returns its number. Throws SqliteError.
int64_t appendHistory(const std::string &path, const Suite &suite,
                      const std::vector<CaseResult> &results,
                      const std::string &commit, const std::string &date);
/// Reads every run. Throws SqliteError (a file that is no history).
History readHistory(const std::string &path);

/// A figure of one case and evaluator that moved between two consecutive
/// runs of its suite by more than the later run's tolerance.
struct HistoryChange {
  std::string suite, caseName, evaluator, figure; ///< "cycles", "energy".
  int64_t fromRun = 0, toRun = 0;
  double before = 0, after = 0;
  double relative = 0; ///< (after - before) / before.
};
std::vector<HistoryChange> historyChanges(const History &history);

/// history.dat and history.png/svg (gnuplot) in `dir`, made if missing:
/// each case and evaluator's cycles relative to its first run. "" or why
/// not (gnuplot missing or failed, `dir` unwritable).
std::string writeHistoryPlot(const History &history, const std::string &dir);

/// The commit of the repository at `root` (`git rev-parse --short HEAD`,
/// "+dirty" when it has uncommitted changes), or "unknown".
std::string commitOf(const std::string &root);
/// Now, UTC, ISO 8601 (2026-12-01T22:40:00Z).
std::string utcNow();

} // namespace tessel

#endif // TESSEL_VALIDATION_HISTORY_H
