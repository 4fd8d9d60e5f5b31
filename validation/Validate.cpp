//===- validation/Validate.cpp --------------------------------------------===//
#include "validation/Validate.h"

#include "arch/ArchLoader.h"
#include "mapper/Mapper.h"
#include "mapping/Datatypes.h"
#include "mapping/MappingYaml.h"
#include "model/CostModel.h"
#include "support/Fields.h"
#include "support/Files.h"
#include "support/Interrupt.h"
#include "support/Subprocess.h"
#include "workloads/LinalgImport.h"

#include "llvm/Support/JSON.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace tessel {
namespace {

namespace fs = std::filesystem;

Figures figuresOf(const Report &report, const Arch &arch,
                  unsigned tensorCount) {
  Figures figures;
  figures.evaluator = report.evaluator;
  figures.cycles = report.cycles;
  figures.energyPJ = report.energy.total();
  figures.bottleneck = report.bottleneck;
  figures.macEnergyPJ = report.energy.macs;
  for (unsigned l = 0; l < arch.levelCount(); ++l) {
    figures.levelEnergyPJ.push_back(report.energy.levelTotal(l));
    for (unsigned t = 0; t < tensorCount; ++t) {
      const TensorActions &a = report.actions.at(l, t);
      figures.counts.push_back(
          {a.reads, a.fills, a.updates, a.networkWords, a.networkHops});
    }
  }
  return figures;
}

/// Prepares a case in this process: the op, the Arch, the mapping, and
/// every analytical model's figures. Writes the simulator's inputs.
void prepare(CaseResult &result, const ValidateOptions &options,
             std::string &mlirPath, std::string &mappingPath) {
  const CaseSpec &spec = result.spec;
  WorkloadSet set = spec.inlineMlir.empty()
                        ? importLinalgFile(spec.mlirFile)
                        : importLinalgSource(spec.inlineMlir, spec.name);
  Problem *problem = nullptr;
  for (Problem &p : set.problems)
    if (p.name == spec.op)
      problem = &p;
  if (!problem)
    throw std::runtime_error("op '" + spec.op + "' not found");
  applyPrecision(*problem, *precisionNamed(spec.precision));
  Arch arch = loadArch(spec.archFile);
  Mapping mapping;
  if (!spec.mappingFile.empty()) {
    std::vector<NamedMapping> named = loadMappingYaml(spec.mappingFile);
    const MappingSpec *chosen = nullptr;
    for (const NamedMapping &n : named)
      if (n.op.empty() || n.op == spec.op)
        chosen = &n.mapping;
    if (!chosen)
      throw std::runtime_error("no mapping for op '" + spec.op + "' in " +
                               spec.mappingFile);
    std::vector<MappingError> errors = verifyMapping(*problem, arch, *chosen);
    if (!errors.empty())
      throw std::runtime_error("invalid mapping: " + errors[0].message);
    resolveMapping(*chosen, *problem, arch, mapping, errors);
  } else {
    MapRequest request;
    request.mapper = spec.mapper;
    request.options.seed = spec.seed;
    request.options.maxEvaluations = spec.budget;
    auto objective = Objective::parse(spec.objective);
    if (!objective)
      throw std::runtime_error("unknown objective '" + spec.objective + "'");
    request.options.objective = *objective;
    request.options.stopRequested = [] { return interrupted(); };
    SearchResult found = mapProblem(*problem, arch, request);
    if (interrupted()) {
      result.interrupted = true;
      throw std::runtime_error("interrupted while searching a mapping");
    }
    if (!found.best)
      throw std::runtime_error(
          "the " + spec.mapper + " mapper found no valid mapping in " +
          std::to_string(found.evaluations) + " evaluations");
    mapping = *found.best;
  }
  result.op = problem->name;
  result.macs = problem->macs();
  for (const StorageLevel &level : arch.levels)
    result.levels.push_back(level.name);
  for (const Tensor &tensor : problem->tensors)
    result.tensors.push_back(tensor.name);
  result.mappingYaml = mappingsToYaml(
      {{problem->name, describeMapping(mapping, *problem, arch)}});
  for (const std::string &name : costModelNames()) {
    Evaluation evaluation =
        createCostModel(name)->evaluate(*problem, arch, mapping);
    if (!evaluation.valid())
      throw std::runtime_error(name + ": " + evaluation.errors[0].message);
    result.models.push_back(
        figuresOf(*evaluation.report, arch, problem->tensors.size()));
  }
  fs::path base = fs::path(options.workDirectory) / spec.name;
  mappingPath = base.string() + ".mapping.yaml";
  std::string problemText = writeTextFile(mappingPath, result.mappingYaml);
  if (!problemText.empty())
    throw std::runtime_error(problemText);
  mlirPath = spec.mlirFile;
  if (!spec.inlineMlir.empty()) {
    mlirPath = base.string() + ".mlir";
    problemText = writeTextFile(mlirPath, spec.inlineMlir);
    if (!problemText.empty())
      throw std::runtime_error(problemText);
  }
}

/// Finds the simulator's report of op `op` in `tessel sim --json` output:
/// the "sim" object of the entry of "ops" named `op`. The other ops of the
/// module (and their errors) are not this case's.
const llvm::json::Object *findSimReport(const llvm::json::Value &value,
                                        const std::string &op) {
  const llvm::json::Object *root = value.getAsObject();
  const llvm::json::Array *ops = root ? root->getArray("ops") : nullptr;
  if (!ops)
    return nullptr;
  for (const llvm::json::Value &entry : *ops) {
    const llvm::json::Object *object = entry.getAsObject();
    auto name = object ? object->getString("name") : std::nullopt;
    if (!name || *name != op)
      continue;
    const llvm::json::Object *report = object->getObject("sim");
    auto model = report ? report->getString("model") : std::nullopt;
    if (report && report->get("cycles") && report->get("levels") && model &&
        *model == "sim")
      return report;
  }
  return nullptr;
}

std::optional<Figures> parseSimReport(const std::string &text,
                                      const CaseResult &result,
                                      std::string &why) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    why = "its output is not JSON: " + llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *report = findSimReport(*parsed, result.op);
  if (!report) {
    why = "its JSON holds no simulated report of '" + result.op + "'";
    return std::nullopt;
  }
  Figures figures;
  figures.evaluator = "sim";
  figures.cycles = uint64_t(report->getInteger("cycles").value_or(0));
  figures.energyPJ = report->getNumber("energyPJ").value_or(0);
  figures.macEnergyPJ = report->getNumber("macEnergyPJ").value_or(0);
  if (auto bottleneck = report->getString("bottleneck"))
    figures.bottleneck = bottleneck->str();
  figures.counts.assign(result.levels.size() * result.tensors.size(), {});
  if (const llvm::json::Array *levels = report->getArray("levels"))
    for (size_t l = 0; l < levels->size() && l < result.levels.size(); ++l) {
      const llvm::json::Object *level = (*levels)[l].getAsObject();
      double energy = 0;
      const llvm::json::Array *tensors =
          level ? level->getArray("tensors") : nullptr;
      for (size_t t = 0;
           tensors && t < tensors->size() && t < result.tensors.size(); ++t) {
        const llvm::json::Object *tensor = (*tensors)[t].getAsObject();
        if (!tensor)
          continue;
        auto &cell = figures.counts[l * result.tensors.size() + t];
        cell[0] = uint64_t(tensor->getInteger("reads").value_or(0));
        cell[1] = uint64_t(tensor->getInteger("fills").value_or(0));
        cell[2] = uint64_t(tensor->getInteger("updates").value_or(0));
        cell[3] = uint64_t(tensor->getInteger("networkWords").value_or(0));
        cell[4] = uint64_t(tensor->getInteger("networkHops").value_or(0));
        if (const llvm::json::Object *e = tensor->getObject("energyPJ"))
          energy += e->getNumber("total").value_or(0);
      }
      figures.levelEnergyPJ.push_back(energy);
    }
  if (const llvm::json::Object *stalls = report->getObject("stalls"))
    for (const auto &entry : *stalls)
      if (auto cycles = entry.second.getAsNumber())
        figures.stalls[entry.first.str()] = *cycles;
  return figures;
}

