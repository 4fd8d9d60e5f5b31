//===- interop/Maestro.cpp - MAESTRO's hardware and DFSL files ------------===//
#include "interop/Maestro.h"

#include "arch/ArchLoader.h"
#include "arch/EnergyDefaults.h"
#include "support/Checked.h"
#include "support/Files.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

namespace tessel {
namespace {

/// The largest number a file may give: far beyond any real layer, small
/// enough that products of a few stay inside 64 bits.
constexpr int64_t kMaxValue = int64_t(1) << 40;

struct Token {
  std::string text;
  unsigned line = 0, column = 0;
  bool number = false;
};

class Lexer {
public:
  Lexer(std::string file, const std::string &text) : file(std::move(file)) {
    unsigned line = 1, column = 1;
    for (size_t i = 0; i < text.size();) {
      char c = text[i];
      if (c == '\n') {
        ++line, column = 1, ++i;
      } else if (std::isspace((unsigned char)c)) {
        ++column, ++i;
      } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
        while (i < text.size() && text[i] != '\n')
          ++i;
      } else if (std::isalnum((unsigned char)c) || c == '_') {
        size_t start = i;
        // Names may hold '.', '-' and a prime (torchvision.models.x,
        // Conv2d-1, Y').
        while (i < text.size() &&
               (std::isalnum((unsigned char)text[i]) || text[i] == '_' ||
                text[i] == '\'' || text[i] == '.' || text[i] == '-'))
          ++i;
        std::string word = text.substr(start, i - start);
        bool digits = std::all_of(word.begin(), word.end(), [](char d) {
          return std::isdigit((unsigned char)d);
        });
        tokens.push_back({word, line, column, digits});
        column += unsigned(i - start);
      } else if (std::string("{}(),;:").find(c) != std::string::npos) {
        tokens.push_back({std::string(1, c), line, column, false});
        ++column, ++i;
      } else {
        fail(line, column,
             std::string("unexpected character '") + c +
                 "'; DFSL has words, numbers and { } ( ) , ; :");
      }
    }
    endLine = line;
  }

  [[noreturn]] void fail(unsigned line, unsigned column,
                         const std::string &message) const {
    throw MaestroError(file + ":" + std::to_string(line) + ":" +
                       std::to_string(column) + ": error: " + message);
  }
  [[noreturn]] void fail(const Token &at, const std::string &message) const {
    fail(at.line, at.column, message);
  }

  bool done() const { return next >= tokens.size(); }
  const Token &peek() const {
    if (done())
      fail(endLine, 1,
           "the file ends early; close every '{' and finish "
           "the last statement");
    return tokens[next];
  }
  Token take() {
    Token token = peek();
    ++next;
    return token;
  }
  bool accept(const std::string &text) {
    if (!done() && tokens[next].text == text) {
      ++next;
      return true;
    }
    return false;
  }
  Token expect(const std::string &text, const std::string &what) {
    if (done() || tokens[next].text != text)
      fail(done() ? Token{"", endLine, 1} : tokens[next],
           "expected '" + text + "' " + what + ", found '" +
               (done() ? std::string("end of file") : tokens[next].text) + "'");
    return take();
  }
  Token word(const std::string &what) {
    Token token = take();
    if (token.number ||
        !(std::isalpha((unsigned char)token.text[0]) || token.text[0] == '_'))
      fail(token, "expected " + what + ", found '" + token.text + "'");
    return token;
  }

  std::string file;

private:
  std::vector<Token> tokens;
  size_t next = 0;
  unsigned endLine = 1;
};

int64_t numberOf(const Lexer &lexer, const Token &token) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(
      token.text.data(), token.text.data() + token.text.size(), value);
  if (error != std::errc() || end != token.text.data() + token.text.size() ||
      value > kMaxValue)
    lexer.fail(token, "'" + token.text +
                          "' is too large; give a positive number up to 2^40");
  return value;
}

std::string readText(const std::string &path) {
  if (std::string why = unreadableFile(path); !why.empty())
    throw MaestroError(why);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

//===--- The hardware file ------------------------------------------------===//

uint64_t positive(const std::string &file, unsigned line,
                  const std::string &key, const std::string &text) {
  int64_t value = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 ||
      value > kMaxValue)
    throw MaestroError(file + ":" + std::to_string(line) + ": error: '" + key +
                       "' is '" + text +
                       "'; give a positive whole number up to 2^40");
  return uint64_t(value);
}

} // namespace

