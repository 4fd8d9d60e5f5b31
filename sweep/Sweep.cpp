//===- sweep/Sweep.cpp - Reading sweeps and evaluating their points -------===//
#include "sweep/Sweep.h"

#include "sweep/Database.h"

#include "arch/Arch.h"
#include "arch/Area.h"
#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "mapper/Constraints.h"
#include "mapper/MapSpace.h"
#include "mapper/Mapper.h"
#include "mapping/Datatypes.h"
#include "mapping/MappingYaml.h"
#include "support/Checked.h"
#include "support/Fields.h"
#include "support/Interrupt.h"
#include "support/YamlReader.h"
#include "workloads/LinalgImport.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>

namespace tessel {
namespace {

namespace fs = std::filesystem;

/// The YAML text of `node` in flow style, one line (`[16, 16]`, `65536`).
std::string flowText(const YAML::Node &node) {
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

/// The node of `root` (an Arch document) that `path` names, made if its
/// last field is missing: `Level.field...` into the level of that name,
/// else a top-level field. Null (with `why` set) when it does not resolve.
YAML::Node nodeAt(YAML::Node root, const std::string &path,
                  std::string &why) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    fields.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos)
      break;
    start = dot + 1;
  }
  for (const std::string &field : fields)
    if (field.empty()) {
      why = "has an empty field name";
      return YAML::Node(YAML::NodeType::Undefined);
    }
  // Handles are moved with reset(): assigning one Node to another would
  // write into the tree.
  YAML::Node node;
  node.reset(root);
  size_t first = 0;
  if (root["levels"] && root["levels"].IsSequence())
    for (YAML::Node level : root["levels"])
      if (level.IsMap() && level["name"] &&
          level["name"].as<std::string>("") == fields[0]) {
        node.reset(level);
        first = 1;
        break;
      }
  if (first == 0 && fields.size() > 1 && !root[fields[0]]) {
    std::string levels;
    if (root["levels"] && root["levels"].IsSequence())
      for (const YAML::Node &level : root["levels"])
        if (level.IsMap() && level["name"])
          levels += (levels.empty() ? "" : ", ") +
                    level["name"].as<std::string>("");
    why = "starts with '" + fields[0] +
          "', neither a level of the Arch (" + levels +
          ") nor one of its top-level fields";
    return YAML::Node(YAML::NodeType::Undefined);
  }
  if (first == fields.size()) {
    why = "names a whole level; add the field to set, e.g. " + path +
          ".capacity";
    return YAML::Node(YAML::NodeType::Undefined);
  }
  for (size_t i = first; i < fields.size(); ++i) {
    if (!node.IsMap()) {
      why = "goes through '" + fields[i - 1] + "', which is not a mapping";
      return YAML::Node(YAML::NodeType::Undefined);
    }
    if (i + 1 < fields.size() && !node[fields[i]]) {
      why = "has no field '" + fields[i] + "'";
      return YAML::Node(YAML::NodeType::Undefined);
    }
    YAML::Node child = node[fields[i]];
    node.reset(child);
  }
  return node;
}

/// The Arch reader's message without its position in the generated text
/// (`point.yaml:4:15: error: `), which is not a file the user has.
std::string withoutPosition(const std::string &message) {
  size_t at = message.find(": error: ");
  return at == std::string::npos ? message : message.substr(at + 9);
}

class Reader : public YamlReader<SweepError> {
public:
  Reader(std::string file, std::string root)
      : YamlReader(std::move(file)), root(std::move(root)),
        folder(fs::path(this->file).parent_path()) {}

