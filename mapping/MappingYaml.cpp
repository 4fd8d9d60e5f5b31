//===- mapping/MappingYaml.cpp ---------------------------------------------===//
#include "mapping/MappingYaml.h"

#include "support/YamlReader.h"

#include <fstream>
#include <set>
#include <sstream>

namespace tessel {
namespace {

class Reader : public YamlReader<MappingYamlError> {
public:
  using YamlReader::YamlReader;

  /// "file:line:col" of `node`, for errors found after reading.
  std::string origin(const YAML::Node &node) const {
    YAML::Mark mark = node.Mark();
    return file + ":" + std::to_string(mark.line + 1) + ":" +
           std::to_string(mark.column + 1);
  }

  LevelSpec level(const YAML::Node &node) const {
    expectKeys(node, {"level", "temporal", "spatial", "keep"}, "a level");
    LevelSpec spec;
    spec.origin = origin(node);
    if (!node["level"])
      fail(node, "a level needs 'level: NAME' (an Arch level name)");
    spec.level = node["level"].as<std::string>();
    if (!node["keep"])
      fail(node, "level '" + spec.level +
                     "' needs 'keep: [...]' listing the tensors it stores "
                     "([] bypasses all)");
    spec.keep = names(node["keep"], "keep", "[A, B]");
    spec.temporal =
        loops<LoopSpec>(node, spec.level, "temporal", parseLoopText);
    spec.spatial = loops<SpatialLoopSpec>(node, spec.level, "spatial",
                                          parseSpatialLoopText);
    return spec;
  }

  NamedMapping mapping(const YAML::Node &node) const {
    expectKeys(node, {"op", "levels"}, "a mapping");
    NamedMapping named;
    named.mapping.origin = origin(node);
    if (node["op"])
      named.op = get<std::string>(node["op"], "op");
    const YAML::Node &levels = node["levels"];
    if (!levels || !levels.IsSequence() || levels.size() == 0)
      fail(node, "a mapping needs 'levels:', a list with one entry per Arch "
                 "level, outer to inner");
    for (const YAML::Node &level : levels)
      named.mapping.levels.push_back(this->level(level));
    return named;
  }

  std::vector<NamedMapping> document(const YAML::Node &root) const {
    if (!root.IsMap())
      fail(root, "expected a top-level 'mappings:' list");
    expectKeys(root, {"mappings"}, "the file");
    const YAML::Node &list = root["mappings"];
    if (!list || !list.IsSequence())
      fail(root, "expected a top-level 'mappings:' list");
    std::vector<NamedMapping> result;
    std::map<std::string, YAML::Mark> seen;
    for (const YAML::Node &item : list) {
      result.push_back(mapping(item));
      const std::string &op = result.back().op;
      auto [first, inserted] = seen.emplace(op, item.Mark());
      if (!inserted)
        fail(item, (op.empty() ? std::string("a second mapping without 'op'")
                               : "a second mapping for op '" + op + "'") +
                       " (the first is at line " +
                       std::to_string(first->second.line + 1) +
                       "); give each op one mapping");
    }
    if (result.size() > 1 && seen.count(""))
      fail(list, "a mapping without 'op' applies to every op, so it must be "
                 "the only one; name the op of each");
    return result;
  }
};

std::string flowList(const std::vector<std::string> &items) {
  std::string text = "[";
  for (size_t i = 0; i < items.size(); ++i)
    text += (i ? ", " : "") + items[i];
  return text + "]";
}

} // namespace

std::vector<NamedMapping> parseMappingYaml(const std::string &text,
                                           const std::string &fileName) {
  YAML::Node root = loadYaml<MappingYamlError>(text, fileName);
  try {
    return Reader(fileName).document(root);
  } catch (const YAML::Exception &error) {
    throw MappingYamlError(locatedMessage(fileName, error.mark, error.msg));
  }
}

std::vector<NamedMapping> loadMappingYaml(const std::string &path) {
  return parseMappingYaml(
      readYamlFile<MappingYamlError>(path, "the mapping file"), path);
}

std::string mappingsToYaml(const std::vector<NamedMapping> &mappings) {
  std::string text = "mappings:\n";
  for (const NamedMapping &named : mappings) {
    std::string indent = "  - ";
    if (!named.op.empty()) {
      text += "  - op: " + named.op + "\n";
      indent = "    ";
    }
    text += indent + "levels:\n";
    for (const LevelSpec &level : named.mapping.levels) {
      text += "      - level: " + level.level + "\n";
      if (!level.temporal.empty()) {
        std::vector<std::string> loops;
        for (const LoopSpec &loop : level.temporal)
          loops.push_back(loopText(loop));
        text += "        temporal: " + flowList(loops) + "\n";
      }
      if (!level.spatial.empty()) {
        std::vector<std::string> loops;
        for (const SpatialLoopSpec &loop : level.spatial)
          loops.push_back(loopText(loop));
        text += "        spatial: " + flowList(loops) + "\n";
      }
      text += "        keep: " + flowList(level.keep) + "\n";
    }
  }
  return text;
}

} // namespace tessel
