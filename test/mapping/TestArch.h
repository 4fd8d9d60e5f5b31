//===- test/mapping/TestArch.h - Small accelerators built in code -*- C++ -*-=//
#ifndef TESSEL_TEST_MAPPER_TESTARCH_H
#define TESSEL_TEST_MAPPER_TESTARCH_H

#include "arch/Arch.h"

namespace tessel::testing {

/// DRAM -> Buffer (fan-out X x Y) -> PE registers -> one MAC per PE.
inline Arch threeLevelArch(unsigned x, unsigned y, uint64_t bufferWords,
                           uint64_t peWords) {
  Arch arch;
  arch.name = "test";
  StorageLevel dram, buffer, pe;
  dram.name = "DRAM";
  buffer.name = "Buffer";
  buffer.capacity = bufferWords;
  buffer.fanout = {x, y};
  pe.name = "PE";
  pe.capacity = peWords;
  arch.levels = {dram, buffer, pe};
  arch.computeInstances();
  return arch;
}

} // namespace tessel::testing

#endif
