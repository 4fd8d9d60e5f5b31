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
    mask |= uint64_t(1) << child;
    return;
  }
  if (sorted.empty()) { // The first large member: move the mask over.
    forEach([&](uint32_t small) { sorted.push_back(small); });
    mask = 0;
  }
  if (sorted.empty() || child > sorted.back()) { // The common case.
    sorted.push_back(child);
    return;
  }
  auto at = std::lower_bound(sorted.begin(), sorted.end(), child);
  if (*at != child)
    sorted.insert(at, child);
}

void ChildSet::erase(uint32_t child) {
  if (sorted.empty()) {
    if (child < kMaskBits)
      mask &= ~(uint64_t(1) << child);
    return;
  }
  auto at = std::lower_bound(sorted.begin(), sorted.end(), child);
  if (at != sorted.end() && *at == child)
    sorted.erase(at);
  if (!sorted.empty() && sorted.back() < kMaskBits) { // Small again.
    for (uint32_t small : sorted)
      mask |= uint64_t(1) << small;
    sorted.clear();
  }
}

bool ChildSet::contains(uint32_t child) const {
  if (sorted.empty())
    return child < kMaskBits && (mask >> child & 1);
  return std::binary_search(sorted.begin(), sorted.end(), child);
}

size_t ChildSet::size() const {
  return sorted.empty() ? size_t(__builtin_popcountll(mask)) : sorted.size();
}

uint32_t ChildSet::front() const {
  if (empty())
    throw std::logic_error("the front of an empty child set");
  return sorted.empty() ? uint32_t(__builtin_ctzll(mask)) : sorted.front();
}

uint32_t ChildSet::back() const {
  if (empty())
    throw std::logic_error("the back of an empty child set");
  return sorted.empty() ? uint32_t(63 - __builtin_clzll(mask)) : sorted.back();
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
