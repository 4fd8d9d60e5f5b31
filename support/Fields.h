//===- support/Fields.h - Records as length-prefixed fields -----*- C++ -*-===//
//
// Results sent between processes (the ranks of an MPI run) travel as a
// string of fields, each `<bytes>:<text>`, so any text (line breaks, colons,
// NUL) survives and doubles keep every digit (17 significant). A reader of
// damaged bytes throws std::runtime_error with `what` in its message.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_FIELDS_H
#define TESSEL_SUPPORT_FIELDS_H

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace tessel {

struct FieldWriter {
  std::string out;
  void put(const std::string &text) {
    out += std::to_string(text.size()) + ":" + text;
  }
  void put(uint64_t value) { put(std::to_string(value)); }
  void put(double value) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", value);
    put(std::string(text));
  }
};

class FieldReader {
public:
  /// `what` names the record in errors ("a sweep result").
  FieldReader(const std::string &in, std::string what)
      : in(in), what(std::move(what)) {}

  std::string text() {
    size_t colon = in.find(':', at);
    if (colon == std::string::npos || colon == at || colon - at > 12)
      damaged("is damaged");
    size_t n = number<uint64_t>(in.substr(at, colon - at));
    if (colon + 1 + n > in.size())
      damaged("is cut short");
    std::string field = in.substr(colon + 1, n);
    at = colon + 1 + n;
    return field;
  }
  uint64_t whole() { return number<uint64_t>(text()); }
  double real() { return number<double>(text()); }
  /// A count of items that follow: never more than the bytes left.
  uint64_t count() {
    uint64_t n = whole();
    if (n > in.size() - at)
      damaged("is damaged");
    return n;
  }
  /// Throws unless every byte was read.
  void finish() const {
    if (at != in.size())
      damaged("has extra bytes");
  }
  [[noreturn]] void damaged(const std::string &how) const {
    throw std::runtime_error(what + " from another process " + how);
  }

private:
  const std::string &in;
  std::string what;
  size_t at = 0;

  template <typename T> T number(const std::string &text) const {
    try {
      size_t used = 0;
      T value;
      if constexpr (std::is_same_v<T, double>)
        value = std::stod(text, &used);
      else
        value = std::stoull(text, &used);
      if (used != text.size() || (!text.empty() && text[0] == '-'))
        damaged("is damaged");
      return value;
    } catch (const std::logic_error &) {
      damaged("is damaged");
    }
  }
};

} // namespace tessel

#endif // TESSEL_SUPPORT_FIELDS_H
