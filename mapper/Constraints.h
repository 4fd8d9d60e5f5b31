//===- mapper/Constraints.h - What a map space may contain -*- C++ -*-//
//
// Constraints from the user and the mapper, read from YAML
// (docs/constraints.md); hardware constraints come from the Arch and
// workload constraints (padding) from here:
//
//   constraints:
//     padding: 0.1                # factors may overshoot a bound by 10%
//     factorization: residual     # or: the last iterations clipped
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
//       - level: PEs
//         temporal: [c<=4, k>=2]  # factor bounds (also in 'spatial')
//         spatialX: [q, m]        # only these dims spread on X (also Y)
//         innermost: [n]          # partial order: n innermost, rest free
//         outermost: [k]          # (outermost first)
//         minUtilization: 0.5     # of this level's children
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPER_CONSTRAINTS_H
#define TESSEL_MAPPER_CONSTRAINTS_H

#include "mapping/MappingSpec.h"

#include <cstdint>
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

/// Where a loop goes: a level's temporal loops or its spatial ones on X/Y.
enum class LoopSlot { Temporal, SpatialX, SpatialY };

/// `k<=8` / `k>=2` in 'temporal' or 'spatial' (with `@X` / `@Y`).
struct FactorBound {
  std::string dim;
  LoopSlot slot = LoopSlot::Temporal;
  int64_t atLeast = 1;
  int64_t atMost = INT64_MAX;
  std::string origin; ///< "file:line:col", if from a file.
};

struct LevelConstraint {
  std::string level;
  std::vector<LoopSpec> temporal;                ///< Fixed temporal factors.
  std::vector<SpatialLoopSpec> spatial;          ///< Fixed spatial factors.
  std::vector<FactorBound> bounds;               ///< Factor bounds.
  std::optional<std::vector<std::string>> order; ///< Outermost first.
  /// Partial orders: these dims' loops come outermost / innermost, in the
  /// order listed (outermost first), the others free between them.
  std::vector<std::string> outermost, innermost;
  std::optional<std::vector<std::string>> keep;
  std::vector<std::string> noSpatial;
  /// Only these dims may spread on X / on Y.
  std::optional<std::vector<std::string>> spatialX, spatialY;
  /// Of the level's children, by its spatial factors.
  double minUtilization = 0;
  std::string origin; ///< "file:line:col" it was read at, if from a file.
};

struct Constraints {
  double padding = 0; ///< Allowed overshoot of a bound, a fraction.
  /// Residual: factors may multiply beyond a bound within the residual
  /// rule (docs/model.md, "Factorization"), every loop's last iteration
  /// clipped; exact: they multiply to the bound (or a padded one).
  Factorization factorization = Factorization::Exact;
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
