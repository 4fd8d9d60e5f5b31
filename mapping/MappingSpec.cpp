//===- mapping/MappingSpec.cpp ---------------------------------------------===//
#include "mapping/MappingSpec.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace tessel {
namespace {

bool isIdentifier(const std::string &text) {
  if (text.empty() ||
      !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_'))
    return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  return true;
}

std::optional<std::string> parseFactor(const std::string &text,
                                       int64_t &factor) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit((unsigned char)c);
      }))
    return "factor '" + text + "' is not a positive integer";
  errno = 0;
  long long value = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE || value < 1)
    return "factor '" + text + "' is not a positive 64-bit integer";
  factor = value;
  return std::nullopt;
}

} // namespace

std::optional<std::string> parseLoopText(const std::string &text,
                                         LoopSpec &loop) {
  size_t equals = text.find('=');
  if (equals == std::string::npos)
    return "expected 'dim=factor' (e.g. k=4), got '" + text + "'";
  loop.dim = text.substr(0, equals);
  if (!isIdentifier(loop.dim))
    return "'" + loop.dim + "' is not a dimension name";
  return parseFactor(text.substr(equals + 1), loop.factor);
}

std::optional<std::string> parseSpatialLoopText(const std::string &text,
                                                SpatialLoopSpec &loop) {
  size_t at = text.find('@');
  if (at == std::string::npos)
    return "expected 'dim=factor@X' or 'dim=factor@Y', got '" + text + "'";
  std::string axis = text.substr(at + 1);
  if (axis != "X" && axis != "Y")
    return "spatial axis '" + axis + "' must be X or Y";
  loop.axis = axis == "X" ? SpatialAxis::X : SpatialAxis::Y;
  LoopSpec plain;
  if (auto error = parseLoopText(text.substr(0, at), plain))
    return error;
  loop.dim = plain.dim;
  loop.factor = plain.factor;
  return std::nullopt;
}

std::string loopText(const LoopSpec &loop) {
  return loop.dim + "=" + std::to_string(loop.factor);
}

std::string loopText(const SpatialLoopSpec &loop) {
  return loop.dim + "=" + std::to_string(loop.factor) + "@" +
         axisName(loop.axis);
}

const char *axisName(SpatialAxis axis) {
  return axis == SpatialAxis::X ? "X" : "Y";
}

const char *factorizationName(Factorization factorization) {
  switch (factorization) {
  case Factorization::Exact:
    return "exact";
  case Factorization::Residual:
    return "residual";
  case Factorization::Padded:
    return "padded";
  }
  return "exact";
}

std::optional<Factorization> factorizationNamed(const std::string &name) {
  for (Factorization f :
       {Factorization::Exact, Factorization::Residual, Factorization::Padded})
    if (name == factorizationName(f))
      return f;
  return std::nullopt;
}

} // namespace tessel
