//===- support/Text.h - Positions in text -----------------------*- C++ -*-===//
//
// Dependency-free helpers for messages about text inputs.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_TEXT_H
#define TESSEL_SUPPORT_TEXT_H

#include <cstddef>
#include <string_view>

namespace tessel {

/// A 1-based line and column.
struct TextPosition {
  unsigned line = 1;
  unsigned column = 1;
};

/// Where byte `offset` of `text` is.
inline TextPosition positionOf(std::string_view text, size_t offset) {
  TextPosition position;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

} // namespace tessel

#endif // TESSEL_SUPPORT_TEXT_H
