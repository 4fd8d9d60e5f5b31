//===- tools/tessel/Options.cpp -------------------------------------------===//
#include "Options.h"

#include "arch/ArchLoader.h"
#include "mapper/Mapper.h"
#include "mapping/Datatypes.h"
#include "model/CostModel.h"
#include "support/Files.h"
#include "support/Interrupt.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace tessel::cli {
namespace {

std::string realText(double value) {
  std::ostringstream os;
  os << value;
  return os.str();
}

std::string wholeRange(uint64_t min, uint64_t max) {
  if (max == std::numeric_limits<uint64_t>::max() ||
      max == std::numeric_limits<unsigned>::max())
    return ">= " + std::to_string(min);
  return "from " + std::to_string(min) + " to " + std::to_string(max);
}

std::string joined(const std::vector<std::string> &names) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

std::string single(const CLI::results_t &results) {
  return results.empty() ? std::string() : results.back();
}

CLI::Option *wholeOption(CLI::App *app, const std::string &name, uint64_t min,
                         uint64_t max, const std::string &unit,
                         const std::string &description,
                         std::function<void(uint64_t)> store) {
  std::string label = name;
  CLI::Option *option = app->add_option(
      name,
      [=](const CLI::results_t &results) {
        std::string text = single(results);
        uint64_t value = 0;
        if (!parseWhole(text, value) || value < min || value > max)
          throw UsageError(label + " must be a whole number " +
                           wholeRange(min, max) + " (" + unit + "), got '" +
                           text + "'");
        store(value);
        return true;
      },
      description);
  option->type_name("N")->type_size(1)->expected(1);
  return option;
}

} // namespace

CLI::Option *addJobsOption(CLI::App *app, unsigned &target,
                           const std::string &description) {
  return addWholeOption(app, "--jobs", target, 1u, kMaxJobs, "processes",
                        description);
}

void addRemovedOption(CLI::App *app, const std::string &name,
                      const std::string &why) {
  app->add_option(name)
      ->group("") // Not in --help.
      ->each([name, why](const std::string &) {
        throw UsageError(name + ": " + why);
      });
}

CLI::Option *addArchOption(CLI::App *app, std::string &target) {
  return app
      ->add_option("--arch", target,
                   "Accelerator: a preset (" + joined(presetNames()) +
                       ") or a YAML file")
      ->type_name("PRESET|FILE")
      ->required();
}

CLI::Option *addModelOption(CLI::App *app, std::string &target, bool allowAll,
                            const std::string &description) {
  return app->add_option("--model", target, description)
      ->check(CLI::Validator(
          [allowAll](std::string &name) -> std::string {
            std::vector<std::string> names = costModelNames();
            if (std::find(names.begin(), names.end(), name) != names.end() ||
                (allowAll && name == "all"))
              return "";
            if (allowAll)
              names.push_back("all");
            return "must be one of: " + joined(names) + "; got '" + name + "'";
          },
          "MODEL"));
}

CLI::Option *addPrecisionOption(CLI::App *app, Precision &target) {
  return app
      ->add_option_function<std::string>(
          "--precision",
          [&target](const std::string &name) {
            std::optional<Precision> precision = precisionNamed(name);
            if (!precision)
              throw UsageError("--precision must be 'words' or 'declared', "
                               "got '" +
                               name + "'");
            target = *precision;
          },
          "words (default: each element one word of every level, as "
          "Timeloop counts) or declared (each tensor at its MLIR element "
          "width, packed into the levels' words; docs/arch.md)")
      ->type_name("PRECISION");
}

CLI::Option *addSearchOptions(CLI::App *app, MapRequest &request,
                              std::string &objective,
                              std::string &constraints) {
  addMapperOption(app, request.mapper);
  addModelOption(app, request.model, false,
                 "Cost model: reuse (default), dataflow or roofline");
  addObjectiveOption(app, objective);
  app->add_option("--constraints", constraints,
                  "Constraints YAML (docs/constraints.md)");
  SearchOptions &search = request.options;
  addWholeOption(
      app, "--budget", search.maxEvaluations, 0, UINT64_MAX, "evaluations",
      "Evaluations per op (default " + std::to_string(search.maxEvaluations) +
          "; 0 = unlimited)");
  addRealOption(app, "--time", search.maxSeconds, 0, 1e9, "seconds",
                "Seconds per op (default 0 = unlimited)");
  addWholeOption(app, "--patience", search.patience, 0, UINT64_MAX,
                 "evaluations",
                 "Stop an op after this many evaluations without "
                 "improvement (default 0 = off)");
  addWholeOption(app, "--threads", search.threads, 1u, 256u, "threads",
                 "Threads (the result does not depend on it)");
  return addWholeOption(app, "--seed", search.seed, 0, UINT64_MAX, "a seed",
                        "Search seed (default 1)");
}

CLI::Option *addMapperOption(CLI::App *app, std::string &target) {
  return app
      ->add_option("--mapper", target,
                   "exhaustive, random, hillclimb, annealing or genetic "
                   "(default genetic)")
      ->check(CLI::Validator(
          [](std::string &name) -> std::string {
            std::vector<std::string> names = mapperNames();
            if (std::find(names.begin(), names.end(), name) != names.end())
              return "";
            std::string known;
            for (const std::string &n : names)
              known += (known.empty() ? "" : ", ") + n;
            return "must be one of: " + known + "; got '" + name + "'";
          },
          "MAPPER"));
}

