//===- sim/Datapath.h - Real values through buffers and PEs -----*- C++ -*-===//
//
// The functional half of the simulator (`--functional`): every instance of
// every level holds the values of the boxes it keeps; when the sequencer
// issues a step, the levels whose epoch changes drain the output words that
// leave (inner levels first, added into the supplier instance's box: a
// reduction or an accumulation), then take the words that enter (outer
// levels first: inputs copied from the supplier instance, outputs read back
// by the group's first member, moved out of the supplier so every partial
// sum lives in exactly one place), and every compute unit multiplies its
// operands and adds the product into the innermost output keeper. At the
// end every level drains what it holds.
//
// Inputs are seeded random small integers (exact arithmetic), zero outside
// the tensors' shapes (padding). check() compares the output that reached
// the outermost level with a direct computation of the op.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_DATAPATH_H
#define TESSEL_SIM_DATAPATH_H

#include "sim/Plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessel::sim {

class Datapath {
public:
  Datapath(const Plan &plan, uint64_t seed);

  /// The moves at step `step` (if it starts an epoch somewhere), then its
  /// MACs on every compute unit.
  void issue(uint64_t step);
  /// Drains every level, inner to outer.
  void finish();
  /// Empty if the output equals the reference; else names the first wrong
  /// element.
  std::string check() const;
  uint64_t macs() const { return macCount; }

private:
  /// A dense box of values.
  struct Box {
    std::vector<int64_t> low;
    std::vector<int64_t> values;
    bool held = false;
  };
  const Plan &plan;
  unsigned levels;
  unsigned tensors;
  /// [level][tensor][instance]
  std::vector<std::vector<std::vector<Box>>> boxes;
  /// Output words each instance has held: [level][instance], over its reach.
  std::vector<std::vector<std::vector<bool>>> visited;
  std::vector<std::vector<int64_t>> reachLowOf; ///< [level]: instance 0.
  std::vector<std::vector<int64_t>> reachSpans; ///< [level]
  std::vector<std::vector<int64_t>> dramSpans;  ///< [tensor]
  std::vector<std::vector<int64_t>> inputs;     ///< Reference inputs.
  uint64_t macCount = 0;

  const std::vector<int64_t> &spansOf(unsigned level, unsigned tensor) const;
  int64_t &at(Box &box, const std::vector<int64_t> &spans,
              const std::vector<int64_t> &coords);
  bool inside(const Box &box, const std::vector<int64_t> &spans,
              const std::vector<int64_t> &coords) const;
  void newBox(unsigned level, uint64_t epoch, uint64_t instance,
              unsigned tensor, std::vector<int64_t> &low) const;
  void drain(unsigned level, uint64_t nextEpoch, bool final);
  void fill(unsigned level, uint64_t epoch);
  void compute(uint64_t step);
};

} // namespace tessel::sim

#endif // TESSEL_SIM_DATAPATH_H
