//===- validation/ScaleSim.cpp - SCALE-Sim v2's inputs on Tessel's array --===//

#include "validation/ScaleSim.h"

#include "arch/ArchLoader.h"
#include "model/CostModel.h"
#include "sim/Simulator.h"
#include "sim/SystolicPlan.h"
#include "support/Checked.h"
#include "support/Files.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace tessel {
namespace {

std::string trim(const std::string &text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos)
    return "";
  size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

std::string lower(std::string text) {
  for (char &c : text)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

[[noreturn]] void fail(const std::string &file, unsigned line,
                       const std::string &message) {
  throw ScaleSimError(file + (line ? ":" + std::to_string(line) : "") + ": " +
                      message);
}

std::vector<std::string> readLines(const std::string &path) {
  std::string why = unreadableFile(path);
  if (!why.empty())
    throw ScaleSimError(why);
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find('\0') != std::string::npos)
      fail(path, unsigned(lines.size() + 1),
           "a NUL byte: this is not a text file");
    lines.push_back(line);
  }
  return lines;
}

int64_t positive(const std::string &file, unsigned line,
                 const std::string &what, const std::string &text,
                 int64_t max = int64_t(1) << 40) {
  std::string value = trim(text);
  int64_t number = 0;
  auto [end, error] =
      std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size() ||
      value.empty())
    fail(file, line, what + " must be a whole number, not '" + value + "'");
  if (number < 1 || number > max)
    fail(file, line,
         what + " must be between 1 and " + std::to_string(max) + ", not " +
             value);
  return number;
}

/// A double as Python's str() prints it: the shortest text that reads back
/// the same value, with ".0" for whole numbers.
std::string pythonFloat(double value) {
  char text[64];
  auto [end, error] = std::to_chars(text, text + sizeof text, value);
  std::string out(text, error == std::errc() ? end : text);
  if (out.find_first_of(".en") == std::string::npos)
    out += ".0";
  return out;
}

int64_t outputSize(int64_t input, int64_t filter, int64_t stride) {
  return (input - filter + stride + stride - 1) / stride;
}

} // namespace

ScaleSimConfig readScaleSimConfig(const std::string &path) {
  std::vector<std::string> lines = readLines(path);
  ScaleSimConfig config;
  config.file = path;
  std::string section;
  unsigned dataflowLine = 0;
  bool seen[3] = {false, false, false};
  for (unsigned i = 0; i < lines.size(); ++i) {
    unsigned line = i + 1;
    std::string text = trim(lines[i]);
    if (text.empty() || text[0] == '#' || text[0] == ';')
      continue;
    if (text.front() == '[') {
      if (text.back() != ']')
        fail(path, line, "a section header must end with ']': '" + text + "'");
      section = trim(text.substr(1, text.size() - 2));
      continue;
    }
    size_t split = text.find_first_of("=:");
    if (split == std::string::npos)
      fail(path, line,
           "expected 'key = value' or 'key: value', not '" + text + "'");
    std::string key = lower(trim(text.substr(0, split)));
    std::string value = trim(text.substr(split + 1));
    if (section == "general" && key == "run_name") {
      config.runName = value;
    } else if (section == "architecture_presets") {
      if (key == "arrayheight") {
        config.arrayHeight =
            unsigned(positive(path, line, "ArrayHeight", value, 65536));
        seen[0] = true;
      } else if (key == "arraywidth") {
        config.arrayWidth =
            unsigned(positive(path, line, "ArrayWidth", value, 65536));
        seen[1] = true;
      } else if (key == "ifmapsramszkb") {
        config.ifmapSramKB = uint64_t(positive(path, line, key, value));
      } else if (key == "filtersramszkb") {
        config.filterSramKB = uint64_t(positive(path, line, key, value));
      } else if (key == "ofmapsramszkb") {
        config.ofmapSramKB = uint64_t(positive(path, line, key, value));
      } else if (key == "dataflow") {
        config.dataflow = value;
        dataflowLine = line;
        seen[2] = true;
      }
      // IfmapOffset & co. only place SCALE-Sim's traces: not used here.
    } else if (section == "run_presets" && key == "interfacebandwidth") {
      if (value != "CALC")
        fail(path, line,
             "InterfaceBandwidth '" + value +
                 "': only CALC (SCALE-Sim's stall-free memory) is "
                 "reproduced; USER bandwidth mode is not");
    }
  }
  const char *names[] = {"ArrayHeight", "ArrayWidth", "Dataflow"};
  for (int i = 0; i < 3; ++i)
    if (!seen[i])
      fail(path, 0,
           std::string("no ") + names[i] +
               " in [architecture_presets] (SCALE-Sim requires it)");
  if (config.dataflow != "os" && config.dataflow != "ws" &&
      config.dataflow != "is")
    fail(path, dataflowLine,
         "Dataflow '" + config.dataflow +
             "' must be os, ws or is (lower case; SCALE-Sim itself runs "
             "anything else as os without saying so)");
  if (config.runName.empty())
    config.runName = path;
  return config;
}

