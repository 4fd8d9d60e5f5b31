//===- validation/Suite.h - Validation suites -------------------*- C++ -*-===//
//
// A suite (YAML, docs/validation.md) lists cases: a workload (a zoo file and
// op, any MLIR file and op, or inline MLIR), an Arch (a preset name or a
// file), and a mapping (a mapping YAML file, or a mapper with a seed and a
// budget). A reference case also states the answer expected from outside
// Tessel (a closed form or a published figure) and its source.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_VALIDATION_SUITE_H
#define TESSEL_VALIDATION_SUITE_H

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel {

struct CaseSpec {
  std::string name;
  unsigned line = 0; ///< Where the case starts in the suite file.
  // Workload: an MLIR file (zoo files resolved to workloads/zoo/NAME.mlir)
  // and the op's name, or inline MLIR holding exactly one op.
  std::string mlirFile;
  std::string op;
  std::string inlineMlir;
  // Arch: a preset (arch/presets/NAME.yaml) or a file.
  std::string archFile;
  /// How wide the tensors are held: "words" (each element one word) or
  /// "declared" (the workload's types, packed; mapping/Datatypes.h).
  std::string precision = "words";
  // Mapping: a YAML file, or a search.
  std::string mappingFile;
  std::string mapper = "genetic";
  uint64_t seed = 1;
  uint64_t budget = 2000;
  std::string objective = "edp";
  // A reference case's expected figures and where they come from.
  std::optional<uint64_t> expectCycles;
  std::optional<double> expectEnergyPJ;
  std::string source;
};

struct Tolerances {
  double cycles = 0.01; ///< Relative drift allowed against a baseline.
  double energy = 0.01;
};

struct Suite {
  std::string name;
  std::string file;
  Tolerances tolerances;
  double simTimeoutSeconds = 300;
  std::vector<CaseSpec> cases;
};

/// Bad suite YAML; what() reads `suite.yaml:12:5: error: ...`.
class SuiteError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Reads a suite; relative paths resolve against `root` (the repository).
/// Checks that every file, preset and zoo model exists and that every op
/// named is in its module.
Suite loadSuite(const std::string &path, const std::string &root);
Suite parseSuite(const std::string &text, const std::string &fileName,
                 const std::string &root);

} // namespace tessel

#endif
