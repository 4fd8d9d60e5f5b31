//===- arch/ArchLoader.cpp - YAML to Arch, with errors that point ---------===//
#include "arch/ArchLoader.h"

#include "arch/ArchError.h"
#include "arch/Area.h"
#include "arch/DramPresets.h"
#include "arch/EnergyDefaults.h"
#include "arch/Topologies.h"
#include "support/YamlReader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <stdexcept>

namespace tessel {

/// ArchError keeps the position apart from the message.
template <>
[[noreturn]] void throwLocated<ArchError>(const std::string &file,
                                          const YAML::Mark &mark,
                                          const std::string &message) {
  if (mark.is_null())
    throw ArchError(file, 0, 0, message);
  throw ArchError(file, unsigned(mark.line + 1), unsigned(mark.column + 1),
                  message);
}

namespace {

using Names = std::vector<std::string>;

const Names kArchFields = {"name",   "description", "clockGHz",
                           "levels", "compute",     "technology"};
const Names kTechnologyFields = {"node", "vdd"};
const Names kLevelFields = {
    "name",    "capacity",      "keeps",          "wordBits", "banks",
    "ports",   "readBandwidth", "writeBandwidth", "energy",   "area",
    "leakage", "latency",       "fanout",         "network",  "dram"};
const Names kEnergyFields = {"read", "write", "update"};
const Names kNetworkFields = {
    "topology",    "multicast", "reduction", "bandwidth", "hopLatency",
    "hopEnergy",   "radix",     "attach",    "shape",     "stationaryBuffers",
    "foldOverlap", "area",      "leakage"};
const Names kDramFields = {
    "preset",     "dataRate",       "channels", "busBits",  "burstLength",
    "bankGroups", "banksPerGroup",  "rows",     "rowBytes", "queueDepth",
    "refresh",    "addressMapping", "timing"};
/// A dram block without a preset gives all of these.
const Names kDramRequiredFields = {"dataRate",    "channels",   "busBits",
                                   "burstLength", "bankGroups", "banksPerGroup",
                                   "rows",        "rowBytes",   "timing"};
const Names kComputeFields = {"datatype",        "macsPerPE", "macEnergy",
                              "pipelineLatency", "macArea",   "macLeakage"};
/// More children than this under one level is a typo, not a design.
const uint64_t kMaxChildren = uint64_t(1) << 20;
/// The highest supply the technology block takes, V.
const double kMaxVdd = 2;
/// Children of one level (256 x 256, a TPU v1 array): its network graph is
/// built in tens of milliseconds. Larger machines nest levels.
const uint64_t kMaxChildrenPerLevel = uint64_t(1) << 16;

std::string joinNames(const Names &names) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

size_t editDistance(const std::string &a, const std::string &b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min(
          {row[j] + 1, row[j - 1] + 1,
           diagonal + (std::tolower(a[i - 1]) != std::tolower(b[j - 1]))});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// " (did you mean 'capacity'?)" when a candidate is close to `name`.
std::string suggestion(const std::string &name, const Names &candidates) {
  const std::string *best = nullptr;
  size_t bestDistance = std::max<size_t>(2, name.size() / 3) + 1;
  for (const std::string &candidate : candidates) {
    size_t distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = &candidate;
      bestDistance = distance;
    }
  }
  return best ? " (did you mean '" + *best + "'?)" : "";
}

/// How a value reads in a message: "'0'", "a mapping", "a list", "nothing".
std::string describe(const YAML::Node &node) {
  if (node.IsScalar())
    return "'" + node.Scalar() + "'";
  if (node.IsMap())
    return "a mapping";
  return node.IsSequence() ? "a list" : "nothing";
}

std::string shapeText(const std::array<unsigned, 2> &shape) {
  return std::to_string(shape[0]) + "x" + std::to_string(shape[1]);
}

Names topologyNameList() {
  Names names;
  for (const Topology &topology : topologies())
    names.push_back(topology.name);
  return names;
}

NetworkSummary summarize(const Network &network, unsigned childCount) {
  NetworkSummary summary;
  std::vector<unsigned> children(childCount);
  uint64_t totalHops = 0;
  for (unsigned child = 0; child < childCount; ++child) {
    children[child] = child;
    uint64_t hops = network.unicastHops(child);
    totalHops += hops;
    summary.unicastMaxHops = std::max(summary.unicastMaxHops, hops);
  }
  summary.unicastAverageHops = double(totalHops) / childCount;
  summary.broadcastHops = network.multicastHops(children);
  summary.reduceAllHops = network.reductionHops(children);
  return summary;
}

/// What the loader derives from a network's topology and shape: its graph
/// and the hop summary read off it (the loader and rebuildArch both).
void connectNetwork(Network &network, const Topology &topology,
                    const NetworkShape &shape) {
  network.graph = buildNetworkGraph(topology, shape);
  network.summary = summarize(network, shape.x * shape.y);
}

/// Reads one YAML document into an Arch, checking every field.
class ArchReader {
public:
  explicit ArchReader(std::string file) : file(std::move(file)) {}
  Arch read(const YAML::Node &root) const;

private:
  std::string file;

