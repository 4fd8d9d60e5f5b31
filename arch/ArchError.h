//===- arch/ArchError.h - Why an accelerator description is bad -*- C++ -*-===//
//
// Thrown by the loader for any bad input: unreadable or malformed YAML, an
// unknown or missing field, an out-of-range value, a fan-out that does not fit
// its network, an unknown topology. what() reads
// `file.yaml:12:5: error: level 'GLB': unknown field 'capcity'; ...`.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_ARCHERROR_H
#define TESSEL_ARCH_ARCHERROR_H

#include <stdexcept>
#include <string>

namespace tessel {

class ArchError : public std::runtime_error {
public:
  /// `line` and `column` are 1-based; 0 when the error has no position.
  ArchError(std::string file, unsigned line, unsigned column,
            std::string message);

  const std::string &file() const { return file_; }
  unsigned line() const { return line_; }
  unsigned column() const { return column_; }
  /// The message without the position and "error: ".
  const std::string &message() const { return message_; }

private:
  std::string file_;
  unsigned line_;
  unsigned column_;
  std::string message_;
};

} // namespace tessel

#endif // TESSEL_ARCH_ARCHERROR_H
