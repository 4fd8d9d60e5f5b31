//===- validation/Output.cpp ----------------------------------------------===//
#include "validation/Output.h"

#include "support/Files.h"

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

std::string commas(uint64_t value) {
  std::string digits = std::to_string(value), text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      text += ',';
    text += digits[i];
  }
  return text;
}

llvm::json::Value figuresJson(const Figures &f, const CaseResult &result) {
  llvm::json::Array counts;
  size_t tensors = result.tensors.size();
  for (size_t i = 0; i < f.counts.size(); ++i)
    counts.push_back(llvm::json::Object{{"level", result.levels[i / tensors]},
                                        {"tensor", result.tensors[i % tensors]},
                                        {"reads", f.counts[i][0]},
                                        {"fills", f.counts[i][1]},
                                        {"updates", f.counts[i][2]}});
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
    os << "| " << r.spec.name << " | " << r.op << " | " << commas(r.macs)
       << " | " << (r.sim ? commas(r.sim->cycles) : "—") << " |";
    for (const Figures &m : r.models)
      os << " " << commas(m.cycles)
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
        os << " " << cause << " " << commas(uint64_t(cycles)) << ";";
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
      os << "| " << r.spec.name << " | " << commas(*r.spec.expectCycles)
         << " | "
         << (r.sim ? commas(r.sim->cycles) + " (" +
                         signedPercent(
                             errorPercent(double(r.sim->cycles), expected)) +
                         ")"
                   : "—")
         << " | " << commas(r.models[0].cycles) << " ("
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
  if (std::system("gnuplot --version > /dev/null 2>&1") != 0) {
    why = "gnuplot is not installed (scripts/deps.sh installs gnuplot-nox)";
    return written;
  }
  fs::path dir(directory);
  // The reference is the simulator when it ran, else the reuse model.
  auto reference = [](const CaseResult &r) -> const Figures * {
    return r.sim ? &*r.sim : (r.models.empty() ? nullptr : &r.models[0]);
  };
  std::vector<std::string> models;
  for (const CaseResult &r : results)
    if (!r.models.empty()) {
      for (const Figures &m : r.models)
        models.push_back(m.evaluator);
      break;
    }
  std::string refName = "simulated";
  bool anySim =
      std::any_of(results.begin(), results.end(),
                  [](const CaseResult &r) { return r.sim.has_value(); });
  if (!anySim)
    refName = "reuse model";
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
    size_t levels = 0;
    for (const CaseResult *r : largest)
      levels = std::max(levels, r->levels.size());
    data << "case";
    for (size_t l = 0; l < levels; ++l)
      data << " level" << l;
    data << " MAC\n";
    for (const CaseResult *r : largest) {
      const Figures *ref = reference(*r);
      data << r->spec.name;
      for (size_t l = 0; l < levels; ++l)
        data << " "
             << (l < ref->levelEnergyPJ.size() ? ref->levelEnergyPJ[l] : 0);
      data << " " << ref->macEnergyPJ << "\n";
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
    script << "set terminal " << terminal << " noenhanced\n"
           << "set datafile commentschars '#'\n"
           << "set key top left\nset grid\n";
    // Model vs reference cycles, log-log, y = x.
    script << "set output 'cycles-scatter." << format << "'\n"
           << "set logscale xy\nset xlabel '" << refName
           << " cycles'\nset ylabel 'model cycles'\n"
           << "set title 'Model vs " << refName << " cycles'\n"
           << "plot x title 'y = x' lc rgb 'gray'";
    for (size_t m = 0; m < models.size(); ++m)
      script << ", 'cycles.dat' using 2:" << (3 + m) << " with points pt 7 "
             << "title '" << models[m] << "'";
    script << "\nunset logscale\n";
    // Error per case.
    script << "set output 'cycles-error." << format << "'\n"
           << "set xlabel 'case'\nset ylabel 'cycles error (%)'\n"
           << "set title 'Cycles error vs " << refName << " by case'\n"
           << "set xtics rotate by 45 right\n"
           << "set bmargin 12\nset lmargin 12\nset offsets 0.5, 0.5, 0, 0\n"
           << "plot 0 notitle lc rgb 'gray'";
    for (size_t m = 0; m < models.size(); ++m)
      script << ", 'cycles.dat' using 1:((column(" << (3 + m)
             << ")-column(2))/column(2)*100):xtic(" << (3 + models.size())
             << ") with linespoints pt 7 title '" << models[m] << "'";
    script << "\nset xtics norotate\nset offsets 0, 0, 0, 0\n";
    // Energy per level, stacked, for the largest cases.
    script << "set output 'energy-breakdown." << format << "'\n"
           << "set lmargin 14\nset style data histograms\nset style histogram "
              "rowstacked\n"
           << "set style fill solid 0.8 border -1\nset boxwidth 0.7\n"
           << "set ylabel 'energy (pJ)'\nset xlabel ''\n"
           << "set title 'Energy per level (" << refName
           << "), largest cases'\nset key outside right\n"
           << "set xtics rotate by 30 right\n"
           << "plot for [i=2:*] 'energy.dat' using i:xtic(1) title "
              "columnheader(i)\n";
    why = streamError(script,
                      (dir / (std::string("plots-") + format + ".gp")).string());
    if (!why.empty())
      return written;
  }
  for (const char *format : {"png", "svg"}) {
    std::string command = "cd '" + dir.string() + "' && gnuplot plots-" +
                          format + ".gp > plots.log 2>&1";
    if (std::system(command.c_str()) != 0) {
      why = "gnuplot failed; see " + (dir / "plots.log").string();
      return written;
    }
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