  [[noreturn]] void fail(const YAML::Node &at,
                         const std::string &message) const;
  void checkFields(const YAML::Node &map, const std::string &context,
                   const Names &known, const Names &required) const;
  std::string text(const YAML::Node &node, const std::string &context,
                   const std::string &field) const;
  uint64_t integer(const YAML::Node &node, const std::string &context,
                   const std::string &field, const std::string &unit,
                   bool allowZero) const;
  unsigned count(const YAML::Node &node, const std::string &context,
                 const std::string &field, bool allowZero = false) const;
  double number(const YAML::Node &node, const std::string &context,
                const std::string &field, const std::string &unit,
                bool allowZero) const;
  bool boolean(const YAML::Node &node, const std::string &context,
               const std::string &field) const;
  std::array<unsigned, 2> pair(const YAML::Node &node,
                               const std::string &context,
                               const std::string &field, bool allowZero) const;

  Technology readTechnology(const YAML::Node &node) const;
  void readSilicon(const YAML::Node &node, const std::string &context,
                   const char *areaField, const char *leakageField,
                   Silicon &silicon) const;
  Compute readCompute(const YAML::Node &node,
                      const TechnologyScale &scale) const;
  std::vector<StorageLevel> readLevels(const YAML::Node &node, double macEnergy,
                                       const TechnologyScale &scale) const;
  StorageLevel readLevel(const YAML::Node &node, unsigned index,
                         double macEnergy, const TechnologyScale &scale) const;
  void readCapacity(const YAML::Node &node, const std::string &context,
                    bool outermost, StorageLevel &level) const;
  void readKeeps(const YAML::Node &node, const std::string &context,
                 StorageLevel &level) const;
  void readFanout(const YAML::Node &node, const std::string &context,
                  StorageLevel &level) const;
  AccessEnergy readEnergy(const YAML::Node &node, const std::string &context,
                          const StorageLevel &level,
                          const TechnologyScale &scale) const;
  Network readNetwork(const YAML::Node &levelNode, const std::string &context,
                      const StorageLevel &level, double macEnergy) const;
  void readNetworkOptions(const YAML::Node &node, const std::string &context,
                          const std::string &topology, Network &network,
                          NetworkShape &shape) const;
  void checkNetworkShape(const YAML::Node &node, const std::string &context,
                         const std::array<unsigned, 2> &fanout,
                         const std::string &topology) const;
  DramSpec readDram(const YAML::Node &node, const std::string &context,
                    const StorageLevel &level) const;
  void readDramFields(const YAML::Node &node, const std::string &context,
                      DramSpec &spec) const;
  void readDramMapping(const YAML::Node &node, const std::string &context,
                       DramSpec &spec) const;
  void readDramTiming(const YAML::Node &node, const std::string &context,
                      bool fromPreset, DramSpec &spec) const;
};

void ArchReader::fail(const YAML::Node &at, const std::string &message) const {
  YAML::Mark mark = at.IsDefined() ? at.Mark() : YAML::Mark::null_mark();
  if (mark.is_null())
    throw ArchError(file, 0, 0, message);
  throw ArchError(file, unsigned(mark.line + 1), unsigned(mark.column + 1),
                  message);
}

void ArchReader::checkFields(const YAML::Node &map, const std::string &context,
                             const Names &known, const Names &required) const {
  if (!map.IsMap())
    fail(map,
         context + ": expected a mapping with fields: " + joinNames(known));
  std::set<std::string> seen;
  for (const auto &entry : map) {
    std::string key = entry.first.Scalar();
    if (std::find(known.begin(), known.end(), key) == known.end())
      fail(entry.first, context + ": unknown field '" + key +
                            "'; expected one of: " + joinNames(known) +
                            suggestion(key, known));
    if (!seen.insert(key).second)
      fail(entry.first, context + ": field '" + key + "' appears twice");
  }
  for (const std::string &field : required)
    if (!seen.count(field))
      fail(map, context + ": missing required field '" + field + "'");
}

std::string ArchReader::text(const YAML::Node &node, const std::string &context,
                             const std::string &field) const {
  if (!node.IsScalar() || node.Scalar().empty())
    fail(node, context + ": field '" + field + "' must be a non-empty string");
  return node.Scalar();
}

uint64_t ArchReader::integer(const YAML::Node &node, const std::string &context,
                             const std::string &field, const std::string &unit,
                             bool allowZero) const {
  const std::string scalar = node.IsScalar() ? node.Scalar() : "";
  int64_t value = 0;
  auto [end, status] =
      std::from_chars(scalar.data(), scalar.data() + scalar.size(), value);
  bool parsed = status == std::errc() && end == scalar.data() + scalar.size() &&
                !scalar.empty();
  if (!parsed || value < 0 || (value == 0 && !allowZero))
    fail(node, context + ": field '" + field + "' must be a " +
                   (allowZero ? "non-negative" : "positive") + " integer" +
                   (unit.empty() ? "" : " (" + unit + ")") + ", got " +
                   describe(node));
  return uint64_t(value);
}

unsigned ArchReader::count(const YAML::Node &node, const std::string &context,
                           const std::string &field, bool allowZero) const {
  uint64_t value = integer(node, context, field, "", allowZero);
  if (value > kMaxChildren)
    fail(node, context + ": field '" + field + "' is " + std::to_string(value) +
                   "; at most " + std::to_string(kMaxChildren) +
                   " is supported");
  return unsigned(value);
}

double ArchReader::number(const YAML::Node &node, const std::string &context,
                          const std::string &field, const std::string &unit,
                          bool allowZero) const {
  const std::string scalar = node.IsScalar() ? node.Scalar() : "";
  double value = 0;
  auto [end, status] =
      std::from_chars(scalar.data(), scalar.data() + scalar.size(), value);
  bool parsed = status == std::errc() && end == scalar.data() + scalar.size() &&
                !scalar.empty() && std::isfinite(value);
  if (!parsed || value < 0 || (value == 0 && !allowZero))
    fail(node, context + ": field '" + field + "' must be a " +
                   (allowZero ? "non-negative" : "positive") + " number (" +
                   unit + "), got " + describe(node));
  return value;
}

bool ArchReader::boolean(const YAML::Node &node, const std::string &context,
                         const std::string &field) const {
  if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false"))
    return node.Scalar() == "true";
  fail(node, context + ": field '" + field + "' must be true or false, got " +
                 describe(node));
}

std::array<unsigned, 2> ArchReader::pair(const YAML::Node &node,
                                         const std::string &context,
                                         const std::string &field,
                                         bool allowZero) const {
  if (node.IsScalar())
    return {count(node, context, field, allowZero), 1};
  if (!node.IsSequence() || node.size() < 1 || node.size() > 2)
    fail(node, context + ": field '" + field +
                   "' must be [X, Y] or a single count X");
  unsigned x = count(node[0], context, field, allowZero);
  unsigned y = node.size() == 2 ? count(node[1], context, field, allowZero) : 1;
  return {x, y};
}

Technology ArchReader::readTechnology(const YAML::Node &node) const {
  Technology technology;
  if (!node)
    return technology;
  const std::string context = "technology";
  checkFields(node, context, kTechnologyFields, {"node"});
  const YAML::Node nodeNode = node["node"];
  std::string nodeText = nodeNode.IsScalar() ? nodeNode.Scalar() : "";
  if (nodeText.size() > 2 &&
      nodeText.compare(nodeText.size() - 2, 2, "nm") == 0)
    nodeText.resize(nodeText.size() - 2);
  unsigned nanometres = 0;
  auto [end, status] = std::from_chars(
      nodeText.data(), nodeText.data() + nodeText.size(), nanometres);
  if (status != std::errc() || end != nodeText.data() + nodeText.size() ||
      nodeText.empty() || nanometres < kSmallestNodeNm ||
      nanometres > kLargestNodeNm)
    fail(nodeNode, context + ": field 'node' must be a process node from " +
                       std::to_string(kSmallestNodeNm) + "nm to " +
                       std::to_string(kLargestNodeNm) +
                       "nm (published factors at " + publishedNodeNames() +
                       " nm; others interpolated), got " + describe(nodeNode));
  technology.nodeNm = nanometres;
  if (node["vdd"]) {
    technology.vdd = number(node["vdd"], context, "vdd", "V", false);
    if (technology.vdd > kMaxVdd)
      fail(node["vdd"], context + ": field 'vdd' must be at most " +
                            std::to_string(int(kMaxVdd)) +
                            " V (a supply the scaling fits cover), got " +
                            describe(node["vdd"]));
  }
  technology.scale = technologyScale(technology.nodeNm, technology.vdd);
  return technology;
}

void ArchReader::readSilicon(const YAML::Node &node, const std::string &context,
                             const char *areaField, const char *leakageField,
                             Silicon &silicon) const {
  if (const YAML::Node area = node[areaField]) {
    silicon.areaUm2 = number(area, context, areaField, "um^2", true);
    silicon.areaGiven = true;
  }
  if (const YAML::Node leakage = node[leakageField]) {
    silicon.leakageMW = number(leakage, context, leakageField, "mW", true);
    silicon.leakageGiven = true;
  }
}

Compute ArchReader::readCompute(const YAML::Node &node,
                                const TechnologyScale &scale) const {
  Compute compute;
  if (node) {
    checkFields(node, "compute", kComputeFields, {});
    if (const YAML::Node datatype = node["datatype"])
      compute.datatype = text(datatype, "compute", "datatype");
    if (const YAML::Node macs = node["macsPerPE"])
      compute.macsPerPE = count(macs, "compute", "macsPerPE");
    if (const YAML::Node latency = node["pipelineLatency"])
      compute.pipelineLatency =
          integer(latency, "compute", "pipelineLatency", "cycles", true);
  }
  std::optional<double> macEnergy = defaultMacEnergy(compute.datatype);
  if (!macEnergy)
    fail(node["datatype"], "compute: unknown datatype '" + compute.datatype +
                               "'; expected one of: " + macDatatypeNames());
  compute.macEnergy = *macEnergy * scale.energy;
  if (node && node["macEnergy"])
    compute.macEnergy =
        number(node["macEnergy"], "compute", "macEnergy", "pJ per MAC", true);
  if (node)
    readSilicon(node, "compute", "macArea", "macLeakage", compute.silicon);
  return compute;
}

void ArchReader::readCapacity(const YAML::Node &node,
                              const std::string &context, bool outermost,
                              StorageLevel &level) const {
  if (node.IsScalar() && node.Scalar() == "unbounded") {
    if (!outermost)
      fail(node, context + ": field 'capacity' can be 'unbounded' only on the "
                           "outermost level (DRAM); give a number of words");
    level.capacity = StorageLevel::kUnbounded;
    return;
  }
  if (!node.IsMap()) {
    level.capacity = integer(node, context, "capacity", "words", false);
    return;
  }
  Names roles;
  for (unsigned r = 0; r < kTensorRoleCount; ++r)
    roles.push_back(tensorRoleName(TensorRole(r)));
  checkFields(node, context + " capacity", roles, {});
  PerRole<uint64_t> partition = {0, 0, 0};
  level.capacity = 0;
  for (unsigned r = 0; r < kTensorRoleCount; ++r) {
    const YAML::Node words = node[roles[r]];
    level.keeps[r] = bool(words);
    if (words)
      partition[r] =
          integer(words, context, "capacity." + roles[r], "words", false);
    level.capacity += partition[r];
  }
  if (level.capacity == 0)
    fail(node, context +
                   ": field 'capacity' must give words for at least "
                   "one of: " +
                   joinNames(roles));
  level.partition = partition;
}

void ArchReader::readKeeps(const YAML::Node &node, const std::string &context,
                           StorageLevel &level) const {
  Names roles;
  for (unsigned r = 0; r < kTensorRoleCount; ++r)
    roles.push_back(tensorRoleName(TensorRole(r)));
  if (!node.IsSequence())
    fail(node, context +
                   ": field 'keeps' must be a list of tensor roles "
                   "from: " +
                   joinNames(roles));
  PerRole<bool> keeps = {false, false, false};
  for (const YAML::Node &entry : node) {
    std::string name = entry.IsScalar() ? entry.Scalar() : "";
    std::optional<TensorRole> role = tensorRoleNamed(name);
    if (!role)
      fail(entry, context + ": field 'keeps': unknown tensor role '" + name +
                      "'; expected one of: " + joinNames(roles) +
                      suggestion(name, roles));
    unsigned r = static_cast<unsigned>(*role);
    if (level.partition && (*level.partition)[r] == 0)
      fail(entry, context + ": field 'keeps' lists '" + name +
                      "' but field 'capacity' has no '" + name + "' partition");
    keeps[r] = true;
  }
  level.keeps = keeps;
}

void ArchReader::readFanout(const YAML::Node &node, const std::string &context,
                            StorageLevel &level) const {
  level.fanout = pair(node, context, "fanout", false);
  if (level.childCount() > kMaxChildrenPerLevel)
    fail(node, context + ": field 'fanout' " + shapeText(level.fanout) +
                   " has " + std::to_string(level.childCount()) +
                   " children; at most " +
                   std::to_string(kMaxChildrenPerLevel) +
                   " per level are supported (nest levels for more)");
}

AccessEnergy ArchReader::readEnergy(const YAML::Node &node,
                                    const std::string &context,
                                    const StorageLevel &level,
                                    const TechnologyScale &scale) const {
  // DRAM is another chip: the Arch's process does not scale its energy.
  double access = level.isUnbounded()
                      ? defaultDramWordEnergy(level.wordBits)
                      : scale.energy * defaultSramWordEnergy(level.capacity,
                                                             level.wordBits);
  AccessEnergy energy{access, access, 0};
  std::string energyContext = context + " energy";
  if (node) {
    checkFields(node, energyContext, kEnergyFields, {});
    if (node["read"])
      energy.read =
          number(node["read"], energyContext, "read", "pJ per word", true);
    if (node["write"])
      energy.write =
          number(node["write"], energyContext, "write", "pJ per word", true);
  }
  energy.update = energy.read + energy.write;
  if (node && node["update"])
    energy.update =
        number(node["update"], energyContext, "update", "pJ per word", true);
  return energy;
}

void ArchReader::readNetworkOptions(const YAML::Node &node,
                                    const std::string &context,
                                    const std::string &topology,
                                    Network &network,
                                    NetworkShape &shape) const {
  if (node["multicast"])
    network.multicast = boolean(node["multicast"], context, "multicast");
  if (node["reduction"])
    network.reduction = boolean(node["reduction"], context, "reduction");
  if (node["bandwidth"])
    network.linkBandwidth = number(node["bandwidth"], context, "bandwidth",
                                   "words per cycle per link", false);
  if (node["hopLatency"])
    network.hopLatency =
        integer(node["hopLatency"], context, "hopLatency", "cycles", true);
  if (node["hopEnergy"])
    network.hopEnergy = number(node["hopEnergy"], context, "hopEnergy",
                               "pJ per word per hop", true);
  auto requireTopology = [&](const char *field, const char *owner) {
    if (topology != owner)
      fail(node[field], context + ": field '" + field +
                            "' applies only to topology '" + owner +
                            "', not '" + topology + "'");
  };
  if (node["radix"]) {
    requireTopology("radix", "tree");
    shape.radix = network.radix = count(node["radix"], context, "radix");
  }
  if (node["attach"]) {
    requireTopology("attach", "mesh");
    shape.attach = network.attach =
        pair(node["attach"], context, "attach", true);
  }
  if (node["stationaryBuffers"]) {
    requireTopology("stationaryBuffers", "systolic");
    uint64_t buffers = integer(node["stationaryBuffers"], context,
                               "stationaryBuffers", "registers per PE", false);
    if (buffers != 1 && buffers != 2)
      fail(node["stationaryBuffers"],
           context +
               ": field 'stationaryBuffers' must be 1 (a fold's "
               "stationary operands load after the previous fold) or "
               "2 (they load while it computes), not " +
               std::to_string(buffers));
    network.stationaryBuffers = unsigned(buffers);
  }
  if (node["foldOverlap"]) {
    requireTopology("foldOverlap", "systolic");
    network.foldOverlap = boolean(node["foldOverlap"], context, "foldOverlap");
    if (network.foldOverlap && network.stationaryBuffers < 2)
      fail(node["foldOverlap"],
           context + ": field 'foldOverlap' needs 'stationaryBuffers: 2' "
                     "(a PE holds the next fold's stationary operand while "
                     "the current fold's last words pass)");
  }
}

void ArchReader::checkNetworkShape(const YAML::Node &node,
                                   const std::string &context,
                                   const std::array<unsigned, 2> &fanout,
                                   const std::string &topology) const {
  std::array<unsigned, 2> declared = pair(node, context, "shape", false);
  if (declared != fanout)
    fail(node, context + ": field 'shape' " + shapeText(declared) +
                   " differs from the level's fan-out " + shapeText(fanout) +
                   "; a " + topology +
                   " network connects exactly the fan-out's children, so "
                   "make them equal");
}

Network ArchReader::readNetwork(const YAML::Node &levelNode,
                                const std::string &context,
                                const StorageLevel &level,
                                double macEnergy) const {
  Network network;
  network.hopEnergy = defaultHopEnergy(macEnergy);
  NetworkShape shape;
  shape.x = level.fanout[0];
  shape.y = level.fanout[1];
  const YAML::Node node = levelNode["network"];
  if (!node && level.childCount() > 1)
    fail(levelNode, context + ": fan-out " + shapeText(level.fanout) +
                        " needs a field 'network' to reach its " +
                        std::to_string(level.childCount()) +
                        " children; give 'network: {topology: T}' with T "
                        "one of: " +
                        topologyNames());
  const Topology *topology = findTopology(network.topology);
  if (node) {
    std::string networkContext = context + " network";
    checkFields(node, networkContext, kNetworkFields, {"topology"});
    const YAML::Node topologyNode = node["topology"];
    network.topology = text(topologyNode, networkContext, "topology");
    topology = findTopology(network.topology);
    if (!topology)
      fail(topologyNode, networkContext + ": unknown topology '" +
                             network.topology +
                             "'; expected one of: " + topologyNames() +
                             suggestion(network.topology, topologyNameList()));
    readNetworkOptions(node, networkContext, network.topology, network, shape);
    readSilicon(node, networkContext, "area", "leakage", network.silicon);
    if (node["shape"])
      checkNetworkShape(node["shape"], networkContext, level.fanout,
                        network.topology);
    std::string misfit = topology->checkShape(shape);
    if (!misfit.empty())
      fail(topologyNode, networkContext + ": topology '" + network.topology +
                             "' does not fit field 'fanout' " +
                             shapeText(level.fanout) + ": " + misfit);
  }
  connectNetwork(network, *topology, shape);
  return network;
}

Names dramTimingNames() {
  Names names;
  for (const DramTimingField &field : dramTimingFields())
    names.push_back(field.name);
  return names;
}

void ArchReader::readDramMapping(const YAML::Node &node,
                                 const std::string &context,
                                 DramSpec &spec) const {
  Names fields;
  for (unsigned f = 0; f < kDramFieldCount; ++f)
    fields.push_back(dramFieldName(DramField(f)));
  const std::string expected =
      ": field 'addressMapping' must name each of row, bank, channel, column "
      "once, most significant first, separated by ':' (the default is "
      "row:bank:channel:column)";
  std::string value = node.IsScalar() ? node.Scalar() : "";
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t colon = value.find(':', start);
    parts.push_back(value.substr(start, colon - start));
    if (colon == std::string::npos)
      break;
    start = colon + 1;
  }
  if (parts.size() != kDramFieldCount)
    fail(node, context + expected + "; got " + describe(node));
  for (unsigned i = 0; i < kDramFieldCount; ++i) {
    auto found = std::find(fields.begin(), fields.end(), parts[i]);
    if (found == fields.end())
      fail(node, context + ": field 'addressMapping': unknown field '" +
                     parts[i] + "'; expected one of: " + joinNames(fields) +
                     suggestion(parts[i], fields));
    spec.addressMapping[i] = DramField(found - fields.begin());
  }
}

void ArchReader::readDramTiming(const YAML::Node &node,
                                const std::string &context, bool fromPreset,
                                DramSpec &spec) const {
  checkFields(node, context, dramTimingNames(), {});
  for (const DramTimingField &field : dramTimingFields()) {
    const YAML::Node value = node[field.name];
    if (value) {
      uint64_t cycles =
          integer(value, context, field.name, "DRAM clock cycles, tCK", true);
      if (cycles > (uint64_t(1) << 30))
        fail(value, context + ": field '" + field.name + "' is " +
                        std::to_string(cycles) +
                        " cycles; at most 2^30 are supported");
      spec.timing.*field.member = unsigned(cycles);
    } else if (!fromPreset && !field.defaultsTo &&
               !(field.onlyWithRefresh && !spec.refresh)) {
      fail(node, context + ": missing required field '" + field.name +
                     "' (no preset gives it)");
    }
  }
  // Without a preset, a same-group value left out is the other-group one.
  if (!fromPreset)
    for (const DramTimingField &field : dramTimingFields())
      if (field.defaultsTo && !node[field.name])
        spec.timing.*field.member = spec.timing.*field.defaultsTo;
}

void ArchReader::readDramFields(const YAML::Node &node,
                                const std::string &context,
                                DramSpec &spec) const {
  if (node["dataRate"])
    spec.dataRate =
        number(node["dataRate"], context, "dataRate", "MT/s", false);
  struct CountField {
    const char *name;
    unsigned DramSpec::*member;
  };
  for (const CountField &field :
       {CountField{"channels", &DramSpec::channels},
        CountField{"busBits", &DramSpec::busBits},
        CountField{"burstLength", &DramSpec::burstLength},
        CountField{"bankGroups", &DramSpec::bankGroups},
        CountField{"banksPerGroup", &DramSpec::banksPerGroup},
        CountField{"rowBytes", &DramSpec::rowBytes},
        CountField{"queueDepth", &DramSpec::queueDepth}})
    if (node[field.name])
      spec.*field.member = count(node[field.name], context, field.name);
  if (node["rows"])
    spec.rows = integer(node["rows"], context, "rows", "", false);
  if (node["refresh"])
    spec.refresh = boolean(node["refresh"], context, "refresh");
  if (node["addressMapping"])
    readDramMapping(node["addressMapping"], context, spec);
}

DramSpec ArchReader::readDram(const YAML::Node &node,
                              const std::string &context,
                              const StorageLevel &level) const {
  std::string dramContext = context + " dram";
  checkFields(node, dramContext, kDramFields, {});
  Names presets = dramPresetNames();
  DramSpec spec;
  bool fromPreset = bool(node["preset"]);
  if (fromPreset) {
    std::string name = text(node["preset"], dramContext, "preset");
    const DramPreset *preset = findDramPreset(name);
    if (!preset)
      fail(node["preset"], dramContext + ": unknown preset '" + name +
                               "'; expected one of: " + joinNames(presets) +
                               suggestion(name, presets));
    spec = preset->spec;
  } else {
    for (const std::string &field : kDramRequiredFields)
      if (!node[field])
        fail(node, dramContext + ": missing required field '" + field +
                       "' (or give 'preset: NAME', NAME one of: " +
                       joinNames(presets) + ")");
  }
  readDramFields(node, dramContext, spec);
  if (node["timing"])
    readDramTiming(node["timing"], dramContext + " timing", fromPreset, spec);
  if (std::optional<DramSpecProblem> problem =
          checkDramSpec(spec, level.wordBits)) {
    YAML::Node at = node;
    const std::string timingPrefix = "timing.";
    if (problem->field.compare(0, timingPrefix.size(), timingPrefix) == 0) {
      if (node["timing"] &&
          node["timing"][problem->field.substr(timingPrefix.size())])
        at = node["timing"][problem->field.substr(timingPrefix.size())];
    } else if (node[problem->field]) {
      at = node[problem->field];
    }
    fail(at, dramContext + ": " + problem->message);
  }
  return spec;
}

StorageLevel ArchReader::readLevel(const YAML::Node &node, unsigned index,
                                   double macEnergy,
                                   const TechnologyScale &scale) const {
  std::string context = "level " + std::to_string(index + 1);
  if (node.IsMap() && node["name"] && node["name"].IsScalar())
    context = "level '" + node["name"].Scalar() + "'";
  checkFields(node, context, kLevelFields, {"name", "capacity"});
  StorageLevel level;
  level.name = text(node["name"], context, "name");
  readCapacity(node["capacity"], context, index == 0, level);
  if (node["keeps"])
    readKeeps(node["keeps"], context, level);
  if (node["wordBits"])
    level.wordBits = count(node["wordBits"], context, "wordBits");
  if (node["banks"])
    level.banks = count(node["banks"], context, "banks");
  if (node["ports"])
    level.ports = count(node["ports"], context, "ports");
  if (node["readBandwidth"])
    level.readBandwidth = number(node["readBandwidth"], context,
                                 "readBandwidth", "words per cycle", false);
  if (node["writeBandwidth"])
    level.writeBandwidth = number(node["writeBandwidth"], context,
                                  "writeBandwidth", "words per cycle", false);
  if (node["latency"])
    level.latency =
        integer(node["latency"], context, "latency", "cycles", true);
  if (node["fanout"])
    readFanout(node["fanout"], context, level);
  level.energy = readEnergy(node["energy"], context, level, scale);
  for (const char *field : {"area", "leakage"})
    if (node[field] && level.isUnbounded())
      fail(node[field], context + ": field '" + field +
                            "': an unbounded level is DRAM, off chip, and "
                            "has no area or leakage on the accelerator; "
                            "remove it");
  readSilicon(node, context, "area", "leakage", level.silicon);
  level.network = readNetwork(node, context, level, macEnergy);
  if (node["dram"]) {
    if (index != 0)
      fail(node["dram"], context +
                             ": field 'dram' belongs on the outermost level "
                             "(level 1), the one DRAM backs; move it there");
    level.dram = readDram(node["dram"], context, level);
  }
  return level;
}

std::vector<StorageLevel>
ArchReader::readLevels(const YAML::Node &node, double macEnergy,
                       const TechnologyScale &scale) const {
  if (!node.IsSequence() || node.size() == 0)
    fail(node, "arch: field 'levels' must be a non-empty list of storage "
               "levels, outermost (DRAM) first");
  std::vector<StorageLevel> levels;
  uint64_t instances = 1;
  for (unsigned i = 0; i < node.size(); ++i) {
    levels.push_back(readLevel(node[i], i, macEnergy, scale));
    if (instances > (uint64_t(1) << 48) / levels[i].childCount())
      fail(node[i]["fanout"], "level '" + levels[i].name +
                                  "': field 'fanout' makes more than 2^48 "
                                  "instances below it");
    instances *= levels[i].childCount();
    for (unsigned j = 0; j < i; ++j)
      if (levels[j].name == levels[i].name)
        fail(node[i]["name"],
             "level '" + levels[i].name + "': field 'name' repeats level " +
                 std::to_string(j + 1) + "; level names must be unique");
  }
  return levels;
}

Arch ArchReader::read(const YAML::Node &root) const {
  checkFields(root, "arch", kArchFields, {"name", "levels"});
  Arch arch;
  arch.file = file;
  arch.name = text(root["name"], "arch", "name");
  if (root["description"])
    arch.description = text(root["description"], "arch", "description");
  if (root["clockGHz"])
    arch.clockGHz = number(root["clockGHz"], "arch", "clockGHz", "GHz", false);
  arch.technology = readTechnology(root["technology"]);
  arch.compute = readCompute(root["compute"], arch.technology.scale);
  arch.levels =
      readLevels(root["levels"], arch.compute.macEnergy, arch.technology.scale);
  arch.computeInstances();
  assignSilicon(arch);
  return arch;
}

} // namespace

