//===- test/sim/PackingTest.cpp - Elements at their declared widths -------===//
//
// With Precision::Declared each tensor is held at its element type's width
// (arch/Packing.h): narrow elements share a level's words, wide ones span
// several. The verifier's capacity, the reuse model's port cycles and
// energy, and the structural simulator's ports and links all follow; the
// expected numbers are worked by hand from the geometry.
//
//===----------------------------------------------------------------------===//
#include "../model/RandomCases.h"

#include "arch/ArchLoader.h"
#include "arch/Packing.h"
#include "mapping/Datatypes.h"
#include "mapping/Mapping.h"
#include "model/CostModel.h"
#include "sim/Structural.h"

#include <gtest/gtest.h>

namespace tessel::testing {
namespace {

/// C[m,n] += A[m,k] B[k,n] with the given element types.
Problem typedGemm(int64_t m, int64_t n, int64_t k, const std::string &in,
                  const std::string &out, Precision precision) {
  auto type = [](int64_t a, int64_t b, const std::string &element) {
    return "tensor<" + std::to_string(a) + "x" + std::to_string(b) + "x" +
           element + ">";
  };
  std::string ta = type(m, k, in), tb = type(k, n, in), tc = type(m, n, out);
  Problem problem = problemFrom(
      "func.func @op(%a: " + ta + ", %b: " + tb + ", %c: " + tc + ") -> " + tc +
      " {\n  %r = linalg.matmul ins(%a, %b : " + ta + ", " + tb +
      ") outs(%c : " + tc + ") -> " + tc + "\n  return %r : " + tc + "\n}\n");
  applyPrecision(problem, precision);
  return problem;
}

/// Every loop at the innermost level; both levels keep every tensor.
Mapping allInner(const Problem &problem) {
  Mapping mapping;
  mapping.levels.resize(2);
  for (unsigned d = 0; d < problem.dims.size(); ++d)
    mapping.levels[1].temporal.push_back({d, problem.dims[d].bound});
  mapping.levels[0].keepMask = mapping.levels[1].keepMask = 7;
  return mapping;
}

TEST(Packing, GeometryByHand) {
  Packing narrow = packingOf(8, 32); // Four i8 to a 32-bit word.
  EXPECT_EQ(narrow.perWord, 4u);
  EXPECT_EQ(narrow.wordsEach, 1u);
  EXPECT_EQ(narrow.wordsFor(10), 3u); // 4 + 4 + 2.
  EXPECT_DOUBLE_EQ(narrow.wordsPerElement(), 0.25);
  Packing wide = packingOf(32, 8); // An i32 over four bytes.
  EXPECT_EQ(wide.perWord, 1u);
  EXPECT_EQ(wide.wordsEach, 4u);
  EXPECT_EQ(wide.wordsFor(3), 12u);
  Packing odd = packingOf(12, 32); // Two 12-bit elements; 8 bits unused.
  EXPECT_EQ(odd.perWord, 2u);
  EXPECT_EQ(odd.wordsFor(3), 2u);
  EXPECT_TRUE(packingOf(0, 16).oneToOne()); // The default: one word each.
}

// i8 x i8 -> i32, m = n = 2, k = 4, all in one 8-bit register file: A and
// B hold 8 elements each (8 words), C 4 elements of 4 words (16 words):
// 32 words declared, 20 when every element is one word.
TEST(Packing, WideAccumulatorsFillTheirWords) {
  auto arch = [](uint64_t capacity) {
    return parseArch("name: bytes\ncompute: {datatype: int8}\nlevels:\n"
                     "  - {name: DRAM, capacity: unbounded, wordBits: 8}\n"
                     "  - {name: Reg, wordBits: 8, capacity: " +
                         std::to_string(capacity) + "}\n",
                     "bytes.yaml");
  };
  Problem declared = typedGemm(2, 2, 4, "i8", "i32", Precision::Declared);
  Problem words = typedGemm(2, 2, 4, "i8", "i32", Precision::Words);
  Mapping mapping = allInner(declared);
  EXPECT_TRUE(verifyMapping(declared, arch(32), mapping).empty());
  std::vector<MappingError> errors = verifyMapping(declared, arch(31), mapping);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("need 32 words"), std::string::npos)
      << errors[0].message;
  EXPECT_TRUE(verifyMapping(words, arch(20), mapping).empty());
  EXPECT_FALSE(verifyMapping(words, arch(19), mapping).empty());
}

// i8 x i8 -> i32 with m = n = 1, k = 64 on one PE under DRAM, whose 32-bit
// words come out at one a cycle: the op reads 64 + 64 input elements and
// runs 64 MACs. The op is one tile: it is filled, then computed.
//  - one element a word: 128 DRAM read cycles, then 64 MACs;
//  - declared: four i8 to a word, 32 read cycles, then 64 MACs.
// DRAM reads cost a quarter of a word's energy per i8 element; the one
// i32 output is one 32-bit word.
TEST(Packing, NarrowInputsShareDramWords) {
  Arch arch = parseArch(R"(name: packed
compute: {datatype: int8, pipelineLatency: 1}
levels:
  - name: DRAM
    capacity: unbounded
    wordBits: 32
    readBandwidth: 1
    latency: 2
    energy: {read: 100, write: 100}
    network: {topology: bus}
  - {name: Reg, capacity: 1000, wordBits: 32, latency: 1}
)",
                        "packed.yaml");
  auto resource = [](const Report &report, const std::string &name) {
    for (const ResourceCycles &each : report.resourceCycles)
      if (each.resource == name)
        return each.cycles;
    ADD_FAILURE() << "no resource " << name;
    return uint64_t(0);
  };
  std::unique_ptr<CostModel> reuse = createCostModel("reuse");
  uint64_t simCycles[2] = {0, 0};
  for (Precision precision : {Precision::Words, Precision::Declared}) {
    SCOPED_TRACE(precisionName(precision));
    bool declared = precision == Precision::Declared;
    Problem problem = typedGemm(1, 1, 64, "i8", "i32", precision);
    Mapping mapping = allInner(problem);
    ASSERT_TRUE(verifyMapping(problem, arch, mapping).empty());
    Evaluation model = reuse->evaluate(problem, arch, mapping);
    ASSERT_TRUE(model.valid());
    EXPECT_EQ(resource(*model.report, "compute"), 64u);
    EXPECT_EQ(resource(*model.report, "DRAM read"), declared ? 32u : 128u);
    EXPECT_EQ(model.report->actions.at(0, 0).reads, 64u); // Elements.
    EXPECT_DOUBLE_EQ(model.report->energy.at(0, 0).reads,
                     declared ? 64 * 100 / 4.0 : 64 * 100.0);
    EXPECT_DOUBLE_EQ(model.report->energy.at(0, 2).updates,
                     double(model.report->actions.at(0, 2).updates) *
                         arch.levels[0].energy.update);

    sim::StructuralOptions options;
    options.functional = true;
    sim::StructuralResult sim =
        sim::simulateStructural(problem, arch, mapping, options);
    ASSERT_EQ(sim.error, "");
    EXPECT_EQ(sim.mismatch, "");
    EXPECT_EQ(sim.report.actions.at(0, 0).reads, 64u);
    EXPECT_DOUBLE_EQ(sim.report.energy.at(0, 0).reads,
                     model.report->energy.at(0, 0).reads);
    simCycles[declared] = sim.report.cycles;
    // The ports' rate sets the run: within 10% of the model either way.
    EXPECT_NEAR(double(sim.report.cycles), double(model.report->cycles),
                0.1 * double(model.report->cycles));
  }
  // Sharing words cuts the fill from 128 cycles to 32.
  EXPECT_GE(simCycles[0], 128u + 64u);
  EXPECT_GE(simCycles[1], 32u + 64u);
  EXPECT_LE(simCycles[1], 32u + 64u + 10u);
}

