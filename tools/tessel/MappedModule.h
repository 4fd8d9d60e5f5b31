//===- tools/tessel/MappedModule.h - Ops with their mappings ----*- C++ -*-===//
//
// What `tessel check`, `eval` and later `sim` share: read a module, take
// each op's mapping from its tessel.mapping attribute (or from a mapping
// YAML file, by op name), bind and verify it on an Arch; and print a loop
// nest level by level.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TOOLS_MAPPEDMODULE_H
#define TESSEL_TOOLS_MAPPEDMODULE_H

#include "arch/Arch.h"
#include "mapping/Datatypes.h"
#include "mapping/Mapping.h"
#include "mapping/MappingYaml.h"
#include "workloads/LinalgImport.h"

#include <ostream>
#include <string>
#include <vector>

namespace tessel::cli {

/// One op, its mapping and the verdict.
struct MappedOp {
  Problem problem;
  MappingSpec spec;
  std::vector<MappingError> errors;
  Mapping mapping; ///< Bound to the Arch when `resolved`.
  bool resolved = false;
  bool valid() const { return resolved && errors.empty(); }
};

struct MappedModule {
  WorkloadSet workloads;          ///< Every op read, and import diagnostics.
  std::vector<MappedOp> ops;      ///< The ops that carry a mapping.
  std::vector<Diagnostic> errors; ///< Located invalid-mapping errors.
};

/// Reads `file`; an op's mapping comes from `yamlMappings` (by op name, or
/// an unnamed entry for every op) else from its attribute; ops with
/// neither are left out. Each op's tensors are held at `precision`.
MappedModule readMappedModule(const std::string &file, const Arch &arch,
                              const std::vector<NamedMapping> &yamlMappings,
                              const VerifyOptions &options,
                              Precision precision = Precision::Words);

/// Appends a warning at the op when its element types do not fit the
/// Arch's MACs or words (mapping/Datatypes.h).
void addDatatypeWarnings(const Problem &problem, const Arch &arch,
                         std::vector<Diagnostic> &diagnostics);

/// Prints the module's import diagnostics and invalid-mapping errors to
/// stderr; returns false (after an error naming `file`) when the module
/// read cleanly but no op carries a mapping.
bool reportModuleDiagnostics(const MappedModule &module,
                             const std::string &file);

/// Loads the Arch and, if `mappingFile` is not empty, the mapping YAML;
/// prints the error and returns false on bad input.
bool loadInputs(const std::string &archFile, const std::string &mappingFile,
                Arch &arch, std::vector<NamedMapping> &mappings);

/// The loop nest, DRAM to MAC, one loop per line, indented by depth.
void printLoopNest(const Problem &problem, const Mapping &mapping,
                   const Arch &arch, std::ostream &os);

} // namespace tessel::cli

#endif
