//===- support/Subprocess.h - A child process, bounded and killable -*- C++
//-*-//
//
// Runs a program in a child process with its stdout and stderr in files, a
// wall-clock timeout, and its own process group: on a timeout, or when the
// parent is interrupted (support/Interrupt.h), the whole group is stopped
// (SIGTERM, a grace period, then SIGKILL), so that no grandchild outlives
// it; so is what the child leaves behind when it exits. The child also dies
// with its parent, whatever kills the parent (PR_SET_PDEATHSIG); a
// grandchild does too only if it asks for the same (`tessel sim`'s
// simulation processes do). A program that cannot be started (missing, not
// executable, an output file that cannot be opened) is an error naming it,
// never exit status 127. Safe to call from several threads at once.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_SUBPROCESS_H
#define TESSEL_SUPPORT_SUBPROCESS_H

#include <string>
#include <vector>

namespace tessel {

struct SubprocessOptions {
  std::vector<std::string> argv; ///< argv[0] is the program's path.
  std::string stdoutPath;        ///< Created or replaced; "" = /dev/null.
  std::string stderrPath;        ///< Created or replaced; "" = /dev/null.
  double timeoutSeconds = 0;     ///< Wall clock; 0: none.
  /// Between SIGTERM and SIGKILL when the parent is interrupted (the child
  /// may close its files). A timeout kills at once.
  double graceSeconds = 0.8;
};

struct SubprocessResult {
  enum class Outcome {
    Exited,      ///< It ended by itself: `exitCode`.
    Signaled,    ///< A signal ended it: `signal`.
    TimedOut,    ///< Killed, with its group, at the timeout.
    Interrupted, ///< Stopped, with its group, because the parent was.
    NotStarted,  ///< `error` says why.
  };
  Outcome outcome = Outcome::NotStarted;
  int exitCode = -1;
  int signal = 0;
  double seconds = 0;
  std::string error;

  bool succeeded() const { return outcome == Outcome::Exited && !exitCode; }
  /// "exit 0", "exit 1", "killed by signal 11", "timed out after 5 s",
  /// "interrupted", or the error.
  std::string describe(double timeoutSeconds = 0) const;
};

/// Runs `options.argv` and waits for it (and for its process group to be
/// gone after a timeout or an interrupt).
SubprocessResult runSubprocess(const SubprocessOptions &options);

/// Why a child failed, from the log it wrote: the first line that says
/// "error:" about `about` (quoted as 'about'), else the first that says
/// "error:" at all (warnings and notes are no reasons); "" if none.
std::string firstErrorLine(const std::string &logPath,
                           const std::string &about);

/// This program's own path (/proc/self/exe); "" and `error` set if unknown.
std::string selfExecutablePath(std::string &error);

} // namespace tessel

#endif // TESSEL_SUPPORT_SUBPROCESS_H
