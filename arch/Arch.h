//===- arch/Arch.h - An accelerator as a tree of storage levels -*- C++ -*-===//
//
// An Arch is a chain of storage levels from the backing store (DRAM, index 0)
// down to the registers next to the MACs. Each level has `instances` copies,
// each feeding an X x Y array of children (the next level's instances, or the
// compute units below the innermost level) through a Network. Tensors are
// referred to by role: `input` (an op's first input operand), `weight` (its
// second input) and `output`.
//
// Plain C++ on purpose: models, mappers and the simulator include this header
// in hot code. Reading YAML lives in ArchLoader.h; network graphs (Boost) in
// NetworkGraph.h.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_ARCH_H
#define TESSEL_ARCH_ARCH_H

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

/// What a tensor is to the op: its first input, its second input, its output.
enum class TensorRole : unsigned { Input = 0, Weight = 1, Output = 2 };
constexpr unsigned kTensorRoleCount = 3;

/// "input", "weight", "output".
const char *tensorRoleName(TensorRole role);
/// The role called `name`, if any.
std::optional<TensorRole> tensorRoleNamed(const std::string &name);

/// One value per tensor role, indexed by TensorRole.
template <typename T> using PerRole = std::array<T, kTensorRoleCount>;

/// Energy of one access of one word at a level, in pJ.
struct AccessEnergy {
  double read = 0;   ///< A word read (to the child, or to the MAC).
  double write = 0;  ///< A word written from the parent (a fill).
  double update = 0; ///< A read-modify-write of an output word.
};

class NetworkGraph;

/// Hop counts that summarise a network, computed once when it is built.
struct NetworkSummary {
  double unicastAverageHops = 0; ///< Over all children.
  uint64_t unicastMaxHops = 0;
  uint64_t broadcastHops = 0; ///< One word to every child.
  uint64_t reduceAllHops = 0; ///< One word from every child, reduced.
};

/// The connection from one instance of a level to its children. Hop counts
/// come from the topology's graph: a multicast uses the edges of the union of
/// the shortest-path-tree paths to its destinations, a reduction the same
/// tree reversed. A network that cannot multicast (reduce) sends one unicast
/// per destination (source).
struct Network {
  std::string topology = "bus";
  bool multicast = false;
  bool reduction = false;
  std::optional<double>
      linkBandwidth;       ///< Words/cycle per link; none = unlimited.
  uint64_t hopLatency = 1; ///< Cycles per hop.
  double hopEnergy = 0;    ///< pJ per word per hop.
  unsigned radix = 2;      ///< Tree topologies: children per switch.
  std::array<unsigned, 2> attach = {0, 0}; ///< Mesh: router the parent joins.
  std::shared_ptr<const NetworkGraph> graph;
  NetworkSummary summary;

  /// Hops from the parent to child `child` (children are numbered x-fastest).
  uint64_t unicastHops(unsigned child) const;
  /// Hops to deliver one word to every child in `children`.
  uint64_t multicastHops(const std::vector<unsigned> &children) const;
  /// Hops to bring one word from every child in `children` to the parent.
  uint64_t reductionHops(const std::vector<unsigned> &children) const;
};

/// One storage level. Capacities and bandwidths are per instance.
struct StorageLevel {
  static constexpr uint64_t kUnbounded = std::numeric_limits<uint64_t>::max();

  std::string name;
  uint64_t capacity = kUnbounded; ///< Words; kUnbounded for DRAM.
  /// Words reserved for each role, when the level is partitioned per tensor.
  std::optional<PerRole<uint64_t>> partition;
  PerRole<bool> keeps = {true, true, true}; ///< Roles this level may hold.
  unsigned wordBits = 16;
  unsigned banks = 1;
  unsigned ports = 1;
  std::optional<double> readBandwidth;  ///< Words/cycle; none = unlimited.
  std::optional<double> writeBandwidth; ///< Words/cycle; none = unlimited.
  AccessEnergy energy;
  uint64_t latency = 1;                    ///< Cycles per access.
  std::array<unsigned, 2> fanout = {1, 1}; ///< Children per instance: X, Y.
  Network network;
  uint64_t instances = 1; ///< Product of the fan-outs above this level.

  bool isUnbounded() const { return capacity == kUnbounded; }
  bool keepsRole(TensorRole role) const {
    return keeps[static_cast<unsigned>(role)];
  }
  /// Words available to `role`: its partition, or the whole capacity.
  uint64_t capacityFor(TensorRole role) const;
  uint64_t childCount() const { return uint64_t(fanout[0]) * fanout[1]; }
};

/// The compute units below the innermost storage level.
struct Compute {
  std::string datatype = "fp16";
  unsigned macsPerPE = 1;       ///< Vector lanes per compute unit.
  double macEnergy = 0;         ///< pJ per MAC.
  uint64_t pipelineLatency = 1; ///< Cycles from operands to result.
  uint64_t instances = 1;       ///< PEs: the product of all fan-outs.
};

/// An accelerator.
struct Arch {
  std::string name;
  std::string description;
  std::string file; ///< Where it was read from, for messages.
  double clockGHz = 1;
  std::vector<StorageLevel> levels; ///< Outermost (DRAM) first.
  Compute compute;

  unsigned levelCount() const { return static_cast<unsigned>(levels.size()); }
  std::optional<unsigned> levelIndex(const std::string &levelName) const;
  uint64_t peCount() const { return compute.instances; }
  uint64_t peakMacsPerCycle() const { return peCount() * compute.macsPerPE; }
  /// Sets every level's and the compute's instance count from the fan-outs.
  void computeInstances();
};

} // namespace tessel

#endif // TESSEL_ARCH_ARCH_H
