//===- test/validation/ScaleSimTest.cpp - Tessel vs SCALE-Sim's own output
//-===//
//
// Every case of validation/references/scalesim/expected.csv (our inputs,
// SCALE-Sim v2's printed numbers) simulated on the structural systolic array
// from SCALE-Sim's .cfg and topology CSV. Total cycles, stall cycles,
// overall utilization, mapping efficiency and the ifmap/filter SRAM reads
// must equal SCALE-Sim's. Two of its counts differ by its own bookkeeping
// (validation/references/scalesim/README.md): its output-stationary ofmap
// writes add ArrayHeight + ArrayWidth per fold that no word makes, and its
// weight-/input-stationary compute utilization divides by a fold ArrayWidth
// - 1 cycles longer than the fold takes; both are checked as such.
//
//===----------------------------------------------------------------------===//
#include "validation/ScaleSim.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace tessel::testing {
namespace {

const std::string kDir =
    std::string(TESSEL_SOURCE_DIR) + "/validation/references/scalesim/";

std::vector<std::map<std::string, std::string>> expectedRows() {
  std::ifstream in(kDir + "expected.csv");
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string &text) {
    std::vector<std::string> fields;
    std::stringstream stream(text);
    std::string field;
    while (std::getline(stream, field, ','))
      fields.push_back(field);
    return fields;
  };
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    if (header.empty()) {
      header = split(line);
      continue;
    }
    std::vector<std::string> fields = split(line);
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i)
      row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

TEST(ScaleSim, EqualsScaleSimOnEveryReferenceCase) {
  auto rows = expectedRows();
  ASSERT_GE(rows.size(), 20u);
  for (const auto &row : rows) {
    SCOPED_TRACE(row.at("config") + " " + row.at("topology") + " " +
                 row.at("layer"));
    ScaleSimConfig config = readScaleSimConfig(kDir + row.at("config"));
    std::vector<ScaleSimLayer> layers = readScaleSimTopology(
        kDir + row.at("topology"), row.at("input_type") == "gemm" ? 1 : 0);
    const ScaleSimLayer *layer = nullptr;
    for (const ScaleSimLayer &candidate : layers)
      if (candidate.name == row.at("layer"))
        layer = &candidate;
    ASSERT_NE(layer, nullptr);
    EXPECT_EQ(layer->m, std::stoll(row.at("M")));
    EXPECT_EQ(layer->n, std::stoll(row.at("N")));
    EXPECT_EQ(layer->k, std::stoll(row.at("K")));
    ScaleSimOptions options;
    options.check = layer->m * layer->n * layer->k < 2000000;
    ScaleSimResult r = runScaleSimLayer(config, *layer, options);
    EXPECT_EQ(r.totalCycles, std::stoull(row.at("total_cycles")));
    EXPECT_EQ(r.stallCycles, std::stoull(row.at("stall_cycles")));
    EXPECT_DOUBLE_EQ(r.overallUtil, std::stod(row.at("overall_util_pct")));
    EXPECT_DOUBLE_EQ(r.mappingEfficiency,
                     std::stod(row.at("mapping_efficiency_pct")));
    EXPECT_EQ(r.ifmapReads, std::stoull(row.at("sram_ifmap_reads")));
    EXPECT_EQ(r.filterReads, std::stoull(row.at("sram_filter_reads")));
    uint64_t R = config.arrayHeight, C = config.arrayWidth;
    double theirCompute = std::stod(row.at("compute_util_pct"));
    uint64_t theirWrites = std::stoull(row.at("sram_ofmap_writes"));
    if (config.dataflow == "os") {
      EXPECT_DOUBLE_EQ(r.computeUtil, theirCompute);
      EXPECT_EQ(r.ofmapWrites + r.folds * (R + C), theirWrites);
    } else {
      // Each fold's MACs over R x C x its length, with SCALE-Sim's length
      // (C - 1 longer) instead of the simulated one, gives SCALE-Sim's.
      double scaled = 0;
      for (const sim::FoldRecord &fold : r.run.folds)
        scaled += double(fold.macs) /
                  double(R * C * (fold.end - fold.start + 1 + C - 1));
      EXPECT_DOUBLE_EQ(scaled / double(r.folds) * 100, theirCompute);
      EXPECT_GT(r.computeUtil, theirCompute);
      EXPECT_EQ(r.ofmapWrites, theirWrites);
    }
    EXPECT_EQ(r.run.macs, uint64_t(layer->m * layer->n * layer->k));
    // The reuse model, from its own fold arithmetic (model/Timing.h), on
    // the same array and mapping: the simulated cycles, which the checks
    // above tie to SCALE-Sim's; with two stationary buffers too.
    EXPECT_EQ(r.modelCycles, r.cycles);
    ScaleSimOptions shadow;
    shadow.timing = {2, false};
    ScaleSimResult two = runScaleSimLayer(config, *layer, shadow);
    EXPECT_EQ(two.modelCycles, two.cycles);
    EXPECT_LE(two.cycles, r.cycles);
    if (options.check) {
      EXPECT_TRUE(r.run.checked);
      EXPECT_EQ(r.run.mismatch, "");
    }
  }
}