std::vector<ScaleSimLayer> readScaleSimTopology(const std::string &path,
                                                int gemm) {
  std::vector<std::string> lines = readLines(path);
  auto fields = [](const std::string &line) {
    std::vector<std::string> out;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ','))
      out.push_back(trim(field));
    if (!line.empty() && trim(line).back() == ',')
      out.push_back("");
    if (!out.empty() && out.back().empty())
      out.pop_back(); // SCALE-Sim's trailing comma.
    return out;
  };
  size_t header = 0;
  while (header < lines.size() && trim(lines[header]).empty())
    ++header;
  if (header == lines.size())
    fail(path, 0, "empty topology file (expected a header line and layers)");
  if (gemm < 0)
    gemm = fields(lines[header]).size() == 4 ? 1 : 0;
  std::vector<ScaleSimLayer> layers;
  for (size_t i = header + 1; i < lines.size(); ++i) {
    unsigned line = unsigned(i + 1);
    if (trim(lines[i]).empty())
      continue;
    std::vector<std::string> f = fields(lines[i]);
    ScaleSimLayer layer;
    layer.line = line;
    layer.gemm = gemm == 1;
    if (f.empty() || f[0].empty())
      fail(path, line, "a layer needs a name in its first column");
    layer.name = f[0];
    if (layer.gemm) {
      if (f.size() != 4)
        fail(path, line,
             "a GEMM layer has 4 columns (Layer, M, N, K), this one " +
                 std::to_string(f.size()));
      layer.m = positive(path, line, "M", f[1]);
      layer.n = positive(path, line, "N", f[2]);
      layer.k = positive(path, line, "K", f[3]);
      layer.ifmapHeight = layer.m;
      layer.ifmapWidth = layer.filterWidth = layer.k;
      layer.filterHeight = layer.channels = 1;
      layer.filters = layer.n;
      layers.push_back(layer);
      continue;
    }
    if (f.size() < 8)
      fail(path, line,
           "a convolution layer has 8 columns (Layer name, IFMAP Height, "
           "IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
           "Strides), this one " +
               std::to_string(f.size()) +
               (f.size() == 4 ? " (a GEMM layer? pass --gemm)" : ""));
    layer.ifmapHeight = positive(path, line, "IFMAP Height", f[1]);
    layer.ifmapWidth = positive(path, line, "IFMAP Width", f[2]);
    layer.filterHeight = positive(path, line, "Filter Height", f[3]);
    layer.filterWidth = positive(path, line, "Filter Width", f[4]);
    layer.channels = positive(path, line, "Channels", f[5]);
    layer.filters = positive(path, line, "Num Filter", f[6]);
    layer.strideHeight = positive(path, line, "Strides", f[7]);
    layer.strideWidth = f.size() > 8
                            ? positive(path, line, "the width stride", f[8])
                            : layer.strideHeight;
    if (layer.filterHeight > layer.ifmapHeight ||
        layer.filterWidth > layer.ifmapWidth)
      fail(path, line,
           "the filter (" + std::to_string(layer.filterHeight) + "x" +
               std::to_string(layer.filterWidth) + ") must fit in the IFMAP (" +
               std::to_string(layer.ifmapHeight) + "x" +
               std::to_string(layer.ifmapWidth) + ")");
    int64_t oh =
        outputSize(layer.ifmapHeight, layer.filterHeight, layer.strideHeight);
    int64_t ow =
        outputSize(layer.ifmapWidth, layer.filterWidth, layer.strideWidth);
    layer.m = oh * ow;
    layer.n = layer.filters;
    layer.k = layer.filterHeight * layer.filterWidth * layer.channels;
    // SCALE-Sim runs a layer whose name holds "DP" as depthwise: one layer
    // per channel, each with one channel.
    if (layer.name.find("DP") != std::string::npos) {
      int64_t channels = layer.channels;
      for (int64_t c = 0; c < channels; ++c) {
        ScaleSimLayer one = layer;
        one.name = layer.name + "Channel_" + std::to_string(c);
        one.channels = 1;
        one.k = layer.filterHeight * layer.filterWidth;
        layers.push_back(one);
      }
      continue;
    }
    layers.push_back(layer);
  }
  if (layers.empty())
    fail(path, 0, "no layers after the header line");
  return layers;
}

