//===- interop/Timeloop.cpp - Reading Timeloop's inputs -------------------===//
#include "interop/Timeloop.h"

#include "arch/ArchLoader.h"
#include "mapper/Constraints.h"
#include "mapper/Mapper.h"
#include "model/NestAnalysis.h"
#include "support/YamlReader.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

namespace tessel {
namespace {

using Reader = YamlReader<TimeloopError>;

/// One YAML input and what its top-level keys say it is.
struct Input {
  std::string file;
  YAML::Node root;
};

/// A buffer or compute component of the architecture tree.
struct Component {
  std::string name;
  std::string className;
  YAML::Node attributes;
  uint64_t instances = 1;
  uint64_t meshX = 1;
  YAML::Mark mark;
};

/// "PE[0..167]" -> ("PE", 168); "DRAM" -> ("DRAM", 1).
std::pair<std::string, uint64_t> splitRange(const Reader &reader,
                                            const YAML::Node &node,
                                            const std::string &text) {
  size_t open = text.find('[');
  if (open == std::string::npos)
    return {text, 1};
  size_t dots = text.find("..", open);
  size_t close = text.find(']', open);
  if (dots == std::string::npos || close == std::string::npos || dots > close)
    reader.fail(node, "name '" + text +
                          "' has a malformed range; write NAME[0..N-1], e.g. "
                          "PE[0..167]");
  try {
    uint64_t low = std::stoull(text.substr(open + 1, dots - open - 1));
    uint64_t high = std::stoull(text.substr(dots + 2, close - dots - 2));
    if (high < low)
      throw std::invalid_argument("reversed");
    return {text.substr(0, open), high - low + 1};
  } catch (const std::exception &) {
    reader.fail(node, "name '" + text +
                          "' has a malformed range; write NAME[0..N-1], e.g. "
                          "PE[0..167]");
  }
}

std::optional<double> number(const YAML::Node &attributes,
                             std::initializer_list<const char *> keys) {
  for (const char *key : keys)
    if (attributes && attributes[key] && attributes[key].IsScalar()) {
      try {
        return attributes[key].as<double>();
      } catch (const YAML::Exception &) {
      }
    }
  return std::nullopt;
}

bool isCompute(const std::string &className) {
  std::string lower = className;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower.find("mac") != std::string::npos ||
         lower.find("multiplier") != std::string::npos ||
         lower.find("compute") != std::string::npos;
}

/// Walks the v0.3 tree (`subtree`/`local`) or the v0.4 list of
/// `!Container`/`!Component` nodes, outer to inner.
void collectV3(const Reader &reader, const YAML::Node &tree, uint64_t instances,
               std::vector<Component> &components) {
  if (!tree.IsSequence())
    reader.fail(tree, "'subtree' must be a list of nodes, each with a name "
                      "and 'local' components or a nested 'subtree'");
  for (const YAML::Node &node : tree) {
    if (!node.IsMap() || !node["name"])
      reader.fail(node, "each subtree node needs a 'name'");
    auto [name, count] =
        splitRange(reader, node["name"], node["name"].as<std::string>());
    uint64_t inside = instances * count;
    if (node["local"]) {
      if (!node["local"].IsSequence())
        reader.fail(node["local"], "'local' must be a list of components, "
                                   "each with a name and a class");
      for (const YAML::Node &local : node["local"]) {
        if (!local.IsMap() || !local["name"] || !local["class"])
          reader.fail(local, "each component needs a 'name' and a 'class', "
                             "e.g. {name: GLB, class: SRAM, attributes: "
                             "{depth: 1024, width: 64}}");
        auto [localName, localCount] =
            splitRange(reader, local["name"], local["name"].as<std::string>());
        Component c{localName,
                    local["class"].as<std::string>(),
                    local["attributes"],
                    inside * localCount,
                    1,
                    local.Mark()};
        // A component's range counts all its instances when it is at least
        // the node's; else it multiplies.
        if (localCount > 1 && localCount % inside == 0)
          c.instances = localCount;
        components.push_back(c);
      }
    }
    if (node["subtree"])
      collectV3(reader, node["subtree"], inside, components);
  }
}

/// v0.4's list: a !Container's `spatial` (meshX, meshY) multiplies the
/// instances of everything after it in the list (and in its own `nodes`);
/// meshX accumulates the same way, so that fan-outs split into X and Y.
void collectV4(const Reader &reader, const YAML::Node &nodes,
               uint64_t instances, uint64_t meshX,
               std::vector<Component> &components) {
  if (!nodes.IsSequence())
    reader.fail(nodes, "'nodes' must be a list of !Container and "
                       "!Component entries");
  for (const YAML::Node &node : nodes) {
    std::string tag = node.Tag();
    if (!node.IsMap() || !node["name"])
      reader.fail(node, "each node needs a 'name'");
    uint64_t spatial = 1, spatialX = 1;
    if (node["spatial"]) {
      spatialX = uint64_t(number(node["spatial"], {"meshX"}).value_or(1));
      spatial =
          spatialX * uint64_t(number(node["spatial"], {"meshY"}).value_or(1));
    }
    if (tag == "!Container" || tag == "!Hierarchical") {
      instances *= spatial;
      meshX *= spatialX;
      if (node["nodes"])
        collectV4(reader, node["nodes"], instances, meshX, components);
      continue;
    }
    if (tag != "!Component")
      reader.fail(node, "node '" + node["name"].as<std::string>() +
                            "' has tag '" + tag +
                            "'; expected !Container or !Component");
    if (!node["class"])
      reader.fail(node, "component '" + node["name"].as<std::string>() +
                            "' needs a 'class'");
    Component c{node["name"].as<std::string>(),
                node["class"].as<std::string>(),
                node["attributes"],
                instances * spatial,
                meshX * spatialX,
                node.Mark()};
    components.push_back(c);
  }
}

Input load(const std::string &file) {
  std::string text = readYamlFile<TimeloopError>(file, "the Timeloop file");
  return {file, loadYaml<TimeloopError>(text, file)};
}

/// Every input file: folders expanded to their YAML files, sorted.
std::vector<std::string> expand(const std::vector<std::string> &paths) {
  std::vector<std::string> files;
  for (const std::string &path : paths) {
    std::error_code code;
    if (!std::filesystem::is_directory(path, code)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> inside;
    for (const auto &entry :
         std::filesystem::recursive_directory_iterator(path, code))
      if (entry.is_regular_file() && (entry.path().extension() == ".yaml" ||
                                      entry.path().extension() == ".yml"))
        inside.push_back(entry.path().string());
    std::sort(inside.begin(), inside.end());
    files.insert(files.end(), inside.begin(), inside.end());
  }
  return files;
}

Problem readProblem(const Input &input) {
  Reader reader(input.file);
  YAML::Node problem = input.root["problem"];
  YAML::Node shape = problem["shape"];
  YAML::Node instance = problem["instance"];
  if (!shape || !instance)
    reader.fail(problem, "the problem needs a 'shape' (dimensions, "
                         "data-spaces) and an 'instance' (bounds)");
  Problem result;
  result.name = shape["name"] ? shape["name"].as<std::string>() : "problem";
  result.opName = "timeloop.problem";
  result.source = {input.file, unsigned(problem.Mark().line + 1), 0};
  if (!shape["dimensions"] || !shape["dimensions"].IsSequence())
    reader.fail(shape, "the shape needs 'dimensions', e.g. [C, M, R, S, N, P, "
                       "Q]");
  for (const YAML::Node &dim : shape["dimensions"]) {
    std::string name = dim.as<std::string>();
    if (!instance[name])
      reader.fail(instance, "the instance gives no bound for dimension '" +
                                name + "'; add '" + name + ": N'");
    result.dims.push_back({name, reader.get<int64_t>(instance[name], name)});
    if (result.dims.back().bound < 1)
      reader.fail(instance[name], "dimension '" + name + "' has bound " +
                                      std::to_string(result.dims.back().bound) +
                                      "; bounds are positive integers");
  }
  std::map<std::string, int64_t> coefficients;
  if (shape["coefficients"])
    for (const YAML::Node &c : shape["coefficients"])
      coefficients[c["name"].as<std::string>()] =
          c["default"] ? c["default"].as<int64_t>() : 1;
  for (auto &[name, value] : coefficients)
    if (instance[name])
      value = reader.get<int64_t>(instance[name], name);
  if (!shape["data-spaces"] || !shape["data-spaces"].IsSequence())
    reader.fail(shape, "the shape needs 'data-spaces', each with a name and "
                       "a projection");
  std::vector<Tensor> inputs, outputs;
  for (const YAML::Node &space : shape["data-spaces"]) {
    Tensor tensor;
    tensor.name = space["name"].as<std::string>();
    tensor.elementBits = 16;
    tensor.elementType = "i16";
    tensor.isOutput = space["read-write"] && space["read-write"].as<bool>();
    for (const YAML::Node &coordinate : space["projection"]) {
      Projection projection;
      // [[D]] or [[D, coef], [D2, coef2]]; a bare [D] is one term too.
      YAML::Node terms = coordinate;
      if (terms.IsSequence() && terms.size() && terms[0].IsScalar())
        terms = YAML::Node(std::vector<YAML::Node>{coordinate});
      for (const YAML::Node &term : terms) {
        if (!term.IsSequence() || term.size() < 1 || term.size() > 2)
          reader.fail(term, "a projection term is [DIM] or [DIM, "
                            "COEFFICIENT], e.g. [P, Wstride]");
        std::string dimName = term[0].as<std::string>();
        std::optional<unsigned> dim = result.dimIndex(dimName);
        if (!dim)
          reader.fail(term[0], "projection uses '" + dimName +
                                   "', which is not a dimension of the shape");
        int64_t coefficient = 1;
        if (term.size() == 2) {
          std::string c = term[1].as<std::string>();
          if (coefficients.count(c))
            coefficient = coefficients[c];
          else
            try {
              coefficient = std::stoll(c);
            } catch (const std::exception &) {
              reader.fail(term[1], "coefficient '" + c +
                                       "' is neither a number nor listed "
                                       "under 'coefficients'");
            }
        }
        projection.terms.push_back({*dim, coefficient});
      }
      tensor.projection.push_back(projection);
    }
    std::vector<int64_t> bounds;
    for (const Dimension &d : result.dims)
      bounds.push_back(d.bound);
    tensor.shape = {};
    (tensor.isOutput ? outputs : inputs).push_back(tensor);
  }
  if (outputs.size() != 1)
    reader.fail(shape["data-spaces"],
                "the problem has " + std::to_string(outputs.size()) +
                    " read-write data spaces; Tessel needs exactly one "
                    "(mark the output with 'read-write: true')");
  result.tensors = inputs;
  result.tensors.push_back(outputs[0]);
  for (Tensor &tensor : result.tensors)
    tensor.shape = result.footprintShape(
        unsigned(&tensor - result.tensors.data()), result.bounds());
  return result;
}

/// Energy per word of each component, from Accelergy's ERT: the largest
/// energy of its read (write) actions over its block size, as Timeloop
/// charges every access of a word.
struct Energies {
  std::map<std::string, double> perAccess;
};

Energies readEnergies(const Input &input) {
  Energies energies;
  YAML::Node tables = input.root["ERT"]["tables"];
  for (const YAML::Node &table : tables) {
    std::string name, raw = table["name"].as<std::string>();
    for (size_t i = 0; i < raw.size(); ++i) // Drop the "[0..13]" ranges.
      if (raw[i] == '[')
        i = raw.find(']', i);
      else
        name += raw[i];
    std::string leaf = name.substr(name.rfind('.') + 1);
    double largest = 0;
    for (const YAML::Node &action : table["actions"]) {
      std::string act = action["name"].as<std::string>();
      if (act == "idle" || act == "mac_gated" || act == "mac_reused")
        continue;
      largest = std::max(largest, action["energy"].as<double>());
    }
    energies.perAccess[leaf] = largest;
  }
  return energies;
}

/// The Arch of the components: storage levels outer to inner, then the
/// compute units.
Arch buildArch(const Input &input, std::vector<Component> components,
               const Energies *energies, std::vector<std::string> &notes) {
  Reader reader(input.file);
  Arch arch;
  arch.name = "timeloop";
  arch.file = input.file;
  arch.description = "imported from Timeloop's architecture";
  std::optional<Component> compute;
  std::vector<Component> buffers;
  for (Component &c : components) {
    if (std::optional<double> meshX = number(c.attributes, {"meshX"}))
      c.meshX = uint64_t(*meshX); // v0.3; v0.4's comes from its containers.
    if (isCompute(c.className))
      compute = c;
    else
      buffers.push_back(c);
  }
  if (!compute)
    reader.fail(input.root["architecture"],
                "the architecture has no compute component (a class such as "
                "intmac or mac); add one under the innermost buffers");
  if (buffers.empty())
    reader.fail(input.root["architecture"],
                "the architecture has no storage components; add at least "
                "the DRAM");
  uint64_t parentInstances = 1, parentMeshX = 1;
  auto fanoutTo = [&](const Component &c) -> std::array<unsigned, 2> {
    if (c.instances % parentInstances != 0)
      reader.fail(input.root["architecture"],
                  "component '" + c.name + "' has " +
                      std::to_string(c.instances) +
                      " instances, not a multiple of its parent's " +
                      std::to_string(parentInstances));
    uint64_t children = c.instances / parentInstances;
    uint64_t x = std::max<uint64_t>(1, c.meshX / parentMeshX);
    if (children % x != 0)
      x = 1;
    return {unsigned(x), unsigned(children / x)};
  };
  for (size_t i = 0; i < buffers.size(); ++i) {
    const Component &c = buffers[i];
    StorageLevel level;
    level.name = c.name;
    double wordBits =
        number(c.attributes, {"word-bits", "datawidth", "word_bits"})
            .value_or(16);
    level.wordBits = unsigned(wordBits);
    std::optional<double> depth =
        number(c.attributes, {"memory_depth", "depth"});
    std::optional<double> width =
        number(c.attributes, {"memory_width", "width"});
    bool dram = c.className.find("DRAM") != std::string::npos ||
                c.className.find("dram") != std::string::npos;
    if (!dram && depth && width)
      level.capacity = uint64_t(*depth * *width / wordBits);
    level.readBandwidth = number(c.attributes, {"read_bandwidth"});
    level.writeBandwidth = number(c.attributes, {"write_bandwidth"});
    level.banks = unsigned(number(c.attributes, {"n_banks"}).value_or(1));
    level.network.multicast = true;
    level.network.reduction = true;
    if (energies) {
      double block = number(c.attributes, {"block-size", "block_size"})
                         .value_or(width ? *width / wordBits : 1);
      auto found = energies->perAccess.find(c.name);
      if (found == energies->perAccess.end())
        reader.fail(input.root["architecture"],
                    "the energy table (ERT) has no entry for '" + c.name +
                        "'; give the ERT Accelergy wrote for this "
                        "architecture");
      double perWord = found->second / std::max(1.0, block);
      level.energy = {perWord, perWord, perWord};
    }
    if (i > 0)
      arch.levels.back().fanout = fanoutTo(c);
    parentInstances = c.instances;
    parentMeshX = c.meshX;
    arch.levels.push_back(level);
  }
  arch.levels.back().fanout = fanoutTo(*compute);
  arch.compute.macsPerPE = 1;
  if (energies) {
    auto found = energies->perAccess.find(compute->name);
    if (found != energies->perAccess.end())
      arch.compute.macEnergy = found->second;
  }
  (void)notes;
  rebuildArch(arch); // Network graphs, hop summaries, instance counts.
  return arch;
}

/// "C3 M1 R11" or "C=3 M=1": dimension -> factor (0: free).
std::map<std::string, int64_t> readFactors(const Reader &reader,
                                           const YAML::Node &node,
                                           const Problem &problem) {
  std::map<std::string, int64_t> factors;
  std::istringstream words(node.as<std::string>());
  std::string word;
  while (words >> word) {
    size_t split = word.find('=');
    if (split == std::string::npos) {
      split = 0;
      while (split < word.size() && !std::isdigit((unsigned char)word[split]))
        ++split;
    }
    std::string dim = word.substr(0, split);
    std::string value = word.substr(split + (word[split] == '=' ? 1 : 0));
    if (!problem.dimIndex(dim))
      reader.fail(node, "factor '" + word + "' names '" + dim +
                            "', which is not a dimension of the problem");
    try {
      factors[dim] = std::stoll(value);
    } catch (const std::exception &) {
      reader.fail(node, "factor '" + word +
                            "' is malformed; write DIM and a number, e.g. C3 "
                            "or C=3");
    }
  }
  return factors;
}

std::vector<std::string> tensorNames(const Reader &reader,
                                     const YAML::Node &list,
                                     const Problem &problem,
                                     const std::string &field) {
  std::vector<std::string> names = reader.names(list, field, "[Inputs]");
  for (size_t i = 0; i < names.size(); ++i)
    if (!problem.tensorIndex(names[i]))
      reader.fail(list[i],
                  "'" + names[i] + "' is not a data space of the problem");
  return names;
}

/// "file:line:col" of a YAML node, for messages about it.
std::string originOf(const std::string &file, const YAML::Mark &mark) {
  std::string located = locatedMessage(file, mark, "");
  return located.substr(0, located.find(": error"));
}

/// A directive's `target`: a storage level of the architecture, or an
/// error naming them.
std::string storageTarget(const Reader &reader, const YAML::Node &node,
                          const std::vector<Component> &levels) {
  std::string target = node.as<std::string>();
  std::string names;
  for (const Component &c : levels) {
    if (c.name == target)
      return target;
    names += (names.empty() ? "" : ", ") + c.name;
  }
  reader.fail(node, "target '" + target +
                        "' is not a storage level of the architecture; the "
                        "levels are: " +
                        names);
}

/// The Timeloop mapping as a MappingSpec on the Timeloop levels (folded
/// later).
struct RawLevel {
  std::vector<LoopSpec> temporal;
  std::vector<SpatialLoopSpec> spatial;
  std::optional<std::vector<std::string>> keep;
  std::string origin;
};

std::map<std::string, RawLevel>
readMapping(const Input &input, const Problem &problem,
            const std::vector<Component> &levels) {
  Reader reader(input.file);
  std::map<std::string, RawLevel> raw;
  YAML::Node list = input.root["mapping"];
  if (list.IsMap() && list["targets"])
    list = list["targets"];
  if (!list.IsSequence())
    reader.fail(list, "'mapping' must be a list of directives, each with a "
                      "target, a type (temporal, spatial, bypass) and "
                      "factors/permutation or keep/bypass");
  for (const YAML::Node &entry : list) {
    reader.expectKeys(
        entry,
        {"target", "type", "factors", "permutation", "split", "keep", "bypass"},
        "mapping directive");
    if (!entry["target"] || !entry["type"])
      reader.fail(entry, "each mapping directive needs a 'target' and a "
                         "'type'");
    std::string target = storageTarget(reader, entry["target"], levels);
    RawLevel &level = raw[target];
    if (level.origin.empty())
      level.origin = originOf(input.file, entry.Mark());
    std::string type = entry["type"].as<std::string>();
    if (type == "bypass") {
      std::vector<std::string> keep;
      if (entry["keep"])
        keep = tensorNames(reader, entry["keep"], problem, "keep");
      else {
        std::vector<std::string> bypass =
            entry["bypass"]
                ? tensorNames(reader, entry["bypass"], problem, "bypass")
                : std::vector<std::string>{};
        for (const Tensor &t : problem.tensors)
          if (std::find(bypass.begin(), bypass.end(), t.name) == bypass.end())
            keep.push_back(t.name);
      }
      level.keep = keep;
      continue;
    }
    if (type != "temporal" && type != "spatial")
      reader.fail(entry["type"], "type '" + type +
                                     "' is unknown; expected temporal, "
                                     "spatial or bypass");
    if (!entry["factors"])
      reader.fail(entry, "a " + type + " directive needs 'factors'");
    std::map<std::string, int64_t> factors =
        readFactors(reader, entry["factors"], problem);
    std::string permutation =
        entry["permutation"] ? entry["permutation"].as<std::string>() : "";
    permutation.erase(std::remove(permutation.begin(), permutation.end(), ' '),
                      permutation.end());
    // Innermost first; dimensions missing from it go outermost.
    std::vector<std::string> order;
    for (char c : permutation)
      order.push_back(std::string(1, c));
    for (const Dimension &d : problem.dims)
      if (std::find(order.begin(), order.end(), d.name) == order.end())
        order.push_back(d.name);
    for (const auto &[dim, factor] : factors)
      if (factor < 1)
        reader.fail(entry["factors"], "factor " + dim + std::to_string(factor) +
                                          " in a mapping must be at least 1");
    if (type == "temporal") {
      for (auto it = order.rbegin(); it != order.rend(); ++it)
        if (factors.count(*it) && factors[*it] > 1)
          level.temporal.push_back({*it, factors[*it]});
    } else {
      size_t split =
          entry["split"] ? entry["split"].as<size_t>() : order.size();
      for (size_t i = 0; i < order.size(); ++i)
        if (factors.count(order[i]) && factors[order[i]] > 1)
          level.spatial.push_back(
              {order[i], factors[order[i]],
               i < split ? SpatialAxis::X : SpatialAxis::Y});
    }
  }
  return raw;
}

/// One Timeloop level's constraints (architecture_constraints and
/// mapspace_constraints together): Timeloop refuses a second factor,
/// permutation or split for the same level, and so does this.
struct RawConstraint {
  std::optional<std::vector<std::string>> keep, bypass;
  std::map<std::string, int64_t> temporal, spatial; ///< Fixed factors.
  std::vector<FactorBound> bounds;                  ///< `K<=8`, `K>=2`.
  /// Permutations, inner to outer as Timeloop writes them: the dims before
  /// '_' are innermost, those after it outermost, the others free between.
  std::vector<std::string> temporalInner, temporalOuter, spatialOrder;
  bool hasTemporalPermutation = false, hasSpatialPermutation = false;
  std::optional<size_t> split; ///< Spatial dims before it go on X.
  std::string origin;
};

/// Timeloop's factor list: `C=3 M1 R<=4 S>=2`; 0 is the full dimension (as
/// Timeloop reads it); a factor above the bound is ignored with a note
/// (also as Timeloop does).
void readConstraintFactors(const Reader &reader, const YAML::Node &node,
                           const Problem &problem, LoopSlot slot,
                           std::map<std::string, int64_t> &fixed,
                           std::vector<FactorBound> &bounds,
                           const std::string &origin,
                           std::vector<std::string> &notes) {
  std::string text = node.as<std::string>();
  text = text.substr(0, text.find('#'));
  std::istringstream words(text);
  std::string word;
  while (words >> word) {
    size_t end = 0;
    while (end < word.size() && std::isalpha((unsigned char)word[end]))
      ++end;
    std::string dim = word.substr(0, end), op;
    while (end < word.size() &&
           (word[end] == '<' || word[end] == '>' || word[end] == '='))
      op += word[end++];
    std::string digits = word.substr(end);
    std::optional<unsigned> d = problem.dimIndex(dim);
    if (!d)
      reader.fail(node, "factor '" + word + "' names '" + dim +
                            "', which is not a dimension of the problem");
    bool numeric = !digits.empty() && digits.size() <= 18 &&
                   std::all_of(digits.begin(), digits.end(), [](char c) {
                     return std::isdigit((unsigned char)c);
                   });
    if (!numeric || (op != "" && op != "=" && op != "<=" && op != ">="))
      reader.fail(node, "factor '" + word +
                            "' is malformed; write a dimension, =, <= or >= "
                            "and a whole number, e.g. C=3, C3 or C<=4");
    int64_t value = std::stoll(digits);
    int64_t bound = problem.dims[*d].bound;
    if (op == "<=" || op == ">=") {
      if (value < 1)
        reader.fail(node, "factor bound '" + word + "' must be at least 1");
      FactorBound fb{dim, slot, 1, INT64_MAX, origin};
      (op == "<=" ? fb.atMost : fb.atLeast) = value;
      bounds.push_back(fb);
      continue;
    }
    if (value == 0)
      value = bound; // Timeloop: 0 is the full dimension.
    if (value > bound) {
      notes.push_back(origin + ": factor " + word + " exceeds " + dim + "=" +
                      std::to_string(bound) + "; ignored, as Timeloop does");
      continue;
    }
    if (fixed.count(dim))
      reader.fail(node, "a second factor for " + dim +
                            " at this level; Timeloop refuses it too (the "
                            "architecture and mapspace constraints "
                            "conflict)");
    fixed[dim] = value;
  }
}

/// "NCPQ_RS" -> inner {N, C, P, Q}, outer {R, S}.
void readPermutation(const Reader &reader, const YAML::Node &node,
                     const Problem &problem, std::vector<std::string> &inner,
                     std::vector<std::string> &outer) {
  std::string text = node.as<std::string>();
  text = text.substr(0, text.find('#'));
  bool separated = false;
  std::set<std::string> seen;
  for (char c : text) {
    if (std::isspace((unsigned char)c))
      continue;
    if (c == '_') {
      separated = true;
      continue;
    }
    std::string dim(1, c);
    if (!problem.dimIndex(dim))
      reader.fail(node, "permutation '" + text + "' names '" + dim +
                            "', which is not a dimension of the problem");
    if (!seen.insert(dim).second)
      reader.fail(node, "permutation '" + text + "' names '" + dim + "' twice");
    (separated ? outer : inner).push_back(dim);
  }
}

std::map<std::string, RawConstraint>
readConstraints(const std::vector<Input> &inputs, const Problem &problem,
                const std::vector<Component> &levels,
                std::vector<std::string> &notes) {
  std::map<std::string, RawConstraint> raw;
  for (const Input &input : inputs) {
    Reader reader(input.file);
    for (const auto &section : input.root) {
      std::string key = section.first.as<std::string>();
      if (key != "architecture_constraints" && key != "mapspace_constraints" &&
          key != "mapspace" && key != "constraints")
        continue;
      YAML::Node list = section.second;
      if (list.IsMap() && list["targets"])
        list = list["targets"];
      if (!list.IsSequence())
        reader.fail(list, "'" + key +
                              "' must hold a list of targets, each with a "
                              "target, a type (temporal, spatial, bypass) "
                              "and its factors/permutation or keep/bypass");
      for (const YAML::Node &entry : list) {
        reader.expectKeys(entry,
                          {"target", "type", "factors", "permutation", "split",
                           "keep", "bypass", "no_link_transfer",
                           "no_multicast_no_reduction", "min_parallelism",
                           "default_max_factor", "default_min_factor"},
                          "constraint");
        if (!entry["target"] || !entry["type"])
          reader.fail(entry, "each constraint needs a 'target' and a 'type'");
        std::string target = storageTarget(reader, entry["target"], levels);
        std::string origin = originOf(input.file, entry.Mark());
        RawConstraint &level = raw[target];
        if (level.origin.empty())
          level.origin = origin;
        std::string type = entry["type"].as<std::string>();
        for (const char *ignored :
             {"no_link_transfer", "no_multicast_no_reduction",
              "min_parallelism", "default_max_factor", "default_min_factor"})
          if (entry[ignored])
            notes.push_back(origin + ": '" + ignored + "' not applied");
        if (type == "bypass" || type == "datatype" || type == "dataspace") {
          auto list = [&](const char *field,
                          std::optional<std::vector<std::string>> &into) {
            if (!entry[field])
              return;
            if (into)
              reader.fail(entry[field], std::string("a second '") + field +
                                            "' list for '" + target + "'");
            into = tensorNames(reader, entry[field], problem, field);
          };
          list("keep", level.keep);
          list("bypass", level.bypass);
          continue;
        }
        if (type == "utilization" || type == "parallelism") {
          notes.push_back(origin + ": a '" + type +
                          "' constraint is not applied");
          continue;
        }
        if (type != "temporal" && type != "spatial")
          reader.fail(entry["type"], "type '" + type +
                                         "' is unknown; expected temporal, "
                                         "spatial or bypass");
        bool spatial = type == "spatial";
        if (entry["factors"])
          readConstraintFactors(reader, entry["factors"], problem,
                                spatial ? LoopSlot::SpatialX
                                        : LoopSlot::Temporal,
                                spatial ? level.spatial : level.temporal,
                                level.bounds, origin, notes);
        if (entry["permutation"]) {
          bool &seen = spatial ? level.hasSpatialPermutation
                               : level.hasTemporalPermutation;
          if (seen)
            reader.fail(entry["permutation"],
                        "a second " + type + " permutation for '" + target +
                            "'; Timeloop refuses it too");
          seen = true;
          std::vector<std::string> outer;
          readPermutation(reader, entry["permutation"], problem,
                          spatial ? level.spatialOrder : level.temporalInner,
                          spatial ? outer : level.temporalOuter);
          if (spatial)
            level.spatialOrder.insert(level.spatialOrder.end(), outer.begin(),
                                      outer.end());
        }
        if (entry["split"]) {
          if (!spatial)
            reader.fail(entry["split"], "'split' belongs to a spatial "
                                        "constraint");
          if (level.split)
            reader.fail(entry["split"], "a second split for '" + target + "'");
          level.split = reader.template get<size_t>(entry["split"], "split");
        }
      }
    }
  }
  return raw;
}

/// The tensors a level keeps under its bypass constraint: every tensor
/// but those it bypasses; the ones neither list names stay the mapper's
/// choice in Timeloop, but a Tessel keep list is exact, so they are kept.
std::optional<std::vector<std::string>> keptUnder(const RawConstraint &c,
                                                  const Problem &problem) {
  if (!c.keep && !c.bypass)
    return std::nullopt;
  std::vector<std::string> keep;
  for (const Tensor &t : problem.tensors) {
    bool bypassed = c.bypass && std::find(c.bypass->begin(), c.bypass->end(),
                                          t.name) != c.bypass->end();
    if (!bypassed)
      keep.push_back(t.name);
  }
  return keep;
}

/// The constraints of the Timeloop levels as Tessel's, on the folded
/// levels (`members[k]`: the Timeloop levels folded level k holds, its own
/// first). Spatial constraints of a folded level join its parent's on the
/// axes their fan-outs span.
Constraints tesselConstraints(const std::map<std::string, RawConstraint> &raw,
                              const Problem &problem, const Arch &unfolded,
                              const std::vector<Component> &buffers,
                              const std::vector<std::vector<size_t>> &members,
                              const std::string &file) {
  Constraints out;
  out.file = file;
  auto find = [&](size_t i) -> const RawConstraint * {
    auto it = raw.find(buffers[i].name);
    return it == raw.end() ? nullptr : &it->second;
  };
  std::vector<std::string> allDims;
  for (const Dimension &d : problem.dims)
    allDims.push_back(d.name);
  for (const std::vector<size_t> &group : members) {
    LevelConstraint lc;
    lc.level = buffers[group.front()].name;
    bool any = false;
    if (const RawConstraint *own = find(group.front())) {
      any = true;
      lc.origin = own->origin;
      lc.keep = keptUnder(*own, problem);
      for (const auto &[dim, factor] : own->temporal)
        lc.temporal.push_back({dim, factor});
      for (const FactorBound &bound : own->bounds)
        if (bound.slot == LoopSlot::Temporal)
          lc.bounds.push_back(bound);
      // Tessel lists loops outermost first.
      lc.innermost.assign(own->temporalInner.rbegin(),
                          own->temporalInner.rend());
      lc.outermost.assign(own->temporalOuter.rbegin(),
                          own->temporalOuter.rend());
    }
    // Spatial: per axis, the dims some member spanning it lets spread
    // there (all when one has no spatial constraint).
    std::set<std::string> allowed[2];
    bool unrestricted[2] = {false, false}, spans[2] = {false, false};
    for (size_t m : group) {
      const std::array<unsigned, 2> &fan = unfolded.levels[m].fanout;
      const RawConstraint *c = find(m);
      for (unsigned axis = 0; axis < 2; ++axis) {
        if (fan[axis] <= 1)
          continue;
        spans[axis] = true;
        if (!c || (!c->hasSpatialPermutation && c->spatial.empty() &&
                   std::none_of(c->bounds.begin(), c->bounds.end(),
                                [](const FactorBound &b) {
                                  return b.slot != LoopSlot::Temporal;
                                })))
          unrestricted[axis] = true;
      }
      if (!c)
        continue;
      any = true;
      if (lc.origin.empty())
        lc.origin = c->origin;
      size_t split = c->split.value_or(c->spatialOrder.size());
      // The axis a dim spreads on at this member: its place in the
      // permutation, else the only axis the member spans.
      auto axisOf = [&](const std::string &dim) -> std::optional<unsigned> {
        auto at =
            std::find(c->spatialOrder.begin(), c->spatialOrder.end(), dim);
        if (at != c->spatialOrder.end())
          return size_t(at - c->spatialOrder.begin()) < split ? 0u : 1u;
        if (fan[1] <= 1)
          return 0u;
        if (fan[0] <= 1)
          return 1u;
        return std::nullopt;
      };
      for (unsigned axis = 0; axis < 2; ++axis) {
        if (fan[axis] <= 1)
          continue;
        for (const std::string &dim : allDims) {
          auto fixed = c->spatial.find(dim);
          if (fixed != c->spatial.end() && fixed->second == 1)
            continue; // Fixed to 1: it does not spread here.
          std::optional<unsigned> on = axisOf(dim);
          if (c->hasSpatialPermutation ? (on && *on == axis)
                                       : (!on || *on == axis))
            allowed[axis].insert(dim);
        }
      }
      for (const auto &[dim, factor] : c->spatial) {
        if (factor == 1)
          continue;
        std::optional<unsigned> on = axisOf(dim);
        if (!on)
          throw TimeloopError(c->origin + ": error: spatial factor " + dim +
                              "=" + std::to_string(factor) + " at '" +
                              buffers[m].name +
                              "' spans both axes; give a permutation and a "
                              "split that place it on X or Y");
        SpatialAxis axis = *on == 0 ? SpatialAxis::X : SpatialAxis::Y;
        auto same = std::find_if(lc.spatial.begin(), lc.spatial.end(),
                                 [&](const SpatialLoopSpec &s) {
                                   return s.dim == dim && s.axis == axis;
                                 });
        if (same != lc.spatial.end())
          same->factor *= factor;
        else
          lc.spatial.push_back({dim, factor, axis});
      }
      for (FactorBound bound : c->bounds) {
        if (bound.slot == LoopSlot::Temporal)
          continue;
        std::optional<unsigned> on = axisOf(bound.dim);
        if (!on)
          continue;
        bound.slot = *on == 0 ? LoopSlot::SpatialX : LoopSlot::SpatialY;
        lc.bounds.push_back(bound);
      }
    }
    if (!any)
      continue;
    for (unsigned axis = 0; axis < 2; ++axis)
      if (spans[axis] && !unrestricted[axis])
        (axis == 0 ? lc.spatialX : lc.spatialY) = std::vector<std::string>(
            allowed[axis].begin(), allowed[axis].end());
    out.levels.push_back(lc);
  }
  return out;
}

/// The `mapper` file: what Tessel's search can follow.
void readMapperSettings(const Input &input, TimeloopDesign &design) {
  Reader reader(input.file);
  YAML::Node node = input.root["mapper"];
  if (!node.IsMap())
    reader.fail(node, "'mapper' must be a mapping of settings");
  if (YAML::Node metrics = node["optimization-metrics"]) {
    std::vector<std::string> names =
        reader.names(metrics, "optimization-metrics", "[delay, energy]");
    std::string text;
    if (names == std::vector<std::string>{"delay"})
      text = "cycles";
    else if (names == std::vector<std::string>{"energy"})
      text = "energy";
    else if (names == std::vector<std::string>{"edp"})
      text = "edp";
    else if (names == std::vector<std::string>{"delay", "energy"})
      text = "lex";
    else if (names == std::vector<std::string>{"energy", "delay"}) {
      text = "energy";
      design.notes.push_back(input.file +
                             ": optimization-metrics [energy, delay]: "
                             "Tessel minimises energy (ties by delay are "
                             "not broken)");
    }
    if (text.empty() || !Objective::parse(text))
      reader.fail(metrics, "optimization-metrics Tessel follows: [delay], "
                           "[energy], [edp], [delay, energy] or [energy, "
                           "delay]");
    design.objective = Objective::parse(text);
  }
  auto whole = [&](const char *field) -> std::optional<uint64_t> {
    if (!node[field])
      return std::nullopt;
    return reader.template get<uint64_t>(node[field], field);
  };
  if (auto threads = whole("num-threads"))
    design.threads = unsigned(std::min<uint64_t>(*threads, 256));
  design.searchSize = whole("search-size");
  if (design.searchSize && *design.searchSize == 0)
    design.searchSize.reset(); // Timeloop: 0 is no limit.
  design.victory = whole("victory-condition");
  for (const char *ignored :
       {"algorithm", "timeout", "live-status", "max-permutations-per-if-visit",
        "diagnostics", "log-stats", "log-suboptimal"})
    if (node[ignored])
      design.notes.push_back(input.file + ": mapper '" + ignored +
                             "' not applied (Tessel's own search)");
}

} // namespace

TimeloopDesign readTimeloopDesign(const std::vector<std::string> &paths) {
  TimeloopDesign design;
  std::optional<Input> archInput, problemInput, mappingInput, ertInput,
      mapperInput;
  std::vector<Input> constraintInputs;
  for (const std::string &file : expand(paths)) {
    Input input = load(file);
    design.files.push_back(file);
    Reader reader(file);
    if (!input.root.IsMap())
      reader.fail(input.root, "a Timeloop input is a mapping whose top-level "
                              "key says what it is: architecture, problem, "
                              "mapping, architecture_constraints, "
                              "mapspace_constraints, mapper, "
                              "compound_components or ERT");
    for (const auto &entry : input.root) {
      std::string key = entry.first.as<std::string>();
      auto once = [&](std::optional<Input> &slot) {
        if (slot)
          reader.fail(entry.first, "a second '" + key + "' (the first is in " +
                                       slot->file + "); give one");
        slot = input;
      };
      if (key == "architecture")
        once(archInput);
      else if (key == "problem")
        once(problemInput);
      else if (key == "mapping")
        once(mappingInput);
      else if (key == "ERT")
        once(ertInput);
      else if (key == "architecture_constraints" ||
               key == "mapspace_constraints" || key == "mapspace" ||
               key == "constraints") {
        if (constraintInputs.empty() ||
            constraintInputs.back().file != input.file)
          constraintInputs.push_back(input);
      } else if (key == "mapper")
        once(mapperInput);
      else if (key == "compound_components" || key == "ERT_summary" ||
               key == "variables" || key == "globals" || key == "components")
        continue;
      else
        reader.fail(entry.first,
                    "unknown top-level key '" + key +
                        "'; Timeloop inputs start with architecture, "
                        "problem, mapping, architecture_constraints, "
                        "mapspace_constraints, mapper, compound_components "
                        "or ERT");
    }
  }
  if (!archInput)
    throw TimeloopError("tessel timeloop: no architecture among the files; "
                        "give the file whose top-level key is "
                        "'architecture'");
  if (!problemInput)
    throw TimeloopError("tessel timeloop: no problem among the files; give "
                        "the file whose top-level key is 'problem'");
  design.problem = readProblem(*problemInput);
  Reader archReader(archInput->file);
  YAML::Node tree = archInput->root["architecture"];
  std::vector<Component> components;
  if (tree["subtree"])
    collectV3(archReader, tree["subtree"], 1, components);
  else if (tree["nodes"])
    collectV4(archReader, tree["nodes"], 1, 1, components);
  else
    archReader.fail(tree, "the architecture needs a 'subtree' (v0.3) or "
                          "'nodes' (v0.4, !Container/!Component)");
  std::optional<Energies> energies;
  if (ertInput)
    energies = readEnergies(*ertInput);
  design.hasEnergyTable = energies.has_value();
  if (!energies)
    design.notes.push_back("no energy table (ERT) given: energies are 0; "
                           "pass the ERT.yaml Accelergy wrote");
  design.arch = buildArch(*archInput, components,
                          energies ? &*energies : nullptr, design.notes);
  std::vector<Component> buffers;
  for (const Component &c : components)
    if (!isCompute(c.className))
      buffers.push_back(c);
  for (const Component &c : buffers)
    design.timeloopLevels.push_back(c.name);
  std::map<std::string, RawConstraint> constraints =
      readConstraints(constraintInputs, design.problem, buffers, design.notes);
  if (mapperInput)
    readMapperSettings(*mapperInput, design);
  std::map<std::string, RawLevel> raw;
  if (mappingInput)
    raw = readMapping(*mappingInput, design.problem, buffers);
  else if (!constraintInputs.empty())
    for (const auto &[name, c] : constraints)
      if (c.keep && !c.bypass)
        design.notes.push_back(c.origin + ": '" + name +
                               "' keeps the tensors its constraint lists and "
                               "those it does not bypass");
  // Fold levels that keep nothing into their parent: their spatial loops
  // join the parent's, their fan-out multiplies the parent's. What a level
  // keeps: the mapping's bypass directives, else the constraints'.
  MappingSpec spec;
  if (mappingInput)
    spec.origin = mappingInput->file;
  Arch folded = design.arch;
  folded.levels.clear();
  std::vector<std::vector<size_t>> members; // Per folded level.
  for (size_t i = 0; i < buffers.size(); ++i) {
    std::optional<std::vector<std::string>> kept =
        mappingInput ? raw[buffers[i].name].keep
                     : keptUnder(constraints[buffers[i].name], design.problem);
    std::vector<std::string> keep;
    if (kept)
      keep = *kept;
    else
      for (const Tensor &t : design.problem.tensors)
        keep.push_back(t.name);
    RawLevel level = raw[buffers[i].name];
    if (keep.empty() && i > 0) {
      if (!level.temporal.empty())
        throw TimeloopError(mappingInput->file + ": error: level '" +
                            buffers[i].name +
                            "' keeps no tensor but has temporal loops; a "
                            "Tessel level must keep a tensor (move its "
                            "loops to a neighbour)");
      if (!spec.levels.empty()) {
        LevelSpec &parent = spec.levels.back();
        parent.spatial.insert(parent.spatial.end(), level.spatial.begin(),
                              level.spatial.end());
      }
      StorageLevel &parentLevel = folded.levels.back();
      parentLevel.fanout[0] *= design.arch.levels[i].fanout[0];
      parentLevel.fanout[1] *= design.arch.levels[i].fanout[1];
      members.back().push_back(i);
      design.notes.push_back("level '" + buffers[i].name +
                             "' keeps no tensor: folded into '" +
                             parentLevel.name + "' (fan-out " +
                             std::to_string(parentLevel.fanout[0]) + "x" +
                             std::to_string(parentLevel.fanout[1]) + ")");
      continue;
    }
    if (mappingInput) {
      LevelSpec out;
      out.level = buffers[i].name;
      out.temporal = level.temporal;
      out.spatial = level.spatial;
      out.keep = keep;
      out.origin = level.origin;
      spec.levels.push_back(out);
    }
    folded.levels.push_back(design.arch.levels[i]);
    members.push_back({i});
  }
  if (!constraintInputs.empty() && mappingInput)
    design.notes.push_back("the constraints apply when mapping; the given "
                           "mapping is evaluated as it is, not checked "
                           "against them");
  if (!constraintInputs.empty())
    design.constraints =
        tesselConstraints(constraints, design.problem, design.arch, buffers,
                          members, constraintInputs.front().file);
  rebuildArch(folded);
  design.arch = folded;
  if (mappingInput)
    design.mapping = spec;
  return design;
}

TimeloopRun runTimeloopDesign(const std::vector<std::string> &paths,
                              const TimeloopRunOptions &options) {
  TimeloopRun run{readTimeloopDesign(paths), {}, Report(0, 0)};
  const Problem &problem = run.design.problem;
  const Arch &arch = run.design.arch;
  std::unique_ptr<CostModel> model =
      createCostModel("reuse", options.accounting);
  if (run.design.mapping) {
    std::vector<MappingError> errors;
    if (!resolveMapping(*run.design.mapping, problem, arch, run.mapping,
                        errors)) {
      std::string message = run.design.mapping->origin +
                            ": error: the mapping does not fit the design:";
      for (const MappingError &error : errors)
        message += "\n  " + error.message;
      throw TimeloopError(message);
    }
  } else {
    MapRequest request;
    request.mapper = options.mapper;
    // The mapper minimises what is printed, as Timeloop's mapper does.
    request.accounting = options.accounting;
    const TimeloopDesign &design = run.design;
    request.options.maxEvaluations =
        options.budget ? options.budget : design.searchSize.value_or(3000);
    request.options.seed = options.seed;
    if (design.constraints)
      request.constraints = *design.constraints;
    if (design.objective)
      request.options.objective = *design.objective;
    if (design.threads)
      request.options.threads = design.threads;
    if (design.victory)
      request.options.patience = *design.victory;
    SearchResult found = mapProblem(problem, arch, request);
    if (!found.best)
      throw TimeloopError("tessel timeloop: the mapper found no legal "
                          "mapping in " +
                          std::to_string(found.evaluations) + " evaluations");
    run.mapping = *found.best;
    run.mapped = true;
    run.evaluations = found.evaluations;
  }
  Evaluation evaluation = model->evaluate(problem, arch, run.mapping);
  if (!evaluation.valid()) {
    std::string message = (run.design.mapping ? run.design.mapping->origin
                                              : std::string("mapping")) +
                          ": error: the mapping is not legal:";
    for (const MappingError &error : evaluation.errors)
      message += "\n  " + error.message;
    throw TimeloopError(message);
  }
  run.report = *evaluation.report;
  NestAnalysis nest(problem, arch, run.mapping);
  for (unsigned l = 0; l < arch.levelCount(); ++l)
    run.utilizedInstances.push_back(nest.activeInstances(l));
  run.utilizedInstances.push_back(nest.activeInstances(arch.levelCount()));
  return run;
}

} // namespace tessel
