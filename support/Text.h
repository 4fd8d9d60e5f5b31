//===- support/Text.h - Positions in text -----------------------*- C++ -*-===//
//
// Dependency-free helpers for messages about text inputs.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_TEXT_H
#define TESSEL_SUPPORT_TEXT_H

#include <cstddef>
#include <cstdint>
#include <string>
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

/// A CSV field: quoted (quotes doubled) when it holds a comma, a quote or
/// a line break.
inline std::string csvField(const std::string &text) {
  if (text.find_first_of(",\"\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

/// `1234567` as "1,234,567".
inline std::string withCommas(uint64_t value) {
  std::string digits = std::to_string(value), text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      text += ',';
    text += digits[i];
  }
  return text;
}

} // namespace tessel

#endif // TESSEL_SUPPORT_TEXT_H
