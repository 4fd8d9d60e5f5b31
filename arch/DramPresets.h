//===- arch/DramPresets.h - Named DRAM devices and their checks -*- C++ -*-===//
//
// The DRAM presets a `dram:` block may start from (DDR4-3200, LPDDR4-4266,
// HBM2), each with where its numbers come from, and the one check of a
// DramSpec that the loader and the simulator's DRAM model (sim/Dram.h) share.
// The table and its sources are in DramPresets.cpp and docs/arch.md.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_DRAMPRESETS_H
#define TESSEL_ARCH_DRAMPRESETS_H

#include "arch/Arch.h"

#include <optional>
#include <string>
#include <vector>

namespace tessel {

/// Limits far beyond any device, checked by checkDramSpec.
constexpr uint64_t kMaxDramChannels = 4096;
constexpr uint64_t kMaxDramBanks = 4096; ///< Per channel.

struct DramPreset {
  std::string name;   ///< "DDR4-3200".
  std::string source; ///< The datasheet or standard its numbers come from.
  DramSpec spec;
};

/// Every preset, in table order.
const std::vector<DramPreset> &dramPresets();
/// The preset called `name` (exact spelling), or nullptr.
const DramPreset *findDramPreset(const std::string &name);
/// The presets' names, in table order.
std::vector<std::string> dramPresetNames();

/// A timing parameter: its YAML name ("tRCD"), its member, and what a
/// `dram:` block without a preset may leave out.
struct DramTimingField {
  const char *name;
  unsigned DramTiming::*member;
  /// A same-bank-group value left out takes this other-group one.
  unsigned DramTiming::*defaultsTo = nullptr;
  bool onlyWithRefresh = false; ///< Needed only when refresh is on.
};
/// Every timing parameter, in DramTiming's order.
const std::vector<DramTimingField> &dramTimingFields();

/// "row:bank:channel:column".
std::string dramMappingText(const DramSpec &spec);

/// What is wrong with a DramSpec as a whole, for words of `wordBits` bits.
struct DramSpecProblem {
  std::string field;   ///< "rowBytes", or "timing.tRFC" for a timing field.
  std::string message; ///< "field 'rowBytes' must be ..., got 100".
};
/// The first problem of `spec` (a zero count, an odd burst length, a burst
/// that is not whole words, a row that is not whole bursts, a mapping that
/// is not a permutation, tRFC not below tREFI), or none.
std::optional<DramSpecProblem> checkDramSpec(const DramSpec &spec,
                                             unsigned wordBits);

} // namespace tessel

#endif // TESSEL_ARCH_DRAMPRESETS_H
