//===- model/CostModel.h - Analytical cost models behind one interface -*- C++
//-*-===//
//
// A cost model evaluates (Problem, Arch, Mapping) into a Report, or says why
// the mapping is invalid. Models are registered by name in Registry.cpp:
// adding one is one new file and one registration line. Models are
// stateless and may be called from many threads at once.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_COSTMODEL_H
#define TESSEL_MODEL_COSTMODEL_H

#include "mapping/Mapping.h"
#include "mapping/Report.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

struct Arch;
struct Problem;

/// A Report, or the reasons the mapping is invalid.
struct Evaluation {
  std::optional<Report> report;
  std::vector<MappingError> errors;

  bool valid() const { return report.has_value(); }
};

/// What a model can tell of a mapping at a small part of an evaluation's
/// cost, so that a search rejects early: that the mapping is invalid
/// (evaluate() would say so), or a floor under the cycles and the energy
/// evaluate() would report.
struct CostFloor {
  bool invalid = false;
  double cycles = 0;   ///< evaluate()'s cycles are at least these,
  double energyPJ = 0; ///< and its energy.total() at least this.
};

class CostModel {
public:
  virtual ~CostModel() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  virtual Evaluation evaluate(const Problem &problem, const Arch &arch,
                              const Mapping &mapping) const = 0;
  /// A floor under evaluate()'s answer (by default none: 0 cycles, 0 pJ).
  virtual CostFloor floor(const Problem &problem, const Arch &arch,
                          const Mapping &mapping) const {
    (void)problem, (void)arch, (void)mapping;
    return {};
  }
};

/// The model registered as `name`, or null.
std::unique_ptr<CostModel> createCostModel(const std::string &name);
/// Registered model names, in registration order.
std::vector<std::string> costModelNames();

/// Whose rules count reads, fills and updates (docs/model.md): Tessel's own
/// (exact against a brute-force walk) or Timeloop's
/// (model/TimeloopAccounting.h).
enum class Accounting { Tessel, Timeloop };
/// "tessel", "timeloop".
const char *accountingName(Accounting accounting);
/// The accounting called `name`, if any.
std::optional<Accounting> accountingNamed(const std::string &name);
/// The model registered as `name` counting by `accounting`, or null when
/// there is no such model or it does not count that way (only `reuse`
/// offers Timeloop's accounting).
std::unique_ptr<CostModel> createCostModel(const std::string &name,
                                           Accounting accounting);

} // namespace tessel

#endif // TESSEL_MODEL_COSTMODEL_H
