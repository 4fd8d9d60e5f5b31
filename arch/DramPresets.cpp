//===- arch/DramPresets.cpp - The DRAM preset table and the spec check ----===//
//
// One row per device. Timings are in DRAM clock cycles (tCK = 2000 /
// dataRate ns); where a datasheet gives nanoseconds (or "max(n nCK, t ns)")
// the cycles are t / tCK rounded up, as JEDEC's rounding rules do, except
// tREFI, a maximum interval, which is rounded down. Sources per row; the
// same table with its sources is in docs/arch.md ("DRAM presets").
//
//===----------------------------------------------------------------------===//
#include "arch/DramPresets.h"

#include <cmath>

namespace tessel {
namespace {

/// The organisation half of a row of the table.
struct Organisation {
  double dataRate; ///< MT/s.
  unsigned channels, busBits, burstLength, bankGroups, banksPerGroup;
  uint64_t rows;
  unsigned rowBytes;
};

DramPreset preset(const char *name, const char *source,
                  const Organisation &organisation, const DramTiming &timing) {
  DramPreset row{name, source, DramSpec()};
  DramSpec &spec = row.spec;
  spec.preset = name;
  spec.dataRate = organisation.dataRate;
  spec.channels = organisation.channels;
  spec.busBits = organisation.busBits;
  spec.burstLength = organisation.burstLength;
  spec.bankGroups = organisation.bankGroups;
  spec.banksPerGroup = organisation.banksPerGroup;
  spec.rows = organisation.rows;
  spec.rowBytes = organisation.rowBytes;
  spec.timing = timing;
  return row;
}

std::vector<DramPreset> makePresets() {
  return {
      // DDR4-3200AA (22-22-22), tCK 0.625 ns: one 64-bit rank of eight x8
      // 8 Gb devices (16 banks in 4 bank groups, 64K rows, 1 KB page each,
      // so an 8 KB row per channel). From the ns values: tAA = tRCD = tRP
      // 13.75, tRAS 32, tRC 45.75, tWR 15, tRTP max(4nCK, 7.5), tWTR_S/_L
      // max(2nCK, 2.5)/max(4nCK, 7.5), tCCD_L max(5nCK, 5), tRRD_S/_L
      // max(4nCK, 2.5)/max(4nCK, 4.9) and tFAW max(20nCK, 21) for the 1 KB
      // page, tRFC1 350 (8 Gb), tREFI 7.8 us; CWL 16; tRTW = CL + BL/2 -
      // CWL + 2 (1 tCK write preamble).
      preset("DDR4-3200",
             "Micron 8Gb DDR4 SDRAM data sheet (MT40A1G8, x8), speed grade "
             "-062E = JESD79-4 DDR4-3200AA 22-22-22",
             // MT/s ch bus BL groups banks/group rows rowBytes
             {3200, 1, 64, 8, 4, 4, 65536, 8192},
             // CL CWL RCD RP RAS  RC WR RTP RTW WTR_S WTR_L CCD_S CCD_L
             {22, 16, 22, 22, 52, 74, 24, 12, 12, 4, 12, 4, 8,
              // RRD_S RRD_L FAW REFI RFC
              4, 8, 34, 12480, 560}),
      // LPDDR4-4266, tCK 2000/4266 = 0.4688 ns: one 8 Gb die, two x16
      // channels of 4 Gb (8 banks, 32K rows, 2 KB page), BL16. RL 36 (read
      // DBI off) and WL 18 (set A) for 1866 < f <= 2133 MHz; tRCD 18 ns,
      // tRPpb 18 ns (the model precharges per bank), tRAS 42 ns, tRC = tRAS
      // + tRPpb in cycles, tWR max(6nCK, 18), tRTP max(8nCK, 7.5), tWTR
      // max(8nCK, 10), tCCD 8 (BL/2), tRRD max(4nCK, 10), tFAW 40, tRFCab
      // 180 ns (4 Gb per channel), tREFI 3.904 us; tRTW = RL +
      // RU(tDQSCKmax 3.5 ns / tCK) + BL/2 - WL + tWPRE (2) + RD(tRPST).
      preset("LPDDR4-4266",
             "JEDEC JESD209-4B (LPDDR4) AC and core timing tables; the ns "
             "values agree with the JESD209-4 speed table of Ramulator "
             "(CMU-SAFARI/ramulator, src/LPDDR4.h) at 3200 MT/s",
             // MT/s ch bus BL groups banks/group rows rowBytes
             {4266, 2, 16, 16, 1, 8, 32768, 2048},
             // CL CWL RCD RP RAS   RC WR RTP RTW WTR_S WTR_L CCD_S CCD_L
             {36, 18, 39, 39, 90, 129, 39, 16, 36, 22, 22, 8, 8,
              // RRD_S RRD_L FAW REFI RFC
              22, 22, 86, 8327, 384}),
      // HBM2 at 2 Gbps/pin (tCK 1 ns), one stack in legacy mode: 8 channels
      // of 128 bits, BL4, 16 banks in 4 bank groups, 32K rows, 1 KB page
      // (pseudo-channels are not modelled). tRCD is tRCDRD (= tRCDWR here),
      // tRTP is tRTP_L (a precharge after a read is in the read's own bank
      // group), tRC = tRAS + tRP, tRTW = CL + BL/2 + 2 - CWL.
      preset("HBM2",
             "JEDEC JESD235A organisation (the standard itself is not "
             "public); timing and organisation from DRAMsim3's HBM2 "
             "configuration (umd-memsys/DRAMsim3, configs/HBM2_8Gb_x128.ini)",
             // MT/s ch bus BL groups banks/group rows rowBytes
             {2000, 8, 128, 4, 4, 4, 32768, 1024},
             // CL CWL RCD RP RAS RC WR RTP RTW WTR_S WTR_L CCD_S CCD_L
             {14, 4, 14, 14, 34, 48, 16, 6, 14, 6, 8, 1, 2,
              // RRD_S RRD_L FAW REFI RFC
              4, 6, 30, 3900, 260}),
  };
}

} // namespace

const std::vector<DramPreset> &dramPresets() {
  static const std::vector<DramPreset> presets = makePresets();
  return presets;
}

const DramPreset *findDramPreset(const std::string &name) {
  for (const DramPreset &preset : dramPresets())
    if (preset.name == name)
      return &preset;
  return nullptr;
}

std::vector<std::string> dramPresetNames() {
  std::vector<std::string> names;
  for (const DramPreset &preset : dramPresets())
    names.push_back(preset.name);
  return names;
}

const std::vector<DramTimingField> &dramTimingFields() {
  using T = DramTiming;
  static const std::vector<DramTimingField> fields = {
      {"tCL", &T::tCL},
      {"tCWL", &T::tCWL},
      {"tRCD", &T::tRCD},
      {"tRP", &T::tRP},
      {"tRAS", &T::tRAS},
      {"tRC", &T::tRC},
      {"tWR", &T::tWR},
      {"tRTP", &T::tRTP},
      {"tRTW", &T::tRTW},
      {"tWTR_S", &T::tWTR_S},
      {"tWTR_L", &T::tWTR_L, &T::tWTR_S},
      {"tCCD_S", &T::tCCD_S},
      {"tCCD_L", &T::tCCD_L, &T::tCCD_S},
      {"tRRD_S", &T::tRRD_S},
      {"tRRD_L", &T::tRRD_L, &T::tRRD_S},
      {"tFAW", &T::tFAW},
      {"tREFI", &T::tREFI, nullptr, true},
      {"tRFC", &T::tRFC, nullptr, true},
  };
  return fields;
}

std::string dramMappingText(const DramSpec &spec) {
  std::string text;
  for (DramField field : spec.addressMapping)
    text += (text.empty() ? "" : ":") + std::string(dramFieldName(field));
  return text;
}

std::optional<DramSpecProblem> checkDramSpec(const DramSpec &spec,
                                             unsigned wordBits) {
  auto problem = [](const char *field, std::string message) {
    return std::optional<DramSpecProblem>(
        DramSpecProblem{field, std::move(message)});
  };
  if (!(spec.dataRate > 0 && std::isfinite(spec.dataRate)))
    return problem("dataRate",
                   "field 'dataRate' must be a positive number (MT/s)");
  // The largest values are far beyond any device; they keep the model's
  // tables small and its arithmetic in range.
  struct Count {
    const char *field;
    uint64_t value, most;
  };
  for (const Count &count :
       {Count{"channels", spec.channels, kMaxDramChannels},
        Count{"busBits", spec.busBits, 4096},
        Count{"burstLength", spec.burstLength, 1024},
        Count{"bankGroups", spec.bankGroups, kMaxDramBanks},
        Count{"banksPerGroup", spec.banksPerGroup, kMaxDramBanks},
        Count{"rows", spec.rows, uint64_t(1) << 40},
        Count{"rowBytes", spec.rowBytes, uint64_t(1) << 30},
        Count{"queueDepth", spec.queueDepth, 65536}})
    if (count.value == 0 || count.value > count.most)
      return problem(count.field, "field '" + std::string(count.field) +
                                      "' must be from 1 to " +
                                      std::to_string(count.most) + ", got " +
                                      std::to_string(count.value));
  if (spec.banks() > kMaxDramBanks)
    return problem("banksPerGroup", "bankGroups x banksPerGroup must be at "
                                    "most " +
                                        std::to_string(kMaxDramBanks) +
                                        ", got " +
                                        std::to_string(spec.banks()));
  if (spec.burstLength % 2 != 0)
    return problem("burstLength",
                   "field 'burstLength' must be even (a DDR burst moves two "
                   "transfers per clock), got " +
                       std::to_string(spec.burstLength));
  uint64_t burstBits = uint64_t(spec.busBits) * spec.burstLength;
  std::string burst = "a burst (busBits " + std::to_string(spec.busBits) +
                      " x burstLength " + std::to_string(spec.burstLength) +
                      " = " + std::to_string(burstBits) + " bits)";
  if (burstBits % 8 != 0)
    return problem("busBits", burst + " must be whole bytes");
  if (wordBits == 0 || burstBits % wordBits != 0)
    return problem("busBits", burst +
                                  " must hold a whole number of the level's " +
                                  std::to_string(wordBits) + "-bit words");
  if (spec.rowBytes % spec.burstBytes() != 0)
    return problem("rowBytes", "field 'rowBytes' must be a multiple of the "
                               "burst (" +
                                   std::to_string(spec.burstBytes()) +
                                   " bytes), got " +
                                   std::to_string(spec.rowBytes));
  for (unsigned f = 0; f < kDramFieldCount; ++f)
    for (unsigned g = f + 1; g < kDramFieldCount; ++g)
      if (spec.addressMapping[f] == spec.addressMapping[g])
        return problem("addressMapping",
                       "field 'addressMapping' names '" +
                           std::string(dramFieldName(spec.addressMapping[f])) +
                           "' twice; give each of row, bank, channel, column "
                           "once");
  if (spec.refresh && spec.timing.tRFC >= spec.timing.tREFI)
    return problem("timing.tRFC",
                   "tRFC " + std::to_string(spec.timing.tRFC) +
                       " must be below tREFI " +
                       std::to_string(spec.timing.tREFI) +
                       " (a refresh must end before the next is due); or "
                       "give 'refresh: false'");
  return std::nullopt;
}

} // namespace tessel
