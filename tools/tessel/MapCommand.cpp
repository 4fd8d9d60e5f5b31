//===- tools/tessel/MapCommand.cpp - `tessel map` -------------------------===//
//
// Maps every op of a module: builds each op's map space under the Arch and
// the constraints, searches it with a mapper on a cost model, attaches the
// best mapping to the op as a tessel.mapping attribute, writes the module
// and prints a table of what was found.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Json.h"
#include "MappedModule.h"
#include "Options.h"
#include "Refine.h"

#include "mapper/Mapper.h"
#include "mapping/Dialect/MappingAttr.h"
#include "mapping/MappingYaml.h"
#include "support/Checked.h"
#include "support/Files.h"
#include "support/Interrupt.h"
#include "support/Subprocess.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>
#include <unistd.h>

namespace tessel::cli {
namespace {

struct MapOptions {
  std::string file;
  std::string arch;
  Precision precision = Precision::Words;
  std::string constraints;
  std::string output;
  std::string objective = "edp";
  MapRequest request;
  bool json = false;
  bool space = false;
  bool progress = false;
  // Simulation in the loop (--refine-with-sim K; 0: off).
  uint64_t refineK = 0;
  std::string refineDir;
  unsigned jobs = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxJobs);
  double simTimeout = 300;
};

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string fixedSeconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", seconds);
  return text;
}

/// The K candidates of one op and what the simulator said about them.
struct OpRefinement {
  std::vector<RankedMapping> candidates; ///< The search's top, model order.
  std::vector<std::string> modules;      ///< Each one's mapped module.
  bool filesKept = true; ///< False once the temporary directory is gone.
  std::vector<SimulationOutcome> simulations;
  RefineRanking ranking;
};

struct OpOutcome {
  std::string name;
  SearchResult result;
  std::string error;
  std::optional<MappingSpec> spec; ///< The chosen mapping, by name.
  // For the refinement: the op while the module is alive, and the Problem.
  mlir::Operation *op = nullptr;
  std::optional<Problem> problem;
  std::optional<OpRefinement> refine;
};

/// Whether -o names a mapping YAML file rather than an MLIR module.
bool isYamlPath(const std::string &path) {
  auto endsWith = [&](const std::string &suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) ==
               0;
  };
  return endsWith(".yaml") || endsWith(".yml");
}

/// A mapping as JSON: per level its loops and kept tensors.
llvm::json::Value mappingJson(const MappingSpec &spec) {
  llvm::json::Array levels;
  for (const LevelSpec &level : spec.levels) {
    llvm::json::Array temporal, spatial, keep;
    for (const LoopSpec &loop : level.temporal)
      temporal.push_back(
          llvm::json::Object{{"dim", loop.dim}, {"factor", loop.factor}});
    for (const SpatialLoopSpec &loop : level.spatial)
      spatial.push_back(llvm::json::Object{{"dim", loop.dim},
                                           {"factor", loop.factor},
                                           {"axis", axisName(loop.axis)}});
    for (const std::string &tensor : level.keep)
      keep.push_back(tensor);
    levels.push_back(llvm::json::Object{{"level", level.level},
                                        {"temporal", std::move(temporal)},
                                        {"spatial", std::move(spatial)},
                                        {"keep", std::move(keep)}});
  }
  return llvm::json::Value(std::move(levels));
}

/// Writes the mappings found as a mapping YAML file (what check, eval and
/// sim read with --mapping); false after an error.
bool writeMappingsYaml(const std::vector<OpOutcome> &outcomes,
                       const std::string &path) {
  std::vector<NamedMapping> mappings;
  for (const OpOutcome &outcome : outcomes)
    if (outcome.spec)
      mappings.push_back({outcome.name, *outcome.spec});
  std::ofstream out(path);
  out << mappingsToYaml(mappings);
  out.close();
  if (!out) {
    std::cerr << "error writing " << path << ": " << std::strerror(errno)
              << "\n";
    return false;
  }
  return true;
}

void printSpace(const Problem &problem, const MapSpace &space,
                std::ostream &os) {
  os << "map space of " << problem.name << ":\n";
  Table table({"after", "size", "what it applies"}, {false, true, false});
  for (const SpaceSize &size : space.sizes())
    table.addRow({size.family, size.size.text(), size.note});
  table.print(os, "  ");
}

