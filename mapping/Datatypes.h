//===- mapping/Datatypes.h - Do a workload's types fit an Arch? -*- C++ -*-===//
//
// Each tensor's element type comes from its MLIR element type (i8, i32,
// bf16, f32, ...); an Arch has a MAC datatype (int8, int16, fp16, ...) and
// a word width per level. By default Tessel counts every element as one
// word of the level that holds it (Timeloop's convention: the accelerator
// runs the op at its own precision). With Precision::Declared each element
// keeps its declared width, packed several to a word where it fits and
// spanning words where it does not (arch/Packing.h). The warning says
// where the types do not fit, so the user knows which numbers are an
// approximation.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_DATATYPES_H
#define TESSEL_MAPPING_DATATYPES_H

#include <optional>
#include <string>
#include <vector>

namespace tessel {

struct Arch;
struct Problem;

/// A number format: integer or floating point, and its width.
struct NumberFormat {
  bool floating = false;
  unsigned bits = 0;
};

/// "i8", "f32", "bf16", "f16", "int8", "fp16", "fp32", ...; nullopt when
/// not a number format Tessel knows.
std::optional<NumberFormat> numberFormatNamed(const std::string &name);

/// How wide the accelerator holds each tensor's elements.
enum class Precision {
  Words,    ///< One word of each level per element (the default).
  Declared, ///< The element type's width, packed into the level's words.
};
/// "words", "declared".
const char *precisionName(Precision precision);
/// The precision called `name`, if any.
std::optional<Precision> precisionNamed(const std::string &name);
/// Sets each tensor's storedBits for `precision`.
void applyPrecision(Problem &problem, Precision precision);

/// One message per mismatch, by element type and role (so that the ops of
/// a module share them): inputs of another kind than the MACs (floats on
/// integer MACs) or wider than them; outputs of another kind (wider
/// accumulators are what MACs have); elements wider than the words of the
/// levels whose roles let them hold them, naming the levels (unless the
/// tensor is held at its declared width: then it spans several words).
/// Empty when they all fit.
std::vector<std::string> datatypeMismatches(const Problem &problem,
                                            const Arch &arch);

/// The mismatches in one line for a warning ("f32 elements on eyeriss's
/// int16 MACs and 16-bit words (DRAM, GlobalBuffer, Scratchpad): ..."), or
/// nullopt when everything fits.
std::optional<std::string> datatypeWarning(const Problem &problem,
                                           const Arch &arch);

} // namespace tessel

#endif // TESSEL_MAPPING_DATATYPES_H
