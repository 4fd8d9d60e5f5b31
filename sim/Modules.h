//===- sim/Modules.h - The SystemC model of an Arch --------------*- C++
//-*-===//
//
// The SystemC modules a simulation elaborates, instantiated from the Arch:
// a LevelModule per storage level (its instances as an array stepped by
// one representative: ports, banks, tiles), a NetworkModule per level's
// network (its graph's links), the PeArrayModule (every PE, stepped on the
// falling clock edge), and the ControllerModule (each level's controller
// and the sequencer, stepped on the rising edge; it sleeps with
// next_trigger while everything waits on a latency). Two clocked methods
// step plain C++ objects (sim/Engine.h, sim/PeArray.h); the signals exist
// for tracing (VCD) and are written only when a VCD is requested.
//
// SystemC allows one elaboration per process: build a SimTop once, run it.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_MODULES_H
#define TESSEL_SIM_MODULES_H

#include "sim/Engine.h"
#include "sim/Trace.h"

#include <systemc.h>

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace tessel::sim {

/// One storage level: its tile state as signals.
SC_MODULE(LevelModule) {
  sc_signal<int64_t> epoch;
  sc_signal<bool> filling;
  sc_signal<bool> draining;
  unsigned level;

  LevelModule(sc_module_name name, unsigned level)
      : sc_module(name), level(level) {}
};

/// One level's network: words it carried so far, as a signal.
SC_MODULE(NetworkModule) {
  sc_signal<uint64_t> words;
  unsigned level;

  NetworkModule(sc_module_name name, unsigned level)
      : sc_module(name), level(level) {}
};

/// Called with (cycles simulated, seconds elapsed) about once a second.
using ProgressFn = std::function<void(uint64_t, double)>;

SC_MODULE(ControllerModule) {
  sc_in<bool> clock;
  sc_signal<uint64_t> step;
  sc_signal<bool> stalled;
  sc_event issued;
  bool *peSleeping = nullptr; ///< Set: notify `issued` to wake the PEs.

  SC_HAS_PROCESS(ControllerModule);
  ControllerModule(sc_module_name name, Engine & engine, bool signals,
                   std::vector<LevelModule *> levels,
                   std::vector<NetworkModule *> networks, ProgressFn progress);

private:
  Engine &engine;
  bool signals;
  std::vector<LevelModule *> levels;
  std::vector<NetworkModule *> networks;
  ProgressFn progress;
  std::chrono::steady_clock::time_point started, lastReport;
  bool stopping = false;
  uint64_t lastCycle = UINT64_MAX;
  void tick();
};

SC_MODULE(PeArrayModule) {
  sc_in<bool> clock;
  sc_signal<uint32_t> busy;
  bool sleeping = true; ///< Nothing in flight: waiting for `issued`.

  SC_HAS_PROCESS(PeArrayModule);
  PeArrayModule(sc_module_name name, PeArray & array, const sc_event &issued,
                bool signals, UtilizationCsv *csv, ChromeTrace *trace,
                uint64_t interval);

private:
  PeArray &array;
  const sc_event &issued;
  bool signals;
  UtilizationCsv *csv;
  ChromeTrace *trace;
  uint64_t interval;
  uint64_t windowStart = 0, windowBusy = 0;
  uint64_t lastCycle = UINT64_MAX;
  void tick();
};

/// The whole model of one (Problem, Arch, Mapping).
SC_MODULE(SimTop) {
  sc_clock clock;
  std::vector<std::unique_ptr<LevelModule>> levels;
  std::vector<std::unique_ptr<NetworkModule>> networks;
  std::unique_ptr<ControllerModule> controller;
  std::unique_ptr<PeArrayModule> peArray;

  SimTop(sc_module_name name, const Plan &plan, Engine &engine, bool signals,
         UtilizationCsv *csv, ChromeTrace *trace, uint64_t interval,
         ProgressFn progress);
};

} // namespace tessel::sim

#endif // TESSEL_SIM_MODULES_H
