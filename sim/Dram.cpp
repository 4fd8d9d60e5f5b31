//===- sim/Dram.cpp - DRAM channels, banks, FR-FCFS and JEDEC timing ------===//
//
// The DRAM runs on its own clock (tCK = 2000 / dataRate ns); every time
// inside is a DRAM cycle. A request made at accelerator cycle c arrives at
// the first DRAM cycle at or after c's instant; a burst whose data ends at
// DRAM cycle e completes at the first accelerator cycle at or after e's
// instant. So conversions round up, once, at the boundary: no timing is
// shortened, and the parameters themselves are not rounded one by one
// (which would stretch tBURST and cut the bandwidth).
//
// Each channel issues at most one command per DRAM cycle. Its scheduler
// is event driven: the next command is the one that can issue earliest;
// among those ready at the same cycle a READ/WRITE to an open row (a row
// hit) goes first, then the oldest request (FR-FCFS). A bank's open row is
// not precharged while a queued request still wants it.
//
//===----------------------------------------------------------------------===//
#include "sim/Dram.h"

#include "arch/DramPresets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel::sim {
namespace {

constexpr uint64_t kNone = std::numeric_limits<uint64_t>::max();
constexpr size_t kNoEntry = std::numeric_limits<size_t>::max();
using Wide = unsigned __int128;

/// What a request found: decided by the first command issued for it.
enum class Outcome : uint8_t { Unknown, Hit, Miss, Conflict };

enum class CommandKind : uint8_t { Activate, Precharge, Read, Write, Refresh };

struct Bank {
  bool open = false;
  uint64_t row = 0;
  uint64_t nextActivate = 0;  ///< tRC after ACT, tRP after PRE, tRFC.
  uint64_t nextPrecharge = 0; ///< tRAS after ACT, tRTP, write recovery.
  uint64_t nextColumn = 0;    ///< tRCD after ACT.
  DramBankCounts counts;
};

/// Constraints between banks of one bank group (the `_L` timings).
struct BankGroup {
  uint64_t nextActivate = 0; ///< tRRD_L.
  uint64_t nextRead = 0;     ///< tCCD_L after a READ, tWTR_L after write data.
  uint64_t nextWrite = 0;    ///< tCCD_L after a WRITE.
};

/// A queued request: one burst, and every word request coalesced into it.
struct Entry {
  uint64_t seq = 0; ///< Age: smaller is older.
  uint64_t burst = 0;
  DramLocation where;
  bool write = false;
  uint64_t arrival = 0; ///< DRAM cycle the controller sees it.
  uint64_t tag = 0;
  std::vector<uint64_t> coalescedTags;
  uint64_t after = 0; ///< An older request for the same burst to wait for.
  Outcome outcome = Outcome::Unknown;
};

struct Command {
  CommandKind kind = CommandKind::Activate;
  uint64_t time = kNone;
  size_t entry = kNoEntry; ///< Queue index; kNoEntry for refresh commands.
  unsigned bank = 0;

  bool isColumn() const {
    return kind == CommandKind::Read || kind == CommandKind::Write;
  }
};

struct Channel {
  std::vector<Bank> banks;
  std::vector<BankGroup> groups;
  std::vector<Entry> queue; ///< Oldest first.
  uint64_t commandBusFree = 0;
  uint64_t nextActivate = 0; ///< tRRD_S.
  uint64_t nextRead = 0;     ///< tCCD_S after a READ, tWTR_S after writes.
  uint64_t nextWrite = 0;    ///< tCCD_S after a WRITE, tRTW after a READ.
  uint64_t dataBusFree = 0;  ///< End of the last burst's data.
  /// The last four ACTIVATEs (tFAW); `oldestActivate` indexes the oldest.
  std::array<uint64_t, 4> recentActivates = {kNone, kNone, kNone, kNone};
  unsigned oldestActivate = 0;
  uint64_t refreshDue = 0;
  DramChannelCounts counts;
  /// Scratch of the scheduler: banks whose open row a request wants.
  mutable std::vector<uint8_t> openRowWanted;
};

struct Pending {
  uint64_t cycle, seq;
  DramCompletion completion;
  bool operator>(const Pending &other) const {
    return cycle != other.cycle ? cycle > other.cycle : seq > other.seq;
  }
};

uint64_t ceilDiv(Wide numerator, uint64_t denominator) {
  Wide quotient = (numerator + denominator - 1) / denominator;
  return quotient > kNone ? kNone : uint64_t(quotient);
}

} // namespace