/// Runs `tessel sim` on the case in a child process with a timeout.
void simulate(CaseResult &result, const ValidateOptions &options,
              double timeoutSeconds, const std::string &mlirPath,
              const std::string &mappingPath) {
  fs::path base = fs::path(options.workDirectory) / result.spec.name;
  std::string out = base.string() + ".sim.json",
              err = base.string() + ".sim.log";
  // --long: the case's timeout, not the size estimate, bounds this run.
  std::vector<std::string> args = {
      options.tesselPath, "sim",       mlirPath, "--arch", result.spec.archFile,
      "--mapping",        mappingPath, "--json", "--long",
      "--precision",      result.spec.precision};
  SubprocessOptions run;
  run.argv = std::move(args);
  run.stdoutPath = out;
  run.stderrPath = err;
  run.timeoutSeconds = timeoutSeconds;
  SubprocessResult child = runSubprocess(run);
  result.simSeconds = child.seconds;
  switch (child.outcome) {
  case SubprocessResult::Outcome::NotStarted:
    result.simStatus = "crashed: " + child.error;
    return;
  case SubprocessResult::Outcome::TimedOut:
    result.simStatus = child.describe(timeoutSeconds);
    return;
  case SubprocessResult::Outcome::Interrupted:
    result.interrupted = true;
    result.simStatus = "interrupted by " + interruptSignalName();
    return;
  case SubprocessResult::Outcome::Signaled:
  case SubprocessResult::Outcome::Exited:
    break;
  }
  std::string error = firstErrorLine(err, result.op);
  std::string log = " (log: " + err + ")";
  if (child.outcome == SubprocessResult::Outcome::Signaled) {
    result.simStatus = "crashed: signal " + std::to_string(child.signal) +
                       (error.empty() ? log : " (" + error + ")");
    return;
  }
  // `tessel sim` exits 1 when any op of the module fails (an unreadable op
  // beside this one): the case's status is its own op's report.
  std::stringstream text;
  text << std::ifstream(out).rdbuf();
  std::string why;
  result.sim = parseSimReport(text.str(), result, why);
  if (result.sim) {
    result.simStatus = "ok";
    return;
  }
  if (child.exitCode != 0) {
    result.simStatus = "failed (exit " + std::to_string(child.exitCode) + ")" +
                       (error.empty() ? log : ": " + error);
    return;
  }
  result.simStatus = "failed: " + why;
}

} // namespace

