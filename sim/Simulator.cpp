//===- sim/Simulator.cpp --------------------------------------------------===//
#include "sim/Simulator.h"
#include "sim/Structural.h"
#include "sim/StructuralTop.h"
#include "sim/VcdWriter.h"

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "sim/Trace.h"
#include "workloads/Problem.h"

#include "support/Checked.h"
#include "support/Files.h"
#include "support/Interrupt.h"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tessel::sim {
namespace {

/// The resources' cycles and the bottleneck: computing and each stall
/// cause; the utilization over the simulated cycles.
void settleReport(const Arch &arch, SimResult &result) {
  Report &report = result.report;
  report.resourceCycles.push_back({"compute", result.computeCycles});
  for (const Stall &stall : result.stalls)
    report.resourceCycles.push_back({stall.reason, stall.cycles});
  report.bottleneck.clear();
  uint64_t largest = 0;
  for (const ResourceCycles &resource : report.resourceCycles)
    if (resource.cycles > largest || report.bottleneck.empty()) {
      largest = resource.cycles;
      report.bottleneck = resource.resource;
    }
  uint64_t peak = arch.peakMacsPerCycle();
  report.utilization =
      report.cycles && peak
          ? double(report.macs) / (double(report.cycles) * double(peak))
          : 0;
}

std::string cutWarning(const std::string &path, uint64_t limit,
                       uint64_t cycle) {
  return path + ": warning: the trace reached its size limit of " +
         byteSize(limit) + " at cycle " + std::to_string(cycle) +
         "; later events are left out (the file is complete up to there)";
}

/// The Chrome trace and utilization CSV a run writes, if asked for.
struct TraceFiles {
  std::unique_ptr<ChromeTrace> trace;
  std::unique_ptr<UtilizationCsv> csv;

  TraceFiles(const SimOptions &options, uint64_t pes) {
    if (!options.chromeTrace.empty())
      trace = std::make_unique<ChromeTrace>(options.chromeTrace,
                                            options.traceLimitBytes);
    if (!options.utilization.empty())
      csv = std::make_unique<UtilizationCsv>(options.utilization,
                                             options.utilizationInterval, pes,
                                             options.traceLimitBytes);
  }
  /// Ends the CSV at `endCycle`, closes both; write errors into `errors`,
  /// a trace cut at its limit into `warnings`.
  void close(const SimOptions &options, uint64_t endCycle,
             std::vector<std::string> &errors,
             std::vector<std::string> &warnings) {
    if (csv)
      csv->finish(endCycle);
    for (std::string problem : {trace ? trace->close() : std::string(),
                                csv ? csv->close() : std::string()})
      if (!problem.empty())
        errors.push_back(problem);
    if (trace && trace->truncated())
      warnings.push_back(cutWarning(
          options.chromeTrace, options.traceLimitBytes, trace->truncatedAt()));
    if (csv && csv->truncated())
      warnings.push_back(cutWarning(
          options.utilization, options.traceLimitBytes, csv->truncatedAt()));
  }
};

} // namespace

namespace {

/// "1.2e+12" for a count people read as a size.
std::string roughly(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2g", value);
  return text;
}

/// "33 min" / "4.1 h" / "12 s".
std::string duration(double seconds) {
  char text[32];
  if (seconds < 120)
    std::snprintf(text, sizeof text, "%.0f s", seconds);
  else if (seconds < 7200)
    std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
  else if (seconds < 3 * 86400)
    std::snprintf(text, sizeof text, "%.1f h", seconds / 3600);
  else if (seconds < 2 * 365.0 * 86400)
    std::snprintf(text, sizeof text, "%.0f days", seconds / 86400);
  else
    std::snprintf(text, sizeof text, "%.2g years", seconds / (365.0 * 86400));
  return text;
}

} // namespace

std::string simulationEstimate(const SimulationSize &size, const Arch &arch) {
  return roughly(double(size.cycles)) + " cycles x " +
         std::to_string(arch.peCount()) + " PEs, about " +
         duration(size.seconds()) + " or more";
}

std::string simulationRefusal(const SimulationSize &size, const Arch &arch,
                              bool functional, bool allowLong) {
  if (size.bytes(functional) > kMaxSimulationBytes)
    return "would hold " + roughly(double(size.backingWords)) +
           " words of tensors and " + roughly(double(size.instances)) +
           " buffer and PE instances (" +
           roughly(double(size.bytes(functional))) + " bytes), more than the " +
           std::to_string(kMaxSimulationBytes >> 30) +
           " GiB limit; evaluate it with 'tessel eval'";
  if (!allowLong && size.seconds() > kLongSimulationSeconds)
    return "takes at least " + simulationEstimate(size, arch) + " (over the " +
           std::to_string(int(kLongSimulationSeconds)) +
           " s limit); pass --long to run it, or evaluate it with 'tessel "
           "eval'";
  return "";
}

