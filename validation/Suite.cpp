//===- validation/Suite.cpp -----------------------------------------------===//
#include "validation/Suite.h"

#include "arch/ArchLoader.h"
#include "mapper/Mapper.h"
#include "mapping/Datatypes.h"
#include "workloads/LinalgImport.h"

#include "support/YamlReader.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace tessel {
namespace {

namespace fs = std::filesystem;

/// How deep `include:` may nest (a suite including one including one ...).
constexpr size_t kMaxIncludeDepth = 16;

/// The suites being read, outermost first (canonical paths, and as given).
struct IncludeChain {
  std::vector<std::string> canonical, shown;
  std::string text(const std::string &last) const {
    std::string joined;
    for (const std::string &file : shown)
      joined += file + " -> ";
    return joined + last;
  }
};

std::string canonicalPath(const std::string &path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  return error ? path : canonical.string();
}

Suite loadSuiteIn(const std::string &path, const std::string &root,
                  IncludeChain &chain);

class Reader : public YamlReader<SuiteError> {
public:
  Reader(std::string file, std::string root, IncludeChain &chain)
      : YamlReader(std::move(file)), root(std::move(root)), chain(chain) {}

  /// A number >= `min` (or > `min` when `strict`), finite.
  double bounded(const YAML::Node &node, const std::string &field, double min,
                 bool strict, const std::string &unit) const {
    double value = get<double>(node, field);
    if (!std::isfinite(value) || value < min || (strict && value == min)) {
      std::ostringstream os;
      os << "'" << field << "' must be a number " << (strict ? "> " : ">= ")
         << min << " (" << unit << "), got " << node.as<std::string>();
      fail(node, os.str());
    }
    return value;
  }

  std::string existing(const YAML::Node &node, const std::string &path,
                       const std::string &what) const {
    fs::path resolved =
        fs::path(path).is_absolute() ? fs::path(path) : fs::path(root) / path;
    std::error_code code; // A name too long for the OS must not throw.
    if (!fs::exists(resolved, code))
      fail(node, what + " '" + path + "' does not exist (looked for " +
                     resolved.string() + ")");
    return resolved.string();
  }

  std::vector<std::string> names(const fs::path &directory,
                                 const std::string &extension) const {
    std::vector<std::string> found;
    std::error_code code;
    if (fs::exists(directory, code))
      for (const auto &entry : fs::directory_iterator(directory, code))
        if (entry.path().extension() == extension)
          found.push_back(entry.path().stem().string());
    std::sort(found.begin(), found.end());
    return found;
  }

  std::string joined(const std::vector<std::string> &items) const {
    std::string text;
    for (const std::string &item : items)
      text += (text.empty() ? "" : ", ") + item;
    return text;
  }

  void workload(const YAML::Node &node, CaseSpec &c) const {
    expectKeys(node, {"zoo", "file", "op", "inline"}, "'workload'");
    if (node["inline"]) {
      c.inlineMlir = get<std::string>(node["inline"], "inline");
      WorkloadSet set = importLinalgSource(c.inlineMlir, c.name + ".mlir");
      if (set.hasErrors() || set.problems.size() != 1)
        fail(node["inline"], "inline MLIR must hold exactly one readable "
                             "linalg op" +
                                 (set.diagnostics.empty()
                                      ? std::string()
                                      : ": " + set.diagnostics[0].format()));
      c.op = set.problems[0].name;
      return;
    }
    if (node["zoo"]) {
      std::string model = get<std::string>(node["zoo"], "zoo");
      fs::path path = fs::path(root) / "workloads/zoo" / (model + ".mlir");
      std::error_code code;
      if (!fs::exists(path, code))
        fail(node["zoo"],
             "unknown zoo model '" + model + "'; the zoo has: " +
                 joined(names(fs::path(root) / "workloads/zoo", ".mlir")));
      c.mlirFile = path.string();
    } else if (node["file"]) {
      c.mlirFile = existing(node["file"],
                            get<std::string>(node["file"], "file"), "file");
    } else {
      fail(node, "'workload' needs 'zoo: MODEL', 'file: PATH' or 'inline: "
                 "MLIR'");
    }
    if (!node["op"])
      fail(node,
           "'workload' needs 'op: NAME' (a function of " + c.mlirFile + ")");
    c.op = get<std::string>(node["op"], "op");
    WorkloadSet set = importLinalgFile(c.mlirFile);
    std::vector<std::string> ops;
    for (const Problem &problem : set.problems) {
      if (problem.name == c.op)
        return;
      ops.push_back(problem.name);
    }
    if (ops.size() > 12)
      ops.resize(12), ops.push_back("...");
    fail(node["op"], "unknown op '" + c.op + "' in " + c.mlirFile +
                         "; it has: " + joined(ops));
  }

