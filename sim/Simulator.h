//===- sim/Simulator.h - Simulate a mapping cycle by cycle ------*- C++ -*-===//
//
// The simulator's public interface: (Problem, Arch, Mapping) lowered into
// the structural model (sim/Structural.h: every buffer instance, link and
// PE with its program), elaborated as SystemC modules (sim/StructuralTop.h),
// simulated, and reported in the shared Report (cycles, actions per level x
// tensor with the analytical models' names, energy through arch/Energy.h's
// energyOf, utilization), with the stall breakdown and, in functional mode, the
// check of the output against a direct computation. docs/sim.md explains the
// model.
//
// SystemC elaborates once per process: simulate() may be called once per
// process; simulateIsolated() runs it in a child process (any number of
// times, and several at once with runIsolated).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_SIMULATOR_H
#define TESSEL_SIM_SIMULATOR_H

#include "mapping/Report.h"
#include "support/Checked.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tessel {
struct Arch;
struct Mapping;
struct Problem;
} // namespace tessel

namespace tessel::sim {

/// The default size limit of each trace file (Chrome JSON, VCD, CSV).
constexpr uint64_t kDefaultTraceLimitBytes = uint64_t(256) << 20;

/// A cause of cycles without a MAC, and how many.
struct Stall {
  std::string reason;
  uint64_t cycles = 0;
};

struct SimOptions {
  bool functional = false;            ///< Carry values and check the output.
  uint64_t seed = 1;                  ///< Of the functional inputs.
  std::string chromeTrace;            ///< Chrome trace-event JSON file, if set.
  std::string vcd;                    ///< VCD file, if set.
  std::string utilization;            ///< Utilization CSV file, if set.
  uint64_t utilizationInterval = 100; ///< Cycles per CSV row and counter.
  /// Each trace file stops growing here (still a complete file; the
  /// result's warnings say at which cycle). 0: no limit.
  uint64_t traceLimitBytes = kDefaultTraceLimitBytes;
  /// Prints a progress line to stderr about once a second, prefixed so.
  bool progress = false;
  std::string progressLabel;
};

struct SimResult {
  Report report{0, 0};
  std::vector<Stall> stalls;  ///< Cycles per cause; sums to cycles with
  uint64_t computeCycles = 0; ///< the cycles in which a step issued.
  uint64_t pes = 0;           ///< PEs the array steps (the mapping's).
  double seconds = 0;         ///< Wall-clock time of the simulation.
  bool functional = false;
  std::string mismatch; ///< The first wrong output element, if any.
  std::string error;    ///< Why the simulation could not run, if it failed.
  /// SIGINT or SIGTERM stopped it (support/Interrupt.h): `error` says at
  /// which cycle; the traces hold what was simulated, closed cleanly.
  bool interrupted = false;
  std::vector<std::string> warnings; ///< E.g. a trace cut at its limit.
  /// How it ran, for the user: e.g. why a systolic array did not run as
  /// built.
  std::vector<std::string> notes;
  /// Events the components counted beyond the Report (the structural
  /// engine's DRAM row hits, misses, conflicts, refreshes, ...).
  std::vector<Stall> events;

