//===- mapper/MapProblem.cpp - One op, one search ------------------===//
#include "mapper/Mapper.h"

#include <stdexcept>

namespace tessel {
namespace {

std::string joined(const std::vector<std::string> &names) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

} // namespace

SearchResult mapProblem(const Problem &problem, const Arch &arch,
                        const MapRequest &request) {
  std::unique_ptr<Mapper> mapper = createMapper(request.mapper);
  if (!mapper)
    throw std::invalid_argument("unknown mapper '" + request.mapper +
                                "'; expected one of: " + joined(mapperNames()));
  std::unique_ptr<CostModel> model =
      createCostModel(request.model, request.accounting);
  if (!model)
    throw std::invalid_argument(
        "unknown model '" + request.model + "' counting by " +
        accountingName(request.accounting) + "'s rules; expected one of: " +
        joined(costModelNames()) + " (only reuse counts by Timeloop's)");
  MapSpace space(problem, arch, request.constraints);
  return mapper->search(space, *model, request.options);
}

} // namespace tessel
