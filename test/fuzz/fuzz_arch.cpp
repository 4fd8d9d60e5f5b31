//===- test/fuzz/fuzz_arch.cpp - libFuzzer: arch YAML ----------------------===//
//
// parseArch (arch/ArchLoader.h) on arbitrary text. Bad input must throw
// ArchError; any other exception, a sanitizer report or a hang is a bug.
//
//===----------------------------------------------------------------------===//
#include "arch/ArchError.h"
#include "arch/ArchLoader.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  try {
    tessel::Arch arch = tessel::parseArch(text, "fuzz.yaml");
    (void)arch;
  } catch (const tessel::ArchError &) {
  }
  return 0;
}
