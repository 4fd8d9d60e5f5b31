//===- support/Subprocess.cpp ---------------------------------------------===//
#include "support/Subprocess.h"

#include "support/Files.h"
#include "support/Interrupt.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace tessel {
namespace {

/// What the child reports through the exec pipe when it cannot start.
struct StartFailure {
  int stage; ///< 0: stdout file, 1: stderr file, 2: exec.
  int error; ///< errno.
};

/// `program` itself when it names a path, else its first executable match
/// on PATH; "" when there is none.
std::string resolveProgram(const std::string &program) {
  if (program.find('/') != std::string::npos)
    return program;
  const char *path = std::getenv("PATH");
  std::stringstream directories(path ? path : "/usr/bin:/bin");
  std::string directory;
  while (std::getline(directories, directory, ':')) {
    std::string candidate =
        (directory.empty() ? "." : directory) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "";
}

/// Writes the whole report; only async-signal-safe calls (after fork).
void reportStartFailure(int fd, int stage) {
  StartFailure failure{stage, errno};
  const char *data = reinterpret_cast<const char *>(&failure);
  size_t left = sizeof failure;
  while (left) {
    ssize_t written = write(fd, data, left);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return;
    data += written;
    left -= size_t(written);
  }
}

int openOutput(const std::string &path) {
  return open(path.empty() ? "/dev/null" : path.c_str(),
              O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

} // namespace

std::string SubprocessResult::describe(double timeoutSeconds) const {
  switch (outcome) {
  case Outcome::Exited:
    return "exit " + std::to_string(exitCode);
  case Outcome::Signaled:
    return "killed by signal " + std::to_string(signal) + " (" +
           strsignal(signal) + ")";
  case Outcome::TimedOut: {
    std::ostringstream text;
    text << "timed out after " << timeoutSeconds << " s";
    return text.str();
  }
  case Outcome::Interrupted:
    return "interrupted";
  case Outcome::NotStarted:
    return error;
  }
  return error;
}

SubprocessResult runSubprocess(const SubprocessOptions &options) {
  SubprocessResult result;
  if (options.argv.empty()) {
    result.error = "cannot run a program: no program given";
    return result;
  }
  std::string program = resolveProgram(options.argv[0]);
  if (program.empty()) {
    result.error = "cannot run '" + options.argv[0] + "': not found on PATH";
    return result;
  }
  // Everything the child needs is made before fork: between fork and exec
  // only async-signal-safe calls (other threads may hold the heap's lock).
  std::vector<std::string> args = options.argv;
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  int pipeFds[2];
  if (pipe2(pipeFds, O_CLOEXEC) != 0) {
    result.error = "cannot run '" + program +
                   "': cannot create a pipe: " + errorText(errno);
    return result;
  }
  auto start = std::chrono::steady_clock::now();
  pid_t parent = getpid();
  pid_t child = fork();
  if (child == 0) {
    // Its own process group, so that a timeout or an interrupt stops it
    // and whatever it starts together; and death with this process.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(126);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGINT);
    sigaddset(&unblock, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
    close(pipeFds[0]);
    int out = openOutput(options.stdoutPath);
    if (out < 0) {
      reportStartFailure(pipeFds[1], 0);
      _exit(127);
    }
    int err = openOutput(options.stderrPath);
    if (err < 0) {
      reportStartFailure(pipeFds[1], 1);
      _exit(127);
    }
    // dup2 clears close-on-exec on the copies.
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execv(program.c_str(), argv.data());
    reportStartFailure(pipeFds[1], 2);
    _exit(127);
  }
  close(pipeFds[1]);
  if (child < 0) {
    close(pipeFds[0]);
    result.error = "cannot run '" + program +
                   "': cannot start a process: " + errorText(errno);
    return result;
  }
  setpgid(child, child); // Also here: no race with a kill of the group.
  // The pipe closes at exec (success) or carries why the child could not.
  StartFailure failure{-1, 0};
  size_t got = 0;
  while (got < sizeof failure) {
    ssize_t n = read(pipeFds[0], reinterpret_cast<char *>(&failure) + got,
                     sizeof failure - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += size_t(n);
  }
  close(pipeFds[0]);
  int status = 0;
  if (got == sizeof failure) {
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    static const char *what[] = {"cannot write its output ",
                                 "cannot write its log ", ""};
    static const std::string *paths[] = {&options.stdoutPath,
                                         &options.stderrPath, nullptr};
    std::string where =
        failure.stage >= 0 && failure.stage < 2
            ? std::string(what[failure.stage]) + *paths[failure.stage] + ": "
            : "";
    result.error =
        "cannot run '" + program + "': " + where + errorText(failure.error);
    return result;
  }

  bool timedOut = false, stopped = false;
  std::chrono::steady_clock::time_point graceEnd;
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  while (true) {
    // Sees the exit without reaping, so that the group id is still the
    // child's when the group is killed below.
    siginfo_t info{};
    int waited = waitid(P_PID, id_t(child), &info, WEXITED | WNOHANG | WNOWAIT);
    result.seconds = elapsed();
    if (waited == 0 && info.si_pid == child)
      break;
    if (waited < 0 && errno != EINTR)
      break;
    if (!timedOut && !stopped && options.timeoutSeconds > 0 &&
        result.seconds > options.timeoutSeconds) {
      timedOut = true;
      kill(-child, SIGKILL);
    }
    if (!timedOut && !stopped && interrupted()) {
      stopped = true;
      kill(-child, SIGTERM);
      graceEnd =
          std::chrono::steady_clock::now() +
          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
              std::chrono::duration<double>(options.graceSeconds));
    }
    if (stopped && std::chrono::steady_clock::now() >= graceEnd)
      kill(-child, SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Whatever the leader left behind in its group goes with it.
  kill(-child, SIGKILL);
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  result.seconds = elapsed();
  if (timedOut)
    result.outcome = SubprocessResult::Outcome::TimedOut;
  else if (stopped)
    result.outcome = SubprocessResult::Outcome::Interrupted;
  else if (WIFSIGNALED(status)) {
    result.outcome = SubprocessResult::Outcome::Signaled;
    result.signal = WTERMSIG(status);
  } else {
    result.outcome = SubprocessResult::Outcome::Exited;
    result.exitCode = WEXITSTATUS(status);
  }
  return result;
}

std::string firstErrorLine(const std::string &logPath,
                           const std::string &about) {
  std::ifstream log(logPath);
  std::string line, first;
  while (std::getline(log, line)) {
    if (line.find("error:") == std::string::npos)
      continue;
    if (line.find("'" + about + "'") != std::string::npos)
      return line;
    if (first.empty())
      first = line;
  }
  return first;
}

std::string selfExecutablePath(std::string &error) {
  std::error_code code;
  std::string path =
      std::filesystem::read_symlink("/proc/self/exe", code).string();
  if (code) {
    error = "cannot find this program's own path (/proc/self/exe): " +
            code.message();
    return "";
  }
  return path;
}

} // namespace tessel
