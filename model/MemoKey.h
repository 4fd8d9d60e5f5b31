//===- model/MemoKey.h - 128-bit fingerprints for the models' memos -*- C++ -*-//
//
// The analytical models memoise per thread what many mappings of a search
// share (model/NestAnalysis.cpp, model/SpatialGroups.cpp). A key is the
// fingerprint of the values its answer depends on, pushed one by one.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_MEMOKEY_H
#define TESSEL_MODEL_MEMOKEY_H

#include <cstddef>
#include <cstdint>

namespace tessel {

struct MemoKey {
  // Two independent 64-bit hashes of the values pushed: a 128-bit
  // fingerprint (a collision would need ~2^64 distinct keys), so a memo
  // compares 16 bytes instead of the whole list.
  uint64_t first = 1469598103934665603ull;
  uint64_t second = 0x9e3779b97f4a7c15ull;

  void push(int64_t value) {
    first = (first ^ uint64_t(value)) * 1099511628211ull;
    second = (second + uint64_t(value) + 0x9e3779b97f4a7c15ull) *
             0xbf58476d1ce4e5b9ull;
    second ^= second >> 31;
  }
  bool operator==(const MemoKey &other) const {
    return first == other.first && second == other.second;
  }
};

struct MemoKeyHash {
  size_t operator()(const MemoKey &key) const { return size_t(key.first); }
};

} // namespace tessel

#endif // TESSEL_MODEL_MEMOKEY_H
