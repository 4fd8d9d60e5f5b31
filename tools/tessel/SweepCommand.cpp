//===- tools/tessel/SweepCommand.cpp - `tessel sweep` ---------------------===//
//
// Runs a design-space sweep (sweep/Sweep.h): every point's ops mapped and
// evaluated, each point committed to DIR/sweep.db as it finishes; then the
// table of points with the Pareto front of cycles and energy marked, and
// DIR/points.csv, DIR/ops.csv.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Options.h"
#include "MpiHandoff.h"
#include "Refine.h"
#include "SweepRun.h"

#include "support/Files.h"
#include "support/Interrupt.h"
#include "sweep/Database.h"
#include "sweep/Plot.h"
#ifdef TESSEL_WITH_MPI
#include "sweep/SweepMpi.h"
#endif

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <unistd.h>

namespace tessel::cli {
namespace {

namespace fs = std::filesystem;

std::string duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0)
    return "?";
  char text[32];
  if (seconds < 120)
    std::snprintf(text, sizeof text, "%.0f s", seconds);
  else
    std::snprintf(text, sizeof text, "%.0f min", seconds / 60);
  return text;
}

/// `sweep NAME: 6 of 6 points, base FILE, genetic mapper (...), reuse
/// model`, each setting a parameter varies said as varied.
std::string sweepHeader(const SweepSpec &spec, size_t points) {
  std::set<std::string> varied;
  for (const SweepParameter &parameter : spec.parameters)
    if (!parameter.setting.empty())
      varied.insert(parameter.setting);
  auto values = [&](const std::string &setting) {
    for (const SweepParameter &parameter : spec.parameters)
      if (parameter.setting == setting) {
        std::string list;
        for (const std::string &value : parameter.values)
          list += (list.empty() ? "" : ", ") + value;
        return list;
      }
    return std::string();
  };
  std::string text = "sweep " + spec.name + ": " + withCommas(points) +
                     " of " + withCommas(gridSize(spec)) + " points, ";
  text += varied.count("arch") ? "archs " + values("arch")
                               : "base " + spec.archFile;
  text += ", " + (varied.count("mapper") ? "mappers " + values("mapper")
                                        : spec.mapper + " mapper");
  text += " (" + (varied.count("budget") ? values("budget")
                                        : withCommas(spec.budget)) +
          " evaluations per op), " +
          (varied.count("model") ? "models " + values("model")
                                 : spec.model + " model");
  return text;
}

void printPoints(const SweepSpec &spec, const std::vector<PointResult> &results,
                 std::ostream &os) {
  std::vector<uint64_t> front = paretoFront(results);
  std::vector<std::string> header = {"point"};
  std::vector<bool> right = {true};
  for (const SweepParameter &parameter : spec.parameters) {
    header.push_back(parameter.name);
    right.push_back(true);
  }
  for (const char *column : {"cycles", "energy", "EDP (cycle*pJ)",
                             "utilization", "area (mm2)", "pareto"}) {
    header.push_back(column);
    right.push_back(std::string(column) != "pareto");
  }
  if (spec.simulate)
    for (const char *column : {"simulated cycles", "model error"}) {
      header.push_back(column);
      right.push_back(true);
    }
  header.push_back("status");
  right.push_back(false);
  Table table(header, right);
  for (const PointResult &r : results) {
    std::vector<std::string> row = {std::to_string(r.point.index)};
    for (size_t p = 0; p < spec.parameters.size(); ++p)
      row.push_back(parameterValue(spec, r.point, p));
    bool ok = r.status == "ok";
    bool onFront = std::find(front.begin(), front.end(), r.point.index) !=
                   front.end();
    char edp[32], utilization[32];
    std::snprintf(edp, sizeof edp, "%.4g", r.edp);
    std::snprintf(utilization, sizeof utilization, "%.1f%%",
                  100 * r.utilization);
    row.push_back(ok ? withCommas(r.cycles) : "-");
    row.push_back(ok ? humanEnergy(r.energyPJ) : "-");
    row.push_back(ok ? edp : "-");
    row.push_back(ok ? utilization : "-");
    char area[32];
    std::snprintf(area, sizeof area, "%.3f", r.areaMm2);
    row.push_back(ok ? area : "-");
    row.push_back(onFront ? "*" : "");
    if (spec.simulate) {
      bool simulated = ok && r.simStatus == "ok" && r.simCycles > 0;
      char error[32];
      std::snprintf(error, sizeof error, "%+.1f%%",
                    simulated ? 100.0 * (double(r.cycles) - r.simCycles) /
                                    double(r.simCycles)
                              : 0.0);
      row.push_back(simulated ? withCommas(r.simCycles) : "-");
      row.push_back(simulated ? error : "-");
    }
    bool tooLarge = spec.maxAreaMm2 && r.areaMm2 > *spec.maxAreaMm2;
    row.push_back(!ok        ? "failed (below)"
                  : tooLarge ? "over the area budget"
                  : r.feasible ? "ok"
                               : "below the minimum utilization");
    table.addRow(row);
  }
  table.print(os);
  for (const PointResult &r : results)
    if (r.status != "ok")
      os << "point " << r.point.index << " failed: " << r.error << "\n";
    else if (spec.simulate && r.simStatus != "ok")
      os << "point " << r.point.index << " not simulated: "
         << (r.simStatus.empty() ? std::string("no simulation recorded")
                                 : r.simStatus)
         << "\n";
}


} // namespace