void rebuildArch(Arch &arch) {
  auto fail = [&](const std::string &message) {
    throw ArchError(arch.file.empty() ? arch.name : arch.file, 0, 0, message);
  };
  if (arch.levels.empty())
    fail("arch '" + arch.name + "' has no levels");
  uint64_t instances = 1;
  for (StorageLevel &level : arch.levels) {
    std::string context = "level '" + level.name + "'";
    if (level.fanout[0] == 0 || level.fanout[1] == 0)
      fail(context + ": the fan-out must be at least 1x1");
    if (level.childCount() > kMaxChildrenPerLevel)
      fail(context + ": a fan-out of " + std::to_string(level.childCount()) +
           " children; at most " + std::to_string(kMaxChildrenPerLevel) +
           " per level are supported (nest levels for more)");
    if (instances > (uint64_t(1) << 48) / level.childCount())
      fail(context + ": the fan-outs make more than 2^48 instances");
    instances *= level.childCount();
    if (!level.isUnbounded() && level.capacity == 0 && !level.partition)
      fail(context + ": the capacity must be at least 1 word");
    for (const std::optional<double> *bandwidth :
         {&level.readBandwidth, &level.writeBandwidth,
          &level.network.linkBandwidth})
      if (*bandwidth && !(**bandwidth > 0 && std::isfinite(**bandwidth)))
        fail(context + ": bandwidths must be positive numbers (words per "
                       "cycle)");
    Network &network = level.network;
    const Topology *topology = findTopology(network.topology);
    if (!topology)
      fail(context + ": unknown topology '" + network.topology +
           "'; expected one of: " + topologyNames());
    NetworkShape shape;
    shape.x = level.fanout[0];
    shape.y = level.fanout[1];
    shape.radix = network.radix;
    shape.attach = network.attach;
    std::string misfit = topology->checkShape(shape);
    if (!misfit.empty())
      fail(context + ": topology '" + network.topology + "' does not fit " +
           std::to_string(shape.x) + "x" + std::to_string(shape.y) + ": " +
           misfit);
    connectNetwork(network, *topology, shape);
    if (level.dram && &level != &arch.levels.front())
      fail(context + ": only the outermost level may have a dram block");
    if (level.dram)
      if (std::optional<DramSpecProblem> problem =
              checkDramSpec(*level.dram, level.wordBits))
        fail(context + " dram: " + problem->message);
  }
  arch.computeInstances();
  try {
    assignSilicon(arch);
  } catch (const std::invalid_argument &error) {
    fail(std::string("compute: ") + error.what());
  }
}

