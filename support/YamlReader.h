//===- support/YamlReader.h - Located errors for YAML inputs -----*- C++ -*-===//
//
// What every YAML reader of mappings, constraints and suites needs: errors
// that name the file, line and column (`m.yaml:5:25: error: ...`), unknown
// fields listed against the known ones, lists of strings, loop lists. Error
// is the exception type to throw, built from the formatted message.
// Include only from .cpp files (it pulls in yaml-cpp).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_YAMLREADER_H
#define TESSEL_SUPPORT_YAMLREADER_H

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tessel {

/// "file:line:col: error: message" (no position when `mark` is null).
inline std::string locatedMessage(const std::string &file,
                                  const YAML::Mark &mark,
                                  const std::string &message) {
  std::string where = file;
  if (!mark.is_null())
    where += ":" + std::to_string(mark.line + 1) + ":" +
             std::to_string(mark.column + 1);
  return where + ": error: " + message;
}

/// Parses YAML text; a syntax error throws Error at its position.
template <typename Error>
YAML::Node loadYaml(const std::string &text, const std::string &file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException &error) {
    throw Error(locatedMessage(file, error.mark, "malformed YAML: " + error.msg));
  }
}

template <typename Error> class YamlReader {
public:
  explicit YamlReader(std::string file) : file(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node &node,
                         const std::string &message) const {
    throw Error(locatedMessage(file, node.Mark(), message));
  }

  /// Fails on a field not in `allowed`, listing the allowed ones.
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

  /// The node as T, or a located error naming the field.
  template <typename T>
  T get(const YAML::Node &node, const std::string &field) const {
    try {
      return node.as<T>();
    } catch (const YAML::Exception &) {
      fail(node, "field '" + field + "' has the wrong type");
    }
  }

  std::vector<std::string> strings(const YAML::Node &list,
                                   const std::string &field,
                                   const std::string &example = "[a, b]") const {
    if (!list.IsSequence())
      fail(list, "'" + field + "' must be a list, e.g. " + field + ": " +
                     example);
    std::vector<std::string> items;
    for (const YAML::Node &item : list) {
      if (!item.IsScalar())
        fail(item, "each item of '" + field + "' must be a plain string");
      items.push_back(item.as<std::string>());
    }
    return items;
  }

  /// The loops listed under `field` of a level node ("temporal" or
  /// "spatial"), each parsed by `parse`.
  template <typename LoopT>
  std::vector<LoopT>
  loops(const YAML::Node &levelNode, const std::string &level,
        const std::string &field,
        std::optional<std::string> (*parse)(const std::string &, LoopT &))
      const {
    std::vector<LoopT> result;
    if (!levelNode[field])
      return result;
    const YAML::Node &list = levelNode[field];
    std::vector<std::string> items = strings(list, field, "[k=4, m=2]");
    for (size_t i = 0; i < items.size(); ++i) {
      LoopT loop;
      if (auto error = parse(items[i], loop))
        fail(list[i], "level '" + level + "' " + field + ": " + *error);
      result.push_back(loop);
    }
    return result;
  }

protected:
  std::string file;
};

} // namespace tessel

#endif
