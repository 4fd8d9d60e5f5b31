//===- test/arch/AreaErrorTest.cpp - Bad area, leakage, technology fields -===//
#include "arch/ArchError.h"
#include "arch/ArchLoader.h"

#include <gtest/gtest.h>

using namespace tessel;

namespace {

struct Located {
  unsigned line = 0, column = 0;
  std::string message;
};

/// Where and why parseArch refuses `text` (empty message if it does not).
Located errorOf(const std::string &text) {
  try {
    parseArch(text, "bad.yaml");
  } catch (const ArchError &error) {
    return {error.line(), error.column(), error.message()};
  }
  ADD_FAILURE() << "no ArchError for:\n" << text;
  return {};
}

const char *kLevels = R"(
levels:
  - name: DRAM
    capacity: unbounded
  - name: Buf
    capacity: 1024
)";

TEST(AreaErrorTest, NegativeArea) {
  Located error = errorOf("name: x" + std::string(kLevels) + "    area: -5\n");
  EXPECT_EQ(error.line, 7u);
  EXPECT_EQ(error.column, 11u);
  EXPECT_EQ(error.message, "level 'Buf': field 'area' must be a non-negative "
                           "number (um^2), got '-5'");
}

TEST(AreaErrorTest, LeakageThatIsNotANumber) {
  Located error =
      errorOf("name: x" + std::string(kLevels) + "    leakage: lots\n");
  EXPECT_EQ(error.line, 7u);
  EXPECT_EQ(error.column, 14u);
  EXPECT_EQ(error.message, "level 'Buf': field 'leakage' must be a "
                           "non-negative number (mW), got 'lots'");
}

TEST(AreaErrorTest, DramHasNoArea) {
  Located error = errorOf(R"(name: x
levels:
  - name: DRAM
    capacity: unbounded
    area: 10
)");
  EXPECT_EQ(error.line, 5u);
  EXPECT_EQ(error.column, 11u);
  EXPECT_EQ(error.message,
            "level 'DRAM': field 'area': an unbounded level is DRAM, off chip, "
            "and has no area or leakage on the accelerator; remove it");
}

TEST(AreaErrorTest, NetworkAndComputeFields) {
  Located network = errorOf(R"(name: x
levels:
  - name: DRAM
    capacity: unbounded
    fanout: 4
    network: {topology: bus, area: many}
)");
  EXPECT_EQ(network.line, 6u);
  EXPECT_EQ(network.column, 36u);
  EXPECT_EQ(network.message, "level 'DRAM' network: field 'area' must be a "
                             "non-negative number (um^2), got 'many'");
  Located compute =
      errorOf("name: x\ncompute: {macLeakage: -1}" + std::string(kLevels));
  EXPECT_EQ(compute.line, 2u);
  EXPECT_EQ(compute.message, "compute: field 'macLeakage' must be a "
                             "non-negative number (mW), got '-1'");
}

TEST(AreaErrorTest, NodeOutsideTheFactors) {
  Located error =
      errorOf("name: x\ntechnology: {node: 5nm}" + std::string(kLevels));
  EXPECT_EQ(error.line, 2u);
  EXPECT_EQ(error.column, 20u);
  EXPECT_EQ(error.message,
            "technology: field 'node' must be a process node from 7nm to "
            "130nm (published factors at 130, 90, 65, 45, 32, 20, 16, 14, 10, "
            "7 nm; others interpolated), got '5nm'");
  EXPECT_EQ(errorOf("name: x\ntechnology: {node: fast}" + std::string(kLevels))
                .column,
            20u);
}

TEST(AreaErrorTest, SupplyAndUnknownField) {
  Located zero = errorOf("name: x\ntechnology: {node: 16nm, vdd: 0}" +
                         std::string(kLevels));
  EXPECT_EQ(zero.column, 31u);
  EXPECT_EQ(zero.message, "technology: field 'vdd' must be a positive number "
                          "(V), got '0'");
  Located high = errorOf("name: x\ntechnology: {node: 16nm, vdd: 3}" +
                         std::string(kLevels));
  EXPECT_EQ(high.message, "technology: field 'vdd' must be at most 2 V (a "
                          "supply the scaling fits cover), got '3'");
  Located unknown = errorOf("name: x\ntechnology: {node: 16nm, volts: 1}" +
                            std::string(kLevels));
  EXPECT_EQ(unknown.message, "technology: unknown field 'volts'; expected one "
                             "of: node, vdd");
  Located missing =
      errorOf("name: x\ntechnology: {vdd: 1}" + std::string(kLevels));
  EXPECT_EQ(missing.message, "technology: missing required field 'node'");
}

TEST(AreaErrorTest, NodeWithoutUnitIsNanometres) {
  Arch arch = parseArch(
      "name: x\ntechnology: {node: 16}" + std::string(kLevels), "ok.yaml");
  EXPECT_EQ(arch.technology.nodeNm, 16u);
}

} // namespace
