//===- sim/Trace.h - Chrome trace-event JSON and utilization CSV -*- C++
//-*-===//
//
// Streams to disk as the simulation runs (memory stays bounded): slices and
// counters in Chrome's trace-event format (open the file in Perfetto or
// chrome://tracing; one track per level and module, one "microsecond" per
// cycle), and utilization per interval as CSV.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_TRACE_H
#define TESSEL_SIM_TRACE_H

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace tessel::sim {

class ChromeTrace {
public:
  /// Opens `path`; throws std::runtime_error if it cannot.
  explicit ChromeTrace(const std::string &path);
  ~ChromeTrace();

  /// A track (a row in the viewer); returns its id.
  unsigned track(const std::string &name);
  /// A slice on `track` covering cycles [begin, end).
  void slice(unsigned track, const std::string &name, uint64_t begin,
             uint64_t end);
  void counter(const std::string &name, uint64_t cycle, double value);

private:
  std::ofstream out;
  unsigned tracks = 0;
  bool first = true;
  void event(const std::string &json);
};

class UtilizationCsv {
public:
  UtilizationCsv(const std::string &path, uint64_t interval, uint64_t pes);
  /// Adds one cycle's busy PEs; writes a row every `interval` cycles.
  void add(uint64_t cycle, uint64_t busyPes);
  void finish(uint64_t endCycle);
  uint64_t interval() const { return every; }

private:
  std::ofstream out;
  uint64_t every;
  uint64_t pes;
  uint64_t windowStart = 0;
  uint64_t busy = 0;
  void flush(uint64_t end);
};

} // namespace tessel::sim

#endif // TESSEL_SIM_TRACE_H