  SweepSpec document(const YAML::Node &doc, const std::string &text) {
    expectKeys(doc,
               {"name", "description", "arch", "parameters", "workloads",
                "mapper", "model", "objective", "precision", "constraints",
                "sample", "seed", "limits", "simulate", "simTimeoutSeconds",
                "space"},
               "the sweep");
    SweepSpec spec;
    spec.file = file;
    spec.text = text;
    spec.name = doc["name"] ? get<std::string>(doc["name"], "name")
                            : fs::path(file).stem().string();
    if (doc["description"])
      spec.description = get<std::string>(doc["description"], "description");
    if (doc["arch"])
      arch(doc["arch"], get<std::string>(doc["arch"], "arch"), spec.archFile,
           spec.archText);
    if (!doc["parameters"] || !doc["parameters"].IsSequence() ||
        doc["parameters"].size() == 0)
      fail(doc["parameters"] ? doc["parameters"] : doc,
           "'parameters' must be a list of {path, values | range}, e.g. "
           "- {path: GlobalBuffer.capacity, values: [32768, 65536]}");
    std::set<std::string> names, settings;
    for (const YAML::Node &p : doc["parameters"]) {
      SweepParameter parameter = this->parameter(p);
      if (!names.insert(parameter.name).second)
        fail(p, "two parameters are called '" + parameter.name +
                    "'; give one a 'name'");
      if (!parameter.setting.empty() &&
          !settings.insert(parameter.setting).second)
        fail(p, "two parameters set '" + parameter.setting + "'");
      spec.parameters.push_back(parameter);
    }
    // The base Arch: `arch:`, else the first of an `arch` setting's values.
    const SweepParameter *archSetting = nullptr;
    for (const SweepParameter &parameter : spec.parameters)
      if (parameter.setting == "arch")
        archSetting = &parameter;
    if (archSetting && doc["arch"])
      fail(doc["arch"], "the sweep has 'arch:' and a parameter with "
                        "'setting: arch'; keep one");
    if (!archSetting && !doc["arch"])
      fail(doc, "the sweep needs 'arch: PRESET' or 'arch: FILE.yaml' (or a "
                "parameter with 'setting: arch' and the presets or files to "
                "compare)");
    if (archSetting) {
      spec.archFile = archSetting->files[0];
      spec.archText = archSetting->texts[0];
    }
    // Every Arch field a parameter sets must be in every Arch compared.
    for (size_t i = 0; i < spec.parameters.size(); ++i) {
      const SweepParameter &parameter = spec.parameters[i];
      if (!parameter.setting.empty())
        continue;
      std::vector<std::string> texts = {spec.archText};
      if (archSetting)
        texts = archSetting->texts;
      for (size_t a = 0; a < texts.size(); ++a) {
        std::string why;
        nodeAt(YAML::Load(texts[a]), parameter.path, why);
        if (!why.empty())
          fail(doc["parameters"][i]["path"],
               "path '" + parameter.path + "' " + why +
                   (archSetting ? " (in arch " + archSetting->values[a] + ")"
                                : std::string()));
      }
    }
    if (!doc["workloads"] || !doc["workloads"].IsSequence() ||
        doc["workloads"].size() == 0)
      fail(doc["workloads"] ? doc["workloads"] : doc,
           "'workloads' must be a list, e.g. - {zoo: resnet50, ops: [conv1]}");
    for (const YAML::Node &w : doc["workloads"])
      spec.workloads.push_back(workload(w));
    if (doc["mapper"])
      mapper(doc["mapper"], spec);
    if (doc["model"]) {
      spec.model = get<std::string>(doc["model"], "model");
      std::vector<std::string> known = costModelNames();
      if (std::find(known.begin(), known.end(), spec.model) == known.end())
        fail(doc["model"], "unknown model '" + spec.model +
                               "'; the models are " + joined(known));
    }
    if (doc["objective"]) {
      spec.objective = get<std::string>(doc["objective"], "objective");
      if (!Objective::parse(spec.objective))
        fail(doc["objective"],
             "unknown objective '" + spec.objective +
                 "'; expected cycles, energy, edp, weighted:W or lex");
    }
    if (doc["precision"]) {
      spec.precision = get<std::string>(doc["precision"], "precision");
      if (!precisionNamed(spec.precision))
        fail(doc["precision"], "unknown precision '" + spec.precision +
                                   "'; expected words or declared");
    }
    if (doc["constraints"])
      spec.constraintsFile = constraintsFile(
          doc["constraints"],
          get<std::string>(doc["constraints"], "constraints"));
    if (doc["sample"])
      spec.sample = whole(doc["sample"], "sample", "points");
    if (doc["seed"])
      spec.seed = whole(doc["seed"], "seed", "a whole number");
    if (doc["simulate"])
      spec.simulate = get<bool>(doc["simulate"], "simulate");
    if (doc["space"])
      spec.space = get<bool>(doc["space"], "space");
    if (doc["simTimeoutSeconds"]) {
      spec.simTimeoutSeconds =
          get<double>(doc["simTimeoutSeconds"], "simTimeoutSeconds");
      if (!(spec.simTimeoutSeconds > 0) || !std::isfinite(spec.simTimeoutSeconds))
        fail(doc["simTimeoutSeconds"],
             "'simTimeoutSeconds' must be a number > 0 (seconds)");
    }
    if (doc["limits"]) {
      const YAML::Node &limits = doc["limits"];
      expectKeys(limits, {"min_utilization", "max_area_mm2"}, "'limits'");
      if (limits["max_area_mm2"]) {
        double a = get<double>(limits["max_area_mm2"], "max_area_mm2");
        if (!(a > 0) || !std::isfinite(a))
          fail(limits["max_area_mm2"],
               "'max_area_mm2' must be a number > 0 (mm^2)");
        spec.maxAreaMm2 = a;
      }
      if (limits["min_utilization"]) {
        double u = get<double>(limits["min_utilization"], "min_utilization");
        if (!(u >= 0 && u <= 1))
          fail(limits["min_utilization"],
               "'min_utilization' must be a fraction in [0, 1]");
        spec.minUtilization = u;
      }
    }
    // Every point must have a place in 64 bits.
    uint64_t size = 1;
    for (const SweepParameter &parameter : spec.parameters)
      if (!checkedMul<uint64_t>(size, parameter.values.size(), size))
        fail(doc["parameters"], "the grid has more than 2^64 points");
    return spec;
  }

private:
  std::string root;
  fs::path folder;