void printTable(const std::vector<OpOutcome> &outcomes,
                const MapOptions &options, std::ostream &os) {
  // One unit for the energy column: the total's (the largest value).
  double largest = 0;
  for (const OpOutcome &outcome : outcomes)
    if (outcome.error.empty() && outcome.result.report)
      largest += outcome.result.report->energy.total();
  EnergyUnit unit = energyUnitFor(largest);
  std::string costUnit = objectiveUnit(options.objective);
  Table table(
      {"op", "mapper", "evaluations", "valid",
       options.objective + (costUnit.empty() ? "" : " (" + costUnit + ")"),
       "cycles", std::string("energy (") + unit.name + ")", "time (s)",
       "stopped by"},
      {false, false, true, true, true, true, true, true, false});
  uint64_t cycles = 0;
  double energy = 0;
  for (const OpOutcome &outcome : outcomes) {
    const SearchResult &r = outcome.result;
    if (!outcome.error.empty() || !r.report) {
      bool skipped = r.stopReason == "not searched";
      table.addRow({outcome.name, options.request.mapper,
                    withCommas(r.evaluations), "",
                    skipped ? "-" : "no valid mapping", "", "", "",
                    outcome.error.empty() || r.stopReason == "not searched"
                        ? r.stopReason
                        : "error"});
      continue;
    }
    cycles += r.report->cycles;
    energy += r.report->energy.total();
    table.addRow(
        {outcome.name, r.mapper, withCommas(r.evaluations),
         std::to_string(r.evaluations ? 100 * r.valid / r.evaluations : 0) +
             "%",
         scientific(r.bestCost), withCommas(r.report->cycles),
         energyIn(r.report->energy.total(), unit), fixedSeconds(r.seconds),
         r.stopReason});
  }
  table.addRule();
  // An interrupted run has no module total: the ops left out would make it
  // look smaller than it is.
  bool complete = !interrupted();
  table.addRow({complete ? "total" : "total so far", "", "", "", "",
                withCommas(cycles), energyIn(energy, unit), "", ""});
  table.print(os);
  if (complete)
    os << "module: " << withCommas(cycles) << " cycles, " << humanEnergy(energy)
       << ", EDP " << scientific(double(cycles) * energy) << " cycle*pJ\n";
  else
    os << "module: incomplete (interrupted), no total\n";
  uint64_t valid = 0, pruned = 0;
  for (const OpOutcome &outcome : outcomes) {
    valid += outcome.result.valid;
    pruned += outcome.result.pruned;
  }
  if (pruned)
    os << "pruned: " << withCommas(pruned) << " of " << withCommas(valid)
       << " valid candidates were not evaluated in full: the model's floor "
          "showed they could not beat the best kept\n";
}

/// A file name for `op` unique in `used` ("conv1", then "conv1.2").
std::string uniqueStem(const std::string &op,
                       std::map<std::string, int> &used) {
  std::string stem;
  for (char c : op)
    stem += std::isalnum((unsigned char)c) || c == '_' || c == '-' ? c : '_';
  int seen = used[stem]++;
  return seen ? stem + "." + std::to_string(seen + 1) : stem;
}

/// Writes `module` to `path`; "" or why not.
std::string writeModule(mlir::Operation *module, const std::string &path) {
  std::error_code error;
  llvm::raw_fd_ostream out(path, error, llvm::sys::fs::OF_Text);
  if (error)
    return path + ": error: cannot write the file: " + error.message();
  module->print(out);
  out << "\n";
  out.close();
  if (out.has_error()) {
    std::string why = "error writing " + path + ": " + out.error().message();
    out.clear_error();
    return why;
  }
  return "";
}

