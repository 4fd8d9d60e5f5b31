//===- mapper/search/Constraints.cpp --------------------------------------===//
#include "mapper/search/Constraints.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace tessel {
namespace {

const struct {
  DataflowTemplate dataflow;
  const char *name;
} kDataflows[] = {
    {DataflowTemplate::None, "none"},
    {DataflowTemplate::WeightStationary, "weight-stationary"},
    {DataflowTemplate::OutputStationary, "output-stationary"},
    {DataflowTemplate::InputStationary, "input-stationary"},
    {DataflowTemplate::RowStationary, "row-stationary"},
};

class Reader {
public:
  explicit Reader(std::string file) : file(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node &node,
                         const std::string &message) const {
    YAML::Mark mark = node.Mark();
    std::string where = file;
    if (!mark.is_null())
      where += ":" + std::to_string(mark.line + 1) + ":" +
               std::to_string(mark.column + 1);
    throw ConstraintError(where + ": error: " + message);
  }

  void expectKeys(const YAML::Node &map, const std::set<std::string> &allowed,
                  const std::string &where) const {
    if (!map.IsMap())
      fail(map, where + " must be a mapping of keys to values");
    for (const auto &entry : map) {
      std::string key = entry.first.as<std::string>();
      if (allowed.count(key))
        continue;
      std::string expected;
      for (const std::string &name : allowed)
        expected += (expected.empty() ? "" : ", ") + name;
      fail(entry.first, where + ": unknown field '" + key +
                            "'; expected one of: " + expected);
    }
  }

  std::vector<std::string> strings(const YAML::Node &list,
                                   const std::string &field) const {
    if (!list.IsSequence())
      fail(list, "'" + field + "' must be a list, e.g. " + field + ": [a, b]");
    std::vector<std::string> items;
    for (const YAML::Node &item : list) {
      if (!item.IsScalar())
        fail(item, "each item of '" + field + "' must be a plain string");
      items.push_back(item.as<std::string>());
    }
    return items;
  }

  double fraction(const YAML::Node &node, const std::string &field,
                  double high) const {
    double value = 0;
    try {
      value = node.as<double>();
    } catch (const YAML::Exception &) {
      fail(node, "'" + field + "' must be a number");
    }
    if (value < 0 || value > high)
      fail(node, "'" + field + "' must be between 0 and " +
                     std::to_string(high).substr(0, 3) + ", got " +
                     node.as<std::string>());
    return value;
  }

  template <typename LoopT>
  std::vector<LoopT> loops(
      const YAML::Node &node, const std::string &level,
      const std::string &field,
      std::optional<std::string> (*parse)(const std::string &, LoopT &)) const {
    std::vector<LoopT> result;
    if (!node[field])
      return result;
    const YAML::Node &list = node[field];
    std::vector<std::string> items = strings(list, field);
    for (size_t i = 0; i < items.size(); ++i) {
      LoopT loop;
      if (auto error = parse(items[i], loop))
        fail(list[i], "level '" + level + "' " + field + ": " + *error);
      result.push_back(loop);
    }
    return result;
  }

  LevelConstraint level(const YAML::Node &node) const {
    expectKeys(node,
               {"level", "temporal", "spatial", "order", "keep", "noSpatial"},
               "a level constraint");
    LevelConstraint constraint;
    if (!node["level"])
      fail(node, "a level constraint needs 'level: NAME' (an Arch level)");
    constraint.level = node["level"].as<std::string>();
    constraint.temporal =
        loops<LoopSpec>(node, constraint.level, "temporal", parseLoopText);
    constraint.spatial = loops<SpatialLoopSpec>(
        node, constraint.level, "spatial", parseSpatialLoopText);
    if (node["order"])
      constraint.order = strings(node["order"], "order");
    if (node["keep"])
      constraint.keep = strings(node["keep"], "keep");
    if (node["noSpatial"])
      constraint.noSpatial = strings(node["noSpatial"], "noSpatial");
    return constraint;
  }

  Constraints document(const YAML::Node &root) const {
    if (!root.IsMap() || !root["constraints"])
      fail(root, "expected a top-level 'constraints:' mapping");
    expectKeys(root, {"constraints"}, "the file");
    const YAML::Node &body = root["constraints"];
    expectKeys(
        body,
        {"padding", "minUtilization", "dataflow", "nativeNetworks", "levels"},
        "'constraints'");
    Constraints constraints;
    if (body["padding"])
      constraints.padding = fraction(body["padding"], "padding", 1.0);
    if (body["minUtilization"])
      constraints.minUtilization =
          fraction(body["minUtilization"], "minUtilization", 1.0);
    if (body["dataflow"]) {
      std::string name = body["dataflow"].as<std::string>();
      auto dataflow = dataflowNamed(name);
      if (!dataflow) {
        std::string known;
        for (const auto &entry : kDataflows)
          known += (known.empty() ? "" : ", ") + std::string(entry.name);
        fail(body["dataflow"],
             "unknown dataflow '" + name + "'; expected one of: " + known);
      }
      constraints.dataflow = *dataflow;
    }
    if (body["nativeNetworks"]) {
      try {
        constraints.nativeNetworks = body["nativeNetworks"].as<bool>();
      } catch (const YAML::Exception &) {
        fail(body["nativeNetworks"], "'nativeNetworks' must be true or false");
      }
    }
    if (body["levels"]) {
      if (!body["levels"].IsSequence())
        fail(body["levels"], "'levels' must be a list of level constraints");
      for (const YAML::Node &level : body["levels"])
        constraints.levels.push_back(this->level(level));
    }
    return constraints;
  }

private:
  std::string file;
};

} // namespace

std::optional<DataflowTemplate> dataflowNamed(const std::string &name) {
  for (const auto &entry : kDataflows)
    if (name == entry.name)
      return entry.dataflow;
  return std::nullopt;
}

const char *dataflowName(DataflowTemplate dataflow) {
  for (const auto &entry : kDataflows)
    if (dataflow == entry.dataflow)
      return entry.name;
  return "none";
}

Constraints parseConstraints(const std::string &text,
                             const std::string &fileName) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException &error) {
    throw ConstraintError(fileName + ":" + std::to_string(error.mark.line + 1) +
                          ":" + std::to_string(error.mark.column + 1) +
                          ": error: malformed YAML: " + error.msg);
  }
  try {
    return Reader(fileName).document(root);
  } catch (const YAML::Exception &error) {
    throw ConstraintError(fileName + ":" + std::to_string(error.mark.line + 1) +
                          ":" + std::to_string(error.mark.column + 1) +
                          ": error: " + error.msg);
  }
}

Constraints loadConstraints(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    throw ConstraintError(path + ": error: cannot read the constraints file");
  std::stringstream text;
  text << in.rdbuf();
  return parseConstraints(text.str(), path);
}

} // namespace tessel