double errorPercent(double evaluator, double reference) {
  if (reference == 0)
    return evaluator == 0 ? 0 : 100;
  return (evaluator - reference) / reference * 100;
}

std::vector<std::string> countDifferences(const CaseResult &result,
                                          const Figures &a, const Figures &b) {
  static const char *actions[kCountKinds] = {"reads", "fills", "updates",
                                             "network words", "network hops"};
  std::vector<std::string> differences;
  size_t tensors = result.tensors.size();
  for (size_t i = 0; i < a.counts.size() && i < b.counts.size(); ++i)
    for (unsigned k = 0; k < kCountKinds; ++k)
      if (a.counts[i][k] != b.counts[i][k])
        differences.push_back(
            result.levels[i / tensors] + " " + result.tensors[i % tensors] +
            " " + actions[k] + ": " + a.evaluator + " " +
            std::to_string(a.counts[i][k]) + ", " + b.evaluator + " " +
            std::to_string(b.counts[i][k]));
  return differences;
}

std::vector<CaseResult> runSuite(const Suite &suite,
                                 const ValidateOptions &options) {
  std::string problem = makeDirectories(options.workDirectory);
  if (!problem.empty())
    throw std::runtime_error(problem);
  std::vector<CaseResult> results(suite.cases.size());
  std::vector<std::string> mlirPaths(results.size()),
      mappingPaths(results.size());
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].spec = suite.cases[i];
    if (interrupted()) {
      results[i].interrupted = true;
      results[i].status = "not run (interrupted)";
      continue;
    }
    if (options.progress)
      options.progress("preparing " + std::to_string(i + 1) + "/" +
                       std::to_string(results.size()) + ": " +
                       suite.cases[i].name);
    try {
      prepare(results[i], options, mlirPaths[i], mappingPaths[i]);
    } catch (const std::exception &error) {
      results[i].status = std::string("error: ") + error.what();
    }
  }
  if (!options.simulate)
    return results;
  std::atomic<size_t> next{0}, finished{0};
  std::mutex progressLock;
  auto worker = [&] {
    for (size_t i = next++; i < results.size(); i = next++) {
      if (interrupted() && results[i].status == "ok") {
        results[i].interrupted = true;
        results[i].simStatus = "not run (interrupted)";
        continue;
      }
      if (results[i].status == "ok")
        simulate(results[i], options, suite.simTimeoutSeconds, mlirPaths[i],
                 mappingPaths[i]);
      size_t done = ++finished;
      if (options.progress) {
        std::lock_guard<std::mutex> lock(progressLock);
        options.progress("simulated " + std::to_string(done) + "/" +
                         std::to_string(results.size()) + ": " +
                         results[i].spec.name + " (" + results[i].simStatus +
                         ")");
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned j = 1; j < std::max(1u, options.jobs); ++j)
    workers.emplace_back(worker);
  worker();
  for (std::thread &w : workers)
    w.join();
  return results;
}

namespace {

void putFigures(FieldWriter &w, const Figures &f) {
  w.put(f.evaluator);
  w.put(f.cycles);
  w.put(f.energyPJ);
  w.put(f.bottleneck);
  w.put(uint64_t(f.counts.size()));
  for (const std::array<uint64_t, kCountKinds> &c : f.counts)
    for (uint64_t v : c)
      w.put(v);
  w.put(uint64_t(f.levelEnergyPJ.size()));
  for (double e : f.levelEnergyPJ)
    w.put(e);
  w.put(f.macEnergyPJ);
  w.put(uint64_t(f.stalls.size()));
  for (const auto &[cause, cycles] : f.stalls) {
    w.put(cause);
    w.put(cycles);
  }
}

Figures readFigures(FieldReader &p) {
  Figures f;
  f.evaluator = p.text();
  f.cycles = p.whole();
  f.energyPJ = p.real();
  f.bottleneck = p.text();
  for (uint64_t i = 0, n = p.count(); i < n; ++i) {
    std::array<uint64_t, kCountKinds> c{};
    for (uint64_t &v : c)
      v = p.whole();
    f.counts.push_back(c);
  }
  for (uint64_t i = 0, n = p.count(); i < n; ++i)
    f.levelEnergyPJ.push_back(p.real());
  f.macEnergyPJ = p.real();
  for (uint64_t i = 0, n = p.count(); i < n; ++i) {
    std::string cause = p.text();
    f.stalls[cause] = p.real();
  }
  return f;
}

} // namespace

std::string encodeCaseResult(const CaseResult &r, size_t caseIndex) {
  FieldWriter w;
  w.put(uint64_t(caseIndex));
  w.put(r.status);
  w.put(r.op);
  w.put(r.macs);
  w.put(uint64_t(r.levels.size()));
  for (const std::string &level : r.levels)
    w.put(level);
  w.put(uint64_t(r.tensors.size()));
  for (const std::string &tensor : r.tensors)
    w.put(tensor);
  w.put(r.mappingYaml);
  w.put(uint64_t(r.models.size()));
  for (const Figures &f : r.models)
    putFigures(w, f);
  w.put(uint64_t(r.sim.has_value()));
  if (r.sim)
    putFigures(w, *r.sim);
  w.put(r.simStatus);
  w.put(r.simSeconds);
  w.put(uint64_t(r.interrupted));
  return w.out;
}

CaseResult decodeCaseResult(const std::string &bytes, const Suite &suite) {
  FieldReader p(bytes, "a case result");
  CaseResult r;
  uint64_t index = p.whole();
  if (index >= suite.cases.size())
    throw std::runtime_error("a case result names case " +
                             std::to_string(index) + ", not in the suite");
  r.spec = suite.cases[index];
  r.status = p.text();
  r.op = p.text();
  r.macs = p.whole();
  for (uint64_t i = 0, n = p.count(); i < n; ++i)
    r.levels.push_back(p.text());
  for (uint64_t i = 0, n = p.count(); i < n; ++i)
    r.tensors.push_back(p.text());
  r.mappingYaml = p.text();
  for (uint64_t i = 0, n = p.count(); i < n; ++i)
    r.models.push_back(readFigures(p));
  if (p.whole())
    r.sim = readFigures(p);
  r.simStatus = p.text();
  r.simSeconds = p.real();
  r.interrupted = p.whole() != 0;
  p.finish();
  return r;
}

} // namespace tessel
