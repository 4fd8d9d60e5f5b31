//===- mapping/MappingYaml.h - Mappings as YAML ------------------*- C++ -*-===//
//
// The YAML form of mappings, for users outside MLIR (docs/mapping.md):
//
//   mappings:
//     - op: gemm              # the op's name; optional for one-op modules
//       levels:               # outer to inner, one per Arch level
//         - level: DRAM
//           temporal: [m=4, n=2]      # outermost first
//           keep: [A, B, C]
//         - level: Buffer
//           spatial: [n=16@X, k=4@Y]
//           temporal: [k=8]
//           keep: [A, C]
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_MAPPINGYAML_H
#define TESSEL_MAPPING_MAPPINGYAML_H

#include "mapping/MappingSpec.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace tessel {

/// Bad mapping YAML; what() reads `file.yaml:3:7: error: ...`.
class MappingYamlError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct NamedMapping {
  std::string op; ///< Empty when the file gives a single unnamed mapping.
  MappingSpec mapping;
};

std::vector<NamedMapping> loadMappingYaml(const std::string &path);
std::vector<NamedMapping> parseMappingYaml(const std::string &text,
                                           const std::string &fileName);
/// The YAML text of `mappings` (parseMappingYaml reads it back exactly).
std::string mappingsToYaml(const std::vector<NamedMapping> &mappings);

} // namespace tessel

#endif // TESSEL_MAPPING_MAPPINGYAML_H
