//===- mapper/Mappers.h - The built-in mappers -----------*- C++ -*-===//
#ifndef TESSEL_MAPPER_MAPPERS_H
#define TESSEL_MAPPER_MAPPERS_H

#include "mapper/Mapper.h"

namespace tessel {

std::unique_ptr<Mapper> createExhaustiveMapper();
std::unique_ptr<Mapper> createRandomMapper();
std::unique_ptr<Mapper> createHillClimbMapper();
std::unique_ptr<Mapper> createAnnealingMapper();
std::unique_ptr<Mapper> createGeneticMapper();

/// Candidates per batch handed to the engine: large enough to keep the
/// threads busy, small enough to stop within a second.
constexpr size_t kBatchSize = 256;

} // namespace tessel

#endif