DramBankCounts &DramBankCounts::operator+=(const DramBankCounts &other) {
  rowHits += other.rowHits;
  rowMisses += other.rowMisses;
  rowConflicts += other.rowConflicts;
  activates += other.activates;
  precharges += other.precharges;
  reads += other.reads;
  writes += other.writes;
  refreshes += other.refreshes;
  return *this;
}

struct Dram::State {
  DramSpec spec;
  unsigned wordsPerBurst = 1;
  uint64_t acceleratorKHz = 1, dramKHz = 1; ///< Reduced by their gcd.
  uint64_t now = 0;                         ///< Accelerator cycle.
  uint64_t nextSeq = 1;
  std::vector<Channel> channels;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>>
      completions;

  State(const DramSpec &spec, double acceleratorClockGHz, unsigned wordBits);

  /// The first DRAM cycle at or after accelerator cycle `cycle`.
  uint64_t dramCycleAt(uint64_t cycle) const {
    return ceilDiv(Wide(cycle) * dramKHz, acceleratorKHz);
  }
  uint64_t acceleratorCycleAt(uint64_t dramCycle) const {
    return ceilDiv(Wide(dramCycle) * acceleratorKHz, dramKHz);
  }
  /// The first accelerator cycle whose advanceTo issues a command at DRAM
  /// cycle `dramCycle` (the first c with dramCycleAt(c) > dramCycle).
  uint64_t cycleIssuing(uint64_t dramCycle) const {
    Wide cycle = Wide(dramCycle) * acceleratorKHz / dramKHz + 1;
    return cycle > kNone ? kNone : uint64_t(cycle);
  }

  DramLocation locate(uint64_t wordAddress) const;
  uint64_t fieldCount(DramField field) const;

  uint64_t activateReady(const Channel &channel, unsigned bank) const;
  uint64_t columnReady(const Channel &channel, unsigned bank, bool write) const;
  bool waitsForOlder(const Channel &channel, const Entry &entry) const;
  Command requestCommand(const Channel &channel) const;
  Command refreshCommand(const Channel &channel) const;
  Command nextCommand(const Channel &channel) const;

  void issue(Channel &channel, const Command &command);
  void activate(Channel &channel, const Command &command, uint64_t row);
  void transfer(Channel &channel, const Command &command);
  void refresh(Channel &channel, uint64_t time);
};

Dram::State::State(const DramSpec &dramSpec, double acceleratorClockGHz,
                   unsigned wordBits)
    : spec(dramSpec) {
  if (std::optional<DramSpecProblem> problem = checkDramSpec(spec, wordBits))
    throw std::invalid_argument("DRAM: " + problem->message);
  if (!(acceleratorClockGHz > 0 && std::isfinite(acceleratorClockGHz)))
    throw std::invalid_argument("DRAM: the accelerator clock must be a "
                                "positive number of GHz");
  // Both clocks to the kHz, as a reduced fraction.
  acceleratorKHz = uint64_t(std::llround(acceleratorClockGHz * 1e6));
  dramKHz = uint64_t(std::llround(spec.dataRate * 500));
  if (acceleratorKHz == 0 || dramKHz == 0)
    throw std::invalid_argument("DRAM: clocks below 1 kHz");
  uint64_t divisor = std::gcd(acceleratorKHz, dramKHz);
  acceleratorKHz /= divisor;
  dramKHz /= divisor;
  wordsPerBurst = spec.busBits * spec.burstLength / wordBits;
  channels.resize(spec.channels);
  for (Channel &channel : channels) {
    channel.banks.resize(spec.banks());
    channel.groups.resize(spec.bankGroups);
    channel.openRowWanted.resize(spec.banks());
    channel.refreshDue = spec.timing.tREFI;
  }
}

uint64_t Dram::State::fieldCount(DramField field) const {
  switch (field) {
  case DramField::Row:
    return spec.rows;
  case DramField::Bank:
    return spec.banks();
  case DramField::Channel:
    return spec.channels;
  case DramField::Column:
    return spec.burstsPerRow();
  }
  return 1;
}

