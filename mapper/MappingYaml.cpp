//===- mapper/MappingYaml.cpp ---------------------------------------------===//
#include "mapper/MappingYaml.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

namespace tessel {
namespace {

class Reader {
public:
  explicit Reader(std::string file) : file(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node &node,
                         const std::string &message) const {
    YAML::Mark mark = node.Mark();
    throw MappingYamlError(file, mark.is_null() ? 0 : mark.line + 1,
                           mark.is_null() ? 0 : mark.column + 1, message);
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
      fail(list, "'" + field + "' must be a list, e.g. " + field +
                     (field == "keep" ? ": [A, B]" : ": [k=4, m=2]"));
    std::vector<std::string> items;
    for (const YAML::Node &item : list) {
      if (!item.IsScalar())
        fail(item, "each item of '" + field + "' must be a plain string");
      items.push_back(item.as<std::string>());
    }
    return items;
  }

  /// The loops of `field` ("temporal" or "spatial"), each parsed by `parse`.
  template <typename LoopT>
  std::vector<LoopT> loops(
      const YAML::Node &levelNode, const std::string &level,
      const std::string &field,
      std::optional<std::string> (*parse)(const std::string &, LoopT &)) const {
    std::vector<LoopT> result;
    if (!levelNode[field])
      return result;
    const YAML::Node &list = levelNode[field];
    std::vector<std::string> items = strings(list, field);
    for (size_t i = 0; i < items.size(); ++i) {
      LoopT loop;
      if (auto error = parse(items[i], loop))
        fail(list[i], "level '" + level + "' " + field + ": " + *error);
      result.push_back(loop);
    }
    return result;
  }

  LevelSpec level(const YAML::Node &node) const {
    expectKeys(node, {"level", "temporal", "spatial", "keep"}, "a level");
    LevelSpec spec;
    if (!node["level"])
      fail(node, "a level needs 'level: NAME' (an Arch level name)");
    spec.level = node["level"].as<std::string>();
    if (!node["keep"])
      fail(node, "level '" + spec.level +
                     "' needs 'keep: [...]' listing the tensors it stores "
                     "([] bypasses all)");
    spec.keep = strings(node["keep"], "keep");
    spec.temporal =
        loops<LoopSpec>(node, spec.level, "temporal", parseLoopText);
    spec.spatial = loops<SpatialLoopSpec>(node, spec.level, "spatial",
                                          parseSpatialLoopText);
    return spec;
  }

  NamedMapping mapping(const YAML::Node &node) const {
    expectKeys(node, {"op", "levels"}, "a mapping");
    NamedMapping named;
    if (node["op"])
      named.op = node["op"].as<std::string>();
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
    for (const YAML::Node &item : list)
      result.push_back(mapping(item));
    return result;
  }

private:
  std::string file;
};

std::string flowList(const std::vector<std::string> &items) {
  std::string text = "[";
  for (size_t i = 0; i < items.size(); ++i)
    text += (i ? ", " : "") + items[i];
  return text + "]";
}

} // namespace

MappingYamlError::MappingYamlError(const std::string &file, unsigned line,
                                   unsigned column, const std::string &message)
    : std::runtime_error(
          file +
          (line ? ":" + std::to_string(line) + ":" + std::to_string(column)
                : std::string()) +
          ": error: " + message) {}

std::vector<NamedMapping> parseMappingYaml(const std::string &text,
                                           const std::string &fileName) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException &error) {
    throw MappingYamlError(fileName, error.mark.line + 1, error.mark.column + 1,
                           "malformed YAML: " + error.msg);
  }
  try {
    return Reader(fileName).document(root);
  } catch (const YAML::Exception &error) {
    throw MappingYamlError(fileName, error.mark.line + 1, error.mark.column + 1,
                           error.msg);
  }
}

std::vector<NamedMapping> loadMappingYaml(const std::string &path) {
  std::ifstream in(path);
  if (!in)
    throw MappingYamlError(path, 0, 0, "cannot read the mapping file");
  std::stringstream text;
  text << in.rdbuf();
  return parseMappingYaml(text.str(), path);
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
