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
#include <vector>

namespace tessel {

/// Reads the accelerator described in the YAML file at `path`.
Arch loadArch(const std::string &path);

/// The presets' directory: `root`/arch/presets, or with an empty `root` the
/// presets beside this library's source (the repository it was built from,
/// so the build tree finds them).
std::string presetDirectory(const std::string &root = "");
/// The presets' names (arch/presets/NAME.yaml), sorted.
std::vector<std::string> presetNames(const std::string &root = "");
/// The file of preset `name` ("eyeriss"), or "" if there is none.
std::string presetFile(const std::string &name, const std::string &root = "");
/// "; presets are: eyeriss, maeri, ... (did you mean 'eyeriss'?)", for the
/// message about an unknown preset `name`.
std::string presetChoices(const std::string &name,
                          const std::string &root = "");
/// What an `--arch` value names: a preset's file for a preset name (no '/',
/// no .yaml), else the path as given when it exists or looks like a path.
/// Throws ArchError "unknown preset or missing file 'eyerss'; presets are:
/// eyeriss, ... (did you mean 'eyeriss'?)" otherwise.
std::string resolveArchFile(const std::string &nameOrPath,
                            const std::string &root = "");
/// loadArch(resolveArchFile(nameOrPath, root)).
Arch loadArchByNameOrPath(const std::string &nameOrPath,
                          const std::string &root = "");
/// After fields of a loaded Arch were changed in code (a fan-out, a
/// topology, capacities, bandwidths: what a sweep or the Python module
/// edits), rebuilds what the loader derives from them: network graphs and
/// hop summaries, instance counts. Throws ArchError (no position) for a
/// value the loader would refuse: a fan-out over the per-level or total
/// limits, a topology that does not fit it, a zero capacity or bandwidth.
void rebuildArch(Arch &arch);

/// Reads an accelerator from YAML `text`; `fileName` names it in messages.
Arch parseArch(const std::string &text, const std::string &fileName);

} // namespace tessel

#endif // TESSEL_ARCH_ARCHLOADER_H
