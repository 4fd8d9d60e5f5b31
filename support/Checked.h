//===- support/Checked.h - 64-bit counts that never wrap ---------*- C++ -*-===//
//
// Products and sums of user numbers (factors, bounds, tile sizes, access
// counts, hops, cycles) are formed with these, never with a bare `*`:
//  - `checkedMul`/`checkedAdd` say whether the result fits;
//  - `saturatingMul` clamps, for sizes compared against a limit (a tile that
//    saturates is larger than any buffer);
//  - `CheckedCounts` accumulates at full speed and remembers the first
//    overflow, so hot code checks once at the end.
// Header-only and dependency-free: the overflow builtins compile to one
// multiply or add and a flag test.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_CHECKED_H
#define TESSEL_SUPPORT_CHECKED_H

#include <cstdint>
#include <limits>
#include <string>

namespace tessel {

/// `a * b` into `result`; false if it does not fit (result then undefined).
template <typename T> inline bool checkedMul(T a, T b, T &result) {
  return !__builtin_mul_overflow(a, b, &result);
}
/// `a + b` into `result`; false if it does not fit.
template <typename T> inline bool checkedAdd(T a, T b, T &result) {
  return !__builtin_add_overflow(a, b, &result);
}

/// `a * b`, or the type's maximum if it does not fit (for a, b >= 0).
template <typename T> inline T saturatingMul(T a, T b) {
  T result;
  return checkedMul(a, b, result) ? result : std::numeric_limits<T>::max();
}
/// `a + b`, or the type's maximum if it does not fit (for a, b >= 0).
template <typename T> inline T saturatingAdd(T a, T b) {
  T result;
  return checkedAdd(a, b, result) ? result : std::numeric_limits<T>::max();
}

/// A double as a count, rounded up; the maximum if it does not fit (or is
/// not a number).
inline bool countFromDouble(double value, uint64_t &result) {
  // 2^64 exactly; every double below it converts without UB.
  if (!(value >= 0) || !(value < 18446744073709551616.0))
    return false;
  result = uint64_t(value);
  return true;
}

/// Unsigned 64-bit arithmetic that remembers whether anything overflowed.
/// Each operation returns the wrapped value (never read once `overflowed()`
/// is true); callers test `overflowed()` once, after counting.
class CheckedCounts {
public:
  template <typename T> T mul(T a, T b) {
    T result;
    overflow_ |= __builtin_mul_overflow(a, b, &result);
    return result;
  }
  template <typename T> T mul(T a, T b, T c) { return mul(mul(a, b), c); }
  template <typename T> T add(T a, T b, T c) { return add(add(a, b), c); }
  template <typename T> T add(T a, T b) {
    T result;
    overflow_ |= __builtin_add_overflow(a, b, &result);
    return result;
  }
  template <typename T> T sub(T a, T b) {
    T result;
    overflow_ |= __builtin_sub_overflow(a, b, &result);
    return result;
  }
  /// `into += value`.
  template <typename T> void accumulate(T &into, T value) {
    into = add(into, value);
  }
  /// Marks the counts as overflowed (for a saturated input).
  void markOverflow() { overflow_ = true; }
  uint64_t fromDouble(double value) {
    uint64_t result = 0;
    if (!countFromDouble(value, result)) {
      overflow_ = true;
      return std::numeric_limits<uint64_t>::max();
    }
    return result;
  }
  bool overflowed() const { return overflow_; }

private:
  bool overflow_ = false;
};

/// "18,446,744,073,709,551,615 (2^64 - 1)": the limit, for messages.
inline std::string countLimitText() {
  return "18,446,744,073,709,551,615 (2^64 - 1)";
}

} // namespace tessel

#endif // TESSEL_SUPPORT_CHECKED_H
