//===- tools/tessel/HistoryCommand.cpp - `tessel history` -----------------===//
//
// How each validation case's figures moved over the runs recorded with
// `tessel validate --history DB`: the runs, each case and evaluator's first
// and last cycles and energy, the changes beyond the suite's tolerances, and
// a plot of cycles over the runs.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"

#include "validation/History.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

namespace tessel::cli {
namespace {

namespace fs = std::filesystem;

struct HistoryOptions {
  std::string database;
  std::string caseName;
  std::string out;
  bool failOnChange = false;
};

std::string signedPercent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%+.1f%%", 100 * fraction);
  return text;
}

int run(const HistoryOptions &options) {
  std::error_code code;
  if (!fs::is_regular_file(options.database, code)) {
    std::cerr << options.database
              << ": error: no such history database (tessel validate SUITE "
                 "--history "
              << options.database << " makes one)\n";
    return 1;
  }
  History history;
  try {
    history = readHistory(options.database);
  } catch (const std::exception &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  if (!options.caseName.empty()) {
    history.figures.erase(
        std::remove_if(history.figures.begin(), history.figures.end(),
                       [&](const HistoryFigure &f) {
                         return f.caseName != options.caseName;
                       }),
        history.figures.end());
    if (history.figures.empty()) {
      std::cerr << options.database << ": error: no case '"
                << options.caseName << "' in any run\n";
      return 1;
    }
  }
  Table runs({"run", "suite", "commit", "date", "tolerances"},
             {true, false, false, false, false});
  for (const HistoryRun &r : history.runs)
    runs.addRow({std::to_string(r.run), r.suite, r.commit, r.date,
                 "cycles " + signedPercent(r.tolerances.cycles).substr(1) +
                     ", energy " +
                     signedPercent(r.tolerances.energy).substr(1)});
  std::cout << "runs:\n";
  runs.print(std::cout, "  ");

  std::map<std::pair<std::string, std::string>,
           std::vector<const HistoryFigure *>>
      series;
  for (const HistoryFigure &f : history.figures)
    series[{f.caseName, f.evaluator}].push_back(&f);
  Table cases({"case", "evaluator", "runs", "first cycles", "last cycles",
               "change", "last energy", "change", "last error vs sim"},
              {false, false, true, true, true, true, true, true, true});
  for (const auto &[key, figures] : series) {
    const HistoryFigure &first = *figures.front(), &last = *figures.back();
    double cycles = first.cycles ? (double(last.cycles) - first.cycles) /
                                       double(first.cycles)
                                 : 0;
    double energy = first.energyPJ > 0
                        ? (last.energyPJ - first.energyPJ) / first.energyPJ
                        : 0;
    cases.addRow({key.first, key.second, std::to_string(figures.size()),
                  withCommas(first.cycles), withCommas(last.cycles),
                  signedPercent(cycles), humanEnergy(last.energyPJ),
                  signedPercent(energy),
                  last.cyclesError
                      ? "cycles " + signedPercent(*last.cyclesError / 100)
                      : "-"});
  }
  std::cout << "cases (first and last run):\n";
  cases.print(std::cout, "  ");

  std::vector<HistoryChange> changes = historyChanges(history);
  int64_t lastRun = history.runs.empty() ? 0 : history.runs.back().run;
  bool changedLast = false;
  if (changes.empty()) {
    std::cout << "no figure moved beyond its suite's tolerances between "
                 "consecutive runs\n";
  } else {
    std::cout << changes.size()
              << " changes beyond the suite's tolerances:\n";
    Table table({"case", "evaluator", "figure", "runs", "before", "after",
                 "change"},
                {false, false, false, false, true, true, true});
    for (const HistoryChange &c : changes) {
      changedLast |= c.toRun == lastRun;
      table.addRow({c.caseName, c.evaluator, c.figure,
                    std::to_string(c.fromRun) + " -> " +
                        std::to_string(c.toRun),
                    c.figure == "cycles" ? withCommas(uint64_t(c.before))
                                         : humanEnergy(c.before),
                    c.figure == "cycles" ? withCommas(uint64_t(c.after))
                                         : humanEnergy(c.after),
                    signedPercent(c.relative)});
    }
    table.print(std::cout, "  ");
  }
  if (!options.out.empty()) {
    std::string why = writeHistoryPlot(history, options.out);
    if (why.empty())
      std::cout << "wrote " << options.out << "/history.png (and .svg)\n";
    else
      std::cerr << "warning: no plot: " << why << "\n";
  }
  return options.failOnChange && changedLast ? 1 : 0;
}

} // namespace

void addHistoryCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<HistoryOptions>();
  CLI::App *sub = app.add_subcommand(
      "history", "How each validation case's cycles, energy and model error "
                 "moved over the runs recorded with 'tessel validate "
                 "--history DB'; flags changes beyond the suite's "
                 "tolerances.");
  sub->add_option("DB", options->database, "History database (SQLite)")
      ->required();
  sub->add_option("--case", options->caseName, "Only this case");
  sub->add_option("--out", options->out,
                  "Directory for history.png/svg (cycles over the runs)");
  sub->add_flag("--fail-on-change", options->failOnChange,
                "Exit 1 if the latest run moved a figure beyond tolerance "
                "(for CI)");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