  /// Simulated PE-cycles per second of wall-clock time.
  double peCyclesPerSecond() const {
    return seconds > 0 ? double(pes) * double(report.cycles) / seconds : 0;
  }
};

/// The least a simulation of `mapping` must step, known before it starts:
/// at least as many cycles as temporal steps (the product of the temporal
/// factors), every PE of the array stepped on each. Saturates.
struct SimulationSize {
  uint64_t cycles = 0;
  uint64_t peCycles = 0;
  /// Words of the tensors' boxes in the backing store, each held as a
  /// 64-bit value (the simulator carries every word's value).
  uint64_t backingWords = 0;
  /// The level above the PEs is a systolic array, which the simulator
  /// runs as built (sim/SystolicArray.h), far faster per PE-cycle.
  bool systolic = false;
  /// Buffer and PE instances the mapping uses, every level.
  uint64_t instances = 0;
  /// Memory an instance takes before it holds words: its queues, maps and
  /// ports (9.5 KiB measured on 65,536 PEs under one bus, 2026-12-01).
  static constexpr uint64_t kBytesPerInstance = 10 << 10;
  uint64_t bytes(bool functional) const {
    (void)functional; // Timed runs carry the values too.
    return saturatingAdd(saturatingMul<uint64_t>(backingWords, 8),
                         saturatingMul(instances, kBytesPerInstance));
  }
  /// Wall-clock seconds at the rates below (a lower bound, roughly).
  double seconds() const {
    return double(cycles) * kSecondsPerCycle +
           double(peCycles) *
               (systolic ? kSecondsPerPeCycleSystolic : kSecondsPerPeCycle);
  }
  /// What the simulator costs per cycle (its SystemC clock and the
  /// controller's chain of modules: about 0.5 us a cycle measured on a
  /// tpu16 run, 2026-12-01; 150 ns is the floor) and per PE-cycle: the
  /// fastest measured, a lower bound: ResNet-50's layer3_0_conv2 on Eyeriss
  /// (168 PEs) at 1.9e4 cycles/s; word-heavy mappings run slower (fc on 100
  /// PEs: about 1 us per PE-cycle).
  static constexpr double kSecondsPerCycle = 150e-9;
  static constexpr double kSecondsPerPeCycle = 0.3e-6;
  /// A systolic array as built: tessel_systolic_bench's fastest dataflow
  /// (IS, 32x32) at about 2e8 stepped PE-cycles/s, 2026-12-01.
  static constexpr double kSecondsPerPeCycleSystolic = 5e-9;
};
SimulationSize minimumSimulationSize(const Problem &problem, const Arch &arch,
                                     const Mapping &mapping);
/// Simulations needing more memory than this for their tensors are refused.
constexpr uint64_t kMaxSimulationBytes = uint64_t(4) << 30; // 4 GiB.
/// Simulations estimated longer than this must be asked for (`tessel sim
/// --long`).
constexpr double kLongSimulationSeconds = 60;

/// "6.2e+10 cycles x 16 PEs, about 2.9 h or more": the estimate as text.
std::string simulationEstimate(const SimulationSize &size, const Arch &arch);
/// Why a simulation of `size` must not start, as the rest of "simulating
/// 'op' ...": tensors over kMaxSimulationBytes, or (unless `allowLong`) an
/// estimate over kLongSimulationSeconds. Empty when it may start. Every
/// command that simulates asks this one function.
std::string simulationRefusal(const SimulationSize &size, const Arch &arch,
                              bool functional, bool allowLong);

/// Simulates in this process. SystemC allows this once per process.
/// Throws std::runtime_error for an unwritable trace file, std::logic_error
/// if the simulation deadlocks (a bug). Polls interrupted() every few
/// thousand cycles: on SIGINT/SIGTERM it stops, closes the traces and
/// returns a result with `interrupted` set.
SimResult simulate(const Problem &problem, const Arch &arch,
                   const Mapping &mapping, const SimOptions &options = {});

/// simulate() in a forked child process; errors come back in `error`.
SimResult simulateIsolated(const Problem &problem, const Arch &arch,
                           const Mapping &mapping,
                           const SimOptions &options = {});

/// Runs `count` simulations, each in its own child process, at most `jobs`
/// at a time; `task(i)` (called in the child) simulates the i-th. Results
/// in order. The children stay in the caller's process group (so a
/// supervisor that kills the group kills them too) and die with the
/// caller (PR_SET_PDEATHSIG). On SIGINT/SIGTERM in the caller, no new
/// child starts, the running ones are told (SIGTERM) and given
/// kChildGraceSeconds to close their traces, then killed; every child is
/// waited for. Results of children that did not finish say so in `error`
/// with `interrupted` set.
constexpr double kChildGraceSeconds = 0.8;

std::vector<SimResult>
runIsolated(size_t count, unsigned jobs,
            const std::function<SimResult(size_t)> &task);

/// A text form of a result, and back (for results crossing processes).
std::string encodeResult(const SimResult &result);
std::optional<SimResult> decodeResult(const std::string &text);

} // namespace tessel::sim

#endif // TESSEL_SIM_SIMULATOR_H
