//===- mapping/MappingSpec.h - A mapping as a person writes it ---*- C++ -*-===//
//
// The exchange form of a mapping: per storage level of the Arch, outer to
// inner, its temporal loops (outermost first), its spatial loops with the
// array axis each is spread over, and the tensors the level keeps (the others
// bypass it). Dimensions, tensors and levels are named, as in the `tessel`
// dialect's #tessel.mapping attribute and in mapping YAML; `resolve()`
// (mapping/Mapping.h) binds the names to a Problem and an Arch.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_MAPPINGSPEC_H
#define TESSEL_MAPPING_MAPPINGSPEC_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

enum class SpatialAxis { X, Y };

/// What a dimension's factors mean when their product exceeds its bound
/// (docs/model.md, "Factorization"): `Exact`, they must multiply to it;
/// `Residual`, every loop's last iteration is clipped to the bound (no MAC
/// beyond it is executed or counted), and the product may exceed the bound
/// by less than the stride of the dimension's outermost loop (no iteration
/// is empty); `Padded`, the padded iterations are executed and counted.
enum class Factorization { Exact, Residual, Padded };
/// "exact", "residual", "padded".
const char *factorizationName(Factorization factorization);
/// The factorization called `name`, if any.
std::optional<Factorization> factorizationNamed(const std::string &name);

/// One loop: `dim=factor`, or `dim=factor@X` when spatial.
struct LoopSpec {
  std::string dim;
  int64_t factor = 1;
  bool operator==(const LoopSpec &other) const {
    return dim == other.dim && factor == other.factor;
  }
};

struct SpatialLoopSpec {
  std::string dim;
  int64_t factor = 1;
  SpatialAxis axis = SpatialAxis::X;
  bool operator==(const SpatialLoopSpec &other) const {
    return dim == other.dim && factor == other.factor && axis == other.axis;
  }
};

struct LevelSpec {
  std::string level;
  std::vector<LoopSpec> temporal;       ///< Outermost first.
  std::vector<SpatialLoopSpec> spatial; ///< Over this level's children.
  std::vector<std::string> keep;        ///< Tensors stored here.
  std::string origin; ///< "file:line:col" it was read at, if from a file.
  bool operator==(const LevelSpec &other) const {
    return level == other.level && temporal == other.temporal &&
           spatial == other.spatial && keep == other.keep;
  }
};

struct MappingSpec {
  std::vector<LevelSpec> levels; ///< Outer (DRAM) to inner.
  Factorization factorization = Factorization::Exact;
  std::string origin; ///< "file:line:col" it was read at, if from a file.
  bool operator==(const MappingSpec &other) const {
    return levels == other.levels && factorization == other.factorization;
  }
};

/// Parses "k=4" / "k=4@X" loop text (the YAML form's items). Returns an
/// explanation of what is wrong on failure.
std::optional<std::string> parseLoopText(const std::string &text,
                                         LoopSpec &loop);
std::optional<std::string> parseSpatialLoopText(const std::string &text,
                                                SpatialLoopSpec &loop);
std::string loopText(const LoopSpec &loop);
std::string loopText(const SpatialLoopSpec &loop);
const char *axisName(SpatialAxis axis);

} // namespace tessel

#endif // TESSEL_MAPPING_MAPPINGSPEC_H
