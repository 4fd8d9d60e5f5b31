//===- mapper/Constraints.cpp --------------------------------------===//
#include "mapper/Constraints.h"

#include "support/YamlReader.h"

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

class Reader : public YamlReader<ConstraintError> {
public:
  using YamlReader::YamlReader;

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
  YAML::Node root = loadYaml<ConstraintError>(text, fileName);
  try {
    return Reader(fileName).document(root);
  } catch (const YAML::Exception &error) {
    throw ConstraintError(locatedMessage(fileName, error.mark, error.msg));
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
