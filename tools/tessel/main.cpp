//===- tools/tessel/main.cpp - The `tessel` command -----------------------===//
#include "Commands.h"
#include "Version.h"

#include <CLI/CLI.hpp>

int main(int argc, char **argv) {
  CLI::App app{"Tessel: map tensor ops onto spatial accelerators, model and "
               "simulate what they cost.",
               "tessel"};
  app.set_version_flag("--version", TESSEL_VERSION_STRING);
  app.require_subcommand(1);
  app.footer("Run 'tessel COMMAND --help' for a command's options.");
  int exitCode = 0;
  tessel::cli::addWorkloadsCommand(app, exitCode);
  tessel::cli::addArchCommand(app, exitCode);
  tessel::cli::addCheckCommand(app, exitCode);
  tessel::cli::addEvalCommand(app, exitCode);
  tessel::cli::addMapCommand(app, exitCode);
  tessel::cli::addValidateCommand(app, exitCode);
  tessel::cli::addSimCommand(app, exitCode);
  for (CLI::App *sub : app.get_subcommands({}))
    sub->set_version_flag("--version", TESSEL_VERSION_STRING);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &error) {
    return app.exit(error);
  }
  return exitCode;
}