DramLocation Dram::State::locate(uint64_t wordAddress) const {
  uint64_t rest = wordAddress / wordsPerBurst;
  DramLocation where;
  for (unsigned i = kDramFieldCount; i-- > 0;) {
    DramField field = spec.addressMapping[i];
    uint64_t count = fieldCount(field);
    uint64_t value = rest % count;
    rest /= count;
    switch (field) {
    case DramField::Row:
      where.row = value;
      break;
    case DramField::Bank:
      where.bank = unsigned(value);
      break;
    case DramField::Channel:
      where.channel = unsigned(value);
      break;
    case DramField::Column:
      where.column = unsigned(value);
      break;
    }
  }
  return where;
}

uint64_t Dram::State::activateReady(const Channel &channel,
                                    unsigned bank) const {
  const BankGroup &group = channel.groups[bank % spec.bankGroups];
  uint64_t time = std::max({channel.banks[bank].nextActivate,
                            group.nextActivate, channel.nextActivate});
  uint64_t oldest = channel.recentActivates[channel.oldestActivate];
  if (oldest != kNone)
    time = std::max(time, oldest + spec.timing.tFAW);
  return time;
}

uint64_t Dram::State::columnReady(const Channel &channel, unsigned bank,
                                  bool write) const {
  const BankGroup &group = channel.groups[bank % spec.bankGroups];
  // The burst's data may not start before the data bus is free.
  unsigned latency = write ? spec.timing.tCWL : spec.timing.tCL;
  uint64_t busReady =
      channel.dataBusFree > latency ? channel.dataBusFree - latency : 0;
  return std::max({channel.banks[bank].nextColumn,
                   write ? group.nextWrite : group.nextRead,
                   write ? channel.nextWrite : channel.nextRead, busReady});
}

bool Dram::State::waitsForOlder(const Channel &channel,
                                const Entry &entry) const {
  if (entry.after == 0)
    return false;
  for (const Entry &other : channel.queue)
    if (other.seq == entry.after)
      return true;
  return false;
}

Command Dram::State::requestCommand(const Channel &channel) const {
  std::fill(channel.openRowWanted.begin(), channel.openRowWanted.end(), 0);
  for (const Entry &entry : channel.queue) {
    const Bank &bank = channel.banks[entry.where.bank];
    if (bank.open && bank.row == entry.where.row)
      channel.openRowWanted[entry.where.bank] = 1;
  }
  Command best;
  for (size_t i = 0; i < channel.queue.size(); ++i) {
    const Entry &entry = channel.queue[i];
    if (waitsForOlder(channel, entry))
      continue;
    unsigned b = entry.where.bank;
    const Bank &bank = channel.banks[b];
    Command command;
    command.entry = i;
    command.bank = b;
    if (!bank.open) {
      command.kind = CommandKind::Activate;
      command.time = activateReady(channel, b);
    } else if (bank.row == entry.where.row) {
      command.kind = entry.write ? CommandKind::Write : CommandKind::Read;
      command.time = columnReady(channel, b, entry.write);
    } else if (channel.openRowWanted[b]) {
      continue; // Its row stays open for the requests that hit it.
    } else {
      command.kind = CommandKind::Precharge;
      command.time = bank.nextPrecharge;
    }
    command.time =
        std::max({command.time, entry.arrival, channel.commandBusFree});
    // Earliest first; at the same cycle a row hit, then the oldest (the
    // queue is in age order, so a later entry replaces only when better).
    if (command.time < best.time ||
        (command.time == best.time && command.isColumn() && !best.isColumn()))
      best = command;
  }
  return best;
}

Command Dram::State::refreshCommand(const Channel &channel) const {
  // All-bank refresh: precharge every open bank, then REFRESH once each
  // bank may be activated again (tRP after its precharge, tRC after its
  // activate).
  Command command;
  uint64_t refreshReady = channel.refreshDue;
  for (unsigned b = 0; b < channel.banks.size(); ++b) {
    const Bank &bank = channel.banks[b];
    if (bank.open && (command.kind != CommandKind::Precharge ||
                      bank.nextPrecharge < command.time)) {
      command.kind = CommandKind::Precharge;
      command.bank = b;
      command.time = bank.nextPrecharge;
    }
    refreshReady = std::max(refreshReady, bank.nextActivate);
  }
  if (command.kind != CommandKind::Precharge) {
    command.kind = CommandKind::Refresh;
    command.time = refreshReady;
  }
  command.time =
      std::max({command.time, channel.refreshDue, channel.commandBusFree});
  return command;
}

