//===- sim/StructuralTop.h - The structural simulator in SystemC -*- C++ -*-=//
//
// The structural simulator (sim/Structural.h) elaborated as SystemC
// modules, clocked by one sc_clock (1 ns a cycle):
//
//   Controller      the control path and the cycle's sequence: a method on
//                   each clock edge delivers the requests sent last cycle
//                   and starts the chain of stages; a thread waits for the
//                   chain's end, ends the cycle and, with a systolic array
//                   as built, steps the array's fold controller
//                   (sim/SystolicSim.h) before the next edge;
//   LevelModule     one per storage level: its instances' programs (tiles
//                   finish and start), read ports and drains;
//   NetworkModule   one per level with a network: its links and routers;
//   PeArrayModule   every PE of the innermost level.
//
// Within a cycle the modules run in StructuralPhases' order (programs from
// the PEs out, then ports and drains from the outermost level in, the PEs,
// the networks from the outermost in), each woken by an immediate event of
// the one before it: the kernel's process order cannot change a result,
// and a clocked run equals simulateStructural's exactly.
// Each module's method steps the plain C++ components it holds; `--vcd`
// traces their state (tiles done, PEs computing, words on links) through
// sim/VcdWriter.h, not sc_trace.
//
// SystemC elaborates once per process: call this once per process (the
// simulator's callers run each simulation in its own child process).
//
// The modules and the SystemC kernel are a module of their own,
// libtessel_systemc.so (sim/SystemCModel.cpp), loaded by the first
// simulation (or loadSystemC): a program that never simulates never loads
// libsystemc.so, whose loading and static initializers cost ~5 ms a run.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_STRUCTURALTOP_H
#define TESSEL_SIM_STRUCTURALTOP_H

#include "sim/Structural.h"

#include <string>

namespace tessel::sim {

/// Loads libtessel_systemc.so if it is not yet loaded (a parent does, before
/// it forks the simulations' processes); "" or why it cannot.
std::string loadSystemC();

/// simulateStructural's simulation, run by the SystemC kernel (`error` says
/// if libtessel_systemc.so cannot be loaded).
StructuralResult simulateStructuralClocked(const Problem &problem,
                                           const Arch &arch,
                                           const Mapping &mapping,
                                           const StructuralOptions &options);

} // namespace tessel::sim

#endif // TESSEL_SIM_STRUCTURALTOP_H
