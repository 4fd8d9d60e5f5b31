//===- test/sim/SimulateChecked.h - A checked functional simulation -*- C++
//-*-//
//
// What the structural simulator's tests share: a functional run of a
// mapping that must verify, with no error and no wrong output word.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TEST_SIM_SIMULATECHECKED_H
#define TESSEL_TEST_SIM_SIMULATECHECKED_H

#include "mapping/Mapping.h"
#include "sim/Structural.h"

#include <gtest/gtest.h>

namespace tessel::testing {

inline sim::StructuralResult simulateChecked(const Problem &problem,
                                             const Arch &arch,
                                             const Mapping &mapping) {
  EXPECT_TRUE(verifyMapping(problem, arch, mapping).empty());
  sim::StructuralOptions options;
  options.functional = true;
  sim::StructuralResult result =
      sim::simulateStructural(problem, arch, mapping, options);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.mismatch, "");
  return result;
}

} // namespace tessel::testing

#endif // TESSEL_TEST_SIM_SIMULATECHECKED_H
