//===- validation/Output.cpp ----------------------------------------------===//
#include "validation/Output.h"

#include "support/Files.h"
#include "support/Gnuplot.h"
#include "support/Text.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tessel {
namespace {

namespace fs = std::filesystem;

std::string fixed(double value, int digits = 1) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string signedPercent(double value) {
  return (value >= 0 ? "+" : "") + fixed(value, 1) + "%";
}


/// The unit of an energy axis: the largest that keeps the highest bar at
/// or above 1.
struct EnergyScale {
  const char *name = "pJ";
  double picojoules = 1;
};

EnergyScale energyScaleFor(double highestPJ) {
  static const EnergyScale scales[] = {
      {"pJ", 1}, {"nJ", 1e3}, {"uJ", 1e6}, {"mJ", 1e9}, {"J", 1e12}};
  unsigned s = 0;
  while (s < 4 && highestPJ >= scales[s + 1].picojoules)
    ++s;
  return scales[s];
}

llvm::json::Value figuresJson(const Figures &f, const CaseResult &result) {
  llvm::json::Array counts;
  size_t tensors = result.tensors.size();
  for (size_t i = 0; i < f.counts.size(); ++i)
    counts.push_back(llvm::json::Object{{"level", result.levels[i / tensors]},
                                        {"tensor", result.tensors[i % tensors]},
                                        {"reads", f.counts[i][0]},
                                        {"fills", f.counts[i][1]},
                                        {"updates", f.counts[i][2]},
                                        {"networkWords", f.counts[i][3]},
                                        {"networkHops", f.counts[i][4]}});
  llvm::json::Array levels;
  for (double e : f.levelEnergyPJ)
    levels.push_back(e);
  llvm::json::Object stalls;
  for (const auto &[cause, cycles] : f.stalls)
    stalls[cause] = cycles;
  return llvm::json::Object{
      {"cycles", f.cycles},           {"energyPJ", f.energyPJ},
      {"bottleneck", f.bottleneck},   {"levelEnergyPJ", std::move(levels)},
      {"macEnergyPJ", f.macEnergyPJ}, {"counts", std::move(counts)},
      {"stalls", std::move(stalls)}};
}

} // namespace

std::vector<ModelSummary> summarize(const std::vector<CaseResult> &results) {
  std::vector<ModelSummary> summaries;
  if (results.empty())
    return summaries;
  for (const CaseResult &result : results)
    for (const Figures &model : result.models)
      if (std::none_of(summaries.begin(), summaries.end(),
                       [&](const ModelSummary &s) {
                         return s.model == model.evaluator;
                       }))
        summaries.push_back({model.evaluator});
  for (ModelSummary &summary : summaries) {
    std::vector<std::pair<double, std::string>> errors;
    for (const CaseResult &result : results) {
      if (!result.sim)
        continue;
      for (const Figures &model : result.models) {
        if (model.evaluator != summary.model)
          continue;
        double cycles = std::abs(
            errorPercent(double(model.cycles), double(result.sim->cycles)));
        double energy =
            std::abs(errorPercent(model.energyPJ, result.sim->energyPJ));
        ++summary.cases;
        summary.meanCyclesError += cycles;
        summary.meanEnergyError += energy;
        summary.maxCyclesError = std::max(summary.maxCyclesError, cycles);
        summary.maxEnergyError = std::max(summary.maxEnergyError, energy);
        summary.identicalCounts +=
            countDifferences(result, model, *result.sim).empty();
        errors.push_back({cycles, result.spec.name + " (" +
                                      signedPercent(errorPercent(
                                          double(model.cycles),
                                          double(result.sim->cycles))) +
                                      " cycles)"});
      }
    }
    if (summary.cases) {
      summary.meanCyclesError /= summary.cases;
      summary.meanEnergyError /= summary.cases;
    }
    std::stable_sort(
        errors.begin(), errors.end(),
        [](const auto &a, const auto &b) { return a.first > b.first; });
    for (size_t i = 0; i < errors.size() && i < 3; ++i)
      summary.worst.push_back(errors[i].second);
  }
  return summaries;
}

