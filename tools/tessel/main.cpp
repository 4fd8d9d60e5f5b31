//===- tools/tessel/main.cpp - The `tessel` command -----------------------===//
//
// Parses the command line (usage errors: "tessel COMMAND: ..." and exit 2;
// `tessel` alone prints the command list and exits 2),
// runs the subcommand, checks that everything written to stdout got there,
// and turns anything that escapes into "tessel: internal error: ..." with
// exit 70 instead of an abort. SIGINT and SIGTERM are polled by the long
// commands (support/Interrupt.h), which exit 130.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Options.h"
#include "Version.h"

#include "support/Files.h"
#include "support/Interrupt.h"

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

namespace {

/// Exit status when a bug lets an exception escape (EX_SOFTWARE).
constexpr int kInternalErrorExitCode = 70;

int runTessel(int argc, char **argv) {
  CLI::App app{"Tessel: map tensor ops onto spatial accelerators, model and "
               "simulate what they cost.",
               "tessel"};
  app.set_version_flag("--version", TESSEL_VERSION_STRING);
  app.require_subcommand(1);
  app.footer("Run 'tessel COMMAND --help' for a command's options.\n"
             "Exit status: 0 success, 1 bad input or a failed check, 2 a bad "
             "command line, 130 interrupted (SIGINT or SIGTERM).");
  int exitCode = 0;
  tessel::cli::addWorkloadsCommand(app, exitCode);
  tessel::cli::addArchCommand(app, exitCode);
  tessel::cli::addCheckCommand(app, exitCode);
  tessel::cli::addEvalCommand(app, exitCode);
  tessel::cli::addMapCommand(app, exitCode);
  tessel::cli::addValidateCommand(app, exitCode);
  tessel::cli::addSimCommand(app, exitCode);
  tessel::cli::addRunCommand(app, exitCode);
  tessel::cli::addScaleSimCommand(app, exitCode);
  tessel::cli::addTimeloopCommand(app, exitCode);
  tessel::cli::addMaestroCommand(app, exitCode);
  tessel::cli::addSweepCommand(app, exitCode);
  tessel::cli::addHistoryCommand(app, exitCode);
  tessel::cli::addStudyCommand(app, exitCode);
  for (CLI::App *sub : app.get_subcommands({}))
    sub->set_version_flag("--version", TESSEL_VERSION_STRING);
  app.failure_message(tessel::cli::usageMessage);
  tessel::installInterruptHandlers();
  // No command: the command list (the --help text), as a usage error.
  if (argc < 2) {
    std::cerr << app.help();
    return tessel::cli::kUsageExitCode;
  }
  // A misspelt command would otherwise read as "a subcommand is required".
  std::string commands;
  bool known = argv[1][0] == '-';
  for (CLI::App *sub : app.get_subcommands({})) {
    commands += (commands.empty() ? "" : ", ") + sub->get_name();
    known |= sub->get_name() == argv[1];
  }
  if (!known) {
    std::cerr << "tessel: unknown command '" << argv[1]
              << "'; the commands are: " << commands
              << "\nRun 'tessel --help' for the options.\n";
    return tessel::cli::kUsageExitCode;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &error) {
    int code = app.exit(error);
    return code == 0 ? 0 : tessel::cli::kUsageExitCode;
  }
  std::string problem = tessel::stdoutError();
  if (!problem.empty()) {
    std::cerr << "tessel: " << problem << "\n";
    return exitCode ? exitCode : 1;
  }
  return exitCode;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return runTessel(argc, argv);
  } catch (const std::exception &error) {
    std::cerr << "tessel: internal error: " << error.what()
              << " (please report it with the command line)\n";
  } catch (...) {
    std::cerr << "tessel: internal error: an unknown exception (please "
                 "report it with the command line)\n";
  }
  return kInternalErrorExitCode;
}