  std::string joined(const std::vector<std::string> &items) const {
    std::string text;
    for (const std::string &item : items)
      text += (text.empty() ? "" : ", ") + item;
    return text;
  }

  /// `path` if absolute, else beside the sweep file, else under the root,
  /// else from the working directory.
  std::string existing(const YAML::Node &node, const std::string &path,
                       const std::string &what) const {
    std::error_code code;
    std::vector<fs::path> candidates = {fs::path(path)};
    if (!fs::path(path).is_absolute())
      candidates = {folder / path, fs::path(root) / path, fs::path(path)};
    for (const fs::path &candidate : candidates)
      if (fs::is_regular_file(candidate, code))
        return candidate.string();
    fail(node, what + " '" + path + "' does not exist (looked in " +
                   (folder.empty() ? std::string(".") : folder.string()) +
                   ", " + root + " and the working directory)");
  }

  /// A preset name or an Arch file: its file and YAML, checked to read.
  void arch(const YAML::Node &node, const std::string &name,
            std::string &file, std::string &text) const {
    bool preset = name.find('/') == std::string::npos &&
                  fs::path(name).extension() != ".yaml";
    if (preset) {
      try {
        file = resolveArchFile(name, root);
      } catch (const std::exception &error) {
        fail(node, withoutPosition(error.what()));
      }
    } else {
      file = existing(node, name, "arch");
    }
    try {
      loadArch(file);
    } catch (const std::exception &error) {
      fail(node, "the Arch '" + name + "' does not read: " + error.what());
    }
    text = readYamlFile<SweepError>(file, "the Arch file");
  }

  /// A constraints file (or `none`), checked to read.
  std::string constraintsFile(const YAML::Node &node,
                              const std::string &name) const {
    if (name == "none")
      return "";
    std::string file = existing(node, name, "constraints");
    try {
      loadConstraints(file);
    } catch (const std::exception &error) {
      fail(node, std::string("its constraints do not read: ") + error.what());
    }
    return file;
  }

  /// Checks one value of a `setting:` parameter (and resolves its file).
  void settingValue(const YAML::Node &node, SweepParameter &parameter) const {
    const std::string &setting = parameter.setting;
    std::string value = get<std::string>(node, setting);
    auto oneOf = [&](const std::vector<std::string> &known,
                     const std::string &what) {
      if (std::find(known.begin(), known.end(), value) == known.end())
        fail(node, "unknown " + what + " '" + value + "'; the " + what +
                       "s are " + joined(known));
    };
    parameter.files.emplace_back();
    parameter.texts.emplace_back();
    if (setting == "arch") {
      arch(node, value, parameter.files.back(), parameter.texts.back());
    } else if (setting == "constraints") {
      parameter.files.back() = constraintsFile(node, value);
    } else if (setting == "mapper") {
      oneOf(mapperNames(), "mapper");
    } else if (setting == "model") {
      oneOf(costModelNames(), "model");
    } else if (setting == "objective") {
      if (!Objective::parse(value))
        fail(node, "unknown objective '" + value +
                       "'; expected cycles, energy, edp, weighted:W or lex");
    } else if (setting == "budget") {
      if (whole(node, "budget", "evaluations per op") == 0)
        fail(node, "a budget must be at least 1 (evaluations per op)");
    }
  }

