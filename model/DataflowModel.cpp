//===- model/DataflowModel.cpp - The "dataflow" model (MAESTRO-class) -----===//
//
// The mapping seen the data-centric way (model/DataCentric.h): each Arch
// level above the PEs is a cluster level whose temporal loops become
// TemporalMaps and whose spatial loops become SpatialMaps over its
// children; per step, the ingress (data new to the children, multicast
// once), the egress (outputs sent up, reduced once) and the compute (the
// children's own runtime) overlap, the first step pays ingress plus
// compute. Counts and cycles differ from "reuse" where the data-centric
// view does: see docs/model.md, "dataflow" and where it disagrees.
//
//===----------------------------------------------------------------------===//
#include "model/DataCentric.h"
#include "model/Models.h"

#include "arch/Arch.h"
#include "workloads/Problem.h"

namespace tessel {
namespace {

class DataflowModel : public CostModel {
public:
  std::string name() const override { return "dataflow"; }
  std::string description() const override {
    return "MAESTRO-class: the mapping as TemporalMap/SpatialMap directives "
           "per cluster level, per-step ingress, egress and compute delays "
           "overlapped (double buffering), the first step's fill exposed";
  }

  Evaluation evaluate(const Problem &problem, const Arch &arch,
                      const Mapping &mapping) const override {
    Evaluation evaluation;
    evaluation.errors = verifyMapping(problem, arch, mapping);
    if (!evaluation.errors.empty() ||
        !countable(problem, mapping, evaluation.errors))
      return evaluation;
    return evaluateDataCentric(name(), problem, arch,
                               directivesOf(problem, arch, mapping));
  }
};

} // namespace

std::unique_ptr<CostModel> createDataflowModel() {
  return std::make_unique<DataflowModel>();
}

} // namespace tessel
