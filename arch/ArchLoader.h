//===- arch/ArchLoader.h - Reading an Arch from YAML ------------*- C++ -*-===//
//
// The YAML format (every field, its unit and default) is in docs/arch.md.
// The loader fills every default (energies from EnergyDefaults.h), builds
// each level's network graph and counts instances. Any bad input throws
// ArchError naming the file, line, column and field, and what would be valid.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_ARCHLOADER_H
#define TESSEL_ARCH_ARCHLOADER_H

#include "arch/Arch.h"

#include <string>

namespace tessel {

/// Reads the accelerator described in the YAML file at `path`.
Arch loadArch(const std::string &path);
/// Reads an accelerator from YAML `text`; `fileName` names it in messages.
Arch parseArch(const std::string &text, const std::string &fileName);

} // namespace tessel

#endif // TESSEL_ARCH_ARCHLOADER_H
