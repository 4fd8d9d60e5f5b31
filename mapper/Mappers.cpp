//===- mapper/Mappers.cpp - Mappers by name ------------------------===//
//
// To add a mapper: write it in its own file with a create function, declare
// it in Mappers.h, and add one line to the table below.
//
//===----------------------------------------------------------------------===//
#include "mapper/Mappers.h"

namespace tessel {
namespace {

const struct {
  const char *name;
  std::unique_ptr<Mapper> (*create)();
} kMappers[] = {
    {"exhaustive", createExhaustiveMapper},
    {"random", createRandomMapper},
    {"hillclimb", createHillClimbMapper},
    {"annealing", createAnnealingMapper},
    {"genetic", createGeneticMapper},
};

} // namespace

std::unique_ptr<Mapper> createMapper(const std::string &name) {
  for (const auto &entry : kMappers)
    if (name == entry.name)
      return entry.create();
  return nullptr;
}

std::vector<std::string> mapperNames() {
  std::vector<std::string> names;
  for (const auto &entry : kMappers)
    names.push_back(entry.name);
  return names;
}

} // namespace tessel
