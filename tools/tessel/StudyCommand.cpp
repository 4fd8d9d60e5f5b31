//===- tools/tessel/StudyCommand.cpp - `tessel study` ---------------------===//
//
// Runs several sweeps (each as `tessel sweep` does, into OUT/NAME, resuming
// what is there), then writes one Markdown document of case studies from
// their databases (sweep/Study.h) and its plots.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Options.h"
#include "SweepRun.h"

#include "support/Files.h"
#include "support/Interrupt.h"
#include "support/Launch.h"
#include "sweep/Database.h"
#include "sweep/Study.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

namespace tessel::cli {
namespace {

namespace fs = std::filesystem;

struct StudyCommandOptions {
  std::vector<std::string> files;
  std::string out = "study-out";
  std::string markdown;
  std::string plots;
  std::string title = "Case studies";
  std::string root = TESSEL_SOURCE_DIR;
  unsigned threads = 1;
  bool reportOnly = false;
  bool progress = false;
};

int run(const StudyCommandOptions &options) {
  int status = 0;
  // Under mpirun every rank runs each sweep (rank 0 records it); rank 0
  // alone writes the document.
  bool reporter = launchRank() == 0;
  if (options.reportOnly && !reporter)
    return 0;
  std::vector<StudySweep> sweeps;
  for (const std::string &file : options.files) {
    SweepSpec spec;
    try {
      spec = loadSweep(file, options.root);
    } catch (const std::exception &error) {
      std::cerr << error.what() << "\n";
      return 1;
    }
    std::string out = (fs::path(options.out) / spec.name).string();
    if (!options.reportOnly) {
      SweepCommandOptions sweep;
      sweep.file = file;
      sweep.out = out;
      sweep.root = options.root;
      sweep.threads = options.threads;
      sweep.progress = options.progress;
      int code = runSweepCommand(sweep);
      if (!reporter) {
        if (code == 130 || interrupted())
          return 130;
        continue;
      }
      std::cout << "\n";
      if (code == 130 || interrupted()) {
        std::cerr << "tessel study: interrupted; rerun the same command to "
                     "go on (finished points are kept)\n";
        return 130;
      }
      if (code != 0)
        status = 1; // Failed points are reported in the document.
    }
    std::string database = (fs::path(out) / "sweep.db").string();
    if (!fs::exists(database)) {
      std::cerr << "tessel study: " << database
                << " does not exist; run without --report-only first\n";
      return 1;
    }
    try {
      SweepDatabase db(database, spec);
      sweeps.push_back({spec, db.results()});
    } catch (const std::exception &error) {
      std::cerr << error.what() << "\n";
      return 1;
    }
  }
  if (!reporter)
    return 0;
  std::string markdown = options.markdown.empty()
                             ? (fs::path(options.out) / "case-studies.md")
                                   .string()
                             : options.markdown;
  std::string plots = options.plots.empty()
                          ? (fs::path(markdown).parent_path() / "plots")
                                .string()
                          : options.plots;
  StudyOptions study;
  study.title = options.title;
  study.command = "tessel study";
  for (const std::string &file : options.files)
    study.command += " " + file;
  study.command += " --out " + options.out + " --markdown " + markdown;
  if (!options.plots.empty())
    study.command += " --plots " + options.plots;
  if (options.title != StudyCommandOptions().title)
    study.command += " --title '" + options.title + "'";
  std::string work = (fs::path(options.out) / "plots").string();
  if (std::string why = makeDirectories(work); !why.empty()) {
    std::cerr << "tessel study: " << why << "\n";
    return 1;
  }
  study.plotDirectory = work;
  std::error_code code;
  study.plotLink =
      fs::relative(fs::absolute(plots), fs::absolute(markdown).parent_path(),
                   code)
          .string();
  StudyDocument document = studyMarkdown(sweeps, study);
  if (!document.plots.empty()) {
    if (std::string why = makeDirectories(plots); !why.empty()) {
      std::cerr << "tessel study: " << why << "\n";
      return 1;
    }
    for (const std::string &plot : document.plots) {
      if (fs::equivalent(fs::path(work) / plot, fs::path(plots) / plot, code))
        continue; // Made where they go.
      fs::copy_file(fs::path(work) / plot, fs::path(plots) / plot,
                    fs::copy_options::overwrite_existing, code);
      if (code) {
        std::cerr << "tessel study: cannot write " << plots << "/" << plot
                  << ": " << code.message() << "\n";
        return 1;
      }
    }
  }
  if (std::string why = writeTextFile(markdown, document.markdown);
      !why.empty()) {
    std::cerr << "tessel study: " << why << "\n";
    return 1;
  }
  std::cout << "case studies: " << markdown << " (" << sweeps.size()
            << " sweeps";
  if (!document.plots.empty())
    std::cout << ", " << document.plots.size() << " plots in " << plots;
  std::cout << ")\n";
  if (!document.plotProblem.empty())
    std::cout << "plots: " << document.plotProblem << "\n";
  return status;
}

} // namespace

void addStudyCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<StudyCommandOptions>();
  CLI::App *sub = app.add_subcommand(
      "study", "Case studies: run several sweeps (each as tessel sweep does, "
               "resumable) and write one Markdown document from their "
               "databases: the best accelerator per op class, what each "
               "constraint set costs or saves, the mappers, model against "
               "simulator, with plots.");
  sub->add_option("FILES", options->files, "Sweep YAML files (docs/sweeps.md)")
      ->required();
  sub->add_option("--out", options->out,
                  "Directory for the sweeps' results, one folder per sweep "
                  "(default study-out); a rerun skips the finished points");
  sub->add_option("--markdown", options->markdown,
                  "The document to write (default OUT/case-studies.md)");
  sub->add_option("--plots", options->plots,
                  "Directory for the document's plots (default: plots/ "
                  "beside the document)");
  sub->add_option("--title", options->title, "The document's title");
  sub->add_option("--root", options->root,
                  "Repository root for presets and the zoo");
  addWholeOption(sub, "--threads", options->threads, 1, 1024, "threads",
                 "Threads per search (the results do not depend on it)");
  sub->add_flag("--report-only", options->reportOnly,
                "Write the document from the databases in OUT without "
                "running any point");
  sub->add_flag("--progress", options->progress,
                "Show the progress lines even when stderr is not a terminal");
  sub->footer("Example: tessel study docs/case-studies/*.yaml --out "
              "build/case-studies --markdown docs/case-studies.md\nExit "
              "status 1 if a point or a simulation failed (the document "
              "lists them), 130 on Ctrl-C (rerun to go on).");
  sub->callback([options, &exitCode] { exitCode = run(*options); });
}

} // namespace tessel::cli
