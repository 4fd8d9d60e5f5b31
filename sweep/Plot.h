//===- sweep/Plot.h - A sweep's plots (gnuplot) ------------------*- C++ -*-===//
//
// pareto.png/svg: every design's cycles and energy (log-log), the Pareto
// front drawn through its points and labelled with their indices.
// sensitivity.png/svg: one panel per parameter, every design's EDP against
// that parameter's value (the spread at one value is what the other
// parameters do).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SWEEP_PLOT_H
#define TESSEL_SWEEP_PLOT_H

#include "sweep/Sweep.h"

#include <string>
#include <vector>

namespace tessel {

/// Writes the plots (and their .dat/.gp sources) into `directory`; returns
/// the images written, or none with `why` set (gnuplot missing or failed,
/// no design evaluated).
std::vector<std::string> writeSweepPlots(const SweepSpec &spec,
                                         const std::vector<PointResult> &results,
                                         const std::string &directory,
                                         std::string &why);

} // namespace tessel

#endif // TESSEL_SWEEP_PLOT_H
