//===- test/arch/DramSpecTest.cpp - DRAM presets and the `dram:` block ----===//
//
// The presets against their datasheets' nanoseconds (converted here, at the
// preset's tCK, rounding up), their peak bandwidth and capacity; the
// loader's `dram:` block (presets, overrides, a full spec) and its located
// errors.
//
//===----------------------------------------------------------------------===//
#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "arch/DramPresets.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

using namespace tessel;

namespace {

const DramSpec &presetSpec(const std::string &name) {
  const DramPreset *preset = findDramPreset(name);
  EXPECT_NE(preset, nullptr) << name;
  static const DramSpec none;
  return preset ? preset->spec : none;
}

/// Cycles of tCK for `ns` nanoseconds, rounded up, at least `minimum`.
unsigned cycles(double ns, double tCK, unsigned minimum = 0) {
  return std::max(minimum, unsigned(std::ceil(ns / tCK - 1e-9)));
}

double tCKOf(const DramSpec &spec) { return 2000 / spec.dataRate; }

double peakBytesPerSecond(const DramSpec &spec) {
  return spec.channels * spec.busBits / 8.0 * spec.dataRate * 1e6;
}

uint64_t capacityBytes(const DramSpec &spec) {
  return uint64_t(spec.channels) * spec.banks() * spec.rows * spec.rowBytes;
}

// Micron MT40A1G8 -062E (DDR4-3200AA 22-22-22) at tCK 0.625 ns: tAA = tRCD
// = tRP = 13.75 ns, tRAS 32, tRC 45.75, tWR 15, tRTP max(4nCK, 7.5),
// tWTR_S max(2nCK, 2.5), tWTR_L max(4nCK, 7.5), tCCD_S 4nCK, tCCD_L
// max(5nCK, 5), tRRD_S max(4nCK, 2.5), tRRD_L max(4nCK, 4.9), tFAW
// max(20nCK, 21) (1 KB page), tRFC1 350 (8 Gb), tREFI 7.8 us (down).
TEST(DramPresetTest, Ddr4MatchesTheMicronSpeedBin) {
  const DramSpec &spec = presetSpec("DDR4-3200");
  double tCK = tCKOf(spec);
  EXPECT_DOUBLE_EQ(tCK, 0.625);
  const DramTiming &t = spec.timing;
  EXPECT_EQ(t.tCL, cycles(13.75, tCK));
  EXPECT_EQ(t.tRCD, cycles(13.75, tCK));
  EXPECT_EQ(t.tRP, cycles(13.75, tCK));
  EXPECT_EQ(t.tRAS, cycles(32, tCK));
  EXPECT_EQ(t.tRC, cycles(45.75, tCK));
  EXPECT_EQ(t.tWR, cycles(15, tCK));
  EXPECT_EQ(t.tRTP, cycles(7.5, tCK, 4));
  EXPECT_EQ(t.tWTR_S, cycles(2.5, tCK, 2));
  EXPECT_EQ(t.tWTR_L, cycles(7.5, tCK, 4));
  EXPECT_EQ(t.tCCD_S, 4u);
  EXPECT_EQ(t.tCCD_L, cycles(5, tCK, 5));
  EXPECT_EQ(t.tRRD_S, cycles(2.5, tCK, 4));
  EXPECT_EQ(t.tRRD_L, cycles(4.9, tCK, 4));
  EXPECT_EQ(t.tFAW, cycles(21, tCK, 20));
  EXPECT_EQ(t.tRFC, cycles(350, tCK));
  EXPECT_EQ(t.tREFI, unsigned(std::floor(7800 / tCK)));
  EXPECT_EQ(t.tCWL, 16u);
  EXPECT_EQ(t.tRTW, t.tCL + spec.burstLength / 2 - t.tCWL + 2);
  EXPECT_DOUBLE_EQ(peakBytesPerSecond(spec), 25.6e9); // PC4-25600.
  EXPECT_EQ(capacityBytes(spec), uint64_t(8) << 30);  // 8 x 8 Gb.
}

// JESD209-4B at tCK 2000/4266 ns: tRCD 18 ns, tRPpb 18, tRAS 42, tWR
// max(6nCK, 18), tRTP max(8nCK, 7.5), tWTR max(8nCK, 10), tRRD max(4nCK,
// 10), tFAW 40, tRFCab 180 (4 Gb per channel), tREFI 3.904 us (down); RL
// 36, WL 18, tCCD = BL/2 = 8; tRTW = RL + RU(3.5 ns / tCK) + BL/2 - WL +
// 2.
TEST(DramPresetTest, Lpddr4MatchesJesd209) {
  const DramSpec &spec = presetSpec("LPDDR4-4266");
  double tCK = tCKOf(spec);
  const DramTiming &t = spec.timing;
  EXPECT_EQ(t.tCL, 36u);
  EXPECT_EQ(t.tCWL, 18u);
  EXPECT_EQ(t.tRCD, cycles(18, tCK, 4));
  EXPECT_EQ(t.tRP, cycles(18, tCK, 4));
  EXPECT_EQ(t.tRAS, cycles(42, tCK, 3));
  EXPECT_EQ(t.tRC, t.tRAS + t.tRP);
  EXPECT_EQ(t.tWR, cycles(18, tCK, 6));
  EXPECT_EQ(t.tRTP, cycles(7.5, tCK, 8));
  EXPECT_EQ(t.tWTR_S, cycles(10, tCK, 8));
  EXPECT_EQ(t.tRRD_S, cycles(10, tCK, 4));
  EXPECT_EQ(t.tFAW, cycles(40, tCK));
  EXPECT_EQ(t.tRFC, cycles(180, tCK));
  EXPECT_EQ(t.tREFI, unsigned(std::floor(3904 / tCK)));
  EXPECT_EQ(t.tCCD_S, spec.burstLength / 2);
  EXPECT_EQ(t.tRTW,
            t.tCL + cycles(3.5, tCK) + spec.burstLength / 2 - t.tCWL + 2);
  EXPECT_EQ(spec.bankGroups, 1u); // No bank groups: the _L are the _S.
  EXPECT_EQ(t.tWTR_L, t.tWTR_S);
  EXPECT_EQ(t.tCCD_L, t.tCCD_S);
  EXPECT_EQ(t.tRRD_L, t.tRRD_S);
  EXPECT_NEAR(peakBytesPerSecond(spec), 2 * 8.532e9, 1e3); // Two x16.
  EXPECT_EQ(capacityBytes(spec), uint64_t(1) << 30);       // One 8 Gb die.
}

// HBM2 at 2 Gbps/pin: a stack of 8 x 128-bit channels moves 256 GB/s and a
// 4-high stack of 8 Gb dies holds 4 GB; tRC = tRAS + tRP, tRTW = CL + BL/2
// + 2 - CWL.
TEST(DramPresetTest, Hbm2IsOneStackAt2Gbps) {
  const DramSpec &spec = presetSpec("HBM2");
  EXPECT_DOUBLE_EQ(tCKOf(spec), 1.0);
  const DramTiming &t = spec.timing;
  EXPECT_EQ(t.tRC, t.tRAS + t.tRP);
  EXPECT_EQ(t.tRTW, t.tCL + spec.burstLength / 2 + 2 - t.tCWL);
  EXPECT_DOUBLE_EQ(peakBytesPerSecond(spec), 256e9);
  EXPECT_EQ(capacityBytes(spec), uint64_t(4) << 30);
}

TEST(DramPresetTest, EveryPresetPassesTheCheck) {
  EXPECT_EQ(dramPresetNames(),
            (std::vector<std::string>{"DDR4-3200", "LPDDR4-4266", "HBM2"}));
  for (const DramPreset &preset : dramPresets()) {
    EXPECT_EQ(preset.spec.preset, preset.name);
    EXPECT_FALSE(preset.source.empty()) << preset.name;
    for (unsigned wordBits : {8, 16, 32, 64})
      EXPECT_FALSE(checkDramSpec(preset.spec, wordBits))
          << preset.name << " " << wordBits;
  }
  EXPECT_EQ(findDramPreset("ddr4-3200"), nullptr);
}

const char *kHeader = "name: t\n"
                      "levels:\n"
                      "  - name: DRAM\n"
                      "    capacity: unbounded\n"
                      "    wordBits: 64\n";
const char *kInner = "  - name: GLB\n"
                     "    capacity: 1024\n";

/// An arch whose DRAM level ends with `dramLines` (indented 4).
std::string archWith(const std::string &dramLines) {
  return std::string(kHeader) + dramLines + kInner;
}

TEST(DramLoaderTest, APresetWithOverrides) {
  Arch arch =
      parseArch(archWith("    dram:\n"
                         "      preset: DDR4-3200\n"
                         "      channels: 2\n"
                         "      refresh: false\n"
                         "      addressMapping: row:column:bank:channel\n"
                         "      timing: {tRCD: 20, tCCD_L: 6}\n"),
                "inline.yaml");
  ASSERT_TRUE(arch.levels[0].dram);
  const DramSpec &spec = *arch.levels[0].dram;
  const DramSpec &preset = presetSpec("DDR4-3200");
  EXPECT_EQ(spec.preset, "DDR4-3200");
  EXPECT_EQ(spec.channels, 2u);
  EXPECT_FALSE(spec.refresh);
  EXPECT_EQ(dramMappingText(spec), "row:column:bank:channel");
  EXPECT_EQ(spec.timing.tRCD, 20u);
  EXPECT_EQ(spec.timing.tCCD_L, 6u);
  EXPECT_EQ(spec.timing.tCL, preset.timing.tCL);
  EXPECT_EQ(spec.timing.tRRD_L, preset.timing.tRRD_L);
  EXPECT_EQ(spec.rowBytes, preset.rowBytes);
  EXPECT_FALSE(arch.levels[1].dram);
}

// Without a preset every field is given; a same-group timing left out
// takes the other-group value, and refresh timing is not needed with
// refresh off.
TEST(DramLoaderTest, AFullSpecWithoutPreset) {
  Arch arch = parseArch(
      archWith("    dram:\n"
               "      dataRate: 1600\n"
               "      channels: 1\n"
               "      busBits: 32\n"
               "      burstLength: 8\n"
               "      bankGroups: 1\n"
               "      banksPerGroup: 8\n"
               "      rows: 1024\n"
               "      rowBytes: 1024\n"
               "      refresh: false\n"
               "      timing: {tCL: 11, tCWL: 8, tRCD: 11, tRP: 11, tRAS: 28,\n"
               "               tRC: 39, tWR: 12, tRTP: 6, tRTW: 9, tWTR_S: 6,\n"
               "               tCCD_S: 4, tRRD_S: 5, tFAW: 24}\n"),
      "inline.yaml");
  const DramSpec &spec = *arch.levels[0].dram;
  EXPECT_EQ(spec.preset, "");
  EXPECT_DOUBLE_EQ(spec.clockGHz(), 0.8);
  EXPECT_EQ(spec.burstBytes(), 32u);
  EXPECT_EQ(spec.timing.tWTR_L, 6u);
  EXPECT_EQ(spec.timing.tCCD_L, 4u);
  EXPECT_EQ(spec.timing.tRRD_L, 5u);
  EXPECT_EQ(dramMappingText(spec), "row:bank:channel:column");
}

TEST(DramLoaderTest, PresetArchsHaveNoDramBlock) {
  for (const std::string &name : presetNames()) {
    Arch arch = loadArchByNameOrPath(name);
    for (const StorageLevel &level : arch.levels)
      EXPECT_FALSE(level.dram) << name << " " << level.name;
  }
}

/// The ArchError that parsing `text` throws.
ArchError errorOf(const std::string &text) {
  try {
    parseArch(text, "inline.yaml");
  } catch (const ArchError &error) {
    return error;
  }
  ADD_FAILURE() << "no ArchError for:\n" << text;
  return ArchError("", 0, 0, "");
}

/// Expects `error` at the first `token` on line `line` of `text`.
void expectAt(const ArchError &error, const std::string &text, unsigned line,
              const std::string &token) {
  std::istringstream lines(text);
  std::string content;
  for (unsigned i = 0; i < line; ++i)
    std::getline(lines, content);
  size_t column = content.find(token);
  ASSERT_NE(column, std::string::npos) << "'" << token << "' on " << line;
  EXPECT_EQ(error.file(), "inline.yaml");
  EXPECT_EQ(error.line(), line);
  EXPECT_EQ(error.column(), unsigned(column + 1)) << error.what();
}

struct BadDram {
  const char *name;
  std::string dramLines; ///< Starting at line 6.
  unsigned line;         ///< Where the error must point...
  const char *token;     ///< ...at this token.
  std::string message;
};

const std::string kDramFieldList =
    "preset, dataRate, channels, busBits, burstLength, bankGroups, "
    "banksPerGroup, rows, rowBytes, queueDepth, refresh, addressMapping, "
    "timing";
const std::string kTimingList =
    "tCL, tCWL, tRCD, tRP, tRAS, tRC, tWR, tRTP, tRTW, tWTR_S, tWTR_L, "
    "tCCD_S, tCCD_L, tRRD_S, tRRD_L, tFAW, tREFI, tRFC";

class DramLoaderErrorTest : public testing::TestWithParam<BadDram> {};

TEST_P(DramLoaderErrorTest, IsLocatedAndSaysWhatWouldBeRight) {
  const BadDram &bad = GetParam();
  std::string text = archWith(bad.dramLines);
  ArchError error = errorOf(text);
  expectAt(error, text, bad.line, bad.token);
  EXPECT_EQ(error.message(), bad.message);
}

INSTANTIATE_TEST_SUITE_P(
    DramLoaderTest, DramLoaderErrorTest,
    testing::Values(
        BadDram{"UnknownField", "    dram: {preset: DDR4-3200, chanels: 2}\n",
                6, "chanels",
                "level 'DRAM' dram: unknown field 'chanels'; expected one "
                "of: " +
                    kDramFieldList + " (did you mean 'channels'?)"},
        BadDram{"UnknownPreset", "    dram: {preset: DDR4-2400}\n", 6,
                "DDR4-2400",
                "level 'DRAM' dram: unknown preset 'DDR4-2400'; expected one "
                "of: DDR4-3200, LPDDR4-4266, HBM2 (did you mean "
                "'DDR4-3200'?)"},
        BadDram{"WrongType", "    dram: {preset: HBM2, channels: two}\n", 6,
                "two",
                "level 'DRAM' dram: field 'channels' must be a positive "
                "integer, got 'two'"},
        BadDram{"NotAMapping", "    dram: DDR4-3200\n", 6, "DDR4-3200",
                "level 'DRAM' dram: expected a mapping with fields: " +
                    kDramFieldList},
        BadDram{"UnknownTimingField",
                "    dram:\n      preset: DDR4-3200\n      timing: {trcd: "
                "20}\n",
                8, "trcd",
                "level 'DRAM' dram timing: unknown field 'trcd'; expected "
                "one of: " +
                    kTimingList + " (did you mean 'tRCD'?)"},
        BadDram{"NegativeTiming",
                "    dram: {preset: DDR4-3200, timing: {tRP: -1}}\n", 6, "-1",
                "level 'DRAM' dram timing: field 'tRP' must be a "
                "non-negative integer (DRAM clock cycles, tCK), got '-1'"},
        BadDram{"WrongFlag", "    dram: {preset: HBM2, refresh: yes}\n", 6,
                "yes",
                "level 'DRAM' dram: field 'refresh' must be true or false, "
                "got 'yes'"},
        BadDram{"MappingWithAnUnknownField",
                "    dram: {preset: HBM2, addressMapping: "
                "row:bank:chanel:column}\n",
                6, "row:",
                "level 'DRAM' dram: field 'addressMapping': unknown field "
                "'chanel'; expected one of: row, bank, channel, column (did "
                "you mean 'channel'?)"},
        BadDram{"MappingWithTooFewFields",
                "    dram: {preset: HBM2, addressMapping: row:bank}\n", 6,
                "row:",
                "level 'DRAM' dram: field 'addressMapping' must name each of "
                "row, bank, channel, column once, most significant first, "
                "separated by ':' (the default is row:bank:channel:column); "
                "got 'row:bank'"},
        BadDram{"MappingWithAFieldTwice",
                "    dram: {preset: HBM2, addressMapping: "
                "row:bank:bank:column}\n",
                6, "row:",
                "level 'DRAM' dram: field 'addressMapping' names 'bank' "
                "twice; give each of row, bank, channel, column once"},
        BadDram{"OddBurstLength",
                "    dram: {preset: DDR4-3200, burstLength: 7}\n", 6, "7",
                "level 'DRAM' dram: field 'burstLength' must be even (a DDR "
                "burst moves two transfers per clock), got 7"},
        BadDram{"RowNotWholeBursts",
                "    dram: {preset: DDR4-3200, rowBytes: 100}\n", 6, "100",
                "level 'DRAM' dram: field 'rowBytes' must be a multiple of "
                "the burst (64 bytes), got 100"},
        BadDram{"RefreshLongerThanItsInterval",
                "    dram: {preset: DDR4-3200, timing: {tRFC: 20000}}\n", 6,
                "20000",
                "level 'DRAM' dram: tRFC 20000 must be below tREFI 12480 (a "
                "refresh must end before the next is due); or give "
                "'refresh: false'"},
        BadDram{"NoPresetAndAFieldMissing", "    dram: {channels: 2}\n", 6, "{",
                "level 'DRAM' dram: missing required field 'dataRate' (or "
                "give 'preset: NAME', NAME one of: DDR4-3200, LPDDR4-4266, "
                "HBM2)"},
        BadDram{"NoPresetAndATimingMissing",
                "    dram: {dataRate: 1600, channels: 1, busBits: 32, "
                "burstLength: 8,\n"
                "           bankGroups: 1, banksPerGroup: 8, rows: 64, "
                "rowBytes: 1024,\n"
                "           timing: {tCL: 11}}\n",
                8, "{tCL",
                "level 'DRAM' dram timing: missing required field 'tCWL' (no "
                "preset gives it)"}),
    [](const testing::TestParamInfo<BadDram> &info) {
      return std::string(info.param.name);
    });

// A 512-bit DDR4 burst is not whole 24-bit words.
TEST(DramLoaderTest, ABurstMustBeWholeWords) {
  std::string text = "name: t\n"
                     "levels:\n"
                     "  - name: DRAM\n"
                     "    capacity: unbounded\n"
                     "    wordBits: 24\n"
                     "    dram: {preset: DDR4-3200}\n";
  ArchError error = errorOf(text);
  expectAt(error, text, 6, "{");
  EXPECT_EQ(error.message(),
            "level 'DRAM' dram: a burst (busBits 64 x burstLength 8 = 512 "
            "bits) must hold a whole number of the level's 24-bit words");
}

TEST(DramLoaderTest, OnlyTheOutermostLevelHasADramBlock) {
  std::string text = "name: t\n"
                     "levels:\n"
                     "  - name: DRAM\n"
                     "    capacity: unbounded\n"
                     "  - name: GLB\n"
                     "    capacity: 1024\n"
                     "    dram: {preset: HBM2}\n";
  ArchError error = errorOf(text);
  expectAt(error, text, 7, "{");
  EXPECT_EQ(error.message(),
            "level 'GLB': field 'dram' belongs on the outermost level (level "
            "1), the one DRAM backs; move it there");
}

// What a sweep or Python edits is checked as the loader would.
TEST(DramLoaderTest, RebuildChecksTheDramBlock) {
  Arch arch =
      parseArch(archWith("    dram: {preset: DDR4-3200}\n"), "inline.yaml");
  arch.levels[0].wordBits = 24;
  EXPECT_THROW(rebuildArch(arch), ArchError);
  arch.levels[0].wordBits = 64;
  rebuildArch(arch);
  arch.levels[1].dram = arch.levels[0].dram;
  EXPECT_THROW(rebuildArch(arch), ArchError);
}

} // namespace