  SweepParameter parameter(const YAML::Node &node) const {
    expectKeys(node, {"name", "path", "setting", "values", "range"},
               "a parameter");
    SweepParameter parameter;
    parameter.line = unsigned(node.Mark().line + 1);
    if (node["path"] && node["setting"])
      fail(node, "a parameter has 'path' (an Arch field) or 'setting' (" +
                     joined(sweepSettingNames()) + "), not both");
    if (!node["path"] && !node["setting"])
      fail(node, "a parameter needs 'path: Level.field' (e.g. "
                 "GlobalBuffer.capacity), a top-level field (clockGHz), or "
                 "'setting:' one of " + joined(sweepSettingNames()));
    if (node["setting"]) {
      parameter.setting = get<std::string>(node["setting"], "setting");
      const std::vector<std::string> &known = sweepSettingNames();
      if (std::find(known.begin(), known.end(), parameter.setting) ==
          known.end())
        fail(node["setting"], "unknown setting '" + parameter.setting +
                                  "'; the settings are " + joined(known) +
                                  " (an Arch field takes 'path:')");
    } else {
      parameter.path = get<std::string>(node["path"], "path");
    }
    parameter.name = node["name"] ? get<std::string>(node["name"], "name")
                     : parameter.setting.empty() ? parameter.path
                                                 : parameter.setting;
    if (!parameter.setting.empty() && node["range"] &&
        parameter.setting != "budget")
      fail(node["range"], "setting '" + parameter.setting +
                              "' takes 'values: [...]', not a range");
    if (node["values"] && node["range"])
      fail(node, "a parameter has 'values' or 'range', not both");
    if (node["values"]) {
      const YAML::Node &values = node["values"];
      if (!values.IsSequence() || values.size() == 0)
        fail(values, "'values' must be a non-empty list, e.g. [32768, 65536]");
      for (const YAML::Node &value : values)
        parameter.values.push_back(flowText(value));
    } else if (node["range"]) {
      range(node["range"], parameter);
    } else {
      fail(node, "a parameter needs 'values: [...]' or 'range: {from, to, "
                 "step}' (or 'times' for a geometric range)");
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < parameter.values.size(); ++i)
      if (!seen.insert(parameter.values[i]).second)
        fail(node, "parameter '" + parameter.name + "' lists " +
                       parameter.values[i] + " twice");
    if (!parameter.setting.empty()) {
      if (node["values"])
        for (const YAML::Node &value : node["values"])
          settingValue(value, parameter);
      else
        for (const std::string &value : parameter.values)
          settingValue(YAML::Load(value), parameter);
    }
    return parameter;
  }

  void range(const YAML::Node &node, SweepParameter &parameter) const {
    expectKeys(node, {"from", "to", "step", "times"}, "'range'");
    if (!node["from"] || !node["to"] || (!node["step"] == !node["times"]))
      fail(node, "'range' needs from, to and one of step (arithmetic) or "
                 "times (geometric), e.g. {from: 4, to: 64, times: 2}");
    double from = get<double>(node["from"], "from");
    double to = get<double>(node["to"], "to");
    bool geometric = bool(node["times"]);
    double by = get<double>(geometric ? node["times"] : node["step"],
                            geometric ? "times" : "step");
    if (!std::isfinite(from) || !std::isfinite(to) || !std::isfinite(by) ||
        to < from || (geometric ? !(by > 1) || !(from > 0) : !(by > 0)))
      fail(node, geometric ? "a geometric range needs 0 < from <= to and "
                             "times > 1"
                           : "an arithmetic range needs from <= to and "
                             "step > 0");
    bool whole = std::floor(from) == from && std::floor(by) == by;
    for (double v = from; v <= to * (1 + 1e-12);
         v = geometric ? v * by : v + by) {
      if (parameter.values.size() == 100000)
        fail(node, "'range' gives more than 100000 values");
      char text[64];
      if (whole && std::fabs(v) < 9e15)
        std::snprintf(text, sizeof text, "%lld", (long long)std::llround(v));
      else
        std::snprintf(text, sizeof text, "%.12g", v);
      parameter.values.push_back(text);
    }
  }

  SweepWorkload workload(const YAML::Node &node) const {
    expectKeys(node, {"zoo", "file", "ops"}, "a workload");
    SweepWorkload w;
    w.line = unsigned(node.Mark().line + 1);
    if (node["zoo"]) {
      std::string model = get<std::string>(node["zoo"], "zoo");
      fs::path path = fs::path(root) / "workloads/zoo" / (model + ".mlir");
      std::error_code code;
      if (!fs::exists(path, code))
        fail(node["zoo"], "unknown zoo model '" + model +
                              "' (no " + path.string() + ")");
      w.file = path.string();
    } else if (node["file"]) {
      w.file = existing(node["file"], get<std::string>(node["file"], "file"),
                        "workload file");
    } else {
      fail(node, "a workload needs 'zoo: MODEL' or 'file: PATH'");
    }
    WorkloadSet set = importLinalgFile(w.file);
    if (set.hasErrors())
      fail(node, "workload '" + w.file + "' does not read: " +
                     set.diagnostics[0].format());
    std::vector<std::string> have;
    for (const Problem &problem : set.problems)
      have.push_back(problem.name);
    if (node["ops"]) {
      w.ops = names(node["ops"], "ops", "[conv1, fc]");
      for (size_t i = 0; i < w.ops.size(); ++i)
        if (std::find(have.begin(), have.end(), w.ops[i]) == have.end())
          fail(node["ops"][i], "no op '" + w.ops[i] + "' in " + w.file +
                                   "; it has " + joined(have));
    }
    if (have.empty())
      fail(node, "workload '" + w.file + "' holds no linalg op");
    return w;
  }

