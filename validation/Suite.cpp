//===- validation/Suite.cpp -----------------------------------------------===//
#include "validation/Suite.h"

#include "workloads/LinalgImport.h"

#include "support/YamlReader.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace tessel {
namespace {

namespace fs = std::filesystem;

class Reader : public YamlReader<SuiteError> {
public:
  Reader(std::string file, std::string root)
      : YamlReader(std::move(file)), root(std::move(root)) {}

  std::string existing(const YAML::Node &node, const std::string &path,
                       const std::string &what) const {
    fs::path resolved =
        fs::path(path).is_absolute() ? fs::path(path) : fs::path(root) / path;
    if (!fs::exists(resolved))
      fail(node, what + " '" + path + "' does not exist (looked for " +
                     resolved.string() + ")");
    return resolved.string();
  }

  std::vector<std::string> names(const fs::path &directory,
                                 const std::string &extension) const {
    std::vector<std::string> found;
    if (fs::exists(directory))
      for (const auto &entry : fs::directory_iterator(directory))
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
      if (!fs::exists(path))
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
    if (node["mapper"])
      c.mapper = get<std::string>(node["mapper"], "mapper");
    if (node["seed"])
      c.seed = get<uint64_t>(node["seed"], "seed");
    if (node["budget"])
      c.budget = get<uint64_t>(node["budget"], "budget");
    if (node["objective"])
      c.objective = get<std::string>(node["objective"], "objective");
  }

  CaseSpec testCase(const YAML::Node &node) const {
    expectKeys(node,
               {"name", "workload", "arch", "mapping", "expect", "source"},
               "a case");
    CaseSpec c;
    c.line = node.Mark().line + 1;
    if (!node["name"])
      fail(node, "a case needs 'name'");
    c.name = get<std::string>(node["name"], "name");
    if (!node["workload"])
      fail(node, "case '" + c.name + "' needs 'workload'");
    workload(node["workload"], c);
    if (!node["arch"])
      fail(node, "case '" + c.name + "' needs 'arch' (a preset or a file)");
    std::string arch = get<std::string>(node["arch"], "arch");
    fs::path preset = fs::path(root) / "arch/presets" / (arch + ".yaml");
    if (fs::exists(preset))
      c.archFile = preset.string();
    else if (arch.find('/') != std::string::npos ||
             arch.find(".yaml") != std::string::npos)
      c.archFile = existing(node["arch"], arch, "arch file");
    else
      fail(node["arch"],
           "unknown preset '" + arch + "'; presets are: " +
               joined(names(fs::path(root) / "arch/presets", ".yaml")));
    if (node["mapping"])
      mapping(node["mapping"], c);
    if (node["expect"]) {
      expectKeys(node["expect"], {"cycles", "energyPJ"}, "'expect'");
      if (node["expect"]["cycles"])
        c.expectCycles = get<uint64_t>(node["expect"]["cycles"], "cycles");
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
            get<double>(root["tolerances"]["cycles"], "cycles");
      if (root["tolerances"]["energy"])
        suite.tolerances.energy =
            get<double>(root["tolerances"]["energy"], "energy");
    }
    if (root["simTimeoutSeconds"])
      suite.simTimeoutSeconds =
          get<double>(root["simTimeoutSeconds"], "simTimeoutSeconds");
    if (root["include"])
      for (const YAML::Node &include : root["include"]) {
        std::string path = existing(
            include, get<std::string>(include, "include"), "included suite");
        Suite included = loadSuite(path, this->root);
        suite.cases.insert(suite.cases.end(), included.cases.begin(),
                           included.cases.end());
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
};

} // namespace

Suite parseSuite(const std::string &text, const std::string &fileName,
                 const std::string &root) {
  YAML::Node document = loadYaml<SuiteError>(text, fileName);
  return Reader(fileName, root).document(document);
}

Suite loadSuite(const std::string &path, const std::string &root) {
  std::ifstream in(path);
  if (!in)
    throw SuiteError(path + ": error: cannot read the suite file");
  std::stringstream text;
  text << in.rdbuf();
  return parseSuite(text.str(), path, root);
}

} // namespace tessel
