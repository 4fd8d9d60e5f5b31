//===- validation/NetworkRun.h - A whole network through Tessel -*- C++ -*-===//
//
// `tessel run`: every tensor contraction of a module mapped with a seeded
// search on a cost model, optionally simulated (one process per layer, up
// to `jobs` at once), and the results as one row per layer plus a network
// total: per-layer CSV (SCALE-Sim's plainness: fixed columns, one row per
// layer), JSON, the mappings as YAML (what check/eval/sim read) and a plot
// of cycles per layer.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_VALIDATION_NETWORKRUN_H
#define TESSEL_VALIDATION_NETWORKRUN_H

#include "arch/Arch.h"
#include "mapper/Mapper.h"
#include "workloads/LinalgImport.h"

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace tessel {

struct NetworkRunOptions {
  MapRequest request; ///< Mapper, cost model, constraints, search options.
  bool simulate = false;
  bool allowLongSimulations = false; ///< Else layers over a minute skip.
  unsigned jobs = 1;                 ///< Simulation processes at once.
  /// Called before each layer is mapped and as simulations finish:
  /// `stage` is "mapping" or "simulating", `done` of `total` finished,
  /// `etaSeconds` < 0 when unknown.
  std::function<void(const std::string &stage, size_t done, size_t total,
                     const std::string &layer, double etaSeconds)>
      onProgress;
};

struct LayerResult {
  Problem problem;
  std::optional<Mapping> mapping;  ///< The best mapping found, if any.
  std::optional<Report> model;     ///< Its report on the cost model.
  std::optional<Report> simulated; ///< With `simulate`, if it ran.
  uint64_t evaluations = 0;
  double searchSeconds = 0;
  std::string status; ///< "ok", or why a figure is missing.
};

struct NetworkRun {
  std::string file;
  std::string archName;
  std::string mapper, model;
  std::vector<LayerResult> layers;
  std::vector<SetAsideOp> setAside;
  bool interrupted = false; ///< SIGINT/SIGTERM: later layers not run.

  /// Sums over the layers that have the figure (saturating).
  uint64_t totalMacs() const;
  uint64_t totalCycles(bool simulated) const;
  double totalEnergy(bool simulated) const; ///< pJ.
};

/// Maps (and simulates) every layer of `workloads` on `arch`. Stops early
/// on SIGINT/SIGTERM (support/Interrupt.h), keeping what is done.
NetworkRun runNetwork(const WorkloadSet &workloads, const Arch &arch,
                      const NetworkRunOptions &options);

/// One row per layer, then a "total" row; units in the header.
void writeLayersCsv(const NetworkRun &run, std::ostream &os);
/// Everything, for machines (layers, mappings, totals, set-aside ops).
std::string networkJson(const NetworkRun &run, const Arch &arch);
/// The mappings found, in the mapping YAML form check/eval/sim read.
std::string networkMappingsYaml(const NetworkRun &run, const Arch &arch);
/// A gnuplot bar chart of cycles per layer (model, and simulated when
/// there are simulations) as PNG and SVG in `directory`; returns the files
/// written, or sets `why` when it could not (gnuplot missing).
std::vector<std::string> writeNetworkPlot(const NetworkRun &run,
                                          const std::string &directory,
                                          std::string &why);

} // namespace tessel

#endif // TESSEL_VALIDATION_NETWORKRUN_H