  void mapper(const YAML::Node &node, SweepSpec &spec) const {
    expectKeys(node, {"name", "budget", "seed"}, "'mapper'");
    if (node["name"]) {
      spec.mapper = get<std::string>(node["name"], "name");
      std::vector<std::string> known = mapperNames();
      if (std::find(known.begin(), known.end(), spec.mapper) == known.end())
        fail(node["name"], "unknown mapper '" + spec.mapper +
                               "'; the mappers are " + joined(known));
    }
    if (node["budget"]) {
      spec.budget = whole(node["budget"], "budget", "evaluations per op");
      if (spec.budget == 0)
        fail(node["budget"], "'budget' must be at least 1 (evaluations per "
                             "op): a sweep's searches must end");
    }
    if (node["seed"])
      spec.seed = whole(node["seed"], "seed", "a whole number");
  }
};

} // namespace

SweepSpec parseSweep(const std::string &text, const std::string &fileName,
                     const std::string &root) {
  YAML::Node document = loadYaml<SweepError>(text, fileName);
  return Reader(fileName, root).document(document, text);
}

SweepSpec loadSweep(const std::string &path, const std::string &root) {
  std::string text = readYamlFile<SweepError>(path, "the sweep file");
  return parseSweep(text, path, root);
}

uint64_t gridSize(const SweepSpec &spec) {
  uint64_t size = 1;
  for (const SweepParameter &parameter : spec.parameters)
    if (!checkedMul<uint64_t>(size, parameter.values.size(), size))
      throw SweepError(spec.file + ": error: the grid has more than 2^64 "
                                   "points");
  return size;
}

namespace {

SweepPoint pointAt(const SweepSpec &spec, uint64_t index) {
  SweepPoint point;
  point.index = index;
  point.choice.resize(spec.parameters.size());
  uint64_t rest = index;
  for (size_t p = spec.parameters.size(); p-- > 0;) {
    uint64_t n = spec.parameters[p].values.size();
    point.choice[p] = size_t(rest % n);
    rest /= n;
  }
  for (size_t p = 0; p < spec.parameters.size(); ++p)
    point.key += (p ? ", " : "") + spec.parameters[p].name + "=" +
                 spec.parameters[p].values[point.choice[p]];
  return point;
}

} // namespace

SweepPoint sweepPoint(const SweepSpec &spec, uint64_t index) {
  return pointAt(spec, index);
}

std::vector<SweepPoint> sweepPoints(const SweepSpec &spec) {
  uint64_t size = gridSize(spec);
  std::vector<uint64_t> indices;
  if (spec.sample == 0 || spec.sample >= size) {
    if (size > 10000000)
      throw SweepError(spec.file + ": error: the grid has " +
                       std::to_string(size) +
                       " points; give 'sample: N' to draw N of them");
    for (uint64_t i = 0; i < size; ++i)
      indices.push_back(i);
  } else {
    // Floyd's algorithm: `sample` distinct indices, seeded.
    std::mt19937_64 rng(spec.seed);
    std::set<uint64_t> chosen;
    for (uint64_t j = size - spec.sample; j < size; ++j) {
      uint64_t t = std::uniform_int_distribution<uint64_t>(0, j)(rng);
      chosen.insert(chosen.count(t) ? j : t);
    }
    indices.assign(chosen.begin(), chosen.end());
  }
  std::vector<SweepPoint> points;
  for (uint64_t i : indices)
    points.push_back(pointAt(spec, i));
  return points;
}

const std::vector<std::string> &sweepSettingNames() {
  static const std::vector<std::string> names = {
      "arch", "mapper", "model", "objective", "constraints", "budget"};
  return names;
}

