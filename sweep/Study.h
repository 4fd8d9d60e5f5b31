//===- sweep/Study.h - Case studies from sweeps, as Markdown ----*- C++ -*-===//
//
// A case study is a set of sweeps (sweep/Sweep.h) that vary the run's
// settings (`setting: arch`, `mapper`, `constraints`, ...) over op classes
// (CONV, GEMM, contractions). studyMarkdown() turns their recorded results
// into one document: which accelerator suits which op class (the best EDP
// found per accelerator, summed over each sweep's ops), what each family of
// map-space constraints costs or saves (space per pruning step, best cost,
// search time), how the mappers compare, and the model against the
// simulator where a sweep simulated; with gnuplot plots beside it.
//
// Every figure is read from the databases; only search times (wall clock)
// differ from one run to the next.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SWEEP_STUDY_H
#define TESSEL_SWEEP_STUDY_H

#include "sweep/Sweep.h"

#include <string>
#include <vector>

namespace tessel {

struct StudySweep {
  SweepSpec spec;
  std::vector<PointResult> results;
};

struct StudyOptions {
  std::string title = "Case studies";
  /// The command that made the document (quoted in its header).
  std::string command;
  /// Where the plots go, and how the document links them (relative to it).
  std::string plotDirectory, plotLink;
};

struct StudyDocument {
  std::string markdown;
  std::vector<std::string> plots; ///< Written into plotDirectory.
  std::string plotProblem;        ///< Why there are none ("" if there are).
};

StudyDocument studyMarkdown(const std::vector<StudySweep> &sweeps,
                            const StudyOptions &options);

/// The value a point gives `setting` (`arch`, `mapper`, `constraints`,
/// ...): its parameter's value, else the sweep's own (an Arch file's stem,
/// `none` for no constraints).
std::string settingValue(const SweepSpec &spec, const SweepPoint &point,
                         const std::string &setting);

/// The sizes of `OpResult::space` (`family=size; ...`) as pairs.
std::vector<std::pair<std::string, std::string>>
spaceSizes(const std::string &space);

/// log10 of a SpaceCount::text() ("1,234", "~1,234" or "10^41.3").
double spaceLog10(const std::string &size);

} // namespace tessel

#endif // TESSEL_SWEEP_STUDY_H
