//===- interop/Timeloop.h - Timeloop's input files as Tessel's inputs -*- C++
//-*-//
//
// Reads a design as Timeloop reads it: any number of YAML files (or
// folders of them), in any order, told apart by their top-level keys:
// `architecture` (v0.3 `subtree`/`local`), `compound_components`,
// `problem`, `mapping`, `architecture_constraints`/`mapspace_constraints`,
// `mapper`, and Accelergy's energy table `ERT`. Builds the Problem, the
// Arch (one storage level per buffer component, fan-outs from instance
// counts and meshX, capacities from depth x width / word-bits, bandwidths,
// energies per word from the ERT) and, when a mapping is given, the
// Mapping. A level that keeps no tensor (Timeloop's pass-through buffers)
// is folded into its parent's fan-out, since a Tessel level must keep one.
//
// Errors throw TimeloopError "file:line:col: error: what is wrong; what
// would be right".
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_INTEROP_TIMELOOP_H
#define TESSEL_INTEROP_TIMELOOP_H

#include "arch/Arch.h"
#include "mapper/Constraints.h"
#include "mapper/Mapper.h"
#include "mapping/Mapping.h"
#include "mapping/Report.h"
#include "model/CostModel.h"
#include "workloads/Problem.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel {

struct TimeloopError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A Timeloop design: what each input file held.
struct TimeloopDesign {
  Problem problem;
  Arch arch;
  std::optional<MappingSpec> mapping;
  /// architecture_constraints and mapspace_constraints as Tessel's
  /// (mapper/Constraints.h), on the folded levels; applied when mapping.
  std::optional<Constraints> constraints;
  /// The `mapper` file's settings Tessel applies: optimization-metrics as
  /// an objective ([delay, energy] is `lex`), num-threads, search-size as
  /// the budget, victory-condition as the patience.
  std::optional<Objective> objective;
  unsigned threads = 0;
  std::optional<uint64_t> searchSize, victory;
  std::vector<std::string> files; ///< Every file read, in the order given.
  std::vector<std::string> notes; ///< What the import changed or ignored.
  bool hasEnergyTable = false;    ///< Energies came from an ERT.
  /// Timeloop's storage levels (outer first) and the Tessel level each is
  /// (folded levels name their parent).
  std::vector<std::string> timeloopLevels;
};

/// Reads the files (folders: every .yaml/.yml file inside, sorted). Needs
/// an architecture and a problem; everything else is optional.
TimeloopDesign readTimeloopDesign(const std::vector<std::string> &paths);

/// What `tessel timeloop` computes: the mapping (given, or found by the
/// mapper) evaluated by the reuse model in `accounting`.
struct TimeloopRun {
  TimeloopDesign design;
  Mapping mapping;
  Report report;
  bool mapped = false; ///< The mapping was found, not given.
  uint64_t evaluations = 0;
  /// Per level: instances the mapping uses (Timeloop's "utilized
  /// instances"), to print per-instance counts.
  std::vector<uint64_t> utilizedInstances;
};

struct TimeloopRunOptions {
  Accounting accounting = Accounting::Timeloop;
  std::string mapper = "genetic";
  uint64_t budget = 0; ///< 0: the mapper file's search-size, else 3000.
  uint64_t seed = 1;
};

/// Evaluates (or maps, then evaluates) the design. When mapping, the
/// design's constraints and mapper settings apply; `budget` 0 takes the
/// mapper file's search-size (else 3000). Throws TimeloopError
/// with every reason when the given mapping is not legal.
TimeloopRun runTimeloopDesign(const std::vector<std::string> &paths,
                              const TimeloopRunOptions &options);

} // namespace tessel

#endif
