//===- support/YamlReader.h - Located errors for YAML inputs -----*- C++
//-*-===//
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

#include "support/Text.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
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

/// Throws Error for `message` at `mark` in `file` (no position when the
/// mark is null). Every error of the readers below goes through here; a
/// layer whose error type is not built from the formatted text (ArchError)
/// specialises it.
template <typename Error>
[[noreturn]] void throwLocated(const std::string &file, const YAML::Mark &mark,
                               const std::string &message) {
  throw Error(locatedMessage(file, mark, message));
}

/// A mark at 0-based `line` and `column`.
inline YAML::Mark markAt(int line, int column) {
  YAML::Mark mark = YAML::Mark::null_mark();
  mark.pos = 0;
  mark.line = line;
  mark.column = column;
  return mark;
}

/// Limits on every YAML input: files larger than this are refused before
/// parsing, and so are trees deeper or (aliases expanded) larger.
constexpr size_t kMaxYamlBytes = size_t(16) << 20; // 16 MiB.
constexpr unsigned kMaxYamlDepth = 64;
constexpr size_t kMaxYamlNodes = 1000000;

/// The position of byte `offset` in `text`.
inline YAML::Mark markOf(const std::string &text, size_t offset) {
  TextPosition position = positionOf(text, offset);
  return markAt(int(position.line) - 1, int(position.column) - 1);
}

/// Rejects text no YAML input of Tessel's may hold: NUL bytes (a name with
/// one would print cut short), or more than kMaxYamlBytes.
template <typename Error>
void checkYamlText(const std::string &text, const std::string &file) {
  if (text.size() > kMaxYamlBytes)
    throwLocated<Error>(file, YAML::Mark::null_mark(),
                        "the text is " + std::to_string(text.size()) +
                            " bytes; YAML inputs are limited to " +
                            std::to_string(kMaxYamlBytes >> 20) + " MiB");
  size_t nul = text.find('\0');
  if (nul != std::string::npos)
    throwLocated<Error>(file, markOf(text, nul),
                        "NUL byte in the text; YAML inputs are plain text");
}

namespace detail {

/// Duplicate keys (yaml-cpp keeps the first silently), depth and size.
template <typename Error>
void checkYamlTree(const YAML::Node &node, const std::string &file,
                   unsigned depth, size_t &nodes) {
  if (++nodes > kMaxYamlNodes)
    throwLocated<Error>(file, node.Mark(),
                        "more than " + std::to_string(kMaxYamlNodes) +
                            " YAML nodes (aliases expanded); no "
                            "Tessel input needs that many");
  if (depth > kMaxYamlDepth)
    throwLocated<Error>(file, node.Mark(),
                        "nested deeper than " + std::to_string(kMaxYamlDepth) +
                            " levels");
  if (node.IsSequence()) {
    for (const YAML::Node &item : node)
      checkYamlTree<Error>(item, file, depth + 1, nodes);
    return;
  }
  if (!node.IsMap())
    return;
  std::map<std::string, YAML::Mark> seen;
  for (const auto &entry : node) {
    if (entry.first.IsScalar()) {
      const std::string &key = entry.first.Scalar();
      auto [where, inserted] = seen.emplace(key, entry.first.Mark());
      if (!inserted)
        throwLocated<Error>(file, entry.first.Mark(),
                            "duplicate key '" + key + "' (first at line " +
                                std::to_string(where->second.line + 1) +
                                "); give each key once");
    }
    checkYamlTree<Error>(entry.first, file, depth + 1, nodes);
    checkYamlTree<Error>(entry.second, file, depth + 1, nodes);
  }
}

} // namespace detail

namespace detail {

/// Records where documents start and ignores everything else.
struct DocumentStarts : YAML::EventHandler {
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark &mark) override {
    marks.push_back(mark);
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t,
                const std::string &) override {}
  void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// Where a second document starts, if the text has one. Parses at most two
/// documents: yaml-cpp's LoadAll never returns on some malformed text (a
/// ',' after a flow collection reports new empty documents forever).
template <typename Error>
std::optional<YAML::Mark> secondDocument(const std::string &text,
                                         const std::string &file) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts starts;
  try {
    if (parser.HandleNextDocument(starts) &&
        parser.HandleNextDocument(starts) && starts.marks.size() > 1)
      return starts.marks[1];
  } catch (const YAML::Exception &error) {
    throwLocated<Error>(file, error.mark, "malformed YAML: " + error.msg);
  }
  return std::nullopt;
}

} // namespace detail