  void mapping(const YAML::Node &node, CaseSpec &c) const {
    expectKeys(node, {"file", "mapper", "seed", "budget", "objective"},
               "'mapping'");
    if (node["file"]) {
      c.mappingFile = existing(
          node["file"], get<std::string>(node["file"], "file"), "mapping file");
      return;
    }
    if (node["mapper"]) {
      c.mapper = get<std::string>(node["mapper"], "mapper");
      std::vector<std::string> names = mapperNames();
      if (std::find(names.begin(), names.end(), c.mapper) == names.end())
        fail(node["mapper"], "unknown mapper '" + c.mapper +
                                 "'; expected one of: " + joined(names));
    }
    if (node["seed"])
      c.seed = whole(node["seed"], "seed", "a seed");
    if (node["budget"])
      c.budget = whole(node["budget"], "budget", "evaluations");
    if (node["objective"]) {
      c.objective = get<std::string>(node["objective"], "objective");
      if (!Objective::parse(c.objective))
        fail(node["objective"], "unknown objective '" + c.objective +
                                    "'; expected cycles, energy, edp or "
                                    "weighted:W");
    }
  }

  CaseSpec testCase(const YAML::Node &node) const {
    expectKeys(node,
               {"name", "workload", "arch", "precision", "mapping", "expect",
                "source"},
               "a case");
    CaseSpec c;
    c.line = node.Mark().line + 1;
    if (!node["name"])
      fail(node, "a case needs 'name'");
    c.name = get<std::string>(node["name"], "name");
    if (node["precision"]) {
      c.precision = get<std::string>(node["precision"], "precision");
      if (!precisionNamed(c.precision))
        fail(node["precision"], "unknown precision '" + c.precision +
                                    "'; expected words or declared");
    }
    if (!node["workload"])
      fail(node, "case '" + c.name + "' needs 'workload'");
    workload(node["workload"], c);
    if (!node["arch"])
      fail(node, "case '" + c.name + "' needs 'arch' (a preset or a file)");
    std::string arch = get<std::string>(node["arch"], "arch");
    // Presets are found as `tessel --arch NAME` finds them (arch/).
    std::string preset = arch.find(".yaml") == std::string::npos
                             ? presetFile(arch, root)
                             : std::string();
    if (!preset.empty())
      c.archFile = preset;
    else if (arch.find('/') != std::string::npos ||
             arch.find(".yaml") != std::string::npos)
      c.archFile = existing(node["arch"], arch, "arch file");
    else
      fail(node["arch"],
           "unknown preset '" + arch + "'" + presetChoices(arch, root));
    if (node["mapping"])
      mapping(node["mapping"], c);
    if (node["expect"]) {
      expectKeys(node["expect"], {"cycles", "energyPJ"}, "'expect'");
      if (node["expect"]["cycles"])
        c.expectCycles = whole(node["expect"]["cycles"], "cycles", "cycles");
      if (node["expect"]["energyPJ"])
        c.expectEnergyPJ = get<double>(node["expect"]["energyPJ"], "energyPJ");
      if (!node["source"])
        fail(node, "case '" + c.name +
                       "' expects figures, so it needs 'source' saying where "
                       "they come from");
    }
    if (node["source"])
      c.source = get<std::string>(node["source"], "source");
    return c;
  }