Command Dram::State::nextCommand(const Channel &channel) const {
  Command command = requestCommand(channel);
  // From the cycle a refresh is due, requests wait for it.
  if (spec.refresh && command.time >= channel.refreshDue)
    return refreshCommand(channel);
  return command;
}

void Dram::State::activate(Channel &channel, const Command &command,
                           uint64_t row) {
  const DramTiming &timing = spec.timing;
  uint64_t time = command.time;
  Bank &bank = channel.banks[command.bank];
  BankGroup &group = channel.groups[command.bank % spec.bankGroups];
  bank.open = true;
  bank.row = row;
  bank.nextColumn = time + timing.tRCD;
  bank.nextPrecharge = std::max(bank.nextPrecharge, time + timing.tRAS);
  bank.nextActivate = std::max(bank.nextActivate, time + timing.tRC);
  group.nextActivate = std::max(group.nextActivate, time + timing.tRRD_L);
  channel.nextActivate = std::max(channel.nextActivate, time + timing.tRRD_S);
  channel.recentActivates[channel.oldestActivate] = time;
  channel.oldestActivate = (channel.oldestActivate + 1) % 4;
  ++bank.counts.activates;
}

void Dram::State::transfer(Channel &channel, const Command &command) {
  const DramTiming &timing = spec.timing;
  uint64_t time = command.time;
  Entry &entry = channel.queue[command.entry];
  Bank &bank = channel.banks[command.bank];
  BankGroup &group = channel.groups[command.bank % spec.bankGroups];
  bool write = command.kind == CommandKind::Write;
  uint64_t dataEnd =
      time + (write ? timing.tCWL : timing.tCL) + spec.burstCycles();
  channel.dataBusFree = dataEnd;
  if (write) {
    bank.nextPrecharge = std::max(bank.nextPrecharge, dataEnd + timing.tWR);
    group.nextWrite = std::max(group.nextWrite, time + timing.tCCD_L);
    channel.nextWrite = std::max(channel.nextWrite, time + timing.tCCD_S);
    group.nextRead = std::max(group.nextRead, dataEnd + timing.tWTR_L);
    channel.nextRead = std::max(channel.nextRead, dataEnd + timing.tWTR_S);
    ++bank.counts.writes;
  } else {
    bank.nextPrecharge = std::max(bank.nextPrecharge, time + timing.tRTP);
    group.nextRead = std::max(group.nextRead, time + timing.tCCD_L);
    channel.nextRead = std::max(channel.nextRead, time + timing.tCCD_S);
    channel.nextWrite = std::max(channel.nextWrite, time + timing.tRTW);
    ++bank.counts.reads;
  }
  uint64_t &outcomeCount = entry.outcome == Outcome::Hit ? bank.counts.rowHits
                           : entry.outcome == Outcome::Miss
                               ? bank.counts.rowMisses
                               : bank.counts.rowConflicts;
  ++outcomeCount;
  ++channel.counts.bursts;
  channel.counts.dataBusBusyCycles += spec.burstCycles();
  uint64_t cycle = acceleratorCycleAt(dataEnd);
  completions.push({cycle, nextSeq++, {entry.tag, cycle, write}});
  for (uint64_t tag : entry.coalescedTags)
    completions.push({cycle, nextSeq++, {tag, cycle, write}});
  channel.queue.erase(channel.queue.begin() + std::ptrdiff_t(command.entry));
}

void Dram::State::refresh(Channel &channel, uint64_t time) {
  for (Bank &bank : channel.banks) {
    bank.nextActivate = std::max(bank.nextActivate, time + spec.timing.tRFC);
    ++bank.counts.refreshes;
  }
  channel.refreshDue += spec.timing.tREFI;
}