// The same op with the 32-bit outputs leaving over an 8-bit bus that
// carries one word a cycle: each i32 takes four bus cycles. m = 64, n = 1,
// k = 1: A holds 64 bytes and B one, 65 bus words; the 64 outputs take 64
// bus words as one word each, 256 declared: 192 more bus cycles, in the
// model's bus resource and in the simulated run.
TEST(Packing, WideElementsTakeLinkWordsEach) {
  Arch arch = parseArch(R"(name: narrowbus
compute: {datatype: int8, pipelineLatency: 1}
levels:
  - name: DRAM
    capacity: unbounded
    wordBits: 8
    latency: 1
    network: {topology: bus, bandwidth: 1}
  - {name: Reg, capacity: 1000, wordBits: 8, latency: 1}
)",
                        "narrowbus.yaml");
  std::unique_ptr<CostModel> reuse = createCostModel("reuse");
  uint64_t modelCycles[2] = {0, 0}, simCycles[2] = {0, 0};
  for (Precision precision : {Precision::Words, Precision::Declared}) {
    SCOPED_TRACE(precisionName(precision));
    bool declared = precision == Precision::Declared;
    Problem problem = typedGemm(64, 1, 1, "i8", "i32", precision);
    Mapping mapping = allInner(problem);
    Evaluation model = reuse->evaluate(problem, arch, mapping);
    ASSERT_TRUE(model.valid());
    uint64_t network = 0;
    for (const ResourceCycles &each : model.report->resourceCycles)
      if (each.resource == "DRAM network")
        network = each.cycles;
    EXPECT_EQ(network, declared ? 65u + 256u : 65u + 64u);
    EXPECT_EQ(model.report->actions.at(0, 2).networkWords, 64u); // Elements.
    sim::StructuralOptions options;
    options.functional = true;
    sim::StructuralResult sim =
        sim::simulateStructural(problem, arch, mapping, options);
    ASSERT_EQ(sim.error, "");
    EXPECT_EQ(sim.mismatch, "");
    EXPECT_GE(sim.report.cycles, network);
    modelCycles[declared] = model.report->cycles;
    simCycles[declared] = sim.report.cycles;
  }
  EXPECT_EQ(modelCycles[1] - modelCycles[0], 192u);
  EXPECT_NEAR(double(simCycles[1] - simCycles[0]), 192.0, 10.0);
}

} // namespace
} // namespace tessel::testing
