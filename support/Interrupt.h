//===- support/Interrupt.h - SIGINT and SIGTERM as a polled flag -*- C++ -*-===//
//
// Long loops (the search, the simulator's clock, validation's cases) stop
// when the user presses Ctrl-C or a supervisor sends SIGTERM: the handlers
// installed here only record the signal (async-signal-safe); the loops poll
// interrupted(), keep what they finished, and the command says so and exits
// with kInterruptedExitCode. Blocking calls return EINTR (no SA_RESTART).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_INTERRUPT_H
#define TESSEL_SUPPORT_INTERRUPT_H

#include <string>

namespace tessel {

/// The exit status of a command stopped by SIGINT or SIGTERM (128 + SIGINT,
/// for both, as shells report Ctrl-C).
constexpr int kInterruptedExitCode = 130;

/// Installs the handlers for SIGINT and SIGTERM (again if something
/// replaced them). Also undoes an inherited SIG_IGN: a command started in
/// the background by a script must still stop when told to.
void installInterruptHandlers();

/// Whether SIGINT or SIGTERM arrived since the handlers were installed
/// (or the flag was cleared).
bool interrupted();

/// The first signal that arrived (SIGINT or SIGTERM), 0 if none.
int interruptSignal();

/// "SIGINT", "SIGTERM" (or "signal N"); "" if none arrived.
std::string interruptSignalName();

/// Forgets an arrived signal (tests; a forked child that starts afresh).
void clearInterrupt();

/// Records `signal` as if it had arrived (tests, and callers that stop a
/// run for the same reasons, e.g. a parent asking its children to stop).
void requestInterrupt(int signal);

} // namespace tessel

#endif // TESSEL_SUPPORT_INTERRUPT_H
