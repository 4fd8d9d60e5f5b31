//===- test/fuzz/fuzz_suite.cpp - libFuzzer: validation suite YAML --------===//
//
// parseSuite (validation/Suite.h) on arbitrary text, with the repository as
// its root (so zoo models, presets and the suites in validation/ resolve and
// are read, includes too). Bad input must throw SuiteError.
//
//===----------------------------------------------------------------------===//
#include "validation/Suite.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  try {
    tessel::Suite suite =
        tessel::parseSuite(text, "fuzz-suite.yaml", TESSEL_SOURCE_DIR);
    (void)suite;
  } catch (const tessel::SuiteError &) {
  }
  return 0;
}
