//===- sim/Trace.cpp ------------------------------------------------------===//
#include "sim/Trace.h"

#include <stdexcept>

namespace tessel::sim {
namespace {

std::string quoted(const std::string &text) {
  std::string result = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      result += '\\';
    result += c;
  }
  return result + "\"";
}

std::ofstream openOrThrow(const std::string &path) {
  std::ofstream out(path);
  if (!out)
    throw std::runtime_error(path + ": error: cannot write the file");
  return out;
}

} // namespace

ChromeTrace::ChromeTrace(const std::string &path) : out(openOrThrow(path)) {
  out << "{\"displayTimeUnit\": \"ns\", \"otherData\": {\"unit\": \"1 us = 1 "
         "cycle\"}, \"traceEvents\": [\n";
  event("{\"ph\": \"M\", \"pid\": 1, \"name\": \"process_name\", \"args\": "
        "{\"name\": \"tessel sim\"}}");
}

ChromeTrace::~ChromeTrace() { out << "\n]}\n"; }

void ChromeTrace::event(const std::string &json) {
  out << (first ? "" : ",\n") << json;
  first = false;
}

unsigned ChromeTrace::track(const std::string &name) {
  unsigned id = ++tracks;
  event("{\"ph\": \"M\", \"pid\": 1, \"tid\": " + std::to_string(id) +
        ", \"name\": \"thread_name\", \"args\": {\"name\": " + quoted(name) +
        "}}");
  event("{\"ph\": \"M\", \"pid\": 1, \"tid\": " + std::to_string(id) +
        ", \"name\": \"thread_sort_index\", \"args\": {\"sort_index\": " +
        std::to_string(id) + "}}");
  return id;
}

void ChromeTrace::slice(unsigned track, const std::string &name, uint64_t begin,
                        uint64_t end) {
  event("{\"ph\": \"X\", \"pid\": 1, \"tid\": " + std::to_string(track) +
        ", \"name\": " + quoted(name) + ", \"ts\": " + std::to_string(begin) +
        ", \"dur\": " + std::to_string(end > begin ? end - begin : 0) + "}");
}

void ChromeTrace::counter(const std::string &name, uint64_t cycle,
                          double value) {
  event("{\"ph\": \"C\", \"pid\": 1, \"name\": " + quoted(name) +
        ", \"ts\": " + std::to_string(cycle) +
        ", \"args\": {\"value\": " + std::to_string(value) + "}}");
}

UtilizationCsv::UtilizationCsv(const std::string &path, uint64_t interval,
                               uint64_t pes)
    : out(openOrThrow(path)), every(interval ? interval : 1), pes(pes) {
  out << "cycle,busy_pe_cycles,utilization\n";
}

void UtilizationCsv::add(uint64_t cycle, uint64_t busyPes) {
  while (cycle >= windowStart + every)
    flush(windowStart + every);
  busy += busyPes;
}

void UtilizationCsv::flush(uint64_t end) {
  uint64_t cycles = end - windowStart;
  out << windowStart << "," << busy << ","
      << (cycles && pes ? double(busy) / double(cycles * pes) : 0) << "\n";
  windowStart = end;
  busy = 0;
}

void UtilizationCsv::finish(uint64_t endCycle) {
  while (windowStart + every <= endCycle)
    flush(windowStart + every);
  if (endCycle > windowStart)
    flush(endCycle);
}

} // namespace tessel::sim