  Suite document(const YAML::Node &root) const {
    if (!root.IsMap())
      fail(root, "expected a mapping with 'suite' and 'cases'");
    expectKeys(root,
               {"suite", "tolerances", "simTimeoutSeconds", "cases", "include"},
               "the suite");
    Suite suite;
    suite.file = file;
    suite.name = root["suite"] ? get<std::string>(root["suite"], "suite")
                               : fs::path(file).stem().string();
    if (root["tolerances"]) {
      expectKeys(root["tolerances"], {"cycles", "energy"}, "'tolerances'");
      if (root["tolerances"]["cycles"])
        suite.tolerances.cycles =
            bounded(root["tolerances"]["cycles"], "cycles", 0, false,
                    "a relative drift, 0.01 = 1%");
      if (root["tolerances"]["energy"])
        suite.tolerances.energy =
            bounded(root["tolerances"]["energy"], "energy", 0, false,
                    "a relative drift, 0.01 = 1%");
    }
    if (root["simTimeoutSeconds"])
      suite.simTimeoutSeconds = bounded(
          root["simTimeoutSeconds"], "simTimeoutSeconds", 0, true, "seconds");
    if (root["include"]) {
      if (!root["include"].IsSequence())
        fail(root["include"], "'include' must be a list of suite files");
      for (const YAML::Node &include : root["include"]) {
        std::string given = get<std::string>(include, "include");
        std::string path = existing(include, given, "included suite");
        std::string canonical = canonicalPath(path);
        for (const std::string &open : chain.canonical)
          if (open == canonical)
            fail(include, "suite include cycle: " + chain.text(path));
        if (chain.canonical.size() >= kMaxIncludeDepth)
          fail(include, "suites nest deeper than " +
                            std::to_string(kMaxIncludeDepth) +
                            " includes: " + chain.text(path));
        Suite included = loadSuiteIn(path, this->root, chain);
        suite.cases.insert(suite.cases.end(), included.cases.begin(),
                           included.cases.end());
      }
    }
    if (root["cases"]) {
      if (!root["cases"].IsSequence())
        fail(root["cases"], "'cases' must be a list");
      std::set<std::string> seen;
      for (const YAML::Node &node : root["cases"]) {
        CaseSpec c = testCase(node);
        if (!seen.insert(c.name).second)
          fail(node["name"], "two cases are named '" + c.name + "'");
        suite.cases.push_back(std::move(c));
      }
    }
    if (suite.cases.empty())
      fail(root, "the suite has no cases");
    return suite;
  }

private:
  std::string root;
  IncludeChain &chain;
};

Suite parseSuiteIn(const std::string &text, const std::string &fileName,
                   const std::string &root, IncludeChain &chain) {
  YAML::Node document = loadYaml<SuiteError>(text, fileName);
  chain.canonical.push_back(canonicalPath(fileName));
  chain.shown.push_back(fileName);
  Suite suite = Reader(fileName, root, chain).document(document);
  chain.canonical.pop_back();
  chain.shown.pop_back();
  return suite;
}

Suite loadSuiteIn(const std::string &path, const std::string &root,
                  IncludeChain &chain) {
  std::string text = readYamlFile<SuiteError>(path, "the suite file");
  return parseSuiteIn(text, path, root, chain);
}

} // namespace

Suite parseSuite(const std::string &text, const std::string &fileName,
                 const std::string &root) {
  IncludeChain chain;
  return parseSuiteIn(text, fileName, root, chain);
}

Suite loadSuite(const std::string &path, const std::string &root) {
  IncludeChain chain;
  return loadSuiteIn(path, root, chain);
}

} // namespace tessel
