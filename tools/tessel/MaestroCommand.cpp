//===- tools/tessel/MaestroCommand.cpp - `tessel maestro` -----------------===//
//
// Reads MAESTRO's hardware and mapping files (interop/Maestro.h),
// evaluates every layer with the dataflow model and prints MAESTRO-like
// stats: runtime per layer and in all, L1/L2 reads and writes per tensor,
// the NoC bandwidth a step needs at its peak, energy.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "Format.h"
#include "Json.h"

#include "interop/Maestro.h"

#include "llvm/Support/JSON.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace tessel::cli {
namespace {

struct MaestroCommandOptions {
  std::string hardware, mapping;
  bool json = false;
};

/// Words written into and read out of level `l` for tensor `t`.
uint64_t writesAt(const TensorActions &a) { return a.fills + a.updates; }

void printLayer(const MaestroRun &run, const MaestroLayerRun &layerRun,
                std::ostream &os) {
  const MaestroLayer &layer = run.network.layers[layerRun.layer];
  const Report &report = layerRun.report;
  const Arch &arch = layer.arch;
  os << "layer " << layer.name << " (" << layer.type << ":";
  for (const Dimension &d : layer.problem.dims)
    os << " " << d.name << "=" << d.bound;
  os << ")\n";
  os << "  runtime      " << withCommas(report.cycles) << " cycles\n";
  os << "  MACs         " << withCommas(report.macs) << "\n";
  os << "  throughput   "
     << fixed(double(report.macs) /
                  double(std::max<uint64_t>(1, report.cycles)),
              2)
     << " MACs/cycle\n";
  os << "  bound        " << report.bottleneck << "\n";
  Table table({"level", "tensor", "reads", "writes"},
              {false, false, true, true});
  for (unsigned l = arch.levelCount(); l-- > 0;)
    for (unsigned t = 0; t < layer.problem.tensors.size(); ++t) {
      const TensorActions &a = report.actions.at(l, t);
      if (!a.reads && !writesAt(a))
        continue;
      table.addRow({arch.levels[l].name, layer.problem.tensors[t].name,
                    withCommas(a.reads), withCommas(writesAt(a))});
    }
  table.print(os, "  ");
  Table noc({"cluster level", "fed by", "steps", "ingress", "egress",
             "peak words/cycle"},
            {true, false, true, true, true, true});
  for (size_t c = 0; c < layerRun.details.clusters.size(); ++c) {
    const ClusterStats &stats = layerRun.details.clusters[c];
    noc.addRow({std::to_string(c),
                arch.levels[layer.mapping.clusters[c].upstreamLevel].name,
                withCommas(stats.steps), withCommas(stats.ingressWords),
                withCommas(stats.egressWords),
                withCommas(stats.peakWordsPerCycle)});
  }
  noc.print(os, "  ");
  // Double-buffered tiles against the hardware file's sizes.
  const std::vector<ClusterStats> &clusters = layerRun.details.clusters;
  auto fits = [&](const char *name, uint64_t words,
                  const std::optional<uint64_t> &size) {
    os << "  " << name << " size requirement " << withCommas(2 * words)
       << " words";
    if (size)
      os << " (of " << withCommas(*size) << ": "
         << (2 * words <= *size ? "fits" : "does not fit") << ")";
    os << "\n";
  };
  fits("L2", clusters.front().stepTileWords, run.hardware.l2Words);
  fits("L1", clusters.back().childTileWords, run.hardware.l1Words);
  os << "  energy       " << humanEnergy(report.energy.total()) << " ("
     << fixed(report.energyPerMac(), 2) << " pJ/MAC)\n";
}

llvm::json::Value runJson(const MaestroRun &run) {
  llvm::json::Array layers;
  for (const MaestroLayerRun &layerRun : run.layers) {
    const MaestroLayer &layer = run.network.layers[layerRun.layer];
    llvm::json::Array clusters;
    for (const ClusterStats &stats : layerRun.details.clusters)
      clusters.push_back(
          llvm::json::Object{{"steps", stats.steps},
                             {"ingressWords", stats.ingressWords},
                             {"egressWords", stats.egressWords},
                             {"peakWordsPerCycle", stats.peakWordsPerCycle},
                             {"childTileWords", stats.childTileWords},
                             {"stepTileWords", stats.stepTileWords}});
    layers.push_back(llvm::json::Object{
        {"layer", layer.name},
        {"type", layer.type},
        {"cycles", layerRun.report.cycles},
        {"macs", layerRun.report.macs},
        {"clusters", std::move(clusters)},
        {"report", reportJson(layerRun.report, layer.problem, layer.arch)}});
  }
  return llvm::json::Object{{"network", run.network.name},
                            {"pes", run.hardware.pes},
                            {"cycles", run.cycles},
                            {"energyPJ", run.energy},
                            {"layers", std::move(layers)}};
}

int runMaestroCommand(const MaestroCommandOptions &options) {
  try {
    MaestroRun run = runMaestro(options.hardware, options.mapping);
    if (options.json) {
      printJson(std::cout, runJson(run));
      return 0;
    }
    std::cout << "network " << run.network.name << " on " << run.hardware.pes
              << " PEs (" << run.network.layers.size() << " layers)\n";
    for (const MaestroLayerRun &layer : run.layers)
      printLayer(run, layer, std::cout);
    std::cout << "total runtime " << withCommas(run.cycles) << " cycles\n";
    std::cout << "total energy  " << humanEnergy(run.energy) << "\n";
  } catch (const MaestroError &error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  return 0;
}

} // namespace

void addMaestroCommand(CLI::App &app, int &exitCode) {
  auto options = std::make_shared<MaestroCommandOptions>();
  CLI::App *sub = app.add_subcommand(
      "maestro",
      "Read MAESTRO's hardware file and mapping (DFSL) file, evaluate every "
      "layer with the dataflow model, and print MAESTRO-like stats: runtime, "
      "L1/L2 reads and writes, NoC bandwidth, energy.");
  sub->add_option("HW", options->hardware,
                  "MAESTRO hardware file (num_pes, l1_size_cstr, ...)")
      ->required();
  sub->add_option("MAPPING", options->mapping,
                  "MAESTRO mapping file (Network { Layer { ... Dataflow "
                  "{ ... } } })")
      ->required();
  sub->add_flag("--json", options->json, "Print JSON for machines");
  sub->footer("Example: tessel maestro accelerator.m vgg_conv5.m\n"
              "Exit status: 1 for a bad MAESTRO file (file:line:col: error: "
              "...).");
  sub->callback(
      [options, &exitCode] { exitCode = runMaestroCommand(*options); });
}

} // namespace tessel::cli
