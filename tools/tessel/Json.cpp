//===- tools/tessel/Json.cpp ----------------------------------------------===//
#include "Json.h"

#include "arch/Arch.h"
#include "mapping/Report.h"
#include "workloads/LinalgImport.h"
#include "workloads/Problem.h"

namespace tessel::cli {

llvm::json::Object reportJson(const Report &report, const Problem &problem,
                              const Arch &arch) {
  llvm::json::Array levels;
  for (unsigned l = 0; l < arch.levelCount(); ++l) {
    llvm::json::Array tensors;
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      const TensorActions &a = report.actions.at(l, t);
      const TensorEnergy &e = report.energy.at(l, t);
      tensors.push_back(llvm::json::Object{
          {"tensor", problem.tensors[t].name},
          {"reads", a.reads},
          {"fills", a.fills},
          {"updates", a.updates},
          {"networkWords", a.networkWords},
          {"networkHops", a.networkHops},
          {"energyPJ", llvm::json::Object{{"reads", e.reads},
                                          {"fills", e.fills},
                                          {"updates", e.updates},
                                          {"network", e.network},
                                          {"total", e.total()}}}});
    }
    levels.push_back(llvm::json::Object{{"level", arch.levels[l].name},
                                        {"tensors", std::move(tensors)}});
  }
  llvm::json::Object resources, exposed;
  for (const ResourceCycles &resource : report.resourceCycles)
    resources[resource.resource] = resource.cycles;
  for (const ResourceCycles &cause : report.exposedCycles)
    exposed[cause.resource] = cause.cycles;
  return llvm::json::Object{
      {"model", report.evaluator},
      {"cycles", report.cycles},
      {"bottleneck", report.bottleneck},
      {"resourceCycles", std::move(resources)},
      {"exposedCycles", std::move(exposed)},
      {"macs", report.macs},
      {"executedMacs", report.executedMacs},
      {"utilization", report.utilization},
      {"energyPJ", report.energy.total()},
      {"leakageEnergyPJ", report.energy.leakage},
      {"energyWithLeakagePJ", report.energy.totalWithLeakage()},
      {"macEnergyPJ", report.energy.macs},
      {"energyPerMacPJ", report.energyPerMac()},
      {"levels", std::move(levels)}};
}

llvm::json::Array setAsideJson(const std::vector<SetAsideOp> &ops) {
  llvm::json::Array array;
  for (const SetAsideOp &op : ops)
    array.push_back(llvm::json::Object{
        {"name", op.name},
        {"op", op.opName},
        {"kind", op.kind},
        {"elements", op.elements},
        {"bytes", op.bytes},
        {"source", llvm::json::Object{{"file", op.source.file},
                                      {"line", op.source.line},
                                      {"column", op.source.column}}}});
  return array;
}

} // namespace tessel::cli
