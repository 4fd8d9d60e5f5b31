//===- sim/Modules.cpp ----------------------------------------------------===//
#include "sim/Modules.h"

namespace tessel::sim {
namespace {

uint64_t cycleNow() {
  static const sc_core::sc_time::value_type period =
      sc_core::sc_time(1, sc_core::SC_NS).value();
  return sc_core::sc_time_stamp().value() / period;
}

} // namespace

ControllerModule::ControllerModule(sc_module_name name, Engine &engine,
                                   bool signals,
                                   std::vector<LevelModule *> levels,
                                   std::vector<NetworkModule *> networks,
                                   ProgressFn progress)
    : sc_module(name), engine(engine), signals(signals),
      levels(std::move(levels)), networks(std::move(networks)),
      progress(std::move(progress)) {
  started = lastReport = std::chrono::steady_clock::now();
  SC_METHOD(tick);
  sensitive << clock.pos();
  dont_initialize();
}

void ControllerModule::tick() {
  uint64_t now = cycleNow();
  if (stopping) {
    sc_core::sc_stop();
    return;
  }
  // A timed wake-up and the clock edge of the same cycle: step once.
  if (now == lastCycle) {
    next_trigger();
    return;
  }
  lastCycle = now;
  uint64_t issuedBefore = engine.issuedSteps();
  uint64_t next = engine.step(now);
  if (engine.issuedSteps() != issuedBefore && peSleeping && *peSleeping)
    issued.notify(sc_core::SC_ZERO_TIME);
  if (signals) {
    step.write(engine.issuedSteps());
    stalled.write(!engine.lastCause().empty());
    for (LevelModule *level : levels) {
      level->epoch.write(engine.currentEpoch(level->level));
      level->filling.write(engine.filling(level->level));
      level->draining.write(engine.draining(level->level));
    }
    for (NetworkModule *network : networks) {
      uint64_t words = 0;
      const ActionCounts &counts = engine.actions();
      for (unsigned t = 0; t < counts.tensorCount(); ++t)
        words += counts.at(network->level, t).networkWords;
      network->words.write(words);
    }
  }
  if (progress && (now & 0xffff) == 0) {
    auto wall = std::chrono::steady_clock::now();
    if (wall - lastReport > std::chrono::seconds(1)) {
      lastReport = wall;
      progress(now, std::chrono::duration<double>(wall - started).count());
    }
  }
  if (engine.finished()) {
    stopping = true;
    next_trigger(
        sc_core::sc_time(double(engine.cycles() - now), sc_core::SC_NS));
  } else if (next > now + 1) {
    next_trigger(sc_core::sc_time(double(next - now), sc_core::SC_NS));
  } else {
    next_trigger(); // The next rising edge.
  }
}

PeArrayModule::PeArrayModule(sc_module_name name, PeArray &array,
                             const sc_event &issued, bool signals,
                             UtilizationCsv *csv, ChromeTrace *trace,
                             uint64_t interval)
    : sc_module(name), array(array), issued(issued), signals(signals), csv(csv),
      trace(trace), interval(interval ? interval : 1) {
  SC_METHOD(tick);
  sensitive << clock.neg();
  dont_initialize();
}

void PeArrayModule::tick() {
  uint64_t cycle = cycleNow();
  if (cycle == lastCycle) {
    next_trigger();
    return;
  }
  lastCycle = cycle;
  uint64_t busyPes = array.step(cycle);
  if (signals)
    busy.write(uint32_t(busyPes));
  if (csv)
    csv->add(cycle, busyPes);
  if (trace) {
    while (cycle >= windowStart + interval) {
      trace->counter("PE utilization", windowStart,
                     double(windowBusy) / double(interval * array.pes()));
      windowStart += interval;
      windowBusy = 0;
    }
    windowBusy += busyPes;
  }
  sleeping = !array.anyIssued() || cycle + 1 >= array.quietAfter();
  if (sleeping)
    next_trigger(issued);
  else
    next_trigger(); // The next falling edge.
}

SimTop::SimTop(sc_module_name name, const Plan &plan, Engine &engine,
               bool signals, UtilizationCsv *csv, ChromeTrace *trace,
               uint64_t interval, ProgressFn progress)
    : sc_module(name), clock("clock", 1, sc_core::SC_NS) {
  std::vector<LevelModule *> levelPointers;
  std::vector<NetworkModule *> networkPointers;
  for (unsigned l = 0; l < plan.levels; ++l) {
    const StorageLevel &level = plan.arch.levels[l];
    levels.push_back(std::make_unique<LevelModule>(level.name.c_str(), l));
    networks.push_back(
        std::make_unique<NetworkModule>((level.name + "_network").c_str(), l));
    levelPointers.push_back(levels.back().get());
    networkPointers.push_back(networks.back().get());
  }
  controller = std::make_unique<ControllerModule>(
      "controller", engine, signals, levelPointers, networkPointers,
      std::move(progress));
  controller->clock(clock);
  peArray = std::make_unique<PeArrayModule>("pe_array", engine.peArray(),
                                            controller->issued, signals, csv,
                                            trace, interval);
  peArray->clock(clock);
  controller->peSleeping = &peArray->sleeping;
}

} // namespace tessel::sim

// libsystemc's main() calls sc_main; Tessel's programs have their own main()
// and drive SystemC through tessel::sim::simulate, so this is never run. It
// exists because the shared library refers to it.
int sc_main(int, char **) { return 1; }
