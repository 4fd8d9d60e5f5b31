//===- sim/Simulator.cpp --------------------------------------------------===//
#include "sim/Simulator.h"

#include "arch/Arch.h"
#include "sim/Datapath.h"
#include "sim/Modules.h"
#include "sim/Plan.h"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace tessel::sim {
namespace {

void settleReport(const Arch &arch, const Engine &engine, SimResult &result) {
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
  report.cycles = engine.cycles();
  uint64_t peak = arch.peakMacsPerCycle();
  report.utilization =
      report.cycles && peak
          ? double(report.macs) / (double(report.cycles) * double(peak))
          : 0;
}

/// Opens a VCD trace at exactly `path` (SystemC appends ".vcd").
struct VcdFile {
  sc_core::sc_trace_file *file = nullptr;
  std::string path, written;

  explicit VcdFile(const std::string &target) : path(target) {
    if (path.empty())
      return;
    std::string base = path.size() > 4 && path.substr(path.size() - 4) == ".vcd"
                           ? path.substr(0, path.size() - 4)
                           : path + ".tmp";
    written = base + ".vcd";
    file = sc_core::sc_create_vcd_trace_file(base.c_str());
    if (!file)
      throw std::runtime_error(path + ": error: cannot write the file");
    file->set_time_unit(1, sc_core::SC_NS);
  }
  void close() {
    if (!file)
      return;
    sc_core::sc_close_vcd_trace_file(file);
    file = nullptr;
    if (written != path)
      std::rename(written.c_str(), path.c_str());
  }
};

} // namespace

SimResult simulate(const Problem &problem, const Arch &arch,
                   const Mapping &mapping, const SimOptions &options) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  // sc_stop() reports itself as information; the caller reports results.
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO,
                                          sc_core::SC_DO_NOTHING);
  Plan plan(problem, arch, mapping);
  std::unique_ptr<Datapath> datapath;
  if (options.functional)
    datapath = std::make_unique<Datapath>(plan, options.seed);
  std::unique_ptr<ChromeTrace> trace;
  if (!options.chromeTrace.empty())
    trace = std::make_unique<ChromeTrace>(options.chromeTrace);
  std::unique_ptr<UtilizationCsv> csv;
  if (!options.utilization.empty())
    csv = std::make_unique<UtilizationCsv>(options.utilization,
                                           options.utilizationInterval,
                                           plan.instances[plan.levels].count);
  Engine engine(plan, datapath.get(), trace.get());
  ProgressFn progress;
  if (options.progress)
    progress = [&](uint64_t cycles, double seconds) {
      std::fprintf(stderr, "\r%s%llu cycles simulated (%.2f M cycles/s)",
                   options.progressLabel.c_str(),
                   static_cast<unsigned long long>(cycles),
                   double(cycles) / seconds / 1e6);
      std::fflush(stderr);
    };
  VcdFile vcd(options.vcd);
  SimTop top("tessel", plan, engine, vcd.file != nullptr, csv.get(),
             trace.get(), options.utilizationInterval, progress);
  if (vcd.file) {
    sc_core::sc_trace(vcd.file, top.clock, "clock");
    sc_core::sc_trace(vcd.file, top.controller->step, "sequencer.step");
    sc_core::sc_trace(vcd.file, top.controller->stalled, "sequencer.stalled");
    sc_core::sc_trace(vcd.file, top.peArray->busy, "pe_array.busy");
    for (auto &level : top.levels) {
      std::string name = level->basename();
      sc_core::sc_trace(vcd.file, level->epoch, name + ".epoch");
      sc_core::sc_trace(vcd.file, level->filling, name + ".filling");
      sc_core::sc_trace(vcd.file, level->draining, name + ".draining");
    }
    for (auto &network : top.networks)
      sc_core::sc_trace(vcd.file, network->words,
                        std::string(network->basename()) + ".words");
  }
  auto started = std::chrono::steady_clock::now();
  sc_core::sc_start();
  SimResult result;
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  vcd.close();
  if (options.progress)
    std::fprintf(stderr, "\r%*s\r", 60, "");
  if (!engine.finished())
    throw std::logic_error("sim: the simulation stopped before the end");
  if (csv)
    csv->finish(engine.cycles());
  result.report = Report(arch.levelCount(), problem.tensors.size());
  Report &report = result.report;
  report.evaluator = "sim";
  report.macs = problem.macs();
  report.executedMacs = engine.peArray().macs();
  report.actions = engine.actions();
  report.actions.macs = report.executedMacs;
  energyOf(arch, report.actions, report.energy);
  result.stalls = engine.stalls();
  result.computeCycles = engine.computeCycles();
  result.pes = engine.peArray().pes();
  settleReport(arch, engine, result);
  if (datapath) {
    result.functional = true;
    datapath->finish();
    result.mismatch = datapath->check();
    if (result.mismatch.empty() && datapath->macs() != report.executedMacs)
      result.mismatch =
          "the datapath performed " + std::to_string(datapath->macs()) +
          " MACs but the PEs " + std::to_string(report.executedMacs);
  }
  return result;
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
  os << "tessel-sim-result 1 " << actions.levelCount() << ' '
     << actions.tensorCount() << ' ';
  putString(os, report.evaluator);
  os << report.cycles << ' ' << report.macs << ' ' << report.executedMacs << ' '
     << report.utilization << ' ' << actions.macs << ' ' << report.energy.macs
     << ' ';
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
  return os.str();
}

std::optional<SimResult> decodeResult(const std::string &text) {
  std::istringstream is(text);
  std::string magic;
  int version = 0;
  unsigned levels = 0, tensors = 0;
  if (!(is >> magic >> version >> levels >> tensors) ||
      magic != "tessel-sim-result" || version != 1 || levels > 1000 ||
      tensors > 1000)
    return std::nullopt;
  SimResult result;
  result.report = Report(levels, tensors);
  Report &report = result.report;
  is.get();
  if (!getString(is, report.evaluator))
    return std::nullopt;
  is >> report.cycles >> report.macs >> report.executedMacs >>
      report.utilization >> report.actions.macs >> report.energy.macs;
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
  std::vector<SimResult> results(count);
  std::vector<Child> running;
  size_t next = 0;
  jobs = std::max(1u, jobs);
  auto launch = [&](size_t index) {
    int fds[2];
    if (pipe(fds) != 0)
      throw std::runtime_error("sim: cannot create a pipe");
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
      throw std::runtime_error("sim: cannot start a process");
    if (pid == 0) {
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
        if (written <= 0)
          break;
        data += written;
        left -= size_t(written);
      }
      close(fds[1]);
      _exit(0);
    }
    close(fds[1]);
    running.push_back({pid, fds[0], index, {}});
  };
  while (next < count || !running.empty()) {
    while (next < count && running.size() < jobs)
      launch(next++);
    std::vector<pollfd> polls;
    for (const Child &child : running)
      polls.push_back({child.fd, POLLIN, 0});
    if (poll(polls.data(), polls.size(), -1) < 0)
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
      close(child.fd);
      int status = 0;
      waitpid(child.pid, &status, 0);
      std::optional<SimResult> decoded = decodeResult(child.output);
      if (decoded) {
        results[child.index] = std::move(*decoded);
      } else {
        results[child.index].error =
            WIFSIGNALED(status) ? "the simulation process died (signal " +
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
