//===- sim/VcdWriter.cpp - Value change dump of plain C++ signals ---------===//

#include "sim/VcdWriter.h"

#include "support/Files.h"

#include <cerrno>
#include <map>
#include <stdexcept>

namespace tessel::sim {
namespace {

/// A short identifier code from printable ASCII, as VCD uses.
std::string codeFor(unsigned index) {
  std::string code;
  do {
    code += char('!' + index % 94);
    index /= 94;
  } while (index > 0);
  return code;
}

std::string binary(uint64_t value, unsigned width) {
  std::string bits;
  for (unsigned bit = width; bit-- > 0;)
    bits += (value >> bit) & 1 ? '1' : '0';
  size_t first = bits.find('1');
  return first == std::string::npos ? "0" : bits.substr(first);
}

} // namespace

VcdWriter::VcdWriter(const std::string &path, uint64_t limitBytes)
    : out(path, std::ios::binary | std::ios::trunc), file(path),
      limit(limitBytes) {
  if (!out)
    throw std::runtime_error(
        path + ": error: cannot write the file: " + errorText(errno));
}

unsigned VcdWriter::signal(const std::string &scope, const std::string &name,
                           unsigned width) {
  if (headerDone)
    throw std::logic_error("VCD signals are declared before any value");
  unsigned id = unsigned(signals.size());
  signals.push_back({scope, name, codeFor(id), width, 0, false});
  return id;
}

void VcdWriter::put(const std::string &text) {
  if (cut)
    return;
  out << text;
  written += text.size();
}

void VcdWriter::header() {
  headerDone = true;
  put("$version Tessel structural simulator $end\n"
      "$timescale 1 ns $end\n");
  std::map<std::string, std::vector<const Signal *>> scopes;
  for (const Signal &signal : signals)
    scopes[signal.scope].push_back(&signal);
  put("$scope module tessel $end\n");
  for (const auto &[scope, members] : scopes) {
    put("$scope module " + scope + " $end\n");
    for (const Signal *signal : members)
      put("$var wire " + std::to_string(signal->width) + " " + signal->code +
          " " + signal->name + " $end\n");
    put("$upscope $end\n");
  }
  put("$upscope $end\n$enddefinitions $end\n");
}

void VcdWriter::set(uint64_t cycle, unsigned id, uint64_t value) {
  if (!headerDone)
    header();
  Signal &signal = signals.at(id);
  if (signal.written && signal.value == value)
    return;
  if (cut)
    return;
  std::string text =
      cycle != lastTime ? "#" + std::to_string(cycle) + "\n" : "";
  text += signal.width == 1
              ? std::string(value ? "1" : "0") + signal.code + "\n"
              : "b" + binary(value, signal.width) + " " + signal.code + "\n";
  if (limit && written + text.size() > limit) { // The file stays within it.
    cut = true;
    cutAt = cycle;
    return;
  }
  lastTime = cycle;
  signal.value = value;
  signal.written = true;
  put(text);
}

std::string VcdWriter::close() {
  if (closed)
    return "";
  closed = true;
  if (!headerDone)
    header();
  return streamError(out, file, errno);
}

} // namespace tessel::sim
