//===- sweep/Study.cpp ----------------------------------------------------===//
#include "sweep/Study.h"

#include "support/Files.h"
#include "support/Gnuplot.h"
#include "support/Text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace tessel {
namespace {

namespace fs = std::filesystem;

std::string format(const char *pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

/// A ratio as `1.00x`, `0.52x`, `12.3x`.
std::string ratio(double r) {
  if (!std::isfinite(r))
    return "-";
  return format(r >= 10 ? "%.1fx" : "%.2fx", r);
}

/// A space size: exact digits below 10^6, else `10^x` (`~` for estimates).
std::string shortSize(const std::string &text) {
  double log = spaceLog10(text);
  if (!std::isfinite(log))
    return text;
  bool estimate = !text.empty() && text[0] == '~';
  if (log < 6)
    return text;
  return (estimate ? "~" : "") + format("10^%.1f", log);
}

double geomean(const std::vector<double> &values) {
  if (values.empty())
    return NAN;
  double sum = 0;
  for (double v : values)
    sum += std::log(v);
  return std::exp(sum / double(values.size()));
}

double median(std::vector<double> values) {
  if (values.empty())
    return NAN;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/// A Markdown table.
struct Table {
  std::vector<std::string> header;
  std::vector<bool> right;
  std::vector<std::vector<std::string>> rows;
  std::string text() const {
    std::string out = "|";
    for (const std::string &h : header)
      out += " " + h + " |";
    out += "\n|";
    for (size_t c = 0; c < header.size(); ++c)
      out += c < right.size() && right[c] ? "---:|" : "---|";
    out += "\n";
    for (const std::vector<std::string> &row : rows) {
      out += "|";
      for (const std::string &cell : row)
        out += " " + cell + " |";
      out += "\n";
    }
    return out;
  }
};

/// One sweep seen as a table of (arch, mapper, constraints) x op.
struct View {
  const SweepSpec &spec;
  std::vector<std::string> archs, mappers, constraints, ops;
  struct Cell {
    const PointResult *point;
    const OpResult *op;
  };
  /// [arch][mapper][constraints][op], null where the point failed.
  std::map<std::vector<std::string>, Cell> cells;
  std::vector<const PointResult *> failed;

  View(const StudySweep &sweep) : spec(sweep.spec) {
    archs = values("arch");
    mappers = values("mapper");
    constraints = values("constraints");
    std::set<std::string> seen;
    for (const PointResult &r : sweep.results) {
      if (r.status != "ok") {
        failed.push_back(&r);
        continue;
      }
      for (const OpResult &o : r.ops) {
        if (seen.insert(o.op).second)
          ops.push_back(o.op);
        cells[{settingValue(spec, r.point, "arch"),
               settingValue(spec, r.point, "mapper"),
               settingValue(spec, r.point, "constraints"), o.op}] = {&r, &o};
      }
    }
  }

  std::vector<std::string> values(const std::string &setting) const {
    for (const SweepParameter &parameter : spec.parameters)
      if (parameter.setting == setting)
        return parameter.values;
    return {settingValue(spec, SweepPoint{}, setting)};
  }

  const OpResult *at(const std::string &arch, const std::string &mapper,
                     const std::string &constraint,
                     const std::string &op) const {
    auto it = cells.find({arch, mapper, constraint, op});
    return it == cells.end() ? nullptr : it->second.op;
  }

  static double edp(const OpResult &o) {
    return double(o.cycles) * o.energyPJ;
  }

  /// The op's best (least EDP) result on `arch` over mappers and
  /// constraints.
  const OpResult *best(const std::string &arch, const std::string &op) const {
    const OpResult *found = nullptr;
    for (const std::string &m : mappers)
      for (const std::string &c : constraints)
        if (const OpResult *o = at(arch, m, c, op))
          if (!found || edp(*o) < edp(*found))
            found = o;
    return found;
  }

  /// Per arch: the best results of every op summed (cycles x energy), or
  /// NaN if an op has none there.
  std::vector<double> totals() const {
    std::vector<double> out;
    for (const std::string &a : archs) {
      double cycles = 0, energy = 0;
      bool all = !ops.empty();
      for (const std::string &op : ops) {
        const OpResult *o = best(a, op);
        if (!o) {
          all = false;
          break;
        }
        cycles += double(o->cycles);
        energy += o->energyPJ;
      }
      out.push_back(all ? cycles * energy : NAN);
    }
    return out;
  }
};

std::string settingsLine(const View &view) {
  auto list = [](const std::vector<std::string> &items) {
    std::string out;
    for (const std::string &item : items)
      out += (out.empty() ? "`" : ", `") + item + "`";
    return out;
  };
  const SweepSpec &spec = view.spec;
  std::string workloads;
  for (const SweepWorkload &w : spec.workloads) {
    std::string ops;
    for (const std::string &op : w.ops)
      ops += (ops.empty() ? "" : ", ") + op;
    workloads += (workloads.empty() ? "" : "; ") +
                 fs::path(w.file).stem().string() +
                 (ops.empty() ? " (every op)" : " (" + ops + ")");
  }
  std::string budgets;
  for (const SweepParameter &p : spec.parameters)
    if (p.setting == "budget")
      for (const std::string &v : p.values)
        budgets += (budgets.empty() ? "" : ", ") + v;
  return "Workloads: " + workloads + ". Accelerators: " + list(view.archs) +
         ". Mappers: " + list(view.mappers) + ", " +
         (budgets.empty() ? withCommas(spec.budget) : budgets) +
         " evaluations per op, seed " + std::to_string(spec.seed) +
         ", objective " + spec.objective + ", " + spec.model +
         " model. Constraints: " + list(view.constraints) + ".";
}

/// Writes a gnuplot script and its data, runs it; "" or why not.
std::string plot(const std::string &dir, const std::string &name,
                 const std::string &data, const std::string &script) {
  std::string why =
      writeTextFile((fs::path(dir) / (name + ".dat")).string(), data);
  if (why.empty())
    why = writeTextFile((fs::path(dir) / (name + ".gp")).string(), script);
  if (why.empty())
    why = runGnuplot(dir, name + ".gp", name + ".log");
  return why;
}

/// One constraint set against the sweep's first: the median pruned space
/// (log10, over ops and accelerators), the geometric mean of the best-EDP
/// ratios (over ops, accelerators and mappers where both found a mapping;
/// and per accelerator), the searches' time and the op x mapper results
/// missing. NaN where there is nothing to average.
struct ConstraintSummary {
  double prunedLog10 = NAN, ratio = NAN, seconds = 0;
  unsigned missing = 0;
  std::vector<double> perArch;
};

ConstraintSummary summarize(const View &view, const std::string &c) {
  const std::string &base = view.constraints.front();
  ConstraintSummary sum;
  std::vector<double> logs, ratios;
  for (const std::string &a : view.archs) {
    std::vector<double> archRatios;
    for (const std::string &op : view.ops) {
      for (const std::string &m : view.mappers) {
        const OpResult *o = view.at(a, m, c, op);
        const OpResult *b = view.at(a, m, base, op);
        if (!o) {
          ++sum.missing;
          continue;
        }
        sum.seconds += o->seconds;
        if (b && View::edp(*b) > 0 && View::edp(*o) > 0) {
          ratios.push_back(View::edp(*o) / View::edp(*b));
          archRatios.push_back(ratios.back());
        }
      }
      const OpResult *any = nullptr;
      for (const std::string &m : view.mappers)
        if (!any)
          any = view.at(a, m, c, op);
      if (any)
        for (const auto &[family, size] : spaceSizes(any->space))
          if (family == "pruned" && std::isfinite(spaceLog10(size)))
            logs.push_back(spaceLog10(size));
    }
    sum.perArch.push_back(geomean(archRatios));
  }
  sum.prunedLog10 = median(logs);
  sum.ratio = geomean(ratios);
  return sum;
}

class Writer {
public:
  Writer(const StudyOptions &options, StudyDocument &document)
      : options(options), document(document) {
    canPlot = !options.plotDirectory.empty();
    if (canPlot) {
      document.plotProblem = gnuplotMissing();
      canPlot = document.plotProblem.empty();
    }
  }

  void glance(const std::vector<View> &views) {
    std::vector<std::string> archs;
    for (const View &view : views)
      if (view.archs.size() > 1)
        for (const std::string &a : view.archs)
          if (std::find(archs.begin(), archs.end(), a) == archs.end())
            archs.push_back(a);
    if (archs.empty())
      return;
    std::map<std::string, double> area;
    for (const View &view : views)
      for (const auto &[key, cell] : view.cells)
        if (cell.point->areaMm2 > 0)
          area[key[0]] = cell.point->areaMm2;
    out << "## At a glance: which accelerator suits which op class\n\n"
        << "Each row is one sweep (an op class); each cell the energy-delay "
           "product of its ops on that accelerator (each op's best mapping "
           "over every mapper and constraint set tried, cycles and energy "
           "summed over the ops), divided by the best accelerator's: "
           "**1.00x** is the best, 3.00x three times its EDP. A dash: some "
           "op found no valid mapping there.\n\n"
        << glanceTable(views, archs, {}) << "\n";
    std::string areas;
    for (const std::string &a : archs)
      if (area.count(a))
        areas += (areas.empty() ? "" : ", ") + a + " " +
                 format("%.2f", area[a]) + " mm^2";
    if (!areas.empty())
      out << "The designs differ in size, which EDP does not weigh: on-chip "
             "area (docs/arch.md) "
          << areas
          << ". Weighed by it (EDP x area, EDAP), over the best:\n\n"
          << glanceTable(views, archs, area) << "\n";
    findings(views, area);
  }

  /// The tables in sentences: per sweep the best accelerator and the
  /// runner-up, by EDP and by EDAP, and what each constraint set did.
  void findings(const std::vector<View> &views,
                const std::map<std::string, double> &area) {
    std::ostringstream list;
    for (const View &view : views) {
      if (view.archs.size() < 2)
        continue;
      auto ranked = [&](bool weighed) {
        std::vector<double> totals = view.totals();
        std::vector<std::pair<double, std::string>> order;
        for (size_t i = 0; i < totals.size(); ++i) {
          double t = totals[i];
          if (weighed) {
            auto it = area.find(view.archs[i]);
            t = it == area.end() ? NAN : t * it->second;
          }
          if (std::isfinite(t))
            order.push_back({t, view.archs[i]});
        }
        std::sort(order.begin(), order.end());
        return order;
      };
      auto said = [&](const std::vector<std::pair<double, std::string>> &o) {
        if (o.empty())
          return std::string("no accelerator mapped every op");
        std::string text = o[0].second;
        if (o.size() > 1)
          text += " (next " + o[1].second + " at " +
                  ratio(o[1].first / o[0].first) + ")";
        return text;
      };
      list << "- **" << view.spec.name << "**: the least EDP on "
           << said(ranked(false));
      if (!area.empty())
        list << "; weighed by area, " << said(ranked(true));
      list << ".";
      ConstraintSummary base = summarize(view, view.constraints.front());
      for (size_t i = 1; i < view.constraints.size(); ++i) {
        ConstraintSummary sum = summarize(view, view.constraints[i]);
        list << " `" << view.constraints[i] << "`: "
             << (std::isfinite(sum.ratio) ? ratio(sum.ratio) : "-")
             << " the EDP of `" << view.constraints.front() << "`";
        if (std::isfinite(sum.prunedLog10) && std::isfinite(base.prunedLog10))
          list << ", pruned space x10^"
               << format("%+.1f", sum.prunedLog10 - base.prunedLog10);
        list << ".";
      }
      list << "\n";
    }
    if (!list.str().empty())
      out << "In short (each op's best mapping; constraint sets as geometric "
             "means over ops, accelerators and mappers):\n\n"
          << list.str() << "\n";
  }

  /// The at-a-glance table: per sweep and accelerator the summed best EDP
  /// (times the area when `area` is given) over the row's best.
  std::string glanceTable(const std::vector<View> &views,
                          const std::vector<std::string> &archs,
                          const std::map<std::string, double> &area) {
    Table table;
    table.header = {"op class"};
    table.right = {false};
    for (const std::string &a : archs) {
      table.header.push_back(a);
      table.right.push_back(true);
    }
    table.header.push_back("best");
    table.right.push_back(false);
    for (const View &view : views) {
      if (view.archs.size() < 2)
        continue;
      std::vector<double> totals = view.totals();
      if (!area.empty())
        for (size_t i = 0; i < totals.size(); ++i) {
          auto it = area.find(view.archs[i]);
          totals[i] *= it == area.end() ? NAN : it->second;
        }
      double best = INFINITY;
      std::string bestArch = "-";
      for (size_t i = 0; i < totals.size(); ++i)
        if (std::isfinite(totals[i]) && totals[i] < best) {
          best = totals[i];
          bestArch = view.archs[i];
        }
      std::vector<std::string> row = {view.spec.name};
      for (const std::string &a : archs) {
        auto it = std::find(view.archs.begin(), view.archs.end(), a);
        if (it == view.archs.end()) {
          row.push_back("");
          continue;
        }
        double t = totals[size_t(it - view.archs.begin())];
        std::string cell = std::isfinite(t) ? ratio(t / best) : "-";
        row.push_back(a == bestArch ? "**" + cell + "**" : cell);
      }
      row.push_back(bestArch);
      table.rows.push_back(row);
    }
    return table.text();
  }

  void section(const View &view) {
    const SweepSpec &spec = view.spec;
    out << "## " << spec.name << "\n\n";
    if (!spec.description.empty())
      out << spec.description << "\n\n";
    out << settingsLine(view) << " Sweep file: `"
        << fs::path(spec.file).filename().string() << "`.\n\n";
    bestTable(view);
    spaceTable(view);
    constraintTable(view);
    mapperTable(view);
    simulationTable(view);
    if (!view.failed.empty()) {
      out << "Points that failed (recorded with their errors):\n\n";
      for (const PointResult *r : view.failed)
        out << "- " << r->point.key << ": " << firstLine(r->error) << "\n";
      out << "\n";
    }
  }

  std::string text() const { return out.str(); }

private:
  const StudyOptions &options;
  StudyDocument &document;
  bool canPlot = false;
  std::ostringstream out;

  static std::string firstLine(const std::string &text) {
    size_t end = text.find('\n');
    return end == std::string::npos ? text : text.substr(0, end);
  }

  void image(const std::string &name, const std::string &alt) {
    document.plots.push_back(name);
    std::string link = options.plotLink.empty()
                           ? name
                           : options.plotLink + "/" + name;
    out << "![" << alt << "](" << link << ")\n\n";
  }

  void bestTable(const View &view) {
    out << "### Best mapping found per op and accelerator\n\n"
        << "EDP (cycle*pJ) of each op's best mapping over the mappers and "
           "constraint sets, with its cycles and its PE utilization; the "
           "row's best in bold.\n\n";
    Table table;
    table.header = {"op"};
    table.right = {false};
    for (const std::string &a : view.archs) {
      table.header.push_back(a);
      table.right.push_back(true);
    }
    std::ostringstream data;
    data << "op";
    for (const std::string &a : view.archs)
      data << " " << a;
    data << "\n";
    for (const std::string &op : view.ops) {
      std::vector<const OpResult *> found;
      double best = INFINITY;
      for (const std::string &a : view.archs) {
        found.push_back(view.best(a, op));
        if (found.back())
          best = std::min(best, View::edp(*found.back()));
      }
      std::vector<std::string> row = {"`" + op + "`"};
      data << op;
      for (const OpResult *o : found) {
        if (!o) {
          row.push_back("-");
          data << " NaN";
          continue;
        }
        std::string cell = format("%.2e", View::edp(*o)) + " (" +
                           withCommas(o->cycles) + " cyc, " +
                           format("%.0f%%", 100 * o->utilization) + ")";
        row.push_back(View::edp(*o) == best ? "**" + cell + "**" : cell);
        data << " " << format("%.6g", View::edp(*o) / best);
      }
      data << "\n";
      table.rows.push_back(row);
    }
    std::vector<double> totals = view.totals();
    std::vector<std::string> row = {"all ops"};
    double best = INFINITY;
    for (double t : totals)
      if (std::isfinite(t))
        best = std::min(best, t);
    for (double t : totals) {
      std::string cell = std::isfinite(t) ? format("%.2e", t) : "-";
      row.push_back(t == best ? "**" + cell + "**" : cell);
    }
    table.rows.push_back(row);
    out << table.text() << "\n";
    if (canPlot && view.archs.size() > 1 && !view.ops.empty()) {
      std::string name = view.spec.name + "-edp";
      std::ostringstream script;
      script << "set terminal pngcairo size 1000,520 noenhanced\n"
             << "set output '" << name << ".png'\n"
             << "set title " << gnuplotString(view.spec.name +
                                       ": each op's best EDP on each "
                                       "accelerator, over the op's best")
             << "\nset style data histogram\n"
             << "set style histogram cluster gap 1\n"
             << "set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
             << "set logscale y\nset yrange [0.8:*]\nset grid ytics\n"
             << "set ylabel 'EDP / best EDP of the op (1 = best)'\n"
             << "set key outside right top\nset xtics rotate by -30\n"
             << "plot for [i=2:" << view.archs.size() + 1 << "] '" << name
             << ".dat' using i:xtic(1) title columnheader(i)\n";
      std::string why = plot(options.plotDirectory, name, data.str(),
                             script.str());
      if (why.empty())
        image(name + ".png", view.spec.name + ": EDP per op and accelerator");
      else
        document.plotProblem = why;
    }
  }

  void spaceTable(const View &view) {
    if (!view.spec.space || view.ops.empty())
      return;
    const std::string &op = view.ops.front();
    std::vector<std::string> families;
    Table table;
    bool varied = view.constraints.size() > 1;
    for (const std::string &a : view.archs)
      for (const std::string &c : view.constraints) {
        const OpResult *o = nullptr;
        for (const std::string &m : view.mappers)
          if (!o)
            o = view.at(a, m, c, op);
        if (!o || o->space.empty())
          continue;
        std::vector<std::pair<std::string, std::string>> sizes =
            spaceSizes(o->space);
        if (families.empty())
          for (const auto &[family, size] : sizes)
            families.push_back(family);
        std::vector<std::string> row = {a};
        if (varied)
          row.push_back("`" + c + "`");
        for (const auto &[family, size] : sizes)
          row.push_back(shortSize(size));
        table.rows.push_back(row);
      }
    if (table.rows.empty())
      return;
    table.header = {"accelerator"};
    table.right = {false};
    if (varied) {
      table.header.push_back("constraints");
      table.right.push_back(false);
    }
    for (const std::string &f : families) {
      table.header.push_back(f);
      table.right.push_back(true);
    }
    out << "### Map space of `" << op << "` per pruning step\n\n"
        << "Points left after each family of constraints applies "
           "(docs/constraints.md): *unconstrained* is every factorization, "
           "loop order and keep choice; *hardware* keeps the fan-outs and "
           "what each level may hold; *user* the constraint file's fixed "
           "factors, orders and templates (padding or residual "
           "factorization, workload constraints, enlarge every count from "
           "*hardware* on); *pruned* collapses "
           "the orders of factor-1 loops; *capacity* is estimated by "
           "sampling (`~`).\n\n"
        << table.text() << "\n";
  }

  void constraintTable(const View &view) {
    if (view.constraints.size() < 2)
      return;
    const std::string &base = view.constraints.front();
    out << "### What each constraint set costs or saves\n\n"
        << "Against `" << base
        << "`, over every op, accelerator and mapper where both found a "
           "mapping: the pruned map space (median over ops and "
           "accelerators), the best EDP found (geometric mean of the "
           "ratios; below 1.00x the constraints led the search to better "
           "mappings in the same budget), and the search time (total wall "
           "time of the searches, this machine). The hardware family is "
           "never dropped: a mapping outside it cannot run on the "
           "accelerator, so what it does is the space it removes "
           "(*unconstrained* to *hardware* in the map-space table).\n\n";
    Table table;
    table.header = {"constraints", "pruned space (median)", "EDP vs " + base,
                    "search time (s)", "ops without a mapping"};
    table.right = {false, true, true, true, true};
    std::vector<std::string> perArchHeader = {"constraints"};
    for (const std::string &a : view.archs)
      perArchHeader.push_back(a);
    Table perArch;
    perArch.header = perArchHeader;
    perArch.right.assign(perArchHeader.size(), true);
    perArch.right[0] = false;
    for (const std::string &c : view.constraints) {
      ConstraintSummary sum = summarize(view, c);
      std::vector<std::string> archRow = {"`" + c + "`"};
      for (double r : sum.perArch)
        archRow.push_back(std::isfinite(r) ? ratio(r) : "-");
      table.rows.push_back(
          {"`" + c + "`",
           std::isfinite(sum.prunedLog10) ? format("10^%.1f", sum.prunedLog10)
                                          : "-",
           std::isfinite(sum.ratio) ? ratio(sum.ratio) : "-",
           format(sum.seconds < 10 ? "%.2f" : "%.1f", sum.seconds),
           std::to_string(sum.missing)});
      perArch.rows.push_back(archRow);
    }
    out << table.text() << "\n"
        << "(A dash in the space column: no count was made, as the "
           "map-space table says.) The EDP ratio per accelerator (geometric "
           "mean over ops and mappers):\n\n"
        << perArch.text() << "\n";
  }

  void mapperTable(const View &view) {
    if (view.mappers.size() < 2)
      return;
    out << "### Mappers\n\n"
        << "Each mapper's best EDP over the best any mapper found for the "
           "same op, accelerator and constraints (geometric mean; 1.00x: "
           "always the best), its evaluations per second and its total "
           "search time (wall time, this machine).\n\n";
    Table table;
    table.header = {"mapper", "EDP vs the best mapper"};
    for (const std::string &a : view.archs)
      table.header.push_back(a);
    table.header.push_back("evaluations/s");
    table.header.push_back("search time (s)");
    table.right.assign(table.header.size(), true);
    table.right[0] = false;
    for (const std::string &m : view.mappers) {
      std::vector<double> all;
      std::vector<std::string> row = {"`" + m + "`", ""};
      double seconds = 0, evaluations = 0;
      for (const std::string &a : view.archs) {
        std::vector<double> ratios;
        for (const std::string &c : view.constraints)
          for (const std::string &op : view.ops) {
            const OpResult *o = view.at(a, m, c, op);
            if (!o)
              continue;
            seconds += o->seconds;
            evaluations += double(o->evaluations);
            double best = INFINITY;
            for (const std::string &other : view.mappers)
              if (const OpResult *x = view.at(a, other, c, op))
                best = std::min(best, View::edp(*x));
            if (best > 0 && std::isfinite(best)) {
              ratios.push_back(View::edp(*o) / best);
              all.push_back(ratios.back());
            }
          }
        row.push_back(ratios.empty() ? "-" : ratio(geomean(ratios)));
      }
      row[1] = all.empty() ? "-" : ratio(geomean(all));
      row.push_back(seconds > 0 ? withCommas(uint64_t(evaluations / seconds))
                                : "-");
      row.push_back(format(seconds < 10 ? "%.2f" : "%.1f", seconds));
      table.rows.push_back(row);
    }
    out << table.text() << "\n";
  }

  void simulationTable(const View &view) {
    if (!view.spec.simulate)
      return;
    out << "### Model against the simulator\n\n"
        << "Each op's best mapping by the " << view.spec.model
        << " model, simulated cycle by cycle (`tessel sim`); error = (model "
           "- simulated) / simulated.\n\n";
    Table table;
    table.header = {"accelerator", "op", "model cycles", "simulated cycles",
                    "cycle error", "model energy (uJ)",
                    "simulated energy (uJ)", "energy error"};
    table.right = {false, false, true, true, true, true, true, true};
    std::ostringstream data;
    double worst = -1;
    std::string worstText;
    std::vector<std::string> notSimulated;
    for (size_t ai = 0; ai < view.archs.size(); ++ai) {
      const std::string &a = view.archs[ai];
      for (const std::string &op : view.ops) {
        const OpResult *o = view.at(a, view.mappers.front(),
                                    view.constraints.front(), op);
        if (!o)
          continue;
        if (o->simStatus != "ok" || o->simCycles == 0) {
          notSimulated.push_back(op + " on " + a + ": " +
                                 (o->simStatus.empty() ? "not simulated"
                                                       : o->simStatus));
          continue;
        }
        double cycleError = (double(o->cycles) - double(o->simCycles)) /
                            double(o->simCycles);
        double energyError = o->simEnergyPJ > 0
                                 ? (o->energyPJ - o->simEnergyPJ) /
                                       o->simEnergyPJ
                                 : NAN;
        table.rows.push_back(
            {a, "`" + op + "`", withCommas(o->cycles), withCommas(o->simCycles),
             format("%+.1f%%", 100 * cycleError),
             format("%.2f", o->energyPJ / 1e6),
             format("%.2f", o->simEnergyPJ / 1e6),
             std::isfinite(energyError) ? format("%+.1f%%", 100 * energyError)
                                        : "-"});
        data << ai << " " << o->cycles << " " << o->simCycles << "\n";
        if (std::fabs(cycleError) > worst) {
          worst = std::fabs(cycleError);
          worstText = "`" + op + "` on " + a + " (" +
                      format("%+.1f%%", 100 * cycleError) + ")";
        }
      }
    }
    if (table.rows.empty()) {
      out << "No op was simulated.\n\n";
    } else {
      out << table.text() << "\n"
          << "The largest cycle difference: " << worstText << ".\n\n";
    }
    for (const std::string &n : notSimulated)
      out << "- " << n << "\n";
    if (!notSimulated.empty())
      out << "\n";
    if (canPlot && !table.rows.empty()) {
      std::string name = view.spec.name + "-sim";
      std::ostringstream script;
      script << "set terminal pngcairo size 760,600 noenhanced\n"
             << "set output '" << name << ".png'\n"
             << "set title " << gnuplotString(view.spec.name +
                                       ": model against simulated cycles")
             << "\nset logscale xy\nset grid\nset key left top\n"
             << "set xlabel 'simulated cycles'\n"
             << "set ylabel 'model cycles'\n"
             << "plot x title 'model = simulator' lc rgb '#999999'";
      for (size_t ai = 0; ai < view.archs.size(); ++ai)
        script << ", '" << name << ".dat' using ($1 == " << ai
               << " ? $3 : 1/0):2 with points pt " << 5 + 2 * (ai % 6)
               << " ps 1.4 title " << gnuplotString(view.archs[ai]);
      script << "\n";
      std::string why = plot(options.plotDirectory, name, data.str(),
                             script.str());
      if (why.empty())
        image(name + ".png", view.spec.name + ": model against simulator");
      else
        document.plotProblem = why;
    }
  }
};

} // namespace

std::string settingValue(const SweepSpec &spec, const SweepPoint &point,
                         const std::string &setting) {
  for (size_t p = 0; p < spec.parameters.size(); ++p)
    if (spec.parameters[p].setting == setting && p < point.choice.size() &&
        point.choice[p] < spec.parameters[p].values.size())
      return spec.parameters[p].values[point.choice[p]];
  if (setting == "arch")
    return fs::path(spec.archFile).stem().string();
  if (setting == "mapper")
    return spec.mapper;
  if (setting == "model")
    return spec.model;
  if (setting == "objective")
    return spec.objective;
  if (setting == "constraints")
    return spec.constraintsFile.empty()
               ? "none"
               : fs::path(spec.constraintsFile).filename().string();
  if (setting == "budget")
    return std::to_string(spec.budget);
  return "";
}

std::vector<std::pair<std::string, std::string>>
spaceSizes(const std::string &space) {
  std::vector<std::pair<std::string, std::string>> sizes;
  size_t start = 0;
  while (start < space.size()) {
    size_t end = space.find("; ", start);
    std::string item = space.substr(start, end - start);
    size_t equals = item.find('=');
    if (equals != std::string::npos)
      sizes.emplace_back(item.substr(0, equals), item.substr(equals + 1));
    if (end == std::string::npos)
      break;
    start = end + 2;
  }
  return sizes;
}

double spaceLog10(const std::string &size) {
  std::string text = size;
  if (!text.empty() && text[0] == '~')
    text = text.substr(1);
  if (text.rfind("10^", 0) == 0)
    return std::strtod(text.c_str() + 3, nullptr);
  long double value = 0;
  bool any = false;
  for (char c : text)
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      any = true;
    }
  if (!any)
    return NAN;
  return value > 0 ? double(std::log10(value)) : -INFINITY;
}

StudyDocument studyMarkdown(const std::vector<StudySweep> &sweeps,
                            const StudyOptions &options) {
  StudyDocument document;
  std::vector<View> views;
  for (const StudySweep &sweep : sweeps)
    views.emplace_back(sweep);
  Writer writer(options, document);
  std::ostringstream head;
  head << "# " << options.title << "\n\n";
  if (!options.command.empty())
    head << "Generated by `" << options.command
         << "` from the sweep files it names: do not edit by hand; edit the "
            "sweeps and run it again (finished points are kept in each "
            "sweep's database, so a rerun only adds what changed). Every "
            "figure comes from the sweeps' databases; search times are wall "
            "time on the machine that ran them.\n\n";
  writer.glance(views);
  for (const View &view : views)
    writer.section(view);
  document.markdown = head.str() + writer.text();
  return document;
}

} // namespace tessel
