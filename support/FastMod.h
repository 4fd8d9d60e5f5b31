//===- support/FastMod.h - x % d by multiplication, d fixed ahead -*- C++ -*-=//
//
// The random mappers draw "rng() % n" for a few fixed n tens of times per
// candidate; a 64-bit division costs more than the rest of a draw. With
// M = ceil(2^128 / d) the remainder of any 64-bit x is the high 64 bits of
// (M x mod 2^128) x d: exact (Lemire, Kaser and Kurz, "Faster remainder by
// direct computation", 2019), and the same numbers as the division.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_FASTMOD_H
#define TESSEL_SUPPORT_FASTMOD_H

#include <cstdint>

namespace tessel {

class Modulus {
public:
  Modulus() = default;
  /// `d` > 0.
  explicit Modulus(uint64_t d)
      : divisor(d), inverse(d > 1 ? ~Wide(0) / d + 1 : 0) {}

  uint64_t divisorValue() const { return divisor; }
  /// x % divisor.
  uint64_t of(uint64_t x) const {
    if (divisor <= 1)
      return 0;
    Wide low = inverse * x;
    Wide bottom = (Wide(uint64_t(low)) * divisor) >> 64;
    Wide top = (low >> 64) * divisor;
    return uint64_t((bottom + top) >> 64);
  }

private:
  using Wide = unsigned __int128;
  uint64_t divisor = 1;
  Wide inverse = 0;
};

} // namespace tessel

#endif // TESSEL_SUPPORT_FASTMOD_H
