//===- arch/Technology.h - Process node and supply, and their scaling -*-===//
//
// Tessel's default energies (EnergyDefaults.h) and areas (Area.h) are
// published figures at 45 nm and 0.9 V (Horowitz ISSCC 2014's node). An
// Arch's optional `technology: {node: 16nm, vdd: 0.8}` moves every default
// to another node and supply with the scaling factors of A. Stillmaker and
// B. Baas, "Scaling equations for the accurate prediction of CMOS device
// performance from 180 nm to 7 nm", Integration 58 (2017): their area
// factors from 45 nm, and their energy-per-operation fits E(Vdd) =
// a Vdd^2 + b Vdd + c per node. Values an Arch gives explicitly are its own
// and are not scaled. docs/arch.md, "Area, leakage and technology", lists
// the table and what is interpolated or assumed.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_TECHNOLOGY_H
#define TESSEL_ARCH_TECHNOLOGY_H

#include <optional>
#include <string>

namespace tessel {

/// The node and supply the default energies and areas are published at.
constexpr unsigned kDefaultNodeNm = 45;
constexpr double kDefaultVdd = 0.9;

/// The smallest and largest node the factors reach (their table's ends).
constexpr unsigned kSmallestNodeNm = 7;
constexpr unsigned kLargestNodeNm = 130;

/// Factors that take a default from (45 nm, 0.9 V) to (`nodeNm`, `vdd`).
struct TechnologyScale {
  double area = 1;    ///< Multiplies default areas.
  double energy = 1;  ///< Multiplies default per-action energies.
  double leakage = 1; ///< Multiplies default leakage powers.
};

/// Scaling from (45 nm, 0.9 V) to (`nodeNm`, `vdd`): at a node of the
/// table the published factors, between two the linear interpolation in
/// nanometres of theirs. Leakage power scales as energy does (the
/// convention of Accelergy's hwcomponents; no published leakage factor).
/// Throws std::invalid_argument outside [7, 130] nm or for a supply that
/// is not a positive number.
TechnologyScale technologyScale(unsigned nodeNm, double vdd);

/// Whether `nodeNm` is one of the nodes the table publishes factors for.
bool publishedNode(unsigned nodeNm);
/// "130, 90, 65, 45, 32, 20, 16, 14, 10, 7".
std::string publishedNodeNames();

/// The Arch's process: its node and supply, and the factors from them.
struct Technology {
  unsigned nodeNm = kDefaultNodeNm;
  double vdd = kDefaultVdd; ///< Volts.
  TechnologyScale scale;    ///< technologyScale(nodeNm, vdd).
};

} // namespace tessel

#endif // TESSEL_ARCH_TECHNOLOGY_H
