//===- arch/ArchError.cpp -------------------------------------------------===//
#include "arch/ArchError.h"

namespace tessel {
namespace {
std::string formatError(const std::string &file, unsigned line, unsigned column,
                        const std::string &message) {
  std::string where = file;
  if (line != 0)
    where += ":" + std::to_string(line) + ":" + std::to_string(column);
  return where + ": error: " + message;
}
} // namespace

ArchError::ArchError(std::string file, unsigned line, unsigned column,
                     std::string message)
    : std::runtime_error(formatError(file, line, column, message)),
      file_(std::move(file)), line_(line), column_(column),
      message_(std::move(message)) {}

} // namespace tessel
