//===- sim/Engine.cpp -----------------------------------------------------===//
#include "sim/Engine.h"

#include "sim/Datapath.h"
#include "sim/Trace.h"

#include <algorithm>
#include <stdexcept>

namespace tessel::sim {

/// One level's controller: its epochs, the fill in progress, the drains.
struct Engine::Level {
  unsigned index = 0;
  std::string name;
  uint64_t epochs = 1;
  uint64_t stepsPerEpoch = 1;
  std::vector<unsigned> kept;
  bool keepsOutput = false;
  bool computeKeeper = false; ///< The compute units update it directly.
  std::vector<unsigned> outputChildren; ///< Levels it supplies outputs to.

  int64_t current = -1; ///< Epoch the sequencer uses.
  int64_t switchedAt = 0;
  uint64_t nextFill = 0;
  bool fillActive = false;
  uint64_t fillStart = 0;
  std::vector<Transfer> fills;
  uint64_t filledThrough = 0; ///< Epochs whose fill has been granted.
  uint64_t readyAt[4] = {0, 0, 0, 0};
  uint64_t released = 0;
  std::deque<Transfer> drains;
  uint64_t lastIssue[4] = {0, 0, 0, 0};
  Waiting waiting = Waiting::Nothing;
  unsigned waitingOn = 0;
  uint64_t waitingEpoch = 0;

  /// Per tensor: the box low corner of the last epoch filled, and the
  /// region instance 0 ever covers (for addresses and read-backs).
  std::vector<std::vector<int64_t>> heldLow, reachLow, reachSpans;
  bool held = false;
  std::vector<bool> visited; ///< Output words instance 0 has held.

  /// The next fill's geometry, computed once.
  bool planned = false;
  std::vector<std::vector<int64_t>> newLow;
  std::vector<uint64_t> entering, readBacks;
  std::vector<std::vector<uint16_t>> fillBanks;
  std::vector<size_t> newlyVisited;