int runSweepCommand(const SweepCommandOptions &options) {
#ifndef TESSEL_WITH_MPI
  if (launchedByMpirun())
    return handToMpiBuild("sweep");
#endif
  SweepSpec spec;
  try {
    spec = loadSweep(options.file, options.root);
  } catch (const std::exception &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  std::vector<SweepPoint> points;
  try {
    points = sweepPoints(spec);
  } catch (const std::exception &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  bool reporter = launchRank() == 0; // Under mpirun, rank 0 reports.
  if (reporter)
    std::cout << sweepHeader(spec, points.size()) << "\n";
  if (options.list) {
    for (const SweepPoint &point : reporter ? points : std::vector<SweepPoint>{})
      std::cout << "  " << point.index << "  " << point.key << "\n";
    return 0;
  }
  if (std::string why = makeDirectories(options.out); !why.empty()) {
    std::cerr << "tessel sweep: " << why << "\n";
    return 1;
  }
  std::string database = (fs::path(options.out) / "sweep.db").string();
  SweepOptions run;
  run.database = database;
  run.threads = options.threads;
  run.workDirectory = (fs::path(options.out) / "points").string();
  std::error_code self;
  std::string tessel = fs::read_symlink("/proc/self/exe", self).string();
  run.simulate = [tessel, &spec](const std::string &arch,
                                 const std::vector<SimulationJob> &jobs,
                                 double timeout) {
    std::vector<SimulationTask> tasks;
    for (const SimulationJob &job : jobs) {
      std::string base = (fs::path(job.directory) / job.op).string();
      SimulationTask task{job.op, job.workloadFile, base + ".sim.json",
                          base + ".sim.log"};
      task.arch = arch;
      task.mappingPath = job.mappingFile;
      tasks.push_back(task);
    }
    SimulationRunOptions sim;
    sim.tesselPath = tessel;
    sim.precision = spec.precision;
    sim.jobs = 1;
    sim.timeoutSeconds = timeout;
    sim.timeoutHint = "simTimeoutSeconds in the sweep file raises the limit";
    std::vector<SimulatedOp> simulated;
    for (const SimulationOutcome &outcome : runSimulations(tasks, sim)) {
      SimulatedOp op;
      op.ok = outcome.figures.has_value();
      if (op.ok) {
        op.cycles = outcome.figures->cycles;
        op.energyPJ = outcome.figures->energyPJ;
      } else {
        op.failure = outcome.failure;
      }
      simulated.push_back(op);
    }
    return simulated;
  };
  bool terminal = isatty(STDERR_FILENO);
  bool showProgress = reporter && (options.progress || terminal);
  run.onProgress = [&](const SweepProgress &p) {
    if (!showProgress)
      return;
    uint64_t evaluated = p.done - p.skipped;
    double eta = evaluated ? p.seconds / double(evaluated) *
                                 double(p.total - p.done)
                           : NAN;
    std::string line = "[sweep] " + std::to_string(p.done) + "/" +
                       std::to_string(p.total) + " points";
    if (p.skipped)
      line += " (" + std::to_string(p.skipped) + " already done)";
    if (p.failed)
      line += ", " + std::to_string(p.failed) + " failed";
    line += ", " + duration(p.seconds) + " elapsed, ETA " + duration(eta);
    if (terminal)
      std::cerr << "\r\033[K" << line << std::flush;
    else
      std::cerr << line << "\n";
  };
  SweepSummary summary;
  std::vector<PointResult> results;
  try {
#ifdef TESSEL_WITH_MPI
    if (launchedByMpirun()) {
      MpiSweepOutcome outcome = runSweepMpi(spec, run);
      if (outcome.rank != 0)
        return 0; // Rank 0 reports.
      summary = outcome.summary;
      std::cout << "ran on " << outcome.ranks << " MPI ranks\n";
    } else {
      summary = runSweep(spec, run);
    }
#else
    summary = runSweep(spec, run);
#endif
    SweepDatabase db(database, spec);
    results = db.results();
  } catch (const std::exception &error) {
    if (terminal && showProgress)
      std::cerr << "\r\033[K";
    std::cerr << error.what() << "\n";
    return 1;
  }
  if (terminal && showProgress)
    std::cerr << "\r\033[K";
  printPoints(spec, results, std::cout);
  std::vector<uint64_t> front = paretoFront(results);
  std::cout << "Pareto front (cycles, energy, area): " << front.size() << " of "
            << results.size() << " points\n";
  for (const auto &[name, text] :
       {std::pair<std::string, std::string>{"points.csv",
                                            pointsCsv(spec, results)},
        {"ops.csv", opsCsv(spec, results)}}) {
    std::string why = writeTextFile((fs::path(options.out) / name).string(),
                                    text);
    if (!why.empty()) {
      std::cerr << "tessel sweep: " << why << "\n";
      return 1;
    }
  }
  std::string why;
  std::vector<std::string> plots =
      writeSweepPlots(spec, results, options.out, why);
  if (!plots.empty()) {
    std::cout << "plots:";
    for (const std::string &plot : plots)
      std::cout << " " << options.out << "/" << plot;
    std::cout << "\n";
  } else {
    std::cout << "no plots: " << why << "\n";
  }
  std::cout << "results: " << database << " (" << summary.points
            << " points evaluated now, " << summary.skipped
            << " already there), " << options.out << "/points.csv, "
            << options.out << "/ops.csv\n";
  size_t failed = std::count_if(
      results.begin(), results.end(),
      [](const PointResult &r) { return r.status != "ok"; });
  if (failed)
    std::cout << failed
              << " point(s) failed; their errors are in the table and the "
                 "database\n";
  if (summary.interrupted) {
    std::cerr << "tessel sweep: interrupted by " << interruptSignalName()
              << "; the points finished are kept, and rerunning the same "
                 "command goes on from there\n";
    return 130;
  }
  size_t unsimulated =
      spec.simulate ? size_t(std::count_if(
                          results.begin(), results.end(),
                          [](const PointResult &r) {
                            return r.status == "ok" && r.simStatus != "ok";
                          }))
                    : 0;
  if (unsimulated)
    std::cout << unsimulated
              << " point(s) not simulated; the models' figures are kept\n";
  return failed || unsimulated ? 1 : 0;
}

void addSweepCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<SweepCommandOptions>();
  CLI::App *sub = app.add_subcommand(
      "sweep", "Design-space sweep: vary Arch fields over a grid (or a "
               "sample), map every op at every point, record each point in "
               "SQLite as it finishes, mark the Pareto front.");
  sub->add_option("FILE", options->file, "Sweep YAML (docs/sweeps.md)")
      ->required();
  sub->add_option("--out", options->out,
                  "Directory for sweep.db, points.csv and ops.csv (default "
                  "sweep-out); rerunning into it skips the points already "
                  "recorded");
  addWholeOption(sub, "--threads", options->threads, 1, 1024, "threads",
                 "Threads per search (the results do not depend on it)");
  sub->add_option("--root", options->root,
                  "Repository root for presets and the zoo");
  sub->add_flag("--list", options->list,
                "Print the points (index and values) and exit");
  sub->add_flag("--progress", options->progress,
                "Show the progress line even when stderr is not a terminal");
  sub->footer("Example: tessel sweep sweep/examples/eyeriss-glb-array.yaml "
              "--out glb-array\nCtrl-C (or SIGTERM) keeps every point finished and "
              "exits 130; the same command resumes. Exit status 1 if a point "
              "failed or (with simulate: true) a simulation did (the others "
              "are kept).");
  sub->callback(
      [options, &exitCode] { exitCode = runSweepCommand(*options); });
}

} // namespace tessel::cli
