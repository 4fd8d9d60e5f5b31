//===- test/fuzz/fuzz_mapping_pipeline.cpp - libFuzzer: mapping to cost ---===//
//
// The whole path from a mapping to its cost: fuzzed mapping YAML ->
// parseMappingYaml -> resolveMapping against fixed problems (GEMM, conv,
// tiny GEMM, contraction) and arches (test inputs and presets) ->
// verifyMapping -> the reuse model, with the oracles of FuzzCommon.h
// (no accepted factor product past 2^63, MACs counted exactly). Each mapping
// is checked without padding and with 100% padding allowed.
//
//===----------------------------------------------------------------------===//
#include "mapping/MappingYaml.h"
#include "test/fuzz/FuzzCommon.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace tessel;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::problems();
  fuzz::arches();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  std::vector<NamedMapping> parsed;
  try {
    parsed = parseMappingYaml(text, "fuzz.yaml");
  } catch (const MappingYamlError &) {
    return 0;
  }
  for (const NamedMapping &named : parsed)
    if (fuzz::checkMapping(named.mapping, named.op, 0))
      fuzz::checkMapping(named.mapping, named.op, 1.0);
  return 0;
}