PointSettings settingsAt(const SweepSpec &spec, const SweepPoint &point) {
  PointSettings settings;
  settings.archFile = spec.archFile;
  settings.mapper = spec.mapper;
  settings.model = spec.model;
  settings.objective = spec.objective;
  settings.constraintsFile = spec.constraintsFile;
  settings.budget = spec.budget;
  for (size_t p = 0; p < spec.parameters.size(); ++p) {
    const SweepParameter &parameter = spec.parameters[p];
    if (parameter.setting.empty())
      continue;
    size_t i = point.choice.at(p);
    const std::string &value = parameter.values.at(i);
    if (parameter.setting == "arch")
      settings.archFile = parameter.files.at(i);
    else if (parameter.setting == "mapper")
      settings.mapper = value;
    else if (parameter.setting == "model")
      settings.model = value;
    else if (parameter.setting == "objective")
      settings.objective = value;
    else if (parameter.setting == "constraints")
      settings.constraintsFile = parameter.files.at(i);
    else if (parameter.setting == "budget")
      settings.budget = std::stoull(value);
  }
  return settings;
}

std::string archYamlAt(const SweepSpec &spec, const SweepPoint &point) {
  std::string text = spec.archText;
  for (size_t p = 0; p < spec.parameters.size(); ++p)
    if (spec.parameters[p].setting == "arch")
      text = spec.parameters[p].texts.at(point.choice.at(p));
  YAML::Node root = YAML::Load(text);
  for (size_t p = 0; p < spec.parameters.size(); ++p) {
    const SweepParameter &parameter = spec.parameters[p];
    if (!parameter.setting.empty())
      continue;
    std::string why;
    YAML::Node node = nodeAt(root, parameter.path, why);
    if (!why.empty())
      throw SweepError(spec.file + ":" + std::to_string(parameter.line) +
                       ": error: path '" + parameter.path + "' " + why);
    node = YAML::Load(parameter.values[point.choice[p]]); // Into the tree.
  }
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

Arch archAt(const SweepSpec &spec, const SweepPoint &point) {
  std::string yaml = archYamlAt(spec, point);
  try {
    return parseArch(yaml, settingsAt(spec, point).archFile);
  } catch (const std::exception &error) {
    throw SweepError(spec.file + ": error: point " +
                     std::to_string(point.index) + " (" + point.key +
                     "): the Arch does not read: " +
                     withoutPosition(error.what()));
  }
}

namespace {

/// Simulates each op's best mapping of the point (through the tool's hook;
/// `workloadFiles[i]` holds op i) and sums the simulated cycles and energy
/// when every op simulated.
void simulatePoint(const SweepSpec &spec, const SweepPoint &point,
                   const SweepOptions &options,
                   const std::vector<std::string> &workloadFiles,
                   PointResult &result) {
  if (!options.simulate)
    throw SweepError("the sweep asks to simulate, but this run cannot start "
                     "the simulator");
  fs::path dir = fs::path(options.workDirectory.empty()
                              ? fs::temp_directory_path().string()
                              : options.workDirectory) /
                 ("point-" + std::to_string(point.index));
  std::error_code code;
  fs::create_directories(dir, code);
  if (code)
    throw SweepError("cannot make " + dir.string() + ": " + code.message());
  std::string arch = (dir / "arch.yaml").string();
  auto write = [](const std::string &path, const std::string &text) {
    std::ofstream out(path);
    out << text;
    out.close();
    if (!out)
      throw SweepError("cannot write " + path);
  };
  write(arch, archYamlAt(spec, point));
  std::vector<SimulationJob> jobs;
  for (size_t i = 0; i < result.ops.size(); ++i) {
    SimulationJob job;
    job.op = result.ops[i].op;
    job.workloadFile = workloadFiles.at(i);
    job.directory = dir.string();
    job.mappingFile = (dir / (job.op + ".mapping.yaml")).string();
    write(job.mappingFile, result.ops[i].mapping);
    jobs.push_back(job);
  }
  std::vector<SimulatedOp> simulated =
      options.simulate(arch, jobs, spec.simTimeoutSeconds);
  result.simStatus = "ok";
  for (size_t i = 0; i < result.ops.size() && i < simulated.size(); ++i) {
    OpResult &op = result.ops[i];
    if (simulated[i].ok) {
      op.simStatus = "ok";
      op.simCycles = simulated[i].cycles;
      op.simEnergyPJ = simulated[i].energyPJ;
      result.simCycles += op.simCycles;
      result.simEnergyPJ += op.simEnergyPJ;
    } else {
      op.simStatus = "failed: " + simulated[i].failure;
      if (result.simStatus == "ok")
        result.simStatus = "failed: " + op.op + ": " + simulated[i].failure;
    }
  }
  if (simulated.size() != result.ops.size() && result.simStatus == "ok")
    result.simStatus = "failed: the simulator answered for " +
                       std::to_string(simulated.size()) + " of " +
                       std::to_string(result.ops.size()) + " ops";
  if (result.simStatus != "ok")
    result.simCycles = 0, result.simEnergyPJ = 0;
}

/// The op's map-space sizes per family (`family=size; ...`), kept per
/// Arch, constraints and op: the mapper, model and objective a point varies
/// do not change them, so a sweep counts each space once per process.
std::string spaceText(const Problem &problem, const std::string &workload,
                      const Arch &arch, const std::string &archYaml,
                      const std::string &constraintsFile,
                      const Constraints &constraints) {
  static std::mutex mutex;
  static std::map<std::vector<std::string>, std::string> known;
  std::vector<std::string> key = {archYaml, constraintsFile, workload,
                                  problem.name};
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = known.find(key);
    if (it != known.end())
      return it->second;
  }
  std::string text;
  MapSpace space(problem, arch, constraints);
  for (const SpaceSize &size : space.sizes())
    text += (text.empty() ? "" : "; ") + size.family + "=" + size.size.text();
  std::lock_guard<std::mutex> lock(mutex);
  known[key] = text;
  return text;
}

} // namespace

