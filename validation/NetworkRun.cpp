//===- validation/NetworkRun.cpp ------------------------------------------===//
#include "validation/NetworkRun.h"

#include "mapping/MappingYaml.h"
#include "sim/Simulator.h"
#include "support/Checked.h"
#include "support/Gnuplot.h"
#include "support/Interrupt.h"
#include "support/Text.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tessel {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Words the backing store (level 0) reads and writes.
uint64_t dramReads(const Report &report) {
  uint64_t words = 0;
  for (unsigned t = 0; t < report.actions.tensorCount(); ++t)
    words = saturatingAdd(words, report.actions.at(0, t).reads);
  return words;
}
uint64_t dramWrites(const Report &report) {
  uint64_t words = 0;
  for (unsigned t = 0; t < report.actions.tensorCount(); ++t)
    words = saturatingAdd(words, report.actions.at(0, t).fills +
                                     report.actions.at(0, t).updates);
  return words;
}


std::string number(double value, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

void simulateLayers(NetworkRun &run, const Arch &arch,
                    const NetworkRunOptions &options) {
  std::vector<size_t> chosen;
  for (size_t i = 0; i < run.layers.size(); ++i) {
    LayerResult &layer = run.layers[i];
    if (!layer.mapping)
      continue;
    std::string refusal = sim::simulationRefusal(
        sim::minimumSimulationSize(layer.problem, arch, *layer.mapping), arch,
        /*functional=*/false, options.allowLongSimulations);
    if (!refusal.empty()) {
      layer.status = "not simulated: it " + refusal;
      continue;
    }
    chosen.push_back(i);
  }
  Clock::time_point start = Clock::now();
  size_t finished = 0;
  std::vector<sim::SimResult> results = sim::runIsolated(
      chosen.size(), std::max(1u, options.jobs), [&](size_t k) {
        const LayerResult &layer = run.layers[chosen[k]];
        return sim::simulate(layer.problem, arch, *layer.mapping, {});
      });
  for (size_t k = 0; k < chosen.size(); ++k) {
    LayerResult &layer = run.layers[chosen[k]];
    sim::SimResult &result = results[k];
    if (result.interrupted)
      run.interrupted = true;
    if (!result.error.empty())
      layer.status = "simulation failed: " + result.error;
    else
      layer.simulated = std::move(result.report);
    ++finished;
    if (options.onProgress)
      options.onProgress("simulating", finished, chosen.size(),
                         layer.problem.name,
                         secondsSince(start) / double(finished) *
                             double(chosen.size() - finished));
  }
}

} // namespace

uint64_t NetworkRun::totalMacs() const {
  uint64_t total = 0;
  for (const LayerResult &layer : layers)
    total = saturatingAdd(total, layer.problem.macs());
  return total;
}

uint64_t NetworkRun::totalCycles(bool simulated) const {
  uint64_t total = 0;
  for (const LayerResult &layer : layers) {
    const std::optional<Report> &report =
        simulated ? layer.simulated : layer.model;
    if (report)
      total = saturatingAdd(total, report->cycles);
  }
  return total;
}

double NetworkRun::totalEnergy(bool simulated) const {
  double total = 0;
  for (const LayerResult &layer : layers) {
    const std::optional<Report> &report =
        simulated ? layer.simulated : layer.model;
    if (report)
      total += report->energy.total();
  }
  return total;
}