CLI::Option *addObjectiveOption(CLI::App *app, std::string &target) {
  return app
      ->add_option("--objective", target,
                   "cycles, energy, edp (default), weighted:W = "
                   "cycles^W x energy^(1-W), or lex (fewest cycles, then "
                   "least energy)")
      ->check(CLI::Validator(
          [](std::string &text) -> std::string {
            if (Objective::parse(text))
              return "";
            return "must be cycles, energy, edp, weighted:W (0 <= W <= "
                   "1) or lex; got '" +
                   text + "'";
          },
          "OBJECTIVE"));
}

bool parseWhole(const std::string &text, uint64_t &value) {
  if (text.empty() || text.size() > 20)
    return false;
  uint64_t result = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    unsigned digit = unsigned(c - '0');
    if (result > (std::numeric_limits<uint64_t>::max() - digit) / 10)
      return false;
    result = result * 10 + digit;
  }
  value = result;
  return true;
}

CLI::Option *addWholeOption(CLI::App *app, const std::string &name,
                            uint64_t &target, uint64_t min, uint64_t max,
                            const std::string &unit,
                            const std::string &description) {
  return wholeOption(app, name, min, max, unit, description,
                     [&target](uint64_t value) { target = value; });
}

CLI::Option *addWholeOption(CLI::App *app, const std::string &name,
                            unsigned &target, unsigned min, unsigned max,
                            const std::string &unit,
                            const std::string &description) {
  return wholeOption(app, name, min, max, unit, description,
                     [&target](uint64_t value) { target = unsigned(value); });
}

CLI::Option *addRealOption(CLI::App *app, const std::string &name,
                           double &target, double min, double max,
                           const std::string &unit,
                           const std::string &description) {
  std::string label = name;
  std::string range = std::isinf(max)
                          ? ">= " + realText(min)
                          : "from " + realText(min) + " to " + realText(max);
  CLI::Option *option = app->add_option(
      name,
      [=, &target](const CLI::results_t &results) {
        std::string text = single(results);
        char *end = nullptr;
        double value = text.empty() ? 0 : std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(value) ||
            value < min || value > max || text.find_first_of(" \t") == 0)
          throw UsageError(label + " must be a number " + range + " (" + unit +
                           "), got '" + text + "'");
        target = value;
        return true;
      },
      description);
  option->type_name("X")->type_size(1)->expected(1);
  return option;
}

CLI::Option *addByteSizeOption(CLI::App *app, const std::string &name,
                               uint64_t &target, uint64_t min, uint64_t max,
                               const std::string &description) {
  std::string label = name;
  CLI::Option *option = app->add_option(
      name,
      [=, &target](const CLI::results_t &results) {
        std::string text = single(results);
        std::string digits = text;
        uint64_t scale = 1;
        if (!digits.empty()) {
          switch (digits.back()) {
          case 'K':
          case 'k':
            scale = uint64_t(1) << 10;
            break;
          case 'M':
          case 'm':
            scale = uint64_t(1) << 20;
            break;
          case 'G':
          case 'g':
            scale = uint64_t(1) << 30;
            break;
          default:
            break;
          }
          if (scale != 1)
            digits.pop_back();
        }
        uint64_t value = 0;
        if (!parseWhole(digits, value) ||
            value > std::numeric_limits<uint64_t>::max() / scale ||
            value * scale < min || value * scale > max)
          throw UsageError(label + " must be a size from " +
                           std::to_string(min) + " to " + std::to_string(max) +
                           " (bytes; K, M or G multiply by 1024, 1024^2, "
                           "1024^3), got '" +
                           text + "'");
        target = value * scale;
        return true;
      },
      description);
  option->type_name("SIZE")->type_size(1)->expected(1);
  return option;
}

bool checkInputFiles(const std::vector<std::string> &paths, bool allowStdin) {
  bool ok = true;
  for (const std::string &path : paths) {
    if (path.empty())
      continue;
    std::string problem = unreadableFile(path, allowStdin);
    if (!problem.empty()) {
      std::cerr << problem << "\n";
      ok = false;
    }
  }
  return ok;
}

bool checkOutputFiles(const std::vector<std::string> &paths) {
  bool ok = true;
  for (const std::string &path : paths) {
    if (path.empty())
      continue;
    std::string problem = unwritableFile(path);
    if (!problem.empty()) {
      std::cerr << problem << "\n";
      ok = false;
    }
  }
  return ok;
}

int reportInterrupted(const std::string &what) {
  std::cout.flush();
  std::cerr << "tessel: interrupted by " << interruptSignalName() << "; "
            << what << "\n";
  return kInterruptedExitCode;
}

std::string usageMessage(const CLI::App *app, const CLI::Error &error) {
  std::string command = app->get_name().empty() ? "tessel" : app->get_name();
  const CLI::App *sub = nullptr;
  for (const CLI::App *parsed : app->get_subcommands())
    sub = parsed;
  if (sub)
    command += " " + sub->get_name();
  std::string text = error.what();
  std::string help = sub ? "tessel " + sub->get_name() + " --help"
                         : std::string("tessel --help");
  return command + ": " + text + "\nRun '" + help + "' for the options.\n";
}

} // namespace tessel::cli
