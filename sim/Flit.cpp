//===- sim/Flit.cpp -------------------------------------------------------===//
#include "sim/Flit.h"

#include <algorithm>
#include <stdexcept>

namespace tessel::sim {

ChildSet::ChildSet(std::initializer_list<uint32_t> children) {
  for (uint32_t child : children)
    insert(child);
}

ChildSet ChildSet::range(uint32_t first, uint32_t count) {
  ChildSet set;
  for (uint32_t child = first; child < first + count; ++child)
    set.insert(child);
  return set;
}

void ChildSet::insert(uint32_t child) {
  if (sorted.empty() && child < kMaskBits) {
    bits[child / 64] |= uint64_t(1) << (child % 64);
    return;
  }
  if (sorted.empty()) { // The first large member: move the mask over.
    forEach([&](uint32_t small) { sorted.push_back(small); });
    bits = {};
  }
  if (sorted.empty() || child > sorted.back()) { // The common case.
    sorted.push_back(child);
    return;
  }
  auto at = std::lower_bound(sorted.begin(), sorted.end(), child);
  if (*at != child)
    sorted.insert(at, child);
}

void ChildSet::insertAll(const ChildSet &other) {
  if (sorted.empty() && other.sorted.empty()) { // Both masks: one OR.
    for (uint32_t word = 0; word < kWords; ++word)
      bits[word] |= other.bits[word];
    return;
  }
  other.forEach([&](uint32_t child) { insert(child); });
}

void ChildSet::erase(uint32_t child) {
  if (sorted.empty()) {
    if (child < kMaskBits)
      bits[child / 64] &= ~(uint64_t(1) << (child % 64));
    return;
  }
  auto at = std::lower_bound(sorted.begin(), sorted.end(), child);
  if (at != sorted.end() && *at == child)
    sorted.erase(at);
  if (!sorted.empty() && sorted.back() < kMaskBits) { // Small again.
    for (uint32_t small : sorted)
      bits[small / 64] |= uint64_t(1) << (small % 64);
    sorted.clear();
  }
}

bool ChildSet::contains(uint32_t child) const {
  if (sorted.empty())
    return child < kMaskBits && (bits[child / 64] >> (child % 64) & 1);
  return std::binary_search(sorted.begin(), sorted.end(), child);
}

bool ChildSet::empty() const {
  if (!sorted.empty())
    return false;
  for (uint64_t word : bits)
    if (word)
      return false;
  return true;
}

size_t ChildSet::size() const {
  if (!sorted.empty())
    return sorted.size();
  size_t count = 0;
  for (uint64_t word : bits)
    count += size_t(__builtin_popcountll(word));
  return count;
}

uint32_t ChildSet::front() const {
  if (empty())
    throw std::logic_error("the front of an empty child set");
  if (!sorted.empty())
    return sorted.front();
  uint32_t word = 0;
  while (bits[word] == 0)
    ++word;
  return word * 64 + uint32_t(__builtin_ctzll(bits[word]));
}

uint32_t ChildSet::back() const {
  if (empty())
    throw std::logic_error("the back of an empty child set");
  if (!sorted.empty())
    return sorted.back();
  uint32_t word = kWords - 1;
  while (bits[word] == 0)
    --word;
  return word * 64 + uint32_t(63 - __builtin_clzll(bits[word]));
}

std::vector<uint32_t> ChildSet::members() const {
  std::vector<uint32_t> children;
  children.reserve(size());
  forEach([&](uint32_t child) { children.push_back(child); });
  return children;
}

std::string ChildSet::str() const {
  std::string text = "{";
  forEach([&](uint32_t child) {
    text += (text.size() > 1 ? ", " : "") + std::to_string(child);
  });
  return text + "}";
}

std::string Endpoint::str() const {
  return isParent() ? "parent" : "child" + std::to_string(id);
}

} // namespace tessel::sim
