//===- arch/Area.cpp - Published areas and leakage, and their sums --------===//
#include "arch/Area.h"

#include "arch/NetworkGraph.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>

namespace tessel {
namespace {

/// CACTI 7.0 (HewlettPackard/cacti), 45 nm: one bank of a "ram" (no tags)
/// of 64-bit words, one read-write port, ITRS low-operating-power (itrs-lop)
/// cells and periphery, 360 K, no ECC, the weights of its cache.cfg
/// (0:0:0:100:0, deviations 20:100000:...). "Data array: Area (mm2)" and
/// "Total leakage power of a bank (mW)" of each capacity.
struct CactiPoint {
  double bytes;
  double areaMm2;
  double leakageMW;
};
const CactiPoint kSram[] = {
    {256, 0.00141053, 0.00470431}, {1024, 0.00359993, 0.0166642},
    {4096, 0.0147406, 0.0687901},  {16384, 0.0507558, 0.257365},
    {65536, 0.209084, 0.934604},   {262144, 0.872246, 3.73842},
    {1048576, 3.26332, 14.1395},   {4194304, 12.3989, 59.371},
};

/// The same CACTI configuration at 32 KiB with 1, 2 and 4 read-write ports:
/// area 0.111942, 0.237023, 0.47155 mm^2; leakage 0.51473, 0.586441,
/// 0.723057 mW.
struct PortPoint {
  unsigned ports;
  double areaMm2;
  double leakageMW;
};
const PortPoint kPorts[] = {
    {1, 0.111942, 0.51473}, {2, 0.237023, 0.586441}, {4, 0.47155, 0.723057}};

/// Aladdin (Shao et al., ISCA 2014; harvard-acc/ALADDIN, common/power_func.h,
/// "normalized to a commercial 40g", 1 ns): one register bit, a 32-bit
/// multiplier and a 32-bit adder.
const double kRegisterBitUm2 = 5.981433;
const double kRegisterBitLeakageMW = 7.395312e-05;
const double kAladdinMultiplierUm2 = 6351.338;
const double kAladdinMultiplierLeakageMW = 7.786052e-02;
const double kAladdinAdderUm2 = 277.9792;
const double kAladdinAdderLeakageMW = 2.249908e-03;

/// The 45 nm table of operations attributed to Horowitz (ISSCC 2014), area
/// column (um^2), as Gholami et al., "A Survey of Quantization Methods for
/// Efficient Neural Network Inference" (2021), Fig. 15, reproduce it:
/// 8/16/32-bit add 36/67/137, 8/32-bit multiply 282/3495, fp16 add 1360,
/// multiply 1640, fp32 add 4184, multiply 7700. No 16-bit integer
/// multiplier: it is the 8-bit one x (16/8)^2, as EnergyDefaults.cpp derives
/// its energy.
struct MacArea {
  const char *datatype;
  double multiplyUm2;
  double addUm2;
};
const MacArea kMacAreas[] = {{"int8", 282, 36},
                             {"int16", 282 * 4, 67},
                             {"int32", 3495, 137},
                             {"fp16", 1640, 1360},
                             {"fp32", 7700, 4184}};

/// CACTI 7.0's 45 nm technology file (tech_params/45nm.dat): semi-global
/// wire pitch 4 F, F = 0.045 um.
const double kWirePitchUm = 4 * 0.045;

double logLog(double x, double x0, double y0, double x1, double y1) {
  return y0 * std::pow(x / x0, std::log(y1 / y0) / std::log(x1 / x0));
}

/// Area and leakage factors of `ports` against one port: linear between
/// CACTI's 1, 2 and 4 ports, and beyond 4 with the slope from 2 to 4.
std::pair<double, double> portFactors(unsigned ports) {
  const PortPoint &one = kPorts[0];
  size_t segment = ports <= 2 ? 0 : 1;
  const PortPoint &low = kPorts[segment], &high = kPorts[segment + 1];
  double toward = double(ports - low.ports) / double(high.ports - low.ports);
  double area = low.areaMm2 + (high.areaMm2 - low.areaMm2) * toward;
  double leakage = low.leakageMW + (high.leakageMW - low.leakageMW) * toward;
  return {area / one.areaMm2, leakage / one.leakageMW};
}

ArrayCost withPorts(ArrayCost cost, unsigned ports) {
  auto [area, leakage] = portFactors(std::max(1u, ports));
  cost.areaUm2 *= area;
  cost.leakageMW *= leakage;
  return cost;
}

/// mm^2 to um^2.
const double kUm2PerMm2 = 1e6;

/// The level's arrays: one per partition, else one; `bits` each.
std::vector<uint64_t> arrayBits(const StorageLevel &level) {
  std::vector<uint64_t> bits;
  if (level.partition) {
    for (uint64_t words : *level.partition)
      if (words)
        bits.push_back(words * level.wordBits);
  } else {
    bits.push_back(level.capacity * level.wordBits);
  }
  return bits;
}

/// Area (um^2) of one child of `level` (the next level's instance with
/// everything below it, or a PE), from the silicon already assigned.
double childAreaUm2(const Arch &arch, unsigned level) {
  if (level + 1 == arch.levelCount())
    return double(arch.compute.macsPerPE) * arch.compute.silicon.areaUm2;
  const StorageLevel &child = arch.levels[level + 1];
  return child.silicon.areaUm2 + child.network.silicon.areaUm2 +
         double(child.childCount()) * childAreaUm2(arch, level + 1);
}

/// The network of `level` at 45 nm geometry: its routers' crossbars (each
/// in x out ports of a word, plus a local port at the parent or a child),
/// um^2, and its one-way links.
struct NetworkParts {
  double routersUm2 = 0;
  uint64_t links = 0;
};

NetworkParts networkParts(const StorageLevel &level) {
  NetworkParts parts;
  const NetworkGraph &graph = *level.network.graph;
  std::vector<unsigned> in(graph.vertexCount()), out(graph.vertexCount());
  for (const NetworkGraph::Edge &link : graph.links()) {
    ++out[link.from];
    ++in[link.to];
    ++parts.links;
  }
  double port = double(level.wordBits) * kWirePitchUm;
  for (unsigned v = 0; v < graph.vertexCount(); ++v) {
    if (!graph.isRouter(v))
      continue;
    unsigned local = v <= graph.childCount() ? 1 : 0;
    parts.routersUm2 += (in[v] + local) * port * (out[v] + local) * port;
  }
  return parts;
}

void assignNetwork(Arch &arch, unsigned index) {
  StorageLevel &level = arch.levels[index];
  Silicon &silicon = level.network.silicon;
  const TechnologyScale &scale = arch.technology.scale;
  bool connects = level.childCount() > 1 && level.network.graph;
  NetworkParts parts = connects ? networkParts(level) : NetworkParts{};
  if (!silicon.areaGiven) {
    double childWidth = std::sqrt(childAreaUm2(arch, index));
    double pitch = kWirePitchUm * std::sqrt(scale.area);
    silicon.areaUm2 = parts.routersUm2 * scale.area +
                      double(parts.links) * level.wordBits * pitch * childWidth;
  }
  if (!silicon.leakageGiven)
    silicon.leakageMW = parts.routersUm2 * logicLeakagePerUm2() * scale.leakage;
}

void assignStorage(StorageLevel &level, const TechnologyScale &scale) {
  ArrayCost total{StorageKind::OffChip, 0, 0};
  if (!level.isUnbounded())
    for (uint64_t bits : arrayBits(level)) {
      ArrayCost array = storageArray(bits, level.banks, level.ports);
      total.areaUm2 += array.areaUm2;
      total.leakageMW += array.leakageMW;
    }
  if (!level.silicon.areaGiven)
    level.silicon.areaUm2 = total.areaUm2 * scale.area;
  if (!level.silicon.leakageGiven)
    level.silicon.leakageMW = total.leakageMW * scale.leakage;
}

} // namespace

const char *storageKindName(StorageKind kind) {
  switch (kind) {
  case StorageKind::OffChip:
    return "off chip";
  case StorageKind::Sram:
    return "SRAM";
  case StorageKind::RegisterFile:
    return "register file";
  case StorageKind::Given:
    return "given";
  }
  return "?";
}

ArrayCost sramBank(uint64_t bits, unsigned ports) {
  double bytes = double(bits) / 8;
  const CactiPoint &first = kSram[0], &last = kSram[std::size(kSram) - 1];
  ArrayCost cost{StorageKind::Sram, 0, 0};
  if (bytes <= first.bytes) {
    cost.areaUm2 = first.areaMm2 * kUm2PerMm2;
    cost.leakageMW = first.leakageMW;
  } else if (bytes >= last.bytes) {
    cost.areaUm2 = last.areaMm2 * kUm2PerMm2 * bytes / last.bytes;
    cost.leakageMW = last.leakageMW * bytes / last.bytes;
  } else {
    size_t segment = 0;
    while (bytes > kSram[segment + 1].bytes)
      ++segment;
    const CactiPoint &low = kSram[segment], &high = kSram[segment + 1];
    cost.areaUm2 =
        logLog(bytes, low.bytes, low.areaMm2, high.bytes, high.areaMm2) *
        kUm2PerMm2;
    cost.leakageMW =
        logLog(bytes, low.bytes, low.leakageMW, high.bytes, high.leakageMW);
  }
  return withPorts(cost, ports);
}

ArrayCost registerFile(uint64_t bits, unsigned ports) {
  return withPorts({StorageKind::RegisterFile, double(bits) * kRegisterBitUm2,
                    double(bits) * kRegisterBitLeakageMW},
                   ports);
}

ArrayCost storageArray(uint64_t bits, unsigned banks, unsigned ports) {
  banks = std::max(1u, banks);
  uint64_t perBank = bits / banks + (bits % banks != 0);
  ArrayCost sram = sramBank(perBank, ports);
  ArrayCost flops = registerFile(perBank, ports);
  ArrayCost bank = flops.areaUm2 < sram.areaUm2 ? flops : sram;
  bank.areaUm2 *= banks;
  bank.leakageMW *= banks;
  return bank;
}

std::optional<double> defaultMacArea(const std::string &datatype) {
  for (const MacArea &mac : kMacAreas)
    if (datatype == mac.datatype)
      return mac.multiplyUm2 + mac.addUm2;
  return std::nullopt;
}

double logicLeakagePerUm2() {
  return (kAladdinMultiplierLeakageMW + kAladdinAdderLeakageMW) /
         (kAladdinMultiplierUm2 + kAladdinAdderUm2);
}

double wirePitchUm() { return kWirePitchUm; }

std::string storageKinds(const StorageLevel &level) {
  if (level.isUnbounded())
    return storageKindName(StorageKind::OffChip);
  if (level.silicon.areaGiven)
    return storageKindName(StorageKind::Given);
  std::string kinds;
  for (StorageKind kind : {StorageKind::Sram, StorageKind::RegisterFile}) {
    bool used = false;
    for (uint64_t bits : arrayBits(level))
      used |= storageArray(bits, level.banks, level.ports).kind == kind;
    if (used)
      kinds += (kinds.empty() ? "" : ", ") + std::string(storageKindName(kind));
  }
  return kinds;
}

void assignSilicon(Arch &arch) {
  const TechnologyScale &scale = arch.technology.scale;
  Silicon &mac = arch.compute.silicon;
  std::optional<double> macArea = defaultMacArea(arch.compute.datatype);
  if ((!mac.areaGiven || !mac.leakageGiven) && !macArea)
    throw std::invalid_argument("no default MAC area for datatype '" +
                                arch.compute.datatype + "'");
  if (!mac.areaGiven)
    mac.areaUm2 = *macArea * scale.area;
  if (!mac.leakageGiven)
    mac.leakageMW = *macArea * logicLeakagePerUm2() * scale.leakage;
  for (StorageLevel &level : arch.levels)
    assignStorage(level, scale);
  for (unsigned index = arch.levelCount(); index-- > 0;)
    assignNetwork(arch, index);
}

double AreaBreakdown::storageUm2() const {
  double sum = 0;
  for (const LevelArea &level : levels)
    sum += level.storageUm2;
  return sum;
}

double AreaBreakdown::networkUm2() const {
  double sum = 0;
  for (const LevelArea &level : levels)
    sum += level.networkUm2;
  return sum;
}

double AreaBreakdown::leakageMW() const {
  double sum = macLeakageMW;
  for (const LevelArea &level : levels)
    sum += level.leakageMW;
  return sum;
}

AreaBreakdown areaOf(const Arch &arch) {
  AreaBreakdown area;
  for (const StorageLevel &level : arch.levels) {
    double instances = double(level.instances);
    area.levels.push_back(
        {level.name, level.instances, storageKinds(level),
         level.silicon.areaUm2 * instances,
         level.network.silicon.areaUm2 * instances,
         (level.silicon.leakageMW + level.network.silicon.leakageMW) *
             instances});
  }
  area.macs = arch.compute.instances * arch.compute.macsPerPE;
  area.macUm2 = double(area.macs) * arch.compute.silicon.areaUm2;
  area.macLeakageMW = double(area.macs) * arch.compute.silicon.leakageMW;
  return area;
}

double leakagePowerMW(const Arch &arch) {
  double sum = double(arch.compute.instances) * arch.compute.macsPerPE *
               arch.compute.silicon.leakageMW;
  for (const StorageLevel &level : arch.levels)
    sum += double(level.instances) *
           (level.silicon.leakageMW + level.network.silicon.leakageMW);
  return sum;
}

} // namespace tessel
