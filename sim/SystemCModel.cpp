//===- sim/SystemCModel.cpp - The SystemC side of the simulator -----------===//
//
// The SystemC modules of sim/StructuralTop.h and the SystemC kernel's
// settings, built as a module of their own (libtessel_systemc.so, the only
// object that links libsystemc.so), which sim/StructuralTop.cpp loads when
// the first simulation starts: loading libsystemc and running its static
// initializers (a 3 MB heap zeroed) cost every run of every program ~5 ms,
// `tessel --version` included (issue 18). The module calls Tessel back only
// through StructuralPhases' virtual functions: it needs no symbol of the
// program that loads it.
//
//===----------------------------------------------------------------------===//
#include "sim/StructuralTop.h"

#include <systemc.h>

#include <cstdio>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel::sim {
namespace {

/// One step of a cycle: a method woken by `go`, which does its work and
/// wakes the next step one delta cycle later.
SC_MODULE(Stage) {
  sc_core::sc_event go;
  sc_core::sc_event *next = nullptr;
  std::function<void()> work;

  SC_HAS_PROCESS(Stage);
  Stage(sc_core::sc_module_name name, std::function<void()> work)
      : sc_module(name), work(std::move(work)) {
    SC_METHOD(run);
    sensitive << go;
    dont_initialize();
  }

private:
  void run() {
    work();
    next->notify(); // Immediate: the next stage runs in this evaluation phase.
  }
};

/// A storage level: its instances' programs, read ports and drains.
SC_MODULE(LevelModule) {
  std::unique_ptr<Stage> programs, ports, drains;

  LevelModule(sc_core::sc_module_name name, StructuralPhases & phases,
              unsigned level)
      : sc_module(name) {
    programs = std::make_unique<Stage>(
        "programs", [&phases, level] { phases.programs(level); });
    ports = std::make_unique<Stage>("ports",
                                    [&phases, level] { phases.ports(level); });
    drains = std::make_unique<Stage>(
        "drains", [&phases, level] { phases.drains(level); });
  }
};

/// A level's network: its links and routers.
SC_MODULE(NetworkModule) {
  std::unique_ptr<Stage> step;

  NetworkModule(sc_core::sc_module_name name, StructuralPhases & phases,
                unsigned level)
      : sc_module(name) {
    step = std::make_unique<Stage>("step",
                                   [&phases, level] { phases.network(level); });
  }
};

/// Every PE of the innermost level (or none: a systolic array as built is
/// the controller's, between the phases).
SC_MODULE(PeArrayModule) {
  std::unique_ptr<Stage> compute;

  PeArrayModule(sc_core::sc_module_name name, StructuralPhases & phases)
      : sc_module(name) {
    compute = std::make_unique<Stage>("compute", [&phases] { phases.pes(); });
  }
};

/// The clock's consumer. At each clock edge its method delivers the
/// control path and starts the chain of stages; its thread waits for the
/// chain's end, ends the cycle and, with a systolic array as built, steps
/// the array's fold controller (sim/SystolicSim.h) before the next edge.
SC_MODULE(Controller) {
  sc_core::sc_in<bool> clock;
  sc_core::sc_event cycleDone;
  sc_core::sc_event *first = nullptr;

  SC_HAS_PROCESS(Controller);
  Controller(sc_core::sc_module_name name, StructuralPhases & phases)
      : sc_module(name), phases(phases) {
    SC_METHOD(edge);
    sensitive << clock.pos();
    dont_initialize();
    SC_THREAD(run);
    // The thread runs the whole simulation (with a systolic array, its
    // fold controller's loop): a coroutine's default stack (64 KiB here)
    // is too small for it, above all under the sanitizers.
    set_stack_size(kThreadStackBytes);
  }
  static constexpr size_t kThreadStackBytes = size_t(64) << 20;

private:
  StructuralPhases &phases;
  bool running = false;

  static uint64_t cycleNow() {
    static const sc_core::sc_time::value_type period =
        sc_core::sc_time(1, sc_core::SC_NS).value();
    return sc_core::sc_time_stamp().value() / period;
  }
  void edge() {
    if (!running)
      return;
    phases.begin(cycleNow());
    first->notify();
  }
  /// The end of cycle `t`, once its stages ran.
  bool cycleEnd(uint64_t t) {
    wait(cycleDone);
    if (cycleNow() != t)
      throw std::logic_error("the structural simulator's clock and its "
                             "cycle count went out of step");
    phases.end();
    return phases.moved();
  }
  void run() {
    phases.prepare();
    running = phases.error().empty();
    uint64_t t = 0;
    if (running)
      t = phases.runArray([this](uint64_t c) { return cycleEnd(c); });
    for (bool going = running && phases.error().empty(); going; ++t) {
      cycleEnd(t);
      going = phases.after();
    }
    running = false;
    sc_core::sc_stop();
  }
};

SC_MODULE(StructuralTop) {
  sc_core::sc_clock clock;
  std::unique_ptr<Controller> controller;
  std::vector<std::unique_ptr<LevelModule>> levels;
  std::vector<std::unique_ptr<NetworkModule>> networks;
  std::unique_ptr<PeArrayModule> peArray;

  StructuralTop(sc_core::sc_module_name name, StructuralPhases & phases)
      : sc_module(name), clock("clock", 1, sc_core::SC_NS) {
    unsigned count = phases.levelCount();
    controller = std::make_unique<Controller>("controller", phases);
    controller->clock(clock);
    for (unsigned l = 0; l < count; ++l)
      levels.push_back(std::make_unique<LevelModule>(
          ("level" + std::to_string(l)).c_str(), phases, l));
    for (unsigned l = 0; l + 1 < count; ++l)
      networks.push_back(std::make_unique<NetworkModule>(
          ("network" + std::to_string(l)).c_str(), phases, l));
    peArray = std::make_unique<PeArrayModule>("pe_array", phases);
    // The chain: programs from the PEs out, ports and drains from the
    // outermost in, the PEs, the networks from the outermost in.
    std::vector<Stage *> chain;
    for (unsigned l = count; l-- > 0;)
      chain.push_back(levels[l]->programs.get());
    for (unsigned l = 0; l < count; ++l)
      chain.push_back(levels[l]->ports.get());
    for (unsigned l = 0; l < count; ++l)
      chain.push_back(levels[l]->drains.get());
    chain.push_back(peArray->compute.get());
    for (auto &network : networks)
      chain.push_back(network->step.get());
    controller->first = &chain.front()->go;
    for (size_t i = 0; i + 1 < chain.size(); ++i)
      chain[i]->next = &chain[i + 1]->go;
    chain.back()->next = &controller->cycleDone;
  }
};

} // namespace

} // namespace tessel::sim

/// The entry point (sim/StructuralTop.cpp, kSystemCEntry): runs `phases`
/// clocked by the SystemC kernel, once per process.
extern "C" __attribute__((visibility("default"))) void
tesselRunSystemC(tessel::sim::StructuralPhases *phases) {
  // SystemC prints its reports on stdout, which is the user's output
  // (tables, --json): they go to stderr instead.
  sc_core::sc_report_handler::set_handler(
      [](const sc_core::sc_report &report, const sc_core::sc_actions &actions) {
        if (actions & sc_core::SC_DISPLAY)
          std::fprintf(stderr, "%s\n",
                       sc_core::sc_report_compose_message(report).c_str());
        sc_core::sc_report_handler::default_handler(
            report, actions & ~sc_core::SC_DISPLAY);
      });
  // sc_stop() reports itself as information; the caller reports results.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  tessel::sim::StructuralTop top("tessel", *phases);
  sc_core::sc_start();
}

// libsystemc's main() calls sc_main; Tessel's programs have their own main()
// and drive SystemC through tesselRunSystemC, so this is never run. It
// exists because the shared library refers to it.
int sc_main(int, char **) {
  return 1;
}
