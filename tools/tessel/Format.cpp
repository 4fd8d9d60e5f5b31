//===- tools/tessel/Format.cpp --------------------------------------------===//
#include "Format.h"

#include "arch/Arch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tessel::cli {

std::string fixed(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string humanBytes(uint64_t bytes) {
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  unsigned unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0)
    std::snprintf(text, sizeof text, "%llu B",
                  static_cast<unsigned long long>(bytes));
  else
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
  return text;
}

EnergyUnit energyUnitFor(double largestPicojoules) {
  static const EnergyUnit units[] = {
      {"pJ", 1}, {"nJ", 1e3}, {"uJ", 1e6}, {"mJ", 1e9}, {"J", 1e12}};
  unsigned unit = 0;
  while (unit < 4 && std::abs(largestPicojoules) >= units[unit + 1].picojoules)
    ++unit;
  return units[unit];
}

std::string energyIn(double picojoules, EnergyUnit unit, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits,
                picojoules / unit.picojoules);
  return text;
}

std::string humanEnergy(double picojoules) {
  EnergyUnit unit = energyUnitFor(picojoules);
  return energyIn(picojoules, unit) + " " + unit.name;
}

std::string objectiveUnit(const std::string &objective) {
  if (objective == "cycles")
    return "cycles";
  if (objective == "energy")
    return "pJ";
  if (objective == "edp")
    return "cycle*pJ";
  return "";
}

std::string joinShape(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "x" : "") + std::to_string(shape[i]);
  return text.empty() ? "scalar" : text;
}

std::string capacityText(const StorageLevel &level) {
  if (level.isUnbounded())
    return "unbounded";
  if (!level.partition)
    return withCommas(level.capacity);
  std::string text;
  for (unsigned r = 0; r < kTensorRoleCount; ++r)
    if ((*level.partition)[r] != 0)
      text += (text.empty() ? "" : ", ") +
              std::string(tensorRoleName(TensorRole(r))) + " " +
              withCommas((*level.partition)[r]);
  return text;
}

Table::Table(std::vector<std::string> header, std::vector<bool> rightAligned)
    : rightAligned(std::move(rightAligned)) {
  rows.push_back(std::move(header));
  addRule();
}

void Table::addRow(std::vector<std::string> row) {
  rows.push_back(std::move(row));
}

void Table::addRule() { rows.emplace_back(); }

void Table::print(std::ostream &os, const std::string &indent) const {
  std::vector<size_t> widths;
  for (const auto &row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c)
        widths.push_back(0);
      widths[c] = std::max(widths[c], row[c].size());
    }
  size_t total = 0;
  for (size_t w : widths)
    total += w + 2;
  for (const auto &row : rows) {
    if (row.empty()) {
      os << indent << std::string(total > 2 ? total - 2 : 0, '-') << '\n';
      continue;
    }
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      bool right = c < rightAligned.size() && rightAligned[c];
      std::string pad(widths[c] - row[c].size(), ' ');
      line += right ? pad + row[c] : row[c] + pad;
      if (c + 1 < row.size())
        line += "  ";
    }
    while (!line.empty() && line.back() == ' ')
      line.pop_back();
    os << indent << line << '\n';
  }
}

} // namespace tessel::cli