ScaleSimCase scaleSimCase(const ScaleSimConfig &config,
                          const ScaleSimLayer &layer) {
  enum { M = 0, N = 1, K = 2 };
  ScaleSimCase c;
  Problem &p = c.problem;
  p.name = layer.name;
  p.opName = "scalesim.gemm";
  p.dims = {{"m", layer.m}, {"n", layer.n}, {"k", layer.k}};
  auto proj = [](unsigned d) { return Projection{{{d, 1}}, 0}; };
  p.tensors = {
      {"ifmap", 8, "i8", {proj(M), proj(K)}, {layer.m, layer.k}, false},
      {"filter", 8, "i8", {proj(K), proj(N)}, {layer.k, layer.n}, false},
      {"ofmap", 8, "i8", {proj(M), proj(N)}, {layer.m, layer.n}, true}};
  p.source.file = layer.name;
  p.source.line = layer.line;

  Arch &arch = c.arch;
  arch.name = "scalesim-" + std::to_string(config.arrayHeight) + "x" +
              std::to_string(config.arrayWidth) + "-" + config.dataflow;
  arch.compute.datatype = "int8";
  arch.compute.pipelineLatency = 1;
  StorageLevel sram;
  sram.name = "SRAM"; // SCALE-Sim's three SRAMs, stall-free.
  sram.wordBits = 8;
  sram.fanout = {config.arrayWidth, config.arrayHeight};
  sram.network.topology = "systolic";
  sram.network.multicast = sram.network.reduction = true;
  StorageLevel pe;
  pe.name = "PERegisters";
  pe.wordBits = 8;
  pe.capacity = 3;
  pe.latency = 0;
  arch.levels = {sram, pe};
  rebuildArch(arch); // Network graphs and instance counts, as the loader.

  // SCALE-Sim's folding: the rows over one dimension, the columns over
  // another, column folds outer, row folds inner, the stream innermost.
  unsigned rowDim = K, colDim = N, streamDim = M; // ws
  if (config.dataflow == "os") {
    rowDim = M;
    colDim = N;
    streamDim = K;
  } else if (config.dataflow == "is") {
    rowDim = K;
    colDim = M;
    streamDim = N;
  }
  auto spread = [&](unsigned dim, unsigned lanes) {
    return std::min<int64_t>(p.dims[dim].bound, lanes);
  };
  int64_t rs = spread(rowDim, config.arrayHeight);
  int64_t cs = spread(colDim, config.arrayWidth);
  c.mapping.levels.resize(2);
  LevelMapping &top = c.mapping.levels[0];
  top.temporal = {{colDim, (p.dims[colDim].bound + cs - 1) / cs},
                  {rowDim, (p.dims[rowDim].bound + rs - 1) / rs},
                  {streamDim, p.dims[streamDim].bound}};
  top.spatial = {{colDim, cs, SpatialAxis::X}, {rowDim, rs, SpatialAxis::Y}};
  top.keepMask = 7;
  c.mapping.levels[1].keepMask = 7;
  c.timing = {1, false};
  return c;
}

