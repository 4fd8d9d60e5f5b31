//===- validation/Validate.h - Running cases, comparing evaluators -*- C++
//-*-===//
//
// Runs every case of a suite through every analytical model (in this
// process) and the simulator (`tessel sim`, one child process per case, up
// to `jobs` at once, each with a timeout), and compares them figure by
// figure. A case whose simulation crashes or times out is reported as such;
// the other cases' results are kept. Each simulation is its own process
// group, killed as a group (no grandchild outlives a timeout or an
// interrupt). On SIGINT/SIGTERM (support/Interrupt.h) no case starts, the
// running simulations are stopped, and the unfinished cases come back with
// `interrupted` set.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_VALIDATION_VALIDATE_H
#define TESSEL_VALIDATION_VALIDATE_H

#include "validation/Suite.h"

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

/// Counts kept per level x tensor: reads, fills, updates, network words,
/// network hops.
constexpr unsigned kCountKinds = 5;

/// What one evaluator (a model or the simulator) said about one case.
struct Figures {
  std::string evaluator;
  uint64_t cycles = 0;
  double energyPJ = 0;
  std::string bottleneck;
  /// [level * tensors + tensor] = {reads, fills, updates, network words,
  /// network hops}.
  std::vector<std::array<uint64_t, kCountKinds>> counts;
  std::vector<double> levelEnergyPJ; ///< Per level (MACs excluded).
  double macEnergyPJ = 0;
  std::map<std::string, double> stalls; ///< Simulator only: cause -> cycles.
};

struct CaseResult {
  CaseSpec spec;
  std::string status = "ok"; ///< Or what went wrong.
  std::string op;
  uint64_t macs = 0;
  std::vector<std::string> levels, tensors;
  std::string mappingYaml;
  std::vector<Figures> models;
  std::optional<Figures> sim;
  std::string simStatus = "not run"; ///< "ok", "crashed: ...", "timed out".
  double simSeconds = 0;
  /// SIGINT or SIGTERM stopped the run before this case finished.
  bool interrupted = false;
};

struct ValidateOptions {
  std::string root;       ///< The repository (presets, zoo).
  std::string tesselPath; ///< The `tessel` binary, for `tessel sim`.
  bool simulate = true;
  unsigned jobs = 1;
  std::string workDirectory; ///< Mapped inputs for the simulator go here.
  std::function<void(const std::string &)> progress;
};

std::vector<CaseResult> runSuite(const Suite &suite,
                                 const ValidateOptions &options);

/// One case's result as bytes and back (every figure exact), for results
/// sent between the ranks of an MPI run. decodeCaseResult takes the spec
/// from `suite` (the case at the encoded index) and throws
/// std::runtime_error on bytes encodeCaseResult() did not make.
std::string encodeCaseResult(const CaseResult &result, size_t caseIndex);
CaseResult decodeCaseResult(const std::string &bytes, const Suite &suite);

/// (evaluator - reference) / reference, in percent.
double errorPercent(double evaluator, double reference);

/// The level x tensor x action entries where `a` and `b` differ, as text.
std::vector<std::string> countDifferences(const CaseResult &result,
                                          const Figures &a, const Figures &b);

} // namespace tessel

#endif
