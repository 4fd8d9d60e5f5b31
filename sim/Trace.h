//===- sim/Trace.h - Chrome trace-event JSON and utilization CSV -*- C++
//-*-===//
//
// Streams to disk as the simulation runs (memory stays bounded): slices and
// counters in Chrome's trace-event format (open the file in Perfetto or
// chrome://tracing; one track per level and module, one "microsecond" per
// cycle), and utilization per interval as CSV.
//
// Each file has a size limit (SimOptions::traceLimitBytes, 256 MiB by
// default): when the next event would pass it, later events are left out
// and the file is still complete (the JSON closed, the CSV whole rows); the
// simulation reports the cycle where the trace stopped. close() ends the
// file and says whether every write reached the disk.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_TRACE_H
#define TESSEL_SIM_TRACE_H

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace tessel::sim {

/// A simulation's progress line on stderr: rewritten in place on a
/// terminal, a line each time elsewhere (a log, a pipe). end() clears a
/// line left on a terminal.
class ProgressLine {
public:
  ProgressLine();
  void print(const std::string &text);
  void end();

private:
  bool terminal;
  bool shown = false;
};

class ChromeTrace {
public:
  /// Opens `path`; throws std::runtime_error if it cannot. `limitBytes` 0:
  /// no limit.
  explicit ChromeTrace(const std::string &path, uint64_t limitBytes = 0);
  ~ChromeTrace();

  /// A track (a row in the viewer); returns its id.
  unsigned track(const std::string &name);
  /// A slice on `track` covering cycles [begin, end).
  void slice(unsigned track, const std::string &name, uint64_t begin,
             uint64_t end);
  void counter(const std::string &name, uint64_t cycle, double value);

  /// Ends the JSON and closes the file: "" or "error writing PATH: WHY".
  std::string close();
  /// Whether the size limit left events out, from which cycle.
  bool truncated() const { return cut; }
  uint64_t truncatedAt() const { return cutAt; }
  const std::string &path() const { return file; }
  uint64_t bytes() const { return written; }

private:
  std::ofstream out;
  std::string file;
  uint64_t limit;
  uint64_t written = 0;
  unsigned tracks = 0;
  bool first = true;
  bool cut = false;
  bool closed = false;
  uint64_t cutAt = 0;
  void event(const std::string &json, uint64_t cycle);
  void put(const std::string &text);
};

class UtilizationCsv {
public:
  UtilizationCsv(const std::string &path, uint64_t interval, uint64_t pes,
                 uint64_t limitBytes = 0);
  /// Adds one cycle's busy PEs; writes a row every `interval` cycles.
  void add(uint64_t cycle, uint64_t busyPes);
  void finish(uint64_t endCycle);
  uint64_t interval() const { return every; }

  /// Closes the file: "" or "error writing PATH: WHY".
  std::string close();
  bool truncated() const { return cut; }
  uint64_t truncatedAt() const { return cutAt; }
  const std::string &path() const { return file; }

private:
  std::ofstream out;
  std::string file;
  uint64_t limit;
  uint64_t written = 0;
  uint64_t every;
  uint64_t pes;
  uint64_t windowStart = 0;
  uint64_t busy = 0;
  bool cut = false;
  bool closed = false;
  uint64_t cutAt = 0;
  void flush(uint64_t end);
};

} // namespace tessel::sim

#endif // TESSEL_SIM_TRACE_H