/// The directory the candidates go to: --refine-dir, else a new one under
/// $TMPDIR; "" after printing why not.
std::string refineDirectory(const MapOptions &options, bool &temporary) {
  temporary = options.refineDir.empty();
  if (!temporary) {
    std::string problem = makeDirectories(options.refineDir);
    if (!problem.empty()) {
      std::cerr << problem << " (--refine-dir)\n";
      return "";
    }
    return options.refineDir;
  }
  const char *tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp && *tmp ? tmp : "/tmp") + "/tessel-refine-XXXXXX";
  if (!mkdtemp(pattern.data())) {
    std::cerr << pattern << ": error: cannot make a directory for the "
              << "candidates: " << errorText(errno)
              << " (set TMPDIR, or give --refine-dir DIR)\n";
    return "";
  }
  return pattern;
}

/// Simulation in the loop: writes each op's candidates as mapped modules
/// (the op carrying the candidate, no other op mapped), simulates them all,
/// ranks each op's by the simulated objective and attaches the winner.
/// Returns false when an op had no candidate simulated (it keeps the
/// model's best) or the candidates could not be written.
bool refineWithSimulation(mlir::Operation *module,
                          std::vector<OpOutcome> &outcomes,
                          const MapOptions &options, const Arch &arch,
                          bool showProgress) {
  std::string toolError;
  std::string tessel = selfExecutablePath(toolError);
  if (tessel.empty()) {
    std::cerr << "tessel map: error: " << toolError << "\n";
    return false;
  }
  bool temporary = false;
  std::string directory = refineDirectory(options, temporary);
  if (directory.empty())
    return false;
  // Every op's own mapping is set aside while the candidates are written:
  // each candidate module maps its one op, so `tessel sim` runs only it.
  std::vector<std::pair<mlir::Operation *, mlir::Attribute>> attached;
  module->walk([&](mlir::Operation *op) {
    if (mlir::Attribute attr =
            op->getAttr(dialect::TesselDialect::kMappingAttrName))
      attached.emplace_back(op, attr);
  });
  for (auto &[op, attr] : attached)
    op->removeAttr(dialect::TesselDialect::kMappingAttrName);
  std::vector<SimulationTask> tasks;
  std::vector<std::pair<size_t, size_t>> taskOf; // (outcome, candidate)
  std::map<std::string, int> stems;
  bool ok = true;
  for (size_t o = 0; o < outcomes.size(); ++o) {
    OpOutcome &outcome = outcomes[o];
    if (!outcome.op || !outcome.problem || outcome.result.top.empty())
      continue;
    OpRefinement &refine = outcome.refine.emplace();
    refine.candidates = outcome.result.top;
    refine.simulations.resize(refine.candidates.size());
    std::string stem =
        (std::filesystem::path(directory) / uniqueStem(outcome.name, stems))
            .string();
    for (size_t k = 0; k < refine.candidates.size(); ++k) {
      std::string base = stem + ".rank" + std::to_string(k + 1);
      refine.modules.push_back(base + ".mlir");
      MappingSpec spec =
          describeMapping(refine.candidates[k].mapping, *outcome.problem, arch);
      outcome.op->setAttr(dialect::TesselDialect::kMappingAttrName,
                          attrFromSpec(module->getContext(), spec));
      std::string problem = writeModule(module, refine.modules.back());
      outcome.op->removeAttr(dialect::TesselDialect::kMappingAttrName);
      if (!problem.empty()) {
        refine.simulations[k].failure = problem;
        continue;
      }
      tasks.push_back({outcome.name, refine.modules.back(), base + ".sim.json",
                       base + ".sim.log"});
      taskOf.emplace_back(o, k);
    }
  }
  for (auto &[op, attr] : attached)
    op->setAttr(dialect::TesselDialect::kMappingAttrName, attr);

  SimulationRunOptions run;
  run.tesselPath = tessel;
  run.arch = options.arch;
  run.precision = precisionName(options.precision);
  run.jobs = options.jobs;
  run.timeoutSeconds = options.simTimeout;
  bool terminal = isatty(STDERR_FILENO);
  uint64_t reported = 0;
  double lastLine = 0;
  if (showProgress)
    // Only once the simulations have taken a second: quick ones stay quiet.
    run.onProgress = [&](const SimulationProgress &p) {
      // Off a terminal: a line when one finishes, else every 10 s.
      if (p.seconds < 1 ||
          (!terminal && p.finished == reported && p.seconds < lastLine + 10))
        return;
      reported = p.finished;
      lastLine = p.seconds;
      std::fprintf(stderr,
                   "%s[map] simulated %llu of %llu candidates (%llu running, "
                   "%llu failed), %.1f s%s",
                   terminal ? "\r\033[K" : "", (unsigned long long)p.finished,
                   (unsigned long long)p.total, (unsigned long long)p.running,
                   (unsigned long long)p.failed, p.seconds,
                   terminal ? "" : "\n");
    };
  std::vector<SimulationOutcome> results = runSimulations(tasks, run);
  if (showProgress && terminal)
    std::fprintf(stderr, "\r\033[K");
  for (size_t t = 0; t < tasks.size(); ++t)
    outcomes[taskOf[t].first].refine->simulations[taskOf[t].second] =
        std::move(results[t]);

  bool anyFailed = false;
  for (OpOutcome &outcome : outcomes) {
    if (!outcome.refine)
      continue;
    OpRefinement &refine = *outcome.refine;
    std::vector<RefineCandidate> candidates;
    for (size_t k = 0; k < refine.candidates.size(); ++k) {
      const RankedMapping &ranked = refine.candidates[k];
      const SimulationOutcome &simulation = refine.simulations[k];
      RefineCandidate candidate;
      candidate.modelRank = k + 1;
      candidate.modelCycles = ranked.report.cycles;
      candidate.modelEnergyPJ = ranked.report.energy.total();
      candidate.modelCost = ranked.cost;
      candidate.sim = simulation.figures;
      candidate.failure = simulation.failure;
      candidate.simSeconds = simulation.seconds;
      candidates.push_back(std::move(candidate));
      if (simulation.figures || simulation.interrupted)
        continue;
      anyFailed = true;
      std::cerr << Diagnostic{Diagnostic::Severity::Warning,
                              outcome.problem->source,
                              "'" + outcome.name + "': the simulation of " +
                                  "model rank " + std::to_string(k + 1) + " (" +
                                  refine.modules[k] +
                                  ") failed, left out of the ranking: " +
                                  simulation.failure}
                       .format()
                << "\n";
    }
    refine.ranking = rankBySimulation(std::move(candidates),
                                      options.request.options.objective);
    if (refine.ranking.simulated == 0) {
      if (!interrupted())
        std::cerr << Diagnostic{Diagnostic::Severity::Warning,
                                outcome.problem->source,
                                "'" + outcome.name + "': none of its " +
                                    std::to_string(refine.candidates.size()) +
                                    " candidates could be simulated; it "
                                    "keeps the model's best (rank 1)"}
                         .format()
                  << "\n";
      ok = false;
      continue;
    }
    const RankedMapping &chosen = refine.candidates[refine.ranking.chosen];
    outcome.result.best = chosen.mapping;
    outcome.result.report = chosen.report;
    outcome.result.bestCost = chosen.cost;
    outcome.spec = describeMapping(chosen.mapping, *outcome.problem, arch);
    outcome.op->setAttr(dialect::TesselDialect::kMappingAttrName,
                        attrFromSpec(module->getContext(), *outcome.spec));
  }
  if (temporary && !anyFailed && ok) {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    for (OpOutcome &outcome : outcomes)
      if (outcome.refine)
        outcome.refine->filesKept = false;
  } else if (temporary) {
    std::cerr << "tessel map: note: the candidate modules and the "
              << "simulators' logs are kept in " << directory << "\n";
  }
  return ok;
}