NetworkRun runNetwork(const WorkloadSet &workloads, const Arch &arch,
                      const NetworkRunOptions &options) {
  NetworkRun run;
  run.file = workloads.file;
  run.archName = arch.name;
  run.mapper = options.request.mapper;
  run.model = options.request.model;
  run.setAside = workloads.setAside;
  MapRequest request = options.request;
  std::function<bool()> userStop = request.options.stopRequested;
  request.options.stopRequested = [userStop] {
    return interrupted() || (userStop && userStop());
  };
  Clock::time_point start = Clock::now();
  const std::vector<Problem> &problems = workloads.problems;
  for (size_t i = 0; i < problems.size(); ++i) {
    if (interrupted()) {
      run.interrupted = true;
      break;
    }
    if (options.onProgress)
      options.onProgress("mapping", i, problems.size(), problems[i].name,
                         i == 0 ? -1
                                : secondsSince(start) / double(i) *
                                      double(problems.size() - i));
    LayerResult layer;
    layer.problem = problems[i];
    try {
      SearchResult result = mapProblem(layer.problem, arch, request);
      layer.evaluations = result.evaluations;
      layer.searchSeconds = result.seconds;
      layer.mapping = result.best;
      layer.model = result.report;
      layer.status = result.best ? "ok"
                                 : "no valid mapping in " +
                                       std::to_string(result.evaluations) +
                                       " evaluations";
      if (result.stopReason == "interrupted")
        run.interrupted = true;
    } catch (const std::exception &error) {
      layer.status = std::string("cannot map: ") + error.what();
    }
    run.layers.push_back(std::move(layer));
  }
  if (options.simulate && !run.interrupted)
    simulateLayers(run, arch, options);
  return run;
}

void writeLayersCsv(const NetworkRun &run, std::ostream &os) {
  os << "layer,op,macs,cycles,energy_pJ,pJ_per_mac,utilization,bottleneck,"
        "dram_read_words,dram_write_words,sim_cycles,sim_energy_pJ,"
        "sim_cycles_error_percent,status\n";
  for (const LayerResult &layer : run.layers) {
    os << csvField(layer.problem.name) << "," << csvField(layer.problem.opName)
       << "," << layer.problem.macs() << ",";
    if (layer.model) {
      const Report &r = *layer.model;
      os << r.cycles << "," << number(r.energy.total(), 3) << ","
         << number(r.energyPerMac(), 4) << "," << number(r.utilization, 4)
         << "," << csvField(r.bottleneck) << "," << dramReads(r) << ","
         << dramWrites(r) << ",";
    } else {
      os << ",,,,,,,";
    }
    if (layer.simulated) {
      const Report &s = *layer.simulated;
      os << s.cycles << "," << number(s.energy.total(), 3) << ",";
      if (layer.model && layer.model->cycles)
        os << number((double(s.cycles) - double(layer.model->cycles)) /
                         double(layer.model->cycles) * 100,
                     2);
      os << ",";
    } else {
      os << ",,,";
    }
    os << csvField(layer.status) << "\n";
  }
  os << "total,," << run.totalMacs() << "," << run.totalCycles(false) << ","
     << number(run.totalEnergy(false), 3) << ",,,,,,";
  bool anySimulated = false;
  for (const LayerResult &layer : run.layers)
    anySimulated |= layer.simulated.has_value();
  if (anySimulated)
    os << run.totalCycles(true) << "," << number(run.totalEnergy(true), 3);
  else
    os << ",";
  os << ",," << (run.interrupted ? "interrupted" : "") << "\n";
}