void Dram::State::issue(Channel &channel, const Command &command) {
  channel.commandBusFree = command.time + 1;
  Entry *entry =
      command.entry == kNoEntry ? nullptr : &channel.queue[command.entry];
  if (entry && entry->outcome == Outcome::Unknown)
    entry->outcome = command.kind == CommandKind::Activate ? Outcome::Miss
                     : command.kind == CommandKind::Precharge
                         ? Outcome::Conflict
                         : Outcome::Hit;
  switch (command.kind) {
  case CommandKind::Activate:
    activate(channel, command, entry->where.row);
    break;
  case CommandKind::Precharge: {
    Bank &bank = channel.banks[command.bank];
    bank.open = false;
    bank.nextActivate =
        std::max(bank.nextActivate, command.time + spec.timing.tRP);
    ++bank.counts.precharges;
    break;
  }
  case CommandKind::Read:
  case CommandKind::Write:
    transfer(channel, command);
    break;
  case CommandKind::Refresh:
    refresh(channel, command.time);
    break;
  }
}

Dram::Dram(const DramSpec &spec, double acceleratorClockGHz, unsigned wordBits)
    : state(std::make_unique<State>(spec, acceleratorClockGHz, wordBits)) {}
Dram::Dram(Dram &&) noexcept = default;
Dram &Dram::operator=(Dram &&) noexcept = default;
Dram::~Dram() = default;

const DramSpec &Dram::spec() const { return state->spec; }
unsigned Dram::wordsPerBurst() const { return state->wordsPerBurst; }
uint64_t Dram::now() const { return state->now; }

DramLocation Dram::locate(uint64_t wordAddress) const {
  return state->locate(wordAddress);
}

bool Dram::canAccept(unsigned channel) const {
  return state->channels.at(channel).queue.size() < state->spec.queueDepth;
}

void Dram::request(uint64_t wordAddress, bool write, uint64_t tag) {
  DramLocation where = state->locate(wordAddress);
  if (!canAccept(where.channel))
    throw std::logic_error("Dram::request: the queue of channel " +
                           std::to_string(where.channel) +
                           " is full; wait until canAccept");
  Channel &channel = state->channels[where.channel];
  ++channel.counts.requests;
  uint64_t burst = wordAddress / state->wordsPerBurst;
  // The youngest queued request for the same burst: join it if it moves
  // data the same way, else keep the order after it.
  uint64_t after = 0;
  for (auto it = channel.queue.rbegin(); it != channel.queue.rend(); ++it)
    if (it->burst == burst) {
      if (it->write == write) {
        it->coalescedTags.push_back(tag);
        ++channel.counts.coalesced;
        return;
      }
      after = it->seq;
      break;
    }
  Entry entry;
  entry.seq = state->nextSeq++;
  entry.burst = burst;
  entry.where = where;
  entry.write = write;
  entry.arrival = state->dramCycleAt(state->now);
  entry.tag = tag;
  entry.after = after;
  channel.queue.push_back(std::move(entry));
}

void Dram::advanceTo(uint64_t cycle) {
  if (cycle < state->now)
    throw std::logic_error("Dram::advanceTo: cycle " + std::to_string(cycle) +
                           " is before now, " + std::to_string(state->now));
  state->now = cycle;
  uint64_t horizon = state->dramCycleAt(cycle);
  for (Channel &channel : state->channels)
    for (Command command = state->nextCommand(channel); command.time < horizon;
         command = state->nextCommand(channel))
      state->issue(channel, command);
}

uint64_t Dram::nextEvent() const {
  uint64_t next =
      state->completions.empty() ? kNever : state->completions.top().cycle;
  for (const Channel &channel : state->channels)
    if (!channel.queue.empty()) {
      Command command = state->nextCommand(channel);
      if (command.time != kNone)
        next = std::min(next, state->cycleIssuing(command.time));
    }
  return next;
}

std::optional<DramCompletion> Dram::popCompleted() {
  if (state->completions.empty() || state->completions.top().cycle > state->now)
    return std::nullopt;
  DramCompletion completion = state->completions.top().completion;
  state->completions.pop();
  return completion;
}

uint64_t Dram::toAcceleratorCycles(uint64_t dramCycles) const {
  return state->acceleratorCycleAt(dramCycles);
}

const DramBankCounts &Dram::bankCounts(unsigned channel, unsigned bank) const {
  return state->channels.at(channel).banks.at(bank).counts;
}

const DramChannelCounts &Dram::channelCounts(unsigned channel) const {
  return state->channels.at(channel).counts;
}

DramBankCounts Dram::bankTotals() const {
  DramBankCounts totals;
  for (const Channel &channel : state->channels)
    for (const Bank &bank : channel.banks)
      totals += bank.counts;
  return totals;
}

} // namespace tessel::sim
