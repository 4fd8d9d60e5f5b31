//===- mapper/Constraints.h - What a map space may contain -*- C++ -*-//
//
// Constraints from the user and the mapper, read from YAML
// (docs/constraints.md); hardware constraints come from the Arch and
// workload constraints (padding) from here:
//
//   constraints:
//     padding: 0.1                # factors may overshoot a bound by 10%
//     minUtilization: 0.5         # spatial factors use >= half the PEs
//     dataflow: weight-stationary # or output-, input-, row-stationary
//     nativeNetworks: true        # no broadcast/reduction a network lacks
//     levels:
//       - level: GlobalBuffer
//         temporal: [c=4]         # fixed factors (other dims free)
//         spatial: [f=16@X]       # fixed spatial factors
//         order: [f, c, oh]       # outermost first, these dims only
//         keep: [I, W]            # exactly these tensors
//         noSpatial: [n]          # dims that may not spread here
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPER_CONSTRAINTS_H
#define TESSEL_MAPPER_CONSTRAINTS_H

#include "mapping/MappingSpec.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel {

enum class DataflowTemplate {
  None,
  WeightStationary,
  OutputStationary,
  InputStationary,
  RowStationary
};

/// "weight-stationary", ...; nullopt if unknown.
std::optional<DataflowTemplate> dataflowNamed(const std::string &name);
const char *dataflowName(DataflowTemplate dataflow);

struct LevelConstraint {
  std::string level;
  std::vector<LoopSpec> temporal;                ///< Fixed temporal factors.
  std::vector<SpatialLoopSpec> spatial;          ///< Fixed spatial factors.
  std::optional<std::vector<std::string>> order; ///< Outermost first.
  std::optional<std::vector<std::string>> keep;
  std::vector<std::string> noSpatial;
  std::string origin; ///< "file:line:col" it was read at, if from a file.
};

struct Constraints {
  double padding = 0;        ///< Allowed overshoot of a bound, a fraction.
  double minUtilization = 0; ///< Of the PEs, by the spatial factors.
  DataflowTemplate dataflow = DataflowTemplate::None;
  /// Spread data only as the networks do natively: no spatial loop over a
  /// dimension some input ignores where the network cannot multicast (no
  /// broadcast by copies), none over a dimension the output ignores where
  /// it cannot reduce (no spatial reduction by the parent).
  bool nativeNetworks = false;
  std::vector<LevelConstraint> levels;
  std::string file; ///< The file it was read from, if any.
};

/// Bad constraint YAML, or constraints that do not fit an op; what() reads
/// `file.yaml:3:7: error: ...` (just the message for constraints built in
/// code).
class ConstraintError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

Constraints loadConstraints(const std::string &path);
Constraints parseConstraints(const std::string &text,
                             const std::string &fileName);

} // namespace tessel

#endif