/// Per op, the candidates beside the simulator's figures; then how often
/// the model's rank-1 was not the simulator's best.
void printRefinement(const std::vector<OpOutcome> &outcomes,
                     const MapOptions &options, std::ostream &os) {
  os << "\nsimulation in the loop: the " << options.refineK
     << " best mappings of each op by the model, simulated ("
     << options.objective << "; --jobs " << options.jobs << ")\n";
  uint64_t comparable = 0, differed = 0, tied = 0;
  for (const OpOutcome &outcome : outcomes) {
    if (!outcome.refine)
      continue;
    const RefineRanking &ranking = outcome.refine->ranking;
    double largest = 0;
    for (const RefineCandidate &c : ranking.candidates)
      largest =
          std::max({largest, c.modelEnergyPJ, c.sim ? c.sim->energyPJ : 0.0});
    EnergyUnit unit = energyUnitFor(largest);
    std::string costUnit = objectiveUnit(options.objective);
    Table table({"model rank", "model cycles",
                 std::string("model energy (") + unit.name + ")", "sim cycles",
                 std::string("sim energy (") + unit.name + ")", "cycles error",
                 "energy error",
                 "sim " + options.objective +
                     (costUnit.empty() ? "" : " (" + costUnit + ")"),
                 "sim rank", ""},
                {true, true, true, true, true, true, true, true, true, false});
    auto percent = [](double value) {
      // -0.04 reads "+0.0%", not "-0.0%".
      double rounded = std::round(value * 10) / 10;
      return (rounded >= 0 ? "+" : "") + fixed(rounded == 0 ? 0 : rounded, 1) +
             "%";
    };
    for (size_t k = 0; k < ranking.candidates.size(); ++k) {
      const RefineCandidate &c = ranking.candidates[k];
      std::vector<std::string> row = {std::to_string(c.modelRank),
                                      withCommas(c.modelCycles),
                                      energyIn(c.modelEnergyPJ, unit)};
      if (c.sim)
        row.insert(row.end(),
                   {withCommas(c.sim->cycles), energyIn(c.sim->energyPJ, unit),
                    percent(c.cyclesErrorPercent()),
                    percent(c.energyErrorPercent()), scientific(c.simCost),
                    std::to_string(c.simRank)});
      else
        row.insert(row.end(),
                   {"-", "-", "", "", "",
                    outcome.refine->simulations[k].interrupted ? "interrupted"
                                                               : "failed"});
      row.push_back(ranking.simulated && k == ranking.chosen ? "<- chosen"
                                                             : "");
      table.addRow(std::move(row));
    }
    os << outcome.name << ":\n";
    table.print(os, "  ");
    if (ranking.modelBestComparable()) {
      bool tie =
          ranking.modelBestWasNotSimBest() && ranking.chosenTiedModelBest();
      ++comparable;
      differed += ranking.modelBestWasNotSimBest() ? 1 : 0;
      tied += tie ? 1 : 0;
      os << "  model's rank-1 was sim rank " << ranking.candidates[0].simRank
         << (tie ? " (the model rated the chosen one equal to it)" : "")
         << "\n";
    } else {
      os << "  model's rank-1 was not simulated"
         << (ranking.simulated ? "" : "; kept the model's best") << "\n";
    }
  }
  os << "model's rank-1 was not the simulator's best on " << differed << " of "
     << comparable << (comparable == 1 ? " op" : " ops");
  if (tied)
    os << " (on " << tied << " of them the model rated the simulator's best "
       << "equal to its rank-1)";
  os << "\n";
}

