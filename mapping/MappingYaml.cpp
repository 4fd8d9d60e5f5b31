//===- mapping/MappingYaml.cpp
//---------------------------------------------===//
#include "mapping/MappingYaml.h"

#include "support/YamlReader.h"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace tessel {
namespace {

class Reader : public YamlReader<MappingYamlError> {
public:
  using YamlReader::YamlReader;

  /// A name that fits on one line: non-empty, no control characters.
  std::string line(const YAML::Node &node, const std::string &field) const {
    if (!node.IsScalar())
      fail(node, "'" + field + "' must be a plain string");
    std::string text = node.Scalar();
    bool ok = !text.empty();
    for (char c : text)
      ok &= static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
    if (!ok)
      fail(node, "'" + field +
                     "' must be a non-empty name on one line (no line breaks "
                     "or control characters)");
    return text;
  }

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
    spec.level = line(node["level"], "level");
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
    expectKeys(node, {"op", "factorization", "levels"}, "a mapping");
    NamedMapping named;
    named.mapping.origin = origin(node);
    if (node["op"])
      named.op = line(node["op"], "op");
    if (node["factorization"]) {
      std::string name = line(node["factorization"], "factorization");
      std::optional<Factorization> found = factorizationNamed(name);
      if (!found)
        fail(node["factorization"],
             "unknown factorization '" + name +
                 "'; expected exact, residual (the last iteration of each "
                 "loop clipped to the bound) or padded (padded iterations "
                 "executed)");
      named.mapping.factorization = *found;
    }
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

/// `text` as a YAML scalar that reads back as itself: plain when it is
/// made of name characters, else double-quoted ("DR #AM" would otherwise
/// read back as "DR", the rest a comment).
std::string scalar(const std::string &text) {
  auto nameChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
           c == '.' || c == '$';
  };
  bool plain = !text.empty() && nameChar(text.front());
  for (char c : text)
    plain &= nameChar(c) || c == '-' || c == '/' || c == '=' || c == '@';
  if (plain)
    return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string flowList(const std::vector<std::string> &items) {
  std::string text = "[";
  for (size_t i = 0; i < items.size(); ++i)
    text += (i ? ", " : "") + scalar(items[i]);
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
      text += "  - op: " + scalar(named.op) + "\n";
      indent = "    ";
    }
    if (named.mapping.factorization != Factorization::Exact) {
      text += indent + "factorization: " +
              factorizationName(named.mapping.factorization) + "\n";
      indent = "    ";
    }
    text += indent + "levels:\n";
    for (const LevelSpec &level : named.mapping.levels) {
      text += "      - level: " + scalar(level.level) + "\n";
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
