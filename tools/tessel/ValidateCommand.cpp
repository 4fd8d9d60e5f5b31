//===- tools/tessel/ValidateCommand.cpp - `tessel validate` ---------------===//
//
// Runs a suite through every analytical model and the simulator, prints the
// comparison, writes report.md, report.json and plots, and checks a
// baseline.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "MpiHandoff.h"
#include "Format.h"
#include "Options.h"

#include "support/Files.h"
#include "support/Interrupt.h"
#include "support/Launch.h"
#ifdef TESSEL_WITH_MPI
#include "support/MpiJobs.h"
#endif
#include "validation/History.h"
#include "validation/Output.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace tessel::cli {
namespace {

struct ValidateCommandOptions {
  std::string suite;
  std::string out = "validation-out";
  std::string baseline;
  std::string root = TESSEL_SOURCE_DIR;
  unsigned jobs = 1;
  bool noSim = false;
  std::string history;
  std::string commit;
};

std::string percent(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.1f%%", value);
  return text;
}

void printCases(const std::vector<CaseResult> &results, std::ostream &os) {
  std::vector<std::string> header = {"case", "simulated"};
  std::vector<bool> right = {false, true};
  std::vector<std::string> models;
  for (const CaseResult &r : results)
    if (!r.models.empty()) {
      for (const Figures &m : r.models)
        models.push_back(m.evaluator);
      break;
    }
  for (const std::string &m : models) {
    header.push_back(m);
    right.push_back(true);
  }
  header.push_back("status");
  right.push_back(false);
  Table table(header, right);
  for (const CaseResult &r : results) {
    std::vector<std::string> row = {r.spec.name,
                                    r.sim ? withCommas(r.sim->cycles) : "-"};
    for (size_t m = 0; m < models.size(); ++m) {
      if (m >= r.models.size()) {
        row.push_back("");
        continue;
      }
      std::string cell = withCommas(r.models[m].cycles);
      if (r.sim)
        cell += " (" +
                percent(errorPercent(double(r.models[m].cycles),
                                     double(r.sim->cycles))) +
                ")";
      row.push_back(cell);
    }
    row.push_back(r.status != "ok" ? r.status : "sim " + r.simStatus);
    table.addRow(row);
  }
  os << "cycles per case (model error vs simulated):\n";
  table.print(os, "  ");
}

void printSummary(const std::vector<ModelSummary> &summary, std::ostream &os) {
  Table table({"model", "cases", "mean |cycles err|", "max",
               "mean |energy err|", "max", "identical counts"},
              {false, true, true, true, true, true, true});
  auto pct = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", v);
    return std::string(text);
  };
  for (const ModelSummary &s : summary)
    table.addRow(
        {s.model, std::to_string(s.cases), pct(s.meanCyclesError),
         pct(s.maxCyclesError), pct(s.meanEnergyError), pct(s.maxEnergyError),
         std::to_string(s.identicalCounts) + "/" + std::to_string(s.cases)});
  os << "summary per model (against the simulator):\n";
  table.print(os, "  ");
}

void printReferences(const std::vector<CaseResult> &results, std::ostream &os) {
  Table table({"reference case", "expected cycles", "simulated", "reuse"},
              {false, true, true, true});
  bool any = false;
  for (const CaseResult &r : results) {
    if (!r.spec.expectCycles || r.models.empty())
      continue;
    any = true;
    double expected = double(*r.spec.expectCycles);
    table.addRow(
        {r.spec.name, withCommas(*r.spec.expectCycles),
         r.sim
             ? withCommas(r.sim->cycles) + " (" +
                   percent(errorPercent(double(r.sim->cycles), expected)) + ")"
             : "-",
         withCommas(r.models[0].cycles) + " (" +
             percent(errorPercent(double(r.models[0].cycles), expected)) +
             ")"});
  }
  if (!any)
    return;
  os << "reference cases (error vs the closed form or published figure; "
        "sources in report.md):\n";
  table.print(os, "  ");
}

