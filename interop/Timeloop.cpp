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

void collectV4(const Reader &reader, const YAML::Node &nodes,
               uint64_t instances, std::vector<Component> &components) {
  if (!nodes.IsSequence())
    reader.fail(nodes, "'nodes' must be a list of !Container and "
                       "!Component entries");
  for (const YAML::Node &node : nodes) {
    std::string tag = node.Tag();
    if (!node.IsMap() || !node["name"])
      reader.fail(node, "each node needs a 'name'");
    uint64_t spatial = 1;
    if (node["spatial"]) {
      spatial = uint64_t(number(node["spatial"], {"meshX"}).value_or(1) *
                         number(node["spatial"], {"meshY"}).value_or(1));
    }
    if (tag == "!Container" || tag == "!Hierarchical") {
      instances *= spatial;
      if (node["nodes"])
        collectV4(reader, node["nodes"], instances, components);
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
                1,
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
    c.meshX = uint64_t(number(c.attributes, {"meshX"}).value_or(1));
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
    std::string target = entry["target"].as<std::string>();
    bool known = false;
    std::string names;
    for (const Component &c : levels) {
      known |= c.name == target;
      names += (names.empty() ? "" : ", ") + c.name;
    }
    if (!known)
      reader.fail(entry["target"], "target '" + target +
                                       "' is not a storage level of the "
                                       "architecture; the levels are: " +
                                       names);
    RawLevel &level = raw[target];
    if (level.origin.empty())
      level.origin =
          locatedMessage(input.file, entry.Mark(), "")
              .substr(
                  0,
                  locatedMessage(input.file, entry.Mark(), "").find(": error"));
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

} // namespace

TimeloopDesign readTimeloopDesign(const std::vector<std::string> &paths) {
  TimeloopDesign design;
  std::optional<Input> archInput, problemInput, mappingInput, ertInput;
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
               key == "constraints")
        design.notes.push_back(file + ": " + key +
                               " not applied: the search uses Tessel's map "
                               "space of the architecture");
      else if (key == "mapper" || key == "compound_components" ||
               key == "ERT_summary" || key == "variables" || key == "globals" ||
               key == "components")
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
    collectV4(archReader, tree["nodes"], 1, components);
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
  if (!mappingInput)
    return design;
  std::map<std::string, RawLevel> raw =
      readMapping(*mappingInput, design.problem, buffers);
  // Fold levels that keep nothing into their parent: their spatial loops
  // join the parent's, their fan-out multiplies the parent's.
  MappingSpec spec;
  spec.origin = mappingInput->file;
  Arch folded = design.arch;
  folded.levels.clear();
  for (size_t i = 0; i < buffers.size(); ++i) {
    RawLevel level = raw[buffers[i].name];
    std::vector<std::string> keep;
    if (level.keep)
      keep = *level.keep;
    else
      for (const Tensor &t : design.problem.tensors)
        keep.push_back(t.name);
    if (keep.empty() && i > 0) {
      if (!level.temporal.empty())
        throw TimeloopError(mappingInput->file + ": error: level '" +
                            buffers[i].name +
                            "' keeps no tensor but has temporal loops; a "
                            "Tessel level must keep a tensor (move its "
                            "loops to a neighbour)");
      LevelSpec &parent = spec.levels.back();
      StorageLevel &parentLevel = folded.levels.back();
      parent.spatial.insert(parent.spatial.end(), level.spatial.begin(),
                            level.spatial.end());
      parentLevel.fanout[0] *= design.arch.levels[i].fanout[0];
      parentLevel.fanout[1] *= design.arch.levels[i].fanout[1];
      design.notes.push_back("level '" + buffers[i].name +
                             "' keeps no tensor: folded into '" +
                             parentLevel.name + "' (fan-out " +
                             std::to_string(parentLevel.fanout[0]) + "x" +
                             std::to_string(parentLevel.fanout[1]) + ")");
      continue;
    }
    LevelSpec out;
    out.level = buffers[i].name;
    out.temporal = level.temporal;
    out.spatial = level.spatial;
    out.keep = keep;
    out.origin = level.origin;
    spec.levels.push_back(out);
    folded.levels.push_back(design.arch.levels[i]);
  }
  rebuildArch(folded);
  design.arch = folded;
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
    request.options.maxEvaluations = options.budget;
    request.options.seed = options.seed;
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
