//===- test/arch/ArchErrorTest.cpp - Bad input names file, line and field -===//
#include "arch/ArchError.h"
#include "arch/Arch.h"
#include "arch/ArchLoader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tessel;

namespace {

std::string inputPath(const std::string &name) {
  return std::string(TESSEL_SOURCE_DIR) + "/test/arch/inputs/" + name;
}

/// The ArchError that `load` throws (a failed expectation if none).
template <typename Load> ArchError errorFrom(Load load) {
  try {
    load();
  } catch (const ArchError &error) {
    return error;
  }
  ADD_FAILURE() << "no ArchError thrown";
  return ArchError("", 0, 0, "");
}

ArchError fileError(const std::string &name) {
  return errorFrom([&] { loadArch(inputPath(name)); });
}

ArchError textError(const std::string &text) {
  return errorFrom([&] { parseArch(text, "inline.yaml"); });
}

void expectAt(const ArchError &error, const std::string &file, unsigned line,
              unsigned column) {
  EXPECT_EQ(error.file(), file);
  EXPECT_EQ(error.line(), line);
  EXPECT_EQ(error.column(), column);
}

TEST(ArchErrorTest, MalformedYaml) {
  ArchError error = fileError("malformed.yaml");
  expectAt(error, inputPath("malformed.yaml"), 6, 9);
  EXPECT_EQ(error.message(), "malformed YAML: end of sequence flow not found");
}

TEST(ArchErrorTest, UnknownFieldListsTheValidOnes) {
  ArchError error = fileError("unknown_field.yaml");
  expectAt(error, inputPath("unknown_field.yaml"), 6, 5);
  EXPECT_EQ(error.message(),
            "level 'GLB': unknown field 'capcity'; expected one of: name, "
            "capacity, keeps, wordBits, banks, ports, readBandwidth, "
            "writeBandwidth, energy, area, leakage, latency, fanout, network, "
            "dram (did you mean 'capacity'?)");
  EXPECT_EQ(std::string(error.what()), inputPath("unknown_field.yaml") +
                                           ":6:5: error: " + error.message());
}

TEST(ArchErrorTest, MissingRequiredField) {
  ArchError error = fileError("missing_field.yaml");
  expectAt(error, inputPath("missing_field.yaml"), 5, 5);
  EXPECT_EQ(error.message(), "level 'GLB': missing required field 'capacity'");
}

TEST(ArchErrorTest, ZeroCapacity) {
  ArchError error = fileError("zero_capacity.yaml");
  expectAt(error, inputPath("zero_capacity.yaml"), 6, 15);
  EXPECT_EQ(error.message(), "level 'GLB': field 'capacity' must be a "
                             "positive integer (words), got '0'");
}

TEST(ArchErrorTest, NegativeFanout) {
  ArchError error = fileError("negative_fanout.yaml");
  expectAt(error, inputPath("negative_fanout.yaml"), 7, 17);
  EXPECT_EQ(error.message(),
            "level 'GLB': field 'fanout' must be a positive integer, got '-2'");
}

TEST(ArchErrorTest, MeshShapeDiffersFromFanout) {
  ArchError error = fileError("mesh_shape.yaml");
  expectAt(error, inputPath("mesh_shape.yaml"), 10, 14);
  EXPECT_EQ(error.message(),
            "level 'GLB' network: field 'shape' 4x2 differs from the level's "
            "fan-out 4x4; a mesh network connects exactly the fan-out's "
            "children, so make them equal");
}

TEST(ArchErrorTest, TreeLeavesDoNotMatchFanout) {
  ArchError error = fileError("tree_leaves.yaml");
  expectAt(error, inputPath("tree_leaves.yaml"), 9, 17);
  EXPECT_EQ(error.message(),
            "level 'GLB' network: topology 'tree' does not fit field 'fanout' "
            "12x1: a radix-2 tree has a power of 2 leaves, not 12; valid leaf "
            "counts near it: 8, 16");
}

TEST(ArchErrorTest, UnknownTopology) {
  ArchError error = fileError("unknown_topology.yaml");
  expectAt(error, inputPath("unknown_topology.yaml"), 8, 25);
  EXPECT_EQ(error.message(),
            "level 'GLB' network: unknown topology 'torus'; expected one of: "
            "bus, tree, systolic, mesh, crossbar");
}

TEST(ArchErrorTest, MissingFile) {
  ArchError error = fileError("no_such_file.yaml");
  expectAt(error, inputPath("no_such_file.yaml"), 0, 0);
  EXPECT_EQ(error.message(), "cannot read the Arch file: no such file");
}

TEST(ArchErrorTest, DirectoryIsNotAFile) {
  ArchError error = fileError(".");
  EXPECT_EQ(error.message(),
            "cannot read the Arch file: it is a directory; give a YAML file");
}

TEST(ArchErrorTest, SecondDocumentIsAnError) {
  ArchError error = textError("name: a\nlevels: []\n---\nname: b\n");
  expectAt(error, "inline.yaml", 3, 1);
  EXPECT_THAT(error.message(), ::testing::HasSubstr("a second YAML document"));
}

// yaml-cpp's LoadAll never returned on this (found by fuzz_arch).
TEST(ArchErrorTest, TextAfterTheDocumentIsAnError) {
  ArchError error = textError("[a]\n,");
  expectAt(error, "inline.yaml", 2, 1);
  EXPECT_EQ(error.message(),
            "unexpected text after the end of the YAML document");
}

TEST(ArchErrorTest, DuplicateKeyNamesBothLines) {
  ArchError error = textError("name: a\nlevels: []\nname: b\n");
  expectAt(error, "inline.yaml", 3, 1);
  EXPECT_EQ(error.message(),
            "duplicate key 'name' (first at line 1); give each key once");
}

TEST(ArchErrorTest, NulByteIsLocated) {
  ArchError error = textError(std::string("name: a\nlevels: [\0]\n", 20));
  expectAt(error, "inline.yaml", 2, 10);
  EXPECT_THAT(error.message(), ::testing::HasSubstr("NUL byte"));
}

TEST(ArchErrorTest, UnknownTopLevelFieldSuggestsTheNearest) {
  ArchError error = textError("name: a\nclockGhz: 1\nlevels: []\n");
  expectAt(error, "inline.yaml", 2, 1);
  EXPECT_EQ(error.message(),
            "arch: unknown field 'clockGhz'; expected one of: name, "
            "description, clockGHz, levels, compute, technology (did you "
            "mean 'clockGHz'?)");
}

TEST(ArchErrorTest, EmptyLevels) {
  ArchError error = textError("name: a\nlevels: []\n");
  expectAt(error, "inline.yaml", 2, 9);
  EXPECT_EQ(error.message(), "arch: field 'levels' must be a non-empty list "
                             "of storage levels, outermost (DRAM) first");
}

TEST(ArchErrorTest, UnboundedOnlyOutermost) {
  ArchError error = textError("name: a\n"
                              "levels:\n"
                              "  - {name: DRAM, capacity: unbounded}\n"
                              "  - {name: L2, capacity: unbounded}\n");
  expectAt(error, "inline.yaml", 4, 26);
  EXPECT_EQ(error.message(),
            "level 'L2': field 'capacity' can be 'unbounded' only on the "
            "outermost level (DRAM); give a number of words");
}

TEST(ArchErrorTest, FanoutWithoutNetwork) {
  ArchError error = textError("name: a\n"
                              "levels:\n"
                              "  - {name: DRAM, capacity: unbounded, "
                              "fanout: [2, 2]}\n");
  expectAt(error, "inline.yaml", 3, 5);
  EXPECT_EQ(error.message(),
            "level 'DRAM': fan-out 2x2 needs a field 'network' to reach its 4 "
            "children; give 'network: {topology: T}' with T one of: bus, "
            "tree, systolic, mesh, crossbar");
}

TEST(ArchErrorTest, UnknownKeptRole) {
  ArchError error = textError("name: a\n"
                              "levels:\n"
                              "  - name: DRAM\n"
                              "    capacity: unbounded\n"
                              "    keeps: [input, weights]\n");
  expectAt(error, "inline.yaml", 5, 20);
  EXPECT_EQ(error.message(),
            "level 'DRAM': field 'keeps': unknown tensor role 'weights'; "
            "expected one of: input, weight, output (did you mean 'weight'?)");
}

TEST(ArchErrorTest, FieldOfAnotherTopology) {
  ArchError error = textError("name: a\n"
                              "levels:\n"
                              "  - name: DRAM\n"
                              "    capacity: unbounded\n"
                              "    fanout: 4\n"
                              "    network: {topology: mesh, radix: 4}\n");
  expectAt(error, "inline.yaml", 6, 38);
  EXPECT_EQ(error.message(), "level 'DRAM' network: field 'radix' applies "
                             "only to topology 'tree', not 'mesh'");
}

TEST(ArchErrorTest, UnknownDatatype) {
  ArchError error = textError("name: a\n"
                              "compute: {datatype: bf16}\n"
                              "levels: [{name: DRAM, capacity: unbounded}]\n");
  expectAt(error, "inline.yaml", 2, 21);
  EXPECT_EQ(error.message(), "compute: unknown datatype 'bf16'; expected one "
                             "of: int8, int16, int32, fp16, fp32");
}

TEST(ArchErrorTest, DuplicateLevelNames) {
  ArchError error = textError("name: a\n"
                              "levels:\n"
                              "  - {name: DRAM, capacity: unbounded}\n"
                              "  - {name: DRAM, capacity: 8}\n");
  expectAt(error, "inline.yaml", 4, 12);
  EXPECT_EQ(error.message(), "level 'DRAM': field 'name' repeats level 1; "
                             "level names must be unique");
}

TEST(ArchErrorTest, WrongTypeForAFlag) {
  ArchError error = textError("name: a\n"
                              "levels:\n"
                              "  - name: DRAM\n"
                              "    capacity: unbounded\n"
                              "    network: {topology: bus, multicast: yes}\n");
  expectAt(error, "inline.yaml", 5, 41);
  EXPECT_EQ(error.message(), "level 'DRAM' network: field 'multicast' must "
                             "be true or false, got 'yes'");
}

TEST(ArchErrorTest, TooManyInstances) {
  ArchError error = textError(
      "name: a\n"
      "levels:\n"
      "  - {name: D, capacity: unbounded, fanout: 65536, network: {topology: "
      "bus}}\n"
      "  - {name: E, capacity: 4, fanout: 65536, network: {topology: bus}}\n"
      "  - {name: F, capacity: 4, fanout: 65536, network: {topology: bus}}\n"
      "  - {name: G, capacity: 4, fanout: 2, network: {topology: bus}}\n");
  expectAt(error, "inline.yaml", 6, 36);
  EXPECT_EQ(error.message(), "level 'G': field 'fanout' makes more than 2^48 "
                             "instances below it");
}

TEST(ArchErrorTest, TooManyChildrenInOneLevel) {
  ArchError error = textError(
      "name: a\n"
      "levels:\n"
      "  - {name: D, capacity: unbounded, fanout: [1024, 1024], network: "
      "{topology: tree}}\n"
      "  - {name: E, capacity: 4}\n");
  expectAt(error, "inline.yaml", 3, 44);
  EXPECT_EQ(error.message(),
            "level 'D': field 'fanout' 1024x1024 has 1048576 children; at "
            "most 65536 per level are supported (nest levels for more)");
}

TEST(ArchErrorTest, NotAMapping) {
  ArchError error = textError("- just\n- a list\n");
  expectAt(error, "inline.yaml", 1, 1);
  EXPECT_EQ(error.message(), "arch: expected a mapping with fields: name, "
                             "description, clockGHz, levels, compute, "
                             "technology");
}

} // namespace

