//===- tools/tessel/Refine.cpp - Simulating candidate mappings ------------===//
#include "Refine.h"

#include "support/Interrupt.h"
#include "support/Subprocess.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace tessel::cli {
namespace {

SimulationOutcome simulateOne(const SimulationTask &task,
                              const SimulationRunOptions &options) {
  SubprocessOptions run;
  // --long: the timeout, not the size estimate, bounds this run.
  run.argv = {options.tesselPath,
              "sim",
              task.modulePath,
              "--arch",
              task.arch.empty() ? options.arch : task.arch,
              "--json",
              "--long",
              "--precision",
              options.precision};
  if (!task.mappingPath.empty()) {
    run.argv.push_back("--mapping");
    run.argv.push_back(task.mappingPath);
  }
  run.stdoutPath = task.outputPath;
  run.stderrPath = task.logPath;
  run.timeoutSeconds = options.timeoutSeconds;
  SubprocessResult child = runSubprocess(run);
  SimulationOutcome outcome;
  outcome.seconds = child.seconds;
  switch (child.outcome) {
  case SubprocessResult::Outcome::NotStarted:
    outcome.failure = child.error;
    return outcome;
  case SubprocessResult::Outcome::TimedOut:
    outcome.failure =
        child.describe(options.timeoutSeconds) + " (" + options.timeoutHint + ")";
    return outcome;
  case SubprocessResult::Outcome::Interrupted:
    outcome.interrupted = true;
    outcome.failure = "interrupted by " + interruptSignalName();
    return outcome;
  case SubprocessResult::Outcome::Signaled:
  case SubprocessResult::Outcome::Exited:
    break;
  }
  std::string error = firstErrorLine(task.logPath, task.op);
  std::string where =
      error.empty() ? " (log: " + task.logPath + ")" : ": " + error;
  if (!child.succeeded()) {
    outcome.failure = "tessel sim: " + child.describe() + where;
    return outcome;
  }
  std::stringstream text;
  text << std::ifstream(task.outputPath).rdbuf();
  std::string why;
  outcome.figures = parseSimulatedFigures(text.str(), task.op, why);
  if (!outcome.figures)
    outcome.failure = "tessel sim: " + why + " (" + task.outputPath + ")";
  return outcome;
}

} // namespace

std::optional<SimulatedFigures> parseSimulatedFigures(const std::string &json,
                                                      const std::string &op,
                                                      std::string &why) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  if (!parsed) {
    why = "its output is not JSON: " + llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *root = parsed->getAsObject();
  const llvm::json::Array *ops = root ? root->getArray("ops") : nullptr;
  for (size_t i = 0; ops && i < ops->size(); ++i) {
    const llvm::json::Object *entry = (*ops)[i].getAsObject();
    auto name = entry ? entry->getString("name") : std::nullopt;
    if (!name || *name != op)
      continue;
    const llvm::json::Object *sim = entry->getObject("sim");
    auto cycles = sim ? sim->getInteger("cycles") : std::nullopt;
    auto energy = sim ? sim->getNumber("energyPJ") : std::nullopt;
    if (!cycles || !energy || *cycles < 0) {
      why = "the report of '" + op + "' has no \"sim\" cycles and energyPJ";
      return std::nullopt;
    }
    return SimulatedFigures{uint64_t(*cycles), *energy};
  }
  why = "its JSON holds no report of '" + op + "' under \"ops\"";
  return std::nullopt;
}

std::vector<SimulationOutcome>
runSimulations(const std::vector<SimulationTask> &tasks,
               const SimulationRunOptions &options) {
  std::vector<SimulationOutcome> outcomes(tasks.size());
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> finished{0}, failed{0}, running{0};
  auto worker = [&] {
    for (size_t i = next++; i < tasks.size(); i = next++) {
      if (interrupted()) {
        outcomes[i].interrupted = true;
        outcomes[i].failure = "not run: interrupted by " +
                              interruptSignalName() + " before it started";
      } else {
        ++running;
        outcomes[i] = simulateOne(tasks[i], options);
        --running;
      }
      if (!outcomes[i].figures && !outcomes[i].interrupted)
        ++failed;
      ++finished;
    }
  };
  auto start = std::chrono::steady_clock::now();
  unsigned workers = unsigned(std::min<size_t>(
      std::max(1u, options.jobs), std::max<size_t>(1, tasks.size())));
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w)
    threads.emplace_back(worker);
  auto progress = [&] {
    if (options.onProgress)
      options.onProgress({finished.load(), failed.load(), running.load(),
                          tasks.size(),
                          std::chrono::duration<double>(
                              std::chrono::steady_clock::now() - start)
                              .count()});
  };
  // This thread reports while the workers run (they only wait on children).
  for (uint64_t ticks = 1; finished.load() < tasks.size(); ++ticks) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (ticks % 5 == 0)
      progress();
  }
  for (std::thread &thread : threads)
    thread.join();
  progress();
  return outcomes;
}

} // namespace tessel::cli