MaestroHardware readMaestroHardware(const std::string &path) {
  std::istringstream in(readText(path));
  MaestroHardware hw;
  hw.file = path;
  std::string line;
  unsigned number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (size_t comment = line.find("//"); comment != std::string::npos)
      line.resize(comment);
    for (char &c : line)
      if (c == ':' || c == ';' || c == ',' || c == '\t' || c == '\r')
        c = ' ';
    std::istringstream words(line);
    std::string key, value, extra;
    if (!(words >> key))
      continue;
    if (!(words >> value) || (words >> extra))
      throw MaestroError(path + ":" + std::to_string(number) +
                         ": error: expected 'key: value', e.g. 'num_pes: "
                         "256'");
    uint64_t v = positive(path, number, key, value);
    if (key == "num_pes")
      hw.pes = v;
    else if (key == "l1_size_cstr")
      hw.l1Words = v;
    else if (key == "l2_size_cstr")
      hw.l2Words = v;
    else if (key == "noc_bw_cstr")
      hw.nocBandwidth = v;
    else if (key == "offchip_bw_cstr")
      hw.offChipBandwidth = v;
    else if (key == "NoC_NumHops")
      hw.nocHops = v;
    else if (key == "num_simd_lanes")
      hw.simdLanes = unsigned(std::min<uint64_t>(v, 1u << 16));
    else
      throw MaestroError(path + ":" + std::to_string(number) +
                         ": error: unknown key '" + key +
                         "'; a hardware file gives num_pes, l1_size_cstr, "
                         "l2_size_cstr, noc_bw_cstr, offchip_bw_cstr, "
                         "NoC_NumHops or num_simd_lanes");
  }
  return hw;
}

namespace {

//===--- The mapping file -------------------------------------------------===//

struct RawDirective {
  Token at;
  std::string kind; ///< "SpatialMap", "TemporalMap", "Cluster".
  int64_t size = 1, offset = 1;
  std::string dim;
};

struct RawLayer {
  Token at;
  std::string name, type;
  std::map<std::string, int64_t> dims, stride;
  std::map<std::string, Token> dimAt;
  std::vector<RawDirective> dataflow;
  bool hasDataflow = false;
};

class MappingParser {
public:
  MappingParser(const std::string &path, const std::string &text)
      : lexer(path, text) {}

  MaestroNetwork parse(std::vector<RawLayer> &layers) {
    MaestroNetwork network;
    network.file = lexer.file;
    bool seen = false;
    while (!lexer.done()) {
      Token keyword = lexer.word("'Constant' or 'Network'");
      if (keyword.text == "Constant") {
        Token name = lexer.word("a constant's name");
        Token value = lexer.take();
        if (!value.number)
          lexer.fail(value, "constant '" + name.text +
                                "' needs a number, e.g. 'Constant " +
                                name.text + " 64;'");
        constants[name.text] = numberOf(lexer, value);
        lexer.accept(";");
      } else if (keyword.text == "Network") {
        if (seen)
          lexer.fail(keyword, "a second Network; give one per file");
        seen = true;
        network.name = lexer.word("the network's name").text;
        lexer.expect("{", "to open the network");
        while (!lexer.accept("}"))
          layers.push_back(layer());
      } else {
        lexer.fail(keyword, "unknown statement '" + keyword.text +
                                "'; a mapping file holds 'Constant NAME "
                                "VALUE;' and one 'Network NAME { ... }'");
      }
    }
    if (!seen)
      throw MaestroError(lexer.file + ": error: no 'Network NAME { Layer ... "
                                      "}' in the file");
    if (layers.empty())
      throw MaestroError(lexer.file + ": error: the network has no layers; "
                                      "add 'Layer NAME { ... }'");
    return network;
  }

