//===- validation/History.cpp ---------------------------------------------===//
#include "validation/History.h"

#include "support/Files.h"
#include "support/Gnuplot.h"
#include "support/Sqlite.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sys/wait.h>

namespace tessel {
namespace {

const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs(
  run INTEGER PRIMARY KEY AUTOINCREMENT, suite TEXT NOT NULL,
  commit_id TEXT NOT NULL, date TEXT NOT NULL, cycles_tolerance REAL,
  energy_tolerance REAL);
CREATE TABLE IF NOT EXISTS figures(
  run INTEGER NOT NULL, case_name TEXT NOT NULL, evaluator TEXT NOT NULL,
  cycles INTEGER, energy_pj REAL, cycles_error REAL, energy_error REAL,
  status TEXT, PRIMARY KEY(run, case_name, evaluator));
)sql";

/// The output of `command` (its first line), or "" if it failed.
std::string firstLine(const std::string &command) {
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe)
    return "";
  char buffer[256];
  std::string line;
  if (fgets(buffer, sizeof buffer, pipe))
    line = buffer;
  int status = pclose(pipe);
  if (status != 0)
    return "";
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.pop_back();
  return line;
}

std::string shellQuoted(const std::string &text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

} // namespace

std::string commitOf(const std::string &root) {
  std::string git = "git -C " + shellQuoted(root);
  std::string commit = firstLine(git + " rev-parse --short HEAD 2>/dev/null");
  if (commit.empty())
    return "unknown";
  std::string dirty =
      firstLine(git + " status --porcelain --untracked-files=no 2>/dev/null");
  return dirty.empty() ? commit : commit + "+dirty";
}

std::string utcNow() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

