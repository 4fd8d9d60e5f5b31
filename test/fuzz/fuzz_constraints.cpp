//===- test/fuzz/fuzz_constraints.cpp - libFuzzer: constraints YAML -------===//
//
// parseConstraints (mapper/Constraints.h) on arbitrary text; bad input must
// throw ConstraintError. Constraints that parse are bound to every fixed
// problem and arch (MapSpace, which also throws ConstraintError), and a few
// seeded random points of each space are decoded and checked like any
// mapping (FuzzCommon.h), with the constraints' padding.
//
//===----------------------------------------------------------------------===//
#include "mapper/Constraints.h"
#include "mapper/MapSpace.h"
#include "test/fuzz/FuzzCommon.h"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

using namespace tessel;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::problems();
  fuzz::arches();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  Constraints constraints;
  try {
    constraints = parseConstraints(text, "fuzz.yaml");
  } catch (const ConstraintError &) {
    return 0;
  }
  for (const Problem &problem : fuzz::problems())
    for (const fuzz::NamedArch &named : fuzz::arches()) {
      try {
        MapSpace space(problem, named.arch, constraints);
        std::mt19937_64 rng(size);
        for (int i = 0; i < 3; ++i) {
          Mapping mapping = space.decode(space.random(rng));
          if (mapping.levels.size() != named.arch.levels.size())
            fuzz::fail("MapSpace decoded a mapping with the wrong level count");
          fuzz::checkResolved(problem, named.arch, mapping,
                              constraints.padding);
          (void)space.violation(mapping);
        }
      } catch (const ConstraintError &) {
      }
    }
  return 0;
}
