//===- model/ReuseModel.cpp - The "reuse" model (Timeloop-class) ----------===//
//
// Exact access counts (model/Accounting.h, docs/model.md), equal to a
// brute-force walk of the loop nest (test/model/BruteForceTest.cpp): tile
// boxes, stationarity, sliding windows with overlap kept across every loop
// advance, multicast and spatial reduction. Cycles: the slowest of the
// compute units, each level's read and write ports and each network, each
// given its total traffic at its bandwidth.
//
//===----------------------------------------------------------------------===//
#include "model/Models.h"

#include "arch/Arch.h"
#include "workloads/Problem.h"

namespace tessel {
namespace {

class ReuseModel : public CostModel {
public:
  std::string name() const override { return "reuse"; }
  std::string description() const override {
    return "Timeloop-class: exact fills, reads and updates per level and "
           "tensor from tile boxes, stationarity, sliding windows, multicast "
           "and spatial reduction; cycles from the slowest resource";
  }

  Evaluation evaluate(const Problem &problem, const Arch &arch,
                      const Mapping &mapping) const override {
    return evaluateByCounting(name(), problem, arch, mapping, options());
  }
  CostFloor floor(const Problem &problem, const Arch &arch,
                  const Mapping &mapping) const override {
    return floorByCounting(problem, arch, mapping, options());
  }

private:
  static CountingOptions options() {
    CountingOptions options;
    options.exposedLatency = true;
    options.clippedNest = true;
    return options;
  }
};

} // namespace

std::unique_ptr<CostModel> createReuseModel() {
  return std::make_unique<ReuseModel>();
}

} // namespace tessel
