//===- tools/tessel/Json.h - JSON output for machines -----------*- C++ -*-===//
#ifndef TESSEL_TOOLS_JSON_H
#define TESSEL_TOOLS_JSON_H

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <ostream>
#include <string>

#include <vector>

namespace tessel {
struct Arch;
struct Problem;
struct Report;
struct SetAsideOp;
} // namespace tessel

namespace tessel::cli {

/// Prints `value` as indented JSON and a newline.
inline void printJson(std::ostream &os, const llvm::json::Value &value) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  stream << llvm::formatv("{0:2}", value);
  os << stream.str() << "\n";
}

/// A Report as `tessel eval --json` and `tessel sim --json` print it:
/// cycles, resources, MACs, utilization, energy, and per level x tensor the
/// counts and their energy.
llvm::json::Object reportJson(const Report &report, const Problem &problem,
                              const Arch &arch);

/// The ops that are not tensor contractions (not mapped), as `workloads`,
/// `map` and `eval --json` list them under "notContractions".
llvm::json::Array setAsideJson(const std::vector<SetAsideOp> &ops);

} // namespace tessel::cli

#endif
