//===- python/EvaluateBindings.cpp - Mappings, evaluation, search, sim ----===//
//
// tessel.Mapping (the named MappingSpec: mapping YAML in and out),
// verify (verifyMapping, as `tessel check`), evaluate (a registered
// CostModel, as `tessel eval`), map (mapProblem, as `tessel map`, without
// the GIL), simulate (sim::simulateIsolated, as `tessel sim`: a child
// process each) and the Report they return.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"
#include "mapping/Dialect/MappedImport.h"

#include "arch/Arch.h"
#include "mapper/Constraints.h"
#include "mapper/Mapper.h"
#include "mapping/Mapping.h"
#include "mapping/MappingYaml.h"
#include "model/CostModel.h"
#include "sim/Simulator.h"
#include "validation/Validate.h"
#include "workloads/Problem.h"

#include <pybind11/stl.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace py = pybind11;

namespace tessel::python {
namespace {

/// A Report with the names its level and tensor indices stand for.
struct NamedReport {
  Report report{0, 0};
  std::vector<std::string> levels;
  std::vector<std::string> tensors;
  // The simulator's extras (empty for a model).
  std::vector<sim::Stall> stalls;
  uint64_t computeCycles = 0;
  std::string mismatch;
  bool functional = false;
  double seconds = 0;
};

NamedReport named(Report report, const Problem &problem, const Arch &arch) {
  NamedReport result;
  result.report = std::move(report);
  for (const StorageLevel &level : arch.levels)
    result.levels.push_back(level.name);
  for (const Tensor &tensor : problem.tensors)
    result.tensors.push_back(tensor.name);
  return result;
}

std::string joined(const std::vector<std::string> &lines,
                   const std::string &separator) {
  std::string text;
  for (const std::string &line : lines)
    text += (text.empty() ? "" : separator) + line;
  return text;
}

std::vector<std::string> messages(const std::vector<MappingError> &errors) {
  std::vector<std::string> reasons;
  for (const MappingError &error : errors)
    reasons.push_back(error.message);
  return reasons;
}

[[noreturn]] void throwInvalid(const Problem &problem,
                               const std::vector<MappingError> &errors) {
  std::vector<std::string> reasons = messages(errors);
  throw InputError("invalid mapping of '" + problem.name +
                       "': " + joined(reasons, "; "),
                   reasons);
}

/// The mapping bound to `problem` and `arch`, or TesselError with every
/// reason it is not legal.
Mapping boundMapping(const Problem &problem, const Arch &arch,
                     const MappingSpec &spec) {
  std::vector<MappingError> errors = verifyMapping(problem, arch, spec);
  if (!errors.empty())
    throwInvalid(problem, errors);
  Mapping mapping;
  resolveMapping(spec, problem, arch, mapping, errors);
  return mapping;
}

std::unique_ptr<CostModel> modelNamed(const std::string &name) {
  std::unique_ptr<CostModel> model = createCostModel(name);
  if (!model)
    throw py::value_error("unknown model '" + name + "'; expected one of: " +
                          joined(costModelNames(), ", "));
  return model;
}

// --- Mapping -------------------------------------------------------------

py::object mappingsObject(const std::vector<NamedMapping> &mappings) {
  if (mappings.size() == 1 && mappings[0].op.empty())
    return py::cast(mappings[0].mapping);
  py::dict byOp;
  for (const NamedMapping &entry : mappings)
    byOp[py::str(entry.op)] = entry.mapping;
  return byOp;
}

py::list levelsOf(const MappingSpec &spec) {
  py::list levels;
  for (const LevelSpec &level : spec.levels) {
    py::dict entry;
    entry["level"] = level.level;
    py::list temporal, spatial;
    for (const LoopSpec &loop : level.temporal)
      temporal.append(py::make_tuple(loop.dim, loop.factor));
    for (const SpatialLoopSpec &loop : level.spatial)
      spatial.append(
          py::make_tuple(loop.dim, loop.factor, axisName(loop.axis)));
    entry["temporal"] = temporal;
    entry["spatial"] = spatial;
    entry["keep"] = level.keep;
    levels.append(entry);
  }
  return levels;
}

/// A loop given as "k=4" (or "n=4@X") or as a tuple (dim, factor[, axis]).
std::string loopTextOf(const py::handle &item, bool spatial) {
  if (py::isinstance<py::str>(item))
    return item.cast<std::string>();
  py::tuple tuple = item.cast<py::tuple>();
  if (tuple.size() != (spatial ? 3u : 2u))
    throw InputError(std::string("Mapping.from_levels: a ") +
                     (spatial ? "spatial loop is (dim, factor, 'X'|'Y')"
                              : "temporal loop is (dim, factor)") +
                     " or its text");
  std::string text = tuple[0].cast<std::string>() + "=" +
                     std::to_string(tuple[1].cast<int64_t>());
  return spatial ? text + "@" + tuple[2].cast<std::string>() : text;
}

MappingSpec specFromLevels(const py::list &levels) {
  MappingSpec spec;
  for (const py::handle &item : levels) {
    py::dict level = item.cast<py::dict>();
    LevelSpec entry;
    if (!level.contains("level"))
      throw InputError("Mapping.from_levels: each level needs 'level' (its "
                       "name in the Arch)");
    entry.level = level["level"].cast<std::string>();
    for (const auto &[key, value] : level) {
      std::string field = key.cast<std::string>();
      if (field != "level" && field != "temporal" && field != "spatial" &&
          field != "keep")
        throw InputError("Mapping.from_levels: level '" + entry.level +
                         "': unknown field '" + field +
                         "'; expected level, temporal, spatial, keep");
    }
    if (level.contains("temporal"))
      for (const py::handle &loop : level["temporal"]) {
        LoopSpec parsed;
        if (auto why = parseLoopText(loopTextOf(loop, false), parsed))
          throw InputError("Mapping.from_levels: level '" + entry.level +
                           "': " + *why);
        entry.temporal.push_back(parsed);
      }
    if (level.contains("spatial"))
      for (const py::handle &loop : level["spatial"]) {
        SpatialLoopSpec parsed;
        if (auto why = parseSpatialLoopText(loopTextOf(loop, true), parsed))
          throw InputError("Mapping.from_levels: level '" + entry.level +
                           "': " + *why);
        entry.spatial.push_back(parsed);
      }
    if (level.contains("keep"))
      entry.keep = level["keep"].cast<std::vector<std::string>>();
    spec.levels.push_back(std::move(entry));
  }
  return spec;
}

void bindMapping(py::module_ &module) {
  py::class_<MappingSpec>(module, "Mapping",
                          "A mapping as a person writes it: per Arch level, "
                          "outer to inner, temporal loops, spatial loops "
                          "and the tensors kept (docs/mapping.md).")
      .def_static(
          "from_yaml",
          [](const std::string &text, const std::string &name) {
            return mappingsObject(parseMappingYaml(text, name));
          },
          py::arg("text"), py::arg("name") = "<string>",
          "Mapping YAML text: a Mapping when it holds one mapping without "
          "`op:`, else a dict op -> Mapping.")
      .def_static(
          "load",
          [](const std::string &path) {
            return mappingsObject(loadMappingYaml(path));
          },
          py::arg("path"), "from_yaml() for a mapping YAML file.")
      .def_static(
          "from_attr",
          [](const std::string &text) {
            std::string error;
            std::optional<MappingSpec> spec = parseMappingAttrText(text, error);
            if (!spec)
              throw InputError("cannot read the #tessel.mapping attribute: " +
                               error);
            return *spec;
          },
          py::arg("text"),
          "The `#tessel.mapping<...>` attribute as the dialect prints it.")
      .def_static("from_levels", &specFromLevels, py::arg("levels"),
                  "Level by level: [{'level': 'DRAM', 'temporal': ['k=2'], "
                  "'spatial': [('n', 2, 'X')], 'keep': ['A', 'B', 'C']}, "
                  "...]; loops as text or tuples.")
      .def_property_readonly("levels", &levelsOf,
                             "[{'level', 'temporal': [(dim, factor)], "
                             "'spatial': [(dim, factor, axis)], 'keep'}].")
      .def(
          "to_yaml",
          [](const MappingSpec &spec, const std::string &op) {
            return mappingsToYaml({NamedMapping{op, spec}});
          },
          py::arg("op") = "",
          "Mapping YAML (what `tessel check/eval/sim --mapping` read); "
          "with `op`, the entry names it.")
      .def("__eq__",
           [](const MappingSpec &a, const MappingSpec &b) { return a == b; })
      .def("__repr__", [](const MappingSpec &spec) {
        std::string text;
        for (const LevelSpec &level : spec.levels) {
          std::string loops;
          for (const LoopSpec &loop : level.temporal)
            loops += (loops.empty() ? "" : " ") + loopText(loop);
          for (const SpatialLoopSpec &loop : level.spatial)
            loops += (loops.empty() ? "" : " ") + loopText(loop);
          text += (text.empty() ? "" : " | ") + level.level + ": " + loops;
        }
        return "<tessel.Mapping " + text + ">";
      });
}

// --- Report --------------------------------------------------------------

py::list actionsOf(const NamedReport &named) {
  const Report &report = named.report;
  py::list rows;
  for (unsigned l = 0; l < report.actions.levelCount(); ++l)
    for (unsigned t = 0; t < report.actions.tensorCount(); ++t) {
      const TensorActions &a = report.actions.at(l, t);
      const TensorEnergy &e = report.energy.at(l, t);
      py::dict row;
      row["level"] = named.levels.at(l);
      row["tensor"] = named.tensors.at(t);
      row["reads"] = a.reads;
      row["fills"] = a.fills;
      row["updates"] = a.updates;
      row["network_words"] = a.networkWords;
      row["network_hops"] = a.networkHops;
      row["energy_pj"] = e.total();
      rows.append(row);
    }
  return rows;
}

py::dict resourcesOf(const Report &report) {
  py::dict resources;
  for (const ResourceCycles &resource : report.resourceCycles)
    resources[py::str(resource.resource)] = resource.cycles;
  return resources;
}

py::dict exposedOf(const Report &report) {
  py::dict exposed;
  for (const ResourceCycles &cause : report.exposedCycles)
    exposed[py::str(cause.resource)] = cause.cycles;
  return exposed;
}

py::dict stallsOf(const NamedReport &named) {
  py::dict stalls;
  for (const sim::Stall &stall : named.stalls)
    stalls[py::str(stall.reason)] = stall.cycles;
  return stalls;
}

py::dict reportDict(const NamedReport &named) {
  const Report &report = named.report;
  py::dict dict;
  dict["evaluator"] = report.evaluator;
  dict["cycles"] = report.cycles;
  dict["energy_pj"] = report.energy.total();
  dict["leakage_energy_pj"] = report.energy.leakage;
  dict["mac_energy_pj"] = report.energy.macs;
  dict["energy_per_mac_pj"] = report.energyPerMac();
  dict["macs"] = report.macs;
  dict["executed_macs"] = report.executedMacs;
  dict["utilization"] = report.utilization;
  dict["bottleneck"] = report.bottleneck;
  dict["resource_cycles"] = resourcesOf(report);
  dict["exposed_cycles"] = exposedOf(report);
  dict["actions"] = actionsOf(named);
  if (report.evaluator == "sim") {
    dict["stalls"] = stallsOf(named);
    dict["compute_cycles"] = named.computeCycles;
    dict["functional"] = named.functional;
    dict["mismatch"] = named.mismatch;
  }
  return dict;
}

void bindReport(py::module_ &module) {
  py::class_<NamedReport>(module, "Report",
                          "What an evaluation found: cycles, energy (pJ), "
                          "MACs, utilization, the bottleneck, and actions "
                          "per level x tensor. One schema for the models "
                          "and the simulator.")
      .def_property_readonly(
          "evaluator", [](const NamedReport &r) { return r.report.evaluator; })
      .def_property_readonly(
          "model", [](const NamedReport &r) { return r.report.evaluator; })
      .def_property_readonly(
          "cycles", [](const NamedReport &r) { return r.report.cycles; })
      .def_property_readonly(
          "energy_pj",
          [](const NamedReport &r) { return r.report.energy.total(); })
      .def_property_readonly(
          "leakage_energy_pj",
          [](const NamedReport &r) { return r.report.energy.leakage; },
          "Leakage over the run's cycles (the arch's leakage power x "
          "cycles / clock); not in energy_pj.")
      .def_property_readonly(
          "mac_energy_pj",
          [](const NamedReport &r) { return r.report.energy.macs; })
      .def_property_readonly(
          "energy_per_mac_pj",
          [](const NamedReport &r) { return r.report.energyPerMac(); })
      .def_property_readonly("macs",
                             [](const NamedReport &r) { return r.report.macs; })
      .def_property_readonly(
          "executed_macs",
          [](const NamedReport &r) { return r.report.executedMacs; })
      .def_property_readonly(
          "utilization",
          [](const NamedReport &r) { return r.report.utilization; })
      .def_property_readonly(
          "bottleneck",
          [](const NamedReport &r) { return r.report.bottleneck; })
      .def_property_readonly(
          "resource_cycles",
          [](const NamedReport &r) { return resourcesOf(r.report); },
          "{resource: cycles}; the largest is the bottleneck.")
      .def_property_readonly(
          "exposed_cycles",
          [](const NamedReport &r) { return exposedOf(r.report); },
          "{cause: cycles} no resource is busy in (latency, tile changes, "
          "systolic folds), added to the bottleneck's.")
      .def_property_readonly(
          "actions", &actionsOf,
          "One dict per level x tensor: level, tensor, reads, fills, "
          "updates, network_words, network_hops, energy_pj.")
      .def_property_readonly("stalls", &stallsOf,
                             "Simulator only: {cause: cycles}.")
      .def_readonly("compute_cycles", &NamedReport::computeCycles,
                    "Simulator only: cycles in which a step issued.")
      .def_readonly("mismatch", &NamedReport::mismatch,
                    "Simulator, functional: the first wrong output element "
                    "('' when the output equals the reference).")
      .def_readonly("sim_seconds", &NamedReport::seconds)
      .def("to_dict", &reportDict, "Every figure as plain Python values.")
      .def("__repr__", [](const NamedReport &r) {
        return "<tessel.Report " + r.report.evaluator + ": " +
               std::to_string(r.report.cycles) + " cycles, " +
               std::to_string(r.report.energy.total()) + " pJ>";
      });
}

// --- verify, evaluate, map, simulate -------------------------------------

std::vector<std::string> verify(const Problem &problem, const Arch &arch,
                                const MappingSpec &spec, double maxPadding) {
  VerifyOptions options;
  options.maxPadding = maxPadding;
  return messages(verifyMapping(problem, arch, spec, options));
}

NamedReport evaluate(const Problem &problem, const Arch &arch,
                     const MappingSpec &spec, const std::string &modelName) {
  std::unique_ptr<CostModel> model = modelNamed(modelName);
  Mapping mapping = boundMapping(problem, arch, spec);
  Evaluation evaluation = model->evaluate(problem, arch, mapping);
  if (!evaluation.valid())
    throwInvalid(problem, evaluation.errors);
  return named(std::move(*evaluation.report), problem, arch);
}

struct MapOutcome {
  std::string mapper;
  std::optional<MappingSpec> mapping;
  std::optional<NamedReport> report;
  double cost = 0;
  uint64_t evaluations = 0;
  uint64_t valid = 0;
  uint64_t pruned = 0;
  double seconds = 0;
  std::string stoppedBy;
};

MapOutcome mapOne(const Problem &problem, const Arch &arch,
                  const std::string &mapper, const std::string &model,
                  const std::string &objective, uint64_t budget,
                  double maxSeconds, uint64_t patience, uint64_t seed,
                  unsigned threads, const std::string &constraints) {
  MapRequest request;
  request.mapper = mapper;
  request.model = model;
  std::optional<Objective> parsed = Objective::parse(objective);
  if (!parsed)
    throw py::value_error("unknown objective '" + objective +
                          "'; expected cycles, energy, edp, weighted:W "
                          "(0 <= W <= 1) or lex");
  if (threads < 1 || threads > 256)
    throw py::value_error("threads must be 1 to 256, not " +
                          std::to_string(threads));
  modelNamed(model);
  request.options.objective = *parsed;
  request.options.maxEvaluations = budget;
  request.options.maxSeconds = maxSeconds;
  request.options.patience = patience;
  request.options.seed = seed;
  request.options.threads = threads;
  if (!constraints.empty())
    request.constraints = loadConstraints(constraints);
  // Ctrl-C: the search stops with the best so far, then KeyboardInterrupt.
  bool interrupted = false;
  request.options.stopRequested = [&interrupted] {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0)
      interrupted = true;
    return interrupted;
  };
  SearchResult result;
  {
    py::gil_scoped_release release;
    result = mapProblem(problem, arch, request);
  }
  if (interrupted)
    throw py::error_already_set();
  MapOutcome outcome;
  outcome.mapper = result.mapper;
  if (result.best)
    outcome.mapping = describeMapping(*result.best, problem, arch);
  if (result.report)
    outcome.report = named(*result.report, problem, arch);
  outcome.cost = result.bestCost;
  outcome.evaluations = result.evaluations;
  outcome.valid = result.valid;
  outcome.pruned = result.pruned;
  outcome.seconds = result.seconds;
  outcome.stoppedBy = result.stopReason;
  return outcome;
}

NamedReport simulate(const Problem &problem, const Arch &arch,
                     const MappingSpec &spec, bool functional,
                     uint64_t dataSeed, const std::string &trace,
                     const std::string &vcd, const std::string &utilization) {
  Mapping mapping = boundMapping(problem, arch, spec);
  sim::SimOptions options;
  options.functional = functional;
  options.seed = dataSeed;
  options.chromeTrace = trace;
  options.vcd = vcd;
  options.utilization = utilization;
  sim::SimResult result;
  {
    py::gil_scoped_release release;
    result = sim::simulateIsolated(problem, arch, mapping, options);
  }
  if (result.interrupted)
    throw InputError("simulation of '" + problem.name +
                     "' interrupted: " + result.error);
  if (!result.error.empty())
    throw InputError("simulation of '" + problem.name +
                     "' failed: " + result.error);
  NamedReport report = named(std::move(result.report), problem, arch);
  report.stalls = std::move(result.stalls);
  report.computeCycles = result.computeCycles;
  report.mismatch = result.mismatch;
  report.functional = result.functional;
  report.seconds = result.seconds;
  return report;
}

void bindFunctions(py::module_ &module) {
  py::class_<MapOutcome>(module, "MapResult",
                         "The best mapping a search found, its Report and "
                         "the search's statistics.")
      .def_readonly("mapper", &MapOutcome::mapper)
      .def_readonly("mapping", &MapOutcome::mapping,
                    "The best Mapping, or None if no valid one was found.")
      .def_readonly("report", &MapOutcome::report, "Its Report, or None.")
      .def_readonly("cost", &MapOutcome::cost, "The objective's value.")
      .def_readonly("evaluations", &MapOutcome::evaluations)
      .def_readonly("valid", &MapOutcome::valid,
                    "How many evaluated candidates were valid.")
      .def_readonly("pruned", &MapOutcome::pruned,
                    "Of the valid, how many the model's floor ruled out "
                    "before a full evaluation (random, exhaustive).")
      .def_readonly("seconds", &MapOutcome::seconds)
      .def_readonly("stopped_by", &MapOutcome::stoppedBy,
                    "'budget', 'time', 'patience', 'interrupted' or "
                    "'exhausted'.")
      .def("__repr__", [](const MapOutcome &outcome) {
        return "<tessel.MapResult " + outcome.mapper + ": " +
               std::to_string(outcome.evaluations) + " evaluations, " +
               (outcome.report
                    ? std::to_string(outcome.report->report.cycles) + " cycles"
                    : std::string("no valid mapping")) +
               ">";
      });

  module.def("verify", &verify, py::arg("problem"), py::arg("arch"),
             py::arg("mapping"), py::arg("max_padding") = 0.0,
             "Every reason `mapping` is not legal for `problem` on `arch` "
             "(as `tessel check` prints them); [] when legal.");
  module.def("evaluate", &evaluate, py::arg("problem"), py::arg("arch"),
             py::arg("mapping"), py::arg("model") = "reuse",
             "The Report of a cost model ('reuse', 'dataflow', 'roofline'), "
             "as `tessel eval`. Raises TesselError (with .reasons) for an "
             "invalid mapping, ValueError for an unknown model.");
  module.def("models", &costModelNames, "The registered cost models.");
  module.def("mappers", &mapperNames, "The registered mappers.");
  module.def("map", &mapOne, py::arg("problem"), py::arg("arch"), py::kw_only(),
             py::arg("mapper") = "genetic", py::arg("model") = "reuse",
             py::arg("objective") = "edp", py::arg("budget") = 20000,
             py::arg("seconds") = 0.0, py::arg("patience") = 0,
             py::arg("seed") = 1, py::arg("threads") = 1,
             py::arg("constraints") = "",
             "Searches the op's map space as `tessel map` does: `budget` "
             "evaluations (0: unlimited), `seconds` (0: unlimited), "
             "`patience`, `constraints` a constraints YAML path. The same "
             "seed gives the same result whatever `threads`. Releases the "
             "GIL while searching; Ctrl-C stops it (KeyboardInterrupt).");
  module.def("simulate", &simulate, py::arg("problem"), py::arg("arch"),
             py::arg("mapping"), py::kw_only(), py::arg("functional") = false,
             py::arg("data_seed") = 1, py::arg("trace") = "",
             py::arg("vcd") = "", py::arg("util") = "",
             "Simulates cycle by cycle in a child process (SystemC "
             "elaborates once per process), as `tessel sim`: every buffer "
             "instance, link and PE (docs/sim.md); a Report with stalls; "
             "`trace` (Chrome JSON), `vcd` and `util` (CSV) write traces. "
             "Releases the GIL while it runs.");
}

} // namespace

