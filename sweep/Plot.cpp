//===- sweep/Plot.cpp -----------------------------------------------------===//
#include "sweep/Plot.h"

#include "sweep/Database.h"

#include "support/Files.h"
#include "support/Gnuplot.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tessel {
namespace {

namespace fs = std::filesystem;

} // namespace

std::vector<std::string> writeSweepPlots(const SweepSpec &spec,
                                         const std::vector<PointResult> &results,
                                         const std::string &directory,
                                         std::string &why) {
  std::vector<std::string> written;
  std::vector<const PointResult *> ok;
  for (const PointResult &r : results)
    if (r.status == "ok" && r.cycles > 0 && r.energyPJ > 0)
      ok.push_back(&r);
  if (ok.empty()) {
    why = "no design was evaluated, so there is nothing to plot";
    return written;
  }
  why = gnuplotMissing();
  if (!why.empty())
    return written;
  fs::path dir(directory);
  std::vector<uint64_t> front = paretoFront(results);
  {
    // Columns: point cycles energy(uJ) edp front, then each parameter's
    // value index.
    std::ofstream data(dir / "points.dat");
    data << "# point cycles energy_uJ edp on_front";
    for (const SweepParameter &parameter : spec.parameters)
      data << " " << parameter.name;
    data << "\n";
    for (const PointResult *r : ok) {
      bool onFront =
          std::find(front.begin(), front.end(), r->point.index) != front.end();
      data << r->point.index << " " << r->cycles << " " << r->energyPJ / 1e6
           << " " << r->edp << " " << (onFront ? 1 : 0);
      for (size_t c : r->point.choice)
        data << " " << c;
      data << "\n";
    }
    why = streamError(data, (dir / "points.dat").string());
    if (!why.empty())
      return written;
    std::ofstream frontData(dir / "front.dat");
    std::vector<const PointResult *> byCycles;
    for (const PointResult *r : ok)
      if (std::find(front.begin(), front.end(), r->point.index) != front.end())
        byCycles.push_back(r);
    std::sort(byCycles.begin(), byCycles.end(),
              [](const PointResult *a, const PointResult *b) {
                return a->cycles < b->cycles;
              });
    frontData << "# point cycles energy_uJ\n";
    for (const PointResult *r : byCycles)
      frontData << r->point.index << " " << r->cycles << " "
                << r->energyPJ / 1e6 << "\n";
    why = streamError(frontData, (dir / "front.dat").string());
    if (!why.empty())
      return written;
  }
  for (const char *format : {"png", "svg"}) {
    std::string terminal = std::string(format) == "png" ? "pngcairo" : "svg";
    std::string name = std::string("plots-") + format + ".gp";
    std::ofstream script(dir / name);
    script << "set terminal " << terminal << " size 900,600 noenhanced\n"
           << "set datafile commentschars '#'\nset grid\n"
           << "set key outside right top\n"
           << "set output 'pareto." << format << "'\n"
           << "set logscale xy\nset xlabel 'cycles (all ops)'\n"
           << "set ylabel 'energy (uJ, all ops)'\n"
           << "set title " << gnuplotString("Sweep " + spec.name + ": " +
                                     std::to_string(ok.size()) +
                                     " designs, Pareto front of " +
                                     std::to_string(front.size()))
           << "\n"
           << "plot 'points.dat' using 2:3 with points pt 7 ps 1 "
              "lc rgb '#56b4e9' title 'design', "
              "'front.dat' using 2:3 with points pt 5 ps 1.8 "
              "lc rgb '#d55e00' title 'Pareto front (cycles, energy, area)', "
              "'front.dat' using 2:3:(sprintf('%d', $1)) with labels "
              "offset 1.2,0.8 notitle\n"
           << "unset logscale\n";
    // Sensitivity: a panel per parameter, EDP against its value.
    size_t panels = spec.parameters.size();
    unsigned columns = panels > 1 ? 2 : 1;
    unsigned rows = unsigned((panels + columns - 1) / columns);
    script << "set terminal " << terminal << " size " << 450 * columns << ","
           << 330 * rows << " noenhanced\n"
           << "set output 'sensitivity." << format << "'\n"
           << "set multiplot layout " << rows << "," << columns
           << " title " << gnuplotString("Sweep " + spec.name +
                                  ": EDP against each parameter")
           << "\nunset title\nset logscale y\nset ylabel 'EDP (cycle*pJ)'\nunset key\n"
           << "set offsets 0.3, 0.3, 0, 0\n";
    for (size_t p = 0; p < panels; ++p) {
      const SweepParameter &parameter = spec.parameters[p];
      script << "set xlabel " << gnuplotString(parameter.name) << "\nset xtics (";
      for (size_t v = 0; v < parameter.values.size(); ++v)
        script << (v ? ", " : "") << gnuplotString(parameter.values[v]) << " " << v;
      script << ")\nplot 'points.dat' using " << (6 + p)
             << ":4 with points pt 7 ps 1 lc rgb '#009e73'\n";
    }
    script << "unset multiplot\n";
    why = streamError(script, (dir / name).string());
    if (!why.empty())
      return written;
    why = runGnuplot(dir.string(), name, "plots.log");
    if (!why.empty())
      return written;
    written.push_back(std::string("pareto.") + format);
    written.push_back(std::string("sensitivity.") + format);
  }
  return written;
}

} // namespace tessel
