//===- tools/tessel/ArchCommand.cpp - `tessel arch` -----------------------===//
//
// Prints an accelerator read from YAML: its levels (instances, capacities,
// bandwidths), the networks between them with their hop counts, the peak MAC
// rate, the energy table, and the area and leakage per level and per kind
// of component (arch/Area.h).
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Json.h"

#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "arch/Area.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

namespace tessel::cli {
namespace {

struct ArchOptions {
  std::string file;
  bool json = false;
};

/// 0.2 -> "0.2", 42.9 -> "42.9", 55296 -> "55296".
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

/// 1 -> "1 MAC", 8 -> "8 MACs".
std::string macsText(unsigned macs) {
  return std::to_string(macs) + (macs == 1 ? " MAC" : " MACs");
}

std::string picojoules(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

std::string bandwidthText(const std::optional<double> &wordsPerCycle) {
  return wordsPerCycle ? number(*wordsPerCycle) : "unlimited";
}

std::string shapeText(const std::array<unsigned, 2> &shape) {
  return std::to_string(shape[0]) + "x" + std::to_string(shape[1]);
}

std::string keepsText(const StorageLevel &level) {
  std::string text;
  for (unsigned r = 0; r < kTensorRoleCount; ++r)
    if (level.keeps[r])
      text += (text.empty() ? "" : ", ") +
              std::string(tensorRoleName(TensorRole(r)));
  return text;
}

void printSummary(const Arch &arch, std::ostream &os) {
  os << "arch " << arch.name;
  if (!arch.description.empty())
    os << ": " << arch.description;
  os << "\n  file   " << arch.file << "\n  clock  " << number(arch.clockGHz)
     << " GHz\n  peak   " << withCommas(arch.peakMacsPerCycle())
     << " MACs/cycle = " << withCommas(arch.peCount()) << " PEs x "
     << macsText(arch.compute.macsPerPE) << " (" << arch.compute.datatype
     << "), " << number(double(arch.peakMacsPerCycle()) * arch.clockGHz)
     << " GMAC/s\n\n";
}

void printLevels(const Arch &arch, std::ostream &os) {
  os << "Levels (outer to inner; capacities and bandwidths per instance)\n";
  Table table(
      {"level", "instances", "fan-out", "capacity (words)", "keeps",
       "word (bits)", "banks", "ports", "read (words/cycle)",
       "write (words/cycle)", "latency (cycles)"},
      {false, true, true, false, false, true, true, true, true, true, true});
  for (const StorageLevel &level : arch.levels)
    table.addRow(
        {level.name, withCommas(level.instances), shapeText(level.fanout),
         capacityText(level), keepsText(level), std::to_string(level.wordBits),
         std::to_string(level.banks), std::to_string(level.ports),
         bandwidthText(level.readBandwidth),
         bandwidthText(level.writeBandwidth), std::to_string(level.latency)});
  table.addRow({"compute", withCommas(arch.compute.instances), "",
                macsText(arch.compute.macsPerPE) + " per PE (" +
                    arch.compute.datatype + ")",
                "", "", "", "", "", "",
                std::to_string(arch.compute.pipelineLatency)});
  table.print(os, "  ");
  os << "\n";
}

void printNetworks(const Arch &arch, std::ostream &os) {
  os << "Networks (each level to its children; hops per word)\n";
  Table table(
      {"level", "topology", "children", "multicast", "reduction",
       "link (words/cycle)", "hop latency (cycles)", "unicast avg",
       "unicast max", "broadcast", "reduce-all"},
      {false, false, true, false, false, true, true, true, true, true, true});
  for (const StorageLevel &level : arch.levels) {
    const Network &network = level.network;
    char average[32];
    std::snprintf(average, sizeof average, "%.2f",
                  network.summary.unicastAverageHops);
    table.addRow({level.name, network.topology, withCommas(level.childCount()),
                  network.multicast ? "yes" : "no",
                  network.reduction ? "yes" : "no",
                  bandwidthText(network.linkBandwidth),
                  std::to_string(network.hopLatency), average,
                  withCommas(network.summary.unicastMaxHops),
                  withCommas(network.summary.broadcastHops),
                  withCommas(network.summary.reduceAllHops)});
  }
  table.print(os, "  ");
  os << "\n";
}

void printEnergy(const Arch &arch, std::ostream &os) {
  os << "Energy (pJ per word; per word per hop on the level's network)\n";
  Table table({"level", "read", "write", "update", "hop"},
              {false, true, true, true, true});
  for (const StorageLevel &level : arch.levels)
    table.addRow({level.name, picojoules(level.energy.read),
                  picojoules(level.energy.write),
                  picojoules(level.energy.update),
                  picojoules(level.network.hopEnergy)});
  table.print(os, "  ");
  os << "  MAC: " << picojoules(arch.compute.macEnergy) << " pJ per MAC ("
     << arch.compute.datatype << ")\n";
}

/// um^2 -> "0.0123" mm^2.
std::string squareMillimetres(double squareMicrometres) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", squareMicrometres / 1e6);
  return text;
}

std::string milliwatts(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

/// "45 nm, 0.9 V (the defaults' node)" or "16 nm, 0.8 V: default areas
/// x0.19, energies x0.2586, leakage x0.2586".
std::string technologyText(const Technology &technology) {
  std::string text = std::to_string(technology.nodeNm) + " nm, " +
                     number(technology.vdd) + " V";
  if (technology.nodeNm == kDefaultNodeNm && technology.vdd == kDefaultVdd)
    return text + " (the defaults' node)";
  const TechnologyScale &scale = technology.scale;
  return text + ": default areas x" + number(scale.area) + ", energies x" +
         number(scale.energy) + ", leakage x" + number(scale.leakage);
}

void printArea(const Arch &arch, std::ostream &os) {
  AreaBreakdown area = areaOf(arch);
  os << "\nArea and leakage (totals over instances; "
     << technologyText(arch.technology) << ")\n";
  Table table({"level", "instances", "storage", "storage (mm^2)",
               "network (mm^2)", "MACs (mm^2)", "total (mm^2)", "leakage (mW)"},
              {false, true, false, true, true, true, true, true});
  for (const LevelArea &level : area.levels)
    table.addRow({level.level, withCommas(level.instances), level.kinds,
                  level.kinds == storageKindName(StorageKind::OffChip)
                      ? "-"
                      : squareMillimetres(level.storageUm2),
                  squareMillimetres(level.networkUm2), "",
                  squareMillimetres(level.storageUm2 + level.networkUm2),
                  milliwatts(level.leakageMW)});
  table.addRow({"MACs", withCommas(area.macs),
                arch.compute.datatype + ", " +
                    number(arch.compute.silicon.areaUm2) + " um^2 each",
                "", "", squareMillimetres(area.macUm2),
                squareMillimetres(area.macUm2), milliwatts(area.macLeakageMW)});
  table.addRule();
  table.addRow(
      {"total", "", "", squareMillimetres(area.storageUm2()),
       squareMillimetres(area.networkUm2()), squareMillimetres(area.macUm2),
       squareMillimetres(area.totalUm2()), milliwatts(area.leakageMW())});
  table.print(os, "  ");
  os << "  DRAM is off chip: no area or leakage counted. Leakage energy = "
        "leakage x cycles / clock: "
     << milliwatts(area.leakageMW() / arch.clockGHz) << " pJ per cycle\n";
}

llvm::json::Value optionalJson(const std::optional<double> &value) {
  return value ? llvm::json::Value(*value) : llvm::json::Value(nullptr);
}

llvm::json::Value networkJson(const StorageLevel &level) {
  const Network &network = level.network;
  llvm::json::Object object{
      {"topology", network.topology},
      {"children", int64_t(level.childCount())},
      {"multicast", network.multicast},
      {"reduction", network.reduction},
      {"linkBandwidthWordsPerCycle", optionalJson(network.linkBandwidth)},
      {"hopLatencyCycles", int64_t(network.hopLatency)},
      {"hopEnergyPJ", network.hopEnergy},
      {"unicastAverageHops", network.summary.unicastAverageHops},
      {"unicastMaxHops", int64_t(network.summary.unicastMaxHops)},
      {"broadcastHops", int64_t(network.summary.broadcastHops)},
      {"reduceAllHops", int64_t(network.summary.reduceAllHops)}};
  if (network.topology == "tree")
    object["radix"] = network.radix;
  if (network.topology == "mesh")
    object["attach"] = llvm::json::Array{network.attach[0], network.attach[1]};
  return object;
}

llvm::json::Value levelJson(const StorageLevel &level) {
  llvm::json::Array keeps;
  llvm::json::Object partition;
  for (unsigned r = 0; r < kTensorRoleCount; ++r) {
    const char *role = tensorRoleName(TensorRole(r));
    if (level.keeps[r])
      keeps.push_back(role);
    if (level.partition && (*level.partition)[r] != 0)
      partition[role] = int64_t((*level.partition)[r]);
  }
  return llvm::json::Object{
      {"name", level.name},
      {"instances", int64_t(level.instances)},
      {"capacityWords", level.isUnbounded()
                            ? llvm::json::Value(nullptr)
                            : llvm::json::Value(int64_t(level.capacity))},
      {"partitionWords", level.partition
                             ? llvm::json::Value(std::move(partition))
                             : llvm::json::Value(nullptr)},
      {"keeps", std::move(keeps)},
      {"wordBits", level.wordBits},
      {"banks", level.banks},
      {"ports", level.ports},
      {"readBandwidthWordsPerCycle", optionalJson(level.readBandwidth)},
      {"writeBandwidthWordsPerCycle", optionalJson(level.writeBandwidth)},
      {"latencyCycles", int64_t(level.latency)},
      {"fanout", llvm::json::Array{level.fanout[0], level.fanout[1]}},
      {"energyPJ", llvm::json::Object{{"read", level.energy.read},
                                      {"write", level.energy.write},
                                      {"update", level.energy.update}}},
      {"network", networkJson(level)}};
}

llvm::json::Value areaJson(const Arch &arch) {
  AreaBreakdown area = areaOf(arch);
  llvm::json::Array levels;
  for (unsigned l = 0; l < arch.levelCount(); ++l) {
    const StorageLevel &level = arch.levels[l];
    const LevelArea &total = area.levels[l];
    levels.push_back(llvm::json::Object{
        {"name", level.name},
        {"instances", int64_t(level.instances)},
        {"storage", total.kinds},
        {"storageUm2Each", level.silicon.areaUm2},
        {"storageLeakageMWEach", level.silicon.leakageMW},
        {"networkUm2Each", level.network.silicon.areaUm2},
        {"networkLeakageMWEach", level.network.silicon.leakageMW},
        {"storageMm2", total.storageUm2 / 1e6},
        {"networkMm2", total.networkUm2 / 1e6},
        {"leakageMW", total.leakageMW}});
  }
  const Technology &technology = arch.technology;
  return llvm::json::Object{
      {"technology",
       llvm::json::Object{{"nodeNm", technology.nodeNm},
                          {"vdd", technology.vdd},
                          {"areaScale", technology.scale.area},
                          {"energyScale", technology.scale.energy},
                          {"leakageScale", technology.scale.leakage}}},
      {"levels", std::move(levels)},
      {"macs",
       llvm::json::Object{{"lanes", int64_t(area.macs)},
                          {"datatype", arch.compute.datatype},
                          {"um2Each", arch.compute.silicon.areaUm2},
                          {"leakageMWEach", arch.compute.silicon.leakageMW},
                          {"mm2", area.macUm2 / 1e6},
                          {"leakageMW", area.macLeakageMW}}},
      {"storageMm2", area.storageUm2() / 1e6},
      {"networkMm2", area.networkUm2() / 1e6},
      {"macMm2", area.macUm2 / 1e6},
      {"totalMm2", area.totalUm2() / 1e6},
      {"leakageMW", area.leakageMW()}};
}

void printJson(const Arch &arch, std::ostream &os) {
  llvm::json::Array levels;
  for (const StorageLevel &level : arch.levels)
    levels.push_back(levelJson(level));
  llvm::json::Value document = llvm::json::Object{
      {"name", arch.name},
      {"description", arch.description},
      {"file", arch.file},
      {"clockGHz", arch.clockGHz},
      {"peakMacsPerCycle", int64_t(arch.peakMacsPerCycle())},
      {"levels", std::move(levels)},
      {"area", areaJson(arch)},
      {"compute",
       llvm::json::Object{
           {"datatype", arch.compute.datatype},
           {"instances", int64_t(arch.compute.instances)},
           {"macsPerPE", arch.compute.macsPerPE},
           {"macEnergyPJ", arch.compute.macEnergy},
           {"pipelineLatencyCycles", int64_t(arch.compute.pipelineLatency)}}}};
  tessel::cli::printJson(os, document);
}

int run(const ArchOptions &options) {
  try {
    Arch arch = loadArchByNameOrPath(options.file);
    if (options.json) {
      printJson(arch, std::cout);
      return 0;
    }
    printSummary(arch, std::cout);
    printLevels(arch, std::cout);
    printNetworks(arch, std::cout);
    printEnergy(arch, std::cout);
    printArea(arch, std::cout);
    return 0;
  } catch (const ArchError &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
}

} // namespace

void addArchCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<ArchOptions>();
  CLI::App *sub = app.add_subcommand(
      "arch", "Print an accelerator described in YAML: storage levels, "
              "instances, capacities, bandwidths, networks with their hop "
              "counts, peak MACs per cycle, the energy table, and area and "
              "leakage per level and per kind of component.");
  std::string presets;
  for (const std::string &name : presetNames())
    presets += (presets.empty() ? "" : ", ") + name;
  sub->add_option("ARCH", options->file,
                  "A preset (" + presets + ") or an accelerator YAML file")
      ->required();
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
