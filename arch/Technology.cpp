//===- arch/Technology.cpp - Stillmaker & Baas scaling factors ------------===//
#include "arch/Technology.h"

#include <cmath>
#include <iterator>
#include <stdexcept>

namespace tessel {
namespace {

/// One node of A. Stillmaker, B. Baas, Integration 58 (2017), as Accelergy's
/// hwcomponents transcribes them (Accelergy-Project/hwcomponents,
/// hwcomponents/scaling/techscaling.py): the area factor from 45 nm (its
/// AREA_SCALING row for 45 nm) and the energy fit E(Vdd) = a Vdd^2 + b Vdd
/// + c (its ENERGY_SCALING). The paper's corrigendum evaluates the 65 nm
/// row's fit (3.755 (1.3)^2 - 4.398 (1.3) + 1.975 = 2.604); the other rows
/// are unchecked against the paper (docs/arch.md).
struct NodeFactors {
  unsigned nanometres;
  double areaFrom45;
  double a, b, c;
};
const NodeFactors kNodes[] = {
    {130, 6.4, 7.171, -6.709, 2.904},     {90, 2.8, 4.762, -4.781, 2.092},
    {65, 1.5, 3.755, -4.398, 1.975},      {45, 1, 1.103, -0.362, 0.2767},
    {32, 0.46, 0.9559, -0.7823, 0.471},   {20, 0.21, 0.373, -0.1582, 0.04104},
    {16, 0.19, 0.2958, -0.1241, 0.03024}, {14, 0.17, 0.2363, -0.09675, 0.02239},
    {10, 0.1, 0.2068, -0.09311, 0.02375}, {7, 0.059, 0.1776, -0.09097, 0.02447},
};

double energyFit(const NodeFactors &node, double vdd) {
  return node.a * vdd * vdd + node.b * vdd + node.c;
}

const NodeFactors &nodeAt(unsigned nanometres) {
  for (const NodeFactors &node : kNodes)
    if (node.nanometres == nanometres)
      return node;
  throw std::logic_error("no node " + std::to_string(nanometres));
}

} // namespace

bool publishedNode(unsigned nodeNm) {
  for (const NodeFactors &node : kNodes)
    if (node.nanometres == nodeNm)
      return true;
  return false;
}

std::string publishedNodeNames() {
  std::string names;
  for (const NodeFactors &node : kNodes)
    names += (names.empty() ? "" : ", ") + std::to_string(node.nanometres);
  return names;
}

TechnologyScale technologyScale(unsigned nodeNm, double vdd) {
  if (nodeNm < kSmallestNodeNm || nodeNm > kLargestNodeNm)
    throw std::invalid_argument("the node must be between " +
                                std::to_string(kSmallestNodeNm) + " and " +
                                std::to_string(kLargestNodeNm) + " nm");
  if (!(vdd > 0) || !std::isfinite(vdd))
    throw std::invalid_argument("the supply must be a positive number (V)");
  // kNodes runs from the largest node to the smallest: find the pair that
  // brackets nodeNm (the same node twice when it is in the table).
  size_t larger = 0;
  while (larger + 1 < std::size(kNodes) &&
         kNodes[larger + 1].nanometres >= nodeNm)
    ++larger;
  size_t smaller = kNodes[larger].nanometres == nodeNm ? larger : larger + 1;
  const NodeFactors &high = kNodes[larger], &low = kNodes[smaller];
  double toward = high.nanometres == low.nanometres
                      ? 0
                      : double(high.nanometres - nodeNm) /
                            double(high.nanometres - low.nanometres);
  auto between = [&](double atHigh, double atLow) {
    return atHigh + (atLow - atHigh) * toward;
  };
  TechnologyScale scale;
  scale.area = between(high.areaFrom45, low.areaFrom45);
  double reference = energyFit(nodeAt(kDefaultNodeNm), kDefaultVdd);
  scale.energy = between(energyFit(high, vdd), energyFit(low, vdd)) / reference;
  scale.leakage = scale.energy;
  return scale;
}

} // namespace tessel