llvm::json::Value refinementJson(const OpOutcome &outcome, const Arch &arch,
                                 const std::string &objective) {
  const OpRefinement &refine = *outcome.refine;
  const RefineRanking &ranking = refine.ranking;
  llvm::json::Array candidates;
  for (size_t k = 0; k < ranking.candidates.size(); ++k) {
    const RefineCandidate &c = ranking.candidates[k];
    llvm::json::Object entry{
        {"modelRank", c.modelRank},
        {"model", llvm::json::Object{{"cycles", c.modelCycles},
                                     {"energyPJ", c.modelEnergyPJ},
                                     {objective, c.modelCost}}},
        {"chosen", ranking.simulated > 0 && k == ranking.chosen},
        {"module", refine.filesKept ? llvm::json::Value(refine.modules[k])
                                    : llvm::json::Value(nullptr)},
        {"simSeconds", c.simSeconds},
        {"mapping", mappingJson(describeMapping(refine.candidates[k].mapping,
                                                *outcome.problem, arch))}};
    if (c.sim) {
      entry["sim"] = llvm::json::Object{{"cycles", c.sim->cycles},
                                        {"energyPJ", c.sim->energyPJ},
                                        {objective, c.simCost}};
      entry["simRank"] = c.simRank;
      entry["modelErrorPercent"] =
          llvm::json::Object{{"cycles", c.cyclesErrorPercent()},
                             {"energy", c.energyErrorPercent()}};
    } else {
      entry["sim"] = nullptr;
      entry["simRank"] = nullptr;
      entry["failure"] = c.failure;
    }
    candidates.push_back(std::move(entry));
  }
  llvm::json::Object object{
      {"candidates", std::move(candidates)},
      {"simulated", ranking.simulated},
      {"chosenModelRank",
       ranking.simulated ? int64_t(ranking.chosen + 1) : int64_t(1)},
      {"fellBackToModel", ranking.simulated == 0},
      {"chosenTiedModelRank1", ranking.chosenTiedModelBest()}};
  if (ranking.modelBestComparable())
    object["modelRank1SimRank"] = ranking.candidates[0].simRank;
  else
    object["modelRank1SimRank"] = nullptr;
  return llvm::json::Value(std::move(object));
}

