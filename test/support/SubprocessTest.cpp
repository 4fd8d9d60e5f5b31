//===- test/support/SubprocessTest.cpp ------------------------------------===//
#include "support/Subprocess.h"

#include "support/Interrupt.h"

#include <gmock/gmock.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace tessel {
namespace {

using ::testing::HasSubstr;
using Outcome = SubprocessResult::Outcome;

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "subprocess-" + std::to_string(getpid()) + "-" +
         name;
}

std::string readFile(const std::string &path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

/// Whether `pid` runs (a zombie, dead but not reaped by its new parent,
/// does not).
bool running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return false;
  size_t close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() &&
         line[close + 2] != 'Z' && line[close + 2] != 'X';
}

TEST(Subprocess, ExitStatusAndOutputsArePassedOn) {
  SubprocessOptions options;
  options.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"};
  options.stdoutPath = tempPath("out");
  options.stderrPath = tempPath("err");
  SubprocessResult result = runSubprocess(options);
  EXPECT_EQ(result.outcome, Outcome::Exited);
  EXPECT_EQ(result.exitCode, 3);
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.describe(), "exit 3");
  EXPECT_EQ(readFile(options.stdoutPath), "out\n");
  EXPECT_EQ(readFile(options.stderrPath), "err\n");
  options.argv = {"sh", "-c", "exit 0"};
  EXPECT_TRUE(runSubprocess(options).succeeded());
}

TEST(Subprocess, ASignalThatEndsItIsReported) {
  SubprocessOptions options;
  options.argv = {"sh", "-c", "kill -SEGV $$"};
  SubprocessResult result = runSubprocess(options);
  EXPECT_EQ(result.outcome, Outcome::Signaled);
  EXPECT_EQ(result.signal, SIGSEGV);
  EXPECT_THAT(result.describe(), HasSubstr("signal 11"));
}

TEST(Subprocess, ATimeoutKillsTheChildAndItsGrandchild) {
  std::string pidFile = tempPath("grandchild.pid");
  std::remove(pidFile.c_str());
  SubprocessOptions options;
  // The shell starts a grandchild and waits for it: both must go.
  options.argv = {"sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait"};
  options.timeoutSeconds = 0.5;
  auto start = std::chrono::steady_clock::now();
  SubprocessResult result = runSubprocess(options);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  EXPECT_EQ(result.outcome, Outcome::TimedOut);
  EXPECT_EQ(result.describe(0.5), "timed out after 0.5 s");
  EXPECT_GE(result.seconds, 0.5);
  EXPECT_LT(seconds, 10);
  pid_t grandchild = 0;
  std::ifstream(pidFile) >> grandchild;
  ASSERT_GT(grandchild, 0) << "the shell did not start its grandchild";
  // SIGKILL is delivered at once; allow its new parent a moment to reap.
  for (int i = 0; i < 200 && running(grandchild); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(running(grandchild)) << "orphan: sleep " << grandchild;
}

TEST(Subprocess, AnInterruptStopsTheGroup) {
  installInterruptHandlers();
  clearInterrupt();
  SubprocessOptions options;
  options.argv = {"sleep", "60"};
  options.graceSeconds = 0.2;
  std::thread interrupter([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    requestInterrupt(SIGINT);
  });
  SubprocessResult result = runSubprocess(options);
  interrupter.join();
  clearInterrupt();
  EXPECT_EQ(result.outcome, Outcome::Interrupted);
  EXPECT_LT(result.seconds, 10);
}

TEST(Subprocess, AMissingProgramIsAClearError) {
  SubprocessOptions options;
  options.argv = {"/nonexistent/tessel-nope", "sim"};
  SubprocessResult result = runSubprocess(options);
  EXPECT_EQ(result.outcome, Outcome::NotStarted);
  EXPECT_EQ(result.error, "cannot run '/nonexistent/tessel-nope': No such "
                          "file or directory");
  options.argv = {"tessel-no-such-program-on-path"};
  result = runSubprocess(options);
  EXPECT_EQ(result.outcome, Outcome::NotStarted);
  EXPECT_THAT(result.error, HasSubstr("not found on PATH"));
  options.argv = {};
  EXPECT_EQ(runSubprocess(options).outcome, Outcome::NotStarted);
}

TEST(Subprocess, AnOutputFileThatCannotBeWrittenIsAClearError) {
  SubprocessOptions options;
  options.argv = {"sh", "-c", "exit 0"};
  options.stdoutPath = "/nonexistent-dir/out.json";
  SubprocessResult result = runSubprocess(options);
  EXPECT_EQ(result.outcome, Outcome::NotStarted);
  EXPECT_THAT(result.error,
              HasSubstr("cannot write its output /nonexistent-dir/out.json: "
                        "No such file or directory"));
}

TEST(Subprocess, SelfPathIsThisProgram) {
  std::string error;
  std::string path = selfExecutablePath(error);
  EXPECT_EQ(error, "");
  EXPECT_THAT(path, HasSubstr("tessel_support_tests"));
}

} // namespace
} // namespace tessel
