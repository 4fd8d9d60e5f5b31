//===- sim/Trace.cpp ------------------------------------------------------===//
#include "sim/Trace.h"

#include "support/Files.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace tessel::sim {

ProgressLine::ProgressLine() : terminal(isatty(STDERR_FILENO)) {}

void ProgressLine::print(const std::string &text) {
  if (terminal)
    std::fprintf(stderr, "\r%s\033[K", text.c_str());
  else
    std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
  shown = true;
}

void ProgressLine::end() {
  if (terminal && shown)
    std::fprintf(stderr, "\r\033[K");
  shown = false;
}
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
    throw std::runtime_error(path + ": error: cannot write the file: " +
                             errorText(errno));
  return out;
}

const char kTraceEnd[] = "\n]}\n";
/// Room kept for the event that marks where the limit cut the trace.
constexpr uint64_t kCutEventRoom = 200;

} // namespace

ChromeTrace::ChromeTrace(const std::string &path, uint64_t limitBytes)
    : out(openOrThrow(path)), file(path), limit(limitBytes) {
  put("{\"displayTimeUnit\": \"ns\", \"otherData\": {\"unit\": \"1 us = 1 "
      "cycle\"}, \"traceEvents\": [\n");
  event("{\"ph\": \"M\", \"pid\": 1, \"name\": \"process_name\", \"args\": "
        "{\"name\": \"tessel sim\"}}",
        0);
}

ChromeTrace::~ChromeTrace() { close(); }

void ChromeTrace::put(const std::string &text) {
  out << text;
  written += text.size();
}

void ChromeTrace::event(const std::string &json, uint64_t cycle) {
  if (cut || closed)
    return;
  uint64_t size = json.size() + (first ? 0 : 2);
  if (limit && written + size + kCutEventRoom + sizeof kTraceEnd > limit) {
    cut = true;
    cutAt = cycle;
    put(std::string(first ? "" : ",\n") +
        "{\"ph\": \"i\", \"s\": \"g\", \"pid\": 1, \"name\": \"trace size "
        "limit reached: later events left out\", \"ts\": " +
        std::to_string(cycle) + "}");
    first = false;
    return;
  }
  put(first ? json : ",\n" + json);
  first = false;
}

std::string ChromeTrace::close() {
  if (closed)
    return "";
  closed = true;
  put(kTraceEnd);
  std::string problem = streamError(out, file);
  out.close();
  if (problem.empty() && out.fail())
    problem = "error writing " + file + ": " + errorText(errno);
  return problem;
}

unsigned ChromeTrace::track(const std::string &name) {
  unsigned id = ++tracks;
  event("{\"ph\": \"M\", \"pid\": 1, \"tid\": " + std::to_string(id) +
            ", \"name\": \"thread_name\", \"args\": {\"name\": " +
            quoted(name) + "}}",
        0);
  event("{\"ph\": \"M\", \"pid\": 1, \"tid\": " + std::to_string(id) +
            ", \"name\": \"thread_sort_index\", \"args\": {\"sort_index\": " +
            std::to_string(id) + "}}",
        0);
  return id;
}

void ChromeTrace::slice(unsigned track, const std::string &name, uint64_t begin,
                        uint64_t end) {
  if (cut)
    return;
  event("{\"ph\": \"X\", \"pid\": 1, \"tid\": " + std::to_string(track) +
            ", \"name\": " + quoted(name) +
            ", \"ts\": " + std::to_string(begin) +
            ", \"dur\": " + std::to_string(end > begin ? end - begin : 0) +
            "}",
        begin);
}

void ChromeTrace::counter(const std::string &name, uint64_t cycle,
                          double value) {
  if (cut)
    return;
  event("{\"ph\": \"C\", \"pid\": 1, \"name\": " + quoted(name) +
            ", \"ts\": " + std::to_string(cycle) +
            ", \"args\": {\"value\": " + std::to_string(value) + "}}",
        cycle);
}

UtilizationCsv::UtilizationCsv(const std::string &path, uint64_t interval,
                               uint64_t pes, uint64_t limitBytes)
    : out(openOrThrow(path)), file(path), limit(limitBytes),
      every(interval ? interval : 1), pes(pes) {
  const char header[] = "cycle,busy_pe_cycles,utilization\n";
  out << header;
  written += sizeof header - 1;
}

void UtilizationCsv::add(uint64_t cycle, uint64_t busyPes) {
  while (cycle >= windowStart + every)
    flush(windowStart + every);
  busy += busyPes;
}

void UtilizationCsv::flush(uint64_t end) {
  uint64_t cycles = end - windowStart;
  if (!cut && !closed) {
    std::string row =
        std::to_string(windowStart) + "," + std::to_string(busy) + ",";
    std::ostringstream value;
    value << (cycles && pes ? double(busy) / double(cycles * pes) : 0);
    row += value.str() + "\n";
    if (limit && written + row.size() > limit) {
      cut = true;
      cutAt = windowStart;
    } else {
      out << row;
      written += row.size();
    }
  }
  windowStart = end;
  busy = 0;
}

void UtilizationCsv::finish(uint64_t endCycle) {
  while (windowStart + every <= endCycle)
    flush(windowStart + every);
  if (endCycle > windowStart)
    flush(endCycle);
}

std::string UtilizationCsv::close() {
  if (closed)
    return "";
  closed = true;
  std::string problem = streamError(out, file);
  out.close();
  if (problem.empty() && out.fail())
    problem = "error writing " + file + ": " + errorText(errno);
  return problem;
}

} // namespace tessel::sim