void writeMarkdown(const Suite &suite, const std::vector<CaseResult> &results,
                   const std::vector<ModelSummary> &summary,
                   const std::vector<std::string> &plots, std::ostream &os) {
  os << "# Validation: " << suite.name << "\n\n"
     << "Suite `" << suite.file << "`, " << results.size() << " cases. "
     << "Errors are (model − simulated) / simulated.\n\n";
  os << "## Summary per model\n\n"
     << "| model | cases | mean \\|cycles error\\| | max | mean \\|energy "
        "error\\| | max | identical action counts | most different |\n"
     << "|---|---|---|---|---|---|---|---|\n";
  for (const ModelSummary &s : summary) {
    std::string worst;
    for (const std::string &w : s.worst)
      worst += (worst.empty() ? "" : "; ") + w;
    os << "| " << s.model << " | " << s.cases << " | "
       << fixed(s.meanCyclesError) << "% | " << fixed(s.maxCyclesError)
       << "% | " << fixed(s.meanEnergyError) << "% | "
       << fixed(s.maxEnergyError) << "% | " << s.identicalCounts << "/"
       << s.cases << " | " << worst << " |\n";
  }
  os << "\n## Cases\n\n| case | op | MACs | simulated cycles |";
  std::vector<std::string> models;
  for (const CaseResult &r : results)
    if (!r.models.empty()) {
      for (const Figures &m : r.models)
        models.push_back(m.evaluator);
      break;
    }
  for (const std::string &m : models)
    os << " " << m << " cycles (error) |";
  os << " simulated energy (pJ) |";
  for (const std::string &m : models)
    os << " " << m << " energy (error) |";
  os << " simulation |\n|---|---|---|---|";
  for (size_t i = 0; i < 2 * models.size() + 2; ++i)
    os << "---|";
  os << "\n";
  for (const CaseResult &r : results) {
    if (r.status != "ok") {
      os << "| " << r.spec.name << " | " << r.status << " |\n";
      continue;
    }
    os << "| " << r.spec.name << " | " << r.op << " | " << withCommas(r.macs)
       << " | " << (r.sim ? withCommas(r.sim->cycles) : "—") << " |";
    for (const Figures &m : r.models)
      os << " " << withCommas(m.cycles)
         << (r.sim ? " (" +
                         signedPercent(errorPercent(double(m.cycles),
                                                    double(r.sim->cycles))) +
                         ")"
                   : "")
         << " |";
    os << " " << (r.sim ? fixed(r.sim->energyPJ) : "—") << " |";
    for (const Figures &m : r.models)
      os << " " << fixed(m.energyPJ)
         << (r.sim ? " (" +
                         signedPercent(
                             errorPercent(m.energyPJ, r.sim->energyPJ)) +
                         ")"
                   : "")
         << " |";
    os << " " << r.simStatus << " |\n";
  }
  os << "\n## Where the models and the simulator differ\n\n";
  for (const CaseResult &r : results) {
    if (!r.sim)
      continue;
    os << "### " << r.spec.name << "\n\n";
    if (!r.sim->stalls.empty()) {
      os << "Simulated stalls (cycles):";
      for (const auto &[cause, cycles] : r.sim->stalls)
        os << " " << cause << " " << withCommas(uint64_t(cycles)) << ";";
      os << "\n\n";
    }
    for (const Figures &m : r.models) {
      if (m.evaluator == "roofline")
        continue;
      std::vector<std::string> diffs = countDifferences(r, m, *r.sim);
      os << "- " << m.evaluator << ": "
         << (diffs.empty()
                 ? "action counts identical"
                 : std::to_string(diffs.size()) + " action counts differ")
         << "\n";
      for (const std::string &d : diffs)
        os << "  - " << d << "\n";
    }
    os << "\n";
  }
  bool references = false;
  for (const CaseResult &r : results)
    references |= r.spec.expectCycles || r.spec.expectEnergyPJ;
  if (references) {
    os << "## Reference cases\n\n| case | expected cycles | simulated | "
          "reuse | source |\n|---|---|---|---|---|\n";
    for (const CaseResult &r : results) {
      if (!r.spec.expectCycles || r.models.empty())
        continue;
      double expected = double(*r.spec.expectCycles);
      os << "| " << r.spec.name << " | " << withCommas(*r.spec.expectCycles)
         << " | "
         << (r.sim ? withCommas(r.sim->cycles) + " (" +
                         signedPercent(
                             errorPercent(double(r.sim->cycles), expected)) +
                         ")"
                   : "—")
         << " | " << withCommas(r.models[0].cycles) << " ("
         << signedPercent(errorPercent(double(r.models[0].cycles), expected))
         << ") | " << r.spec.source << " |\n";
    }
    os << "\n";
  }
  if (!plots.empty()) {
    os << "## Plots\n\n";
    for (const std::string &plot : plots)
      if (plot.size() > 4 && plot.substr(plot.size() - 4) == ".png")
        os << "![" << plot << "](" << plot << ")\n\n";
  }
}