PointResult evaluatePoint(const SweepSpec &spec, const SweepPoint &point,
                          const SweepOptions &options) {
  unsigned threads = options.threads;
  auto start = std::chrono::steady_clock::now();
  PointResult result;
  result.point = point;
  try {
    Arch arch = archAt(spec, point);
    PointSettings settings = settingsAt(spec, point);
    MapRequest request;
    request.mapper = settings.mapper;
    request.model = settings.model;
    if (!settings.constraintsFile.empty())
      request.constraints = loadConstraints(settings.constraintsFile);
    request.options.objective = *Objective::parse(settings.objective);
    request.options.maxEvaluations = settings.budget;
    request.options.seed = spec.seed;
    request.options.threads = std::max(1u, threads);
    request.options.stopRequested = [] { return interrupted(); };
    Precision precision = *precisionNamed(spec.precision);
    // The point's Arch as text: the key of its ops' map-space counts.
    const std::string archYaml = spec.space ? archYamlAt(spec, point) : "";
    CheckedCounts counts;
    double energy = 0;
    std::vector<std::string> workloadFiles; // Of each op in result.ops.
    for (const SweepWorkload &workload : spec.workloads) {
      WorkloadSet set = importLinalgFile(workload.file);
      for (Problem &problem : set.problems) {
        if (!workload.ops.empty() &&
            std::find(workload.ops.begin(), workload.ops.end(),
                      problem.name) == workload.ops.end())
          continue;
        applyPrecision(problem, precision);
        OpResult op;
        if (spec.space)
          op.space = spaceText(problem, workload.file, arch, archYaml,
                               settings.constraintsFile, request.constraints);
        auto searchStart = std::chrono::steady_clock::now();
        SearchResult found = mapProblem(problem, arch, request);
        op.seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - searchStart)
                         .count();
        if (interrupted())
          return result; // Not recorded: the caller sees the interrupt.
        if (!found.best || !found.report)
          throw SweepError("op '" + problem.name + "': no valid mapping in " +
                           std::to_string(found.evaluations) + " evaluations");
        op.op = problem.name;
        op.cycles = found.report->cycles;
        op.energyPJ = found.report->energy.total();
        op.macs = found.report->macs;
        op.utilization = found.report->utilization;
        op.evaluations = found.evaluations;
        op.mapping = mappingsToYaml(
            {{problem.name, describeMapping(*found.best, problem, arch)}});
        result.cycles = counts.add(result.cycles, op.cycles);
        result.macs = counts.add(result.macs, op.macs);
        energy += op.energyPJ;
        result.ops.push_back(std::move(op));
        workloadFiles.push_back(workload.file);
      }
    }
    if (counts.overflowed())
      throw SweepError("the ops' cycles or MACs add up to more than 2^64");
    result.energyPJ = energy;
    result.edp = double(result.cycles) * energy;
    double peak = double(result.cycles) * double(arch.peakMacsPerCycle());
    result.utilization = peak > 0 ? double(result.macs) / peak : 0;
    if (spec.minUtilization && result.utilization < *spec.minUtilization)
      result.feasible = false;
    AreaBreakdown area = areaOf(arch);
    result.areaMm2 = area.totalUm2() / 1e6;
    result.leakageMW = area.leakageMW();
    if (spec.maxAreaMm2 && result.areaMm2 > *spec.maxAreaMm2)
      result.feasible = false;
    if (spec.simulate)
      simulatePoint(spec, point, options, workloadFiles, result);
  } catch (const std::exception &error) {
    result.status = "failed";
    result.error = error.what();
    result.ops.clear();
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

namespace {

} // namespace

std::string encodePoint(const PointResult &r) {
  FieldWriter w;
  w.put(r.point.index);
  w.put(r.status);
  w.put(r.error);
  w.put(r.cycles);
  w.put(r.energyPJ);
  w.put(r.edp);
  w.put(r.macs);
  w.put(r.utilization);
  w.put(uint64_t(r.feasible));
  w.put(r.seconds);
  w.put(r.areaMm2);
  w.put(r.leakageMW);
  w.put(r.simStatus);
  w.put(r.simCycles);
  w.put(r.simEnergyPJ);
  w.put(uint64_t(r.ops.size()));
  for (const OpResult &o : r.ops) {
    w.put(o.op);
    w.put(o.cycles);
    w.put(o.energyPJ);
    w.put(o.macs);
    w.put(o.utilization);
    w.put(o.evaluations);
    w.put(o.seconds);
    w.put(o.space);
    w.put(o.mapping);
    w.put(o.simStatus);
    w.put(o.simCycles);
    w.put(o.simEnergyPJ);
  }
  return w.out;
}

PointResult decodePoint(const std::string &bytes, const SweepSpec &spec) {
  FieldReader p(bytes, "a sweep result");
  PointResult r;
  uint64_t index = p.whole();
  if (index >= gridSize(spec))
    throw SweepError("a sweep result names point " + std::to_string(index) +
                     ", outside the grid");
  r.point = pointAt(spec, index);
  r.status = p.text();
  r.error = p.text();
  r.cycles = p.whole();
  r.energyPJ = p.real();
  r.edp = p.real();
  r.macs = p.whole();
  r.utilization = p.real();
  r.feasible = p.whole() != 0;
  r.seconds = p.real();
  r.areaMm2 = p.real();
  r.leakageMW = p.real();
  r.simStatus = p.text();
  r.simCycles = p.whole();
  r.simEnergyPJ = p.real();
  for (uint64_t i = 0, ops = p.count(); i < ops; ++i) {
    OpResult o;
    o.op = p.text();
    o.cycles = p.whole();
    o.energyPJ = p.real();
    o.macs = p.whole();
    o.utilization = p.real();
    o.evaluations = p.whole();
    o.seconds = p.real();
    o.space = p.text();
    o.mapping = p.text();
    o.simStatus = p.text();
    o.simCycles = p.whole();
    o.simEnergyPJ = p.real();
    r.ops.push_back(std::move(o));
  }
  p.finish();
  return r;
}

std::vector<SweepPoint> pointsToDo(const SweepSpec &spec,
                                   const std::set<uint64_t> &finished) {
  std::vector<SweepPoint> todo;
  for (SweepPoint &point : sweepPoints(spec))
    if (!finished.count(point.index))
      todo.push_back(std::move(point));
  return todo;
}

void countRecorded(const PointResult &result, double seconds,
                   SweepSummary &summary, SweepProgress &progress,
                   const std::function<void(const SweepProgress &)> &onProgress) {
  ++summary.points;
  summary.failed += result.status != "ok";
  progress.failed += result.status != "ok";
  ++progress.done;
  progress.seconds = seconds;
  progress.last = &result;
  if (onProgress)
    onProgress(progress);
}

SweepSummary runSweep(const SweepSpec &spec, const SweepOptions &options) {
  SweepDatabase database(options.database, spec);
  std::vector<SweepPoint> points = sweepPoints(spec);
  std::set<uint64_t> done = database.finishedPoints();
  SweepSummary summary;
  SweepProgress progress;
  progress.total = points.size();
  auto start = std::chrono::steady_clock::now();
  for (const SweepPoint &point : points) {
    if (interrupted()) {
      summary.interrupted = true;
      break;
    }
    if (done.count(point.index)) {
      ++summary.skipped;
      ++progress.skipped;
      ++progress.done;
      continue;
    }
    PointResult result = evaluatePoint(spec, point, options);
    if (interrupted()) {
      summary.interrupted = true;
      break; // The point in flight is not recorded: a rerun redoes it.
    }
    database.record(result);
    countRecorded(result,
                  std::chrono::duration<double>(
                      std::chrono::steady_clock::now() - start)
                      .count(),
                  summary, progress, options.onProgress);
  }
  return summary;
}

} // namespace tessel
