//===- tools/tessel/Options.h - Checked numeric options ---------*- C++ -*-===//
//
// Every numeric option of `tessel` is read here: a whole number or a real
// within a stated range and unit, refused otherwise with a message that
// names the option, the range, the unit and what was given, e.g.
//   tessel map: --budget must be a whole number >= 0 (evaluations), got '-5'
// (unsigned options never wrap negative text). Usage errors exit with
// kUsageExitCode.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TOOLS_OPTIONS_H
#define TESSEL_TOOLS_OPTIONS_H

#include <CLI/CLI.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace tessel {
struct MapRequest;
enum class Precision;
} // namespace tessel

namespace tessel::cli {

/// Exit status of a command line that cannot be parsed.
constexpr int kUsageExitCode = 2;

/// A command-line error: the message is printed after "tessel COMMAND: ".
class UsageError : public CLI::ParseError {
public:
  explicit UsageError(const std::string &message)
      : CLI::ParseError("UsageError", message, kUsageExitCode) {}
};

/// A whole-number option in [min, max] of `unit` ("evaluations").
CLI::Option *addWholeOption(CLI::App *app, const std::string &name,
                            uint64_t &target, uint64_t min, uint64_t max,
                            const std::string &unit,
                            const std::string &description);
CLI::Option *addWholeOption(CLI::App *app, const std::string &name,
                            unsigned &target, unsigned min, unsigned max,
                            const std::string &unit,
                            const std::string &description);

/// A real option in [min, max] of `unit` (finite; "inf" and "nan" refused).
CLI::Option *addRealOption(CLI::App *app, const std::string &name,
                           double &target, double min, double max,
                           const std::string &unit,
                           const std::string &description);

/// A size in bytes with an optional K, M or G suffix (binary: 1K = 1024),
/// in [min, max].
CLI::Option *addByteSizeOption(CLI::App *app, const std::string &name,
                               uint64_t &target, uint64_t min, uint64_t max,
                               const std::string &description);

/// An option Tessel no longer has, hidden from --help: giving it is a usage
/// error saying why ("--engine: the lockstep engine is gone; ...").
void addRemovedOption(CLI::App *app, const std::string &name,
                      const std::string &why);

/// `--jobs N`: processes run at once (sim, validate), 1 to kMaxJobs.
constexpr unsigned kMaxJobs = 256;
CLI::Option *addJobsOption(CLI::App *app, unsigned &target,
                           const std::string &description);

/// `--arch`: a preset name (arch/presets/NAME.yaml, listed in the help) or
/// an accelerator YAML file; resolved when loaded (loadArchByNameOrPath).
CLI::Option *addArchOption(CLI::App *app, std::string &target);
/// `--model`: a cost model's name (or "all" when `allowAll`); any other
/// value is a usage error naming the valid ones.
CLI::Option *addModelOption(CLI::App *app, std::string &target, bool allowAll,
                            const std::string &description);
/// `--precision words|declared`: how wide each tensor's elements are held
/// (mapping/Datatypes.h); any other value is a usage error.
CLI::Option *addPrecisionOption(CLI::App *app, Precision &target);
/// The options of a search, shared by `map` and `run`: --mapper, --model,
/// --objective, --constraints (a file), --budget (its default is what
/// `request` holds), --time, --patience, --threads, --seed.
CLI::Option *addSearchOptions(CLI::App *app, MapRequest &request,
                              std::string &objective, std::string &constraints);

/// `--mapper`: a registered search algorithm, checked when parsed.
CLI::Option *addMapperOption(CLI::App *app, std::string &target);
/// `--objective`: cycles, energy, edp or weighted:W, checked when parsed.
CLI::Option *addObjectiveOption(CLI::App *app, std::string &target);

/// Parses a whole number the strict way (digits only, no sign, no spaces,
/// no suffix, no overflow); false otherwise.
bool parseWhole(const std::string &text, uint64_t &value);

/// Prints "PATH: error: cannot read the file: WHY" for each non-empty path
/// that is missing, a directory or unreadable; false if any is. "-"
/// (stdin) passes when `allowStdin`.
bool checkInputFiles(const std::vector<std::string> &paths,
                     bool allowStdin = false);
/// The same for files to be written (an existing directory, a missing
/// parent, no permission).
bool checkOutputFiles(const std::vector<std::string> &paths);

/// "tessel: interrupted by SIGINT; WHAT" on stderr; returns 130.
int reportInterrupted(const std::string &what);

/// "tessel map: MESSAGE" for a CLI11 error, naming the subcommand parsed.
std::string usageMessage(const CLI::App *app, const CLI::Error &error);

} // namespace tessel::cli

#endif
