//===- tools/tessel/Format.h - Text tables and numbers for people -*- C++ -*-=//
#ifndef TESSEL_TOOLS_FORMAT_H
#define TESSEL_TOOLS_FORMAT_H

#include "support/Text.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace tessel {
struct StorageLevel;
}

namespace tessel::cli {

/// 4089184256 -> "4,089,184,256" (support/Text.h).
using tessel::withCommas;
/// `value` with `digits` decimals: "12.50".
std::string fixed(double value, int digits);
/// 634800 -> "619.9 KiB" (exact byte counts stay in JSON).
std::string humanBytes(uint64_t bytes);
/// 692672.0 -> "692.67 nJ": picojoules in the largest unit that keeps the
/// value at or above 1 (exact values stay in JSON, in pJ).
std::string humanEnergy(double picojoules);
/// A unit of energy for a whole table column: its name and its size in pJ.
struct EnergyUnit {
  const char *name;
  double picojoules;
};
/// The largest of pJ, nJ, uJ, mJ, J that keeps `largestPicojoules` at or
/// above 1: a column takes the unit of its largest value, so every cell
/// of it reads in one unit.
EnergyUnit energyUnitFor(double largestPicojoules);
/// `picojoules` in `unit`, without the unit: (677760000, mJ) -> "0.68".
std::string energyIn(double picojoules, EnergyUnit unit, int digits = 2);
/// The unit of a cost (an --objective's value): "cycles", "pJ",
/// "cycle*pJ" for edp, "" for a weighted product.
std::string objectiveUnit(const std::string &objective);
/// {1, 230, 3} -> "1x230x3".
std::string joinShape(const std::vector<int64_t> &shape);

/// A level's capacity per instance: "unbounded", "55,296", or per role
/// "input 12, weight 224, output 24".
std::string capacityText(const StorageLevel &level);

/// A text table: columns padded to their widest cell; numeric columns are
/// right-aligned.
class Table {
public:
  explicit Table(std::vector<std::string> header,
                 std::vector<bool> rightAligned = {});
  void addRow(std::vector<std::string> row);
  void addRule();
  void print(std::ostream &os, const std::string &indent = "") const;

private:
  std::vector<std::vector<std::string>> rows; // Empty row = rule.
  std::vector<bool> rightAligned;
};

} // namespace tessel::cli

#endif