namespace {

const char *kMesh = "name: m\n"
                    "levels:\n"
                    "  - {name: D, capacity: unbounded}\n"
                    "  - {name: B, capacity: 64, fanout: [FANOUT], network: "
                    "{topology: mesh, multicast: true}}\n"
                    "  - {name: P, capacity: 4}\n";

std::string meshWith(const std::string &fanout) {
  std::string text = kMesh;
  text.replace(text.find("FANOUT"), 6, fanout);
  return text;
}

// An Arch edited in code and rebuilt equals the one the loader reads with
// the same fields.
TEST(RebuildArch, EditedFanoutEqualsTheLoadedOne) {
  Arch edited = parseArch(meshWith("4, 4"), "m.yaml");
  edited.levels[1].fanout = {2, 3};
  rebuildArch(edited);
  Arch loaded = parseArch(meshWith("2, 3"), "m.yaml");
  EXPECT_EQ(edited.peCount(), 6u);
  EXPECT_EQ(edited.levels[2].instances, loaded.levels[2].instances);
  const NetworkSummary &a = edited.levels[1].network.summary;
  const NetworkSummary &b = loaded.levels[1].network.summary;
  EXPECT_EQ(a.unicastMaxHops, b.unicastMaxHops);
  EXPECT_EQ(a.broadcastHops, b.broadcastHops);
  EXPECT_DOUBLE_EQ(a.unicastAverageHops, b.unicastAverageHops);
}

TEST(RebuildArch, RefusesWhatTheLoaderRefuses) {
  Arch arch = parseArch(meshWith("4, 4"), "m.yaml");
  arch.levels[1].fanout = {1024, 1024};
  EXPECT_THROW(rebuildArch(arch), ArchError);
  arch = parseArch(meshWith("4, 4"), "m.yaml");
  arch.levels[1].readBandwidth = -1.0;
  EXPECT_THROW(rebuildArch(arch), ArchError);
  arch = parseArch(meshWith("4, 4"), "m.yaml");
  arch.levels[1].network.topology = "hypercube";
  EXPECT_THROW(rebuildArch(arch), ArchError);
}

} // namespace
