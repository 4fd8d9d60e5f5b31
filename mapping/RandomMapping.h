//===- mapping/RandomMapping.h - Seeded random mappings ----------*- C++ -*-===//
//
// Draws mappings whose factors multiply exactly to the bounds and whose
// spatial factors fit the fan-outs: each prime factor of each bound goes to
// a random level (outer levels more likely, so tiles tend to fit) as a
// temporal or spatial loop; each level's loop order is shuffled; each level
// below the outermost keeps a random non-empty set of the tensors the Arch
// lets it hold. Capacities are not considered: verify the result, or use
// randomLegalMapping.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_RANDOMMAPPING_H
#define TESSEL_MAPPING_RANDOMMAPPING_H

#include "mapping/Mapping.h"

#include <cstdint>
#include <optional>
#include <random>

namespace tessel {

struct Arch;
struct Problem;

Mapping randomMapping(const Problem &problem, const Arch &arch,
                      std::mt19937_64 &rng);

/// Draws until verifyMapping accepts one, at most `attempts` times.
std::optional<Mapping> randomLegalMapping(const Problem &problem,
                                          const Arch &arch,
                                          std::mt19937_64 &rng,
                                          unsigned attempts = 10000);

/// The prime factors of `n`, smallest first.
std::vector<int64_t> primeFactors(int64_t n);
/// The same, into `primes` (no allocation once it has room).
void primeFactors(int64_t n, std::vector<int64_t> &primes);

} // namespace tessel

#endif