std::string networkJson(const NetworkRun &run, const Arch &arch) {
  llvm::json::Array layers, setAside;
  auto reportJson = [](const Report &r) {
    return llvm::json::Object{{"cycles", r.cycles},
                              {"energyPJ", r.energy.total()},
                              {"pJPerMac", r.energyPerMac()},
                              {"utilization", r.utilization},
                              {"bottleneck", r.bottleneck},
                              {"dramReadWords", dramReads(r)},
                              {"dramWriteWords", dramWrites(r)}};
  };
  for (const LayerResult &layer : run.layers) {
    llvm::json::Object entry{{"name", layer.problem.name},
                             {"op", layer.problem.opName},
                             {"macs", layer.problem.macs()},
                             {"evaluations", layer.evaluations},
                             {"searchSeconds", layer.searchSeconds},
                             {"status", layer.status}};
    if (layer.mapping)
      entry["mapping"] = mappingsToYaml(
          {{layer.problem.name,
            describeMapping(*layer.mapping, layer.problem, arch)}});
    if (layer.model)
      entry["model"] = reportJson(*layer.model);
    if (layer.simulated)
      entry["simulated"] = reportJson(*layer.simulated);
    layers.push_back(std::move(entry));
  }
  for (const SetAsideOp &op : run.setAside)
    setAside.push_back(llvm::json::Object{{"name", op.name},
                                          {"op", op.opName},
                                          {"kind", op.kind},
                                          {"elements", op.elements},
                                          {"bytes", op.bytes}});
  llvm::json::Object total{{"layers", int64_t(run.layers.size())},
                           {"macs", run.totalMacs()},
                           {"cycles", run.totalCycles(false)},
                           {"energyPJ", run.totalEnergy(false)}};
  bool anySimulated = false;
  for (const LayerResult &layer : run.layers)
    anySimulated |= layer.simulated.has_value();
  if (anySimulated) {
    total["simulatedCycles"] = run.totalCycles(true);
    total["simulatedEnergyPJ"] = run.totalEnergy(true);
  }
  llvm::json::Value document =
      llvm::json::Object{{"file", run.file},
                         {"arch", run.archName},
                         {"mapper", run.mapper},
                         {"model", run.model},
                         {"layers", std::move(layers)},
                         {"notContractions", std::move(setAside)},
                         {"total", std::move(total)},
                         {"interrupted", run.interrupted}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", document) << "\n";
  return os.str();
}

std::string networkMappingsYaml(const NetworkRun &run, const Arch &arch) {
  std::vector<NamedMapping> mappings;
  for (const LayerResult &layer : run.layers)
    if (layer.mapping)
      mappings.push_back(
          {layer.problem.name,
           describeMapping(*layer.mapping, layer.problem, arch)});
  return mappingsToYaml(mappings);
}

std::vector<std::string> writeNetworkPlot(const NetworkRun &run,
                                          const std::string &directory,
                                          std::string &why) {
  why = gnuplotMissing();
  if (!why.empty())
    return {};
  fs::path dir(directory);
  bool simulated = false;
  {
    std::ofstream data(dir / "layers.dat");
    data << "# index layer model_cycles sim_cycles\n";
    for (size_t i = 0; i < run.layers.size(); ++i) {
      const LayerResult &layer = run.layers[i];
      simulated |= layer.simulated.has_value();
      data << i << " \"" << layer.problem.name << "\" "
           << (layer.model ? std::to_string(layer.model->cycles) : "NaN") << " "
           << (layer.simulated ? std::to_string(layer.simulated->cycles)
                               : "NaN")
           << "\n";
    }
  }
  std::vector<std::string> written;
  std::ofstream script(dir / "plot.gp");
  for (const char *terminal : {"png", "svg"}) {
    std::string file = std::string("cycles-per-layer.") + terminal;
    script << "set terminal " << terminal
           << (std::string(terminal) == "png" ? "cairo" : "")
           << " size 1200,600 font 'sans,10' noenhanced\n"
           << "set output '" << file << "'\n"
           << "set title 'Cycles per layer: " << run.archName << ", "
           << run.mapper << " on " << run.model << "'\n"
           << "set ylabel 'cycles'\nset logscale y\nset grid ytics\n"
           << "set style data histograms\nset style histogram clustered gap 1\n"
           << "set style fill solid 0.8 border -1\nset boxwidth 0.9\n"
           << "set xtics rotate by -60 scale 0 font 'sans,8'\n"
           << "set key outside top center horizontal\n"
           << "plot 'layers.dat' using 3:xtic(2) title 'model (" << run.model
           << ")'" << (simulated ? ", '' using 4 title 'simulated'" : "")
           << "\n";
    written.push_back((dir / file).string());
  }
  script.close();
  if (!runGnuplot(dir.string(), "plot.gp", "plot.log").empty()) {
    // pngcairo may be missing in gnuplot-nox: fall back to the plain png.
    std::string text;
    {
      std::ifstream in(dir / "plot.gp");
      text.assign(std::istreambuf_iterator<char>(in), {});
    }
    size_t at = text.find("pngcairo");
    if (at != std::string::npos)
      text.replace(at, 8, "png");
    std::ofstream(dir / "plot.gp") << text;
    why = runGnuplot(dir.string(), "plot.gp", "plot.log");
    if (!why.empty())
      return {};
  }
  return written;
}

} // namespace tessel