/// One case of a suite as a row: what `tessel validate` writes to
/// report.json, in Python terms.
py::dict caseRow(const CaseResult &result) {
  auto figures = [](const Figures &f) {
    py::dict d;
    d["cycles"] = f.cycles;
    d["energy_pj"] = f.energyPJ;
    d["bottleneck"] = f.bottleneck;
    return d;
  };
  py::dict row;
  row["name"] = result.spec.name;
  row["op"] = result.op;
  row["macs"] = result.macs;
  row["status"] = result.status;
  row["sim_status"] = result.simStatus;
  row["mapping"] = result.mappingYaml;
  py::dict models;
  for (const Figures &f : result.models) {
    py::dict d = figures(f);
    if (result.sim)
      d["cycles_error_percent"] =
          errorPercent(double(f.cycles), double(result.sim->cycles));
    models[py::str(f.evaluator)] = d;
  }
  row["models"] = models;
  row["sim"] = result.sim ? py::object(figures(*result.sim)) : py::none();
  return row;
}

py::list validate(const std::string &suitePath, bool simulate, unsigned jobs,
                  const std::string &workDirectory) {
  Suite suite;
  try {
    suite = loadSuite(suitePath, TESSEL_SOURCE_DIR);
  } catch (const SuiteError &error) {
    throw InputError(error.what());
  }
  ValidateOptions options;
  options.root = TESSEL_SOURCE_DIR;
  const char *bin = std::getenv("TESSEL_BIN");
  options.tesselPath =
      (bin ? std::string(bin) : std::string(TESSEL_BINARY_DIR "/bin")) +
      "/tessel";
  options.simulate = simulate;
  options.jobs = std::max(1u, jobs);
  std::string scratch = workDirectory;
  if (scratch.empty()) {
    char pattern[] = "/tmp/tessel-validate-XXXXXX";
    if (!mkdtemp(pattern))
      throw InputError("cannot create a work directory in /tmp");
    scratch = pattern;
  }
  options.workDirectory = scratch;
  std::vector<CaseResult> results;
  {
    py::gil_scoped_release release; // Searches and simulations take time.
    results = runSuite(suite, options);
  }
  py::list rows;
  for (const CaseResult &result : results)
    rows.append(caseRow(result));
  return rows;
}

void bindEvaluate(py::module_ &module) {
  bindMapping(module);
  bindReport(module);
  bindFunctions(module);
  module.def("validate", &validate, py::arg("suite"), py::kw_only(),
             py::arg("simulate") = true, py::arg("jobs") = 1,
             py::arg("work_dir") = "",
             "Runs a validation suite as `tessel validate` does (models "
             "in-process, each simulation in its own `tessel sim` process, "
             "found in $TESSEL_BIN or the build): one dict per case with its "
             "status, the models' and the simulator's figures and each "
             "model's cycle error against the simulator.");
}

} // namespace tessel::python
