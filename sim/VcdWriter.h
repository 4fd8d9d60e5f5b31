//===- sim/VcdWriter.h - Value change dump of plain C++ signals -*- C++ -*-===//
//
// A VCD file (IEEE 1364) for components that are plain C++ objects: declare
// integer signals, then report their values cycle by cycle; a value is
// written only when it changes. Timescale: one unit per clock cycle (1 ns).
// Stops growing at a size limit (the file stays valid) and reports write
// errors on close, like sim/Trace.h.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_VCDWRITER_H
#define TESSEL_SIM_VCDWRITER_H

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace tessel::sim {

class VcdWriter {
public:
  /// Opens `path`; throws std::runtime_error if it cannot.
  VcdWriter(const std::string &path, uint64_t limitBytes = 0);
  /// A signal `width` bits wide in scope `scope`; before the first set().
  unsigned signal(const std::string &scope, const std::string &name,
                  unsigned width);
  /// The value of signal `id` in cycle `cycle` (cycles increasing).
  void set(uint64_t cycle, unsigned id, uint64_t value);
  /// "" or "error writing PATH: WHY".
  std::string close();
  bool truncated() const { return cut; }
  uint64_t truncatedAt() const { return cutAt; }

private:
  struct Signal {
    std::string scope, name, code;
    unsigned width = 1;
    uint64_t value = 0;
    bool written = false;
  };
  std::ofstream out;
  std::string file;
  uint64_t limit;
  uint64_t written = 0;
  std::vector<Signal> signals;
  bool headerDone = false;
  bool cut = false;
  bool closed = false;
  uint64_t cutAt = 0;
  uint64_t lastTime = UINT64_MAX;
  void header();
  void put(const std::string &text);
};

} // namespace tessel::sim

#endif // TESSEL_SIM_VCDWRITER_H
