//===- mapping/Dialect/MappedImport.h - Modules with mappings ---*- C++ -*-===//
//
// MLIR-free entry points for code that must not see MLIR (the Python
// module): read a module whose ops may carry #tessel.mapping attributes
// (what `tessel map -o` writes), and parse one attribute's text.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_DIALECT_MAPPEDIMPORT_H
#define TESSEL_MAPPING_DIALECT_MAPPEDIMPORT_H

#include "mapping/MappingSpec.h"
#include "workloads/LinalgImport.h"

#include <optional>
#include <string>
#include <vector>

namespace tessel {

struct MappedWorkloads {
  WorkloadSet workloads;
  /// One per workloads.problems entry, in order: the op's #tessel.mapping,
  /// if it carries one.
  std::vector<std::optional<MappingSpec>> mappings;
};

/// importLinalgFile with the tessel dialect known, keeping each op's
/// mapping attribute.
MappedWorkloads importMappedFile(const std::string &path,
                                 const ImportOptions &options = {});

/// The mapping of `#tessel.mapping<...>` text (the attribute as the dialect
/// prints it); nothing, with `error` set to MLIR's located message, if it
/// does not parse.
std::optional<MappingSpec> parseMappingAttrText(const std::string &text,
                                                std::string &error);

} // namespace tessel

#endif // TESSEL_MAPPING_DIALECT_MAPPEDIMPORT_H
