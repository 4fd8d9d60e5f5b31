//===- test/support/InterruptTest.cpp -------------------------------------===//
#include "support/Interrupt.h"

#include <gtest/gtest.h>

#include <csignal>

namespace tessel {
namespace {

TEST(InterruptTest, SignalsSetTheFlagAndTheProcessLivesOn) {
  installInterruptHandlers();
  clearInterrupt();
  EXPECT_FALSE(interrupted());
  EXPECT_EQ(interruptSignalName(), "");
  std::raise(SIGTERM);
  EXPECT_TRUE(interrupted());
  EXPECT_EQ(interruptSignal(), SIGTERM);
  EXPECT_EQ(interruptSignalName(), "SIGTERM");
  // The first signal is the one reported.
  std::raise(SIGINT);
  EXPECT_EQ(interruptSignalName(), "SIGTERM");
  clearInterrupt();
  std::raise(SIGINT);
  EXPECT_EQ(interruptSignalName(), "SIGINT");
  clearInterrupt();
}

TEST(InterruptTest, AnInheritedIgnoreIsUndone) {
  std::signal(SIGINT, SIG_IGN);
  installInterruptHandlers();
  clearInterrupt();
  std::raise(SIGINT);
  EXPECT_TRUE(interrupted());
  clearInterrupt();
}

TEST(InterruptTest, RequestedLikeASignal) {
  clearInterrupt();
  requestInterrupt(SIGINT);
  EXPECT_TRUE(interrupted());
  EXPECT_EQ(kInterruptedExitCode, 130);
  clearInterrupt();
}

} // namespace
} // namespace tessel
