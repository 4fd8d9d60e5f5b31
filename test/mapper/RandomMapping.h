//===- test/mapper/RandomMapping.h - Seeded random legal mappings -*- C++ -*-//
#ifndef TESSEL_TEST_MAPPER_RANDOMMAPPING_H
#define TESSEL_TEST_MAPPER_RANDOMMAPPING_H

#include "mapper/RandomMapping.h"

namespace tessel::testing {
using tessel::primeFactors;
using tessel::randomMapping;
} // namespace tessel::testing

#endif