SimulationSize minimumSimulationSize(const Problem &problem, const Arch &arch,
                                     const Mapping &mapping) {
  SimulationSize size;
  std::vector<int64_t> whole = mapping.coveredBounds(problem.dims.size());
  for (unsigned t = 0; t < problem.tensors.size(); ++t)
    size.backingWords =
        saturatingAdd(size.backingWords, problem.footprint(t, whole));
  size.cycles = 1;
  for (const LevelMapping &level : mapping.levels)
    for (const Loop &loop : level.temporal)
      size.cycles = saturatingMul(size.cycles, uint64_t(loop.factor));
  size.peCycles = saturatingMul(size.cycles, arch.peCount());
  // Instances: each level's, the product of the spatial factors above it.
  uint64_t spread = 1;
  for (const LevelMapping &level : mapping.levels) {
    size.instances = saturatingAdd(size.instances, spread);
    for (const SpatialLoop &loop : level.spatial)
      spread = saturatingMul(spread, uint64_t(loop.factor));
  }
  size.systolic =
      arch.levelCount() >= 2 &&
      arch.levels[arch.levelCount() - 2].network.topology == "systolic";
  return size;
}

namespace {

/// The structural engine's run as a SimResult.
SimResult simulateStructurally(const Problem &problem, const Arch &arch,
                               const Mapping &mapping,
                               const SimOptions &options) {
  SimResult result;
  std::unique_ptr<VcdWriter> vcd;
  if (!options.vcd.empty())
    vcd = std::make_unique<VcdWriter>(options.vcd, options.traceLimitBytes);
  TraceFiles files(options, arch.peCount());
  StructuralOptions structural;
  structural.trace = files.trace.get();
  structural.vcd = vcd.get();
  structural.utilization = files.csv.get();
  structural.utilizationInterval =
      std::max<uint64_t>(1, options.utilizationInterval);
  structural.functional = options.functional;
  structural.seed = options.seed;
  structural.progress = options.progress;
  structural.progressLabel = options.progressLabel;
  StructuralResult run =
      simulateStructuralClocked(problem, arch, mapping, structural);
  result.seconds = run.seconds;
  result.interrupted = run.interrupted;
  // Every trace file is closed and checked, interrupted or not.
  std::vector<std::string> writeErrors;
  files.close(options, run.report.cycles, writeErrors, result.warnings);
  if (vcd) {
    std::string problem = vcd->close();
    if (!problem.empty())
      writeErrors.push_back(problem);
  }
  for (const std::string &problem : writeErrors)
    result.error += (result.error.empty() ? "" : "; ") + problem;
  if (vcd && vcd->truncated())
    result.warnings.push_back(
        cutWarning(options.vcd, options.traceLimitBytes, vcd->truncatedAt()));
  if (!run.error.empty())
    result.error = run.error +
                   (run.interrupted && (files.trace || files.csv || vcd)
                        ? " (the traces hold the cycles simulated so far)"
                        : "") +
                   (result.error.empty() ? "" : "; " + result.error);
  result.functional = run.checked;
  result.mismatch = run.mismatch;
  result.pes = run.pes;
  result.report = run.report;
  result.report.evaluator = "sim";
  result.notes = run.notes;
  for (const auto &[name, count] : run.dram)
    result.events.push_back({"DRAM " + name, count});
  for (const auto &[name, cycles] : run.busiestLinks)
    result.events.push_back({"cycles words waited for " + name, cycles});
  for (const CycleShare &share : run.shares) {
    if (share.what.rfind("compute", 0) == 0)
      result.computeCycles = share.cycles;
    else
      result.stalls.push_back({share.what, share.cycles});
  }
  settleReport(arch, result);
  return result;
}

} // namespace

SimResult simulate(const Problem &problem, const Arch &arch,
                   const Mapping &mapping, const SimOptions &options) {
  // The SystemC kernel's settings (reports to stderr, no banner) are
  // sim/SystemCModel.cpp's.
  if (interrupted()) {
    SimResult stopped;
    stopped.interrupted = true;
    stopped.error = "interrupted by " + interruptSignalName() +
                    " before the simulation started";
    return stopped;
  }
  return simulateStructurally(problem, arch, mapping, options);
}