int run(MapOptions &options) {
  // Checked when parsed (addObjectiveOption).
  options.request.options.objective = *Objective::parse(options.objective);
  if (options.refineK)
    options.request.options.keepBest = options.refineK;
  // Inputs are checked by their readers (the path and what is wrong);
  // the output before the search, not after it.
  if (!checkOutputFiles({options.output}))
    return 1;
  Arch arch;
  std::vector<NamedMapping> none;
  if (!loadInputs(options.arch, "", arch, none))
    return 1;
  if (!options.constraints.empty()) {
    try {
      options.request.constraints = loadConstraints(options.constraints);
    } catch (const ConstraintError &error) {
      std::cerr << error.what() << "\n";
      return 1;
    }
  }
  bool showProgress = options.progress || isatty(STDERR_FILENO);
  options.request.options.stopRequested = [] { return interrupted(); };

  mlir::DialectRegistry registry;
  registerWorkloadDialects(registry);
  registry.insert<dialect::TesselDialect>();
  mlir::MLIRContext context(registry);
  std::vector<OpOutcome> outcomes;
  bool failed = false;
  size_t opIndex = 0;
  // The number of ops, for "op i of N": a first, cheap read (parsing is
  // milliseconds against seconds of search).
  size_t opCount =
      showProgress ? importLinalgFile(options.file).problems.size() : 0;
  bool written = false, refined = true;
  std::vector<Diagnostic> warnings;
  WorkloadSet set = importLinalgFile(
      options.file, context,
      [&](mlir::Operation *op, const Problem &imported) {
        Problem problem = imported;
        applyPrecision(problem, options.precision);
        ++opIndex;
        addDatatypeWarnings(problem, arch, warnings);
        OpOutcome outcome;
        outcome.name = problem.name;
        if (interrupted()) {
          outcome.result.stopReason = "not searched";
          outcome.error = "interrupted before this op";
          outcomes.push_back(std::move(outcome));
          return;
        }
        MapRequest request = options.request;
        if (showProgress)
          request.options.onProgress = [&](const SearchProgress &p) {
            std::string pruned =
                p.pruned && p.valid
                    ? " (" +
                          std::to_string(int(100.0 * double(p.pruned) /
                                             double(p.valid))) +
                          "% of them pruned)"
                    : "";
            std::fprintf(stderr,
                         "\r[map op %zu of %zu] %s: %llu evaluations "
                         "(%.0f/s), %.0f%% valid%s, best %s %s   ",
                         opIndex, opCount, problem.name.c_str(),
                         (unsigned long long)p.evaluations,
                         p.evaluations / std::max(p.seconds, 1e-9),
                         p.evaluations ? 100.0 * p.valid / p.evaluations : 0.0,
                         pruned.c_str(), options.objective.c_str(),
                         scientific(p.bestCost).c_str());
          };
        try {
          if (options.space) {
            MapSpace space(problem, arch, request.constraints);
            printSpace(problem, space, std::cout);
          }
          outcome.result = mapProblem(problem, arch, request);
        } catch (const std::exception &error) {
          outcome.error = error.what();
          if (outcome.error.find(": error: ") != std::string::npos)
            // Located in the constraints file: that is what to fix.
            std::cerr << outcome.error << "\n"
                      << Diagnostic{Diagnostic::Severity::Note, problem.source,
                                    "while mapping '" + problem.name + "'"}
                             .format()
                      << "\n";
          else
            std::cerr << Diagnostic{Diagnostic::Severity::Error, problem.source,
                                    "cannot map '" + problem.name +
                                        "': " + outcome.error}
                             .format()
                      << "\n";
          failed = true;
        }
        if (showProgress)
          std::fprintf(stderr, "\r%80s\r", "");
        if (outcome.result.best) {
          if (options.refineK) {
            outcome.op = op;
            outcome.problem = problem;
          }
          outcome.spec = describeMapping(*outcome.result.best, problem, arch);
          op->setAttr(dialect::TesselDialect::kMappingAttrName,
                      attrFromSpec(&context, *outcome.spec));
        } else if (outcome.error.empty())
          failed = true;
        outcomes.push_back(std::move(outcome));
      },
      [&](mlir::Operation *module) {
        if (options.refineK && !interrupted())
          refined = refineWithSimulation(module, outcomes, options, arch,
                                         showProgress);
        for (OpOutcome &outcome : outcomes)
          outcome.op = nullptr; // The module goes when this returns.
        if (options.output.empty() || isYamlPath(options.output))
          return;
        std::error_code error;
        llvm::raw_fd_ostream out(options.output, error, llvm::sys::fs::OF_Text);
        if (error) {
          std::cerr << options.output
                    << ": error: cannot write the mapped module: "
                    << error.message() << "\n";
          failed = true;
          return;
        }
        module->print(out);
        out << "\n";
        out.close();
        if (out.has_error()) {
          std::cerr << "error writing " << options.output << ": "
                    << out.error().message() << "\n";
          out.clear_error();
          failed = true;
          return;
        }
        written = true;
      });
  for (const Diagnostic &diagnostic : set.diagnostics)
    std::cerr << diagnostic.format() << "\n";
  for (const Diagnostic &diagnostic : warnings)
    std::cerr << diagnostic.format() << "\n";
  if (!options.output.empty() && isYamlPath(options.output)) {
    written = writeMappingsYaml(outcomes, options.output);
    failed |= !written;
  }
  if (options.json) {
    llvm::json::Array ops;
    for (const OpOutcome &outcome : outcomes) {
      const SearchResult &r = outcome.result;
      llvm::json::Object entry{
          {"op", outcome.name},           {"mapper", options.request.mapper},
          {"evaluations", r.evaluations}, {"valid", r.valid},
          {"pruned", r.pruned},           {"seconds", r.seconds},
          {"stoppedBy", r.stopReason}};
      if (!outcome.error.empty())
        entry["error"] = outcome.error;
      if (r.report) {
        entry[options.objective] = r.bestCost;
        entry["cycles"] = r.report->cycles;
        entry["energyPJ"] = r.report->energy.total();
      }
      if (outcome.spec)
        entry["mapping"] = mappingJson(*outcome.spec);
      if (outcome.refine)
        entry["refine"] = refinementJson(outcome, arch, options.objective);
      ops.push_back(std::move(entry));
    }
    uint64_t cycles = 0, mapped = 0;
    double energy = 0;
    for (const OpOutcome &outcome : outcomes)
      if (outcome.result.report) {
        cycles = saturatingAdd(cycles, outcome.result.report->cycles);
        energy += outcome.result.report->energy.total();
        ++mapped;
      }
    llvm::json::Object total{
        {"ops", int64_t(outcomes.size())},
        {"mapped", mapped},
        {"cycles", cycles},
        {"energyPJ", energy},
        {"edp", double(cycles) * energy},
        {"complete", mapped == outcomes.size() && !interrupted()}};
    if (options.refineK) {
      uint64_t comparable = 0, differed = 0, tied = 0, fellBack = 0;
      for (const OpOutcome &outcome : outcomes)
        if (outcome.refine) {
          const RefineRanking &ranking = outcome.refine->ranking;
          comparable += ranking.modelBestComparable() ? 1 : 0;
          differed += ranking.modelBestWasNotSimBest() ? 1 : 0;
          tied +=
              ranking.modelBestWasNotSimBest() && ranking.chosenTiedModelBest()
                  ? 1
                  : 0;
          fellBack += ranking.simulated == 0 ? 1 : 0;
        }
      total["refine"] = llvm::json::Object{{"k", options.refineK},
                                           {"jobs", options.jobs},
                                           {"opsCompared", comparable},
                                           {"rank1NotSimBest", differed},
                                           {"rank1NotSimBestInModelTie", tied},
                                           {"opsFellBackToModel", fellBack}};
    }
    printJson(std::cout, llvm::json::Value(llvm::json::Object{
                             {"file", options.file},
                             {"arch", arch.name},
                             {"objective", options.objective},
                             {"seed", options.request.options.seed},
                             {"interrupted", interrupted()},
                             {"ops", std::move(ops)},
                             {"notContractions", setAsideJson(set.setAside)},
                             {"total", std::move(total)}}));
  } else if (!outcomes.empty()) {
    printTable(outcomes, options, std::cout);
    if (options.refineK)
      printRefinement(outcomes, options, std::cout);
    if (options.output.empty())
      std::cout << "(write the mapped module with -o mapped.mlir)\n";
    else if (written)
      std::cout << (isYamlPath(options.output) ? "mappings written to "
                                               : "mapped module written to ")
                << options.output << "\n";
  }
  if (interrupted()) {
    size_t mapped = 0;
    for (const OpOutcome &outcome : outcomes)
      mapped += outcome.result.best ? 1 : 0;
    return reportInterrupted(
        std::to_string(mapped) + " of " + std::to_string(outcomes.size()) +
        " ops mapped (the op being searched keeps its best mapping so far), " +
        (written ? "results so far written to " + options.output
                 : std::string("results so far printed above")));
  }
  return set.hasErrors() || failed || !refined ? 1 : 0;
}

} // namespace

void addMapCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<MapOptions>();
  CLI::App *sub = app.add_subcommand(
      "map", "Find a mapping for every op of a module: search each op's map "
             "space with a mapper on a cost model, attach the best, write the "
             "module.");
  sub->add_option("FILE", options->file, "MLIR file with linalg ops")
      ->required();
  addArchOption(sub, options->arch);
  addPrecisionOption(sub, options->precision);
  addSearchOptions(sub, options->request, options->objective,
                   options->constraints);
  sub->add_option("-o,--output", options->output,
                  "Write the module with tessel.mapping attributes here, or, "
                  "for a name ending in .yaml, the mappings as a mapping YAML "
                  "file (what check, eval and sim read with --mapping)");
  sub->add_flag("--space", options->space,
                "Print each op's map-space size per constraint family");
  sub->add_flag("--progress", options->progress,
                "Show the progress line even when stderr is not a terminal");
  sub->add_flag("--json", options->json, "Print JSON for machines");
  CLI::Option *refine = addWholeOption(
      sub, "--refine-with-sim", options->refineK, 1, 1000, "mappings",
      "Simulation in the loop: keep each op's N best distinct mappings by "
      "the model, simulate each (tessel sim, one process each) and choose "
      "by the simulated objective; prints the model's and the simulator's "
      "ranks");
  sub->add_option("--refine-dir", options->refineDir,
                  "Write the candidates' mapped modules and the simulator's "
                  "JSON and logs here (default: a temporary directory, "
                  "removed unless a simulation failed)")
      ->needs(refine);
  addJobsOption(sub, options->jobs,
                "Simulations run at once with --refine-with-sim (default: "
                "the number of cores)")
      ->needs(refine);
  addRealOption(sub, "--sim-timeout", options->simTimeout, 0.001, 1e7,
                "seconds",
                "Wall-clock limit of each simulation with --refine-with-sim "
                "(default 300); one that runs longer is killed and left out")
      ->needs(refine);
  sub->footer("Example: tessel map workloads/zoo/resnet50.mlir --arch eyeriss "
              "--mapper genetic --budget 5000 -o mapped.mlir\nCtrl-C (or "
              "SIGTERM) stops the search, keeps the best "
              "mapping found so far, writes what is done and exits 130.\n"
              "With --refine-with-sim N, -o writes each op's mapping the "
              "simulator rated best; a candidate whose simulation fails or "
              "times out is reported and left out. Exit status 1 if an op "
              "had none simulated (it keeps the model's best).");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
