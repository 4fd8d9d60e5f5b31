//===- arch/Energy.h - Action counts to energy, for every evaluator -*- C++
//-*-//
//
// The one place energy is computed: an evaluator (analytical model or
// simulator) counts actions per storage level and tensor, and energyOf()
// multiplies them by the Arch's per-action energies. So two evaluators that
// disagree on energy disagree on an action count.
//
// Counts are totals over all instances of a level. A level's actions:
//   reads    words read out of the level (to its children or the MACs);
//   fills    words written into it from its parent;
//   updates  read-modify-writes of output words (partial sums);
//   networkWords, networkHops  words sent over the level's network to or from
//            its children, and the word-hops they took (a multicast of w
//            words to a set costs w x Network::multicastHops(set) hops).
// Parent reads are not inferred from fills: count them at the parent.
// Besides the actions, the run's cycles: every on-chip component leaks
// through all of them, so leakage energy is the Arch's leakage power
// (arch/Area.h) x cycles / clock. It is its own entry (leakage), not part of
// total(), which stays the energy of the actions.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_ENERGY_H
#define TESSEL_ARCH_ENERGY_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessel {

struct Arch;

/// Throws std::out_of_range for a cell outside a levels x tensors table.
[[noreturn]] void throwBadCell(unsigned level, unsigned tensor, unsigned levels,
                               unsigned tensors);

/// The index of (level, tensor) in a level-major table; checked.
inline size_t cellIndex(unsigned level, unsigned tensor, unsigned levels,
                        unsigned tensors) {
  if (level >= levels || tensor >= tensors)
    throwBadCell(level, tensor, levels, tensors);
  return size_t(level) * tensors + tensor;
}

/// What one tensor did at one level.
struct TensorActions {
  uint64_t reads = 0;
  uint64_t fills = 0;
  uint64_t updates = 0;
  uint64_t networkWords = 0;
  uint64_t networkHops = 0;
};

/// Actions per level x tensor, plus MACs. Tensors are numbered as the caller
/// likes (by TensorRole, or by a Problem's tensor index).
class ActionCounts {
public:
  ActionCounts(unsigned levelCount, unsigned tensorCount);

  TensorActions &at(unsigned level, unsigned tensor) {
    return actions[cellIndex(level, tensor, levels, tensors)];
  }
  const TensorActions &at(unsigned level, unsigned tensor) const {
    return actions[cellIndex(level, tensor, levels, tensors)];
  }
  unsigned levelCount() const { return levels; }
  unsigned tensorCount() const { return tensors; }

  uint64_t macs = 0;
  uint64_t cycles = 0; ///< Of the run, at the Arch's clock: for leakage.

private:
  unsigned levels;
  unsigned tensors;
  std::vector<TensorActions> actions; ///< Level-major.
};

/// Energy in pJ of one tensor's actions at one level.
struct TensorEnergy {
  double reads = 0;
  double fills = 0;
  double updates = 0;
  double network = 0;

  double total() const { return reads + fills + updates + network; }
};

/// Energy in pJ per level x tensor x action, plus the MACs'.
class EnergyBreakdown {
public:
  EnergyBreakdown(unsigned levelCount, unsigned tensorCount);

  TensorEnergy &at(unsigned level, unsigned tensor) {
    return energies[cellIndex(level, tensor, levels, tensors)];
  }
  const TensorEnergy &at(unsigned level, unsigned tensor) const {
    return energies[cellIndex(level, tensor, levels, tensors)];
  }
  unsigned levelCount() const { return levels; }
  unsigned tensorCount() const { return tensors; }

  double levelTotal(unsigned level) const;
  double tensorTotal(unsigned tensor) const;
  /// The actions' energy: every level x tensor and the MACs; no leakage.
  double total() const;
  /// total() + leakage.
  double totalWithLeakage() const { return total() + leakage; }

  double macs = 0;
  /// Leakage over the run's cycles (ActionCounts::cycles); not in total().
  double leakage = 0;

private:
  unsigned levels;
  unsigned tensors;
  std::vector<TensorEnergy> energies; ///< Level-major.
};

/// Energy of `counts` on `arch`: reads x read energy, fills x write energy,
/// updates x update energy, network hops x hop energy, MACs x MAC energy;
/// and apart, leakage: leakagePowerMW(arch) x cycles / clockGHz (mW x ns =
/// pJ).
/// Counts are of elements; `elementBits[tensor]` (empty, or 0 for a
/// tensor: one word each) is the width each tensor is held at, and an
/// element's storage action costs the share of the level's word it
/// occupies, its network hop the words it spans (arch/Packing.h: a link
/// carries one element per word, so that each is routed on its own). Throws
/// std::invalid_argument if the level counts, or the tensor count of a
/// non-empty `elementBits`, differ.
EnergyBreakdown energyOf(const Arch &arch, const ActionCounts &counts,
                         const std::vector<unsigned> &elementBits = {});
/// The same, written into `breakdown` (hot paths reuse its storage).
void energyOf(const Arch &arch, const ActionCounts &counts,
              EnergyBreakdown &breakdown,
              const std::vector<unsigned> &elementBits = {});

} // namespace tessel

#endif // TESSEL_ARCH_ENERGY_H
