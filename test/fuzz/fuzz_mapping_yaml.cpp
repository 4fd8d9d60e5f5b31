//===- test/fuzz/fuzz_mapping_yaml.cpp - libFuzzer: mapping YAML ----------===//
//
// parseMappingYaml (mapping/MappingYaml.h) on arbitrary text. Bad input must
// throw MappingYamlError. What parses must print back to YAML that parses to
// the same mappings (the header promises an exact round trip).
//
//===----------------------------------------------------------------------===//
#include "mapping/MappingYaml.h"
#include "test/fuzz/FuzzCommon.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace tessel;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  std::vector<NamedMapping> parsed;
  try {
    parsed = parseMappingYaml(text, "fuzz.yaml");
  } catch (const MappingYamlError &) {
    return 0;
  }
  std::string printed = mappingsToYaml(parsed);
  std::vector<NamedMapping> back;
  try {
    back = parseMappingYaml(printed, "printed.yaml");
  } catch (const MappingYamlError &error) {
    fuzz::fail("mappingsToYaml wrote YAML that does not parse: " +
               std::string(error.what()) + "\n" + printed);
  }
  if (back.size() != parsed.size())
    fuzz::fail("round trip changed the number of mappings:\n" + printed);
  for (size_t i = 0; i < back.size(); ++i)
    if (back[i].op != parsed[i].op || !(back[i].mapping == parsed[i].mapping))
      fuzz::fail("round trip changed mapping #" + std::to_string(i) + ":\n" +
                 printed);
  return 0;
}
