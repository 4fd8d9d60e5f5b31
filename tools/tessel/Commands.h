//===- tools/tessel/Commands.h - The subcommands of `tessel` ----*- C++ -*-===//
//
// Each subcommand lives in its own file and adds itself to the app with one
// function. A subcommand's callback stores its exit status in `exitCode`.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TOOLS_COMMANDS_H
#define TESSEL_TOOLS_COMMANDS_H

namespace CLI {
class App;
}

namespace tessel::cli {

void addWorkloadsCommand(CLI::App &app, int &exitCode);
void addArchCommand(CLI::App &app, int &exitCode);
void addCheckCommand(CLI::App &app, int &exitCode);
void addEvalCommand(CLI::App &app, int &exitCode);
void addMapCommand(CLI::App &app, int &exitCode);
void addSimCommand(CLI::App &app, int &exitCode);
void addValidateCommand(CLI::App &app, int &exitCode);
void addRunCommand(CLI::App &app, int &exitCode);
void addScaleSimCommand(CLI::App &app, int &exitCode);
void addTimeloopCommand(CLI::App &app, int &exitCode);
void addMaestroCommand(CLI::App &app, int &exitCode);
void addSweepCommand(CLI::App &app, int &exitCode);
void addHistoryCommand(CLI::App &app, int &exitCode);
void addStudyCommand(CLI::App &app, int &exitCode);

} // namespace tessel::cli

#endif
