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

#include "arch/Technology.h"

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

/// The silicon of one instance of a component: its area and leakage power
/// (defaults from arch/Area.h). A value the YAML gave is the design's and
/// is kept by rebuildArch; the others are recomputed from the design.
struct Silicon {
  double areaUm2 = 0;   ///< Square micrometres.
  double leakageMW = 0; ///< Milliwatts.
  bool areaGiven = false;
  bool leakageGiven = false;
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
/// come from the topology's graph and its routes (NetworkGraph.h): a
/// multicast uses the links of the union of the routes to its destinations,
/// a reduction those of the union of the routes from its sources to the
/// parent. A network that cannot multicast (reduce) sends one unicast per
/// destination (source).
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
  /// Systolic: stationary-operand registers per PE (2: the next fold's
  /// operands shift in while the current fold computes).
  unsigned stationaryBuffers = 1;
  /// Systolic: consecutive folds stream back to back instead of each
  /// waiting for the previous one to leave the array (needs 2 buffers).
  bool foldOverlap = false;
  std::shared_ptr<const NetworkGraph> graph;
  NetworkSummary summary;
  /// The links and routers from one instance of the level to its children.
  Silicon silicon;

  /// Hops from the parent to child `child` (children are numbered x-fastest).
  uint64_t unicastHops(unsigned child) const;
  /// Hops from child `child` to the parent (one word up, alone).
  uint64_t drainHops(unsigned child) const;
  /// Hops to deliver one word to every child in `children`.
  uint64_t multicastHops(const std::vector<unsigned> &children) const;
  /// Hops to bring one word from every child in `children` to the parent.
  uint64_t reductionHops(const std::vector<unsigned> &children) const;
};

/// DRAM timing parameters, in DRAM clock cycles (tCK; a DDR device moves
/// two transfers per tCK). Names follow JEDEC; `_S`/`_L` are the different
/// and same bank-group values (equal on devices without bank groups).
/// docs/arch.md ("DRAM timing") says what each one constrains.
struct DramTiming {
  unsigned tCL = 0;    ///< READ to first data (CL, RL).
  unsigned tCWL = 0;   ///< WRITE to first data (CWL, WL).
  unsigned tRCD = 0;   ///< ACTIVATE to READ or WRITE, same bank.
  unsigned tRP = 0;    ///< PRECHARGE to ACTIVATE, same bank.
  unsigned tRAS = 0;   ///< ACTIVATE to PRECHARGE, same bank.
  unsigned tRC = 0;    ///< ACTIVATE to ACTIVATE, same bank.
  unsigned tWR = 0;    ///< End of write data to PRECHARGE, same bank.
  unsigned tRTP = 0;   ///< READ to PRECHARGE, same bank.
  unsigned tRTW = 0;   ///< READ to WRITE, any bank (bus turnaround).
  unsigned tWTR_S = 0; ///< End of write data to READ, other bank group.
  unsigned tWTR_L = 0; ///< End of write data to READ, same bank group.
  unsigned tCCD_S = 0; ///< READ to READ or WRITE to WRITE, other group.
  unsigned tCCD_L = 0; ///< READ to READ or WRITE to WRITE, same group.
  unsigned tRRD_S = 0; ///< ACTIVATE to ACTIVATE, other bank group.
  unsigned tRRD_L = 0; ///< ACTIVATE to ACTIVATE, same bank group.
  unsigned tFAW = 0;   ///< At most four ACTIVATEs in any tFAW window.
  unsigned tREFI = 0;  ///< Interval between (all-bank) REFRESHes.
  unsigned tRFC = 0;   ///< REFRESH to ACTIVATE: how long it blocks.
};

/// The fields a DRAM address is split into.
enum class DramField : unsigned { Row, Bank, Channel, Column };
constexpr unsigned kDramFieldCount = 4;
/// "row", "bank", "channel", "column".
const char *dramFieldName(DramField field);

/// A DRAM device and its controller, for the simulator's timing model
/// (sim/Dram.h): the optional `dram:` block of the outermost level.
/// Presets (arch/DramPresets.h) fill every field; docs/arch.md lists them.
struct DramSpec {
  std::string preset;    ///< The preset it started from; "" if none.
  double dataRate = 0;   ///< MT/s per pin; the clock is dataRate / 2 MHz.
  unsigned channels = 1; ///< Independent channels (own command and data bus).
  unsigned busBits = 64; ///< Data bus width of one channel.
  unsigned burstLength = 8; ///< BL: transfers per burst (even).
  unsigned bankGroups = 1;
  unsigned banksPerGroup = 8;
  uint64_t rows = 65536;    ///< Rows per bank.
  unsigned rowBytes = 8192; ///< Row buffer (page) of one bank, per channel.
  unsigned queueDepth = 32; ///< Requests each channel's controller queues.
  bool refresh = true;      ///< Issue all-bank REFRESH every tREFI.
  /// Most significant first; the default is row:bank:channel:column.
  std::array<DramField, kDramFieldCount> addressMapping = {
      DramField::Row, DramField::Bank, DramField::Channel, DramField::Column};
  DramTiming timing;

  unsigned banks() const { return bankGroups * banksPerGroup; }
  unsigned burstBytes() const { return busBits * burstLength / 8; }
  /// tBURST: DRAM cycles one burst occupies the data bus (BL / 2).
  unsigned burstCycles() const { return burstLength / 2; }
  unsigned burstsPerRow() const { return rowBytes / burstBytes(); }
  double clockGHz() const { return dataRate / 2000; }
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
  /// DRAM timing for the simulator (outermost level only); none: the level
  /// is described by its bandwidth and latency alone.
  std::optional<DramSpec> dram;
  /// The storage arrays of one instance; none for DRAM (off chip).
  Silicon silicon;

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
  Silicon silicon;              ///< One MAC lane.
};

/// An accelerator.
struct Arch {
  std::string name;
  std::string description;
  std::string file; ///< Where it was read from, for messages.
  double clockGHz = 1;
  std::vector<StorageLevel> levels; ///< Outermost (DRAM) first.
  Compute compute;
  /// The process its default energies, areas and leakage are scaled to.
  Technology technology;

  unsigned levelCount() const { return static_cast<unsigned>(levels.size()); }
  std::optional<unsigned> levelIndex(const std::string &levelName) const;
  uint64_t peCount() const { return compute.instances; }
  uint64_t peakMacsPerCycle() const { return peCount() * compute.macsPerPE; }
  /// Sets every level's and the compute's instance count from the fan-outs.
  void computeInstances();
};

} // namespace tessel

#endif // TESSEL_ARCH_ARCH_H