namespace {

void putString(std::ostream &os, const std::string &text) {
  os << text.size() << ':' << text << ' ';
}

bool getString(std::istream &is, std::string &text) {
  size_t size = 0;
  char colon = 0;
  if (!(is >> size) || !is.get(colon) || colon != ':')
    return false;
  text.resize(size);
  return size == 0 || bool(is.read(&text[0], std::streamsize(size)));
}

} // namespace

std::string encodeResult(const SimResult &result) {
  std::ostringstream os;
  os.precision(17);
  const Report &report = result.report;
  const ActionCounts &actions = report.actions;
  os << "tessel-sim-result 3 " << actions.levelCount() << ' '
     << actions.tensorCount() << ' ';
  putString(os, report.evaluator);
  os << report.cycles << ' ' << report.macs << ' ' << report.executedMacs << ' '
     << report.utilization << ' ' << actions.macs << ' ' << actions.cycles
     << ' ' << report.energy.macs << ' ' << report.energy.leakage << ' ';
  for (unsigned l = 0; l < actions.levelCount(); ++l)
    for (unsigned t = 0; t < actions.tensorCount(); ++t) {
      const TensorActions &a = actions.at(l, t);
      const TensorEnergy &e = report.energy.at(l, t);
      os << a.reads << ' ' << a.fills << ' ' << a.updates << ' '
         << a.networkWords << ' ' << a.networkHops << ' ' << e.reads << ' '
         << e.fills << ' ' << e.updates << ' ' << e.network << ' ';
    }
  os << report.resourceCycles.size() << ' ';
  for (const ResourceCycles &resource : report.resourceCycles) {
    putString(os, resource.resource);
    os << resource.cycles << ' ';
  }
  putString(os, report.bottleneck);
  os << result.stalls.size() << ' ';
  for (const Stall &stall : result.stalls) {
    putString(os, stall.reason);
    os << stall.cycles << ' ';
  }
  os << result.computeCycles << ' ' << result.pes << ' ' << result.seconds
     << ' ' << result.functional << ' ';
  putString(os, result.mismatch);
  putString(os, result.error);
  os << result.interrupted << ' ' << result.warnings.size() << ' ';
  for (const std::string &warning : result.warnings)
    putString(os, warning);
  os << result.events.size() << ' ';
  for (const Stall &event : result.events) {
    putString(os, event.reason);
    os << event.cycles << ' ';
  }
  os << result.notes.size() << ' ';
  for (const std::string &note : result.notes)
    putString(os, note);
  return os.str();
}

std::optional<SimResult> decodeResult(const std::string &text) {
  std::istringstream is(text);
  std::string magic;
  int version = 0;
  unsigned levels = 0, tensors = 0;
  if (!(is >> magic >> version >> levels >> tensors) ||
      magic != "tessel-sim-result" || version != 3 || levels > 1000 ||
      tensors > 1000)
    return std::nullopt;
  SimResult result;
  result.report = Report(levels, tensors);
  Report &report = result.report;
  is.get();
  if (!getString(is, report.evaluator))
    return std::nullopt;
  is >> report.cycles >> report.macs >> report.executedMacs >>
      report.utilization >> report.actions.macs >> report.actions.cycles >>
      report.energy.macs >> report.energy.leakage;
  for (unsigned l = 0; l < levels; ++l)
    for (unsigned t = 0; t < tensors; ++t) {
      TensorActions &a = report.actions.at(l, t);
      TensorEnergy &e = report.energy.at(l, t);
      is >> a.reads >> a.fills >> a.updates >> a.networkWords >>
          a.networkHops >> e.reads >> e.fills >> e.updates >> e.network;
    }
  size_t count = 0;
  is >> count;
  for (size_t i = 0; i < count && is; ++i) {
    ResourceCycles resource;
    is.get();
    getString(is, resource.resource);
    is >> resource.cycles;
    report.resourceCycles.push_back(resource);
  }
  is.get();
  getString(is, report.bottleneck);
  is >> count;
  for (size_t i = 0; i < count && is; ++i) {
    Stall stall;
    is.get();
    getString(is, stall.reason);
    is >> stall.cycles;
    result.stalls.push_back(stall);
  }
  is >> result.computeCycles >> result.pes >> result.seconds >>
      result.functional;
  is.get();
  getString(is, result.mismatch);
  is.get();
  getString(is, result.error);
  size_t warnings = 0;
  is >> result.interrupted >> warnings;
  for (size_t i = 0; i < warnings && i < 1000 && is; ++i) {
    std::string warning;
    is.get();
    getString(is, warning);
    result.warnings.push_back(warning);
  }
  size_t events = 0;
  is >> events;
  for (size_t i = 0; i < events && i < 1000 && is; ++i) {
    Stall event;
    is.get();
    getString(is, event.reason);
    is >> event.cycles;
    result.events.push_back(event);
  }
  size_t notes = 0;
  is >> notes;
  for (size_t i = 0; i < notes && i < 1000 && is; ++i) {
    std::string note;
    is.get();
    getString(is, note);
    result.notes.push_back(note);
  }
  if (!is)
    return std::nullopt;
  return result;
}

