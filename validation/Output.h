//===- validation/Output.h - Reports, plots and baselines -------*- C++ -*-===//
#ifndef TESSEL_VALIDATION_OUTPUT_H
#define TESSEL_VALIDATION_OUTPUT_H

#include "validation/Validate.h"

#include <ostream>
#include <string>
#include <vector>

namespace tessel {

/// Per analytical model, how far it is from the simulator.
struct ModelSummary {
  std::string model;
  unsigned cases = 0; ///< Cases with a simulator result.
  double meanCyclesError = 0, maxCyclesError = 0; ///< |%|
  double meanEnergyError = 0, maxEnergyError = 0; ///< |%|
  unsigned identicalCounts = 0;
  std::vector<std::string> worst; ///< "case (+12.3% cycles)"
};

std::vector<ModelSummary> summarize(const std::vector<CaseResult> &results);

/// The tables a person reads: summary, per case, count differences, stalls,
/// reference cases.
void writeMarkdown(const Suite &suite, const std::vector<CaseResult> &results,
                   const std::vector<ModelSummary> &summary,
                   const std::vector<std::string> &plots, std::ostream &os);
/// Everything, for machines and for --baseline.
std::string reportJson(const Suite &suite,
                       const std::vector<CaseResult> &results,
                       const std::vector<ModelSummary> &summary);
/// PNG and SVG plots made with gnuplot in `directory`; returns the files
/// written (empty, with `why` set, if gnuplot is missing or fails).
std::vector<std::string> writePlots(const std::vector<CaseResult> &results,
                                    const std::string &directory,
                                    std::string &why);

/// Figures of `current` that drifted from the stored report beyond the
/// suite's tolerances (or cases and evaluators that went missing), one line
/// each. Throws std::runtime_error if the baseline cannot be read.
std::vector<std::string> compareToBaseline(const std::string &baselineJson,
                                           const std::string &currentJson,
                                           const Tolerances &tolerances);

} // namespace tessel

#endif