int64_t appendHistory(const std::string &path, const Suite &suite,
                      const std::vector<CaseResult> &results,
                      const std::string &commit, const std::string &date) {
  SqliteDatabase db(path);
  db.exec(kSchema);
  db.exec("BEGIN IMMEDIATE");
  try {
    SqliteStatement run(db, "INSERT INTO runs(suite, commit_id, date, "
                            "cycles_tolerance, energy_tolerance) VALUES "
                            "(?, ?, ?, ?, ?)");
    run.bind(1, suite.name)
        .bind(2, commit)
        .bind(3, date)
        .bind(4, suite.tolerances.cycles)
        .bind(5, suite.tolerances.energy)
        .run();
    int64_t number = db.lastRowId();
    SqliteStatement figure(db, "INSERT INTO figures VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?)");
    for (const CaseResult &r : results) {
      auto add = [&](const Figures &f, const std::string &evaluator,
                     const std::string &status) {
        figure.reset();
        figure.bind(1, number)
            .bind(2, r.spec.name)
            .bind(3, evaluator)
            .bind(4, f.cycles)
            .bind(5, f.energyPJ);
        if (r.sim && evaluator != "sim" && r.sim->cycles > 0 &&
            r.sim->energyPJ > 0) {
          figure.bind(6, errorPercent(double(f.cycles), double(r.sim->cycles)))
              .bind(7, errorPercent(f.energyPJ, r.sim->energyPJ));
        } else {
          figure.bindNull(6).bindNull(7);
        }
        figure.bind(8, status).run();
      };
      for (const Figures &model : r.models)
        add(model, model.evaluator, r.status);
      if (r.sim)
        add(*r.sim, "sim", r.simStatus);
    }
    db.exec("COMMIT");
    return number;
  } catch (...) {
    try {
      db.exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
}

History readHistory(const std::string &path) {
  SqliteDatabase db(path);
  History history;
  SqliteStatement runs(db, "SELECT run, suite, commit_id, date, "
                           "cycles_tolerance, energy_tolerance FROM runs "
                           "ORDER BY run");
  while (runs.step()) {
    HistoryRun run;
    run.run = int64_t(runs.whole(0));
    run.suite = runs.text(1);
    run.commit = runs.text(2);
    run.date = runs.text(3);
    run.tolerances.cycles = runs.real(4);
    run.tolerances.energy = runs.real(5);
    history.runs.push_back(run);
  }
  SqliteStatement figures(db, "SELECT run, case_name, evaluator, cycles, "
                              "energy_pj, cycles_error, energy_error, status "
                              "FROM figures ORDER BY run, case_name, "
                              "evaluator");
  while (figures.step()) {
    HistoryFigure f;
    f.run = int64_t(figures.whole(0));
    f.caseName = figures.text(1);
    f.evaluator = figures.text(2);
    f.cycles = figures.whole(3);
    f.energyPJ = figures.real(4);
    if (!figures.isNull(5))
      f.cyclesError = figures.real(5);
    if (!figures.isNull(6))
      f.energyError = figures.real(6);
    f.status = figures.text(7);
    history.figures.push_back(f);
  }
  return history;
}

std::vector<HistoryChange> historyChanges(const History &history) {
  std::map<int64_t, const HistoryRun *> runs;
  for (const HistoryRun &run : history.runs)
    runs[run.run] = &run;
  // The last figure seen per suite, case and evaluator.
  std::map<std::string, const HistoryFigure *> last;
  std::vector<HistoryChange> changes;
  for (const HistoryFigure &f : history.figures) {
    auto run = runs.find(f.run);
    if (run == runs.end())
      continue;
    std::string key = run->second->suite + "\n" + f.caseName + "\n" +
                      f.evaluator;
    auto previous = last.find(key);
    if (previous != last.end()) {
      const HistoryFigure &p = *previous->second;
      auto check = [&](const char *figure, double before, double after,
                       double tolerance) {
        if (!(before > 0))
          return;
        double relative = (after - before) / before;
        if (std::fabs(relative) > tolerance)
          changes.push_back({run->second->suite, f.caseName, f.evaluator,
                             figure, p.run, f.run, before, after, relative});
      };
      check("cycles", double(p.cycles), double(f.cycles),
            run->second->tolerances.cycles);
      check("energy", p.energyPJ, f.energyPJ, run->second->tolerances.energy);
    }
    last[key] = &f;
  }
  return changes;
}

std::string writeHistoryPlot(const History &history, const std::string &dir) {
  namespace fs = std::filesystem;
  if (std::string why = gnuplotMissing(); !why.empty())
    return why;
  if (std::string why = makeDirectories(dir); !why.empty())
    return why;
  std::map<std::string, std::vector<const HistoryFigure *>> series;
  for (const HistoryFigure &f : history.figures)
    series[f.caseName + " (" + f.evaluator + ")"].push_back(&f);
  std::ofstream data(fs::path(dir) / "history.dat");
  for (const auto &[name, figures] : series) {
    data << "\"" << name << "\"\n";
    for (const HistoryFigure *f : figures)
      data << f->run << " "
           << (figures[0]->cycles ? double(f->cycles) / figures[0]->cycles
                                  : 1)
           << "\n";
    data << "\n\n";
  }
  if (std::string why = streamError(data, dir + "/history.dat"); !why.empty())
    return why;
  for (const char *format : {"png", "svg"}) {
    std::string terminal = std::string(format) == "png" ? "pngcairo" : "svg";
    std::string name = std::string("history-") + format + ".gp";
    std::ofstream script(fs::path(dir) / name);
    script << "set terminal " << terminal << " size 1000,600 noenhanced\n"
           << "set output 'history." << format << "'\n"
           << "set key outside right top\nset grid\n"
           << "set xlabel 'run'\nset xtics 1\nset logscale y\n"
           << "set ylabel 'cycles / first run (log)'\n"
           << "set title 'Validation history: cycles per case and evaluator'\n"
           << "plot for [i=0:" << (series.size() ? series.size() - 1 : 0)
           << "] 'history.dat' index i using 1:2 with linespoints "
              "title columnheader(1)\n";
    if (std::string why = streamError(script, dir + "/" + name); !why.empty())
      return why;
    if (std::string why = runGnuplot(dir, name, "history.log"); !why.empty())
      return why;
  }
  return "";
}

} // namespace tessel
