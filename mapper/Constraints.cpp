//===- mapper/Constraints.cpp --------------------------------------===//
#include "mapper/Constraints.h"

#include "support/YamlReader.h"

#include <algorithm>
#include <map>
#include <set>

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

  Factorization factorization(const YAML::Node &node) const {
    std::string name = node.IsScalar() ? node.as<std::string>() : "";
    if (name == "residual")
      return Factorization::Residual;
    if (name == "exact")
      return Factorization::Exact;
    fail(node, "unknown factorization '" + name +
                   "'; expected exact (factors multiply to the bound) or "
                   "residual (they may exceed it, the last iterations "
                   "clipped); padded factors come from 'padding: F'");
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

  LevelConstraint level(const YAML::Node &node) const {
    expectKeys(node,
               {"level", "temporal", "spatial", "order", "outermost",
                "innermost", "keep", "noSpatial", "spatialX", "spatialY",
                "minUtilization"},
               "a level constraint");
    LevelConstraint constraint;
    constraint.origin = file + ":" + std::to_string(node.Mark().line + 1) +
                        ":" + std::to_string(node.Mark().column + 1);
    if (!node["level"])
      fail(node, "a level constraint needs 'level: NAME' (an Arch level)");
    constraint.level = get<std::string>(node["level"], "level");
    factorsOf(node, "temporal", constraint);
    factorsOf(node, "spatial", constraint);
    if (node["order"])
      constraint.order = uniqueStrings(node["order"], "order");
    if (node["outermost"])
      constraint.outermost = uniqueStrings(node["outermost"], "outermost");
    if (node["innermost"])
      constraint.innermost = uniqueStrings(node["innermost"], "innermost");
    if (node["spatialX"])
      constraint.spatialX = uniqueStrings(node["spatialX"], "spatialX");
    if (node["spatialY"])
      constraint.spatialY = uniqueStrings(node["spatialY"], "spatialY");
    if (node["minUtilization"])
      constraint.minUtilization =
          fraction(node["minUtilization"], "minUtilization", 1.0);
    if (node["keep"])
      constraint.keep = uniqueStrings(node["keep"], "keep");
    if (node["noSpatial"])
      constraint.noSpatial = uniqueStrings(node["noSpatial"], "noSpatial");
    checkConsistent(node, constraint);
    return constraint;
  }

  /// The items of 'temporal' or 'spatial': fixed factors (`k=4`, `k=4@X`)
  /// and bounds (`k<=8`, `k>=2@Y`).
  void factorsOf(const YAML::Node &node, const std::string &field,
                 LevelConstraint &constraint) const {
    if (!node[field])
      return;
    const YAML::Node &list = node[field];
    bool spatial = field == "spatial";
    std::vector<std::string> items =
        strings(list, field, spatial ? "[k=4@X, m<=8@Y]" : "[k=4, m<=8]");
    for (size_t i = 0; i < items.size(); ++i) {
      std::string text = items[i];
      size_t at = text.find("<=");
      bool atMost = at != std::string::npos;
      if (!atMost)
        at = text.find(">=");
      if (at != std::string::npos)
        text = text.substr(0, at) + "=" + text.substr(at + 2);
      std::optional<std::string> error;
      std::string dim;
      int64_t factor = 1;
      LoopSlot slot = LoopSlot::Temporal;
      if (spatial) {
        SpatialLoopSpec loop;
        error = parseSpatialLoopText(text, loop);
        dim = loop.dim;
        factor = loop.factor;
        slot = loop.axis == SpatialAxis::X ? LoopSlot::SpatialX
                                           : LoopSlot::SpatialY;
        if (!error && at == std::string::npos)
          constraint.spatial.push_back(loop);
      } else {
        LoopSpec loop;
        error = parseLoopText(text, loop);
        dim = loop.dim;
        factor = loop.factor;
        if (!error && at == std::string::npos)
          constraint.temporal.push_back(loop);
      }
      if (error)
        fail(list[i], "level '" + constraint.level + "' " + field + ": " +
                          *error + " (or a bound: 'k<=8', 'k>=2')");
      if (at == std::string::npos)
        continue;
      FactorBound bound;
      bound.dim = dim;
      bound.slot = slot;
      (atMost ? bound.atMost : bound.atLeast) = factor;
      bound.origin = file + ":" + std::to_string(list[i].Mark().line + 1) +
                     ":" + std::to_string(list[i].Mark().column + 1);
      constraint.bounds.push_back(bound);
    }
  }

  /// A list of strings in which no item repeats.
  std::vector<std::string> uniqueStrings(const YAML::Node &list,
                                         const std::string &field) const {
    std::vector<std::string> items = names(list, field);
    for (size_t i = 0; i < items.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (items[i] == items[j])
          fail(list[i], "'" + field + "' lists '" + items[i] +
                            "' twice; list each once");
    return items;
  }

  /// Fixed factors that the level's other fields contradict: a dimension
  /// fixed twice, a fixed temporal factor on a dimension 'order' leaves out
  /// (which gets no temporal factor here), a fixed spatial factor on a
  /// dimension 'noSpatial' forbids.
  void checkConsistent(const YAML::Node &node,
                       const LevelConstraint &constraint) const {
    const std::string &level = constraint.level;
    if (constraint.order &&
        (!constraint.innermost.empty() || !constraint.outermost.empty()))
      fail(node["order"], "level '" + level +
                              "': 'order' fixes the whole order; drop "
                              "'innermost'/'outermost' or 'order'");
    for (const std::string &dim : constraint.innermost)
      if (std::find(constraint.outermost.begin(), constraint.outermost.end(),
                    dim) != constraint.outermost.end())
        fail(node["innermost"], "level '" + level + "': '" + dim +
                                    "' is in both 'innermost' and "
                                    "'outermost'; list it in one");
    for (size_t i = 0; i < constraint.temporal.size(); ++i) {
      const LoopSpec &loop = constraint.temporal[i];
      for (size_t j = 0; j < i; ++j)
        if (constraint.temporal[j].dim == loop.dim)
          fail(node["temporal"][i], "level '" + level +
                                        "': 'temporal' fixes '" + loop.dim +
                                        "' twice; give it once");
      if (constraint.order && loop.factor > 1 &&
          std::find(constraint.order->begin(), constraint.order->end(),
                    loop.dim) == constraint.order->end())
        fail(node["temporal"][i],
             "level '" + level + "': 'temporal' fixes " + loopText(loop) +
                 " but 'order' leaves '" + loop.dim +
                 "' out, and a dimension left out of 'order' gets no "
                 "temporal factor at this level; add '" +
                 loop.dim + "' to 'order' or drop the fixed factor");
    }
    for (size_t i = 0; i < constraint.spatial.size(); ++i) {
      const SpatialLoopSpec &loop = constraint.spatial[i];
      for (size_t j = 0; j < i; ++j)
        if (constraint.spatial[j].dim == loop.dim &&
            constraint.spatial[j].axis == loop.axis)
          fail(node["spatial"][i],
               "level '" + level + "': 'spatial' fixes '" + loop.dim + "' on " +
                   axisName(loop.axis) + " twice; give it once");
      if (std::find(constraint.noSpatial.begin(), constraint.noSpatial.end(),
                    loop.dim) != constraint.noSpatial.end())
        fail(node["spatial"][i], "level '" + level + "': 'spatial' fixes " +
                                     loopText(loop) +
                                     " but 'noSpatial' forbids spreading '" +
                                     loop.dim + "' here; drop one of the two");
    }
  }

  Constraints document(const YAML::Node &root) const {
    if (!root.IsMap() || !root["constraints"])
      fail(root, "expected a top-level 'constraints:' mapping");
    expectKeys(root, {"constraints"}, "the file");
    const YAML::Node &body = root["constraints"];
    expectKeys(body,
               {"padding", "factorization", "minUtilization", "dataflow",
                "nativeNetworks", "levels"},
               "'constraints'");
    Constraints constraints;
    constraints.file = file;
    if (body["padding"])
      constraints.padding = fraction(body["padding"], "padding", 1.0);
    if (body["factorization"])
      constraints.factorization = factorization(body["factorization"]);
    if (constraints.factorization == Factorization::Residual &&
        constraints.padding > 0)
      fail(body["factorization"],
           "'factorization: residual' clips the last iterations, 'padding' "
           "runs them: give one of the two");
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
      std::map<std::string, YAML::Mark> seen;
      for (const YAML::Node &level : body["levels"]) {
        constraints.levels.push_back(this->level(level));
        const std::string &name = constraints.levels.back().level;
        auto [first, inserted] = seen.emplace(name, level.Mark());
        if (!inserted)
          fail(level, "a second constraint on level '" + name +
                          "' (the first is at line " +
                          std::to_string(first->second.line + 1) +
                          "); merge them into one");
      }
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
  return parseConstraints(
      readYamlFile<ConstraintError>(path, "the constraints file"), path);
}

} // namespace tessel
