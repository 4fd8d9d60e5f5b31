//===- test/sim/DramTest.cpp - The DRAM model against hand-worked timing --===//
//
// Each expectation is worked out by hand in the comment above it, from the
// DDR4-3200 preset's timing (DRAM cycles, tCK 0.625 ns): tCL 22, tCWL 16,
// tRCD 22, tRP 22, tRAS 52, tRC 74, tWR 24, tRTP 12, tRTW 12, tWTR_S/_L
// 4/12, tCCD_S/_L 4/8, tRRD_S/_L 4/8, tFAW 34, tREFI 12480, tRFC 560, and
// BL8, so tBURST = 4. Unless a test says otherwise the accelerator runs at
// the DRAM clock (1.6 GHz), so DRAM cycles and accelerator cycles are the
// same numbers, and words are 64 bits: 8 words to a 64-byte burst.
//
// The random streams are checked against an open-row tracker written here,
// which shares no code with the model.
//
//===----------------------------------------------------------------------===//
#include "sim/Dram.h"

#include "arch/DramPresets.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <tuple>
#include <vector>

namespace tessel::sim {
namespace {

constexpr uint64_t kUnset = ~uint64_t(0);
constexpr unsigned kWordBits = 64;
constexpr unsigned kWordsPerBurst = 8; // 64 x 8 bits / 64.

DramSpec ddr4(bool refresh = false) {
  DramSpec spec = findDramPreset("DDR4-3200")->spec;
  spec.refresh = refresh;
  return spec;
}

/// The first word of the burst at (channel, bank, row, column) under the
/// default row:bank:channel:column mapping, written out independently of
/// Dram::locate.
uint64_t wordAt(const DramSpec &spec, unsigned channel, unsigned bank,
                uint64_t row, unsigned column) {
  uint64_t burst = ((row * spec.banks() + bank) * spec.channels + channel) *
                       spec.burstsPerRow() +
                   column;
  return burst * (spec.busBits * spec.burstLength / kWordBits);
}

struct Request {
  uint64_t cycle; ///< Made at this accelerator cycle (or when there is room).
  uint64_t word;
  bool write = false;
};

/// Runs `requests` in order, each at its cycle or as soon as its channel's
/// queue has room after it, until all complete; tag = index. Returns each
/// request's completion cycle; `order` gets the tags in completion order.
std::vector<uint64_t> run(Dram &dram, const std::vector<Request> &requests,
                          std::vector<uint64_t> *order = nullptr) {
  std::vector<uint64_t> done(requests.size(), kUnset);
  size_t next = 0, completed = 0;
  uint64_t cycle = dram.now();
  for (unsigned step = 0; completed < requests.size(); ++step) {
    if (step > 10000000) {
      ADD_FAILURE() << "the DRAM stopped with " << completed << " of "
                    << requests.size() << " requests done";
      break;
    }
    dram.advanceTo(cycle);
    while (std::optional<DramCompletion> completion = dram.popCompleted()) {
      EXPECT_EQ(done.at(completion->tag), kUnset)
          << "tag " << completion->tag << " completed twice";
      EXPECT_EQ(completion->write, requests[completion->tag].write);
      done[completion->tag] = completion->cycle;
      if (order)
        order->push_back(completion->tag);
      ++completed;
    }
    while (next < requests.size() && requests[next].cycle <= cycle &&
           dram.canAccept(dram.locate(requests[next].word).channel)) {
      dram.request(requests[next].word, requests[next].write, next);
      ++next;
    }
    uint64_t wake = dram.nextEvent();
    if (next < requests.size() && requests[next].cycle > cycle)
      wake = std::min(wake, requests[next].cycle);
    cycle = std::max(wake, cycle + 1);
  }
  return done;
}

Dram makeDram(const DramSpec &spec, double clockGHz = 1.6) {
  return Dram(spec, clockGHz, kWordBits);
}

// ACT at 0; READ at tRCD = 22; data from 22 + tCL = 44 for tBURST = 4
// cycles: done at 48 = tRCD + tCL + tBURST.
TEST(DramTest, ClosedBankCostsRcdClAndBurst) {
  DramSpec spec = ddr4();
  Dram dram = makeDram(spec);
  std::vector<uint64_t> done = run(dram, {{0, wordAt(spec, 0, 0, 0, 0)}});
  EXPECT_EQ(done[0], 48u);
  const DramBankCounts &bank = dram.bankCounts(0, 0);
  EXPECT_EQ(bank.rowMisses, 1u);
  EXPECT_EQ(bank.rowHits, 0u);
  EXPECT_EQ(bank.activates, 1u);
  EXPECT_EQ(bank.reads, 1u);
}

// The first read opens row 0 (done 48). At 100 a read of another column of
// that row issues at once: done 100 + tCL + tBURST = 126.
TEST(DramTest, RowHitCostsClAndBurst) {
  DramSpec spec = ddr4();
  Dram dram = makeDram(spec);
  std::vector<uint64_t> done = run(
      dram, {{0, wordAt(spec, 0, 0, 0, 0)}, {100, wordAt(spec, 0, 0, 0, 5)}});
  EXPECT_EQ(done[1], 126u);
  const DramBankCounts &bank = dram.bankCounts(0, 0);
  EXPECT_EQ(bank.rowHits, 1u);
  EXPECT_EQ(bank.rowMisses, 1u);
  EXPECT_EQ(bank.activates, 1u);
}

// Row 0 is open; at 200 (tRAS long past) row 1 of the same bank: PRE at
// 200, ACT at 222, READ at 244, done 270 = 200 + tRP + tRCD + tCL + tBURST.
TEST(DramTest, RowConflictCostsRpRcdClAndBurst) {
  DramSpec spec = ddr4();
  Dram dram = makeDram(spec);
  std::vector<uint64_t> done = run(
      dram, {{0, wordAt(spec, 0, 0, 0, 0)}, {200, wordAt(spec, 0, 0, 1, 0)}});
  EXPECT_EQ(done[1], 270u);
  const DramBankCounts &bank = dram.bankCounts(0, 0);
  EXPECT_EQ(bank.rowConflicts, 1u);
  EXPECT_EQ(bank.precharges, 1u);
  EXPECT_EQ(bank.activates, 2u);
}

// The conflicting read comes at 48, right after the first: PRE waits for
// max(ACT 0 + tRAS 52, READ 22 + tRTP 12) = 52; ACT at 74, READ at 96,
// done 122. With tRAS 80 instead: PRE 80, ACT 102 (tRC 74 long met), READ
// 124, done 150.
TEST(DramTest, RowConflictWaitsForTrasSinceTheActivate) {
  DramSpec spec = ddr4();
  std::vector<Request> requests = {{0, wordAt(spec, 0, 0, 0, 0)},
                                   {48, wordAt(spec, 0, 0, 1, 0)}};
  Dram dram = makeDram(spec);
  EXPECT_EQ(run(dram, requests)[1], 122u);
  spec.timing.tRAS = 80;
  Dram longRas = makeDram(spec);
  EXPECT_EQ(run(longRas, requests)[1], 150u);
}

// A row is closed only when the bank's earlier commands allow it. After a
// WRITE at 22 (data 38-42), a conflicting read made at 42 precharges at
// 42 + tWR = 66 (tRAS ends at 52): ACT 88, READ 110, done 136. After a hit
// READ at 100 (made with the conflict at 100; the open row stays open for
// the hit), PRE at 100 + tRTP = 112: ACT 134, READ 156, done 182. With tRC
// raised to 100, a conflict made at 48 precharges at 52 (tRAS) but
// activates at 100 (not 74): READ 122, done 148.
TEST(DramTest, PrechargeWaitsForWriteRecoveryAndReadToPrecharge) {
  DramSpec spec = ddr4();
  Dram afterWrite = makeDram(spec);
  EXPECT_EQ(run(afterWrite, {{0, wordAt(spec, 0, 0, 0, 0), true},
                             {42, wordAt(spec, 0, 0, 1, 0)}})[1],
            136u);
  Dram afterRead = makeDram(spec);
  std::vector<uint64_t> done =
      run(afterRead, {{0, wordAt(spec, 0, 0, 0, 0)},
                      {100, wordAt(spec, 0, 0, 1, 0)},
                      {100, wordAt(spec, 0, 0, 0, 1)}});
  EXPECT_EQ(done[2], 126u);
  EXPECT_EQ(done[1], 182u);
  spec.timing.tRC = 100;
  Dram longRc = makeDram(spec);
  EXPECT_EQ(run(longRc, {{0, wordAt(spec, 0, 0, 0, 0)},
                         {48, wordAt(spec, 0, 0, 1, 0)}})[1],
            148u);
}

// Banks 0 and 1 (bank groups 0 and 1), both at 0: ACT0 at 0, ACT1 at
// tRRD_S = 4, READ0 at 22, READ1 at 26 (tRCD after 4, tCCD_S after 22):
// done 48 and 52, where one after the other would take 96. With tRRD and
// tCCD of 1, READ1 could go at 23, but its data (from 45) would overlap
// the first burst's (44-48) on the one data bus: READ1 at 26, done 52.
TEST(DramTest, TwoBanksOverlapButShareTheDataBus) {
  DramSpec spec = ddr4();
  std::vector<Request> requests = {{0, wordAt(spec, 0, 0, 0, 0)},
                                   {0, wordAt(spec, 0, 1, 0, 0)}};
  Dram dram = makeDram(spec);
  std::vector<uint64_t> done = run(dram, requests);
  EXPECT_EQ(done[0], 48u);
  EXPECT_EQ(done[1], 52u);
  EXPECT_EQ(dram.channelCounts(0).bursts, 2u);
  EXPECT_EQ(dram.channelCounts(0).dataBusBusyCycles, 8u);

  spec.timing.tRRD_S = spec.timing.tRRD_L = 1;
  spec.timing.tCCD_S = spec.timing.tCCD_L = 1;
  Dram busOnly = makeDram(spec);
  done = run(busOnly, requests);
  EXPECT_EQ(done[0], 48u);
  EXPECT_EQ(done[1], 52u);
}

// With tCCD_S raised to 6 (above tBURST), the second READ of the test above
// waits for it: READ1 at 22 + 6 = 28, done 54.
TEST(DramTest, ReadsToAnotherBankGroupWaitTccdS) {
  DramSpec spec = ddr4();
  spec.timing.tCCD_S = 6;
  Dram dram = makeDram(spec);
  EXPECT_EQ(run(dram, {{0, wordAt(spec, 0, 0, 0, 0)},
                       {0, wordAt(spec, 0, 1, 0, 0)}})[1],
            54u);
}

// Banks 0-4 (groups 0, 1, 2, 3, 0) at 0: ACTs at 0, 4, 8, 12 (tRRD_S),
// then the fifth may go only tFAW after the first: 34 (not 16). At 34 the
// fourth READ is ready too, and one command issues per cycle: the READ
// (the hit) at 34, the ACT at 35. READs at 22, 26, 30, 34 and 57: the
// last is done 57 + 26 = 83.
TEST(DramTest, AFifthActivateWaitsForTheFourActivateWindow) {
  DramSpec spec = ddr4();
  std::vector<Request> requests;
  for (unsigned bank = 0; bank < 5; ++bank)
    requests.push_back({0, wordAt(spec, 0, bank, 0, 0)});
  Dram dram = makeDram(spec);
  std::vector<uint64_t> done = run(dram, requests);
  EXPECT_EQ(done, (std::vector<uint64_t>{48, 52, 56, 60, 83}));
}

// Banks 0 and 4 share bank group 0. With tRRD_L raised to 20 (so that it,
// not tCCD_L, binds): ACT0 at 0, ACT4 at 20, READ4 at 42, done 68. Bank 1
// (group 1) needs only tRRD_S: ACT at 4, READ at 26, done 52.
TEST(DramTest, ActivatesInOneBankGroupWaitTrrdL) {
  DramSpec spec = ddr4();
  spec.timing.tRRD_L = 20;
  Dram sameGroup = makeDram(spec);
  EXPECT_EQ(run(sameGroup, {{0, wordAt(spec, 0, 0, 0, 0)},
                            {0, wordAt(spec, 0, 4, 0, 0)}})[1],
            68u);
  Dram otherGroup = makeDram(spec);
  EXPECT_EQ(run(otherGroup, {{0, wordAt(spec, 0, 0, 0, 0)},
                             {0, wordAt(spec, 0, 1, 0, 0)}})[1],
            52u);
}

// Row 0 of bank 0 is open. At 100 come B (bank 1, closed: ACT) and then C
// (bank 0, row 0: a hit); both can issue at 100. FR-FCFS issues the hit
// first: C's READ at 100 (done 126), B's ACT at 101, READ at 123, done
// 149. (Oldest first would give C 127 and B 148.)
TEST(DramTest, ARowHitGoesBeforeAnOlderActivateReadyAtTheSameCycle) {
  DramSpec spec = ddr4();
  Dram dram = makeDram(spec);
  std::vector<uint64_t> done = run(dram, {{0, wordAt(spec, 0, 0, 0, 0)},
                                          {100, wordAt(spec, 0, 1, 0, 0)},
                                          {100, wordAt(spec, 0, 0, 0, 1)}});
  EXPECT_EQ(done[2], 126u);
  EXPECT_EQ(done[1], 149u);
}

/// The gaps between consecutive completions of channel 0, leaving out the
/// first and the last `skip` (rows opening, the queue draining), for
/// `count` bursts read in address order.
std::vector<uint64_t> streamGaps(const DramSpec &spec, unsigned count,
                                 unsigned skip) {
  Dram dram(spec, spec.clockGHz(), kWordBits);
  std::vector<Request> requests;
  for (unsigned i = 0; i < count; ++i)
    requests.push_back({0, uint64_t(i) * dram.wordsPerBurst()});
  std::vector<uint64_t> done = run(dram, requests);
  std::vector<uint64_t> channel0;
  for (unsigned i = 0; i < count; ++i)
    if (dram.locate(requests[i].word).channel == 0)
      channel0.push_back(done[i]);
  std::sort(channel0.begin(), channel0.end());
  std::vector<uint64_t> gaps;
  for (size_t i = skip + 1; i + skip < channel0.size(); ++i)
    gaps.push_back(channel0[i] - channel0[i - 1]);
  return gaps;
}

// A stream of hits interleaved over the bank groups (mapping
// row:column:bank:channel: consecutive bursts go to the next channel, then
// the next bank, whose group is bank % bankGroups) sustains one burst per
// tBURST on every channel once each bank's row is open: the peak of the
// datasheet, dataRate x busBits / 8 per channel: DDR4-3200 x64 25.6 GB/s,
// LPDDR4-4266 x16 8.532 GB/s, HBM2 2 Gbps x128 32 GB/s (256 GB/s a stack).
TEST(DramTest, BackToBackHitsStreamAtOneBurstPerTBurst) {
  struct Case {
    const char *preset;
    double peakBytesPerSecondPerChannel;
  };
  for (const Case &c : {Case{"DDR4-3200", 25.6e9}, Case{"LPDDR4-4266", 8.532e9},
                        Case{"HBM2", 32e9}}) {
    SCOPED_TRACE(c.preset);
    DramSpec spec = findDramPreset(c.preset)->spec;
    spec.refresh = false;
    spec.addressMapping = {DramField::Row, DramField::Column, DramField::Bank,
                           DramField::Channel};
    std::vector<uint64_t> gaps = streamGaps(spec, 1024, 2 * spec.banks());
    ASSERT_FALSE(gaps.empty());
    for (uint64_t gap : gaps)
      ASSERT_EQ(gap, spec.burstCycles());
    double seconds = double(spec.burstCycles()) / (spec.clockGHz() * 1e9);
    EXPECT_NEAR(spec.burstBytes() / seconds, c.peakBytesPerSecondPerChannel,
                1e-9 * c.peakBytesPerSecondPerChannel);
  }
}

// Under the default row:bank:channel:column mapping a stream stays in one
// bank for a whole row, so on DDR4 its reads are tCCD_L = 8 apart (same
// bank group): half the peak. That is why the mapping is configurable.
TEST(DramTest, AStreamInOneBankGroupRunsAtTccdL) {
  DramSpec spec = ddr4();
  std::vector<uint64_t> gaps = streamGaps(spec, 64, 2);
  ASSERT_FALSE(gaps.empty());
  for (uint64_t gap : gaps)
    ASSERT_EQ(gap, spec.timing.tCCD_L);
}

// Write and read of row 0 of bank 0, both at 0: ACT at 0, the older WRITE
// at 22, its data 38-42 (tCWL 16): done 42. The READ waits tWTR_L after
// the write data: 42 + 12 = 54, done 54 + 26 = 80 (alone: 48). A read of
// bank 1 (another group) waits only tWTR_S: ACT at 4, READ at max(26, 42 +
// 4) = 46, done 72. Read then write: READ at 22 (done 48), WRITE at 22 +
// tRTW = 34, data 50-54, done 54.
TEST(DramTest, WriteThenReadPaysTheTurnaround) {
  DramSpec spec = ddr4();
  Dram sameGroup = makeDram(spec);
  std::vector<uint64_t> done =
      run(sameGroup,
          {{0, wordAt(spec, 0, 0, 0, 0), true}, {0, wordAt(spec, 0, 0, 0, 1)}});
  EXPECT_EQ(done[0], 42u);
  EXPECT_EQ(done[1], 80u);

  Dram otherGroup = makeDram(spec);
  done = run(otherGroup, {{0, wordAt(spec, 0, 0, 0, 0), true},
                          {0, wordAt(spec, 0, 1, 0, 0)}});
  EXPECT_EQ(done[0], 42u);
  EXPECT_EQ(done[1], 72u);

  Dram readFirst = makeDram(spec);
  done = run(readFirst, {{0, wordAt(spec, 0, 0, 0, 0)},
                         {0, wordAt(spec, 0, 0, 0, 1), true}});
  EXPECT_EQ(done[0], 48u);
  EXPECT_EQ(done[1], 54u);
}

// Refresh every tREFI = 12480 blocks all banks for tRFC = 560. A read of a
// closed bank at 12480 waits for the REFRESH at 12480: ACT at 13040, done
// 13040 + 48 = 13088. At 24960 bank 0's row 0 is open: PRE at 24960, REF
// at 24982, so a read of bank 1 made at 24960 activates at 24982 + 560 =
// 25542: done 25590. Refresh closed row 0, so a read of it at 26000 is a
// miss: ACT 26000, done 26048.
TEST(DramTest, RefreshBlocksTheBanksForTrfcEveryTrefi) {
  DramSpec spec = ddr4(/*refresh=*/true);
  Dram dram = makeDram(spec);
  std::vector<uint64_t> done = run(dram, {{12480, wordAt(spec, 0, 0, 0, 0)},
                                          {24960, wordAt(spec, 0, 1, 0, 0)},
                                          {26000, wordAt(spec, 0, 0, 0, 3)}});
  EXPECT_EQ(done[0], 13088u);
  EXPECT_EQ(done[1], 25590u);
  EXPECT_EQ(done[2], 26048u);
  for (unsigned b = 0; b < spec.banks(); ++b)
    EXPECT_EQ(dram.bankCounts(0, b).refreshes, 2u) << "bank " << b;
  const DramBankCounts &bank0 = dram.bankCounts(0, 0);
  EXPECT_EQ(bank0.rowMisses, 2u);
  EXPECT_EQ(bank0.rowHits, 0u);
  EXPECT_EQ(bank0.precharges, 1u);
}

// An idle DRAM has no events; its refreshes are caught up when time moves.
TEST(DramTest, IdleDramHasNoEventsButStillRefreshes) {
  Dram dram = makeDram(ddr4(/*refresh=*/true));
  EXPECT_EQ(dram.nextEvent(), Dram::kNever);
  dram.advanceTo(10 * 12480 + 1);
  EXPECT_EQ(dram.bankCounts(0, 3).refreshes, 10u);
  EXPECT_EQ(dram.nextEvent(), Dram::kNever);
  Dram noRefresh = makeDram(ddr4(/*refresh=*/false));
  noRefresh.advanceTo(10 * 12480 + 1);
  EXPECT_EQ(noRefresh.bankCounts(0, 3).refreshes, 0u);
}

// At 1 GHz one accelerator cycle is 1.6 DRAM cycles: a row hit's 26 DRAM
// cycles are 16.25 ns, so 17 cycles; a miss's 48 are 30 ns exactly. A read
// made at cycle 1 (1 ns) is seen at DRAM cycle 2 (1.25 ns); its data ends
// at DRAM cycle 50 = 31.25 ns: done at 32. At 2 GHz, a read made at cycle 3
// (1.5 ns) is seen at DRAM cycle 3 (1.875 ns), done at DRAM cycle 51 =
// 31.875 ns = 63.75 cycles: 64.
TEST(DramTest, ClockConversionRoundsUp) {
  DramSpec spec = ddr4();
  Dram at1GHz = makeDram(spec, 1.0);
  EXPECT_EQ(at1GHz.toAcceleratorCycles(0), 0u);
  EXPECT_EQ(at1GHz.toAcceleratorCycles(1), 1u);
  EXPECT_EQ(at1GHz.toAcceleratorCycles(26), 17u);
  EXPECT_EQ(at1GHz.toAcceleratorCycles(48), 30u);
  EXPECT_EQ(run(at1GHz, {{1, wordAt(spec, 0, 0, 0, 0)}})[0], 32u);
  Dram at2GHz = makeDram(spec, 2.0);
  EXPECT_EQ(run(at2GHz, {{3, wordAt(spec, 0, 0, 0, 0)}})[0], 64u);
}

// Two channels, 128 bursts of 64 bytes to an 8 KB row, 16 banks. Default
// row:bank:channel:column: bursts 0-127 fill row 0 of bank 0 of channel 0,
// 128 starts channel 1, 256 bank 1, 128 x 2 x 16 = 4096 row 1. Mapping
// row:column:bank:channel: burst 1 is channel 1, 2 is bank 1, 32 (2
// channels x 16 banks) is column 1.
TEST(DramTest, AddressMappingSendsConsecutiveBurstsToTheRightPlaces) {
  DramSpec spec = ddr4();
  spec.channels = 2;
  auto expectAt = [](const Dram &dram, uint64_t burst, unsigned channel,
                     unsigned bank, uint64_t row, unsigned column) {
    SCOPED_TRACE("burst " + std::to_string(burst));
    for (uint64_t word : {burst * kWordsPerBurst,
                          burst * kWordsPerBurst + kWordsPerBurst - 1}) {
      DramLocation where = dram.locate(word);
      EXPECT_EQ(
          std::make_tuple(where.channel, where.bank, where.row, where.column),
          std::make_tuple(channel, bank, row, column));
    }
  };
  Dram byRow = makeDram(spec);
  expectAt(byRow, 0, 0, 0, 0, 0);
  expectAt(byRow, 1, 0, 0, 0, 1);
  expectAt(byRow, 127, 0, 0, 0, 127);
  expectAt(byRow, 128, 1, 0, 0, 0);
  expectAt(byRow, 256, 0, 1, 0, 0);
  expectAt(byRow, 4096, 0, 0, 1, 0);
  expectAt(byRow, 4096 * 65536, 0, 0, 0, 0); // Wraps at the capacity.

  spec.addressMapping = {DramField::Row, DramField::Column, DramField::Bank,
                         DramField::Channel};
  Dram interleaved = makeDram(spec);
  expectAt(interleaved, 1, 1, 0, 0, 0);
  expectAt(interleaved, 2, 0, 1, 0, 0);
  expectAt(interleaved, 3, 1, 1, 0, 0);
  expectAt(interleaved, 32, 0, 0, 0, 1);
  expectAt(interleaved, 32 * 128, 0, 0, 1, 0);
}

// Words 0 and 3 share a burst: one READ serves both (done 48 each). Read,
// write, read of one burst stay three bursts in order: READ at 22 (done
// 48), WRITE at 22 + tRTW = 34 (data 50-54, done 54), READ at 54 + tWTR_L
// = 66 (done 92).
TEST(DramTest, WordsOfOneBurstCoalesceWhileTheOrderIsKept) {
  DramSpec spec = ddr4();
  Dram dram = makeDram(spec);
  std::vector<uint64_t> done = run(dram, {{0, 0}, {0, 3}});
  EXPECT_EQ(done[0], 48u);
  EXPECT_EQ(done[1], 48u);
  EXPECT_EQ(dram.channelCounts(0).requests, 2u);
  EXPECT_EQ(dram.channelCounts(0).coalesced, 1u);
  EXPECT_EQ(dram.channelCounts(0).bursts, 1u);

  Dram ordered = makeDram(spec);
  done = run(ordered, {{0, 0}, {0, 1, true}, {0, 2}});
  EXPECT_EQ(done, (std::vector<uint64_t>{48, 54, 92}));
  EXPECT_EQ(ordered.channelCounts(0).coalesced, 0u);
  EXPECT_EQ(ordered.channelCounts(0).bursts, 3u);
}

// A queue of 2: two requests to channel 0 fill it (channel 1 still has
// room) until the first READ issues at DRAM cycle 22, which advanceTo(23)
// runs (advanceTo(22) runs the cycles before 22).
TEST(DramTest, AFullQueueRefusesRequestsUntilABurstIssues) {
  DramSpec spec = ddr4();
  spec.channels = 2;
  spec.queueDepth = 2;
  Dram dram = makeDram(spec);
  dram.request(wordAt(spec, 0, 0, 0, 0), false, 0);
  dram.request(wordAt(spec, 0, 1, 0, 0), false, 1);
  EXPECT_FALSE(dram.canAccept(0));
  EXPECT_TRUE(dram.canAccept(1));
  EXPECT_THROW(dram.request(wordAt(spec, 0, 2, 0, 0), false, 2),
               std::logic_error);
  dram.advanceTo(22);
  EXPECT_FALSE(dram.canAccept(0));
  dram.advanceTo(23);
  EXPECT_TRUE(dram.canAccept(0));
  EXPECT_THROW(dram.advanceTo(5), std::logic_error);
}

TEST(DramTest, RefusesASpecTheLoaderWouldRefuse) {
  DramSpec spec = ddr4();
  EXPECT_THROW(Dram(spec, 1.0, 24), std::invalid_argument); // 512 bits / 24.
  EXPECT_THROW(Dram(spec, 0.0, 64), std::invalid_argument);
  spec.burstLength = 7;
  EXPECT_THROW(Dram(spec, 1.0, 64), std::invalid_argument);
}

/// Row-buffer outcomes per (channel, bank), counted by an open-row tracker.
struct TrackerCounts {
  uint64_t hits = 0, misses = 0, conflicts = 0, reads = 0, writes = 0;
};
using Tracker = std::map<std::pair<unsigned, unsigned>, TrackerCounts>;

/// Replays `requests` (each: channel, bank, row) in `order` against one
/// open row per bank.
Tracker trackOpenRows(
    const std::vector<std::tuple<unsigned, unsigned, uint64_t>> &locations,
    const std::vector<Request> &requests, const std::vector<uint64_t> &order) {
  Tracker counts;
  std::map<std::pair<unsigned, unsigned>, uint64_t> openRow;
  for (uint64_t index : order) {
    auto [channel, bank, row] = locations[index];
    std::pair<unsigned, unsigned> key(channel, bank);
    TrackerCounts &count = counts[key];
    auto open = openRow.find(key);
    if (open == openRow.end())
      ++count.misses;
    else if (open->second == row)
      ++count.hits;
    else
      ++count.conflicts;
    openRow[key] = row;
    ++(requests[index].write ? count.writes : count.reads);
  }
  return counts;
}

/// `count` distinct bursts over 2 channels, 4 banks, 4 rows and 16 columns
/// (so no two coalesce), 30% writes, from `seed`.
void randomStream(
    unsigned seed, unsigned count, const DramSpec &spec,
    std::vector<Request> &requests,
    std::vector<std::tuple<unsigned, unsigned, uint64_t>> &locations) {
  std::vector<std::tuple<unsigned, unsigned, uint64_t, unsigned>> all;
  for (unsigned channel = 0; channel < 2; ++channel)
    for (unsigned bank = 0; bank < 4; ++bank)
      for (uint64_t row = 0; row < 4; ++row)
        for (unsigned column = 0; column < 16; ++column)
          all.emplace_back(channel, bank, row, column);
  std::mt19937 random(seed);
  std::shuffle(all.begin(), all.end(), random);
  std::bernoulli_distribution isWrite(0.3);
  for (unsigned i = 0; i < count; ++i) {
    auto [channel, bank, row, column] = all[i];
    requests.push_back(
        {0, wordAt(spec, channel, bank, row, column), isWrite(random)});
    locations.emplace_back(channel, bank, row);
  }
}

void expectCountsEqual(const Dram &dram, const Tracker &reference) {
  for (const auto &[key, expected] : reference) {
    SCOPED_TRACE("channel " + std::to_string(key.first) + " bank " +
                 std::to_string(key.second));
    const DramBankCounts &bank = dram.bankCounts(key.first, key.second);
    EXPECT_EQ(bank.rowHits, expected.hits);
    EXPECT_EQ(bank.rowMisses, expected.misses);
    EXPECT_EQ(bank.rowConflicts, expected.conflicts);
    EXPECT_EQ(bank.reads, expected.reads);
    EXPECT_EQ(bank.writes, expected.writes);
    EXPECT_EQ(bank.activates, expected.misses + expected.conflicts);
    EXPECT_EQ(bank.precharges, expected.conflicts);
  }
}

// One request at a time: the order served is the order made, so the
// tracker replays the stream as generated.
TEST(DramTest, SerialRandomStreamCountsMatchAnOpenRowTracker) {
  DramSpec spec = ddr4();
  spec.channels = 2;
  std::vector<Request> requests;
  std::vector<std::tuple<unsigned, unsigned, uint64_t>> locations;
  randomStream(7, 500, spec, requests, locations);
  Dram dram = makeDram(spec);
  std::vector<uint64_t> order;
  for (uint64_t i = 0; i < requests.size(); ++i) {
    std::vector<uint64_t> done = run(dram, {requests[i]});
    order.push_back(i);
  }
  expectCountsEqual(dram, trackOpenRows(locations, requests, order));
  EXPECT_EQ(dram.bankTotals().reads + dram.bankTotals().writes, 500u);
}

// All at once: FR-FCFS reorders, so the tracker replays the order in which
// the bursts were served (completion order); per bank the counts are the
// same. Every burst completes once, a channel's bursts are at least tBURST
// apart (one data bus), and the same seed gives the same cycles.
TEST(DramTest, QueuedRandomStreamCountsMatchTheTrackerInServiceOrder) {
  DramSpec spec = ddr4();
  spec.channels = 2;
  spec.queueDepth = 8;
  std::vector<Request> requests;
  std::vector<std::tuple<unsigned, unsigned, uint64_t>> locations;
  randomStream(11, 500, spec, requests, locations);
  Dram dram = makeDram(spec);
  std::vector<uint64_t> order;
  std::vector<uint64_t> done = run(dram, requests, &order);
  ASSERT_EQ(order.size(), requests.size());
  expectCountsEqual(dram, trackOpenRows(locations, requests, order));

  bool reordered = false;
  for (size_t i = 1; i < order.size(); ++i)
    reordered |= order[i] < order[i - 1];
  EXPECT_TRUE(reordered) << "the stream never exercised the reordering";

  for (unsigned channel = 0; channel < 2; ++channel) {
    std::vector<uint64_t> cycles;
    for (size_t i = 0; i < requests.size(); ++i)
      if (std::get<0>(locations[i]) == channel)
        cycles.push_back(done[i]);
    std::sort(cycles.begin(), cycles.end());
    for (size_t i = 1; i < cycles.size(); ++i)
      ASSERT_GE(cycles[i] - cycles[i - 1], spec.burstCycles())
          << "two bursts on channel " << channel << "'s data bus at once";
  }

  Dram again = makeDram(spec);
  EXPECT_EQ(run(again, requests), done);
}

} // namespace
} // namespace tessel::sim
