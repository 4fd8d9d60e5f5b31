//===- model/TimeloopModel.cpp - `reuse` counting by Timeloop's rules -----===//
//
// The reuse model with its access counts taken by Timeloop's rules
// (model/TimeloopAccounting.h); cycles and energy are computed from those
// counts exactly as the reuse model computes them from its own.
//
//===----------------------------------------------------------------------===//
#include "model/Models.h"

#include "arch/Arch.h"
#include "model/NestAnalysis.h"
#include "model/TimeloopAccounting.h"
#include "workloads/Problem.h"

namespace tessel {
namespace {

class TimeloopReuseModel : public CostModel {
public:
  std::string name() const override { return "reuse"; }
  std::string description() const override {
    return "the reuse model counting reads, fills and updates by Timeloop's "
           "rules (delta sampling, resets on a change of stride, multicast "
           "per level, every multicast member filled)";
  }

  Evaluation evaluate(const Problem &problem, const Arch &arch,
                      const Mapping &mapping) const override {
    Evaluation evaluation;
    evaluation.errors = verifyMapping(problem, arch, mapping);
    if (!evaluation.errors.empty() ||
        !countable(problem, mapping, evaluation.errors))
      return evaluation;
    std::optional<uint64_t> macs = macsOf(problem, evaluation.errors);
    if (!macs)
      return evaluation;
    NestAnalysis nest(problem, arch, mapping);
    Report report(arch.levelCount(), problem.tensors.size());
    report.evaluator = "reuse/timeloop";
    report.macs = *macs;
    report.executedMacs = nest.executedMacs();
    report.actions.macs = report.executedMacs;
    countAccessesTimeloop(problem, mapping, nest, report);
    addResourceCycles(arch, nest, report);
    if (nest.overflowed()) {
      evaluation.errors.push_back(countOverflowError(problem));
      return evaluation;
    }
    energyOf(arch, report.actions, report.energy);
    report.settle(arch.peakMacsPerCycle());
    evaluation.report = std::move(report);
    return evaluation;
  }
};

} // namespace

const char *accountingName(Accounting accounting) {
  return accounting == Accounting::Timeloop ? "timeloop" : "tessel";
}

std::optional<Accounting> accountingNamed(const std::string &name) {
  if (name == "tessel")
    return Accounting::Tessel;
  if (name == "timeloop")
    return Accounting::Timeloop;
  return std::nullopt;
}

std::unique_ptr<CostModel> createCostModel(const std::string &name,
                                           Accounting accounting) {
  if (accounting == Accounting::Tessel)
    return createCostModel(name);
  if (name == "reuse")
    return std::make_unique<TimeloopReuseModel>();
  return nullptr;
}

} // namespace tessel