std::string reportJson(const Suite &suite,
                       const std::vector<CaseResult> &results,
                       const std::vector<ModelSummary> &summary) {
  llvm::json::Array cases;
  for (const CaseResult &r : results) {
    llvm::json::Object evaluators;
    for (const Figures &m : r.models)
      evaluators[m.evaluator] = figuresJson(m, r);
    if (r.sim)
      evaluators["sim"] = figuresJson(*r.sim, r);
    llvm::json::Object entry{
        {"name", r.spec.name},
        {"status", r.status},
        {"op", r.op},
        {"macs", r.macs},
        {"arch", fs::path(r.spec.archFile).filename().string()},
        {"mapping", r.mappingYaml},
        {"simulation", r.simStatus},
        {"simSeconds", r.simSeconds},
        {"evaluators", std::move(evaluators)}};
    if (r.spec.expectCycles || r.spec.expectEnergyPJ) {
      llvm::json::Object expect{{"source", r.spec.source}};
      if (r.spec.expectCycles)
        expect["cycles"] = *r.spec.expectCycles;
      if (r.spec.expectEnergyPJ)
        expect["energyPJ"] = *r.spec.expectEnergyPJ;
      entry["expect"] = std::move(expect);
    }
    cases.push_back(std::move(entry));
  }
  llvm::json::Array models;
  for (const ModelSummary &s : summary) {
    llvm::json::Array worst;
    for (const std::string &w : s.worst)
      worst.push_back(w);
    models.push_back(
        llvm::json::Object{{"model", s.model},
                           {"cases", s.cases},
                           {"meanAbsCyclesErrorPercent", s.meanCyclesError},
                           {"maxAbsCyclesErrorPercent", s.maxCyclesError},
                           {"meanAbsEnergyErrorPercent", s.meanEnergyError},
                           {"maxAbsEnergyErrorPercent", s.maxEnergyError},
                           {"identicalActionCounts", s.identicalCounts},
                           {"mostDifferent", std::move(worst)}});
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv(
      "{0:2}", llvm::json::Value(llvm::json::Object{
                   {"suite", suite.name},
                   {"file", suite.file},
                   {"tolerances",
                    llvm::json::Object{{"cycles", suite.tolerances.cycles},
                                       {"energy", suite.tolerances.energy}}},
                   {"cases", std::move(cases)},
                   {"summary", std::move(models)}}));
  return os.str() + "\n";
}

std::vector<std::string> writePlots(const std::vector<CaseResult> &results,
                                    const std::string &directory,
                                    std::string &why) {
  std::vector<std::string> written;
  why = gnuplotMissing();
  if (!why.empty())
    return written;
  fs::path dir(directory);
  std::vector<std::string> models;
  for (const CaseResult &r : results)
    if (!r.models.empty()) {
      for (const Figures &m : r.models)
        models.push_back(m.evaluator);
      break;
    }
  // The reference is the simulator. Cases it did not run are left out of
  // the plots; with no simulation at all (--no-sim) the plots compare the
  // models with the reuse model and say so ("model only").
  bool anySim =
      std::any_of(results.begin(), results.end(),
                  [](const CaseResult &r) { return r.sim.has_value(); });
  std::string refName = anySim ? "simulated" : "reuse model";
  auto reference = [anySim](const CaseResult &r) -> const Figures * {
    if (anySim)
      return r.sim ? &*r.sim : nullptr;
    return r.models.empty() ? nullptr : &r.models[0];
  };
  size_t leftOut = 0;
  for (const CaseResult &r : results)
    leftOut += reference(r) == nullptr;
  std::string note =
      !anySim ? " (model only: no simulation)"
      : leftOut ? " (" + std::to_string(leftOut) + " of " +
                      std::to_string(results.size()) +
                      " cases without a simulation left out)"
                : "";
  {
    std::ofstream data(dir / "cycles.dat");
    data << "# case reference";
    for (const std::string &m : models)
      data << " " << m;
    data << "\n";
    unsigned index = 0;
    for (const CaseResult &r : results) {
      const Figures *ref = reference(r);
      if (!ref || r.models.size() != models.size())
        continue;
      data << index++ << " " << ref->cycles;
      for (const Figures &m : r.models)
        data << " " << m.cycles;
      data << " " << r.spec.name << "\n";
    }
    why = streamError(data, (dir / "cycles.dat").string());
    if (!why.empty())
      return written;
  }
  EnergyScale energyScale;
  {
    std::ofstream data(dir / "energy.dat");
    std::vector<const CaseResult *> largest;
    for (const CaseResult &r : results)
      if (reference(r))
        largest.push_back(&r);
    std::stable_sort(largest.begin(), largest.end(),
                     [](const CaseResult *a, const CaseResult *b) {
                       return a->macs > b->macs;
                     });
    if (largest.size() > 6)
      largest.resize(6);
    // A level's name in the legend; cases on different accelerators join
    // their names at one depth ("GlobalBuffer/GLB").
    std::vector<std::string> levelNames;
    double highest = 0;
    for (const CaseResult *r : largest) {
      for (size_t l = 0; l < r->levels.size(); ++l) {
        if (levelNames.size() <= l)
          levelNames.emplace_back();
        std::string &name = levelNames[l];
        if (("/" + name + "/").find("/" + r->levels[l] + "/") ==
            std::string::npos)
          name += (name.empty() ? "" : "/") + r->levels[l];
      }
      highest = std::max(highest, reference(*r)->energyPJ);
    }
    energyScale = energyScaleFor(highest);
    data << "case";
    for (const std::string &name : levelNames)
      data << " " << name;
    data << " MAC\n";
    for (const CaseResult *r : largest) {
      const Figures *ref = reference(*r);
      data << r->spec.name;
      for (size_t l = 0; l < levelNames.size(); ++l)
        data << " "
             << (l < ref->levelEnergyPJ.size() ? ref->levelEnergyPJ[l] : 0) /
                    energyScale.picojoules;
      data << " " << ref->macEnergyPJ / energyScale.picojoules << "\n";
    }
    why = streamError(data, (dir / "energy.dat").string());
    if (!why.empty())
      return written;
  }
  for (const char *format : {"png", "svg"}) {
    std::string terminal = std::string(format) == "png"
                               ? "pngcairo size 900,600"
                               : "svg size 900,600";
    std::ofstream script(dir / (std::string("plots-") + format + ".gp"));
    // Every legend sits outside the plot, where it covers no data.
    script << "set terminal " << terminal << " noenhanced\n"
           << "set datafile commentschars '#'\n"
           << "set key outside right top\nset grid\n";
    // Model vs reference cycles, log-log, y = x.
    script << "set output 'cycles-scatter." << format << "'\n"
           << "set logscale xy\nset xlabel '" << refName
           << " cycles'\nset ylabel 'model cycles'\n"
           << "set title 'Model vs " << refName << " cycles" << note << "'\n"
           << "plot x title 'y = x' lc rgb 'gray'";
    // A shape, size and colour per model, the same in every plot; the
    // first model's markers are the largest, so that one drawn over it
    // still shows.
    static const int shapes[] = {7, 5, 9, 11, 13};
    static const char *colours[] = {"#009e73", "#56b4e9", "#e69f00",
                                    "#cc79a7", "#0072b2"};
    auto marker = [&](size_t m) {
      return std::string(" with points pt ") + std::to_string(shapes[m % 5]) +
             (m == 0 ? " ps 1.7" : " ps 1.1") + " lc rgb '" + colours[m % 5] +
             "' title '" + models[m] + "'";
    };
    for (size_t m = 0; m < models.size(); ++m)
      script << ", 'cycles.dat' using 2:" << (3 + m) << marker(m);
    script << "\nunset logscale\n";
    // Error per case: one marker per case and model, no lines (the cases
    // are unrelated), models side by side at each case.
    // Wide enough for every case's name: past 16 cases, 22 pixels each,
    // the names upright in a smaller font.
    size_t plotted = results.size() - leftOut;
    bool many = plotted > 16;
    unsigned width = many ? unsigned(std::min<size_t>(
                                 8000, 200 + 22 * plotted))
                          : 900;
    script << "set terminal "
           << (std::string(format) == "png" ? "pngcairo" : "svg") << " size "
           << width << "," << (many ? 760 : 600) << " noenhanced\n"
           << "set output 'cycles-error." << format << "'\n"
           << "set xlabel 'case'\nset ylabel 'cycles error (%)'\n"
           << "set title 'Cycles error vs " << refName << " by case" << note
           << "'\n"
           << (many ? "set xtics rotate by 90 right font ',8'\n"
                    : "set xtics rotate by 45 right\n")
           << "set offsets 0.5, 0.5, 0, 0\n"
           << "plot 0 notitle lc rgb 'gray', 'cycles.dat' using 1:(NaN):xtic("
           << (3 + models.size()) << ") notitle";
    for (size_t m = 0; m < models.size(); ++m) {
      double shift = (double(m) - double(models.size() - 1) / 2) * 0.12;
      script << ", 'cycles.dat' using ($1" << (shift < 0 ? "" : "+") << shift
             << "):((column(" << (3 + m) << ")-column(2))/column(2)*100)"
             << marker(m);
    }
    script << "\nset xtics norotate font ''\nset offsets 0, 0, 0, 0\n"
           << "set terminal " << terminal << " noenhanced\n";
    // Energy per level, stacked, for the largest cases.
    script << "set output 'energy-breakdown." << format << "'\n"
           << "set style data histograms\nset style histogram "
              "rowstacked\n"
           << "set style fill solid 0.8 border -1\nset boxwidth 0.7\n"
           << "set ylabel 'energy (" << energyScale.name
           << ")'\nset xlabel ''\n"
           << "set title 'Energy per level (" << refName
           << "), largest cases" << note << "'\n"
           << "set xtics rotate by 30 right\n"
           << "plot for [i=2:*] 'energy.dat' using i:xtic(1) title "
              "columnheader(i)\n";
    why = streamError(script,
                      (dir / (std::string("plots-") + format + ".gp")).string());
    if (!why.empty())
      return written;
  }
  for (const char *format : {"png", "svg"}) {
    why = runGnuplot(dir.string(), std::string("plots-") + format + ".gp",
                     "plots.log");
    if (!why.empty())
      return written;
    for (const char *name :
         {"cycles-scatter", "cycles-error", "energy-breakdown"})
      written.push_back(std::string(name) + "." + format);
  }
  return written;
}

std::vector<std::string> compareToBaseline(const std::string &baselineJson,
                                           const std::string &currentJson,
                                           const Tolerances &tolerances) {
  auto baseline = llvm::json::parse(baselineJson);
  if (!baseline)
    throw std::runtime_error("the baseline is not valid JSON: " +
                             llvm::toString(baseline.takeError()));
  auto current = llvm::json::parse(currentJson);
  if (!current)
    throw std::runtime_error("internal: the report is not valid JSON");
  auto casesOf = [](const llvm::json::Value &report) {
    std::map<std::string, const llvm::json::Object *> cases;
    if (const llvm::json::Object *root = report.getAsObject())
      if (const llvm::json::Array *list = root->getArray("cases"))
        for (const llvm::json::Value &c : *list)
          if (const llvm::json::Object *object = c.getAsObject())
            if (auto name = object->getString("name"))
              cases[name->str()] = object;
    return cases;
  };
  auto before = casesOf(*baseline), after = casesOf(*current);
  if (before.empty())
    throw std::runtime_error("the baseline holds no cases");
  std::vector<std::string> drift;
  auto drifted = [](double was, double now, double tolerance) {
    double scale = std::max(std::abs(was), 1e-12);
    return std::abs(now - was) / scale > tolerance;
  };
  for (const auto &[name, old] : before) {
    auto found = after.find(name);
    if (found == after.end()) {
      drift.push_back(name + ": missing from this run");
      continue;
    }
    const llvm::json::Object *oldEvaluators = old->getObject("evaluators");
    const llvm::json::Object *newEvaluators =
        found->second->getObject("evaluators");
    if (!oldEvaluators)
      continue;
    for (const auto &[evaluator, value] : *oldEvaluators) {
      const llvm::json::Object *was = value.getAsObject();
      const llvm::json::Object *now =
          newEvaluators ? newEvaluators->getObject(evaluator) : nullptr;
      if (!now) {
        drift.push_back(name + " " + evaluator.str() +
                        ": no result in this run");
        continue;
      }
      // One figure: its JSON key, how it reads, its unit and tolerance.
      auto check = [&](const char *key, const char *label, int digits,
                       const char *unit, double tolerance) {
        double before = was->getNumber(key).value_or(0);
        double after = now->getNumber(key).value_or(0);
        if (drifted(before, after, tolerance))
          drift.push_back(name + " " + evaluator.str() + " " + label + ": " +
                          fixed(before, digits) + " -> " +
                          fixed(after, digits) + unit + " (" +
                          signedPercent(errorPercent(after, before)) +
                          ", tolerance " + fixed(tolerance * 100, 1) + "%)");
      };
      check("cycles", "cycles", 0, "", tolerances.cycles);
      check("energyPJ", "energy", 1, " pJ", tolerances.energy);
    }
  }
  return drift;
}

} // namespace tessel