Arch loadArch(const std::string &path) {
  return parseArch(readYamlFile<ArchError>(path, "the Arch file"), path);
}

std::string presetDirectory(const std::string &root) {
  namespace fs = std::filesystem;
  // This file is arch/ArchLoader.cpp of the repository it was built from
  // (CMake compiles sources by absolute path).
  fs::path base =
      root.empty() ? fs::path(__FILE__).parent_path() : fs::path(root) / "arch";
  return (base / "presets").string();
}

std::vector<std::string> presetNames(const std::string &root) {
  namespace fs = std::filesystem;
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator entry(presetDirectory(root), error), end;
       !error && entry != end; entry.increment(error))
    if (entry->path().extension() == ".yaml")
      names.push_back(entry->path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string presetFile(const std::string &name, const std::string &root) {
  namespace fs = std::filesystem;
  if (name.empty() || name.find('/') != std::string::npos)
    return "";
  fs::path preset = fs::path(presetDirectory(root)) / (name + ".yaml");
  std::error_code error;
  return fs::is_regular_file(preset, error) ? preset.string() : "";
}

std::string presetChoices(const std::string &name, const std::string &root) {
  Names names = presetNames(root);
  return "; presets are: " + joinNames(names) + suggestion(name, names);
}

std::string resolveArchFile(const std::string &nameOrPath,
                            const std::string &root) {
  auto endsWith = [&](const std::string &suffix) {
    return nameOrPath.size() >= suffix.size() &&
           nameOrPath.compare(nameOrPath.size() - suffix.size(), suffix.size(),
                              suffix) == 0;
  };
  bool looksLikePath = nameOrPath.find('/') != std::string::npos ||
                       endsWith(".yaml") || endsWith(".yml");
  if (!looksLikePath) {
    std::string preset = presetFile(nameOrPath, root);
    if (!preset.empty())
      return preset;
  }
  std::error_code error;
  if (looksLikePath || std::filesystem::exists(nameOrPath, error))
    return nameOrPath;
  throw ArchError(nameOrPath, 0, 0,
                  "unknown preset or missing file '" + nameOrPath + "'" +
                      presetChoices(nameOrPath, root));
}

Arch loadArchByNameOrPath(const std::string &nameOrPath,
                          const std::string &root) {
  return loadArch(resolveArchFile(nameOrPath, root));
}

Arch parseArch(const std::string &text, const std::string &fileName) {
  YAML::Node root = loadYaml<ArchError>(text, fileName);
  return ArchReader(fileName).read(root);
}

} // namespace tessel
