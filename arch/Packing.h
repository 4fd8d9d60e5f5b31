//===- arch/Packing.h - Elements in the words of a level ----------*- C++
//-*-===//
//
// A level stores and moves words of its `wordBits`. An element narrower
// than a word shares it with others of its tensor (floor(word / element) of
// them: Timeloop's block size); a wider one spans ceil(element / word)
// words. An element width of 0 means "one word of whichever level holds
// it", the convention Tessel (and Timeloop) use when the workload's types
// are not asked for (docs/arch.md, "Datatypes").
//
// Every evaluator applies the same geometry: a tile of E elements occupies
// wordsFor(E) words of capacity; an element read or written costs
// wordsEach / perWord of a word of port bandwidth and of access energy. A
// network link carries one element per word, each routed on its own: an
// element sent costs wordsEach link words.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_PACKING_H
#define TESSEL_ARCH_PACKING_H

#include "support/Checked.h"

#include <cstdint>

namespace tessel {

struct Packing {
  unsigned perWord = 1;   ///< Elements one word holds.
  unsigned wordsEach = 1; ///< Words one element spans.

  /// Words that `elements` elements occupy (saturating).
  uint64_t wordsFor(uint64_t elements) const {
    uint64_t words = elements / perWord + (elements % perWord != 0);
    return saturatingMul<uint64_t>(words, wordsEach);
  }
  /// The share of a word one element access costs.
  double wordsPerElement() const { return double(wordsEach) / perWord; }
  bool oneToOne() const { return perWord == 1 && wordsEach == 1; }
};

/// How elements of `elementBits` sit in words of `wordBits` (0 for either:
/// one element per word).
inline Packing packingOf(unsigned elementBits, unsigned wordBits) {
  Packing packing;
  if (elementBits == 0 || wordBits == 0)
    return packing;
  if (elementBits <= wordBits)
    packing.perWord = wordBits / elementBits;
  else
    packing.wordsEach = (elementBits + wordBits - 1) / wordBits;
  return packing;
}

} // namespace tessel

#endif // TESSEL_ARCH_PACKING_H