  unsigned tilesTrack = 0, fillsTrack = 0, drainsTrack = 0;
};

namespace {

uint64_t overlapWords(const std::vector<int64_t> &a,
                      const std::vector<int64_t> &b,
                      const std::vector<int64_t> &spans) {
  uint64_t words = 1;
  for (size_t c = 0; c < spans.size(); ++c) {
    int64_t kept = std::min(a[c], b[c]) + spans[c] - std::max(a[c], b[c]);
    if (kept <= 0)
      return 0;
    words *= uint64_t(kept);
  }
  return words;
}

bool within(const std::vector<int64_t> &low, const std::vector<int64_t> &spans,
            const std::vector<int64_t> &p) {
  for (size_t c = 0; c < spans.size(); ++c)
    if (p[c] < low[c] || p[c] >= low[c] + spans[c])
      return false;
  return true;
}

size_t linearIndex(const std::vector<int64_t> &low,
                   const std::vector<int64_t> &spans,
                   const std::vector<int64_t> &p) {
  size_t index = 0;
  for (size_t c = 0; c < spans.size(); ++c)
    index = index * size_t(spans[c]) + size_t(p[c] - low[c]);
  return index;
}

/// Calls `visit(point)` for the points of box `low` not in box `other`
/// (all of them when `other` is null), row-major.
template <typename Visit>
void forEachOutside(const std::vector<int64_t> &low,
                    const std::vector<int64_t> *other,
                    const std::vector<int64_t> &spans, Visit visit) {
  std::vector<int64_t> p = low;
  while (true) {
    if (!other || !within(*other, spans, p))
      visit(p);
    size_t c = p.size();
    while (c > 0 && ++p[c - 1] == low[c - 1] + spans[c - 1]) {
      p[c - 1] = low[c - 1];
      --c;
    }
    if (c == 0)
      return;
  }
}

} // namespace

Engine::Engine(const Plan &plan, Datapath *datapath, ChromeTrace *trace)
    : plan(plan), datapath(datapath), trace(trace),
      counts(plan.levels, plan.tensors()),
      pes(plan.peSkew, plan.operandLatency),
      lanes(std::max(1u, plan.arch.compute.macsPerPE)) {
  const Arch &arch = plan.arch;
  for (unsigned l = 0; l < plan.levels; ++l) {
    const StorageLevel &level = arch.levels[l];
    readPorts.emplace_back(level.readBandwidth, level.banks, level.ports);
    writePorts.emplace_back(level.writeBandwidth, level.banks, level.ports);
    links.emplace_back(plan.linkCount[l], level.network.linkBandwidth);
  }
  unsigned out = plan.problem.outputIndex();
  for (unsigned l = 0; l < plan.levels; ++l) {
    auto level = std::make_unique<Level>();
    level->index = l;
    level->name = arch.levels[l].name;
    level->epochs = plan.epochs[l];
    level->stepsPerEpoch = plan.stepsPerEpoch[l];
    level->heldLow.resize(plan.tensors());
    level->reachLow.resize(plan.tensors());
    level->reachSpans.resize(plan.tensors());
    level->newLow.resize(plan.tensors());
    level->entering.resize(plan.tensors());
    level->readBacks.resize(plan.tensors());
    level->fillBanks.resize(plan.tensors());
    for (unsigned t = 0; t < plan.tensors(); ++t) {
      if (!plan.keepsTensor(l, t))
        continue;
      level->kept.push_back(t);
      plan.reachLow(l, t, level->reachLow[t], level->reachSpans[t]);
    }
    level->keepsOutput = plan.keepsTensor(l, out);
    if (l > 0 && level->keepsOutput) {
      uint64_t words = 1;
      for (int64_t s : level->reachSpans[out])
        words *= uint64_t(s);
      level->visited.assign(words, false);
    }
    level->computeKeeper = plan.residency[plan.levels][out].supplier == l;
    levelStates.push_back(std::move(level));
  }
  for (unsigned l = 1; l < plan.levels; ++l)
    if (plan.keepsTensor(l, out))
      levelStates[plan.residency[l][out].supplier]->outputChildren.push_back(l);
  // Operand reads and updates of one step, at the innermost keepers.
  for (unsigned t = 0; t < plan.tensors(); ++t) {
    const Residency &r = plan.residency[plan.levels][t];
    Port &port = r.isOutput ? writePorts[r.supplier] : readPorts[r.supplier];
    const Route &route = r.isOutput ? r.up : r.down;
    if (!port.unlimited() || !route.links.empty())
      operandsFree = false;
    TensorActions &source = counts.at(r.supplier, t);
    freeOperandIncrements.push_back(
        {r.isOutput ? &source.updates : &source.reads,
         route.copies * r.suppliers});
    freeOperandIncrements.push_back(
        {&source.networkWords, route.copies * r.suppliers});
    freeOperandIncrements.push_back(
        {&source.networkHops, route.hops * r.suppliers});
  }
  if (trace) {
    sequencerTrack = trace->track("sequencer (steps, stalls)");
    for (unsigned l = 1; l < plan.levels; ++l) {
      Level &level = *levelStates[l];
      level.tilesTrack = trace->track(level.name + " tiles");
      level.fillsTrack = trace->track(level.name + " fills");
      if (level.keepsOutput)
        level.drainsTrack = trace->track(level.name + " drains");
    }
  }
}

Engine::~Engine() = default;

int64_t Engine::currentEpoch(unsigned level) const {
  return levelStates[level]->current;
}

bool Engine::filling(unsigned level) const {
  return levelStates[level]->fillActive;
}

bool Engine::draining(unsigned level) const {
  for (const Transfer &drain : levelStates[level]->drains)
    if (!drain.done())
      return true;
  return false;
}

bool Engine::ready(unsigned level, uint64_t epoch, uint64_t now) const {
  if (level == 0)
    return true;
  const Level &state = *levelStates[level];
  return epoch < state.filledThrough && state.readyAt[epoch & 3] <= now;
}

Transfer Engine::makeTransfer(const Residency &r, bool readBack, bool drain,
                              uint64_t units, uint64_t epoch) {
  Transfer transfer;
  transfer.level = r.level;
  transfer.tensor = r.tensor;
  transfer.epoch = epoch;
  transfer.units = units;
  unsigned k = r.supplier, l = r.level;
  bool compute = l == plan.levels;
  TensorActions &source = counts.at(k, r.tensor);
  transfer.links = &links[k];
  if (drain || (compute && r.isOutput)) {
    // Up: read at the level (drains), updates at the supplier.
    transfer.route = &r.up;
    transfer.upward = true;
    transfer.from = compute ? nullptr : &readPorts[l];
    transfer.to = &writePorts[k];
    transfer.toWords = r.up.copies;
    transfer.latency = r.upLatency;
    if (!compute)
      transfer.increments.push_back(
          {&counts.at(l, r.tensor).reads, r.instances});
    transfer.increments.push_back({&source.updates, r.up.copies * r.suppliers});
    transfer.increments.push_back(
        {&source.networkWords, r.up.copies * r.suppliers});
    transfer.increments.push_back(
        {&source.networkHops, r.up.hops * r.suppliers});
    return transfer;
  }
  const Route &route = readBack ? r.leader : r.down;
  transfer.route = &route;
  transfer.from = &readPorts[k];
  transfer.fromWords = route.copies;
  transfer.to = compute ? nullptr : &writePorts[l];
  transfer.latency = r.downLatency;
  transfer.increments.push_back({&source.reads, route.copies * r.suppliers});
  transfer.increments.push_back(
      {&source.networkWords, route.copies * r.suppliers});
  transfer.increments.push_back(
      {&source.networkHops, route.hops * r.suppliers});
  if (!compute)
    transfer.increments.push_back(
        {&counts.at(l, r.tensor).fills,
         readBack ? r.groups * r.suppliers : r.instances});
  return transfer;
}

bool Engine::tryStartFill(Level &level, uint64_t now) {
  if (level.fillActive || level.nextFill >= level.epochs)
    return false;
  uint64_t m = level.nextFill;
  if (int64_t(m) > level.current + 1 || (m >= 1 && level.released + 1 < m)) {
    level.waiting = Waiting::Nothing;
    return false;
  }
  for (unsigned t : level.kept) {
    unsigned k = plan.residency[level.index][t].supplier;
    uint64_t epoch = m * level.stepsPerEpoch / plan.stepsPerEpoch[k];
    if (!ready(k, epoch, now)) {
      level.waiting = Waiting::Supplier;
      level.waitingOn = k;
      level.waitingEpoch = epoch;
      return false;
    }
  }
  unsigned l = level.index;
  Port &writePort = writePorts[l];
  if (!level.planned) {
    std::vector<int64_t> start;
    plan.epochStart(l, m, start);
    level.newlyVisited.clear();
    for (unsigned t : level.kept) {
      const Residency &r = plan.residency[l][t];
      plan.boxLow(l, t, start, level.newLow[t]);
      const std::vector<int64_t> *old =
          level.held ? &level.heldLow[t] : nullptr;
      uint64_t kept = old ? overlapWords(*old, level.newLow[t], r.spans) : 0;
      level.entering[t] = r.boxWords - kept;
      level.readBacks[t] = 0;
      level.fillBanks[t].clear();
      if (level.entering[t] == 0 || (!r.isOutput && !writePort.banked()))
        continue;
      forEachOutside(
          level.newLow[t], old, r.spans, [&](const std::vector<int64_t> &p) {
            size_t address =
                linearIndex(level.reachLow[t], level.reachSpans[t], p);
            bool transferred = !r.isOutput || level.visited[address];
            if (r.isOutput) {
              level.readBacks[t] += level.visited[address];
              if (!level.visited[address])
                level.newlyVisited.push_back(address);
            }
            if (transferred && writePort.banked())
              level.fillBanks[t].push_back(
                  uint16_t(address % writePort.bankCount()));
          });
    }
    level.planned = true;
  }
  if (m >= 1) {
    // Room for the current tile and the words entering the next one?
    const StorageLevel &arch = plan.arch.levels[l];
    bool fits = true;
    uint64_t total = 0;
    for (unsigned t : level.kept) {
      uint64_t need = plan.residency[l][t].boxWords + level.entering[t];
      total += need;
      if (arch.partition && need > plan.capacityFor(l, t))
        fits = false;
    }
    if (!arch.partition && total > arch.capacity)
      fits = false;
    for (const Transfer &drain : level.drains)
      if (!drain.done() && (!fits || drain.epoch + 2 <= m)) {
        level.waiting = Waiting::Capacity;
        return false;
      }
    if (!fits && level.released < m) {
      level.waiting = Waiting::Capacity;
      return false;
    }
  }
  uint64_t readBacks = 0;
  for (unsigned t : level.kept)
    readBacks += level.readBacks[t];
  if (readBacks)
    for (const Transfer &drain : level.drains)
      if (!drain.done() || drain.arrival > now) {
        level.waiting = Waiting::Drains;
        return false;
      }
  // Start: one transfer per tensor with words to move.
  level.fills.clear();
  for (unsigned t : level.kept) {
    const Residency &r = plan.residency[l][t];
    uint64_t units = r.isOutput ? level.readBacks[t] : level.entering[t];
    if (units) {
      level.fills.push_back(makeTransfer(r, r.isOutput, false, units, m));
      Transfer &fill = level.fills.back();
      fill.started = now;
      if (!level.fillBanks[t].empty()) {
        fill.banks = std::move(level.fillBanks[t]);
        fill.bankedPort = &writePort;
      }
    }
    level.heldLow[t] = level.newLow[t];
  }
  for (size_t address : level.newlyVisited)
    level.visited[address] = true;
  level.held = true;
  level.planned = false;
  level.fillActive = true;
  level.fillStart = now;
  level.waiting = Waiting::Nothing;
  return true;
}

bool Engine::advanceFill(Level &level, uint64_t now) {
  if (!level.fillActive)
    return false;
  bool moved = false, finished = true;
  uint64_t arrival = now;
  for (Transfer &fill : level.fills) {
    moved |= fill.advance(now) > 0;
    finished &= fill.done();
    arrival = std::max(arrival, fill.arrival);
  }
  if (!finished)
    return moved;
  uint64_t m = level.nextFill;
  level.readyAt[m & 3] = arrival;
  level.filledThrough = m + 1;
  level.nextFill = m + 1;
  level.fillActive = false;
  if (trace && !level.fills.empty())
    trace->slice(level.fillsTrack, "fill " + std::to_string(m), level.fillStart,
                 arrival + 1);
  return true;
}

bool Engine::tryRelease(Level &level, uint64_t now) {
  uint64_t e = level.released;
  if (e >= level.epochs || nextStep < (e + 1) * level.stepsPerEpoch)
    return false;
  if (level.keepsOutput) {
    if (level.computeKeeper &&
        level.lastIssue[e & 3] + plan.updateLatency > now)
      return false;
    for (unsigned c : level.outputChildren) {
      const Level &child = *levelStates[c];
      uint64_t bound = (e + 1) * level.stepsPerEpoch / child.stepsPerEpoch;
      if (child.released < bound)
        return false;
      for (const Transfer &drain : child.drains)
        if (drain.epoch < bound && (!drain.done() || drain.arrival > now))
          return false;
    }
    unsigned out = plan.problem.outputIndex();
    const Residency &r = plan.residency[level.index][out];
    std::vector<int64_t> start, low, nextLow;
    plan.epochStart(level.index, e, start);
    plan.boxLow(level.index, out, start, low);
    bool final = e + 1 == level.epochs;
    if (!final) {
      plan.epochStart(level.index, e + 1, start);
      plan.boxLow(level.index, out, start, nextLow);
    }
    uint64_t leaving =
        r.boxWords - (final ? 0 : overlapWords(low, nextLow, r.spans));
    if (leaving) {
      Transfer drain = makeTransfer(r, false, true, leaving, e);
      drain.started = now;
      if (readPorts[level.index].banked()) {
        drain.bankedPort = &readPorts[level.index];
        forEachOutside(low, final ? nullptr : &nextLow, r.spans,
                       [&](const std::vector<int64_t> &p) {
                         size_t address = linearIndex(level.reachLow[out],
                                                      level.reachSpans[out], p);
                         drain.banks.push_back(
                             uint16_t(address % drain.bankedPort->bankCount()));
                       });
      }
      level.drains.push_back(std::move(drain));
    }
  }
  ++level.released;
  return true;
}

void Engine::startOperands() {
  operands.clear();
  for (unsigned t = 0; t < plan.tensors(); ++t) {
    const Residency &r = plan.residency[plan.levels][t];
    operands.push_back(makeTransfer(r, false, false, 1, nextStep));
  }
  operandsStarted = true;
}

bool Engine::operandsGranted(uint64_t now) {
  bool all = true;
  for (Transfer &operand : operands) {
    operand.advance(now);
    all &= operand.done();
  }
  if (all)
    return true;
  for (const Transfer &operand : operands) {
    if (operand.done())
      continue;
    unsigned k = plan.residency[plan.levels][operand.tensor].supplier;
    const std::string &name = plan.arch.levels[k].name;
    cause = operand.limit == Limit::Network ? name + " network contention"
            : operand.limit == Limit::Bank  ? name + " bank conflict"
                                            : name + " port bandwidth";
    break;
  }
  return false;
}

std::string Engine::blockedCause(unsigned l, uint64_t epoch,
                                 uint64_t now) const {
  const Level &level = *levelStates[l];
  if (level.fillActive && level.nextFill == epoch)
    for (const Transfer &fill : level.fills) {
      if (fill.done())
        continue;
      unsigned k = plan.residency[l][fill.tensor].supplier;
      if (fill.limit == Limit::Bank)
        return level.name + " bank conflict";
      if (fill.limit == Limit::Network)
        return plan.arch.levels[k].name + " network contention";
    }
  if (!level.fillActive && level.nextFill == epoch) {
    if (level.waiting == Waiting::Supplier)
      return blockedCause(level.waitingOn, level.waitingEpoch, now);
    if (level.waiting == Waiting::Capacity)
      return level.name + " capacity (no double buffering)";
  }
  return level.name + " fill";
}

bool Engine::issueSteps(uint64_t now, uint64_t &issued) {
  bool progress = false;
  while (issued < lanes && nextStep < plan.steps) {
    uint64_t s = nextStep;
    for (unsigned l = 1; l < plan.levels; ++l) {
      Level &level = *levelStates[l];
      uint64_t epoch = s / level.stepsPerEpoch;
      if (level.current == int64_t(epoch))
        continue;
      if (!ready(l, epoch, now)) {
        cause = blockedCause(l, epoch, now);
        return progress;
      }
      if (trace && level.current >= 0)
        trace->slice(level.tilesTrack, "tile " + std::to_string(level.current),
                     uint64_t(level.switchedAt), now);
      level.current = int64_t(epoch);
      level.switchedAt = int64_t(now);
      progress = true;
    }
    if (!operandsFree) {
      if (!operandsStarted)
        startOperands();
      if (!operandsGranted(now))
        return true;
      operandsStarted = false;
      for (const Transfer &operand : operands)
        lastOperandArrival = std::max(lastOperandArrival, operand.arrival);
    } else {
      for (const Increment &increment : freeOperandIncrements)
        *increment.counter += increment.perUnit;
    }
    if (datapath)
      datapath->issue(s);
    for (unsigned l = 1; l < plan.levels; ++l) {
      Level &level = *levelStates[l];
      if ((s + 1) % level.stepsPerEpoch == 0)
        level.lastIssue[(s / level.stepsPerEpoch) & 3] = now;
    }
    ++nextStep;
    ++issued;
    lastIssueCycle = now;
    lastLanding = now + plan.updateLatency;
    progress = true;
  }
  return progress;
}

void Engine::addStall(const std::string &reason, uint64_t cycles) {
  for (Stall &stall : stallList)
    if (stall.reason == reason) {
      stall.cycles += cycles;
      return;
    }
  stallList.push_back({reason, cycles});
}

void Engine::traceSequencer(const std::string &state, uint64_t now) {
  if (!trace || state == traceState)
    return;
  if (!traceState.empty())
    trace->slice(sequencerTrack, traceState, traceStateSince, now);
  traceState = state;
  traceStateSince = now;
}

uint64_t Engine::nextEvent(uint64_t now) const {
  uint64_t next = UINT64_MAX;
  auto consider = [&](uint64_t cycle) {
    if (cycle > now)
      next = std::min(next, cycle);
  };
  for (unsigned l = 1; l < plan.levels; ++l) {
    const Level &level = *levelStates[l];
    if (level.fillActive)
      return now + 1; // Waiting for budgets that refill every cycle.
    for (uint64_t e = level.filledThrough >= 2 ? level.filledThrough - 2 : 0;
         e < level.filledThrough; ++e)
      consider(level.readyAt[e & 3]);
    for (const Transfer &drain : level.drains) {
      if (!drain.done())
        return now + 1;
      consider(drain.arrival);
    }
    if (level.computeKeeper && level.released < level.epochs)
      consider(level.lastIssue[level.released & 3] + plan.updateLatency);
  }
  if (operandsStarted)
    return now + 1;
  return next;
}

uint64_t Engine::step(uint64_t now) {
  if (done)
    return UINT64_MAX;
  bool progress = false;
  for (unsigned l = plan.levels; l-- > 1;)
    while (tryRelease(*levelStates[l], now))
      progress = true;
  for (unsigned l = 1; l < plan.levels; ++l) {
    Level &level = *levelStates[l];
    for (Transfer &drain : level.drains) {
      bool wasDone = drain.done();
      progress |= drain.advance(now) > 0;
      if (!wasDone && drain.done()) {
        lastDrainArrival = std::max(lastDrainArrival, drain.arrival);
        if (trace)
          trace->slice(level.drainsTrack,
                       "drain " + std::to_string(drain.epoch), drain.started,
                       drain.arrival + 1);
      }
    }
    while (!level.drains.empty() && level.drains.front().done() &&
           level.drains.front().arrival <= now)
      level.drains.pop_front();
  }
  for (unsigned l = 1; l < plan.levels; ++l) {
    Level &level = *levelStates[l];
    progress |= advanceFill(level, now);
    while (tryStartFill(level, now)) {
      progress = true;
      advanceFill(level, now);
    }
  }
  uint64_t issued = 0;
  bool wasIssuing = nextStep < plan.steps;
  progress |= issueSteps(now, issued);
  pes.issue(now, issued);
  if (issued) {
    ++busyCycles;
    cause.clear();
    traceSequencer("compute", now);
  } else if (wasIssuing) {
    traceSequencer(cause, now);
  }

  bool allReleased = true;
  for (unsigned l = 1; l < plan.levels; ++l) {
    const Level &level = *levelStates[l];
    allReleased &= level.released == level.epochs && !level.fillActive;
    for (const Transfer &drain : level.drains)
      allReleased &= drain.done();
  }
  if (nextStep == plan.steps && allReleased) {
    uint64_t last = std::max({pes.quietAfter() - 1, lastLanding,
                              lastDrainArrival, lastOperandArrival});
    endCycle = last + 1;
    uint64_t tail = endCycle - (lastIssueCycle + 1);
    if (tail)
      addStall("pipeline fill/drain", tail);
    traceSequencer("pipeline fill/drain", lastIssueCycle + 1);
    traceSequencer("", endCycle);
    done = true;
    return UINT64_MAX;
  }
  uint64_t next = progress ? now + 1 : nextEvent(now);
  if (next == UINT64_MAX)
    throw std::logic_error("sim: deadlock at cycle " + std::to_string(now) +
                           " (step " + std::to_string(nextStep) + " of " +
                           std::to_string(plan.steps) + ")");
  if (!issued && wasIssuing)
    addStall(cause, next - now);
  return next;
}

} // namespace tessel::sim