std::vector<SimResult>
runIsolated(size_t count, unsigned jobs,
            const std::function<SimResult(size_t)> &task) {
  struct Child {
    pid_t pid;
    int fd;
    size_t index;
    std::string output;
  };
  using Clock = std::chrono::steady_clock;
  std::vector<SimResult> results(count);
  std::vector<Child> running;
  size_t next = 0;
  jobs = std::max(1u, jobs);
  // SystemC is loaded once, here, not by each child after the fork (a
  // child that cannot load it says so in its result).
  loadSystemC();
  pid_t parent = getpid();
  bool stopping = false, killed = false;
  Clock::time_point deadline;
  auto launch = [&](size_t index) {
    int fds[2];
    if (pipe(fds) != 0)
      throw std::runtime_error("sim: cannot create a pipe: " +
                               errorText(errno));
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
      int error = errno;
      close(fds[0]);
      close(fds[1]);
      throw std::runtime_error("sim: cannot start a process: " +
                               errorText(error));
    }
    if (pid == 0) {
      // Die with the parent, whatever kills it; stop cleanly on SIGINT
      // and SIGTERM (the parent forwards them).
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent)
        _exit(1);
      installInterruptHandlers();
      close(fds[0]);
      SimResult result;
      try {
        result = task(index);
      } catch (const std::exception &error) {
        result.error = error.what();
      }
      std::string text = encodeResult(result);
      const char *data = text.data();
      size_t left = text.size();
      while (left) {
        ssize_t written = write(fds[1], data, left);
        if (written < 0 && errno == EINTR)
          continue;
        if (written <= 0)
          break;
        data += written;
        left -= size_t(written);
      }
      close(fds[1]);
      std::fflush(stderr);
      _exit(0);
    }
    close(fds[1]);
    running.push_back({pid, fds[0], index, {}});
  };
  while (next < count || !running.empty()) {
    if (!stopping && interrupted()) {
      // Tell the running children; give them a moment to close traces.
      stopping = true;
      deadline =
          Clock::now() + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(kChildGraceSeconds));
      for (const Child &child : running)
        kill(child.pid, interruptSignal());
      for (; next < count; ++next) {
        results[next].interrupted = true;
        results[next].error = "not run: interrupted by " +
                              interruptSignalName() + " before it started";
      }
    }
    if (stopping && !killed && Clock::now() >= deadline) {
      killed = true;
      for (const Child &child : running)
        kill(child.pid, SIGKILL);
    }
    while (!stopping && next < count && running.size() < jobs)
      launch(next++);
    if (running.empty())
      break;
    std::vector<pollfd> polls;
    for (const Child &child : running)
      polls.push_back({child.fd, POLLIN, 0});
    // A timeout, so that a signal delivered to another thread is seen.
    if (poll(polls.data(), polls.size(), 50) <= 0)
      continue;
    for (size_t i = running.size(); i-- > 0;) {
      if (!(polls[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      Child &child = running[i];
      char buffer[65536];
      ssize_t got = read(child.fd, buffer, sizeof buffer);
      if (got > 0) {
        child.output.append(buffer, size_t(got));
        continue;
      }
      if (got < 0 && errno == EINTR)
        continue;
      close(child.fd);
      int status = 0;
      while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
      }
      std::optional<SimResult> decoded = decodeResult(child.output);
      SimResult &result = results[child.index];
      if (decoded) {
        result = std::move(*decoded);
      } else if (stopping) {
        result.interrupted = true;
        result.error = "interrupted by " + interruptSignalName() +
                       (killed ? " (killed: it did not stop in time)" : "");
      } else {
        result.error = WIFSIGNALED(status)
                           ? "the simulation process died (signal " +
                                 std::to_string(WTERMSIG(status)) + ")"
                           : "the simulation process returned no result";
      }
      running.erase(running.begin() + long(i));
    }
  }
  return results;
}

SimResult simulateIsolated(const Problem &problem, const Arch &arch,
                           const Mapping &mapping, const SimOptions &options) {
  return runIsolated(1, 1, [&](size_t) {
    return simulate(problem, arch, mapping, options);
  })[0];
}

} // namespace tessel::sim