int run(const ValidateCommandOptions &options) {
#ifndef TESSEL_WITH_MPI
  if (launchedByMpirun())
    return handToMpiBuild("validate");
#endif
  Suite suite;
  try {
    suite = loadSuite(options.suite, options.root);
  } catch (const SuiteError &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  namespace fs = std::filesystem;
  std::string problem = makeDirectories(options.out);
  if (!problem.empty()) {
    std::cerr << problem << " (--out names the report's directory)\n";
    return 1;
  }
  if (!options.baseline.empty()) {
    problem = unreadableFile(options.baseline);
    if (!problem.empty()) {
      std::cerr << problem << " (--baseline names an earlier report.json)\n";
      return 1;
    }
  }
  ValidateOptions run;
  run.root = options.root;
  std::error_code error;
  run.tesselPath = fs::read_symlink("/proc/self/exe", error).string();
  if (error) {
    std::cerr << "tessel validate: error: cannot find the tessel binary "
                 "(/proc/self/exe): "
              << error.message() << "\n";
    return 1;
  }
  run.simulate = !options.noSim;
  run.jobs = options.jobs;
  run.workDirectory = (fs::path(options.out) / "cases").string();
  bool terminal = isatty(STDERR_FILENO) && launchRank() == 0;
  run.progress = [terminal](const std::string &line) {
    if (terminal)
      std::cerr << "\r\033[K[validate] " << line << std::flush;
    else
      std::cerr << "[validate] " << line << "\n";
  };
  std::vector<CaseResult> results;
  try {
#ifdef TESSEL_WITH_MPI
    if (launchedByMpirun()) {
      // The cases over the ranks, one at a time (support/MpiJobs.h): a
      // rank runs a one-case suite (its models here, its simulation in a
      // child process) and sends the result to rank 0, which reports.
      std::vector<std::string> jobs;
      if (launchRank() == 0)
        for (size_t i = 0; i < suite.cases.size(); ++i)
          jobs.push_back(std::to_string(i));
      std::vector<std::optional<CaseResult>> byCase(suite.cases.size());
      size_t done = 0;
      ValidateOptions quiet = run;
      quiet.progress = nullptr;
      auto runCase = [&](const std::string &payload) {
        size_t i = std::stoull(payload);
        Suite one = suite;
        one.cases = {suite.cases.at(i)};
        std::vector<CaseResult> ran = runSuite(one, quiet);
        return encodeCaseResult(ran.at(0), i);
      };
      auto record = [&](size_t job, const std::string &bytes) {
        byCase.at(job) = decodeCaseResult(bytes, suite);
        run.progress(std::to_string(++done) + "/" +
                     std::to_string(suite.cases.size()) + " cases: " +
                     byCase[job]->spec.name);
      };
      MpiJobsOutcome ran = runJobsMpi(jobs, runCase, record);
      if (ran.rank != 0)
        return 0; // Rank 0 reports.
      for (size_t i = 0; i < byCase.size(); ++i) {
        if (byCase[i]) {
          results.push_back(std::move(*byCase[i]));
          continue;
        }
        CaseResult missing;
        missing.spec = suite.cases[i];
        missing.status = "not run: interrupted";
        missing.interrupted = true;
        results.push_back(missing);
      }
      std::cerr << (terminal ? "\r\033[K" : "") << "[validate] ran on "
                << ran.ranks << " MPI ranks\n";
    } else {
      results = runSuite(suite, run);
    }
#else
    results = runSuite(suite, run);
#endif
  } catch (const std::runtime_error &failure) {
    std::cerr << failure.what() << "\n";
    return 1;
  }
  if (terminal)
    std::cerr << "\r\033[K";
  // Interrupted: the report holds the cases that finished.
  bool stopped = interrupted();
  size_t total = results.size();
  if (stopped)
    results.erase(std::remove_if(results.begin(), results.end(),
                                 [](const CaseResult &r) {
                                   return r.interrupted;
                                 }),
                  results.end());
  std::vector<ModelSummary> summary = summarize(results);
  std::string why;
  std::vector<std::string> plots =
      stopped || results.empty() ? std::vector<std::string>{}
                                 : writePlots(results, options.out, why);
  std::string json = reportJson(suite, results, summary);
  std::ostringstream markdown;
  writeMarkdown(suite, results, summary, plots, markdown);
  if (stopped)
    markdown << "\n**Interrupted by " << interruptSignalName() << ":** "
             << results.size() << " of " << total
             << " cases finished; only those are in this report.\n";
  for (const auto &[name, text] :
       {std::pair<std::string, std::string>{"report.json", json},
        {"report.md", markdown.str()}}) {
    problem = writeTextFile((fs::path(options.out) / name).string(), text);
    if (!problem.empty()) {
      std::cerr << problem << "\n";
      return 1;
    }
  }

  printCases(results, std::cout);
  if (!options.noSim)
    printSummary(summary, std::cout);
  printReferences(results, std::cout);
  std::cout << "wrote " << options.out << "/report.md, report.json";
  for (const std::string &plot : plots)
    if (plot.size() > 4 && plot.substr(plot.size() - 4) == ".png")
      std::cout << ", " << plot;
  std::cout << (plots.empty() ? "\n" : " (and .svg)\n");
  if (plots.empty() && !why.empty())
    std::cerr << "warning: no plots: " << why << "\n";
  if (!options.history.empty() && !stopped) {
    std::string commit =
        options.commit.empty() ? commitOf(options.root) : options.commit;
    try {
      int64_t run =
          appendHistory(options.history, suite, results, commit, utcNow());
      std::cout << "history: run " << run << " (commit " << commit
                << ") appended to " << options.history
                << "; 'tessel history " << options.history
                << "' shows the changes\n";
    } catch (const std::exception &error) {
      std::cerr << error.what() << "\n";
      return 1;
    }
  }
  if (stopped)
    return reportInterrupted(std::to_string(results.size()) + " of " +
                             std::to_string(total) +
                             " cases finished, results so far written to " +
                             options.out + "/report.md and report.json");

  int status = 0;
  for (const CaseResult &r : results)
    if (r.status != "ok" || (!options.noSim && r.simStatus != "ok"))
      status = 1;
  if (!options.baseline.empty()) {
    std::stringstream baseline;
    std::ifstream in(options.baseline);
    if (!in) {
      std::cerr << options.baseline
                << ": error: cannot read the baseline report\n";
      return 1;
    }
    baseline << in.rdbuf();
    try {
      std::vector<std::string> drift =
          compareToBaseline(baseline.str(), json, suite.tolerances);
      if (drift.empty()) {
        std::cout << "baseline " << options.baseline
                  << ": every figure within tolerance\n";
      } else {
        std::cout << "baseline " << options.baseline << ": " << drift.size()
                  << " figures drifted beyond tolerance:\n";
        for (const std::string &line : drift)
          std::cout << "  " << line << "\n";
        status = 1;
      }
    } catch (const std::exception &error) {
      std::cerr << options.baseline << ": error: " << error.what() << "\n";
      return 1;
    }
  }
  return status;
}

} // namespace

void addValidateCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<ValidateCommandOptions>();
  CLI::App *sub = app.add_subcommand(
      "validate", "Run a suite of cases through every analytical model and the "
                  "simulator; compare, report (Markdown, JSON, plots) and "
                  "check a baseline.");
  sub->add_option("SUITE", options->suite, "Suite YAML (docs/validation.md)")
      ->required();
  addJobsOption(sub, options->jobs,
                "Simulations run at once, each in its own process "
                "(default 1)");
  sub->add_option("--out", options->out,
                  "Directory for report.md, report.json and plots "
                  "(default validation-out)");
  sub->add_option("--baseline", options->baseline,
                  "Earlier report.json: exit 1 if a figure drifted beyond the "
                  "suite's tolerances");
  sub->add_option("--root", options->root,
                  "Repository root for presets and the zoo");
  sub->add_option("--history", options->history,
                  "SQLite database: append this run's per-case figures with "
                  "the commit and the date ('tessel history DB' shows how "
                  "they moved)");
  sub->add_option("--commit", options->commit,
                  "The commit to record with --history (default: git "
                  "rev-parse --short HEAD of --root, +dirty if changed)");
  addRemovedOption(sub, "--engine",
                   "the lockstep engine is gone; the structural simulator "
                   "is the only one: drop --engine");
  sub->add_flag("--no-sim", options->noSim,
                "Analytical models only (no simulator runs)");
  sub->footer("Example: tessel validate validation/suites/quick.yaml --jobs 2 "
              "--out out --baseline validation/baselines/quick.json\n"
              "SIGINT or SIGTERM stops the run: the simulations are killed "
              "(each is its own process group), the finished cases are "
              "written to the report, exit 130.");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