TEST(ScaleSim, MalformedInputsAreLocated) {
  std::string dir = ::testing::TempDir();
  auto write = [&](const std::string &name, const std::string &text) {
    std::ofstream(dir + name) << text;
    return dir + name;
  };
  auto configError = [&](const std::string &text) {
    try {
      readScaleSimConfig(write("bad.cfg", text));
    } catch (const ScaleSimError &error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  const std::string head = "[architecture_presets]\nArrayHeight: 4\n";
  EXPECT_NE(configError(head + "ArrayWidth: 4\nDataflow: WS\n")
                .find("bad.cfg:4: Dataflow 'WS' must be os, ws or is"),
            std::string::npos);
  EXPECT_NE(configError(head + "Dataflow: ws\n")
                .find("no ArrayWidth in [architecture_presets]"),
            std::string::npos);
  EXPECT_NE(configError(head + "ArrayWidth: four\nDataflow: ws\n")
                .find("bad.cfg:3: ArrayWidth must be a whole number"),
            std::string::npos);
  EXPECT_NE(configError(head + "ArrayWidth 4\n").find("bad.cfg:3: expected"),
            std::string::npos);

  auto topologyError = [&](const std::string &text) {
    try {
      readScaleSimTopology(write("bad.csv", text));
    } catch (const ScaleSimError &error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  const std::string conv = "Layer name, IFMAP Height, IFMAP Width, Filter "
                           "Height, Filter Width, Channels, Num Filter, "
                           "Strides,\n";
  EXPECT_NE(topologyError(conv + "c1, 5, 5, 3, 3, 1, 4,\n")
                .find("bad.csv:2: a convolution layer has 8 columns"),
            std::string::npos);
  EXPECT_NE(topologyError(conv + "c1, 5, 5, 7, 3, 1, 4, 1,\n")
                .find("bad.csv:2: the filter (7x3) must fit"),
            std::string::npos);
  EXPECT_NE(topologyError(conv + "c1, 5, 5, 3, 3, 0, 4, 1,\n")
                .find("bad.csv:2: Channels must be between 1"),
            std::string::npos);
  EXPECT_NE(topologyError("Layer, M, N, K,\ng, 4, 4,\n")
                .find("bad.csv:2: a GEMM layer has 4 columns"),
            std::string::npos);
  EXPECT_NE(topologyError(conv).find("no layers"), std::string::npos);
  // SCALE-Sim needs the trailing comma; Tessel reads the line either way.
  std::vector<ScaleSimLayer> layers =
      readScaleSimTopology(write("ok.csv", conv + "c1, 8, 8, 3, 3, 2, 4, 2\n"));
  ASSERT_EQ(layers.size(), 1u);
  // ceil((8 - 3 + 2) / 2) = 4 output rows and columns (the last window
  // runs past the edge, as SCALE-Sim counts it); K = 3 x 3 x 2.
  EXPECT_EQ(layers[0].m, 16);
  EXPECT_EQ(layers[0].k, 18);
}

} // namespace
} // namespace tessel::testing
