//===- model/TimeloopModel.cpp - `reuse` counting by Timeloop's rules -----===//
//
// The reuse model with its access counts taken by Timeloop's rules
// (model/TimeloopAccounting.h), through the same evaluateByCounting; its
// cycles are the busiest resource's, as Timeloop reports them (none of the
// reuse model's exposed latency, model/Timing.h).
//
//===----------------------------------------------------------------------===//
#include "model/Models.h"

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
    // Timeloop's cycles: the busiest resource, no exposed latency.
    CountingOptions options;
    options.timeloopAccounting = true;
    return evaluateByCounting("reuse/timeloop", problem, arch, mapping,
                              options);
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