  Lexer lexer;

private:
  RawLayer layer() {
    RawLayer raw;
    raw.at = lexer.peek();
    Token keyword = lexer.word("'Layer'");
    if (keyword.text != "Layer")
      lexer.fail(keyword,
                 "expected 'Layer NAME { ... }', found '" + keyword.text + "'");
    raw.name = lexer.word("the layer's name").text;
    lexer.expect("{", "to open the layer");
    while (!lexer.accept("}")) {
      Token key = lexer.word("Type, Stride, Dimensions or Dataflow");
      if (key.text == "Type") {
        lexer.accept(":");
        Token type = lexer.word("a layer type");
        if (type.text != "CONV" && type.text != "GEMM" && type.text != "DSCONV")
          lexer.fail(type, "layer type '" + type.text +
                               "' is not modelled; give CONV, DSCONV or "
                               "GEMM");
        raw.type = type.text;
        lexer.accept(";");
      } else if (key.text == "Dimensions" || key.text == "Stride") {
        bool dims = key.text == "Dimensions";
        lexer.expect("{", "after '" + key.text + "'");
        while (!lexer.accept("}")) {
          Token name = lexer.word("a dimension name");
          lexer.accept(":");
          int64_t value = this->value(raw, false);
          if (value < 1)
            lexer.fail(name, "'" + name.text + "' is " + std::to_string(value) +
                                 "; sizes are positive");
          (dims ? raw.dims : raw.stride)[name.text] = value;
          if (dims)
            raw.dimAt[name.text] = name;
          lexer.accept(",");
        }
      } else if (key.text == "Dataflow") {
        raw.hasDataflow = true;
        lexer.expect("{", "after 'Dataflow'");
        while (!lexer.accept("}"))
          raw.dataflow.push_back(directive(raw));
      } else {
        lexer.fail(key, "unknown layer entry '" + key.text +
                            "'; give Type, Stride, Dimensions or Dataflow");
      }
    }
    if (raw.type.empty())
      lexer.fail(raw.at, "layer '" + raw.name +
                             "' has no Type; add 'Type: CONV' (or GEMM, "
                             "DSCONV)");
    if (!raw.hasDataflow || raw.dataflow.empty())
      lexer.fail(raw.at, "layer '" + raw.name +
                             "' has no Dataflow; add 'Dataflow { "
                             "SpatialMap(1,1) K; ... }'");
    return raw;
  }

  RawDirective directive(const RawLayer &raw) {
    RawDirective d;
    d.at = lexer.peek();
    d.kind = lexer.word("a directive").text;
    if (d.kind != "SpatialMap" && d.kind != "TemporalMap" &&
        d.kind != "Cluster")
      lexer.fail(d.at, "unknown directive '" + d.kind +
                           "'; give SpatialMap(size, offset) D, "
                           "TemporalMap(size, offset) D or Cluster(n, P)");
    lexer.expect("(", "after '" + d.kind + "'");
    d.size = value(raw, true);
    lexer.expect(",", "between the size and the offset");
    if (d.kind == "Cluster") {
      Token type = lexer.word("'P' (the cluster's type)");
      if (type.text != "P")
        lexer.fail(type, "cluster type '" + type.text +
                             "' is not modelled; give Cluster(n, P)");
      lexer.expect(")", "to close the Cluster");
    } else {
      d.offset = value(raw, true);
      lexer.expect(")", "to close the map");
      d.dim = lexer.word("the dimension mapped").text;
    }
    if (d.size < 1 || d.offset < 1)
      lexer.fail(d.at, d.kind + " has size " + std::to_string(d.size) +
                           " and offset " + std::to_string(d.offset) +
                           "; both must be at least 1");
    lexer.accept(";");
    return d;
  }

  /// A number, a constant or Sz(D).
  int64_t value(const RawLayer &raw, bool allowSize) {
    Token token = lexer.take();
    if (token.number)
      return numberOf(lexer, token);
    if (token.text == "Sz" && allowSize) {
      lexer.expect("(", "after 'Sz'");
      Token dim = lexer.word("a dimension");
      lexer.expect(")", "to close Sz(...)");
      auto found = raw.dims.find(dim.text);
      if (found == raw.dims.end())
        lexer.fail(dim, "Sz(" + dim.text +
                            "): the layer's Dimensions give "
                            "no '" +
                            dim.text +
                            "' (give Dimensions before the Dataflow)");
      return found->second;
    }
    auto found = constants.find(token.text);
    if (found == constants.end())
      lexer.fail(token,
                 "'" + token.text + "' is neither a number nor a Constant" +
                     (allowSize ? " nor Sz(D)" : "") + "; declare 'Constant " +
                     token.text + " VALUE;' first");
    return found->second;
  }

