//===- sim/PeArray.h - The compute units, stepped cycle by cycle -*- C++
//-*-===//
//
// The PE array as plain C++: each PE has its skew (the cycles it lags the
// nearest PE, from the networks' hop latencies: a systolic array's
// wavefront) and its MAC counter. The sequencer records how many steps it
// issued in each cycle; PE p performs the steps issued in cycle t in cycle
// t + operandLatency + skew[p], one MAC per step. step() advances one cycle
// and returns the PEs that computed in it. Per PE and cycle the work is one
// look-up and one add.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_PEARRAY_H
#define TESSEL_SIM_PEARRAY_H

#include <cstdint>
#include <vector>

namespace tessel::sim {

class PeArray {
public:
  PeArray(std::vector<uint64_t> skew, uint64_t operandLatency);

  /// Records that `steps` steps were issued in cycle `cycle` (cycles in
  /// increasing order; cycles not recorded issued nothing).
  void issue(uint64_t cycle, uint64_t steps);
  /// Performs cycle `cycle`: every PE whose issued steps reach it now
  /// computes them. Returns the number of PEs that computed.
  uint64_t step(uint64_t cycle);
  /// The first cycle after which no issued step is left to perform.
  uint64_t quietAfter() const { return lastIssue + latency + maxSkew + 1; }
  bool anyIssued() const { return issuedAny; }

  uint64_t pes() const { return uint64_t(skew.size()); }
  uint64_t macs() const;
  const std::vector<uint64_t> &macsPerPe() const { return macCount; }

private:
  std::vector<uint64_t> skew;
  std::vector<uint64_t> macCount;
  std::vector<uint32_t> issued; ///< Ring: steps issued per cycle.
  uint64_t mask = 0;
  uint64_t latency = 0;
  uint64_t maxSkew = 0;
  uint64_t lastIssue = 0;
  uint64_t lastCleared = 0;
  bool issuedAny = false;
};

} // namespace tessel::sim

#endif // TESSEL_SIM_PEARRAY_H
