//===- mapping/Mapping.h - A mapping bound to a Problem and an Arch -*- C++ -*-//
//
// The plain C++ value that hot code (models, search) works on: for each
// storage level of the Arch, outer to inner, its temporal loops (outermost
// first), its spatial loops over the level's children, and a bit per tensor
// saying whether the level keeps it. Dimensions and tensors are indices into
// the Problem; levels are positions in the Arch.
//
// A level holds the tile that its own loops and every inner level's loops
// cover: the tile extent of a dimension at level L is the product of its
// factors at L and below, temporal and spatial alike. Tiles are measured in
// words, one tensor element per word (as Timeloop does).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_MAPPING_H
#define TESSEL_MAPPING_MAPPING_H

#include "arch/Packing.h"
#include "mapping/MappingSpec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessel {

struct Arch;
struct Problem;
struct StorageLevel;
enum class TensorRole : unsigned; // arch/Arch.h

struct Loop {
  unsigned dim = 0;
  int64_t factor = 1;

  bool operator==(const Loop &other) const {
    return dim == other.dim && factor == other.factor;
  }
};

struct SpatialLoop {
  unsigned dim = 0;
  int64_t factor = 1;
  SpatialAxis axis = SpatialAxis::X;

  bool operator==(const SpatialLoop &other) const {
    return dim == other.dim && factor == other.factor && axis == other.axis;
  }
};

struct LevelMapping {
  std::vector<Loop> temporal;       ///< Outermost first.
  std::vector<SpatialLoop> spatial; ///< Over this level's children.
  uint32_t keepMask = 0;            ///< Bit t: the level keeps tensor t.

  bool keeps(unsigned tensor) const { return (keepMask >> tensor) & 1u; }
  /// Product of this level's spatial factors on `axis`.
  int64_t spatialProduct(SpatialAxis axis) const;

  bool operator==(const LevelMapping &other) const {
    return keepMask == other.keepMask && temporal == other.temporal &&
           spatial == other.spatial;
  }
};

struct Mapping {
  std::vector<LevelMapping> levels; ///< One per Arch level, outer first.
  /// How a factor product beyond a bound is run (MappingSpec.h).
  Factorization factorization = Factorization::Exact;

  /// Per dimension: the product of its factors at level `level` and every
  /// level inside it (the extents of the tile that level holds).
  std::vector<int64_t> tileExtents(unsigned level, unsigned dimCount) const;
  /// Per dimension: the product of all its factors (the padded bounds).
  std::vector<int64_t> coveredBounds(unsigned dimCount) const;

  /// The same loops, keeps and factorization (distinct search results).
  bool operator==(const Mapping &other) const {
    return factorization == other.factorization && levels == other.levels;
  }
  bool operator!=(const Mapping &other) const { return !(*this == other); }
};

/// A reason a mapping is not legal.
struct MappingError {
  MappingError() = default;
  MappingError(std::string message, int level = -1)
      : message(std::move(message)), level(level) {}

  std::string message;
  /// The level it is about (index into the Arch's levels), or -1 when it is
  /// about the whole mapping (a dimension's factors over all levels).
  int level = -1;
  /// Where the mapping was written ("m.yaml:12:9"), when it came from a
  /// file: the level's entry, else the mapping's. Set by locateErrors.
  std::string where;
};

/// Binds a named mapping to `problem` and `arch`. On failure returns false
/// and appends every reason (unknown dimension, tensor or level names; a
/// level list that does not match the Arch; repeated or malformed loops).
bool resolveMapping(const MappingSpec &spec, const Problem &problem,
                    const Arch &arch, Mapping &mapping,
                    std::vector<MappingError> &errors);

/// The named form of a bound mapping (exact inverse of resolveMapping).
MappingSpec describeMapping(const Mapping &mapping, const Problem &problem,
                            const Arch &arch);

struct VerifyOptions {
  /// How far a dimension's factors may overshoot its bound, as a fraction
  /// of the bound (0: the product must equal the bound exactly).
  double maxPadding = 0;
  /// Whether each error says why. Without, a tile that overflows a level
  /// gives one error with no text (what a search's cheap rejection needs;
  /// whether the list is empty is the same).
  bool reasons = true;
};

/// Every reason `mapping` is not legal for `problem` on `arch`: factor
/// products that miss (or overshoot beyond padding) a bound, spatial factors
/// beyond a fan-out, tiles that overflow a capacity, a level that keeps no
/// tensor or keeps a tensor it cannot hold, an outermost level that does not
/// keep every tensor. Empty when legal.
std::vector<MappingError> verifyMapping(const Problem &problem,
                                        const Arch &arch,
                                        const Mapping &mapping,
                                        const VerifyOptions &options = {});

/// The dimensions `mapping` clips: with a residual factorization, those
/// whose factors multiply beyond their bound (empty for exact and padded
/// mappings, whose every iteration runs).
std::vector<unsigned> clippedDims(const Problem &problem,
                                  const Mapping &mapping);

/// Sets each error's `where` from the positions `spec` was read at (its
/// level's origin, or the mapping's): errors then point at the mapping
/// file, not at the op.
void locateErrors(const MappingSpec &spec, std::vector<MappingError> &errors);

/// resolveMapping, then verifyMapping when it resolved; errors located.
std::vector<MappingError> verifyMapping(const Problem &problem,
                                        const Arch &arch,
                                        const MappingSpec &spec,
                                        const VerifyOptions &options = {});

/// The Arch role of `problem`'s tensor: its first input is the input, its
/// second the weight, its output the output (what partitioned capacities
/// and `keeps:` lists name).
TensorRole tensorRole(const Problem &problem, unsigned tensor);

/// How `problem`'s tensor's elements sit in `level`'s words: one each by
/// default, packed by their storedBits when the precision asks
/// (arch/Packing.h, mapping/Datatypes.h).
Packing packingAt(const Problem &problem, unsigned tensor,
                  const StorageLevel &level);
/// Each tensor's storedBits, for energyOf (arch/Energy.h); empty (no
/// allocation) when every tensor is held one element per word.
std::vector<unsigned> storedBits(const Problem &problem);
/// Words of `level` that `elements` of the tensor occupy (saturating).
uint64_t storedWords(const Problem &problem, unsigned tensor,
                     const StorageLevel &level, uint64_t elements);

/// Elements of each tensor's tile held at each level: result[level][tensor]
/// (storedWords turns them into a level's words).
std::vector<std::vector<uint64_t>> tileWords(const Problem &problem,
                                             const Mapping &mapping);

} // namespace tessel

#endif // TESSEL_MAPPING_MAPPING_H