  std::map<std::string, int64_t> constants;
};

//===--- Problems ---------------------------------------------------------===//

Projection term(unsigned dim, int64_t coefficient = 1) {
  Projection p;
  p.terms.push_back({dim, coefficient});
  return p;
}

Tensor tensor(const std::string &name, std::vector<Projection> projection,
              bool output = false) {
  Tensor t;
  t.name = name;
  t.elementBits = 16;
  t.elementType = "i16";
  t.projection = std::move(projection);
  t.isOutput = output;
  return t;
}

int64_t dimOf(const Lexer &lexer, const RawLayer &raw, const std::string &name,
              std::optional<int64_t> fallback = std::nullopt) {
  auto found = raw.dims.find(name);
  if (found != raw.dims.end())
    return found->second;
  if (fallback)
    return *fallback;
  lexer.fail(raw.at, raw.type + " layer '" + raw.name +
                         "' gives no dimension '" + name +
                         "'; add it to Dimensions { ... }");
}

/// The Problem of a layer; the MAESTRO dimension each Problem dimension
/// is walked by (Y and X walk P and Q).
Problem problemOf(const Lexer &lexer, const RawLayer &raw) {
  Problem p;
  p.name = raw.name;
  p.source = {lexer.file, raw.at.line, raw.at.column};
  auto add = [&](const std::string &name, int64_t bound) {
    p.dims.push_back({name, bound});
    return unsigned(p.dims.size() - 1);
  };
  if (raw.type == "GEMM") {
    p.opName = "maestro.gemm";
    int64_t m =
        dimOf(lexer, raw, "M",
              raw.dims.count("SZ_M") ? std::optional(raw.dims.at("SZ_M"))
                                     : std::nullopt);
    int64_t n =
        dimOf(lexer, raw, "N",
              raw.dims.count("SZ_N") ? std::optional(raw.dims.at("SZ_N"))
                                     : std::nullopt);
    int64_t k =
        dimOf(lexer, raw, "K",
              raw.dims.count("SZ_K") ? std::optional(raw.dims.at("SZ_K"))
                                     : std::nullopt);
    unsigned M = add("M", m), N = add("N", n), K = add("K", k);
    p.tensors = {tensor("input", {term(M), term(K)}),
                 tensor("filter", {term(K), term(N)}),
                 tensor("output", {term(M), term(N)}, true)};
  } else {
    bool depthwise = raw.type == "DSCONV";
    p.opName = depthwise ? "maestro.dsconv" : "maestro.conv";
    int64_t r = dimOf(lexer, raw, "R"), s = dimOf(lexer, raw, "S");
    int64_t y = dimOf(lexer, raw, "Y"), x = dimOf(lexer, raw, "X");
    int64_t strideY = raw.stride.count("Y") ? raw.stride.at("Y") : 1;
    int64_t strideX = raw.stride.count("X") ? raw.stride.at("X") : 1;
    if (y < r || x < s)
      lexer.fail(raw.at, "layer '" + raw.name + "': the input (Y " +
                             std::to_string(y) + ", X " + std::to_string(x) +
                             ") is smaller than the filter (R " +
                             std::to_string(r) + ", S " + std::to_string(s) +
                             "); Y and X are the input's rows and columns");
    if (depthwise && dimOf(lexer, raw, "K", 1) != 1)
      lexer.fail(raw.dimAt.at("K"), "a DSCONV layer has one filter per "
                                    "channel; give K: 1 (or leave K out)");
    unsigned N = add("N", dimOf(lexer, raw, "N", 1));
    unsigned K = depthwise ? 0 : add("K", dimOf(lexer, raw, "K"));
    unsigned C = add("C", dimOf(lexer, raw, "C"));
    unsigned P = add("P", (y - r) / strideY + 1);
    unsigned Q = add("Q", (x - s) / strideX + 1);
    unsigned R = add("R", r), S = add("S", s);
    Projection h = term(P, strideY), w = term(Q, strideX);
    h.terms.push_back({R, 1});
    w.terms.push_back({S, 1});
    p.tensors.push_back(tensor("input", {term(N), term(C), h, w}));
    if (depthwise) {
      p.tensors.push_back(tensor("filter", {term(C), term(R), term(S)}));
      p.tensors.push_back(
          tensor("output", {term(N), term(C), term(P), term(Q)}, true));
    } else {
      p.tensors.push_back(
          tensor("filter", {term(K), term(C), term(R), term(S)}));
      p.tensors.push_back(
          tensor("output", {term(N), term(K), term(P), term(Q)}, true));
    }
  }
  for (unsigned t = 0; t < p.tensors.size(); ++t)
    p.tensors[t].shape = p.footprintShape(t, p.bounds());
  return p;
}

/// The layer's Dataflow as cluster levels over the Problem's dimensions.
DataCentricMapping mappingOf(const Lexer &lexer, const RawLayer &raw,
                             const Problem &problem, const MaestroHardware &hw,
                             std::vector<uint64_t> &fanouts) {
  DataCentricMapping mapping;
  mapping.extents = problem.bounds();
  if (hw.offChipBandwidth)
    mapping.offChipBandwidth = double(*hw.offChipBandwidth);
  // Units under each level: num_pes at the top, then each Cluster's size.
  std::vector<std::vector<const RawDirective *>> levels(1);
  std::vector<const RawDirective *> clusterAt;
  std::vector<uint64_t> units = {hw.pes};
  for (const RawDirective &d : raw.dataflow) {
    if (d.kind != "Cluster") {
      levels.back().push_back(&d);
      continue;
    }
    if (uint64_t(d.size) > units.back())
      lexer.fail(d.at, "Cluster(" + std::to_string(d.size) +
                           ", P) is larger than the " +
                           std::to_string(units.back()) +
                           " units of the level above; give at most that");
    // A size that does not divide leaves the remainder idle (as MAESTRO).
    units.push_back(uint64_t(d.size));
    clusterAt.push_back(&d);
    levels.emplace_back();
  }
  bool depthwise = raw.type == "DSCONV";
  bool conv = raw.type != "GEMM";
  std::vector<int64_t> tile = mapping.extents; // Extents at each level.
  for (size_t l = 0; l < levels.size(); ++l) {
    if (levels[l].empty())
      lexer.fail(l ? clusterAt[l - 1]->at : raw.at,
                 "a cluster level has no directives; give it at least one "
                 "SpatialMap or TemporalMap");
    ClusterLevel cluster;
    cluster.subClusters =
        l + 1 < units.size() ? units[l] / units[l + 1] : units[l];
    cluster.upstreamLevel = unsigned(l + 1); // DRAM is level 0.
    if (hw.nocBandwidth)
      cluster.bandwidth = double(*hw.nocBandwidth);
    cluster.latency = hw.nocHops;
    std::vector<int64_t> next = tile;
    auto windowOf = [&](const std::string &filterDim) {
      unsigned f = *problem.dimIndex(filterDim);
      for (const RawDirective *d : levels[l])
        if (d->dim == filterDim)
          return std::min(d->size, tile[f]);
      return tile[f];
    };
    unsigned spatial = 0;
    for (const RawDirective *d : levels[l]) {
      std::string name = d->dim;
      int64_t size = d->size, offset = d->offset;
      if (conv && (name == "Y" || name == "X")) {
        bool rows = name == "Y";
        int64_t window = windowOf(rows ? "R" : "S");
        int64_t stride = raw.stride.count(name) ? raw.stride.at(name) : 1;
        if (size < window)
          lexer.fail(d->at, d->kind + "(" + std::to_string(size) + ", ...) " +
                                name + " covers fewer input " +
                                (rows ? "rows" : "columns") +
                                " than the filter's " + std::to_string(window) +
                                " at this level; give at least Sz(" +
                                (rows ? "R" : "S") + ")");
        size = (size - window) / stride + 1;
        // A strided window steps by whole output tiles (MAESTRO does the
        // same); with stride 1 the offset is already in output rows.
        offset = stride > 1 ? size : offset;
        name = rows ? "P" : "Q";
      } else if (conv && (name == "Y'" || name == "X'")) {
        name = name == "Y'" ? "P" : "Q"; // Output rows and columns.
      } else if (depthwise && name == "K") {
        continue; // One filter per channel: K is 1.
      }
      std::optional<unsigned> dim = problem.dimIndex(name);
      if (!dim || (conv && d->dim == name && (name == "P" || name == "Q")))
        lexer.fail(d->at, "'" + d->dim + "' is not a dimension of this " +
                              raw.type + " layer; give one of " +
                              (raw.type == "GEMM" ? "M, N, K"
                               : depthwise        ? "N, C, R, S, Y, X, Y', X'"
                                           : "N, K, C, R, S, Y, X, Y', X'"));
      Directive directive;
      directive.kind = d->kind == "SpatialMap" ? Directive::Kind::Spatial
                                               : Directive::Kind::Temporal;
      directive.dim = *dim;
      directive.size = size;
      directive.offset = offset;
      spatial += directive.kind == Directive::Kind::Spatial;
      if (spatial > 1)
        lexer.fail(d->at, "a second SpatialMap in one cluster level; open a "
                          "Cluster(n, P) between them");
      cluster.directives.push_back(directive);
      next[*dim] = std::min(size, next[*dim]);
    }
    mapping.clusters.push_back(cluster);
    fanouts.push_back(cluster.subClusters);
    tile = next;
  }
  return mapping;
}

Arch archOf(const MaestroHardware &hw, const std::vector<uint64_t> &fanouts) {
  Arch arch;
  arch.name = "maestro";
  arch.file = hw.file;
  arch.description = "imported from MAESTRO's hardware file";
  arch.compute.datatype = "int16";
  arch.compute.macsPerPE = hw.simdLanes;
  arch.compute.macEnergy = defaultMacEnergy("int16").value_or(0);
  StorageLevel dram;
  dram.name = "DRAM";
  dram.energy = {defaultDramWordEnergy(16), defaultDramWordEnergy(16),
                 defaultDramWordEnergy(16)};
  if (hw.offChipBandwidth)
    dram.readBandwidth = dram.writeBandwidth = double(*hw.offChipBandwidth);
  arch.levels.push_back(dram);
  for (size_t c = 0; c < fanouts.size(); ++c) {
    StorageLevel level;
    level.name = c == 0 ? "L2" : "C" + std::to_string(c);
    if (c == 0) {
      if (hw.l2Words)
        level.capacity = *hw.l2Words;
      double e = defaultSramWordEnergy(hw.l2Words.value_or(1 << 20), 16);
      level.energy = {e, e, e};
    }
    uint64_t fanout = std::min<uint64_t>(fanouts[c], 1u << 30);
    level.fanout = {unsigned(fanout), 1};
    level.network.multicast = level.network.reduction = true;
    if (hw.nocBandwidth)
      level.network.linkBandwidth = double(*hw.nocBandwidth);
    level.network.hopLatency = 1;
    arch.levels.push_back(level);
  }
  StorageLevel l1;
  l1.name = "L1";
  if (hw.l1Words)
    l1.capacity = *hw.l1Words;
  double e = defaultSramWordEnergy(hw.l1Words.value_or(1 << 10), 16);
  l1.energy = {e, e, e};
  arch.levels.push_back(l1);
  rebuildArch(arch);
  return arch;
}

} // namespace

