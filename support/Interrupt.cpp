//===- support/Interrupt.cpp ----------------------------------------------===//
#include "support/Interrupt.h"

#include <atomic>
#include <csignal>
#include <cstring>

namespace tessel {
namespace {

std::atomic<int> arrived{0};
static_assert(std::atomic<int>::is_always_lock_free,
              "the signal handler needs a lock-free flag");

extern "C" void onInterruptSignal(int signal) {
  int none = 0;
  arrived.compare_exchange_strong(none, signal);
}

} // namespace

void installInterruptHandlers() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = onInterruptSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0; // No SA_RESTART: poll(), waitpid() and sleeps wake.
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, SIGINT);
  sigaddset(&unblock, SIGTERM);
  sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
}

bool interrupted() { return arrived.load(std::memory_order_relaxed) != 0; }

int interruptSignal() { return arrived.load(); }

std::string interruptSignalName() {
  switch (int signal = arrived.load()) {
  case 0:
    return "";
  case SIGINT:
    return "SIGINT";
  case SIGTERM:
    return "SIGTERM";
  default:
    return "signal " + std::to_string(signal);
  }
}

void clearInterrupt() { arrived.store(0); }

void requestInterrupt(int signal) { onInterruptSignal(signal); }

} // namespace tessel