ScaleSimResult runScaleSimLayer(const ScaleSimConfig &config,
                                const ScaleSimLayer &layer,
                                const ScaleSimOptions &options) {
  ScaleSimCase c = scaleSimCase(config, layer);
  c.timing = options.timing;
  sim::SystolicPlan plan;
  std::string error;
  if (!sim::planSystolic(c.problem, c.arch, c.mapping, 0, c.timing, plan,
                         error))
    throw ScaleSimError(layer.name + ": " + error);
  const std::string expected = config.dataflow == "os"   ? "output-stationary"
                               : config.dataflow == "ws" ? "weight-stationary"
                                                         : "input-stationary";
  if (plan.dataflow != expected)
    throw ScaleSimError(layer.name + ": the mapping lowered to " +
                        plan.dataflow + ", not " + expected + " (a bug)");
  // Refuse what would take long or not fit, before starting.
  const uint64_t pes = uint64_t(plan.rows) * plan.cols;
  double cycles =
      double(plan.folds) * double(plan.streamSteps + 2 * plan.rows + plan.cols);
  double seconds = cycles * double(pes) * 1e-8;
  if (seconds > 60 && !options.allowLong)
    throw ScaleSimError(layer.name + ": would simulate about " +
                        std::to_string(uint64_t(cycles)) + " cycles x " +
                        std::to_string(pes) + " PEs, roughly " +
                        std::to_string(uint64_t(seconds / 60)) +
                        " min or more; pass --long to run it anyway");
  // Each word: its 64-bit value and a written bit, rounded to a byte.
  uint64_t bytes =
      saturatingMul<uint64_t>(sim::systolicStoreWords(c.problem), 9);
  if (bytes > sim::kMaxSimulationBytes)
    throw ScaleSimError(layer.name + ": its operands need more than " +
                        byteSize(sim::kMaxSimulationBytes) + " of values (" +
                        byteSize(bytes) + ")");

  sim::SystolicRunOptions runOptions;
  runOptions.functional = options.check;
  runOptions.progress = options.progress;
  runOptions.progressLabel = "tessel scalesim: " + layer.name + ": ";
  ScaleSimResult result;
  result.layer = layer.name;
  {
    // The model on the same array and mapping, its last folds padded to
    // whole ones (the array streams bubbles through them: their cycles are
    // the same).
    Arch arch = c.arch;
    arch.levels[0].network.stationaryBuffers = c.timing.stationaryBuffers;
    arch.levels[0].network.foldOverlap = c.timing.foldOverlap;
    Problem padded = c.problem;
    for (unsigned d = 0; d < padded.dims.size(); ++d) {
      int64_t product = 1;
      for (const LevelMapping &level : c.mapping.levels) {
        for (const Loop &loop : level.temporal)
          product *= loop.dim == d ? loop.factor : 1;
        for (const SpatialLoop &loop : level.spatial)
          product *= loop.dim == d ? loop.factor : 1;
      }
      padded.dims[d].bound = product;
    }
    for (Tensor &tensor : padded.tensors)
      for (size_t i = 0; i < tensor.projection.size(); ++i)
        tensor.shape[i] = padded.dims[tensor.projection[i].terms[0].dim].bound;
    Evaluation model =
        createCostModel("reuse")->evaluate(padded, arch, c.mapping);
    if (model.report)
      result.modelCycles = model.report->cycles;
  }
  result.m = layer.m;
  result.n = layer.n;
  result.k = layer.k;
  result.run = sim::runSystolic(c.problem, plan, runOptions);
  const sim::SystolicRun &run = result.run;
  if (!run.error.empty())
    throw ScaleSimError(layer.name + ": " + run.error);
  if (!run.mismatch.empty())
    throw ScaleSimError(layer.name + ": wrong result: " + run.mismatch);
  result.folds = run.folds.size();
  result.totalCycles = run.folds.empty() ? 0 : run.folds.back().end;
  for (const sim::CycleShare &share : run.shares)
    if (share.what.rfind("stall", 0) == 0)
      result.stallCycles += share.cycles;
  result.cycles = run.cycles;
  double array = double(pes);
  result.overallUtil =
      result.totalCycles
          ? double(run.macs) * 100 / (double(result.totalCycles) * array)
          : 0;
  double mapping = 0, compute = 0;
  for (const sim::FoldRecord &fold : run.folds) {
    mapping += double(fold.pes) / array;
    compute += double(fold.macs) / (array * double(fold.end - fold.start + 1));
  }
  if (!run.folds.empty()) {
    result.mappingEfficiency = mapping / double(run.folds.size()) * 100;
    result.computeUtil = compute / double(run.folds.size()) * 100;
  }
  result.ifmapReads = run.reads[0];
  result.filterReads = run.reads[1];
  result.ofmapWrites = run.writes[2] + run.updates[2];
  return result;
}

std::string scaleSimComputeReport(const std::vector<ScaleSimResult> &results) {
  std::string text = "LayerID, Total Cycles, Stall Cycles, Overall Util %, "
                     "Mapping Efficiency %, Compute Util %,\n";
  for (size_t i = 0; i < results.size(); ++i) {
    const ScaleSimResult &r = results[i];
    text += std::to_string(i) + ", " + std::to_string(r.totalCycles) + ", " +
            std::to_string(r.stallCycles) + ", " + pythonFloat(r.overallUtil) +
            ", " + pythonFloat(r.mappingEfficiency) + ", " +
            pythonFloat(r.computeUtil) + ",\n";
  }
  return text;
}

std::string scaleSimDetailReport(const std::vector<ScaleSimResult> &results) {
  std::string text =
      "layer,M,N,K,dataflow,folds,total_cycles_scalesim,cycles_tessel,"
      "stall_cycles,macs,ifmap_sram_reads,filter_sram_reads,"
      "ofmap_sram_writes,ofmap_sram_updates,link_words_horizontal,"
      "link_words_vertical,link_words_partial_sums,link_words_drain,"
      "link_words_load,stepped_pe_cycles,skipped_pe_cycles,sim_seconds\n";
  for (const ScaleSimResult &r : results) {
    const sim::SystolicRun &run = r.run;
    auto u = [](uint64_t value) { return std::to_string(value) + ","; };
    text += r.layer + "," + u(uint64_t(r.m)) + u(uint64_t(r.n)) +
            u(uint64_t(r.k)) + run.plan.dataflow + "," + u(r.folds) +
            u(r.totalCycles) + u(r.cycles) + u(r.stallCycles) + u(run.macs) +
            u(run.reads[0]) + u(run.reads[1]) + u(run.writes[2]) +
            u(run.updates[2]) + u(run.links.horizontal) +
            u(run.links.vertical) + u(run.links.partialSums) +
            u(run.links.drain) + u(run.links.load) + u(run.steppedPeCycles) +
            u(run.skippedPeCycles) + pythonFloat(run.seconds) + "\n";
  }
  return text;
}

} // namespace tessel