MaestroNetwork readMaestroMapping(const std::string &path,
                                  const MaestroHardware &hardware) {
  MappingParser parser(path, readText(path));
  std::vector<RawLayer> raw;
  MaestroNetwork network = parser.parse(raw);
  for (const RawLayer &layer : raw) {
    MaestroLayer out;
    out.name = layer.name;
    out.type = layer.type;
    out.line = layer.at.line;
    out.problem = problemOf(parser.lexer, layer);
    std::vector<uint64_t> fanouts;
    out.mapping =
        mappingOf(parser.lexer, layer, out.problem, hardware, fanouts);
    out.arch = archOf(hardware, fanouts);
    network.layers.push_back(std::move(out));
  }
  return network;
}

MaestroRun runMaestro(const std::string &hardwarePath,
                      const std::string &mappingPath) {
  MaestroRun run;
  run.hardware = readMaestroHardware(hardwarePath);
  run.network = readMaestroMapping(mappingPath, run.hardware);
  CheckedCounts counts;
  for (size_t i = 0; i < run.network.layers.size(); ++i) {
    const MaestroLayer &layer = run.network.layers[i];
    DataCentricResult details;
    Evaluation evaluation = evaluateDataCentric(
        "dataflow", layer.problem, layer.arch, layer.mapping, &details);
    if (!evaluation.valid()) {
      std::string reasons;
      for (const MappingError &error : evaluation.errors)
        reasons += (reasons.empty() ? "" : "; ") + error.message;
      throw MaestroError(mappingPath + ":" + std::to_string(layer.line) +
                         ": error: layer '" + layer.name + "': " + reasons);
    }
    run.cycles = counts.add(run.cycles, evaluation.report->cycles);
    run.energy += evaluation.report->energy.total();
    run.layers.push_back(
        {i, std::move(*evaluation.report), std::move(details)});
  }
  if (counts.overflowed())
    throw MaestroError(mappingPath + ": error: the layers' cycles exceed " +
                       countLimitText() + "; split the network");
  return run;
}

} // namespace tessel
