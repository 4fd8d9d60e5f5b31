//===- test/fuzz/FuzzCommon.h - Fixed problems and arches for harnesses ---===//
//
// The libFuzzer harnesses fuzz one input text each; the other inputs of the
// path they drive are fixed here: a few small Problems (a GEMM, a strided
// conv, a tiny GEMM, a 5-D contraction; imported from MLIR once, the way
// test/mapping builds them) and a few Arches (test inputs and presets).
//
// `checkMapping` is the whole path from a named mapping to verification and
// evaluation, with oracles for silent wrong answers: a mapping that verifies
// must have factor products that fit in 64 bits and cover every bound, and
// the reuse model's report must count the op's MACs exactly.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TEST_FUZZ_FUZZCOMMON_H
#define TESSEL_TEST_FUZZ_FUZZCOMMON_H

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "mapping/MappingSpec.h"
#include "workloads/Problem.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessel::fuzz {

struct NamedArch {
  std::string file; ///< Relative to the repository.
  Arch arch;
};

/// Imported once; the names are the functions' (gemm, conv, tiny, contract).
const std::vector<Problem> &problems();
/// Loaded once: small, two, twolevel (test inputs), eyeriss, tpu16, simba.
const std::vector<NamedArch> &arches();

/// Prints `what` and aborts (libFuzzer saves the input as a crash).
[[noreturn]] void fail(const std::string &what);

/// Resolves `spec` against every fixed problem (only those named `op` when
/// `op` is not empty) and arch; where it resolves, verifies it, and where it
/// is valid, evaluates it with the reuse model. Checks the oracles above.
/// Returns how many (problem, arch) pairs it resolved against.
unsigned checkMapping(const MappingSpec &spec, const std::string &op,
                      double maxPadding = 0);

/// Checks a resolved Mapping (from any source) against `problem` on `arch`.
void checkResolved(const Problem &problem, const Arch &arch,
                   const Mapping &mapping, double maxPadding);

} // namespace tessel::fuzz

#endif