/// Parses YAML text into one document. A syntax error, a second document
/// ('---') or text after the document, a duplicate key, NUL bytes, or a
/// tree over the limits above throws Error at its position.
template <typename Error>
YAML::Node loadYaml(const std::string &text, const std::string &file) {
  checkYamlText<Error>(text, file);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception &error) {
    throwLocated<Error>(file, error.mark, "malformed YAML: " + error.msg);
  }
  if (std::optional<YAML::Mark> second =
          detail::secondDocument<Error>(text, file)) {
    bool marked = text.compare(size_t(std::max(0, second->pos)), 3, "---") == 0;
    throwLocated<Error>(
        file, *second,
        marked ? "a second YAML document ('---'); this file must hold one "
                 "(put several entries in one list instead)"
               : "unexpected text after the end of the YAML document");
  }
  size_t nodes = 0;
  detail::checkYamlTree<Error>(root, file, 0, nodes);
  return root;
}

/// The text of a YAML input file, or Error naming the path and what is
/// wrong with it (missing, a directory, unreadable, too large). `what` names
/// the file for messages ("the Arch file").
template <typename Error>
std::string readYamlFile(const std::string &path, const std::string &what) {
  std::error_code code;
  std::filesystem::file_status status = std::filesystem::status(path, code);
  if (code || !std::filesystem::exists(status))
    throwLocated<Error>(path, YAML::Mark::null_mark(),
                        "cannot read " + what + ": no such file");
  if (std::filesystem::is_directory(status))
    throwLocated<Error>(path, YAML::Mark::null_mark(),
                        "cannot read " + what +
                            ": it is a directory; give a YAML file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throwLocated<Error>(path, YAML::Mark::null_mark(),
                        "cannot read " + what + ": " + std::strerror(errno));
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, size_t(in.gcount()));
    if (text.size() > kMaxYamlBytes)
      throwLocated<Error>(path, YAML::Mark::null_mark(),
                          what + " is larger than " +
                              std::to_string(kMaxYamlBytes >> 20) +
                              " MiB, the limit for YAML inputs");
  }
  if (in.bad())
    throwLocated<Error>(path, YAML::Mark::null_mark(),
                        "cannot read " + what + ": " + std::strerror(errno));
  return text;
}

template <typename Error> class YamlReader {
public:
  explicit YamlReader(std::string file) : file(std::move(file)) {}

  [[noreturn]] void fail(const YAML::Node &node,
                         const std::string &message) const {
    throwLocated<Error>(file, node.Mark(), message);
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

  /// A whole number >= 0: negative text is an error, never a wrap.
  uint64_t whole(const YAML::Node &node, const std::string &field,
                 const std::string &unit) const {
    std::string text = node.IsScalar() ? node.as<std::string>() : "";
    if (!text.empty() && text[0] == '-')
      fail(node, "'" + field + "' must be a whole number >= 0 (" + unit +
                     "), got " + text);
    return get<uint64_t>(node, field);
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

  std::vector<std::string>
  strings(const YAML::Node &list, const std::string &field,
          const std::string &example = "[a, b]") const {
    if (!list.IsSequence())
      fail(list,
           "'" + field + "' must be a list, e.g. " + field + ": " + example);
    std::vector<std::string> items;
    for (const YAML::Node &item : list) {
      if (!item.IsScalar())
        fail(item, "each item of '" + field + "' must be a plain string");
      items.push_back(item.as<std::string>());
    }
    return items;
  }

  /// A list of names (tensors, dimensions, roles): each item a non-empty
  /// run of letters, digits and `_ . - $`, so that it prints back as it
  /// reads (a YAML tag such as `!O` reads as an empty string).
  std::vector<std::string> names(const YAML::Node &list,
                                 const std::string &field,
                                 const std::string &example = "[a, b]") const {
    std::vector<std::string> items = strings(list, field, example);
    for (size_t i = 0; i < items.size(); ++i) {
      bool ok = !items[i].empty();
      for (char c : items[i])
        ok &= std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
              c == '.' || c == '-' || c == '$';
      if (!ok)
        fail(list[i], "each item of '" + field +
                          "' must be a name (letters, digits, _ . - $), got '" +
                          items[i] + "'");
    }
    return items;
  }

  /// The loops listed under `field` of a level node ("temporal" or
  /// "spatial"), each parsed by `parse`.
  template <typename LoopT>
  std::vector<LoopT> loops(
      const YAML::Node &levelNode, const std::string &level,
      const std::string &field,
      std::optional<std::string> (*parse)(const std::string &, LoopT &)) const {
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
