//===- mapping/Mapping.cpp - Binding and verifying mappings ----------------===//
#include "mapping/Mapping.h"

#include "arch/Arch.h"
#include "support/Checked.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace tessel {
namespace {

std::string joinNames(const std::vector<std::string> &names) {
  std::string text;
  for (const std::string &name : names)
    text += (text.empty() ? "" : ", ") + name;
  return text;
}

/// The `name` of each element of `items`.
template <typename Range> std::vector<std::string> namesOf(const Range &items) {
  std::vector<std::string> names;
  for (const auto &item : items)
    names.push_back(item.name);
  return names;
}

/// Resolves a dimension name in level `levelName`; records an error if
/// unknown.
bool resolveDim(const Problem &problem, const std::string &levelName,
                const std::string &dim, unsigned &index,
                std::vector<MappingError> &errors) {
  if (auto found = problem.dimIndex(dim)) {
    index = *found;
    return true;
  }
  errors.push_back({"level '" + levelName + "': unknown dimension '" + dim +
                    "'; the op's dimensions are " +
                    joinNames(namesOf(problem.dims))});
  return false;
}

bool resolveLevel(const LevelSpec &spec, const Problem &problem,
                  LevelMapping &level, std::vector<MappingError> &errors) {
  bool ok = true;
  std::set<unsigned> temporalSeen;
  std::set<std::pair<unsigned, SpatialAxis>> spatialSeen;
  for (const LoopSpec &loop : spec.temporal) {
    unsigned dim = 0;
    if (!resolveDim(problem, spec.level, loop.dim, dim, errors)) {
      ok = false;
      continue;
    }
    if (!temporalSeen.insert(dim).second) {
      errors.push_back({"level '" + spec.level + "': dimension '" + loop.dim +
                        "' appears twice in 'temporal'; give each "
                        "dimension one factor per level"});
      ok = false;
    }
    level.temporal.push_back({dim, loop.factor});
  }
  for (const SpatialLoopSpec &loop : spec.spatial) {
    unsigned dim = 0;
    if (!resolveDim(problem, spec.level, loop.dim, dim, errors)) {
      ok = false;
      continue;
    }
    if (!spatialSeen.insert({dim, loop.axis}).second) {
      errors.push_back({"level '" + spec.level + "': dimension '" + loop.dim +
                        "' appears twice on axis " + axisName(loop.axis) +
                        " in 'spatial'"});
      ok = false;
    }
    level.spatial.push_back({dim, loop.factor, loop.axis});
  }
  for (const std::string &tensor : spec.keep) {
    if (auto index = problem.tensorIndex(tensor)) {
      if (level.keepMask & (1u << *index)) {
        errors.push_back({"level '" + spec.level + "': tensor '" + tensor +
                          "' is listed twice in 'keep'; list each once"});
        ok = false;
      }
      level.keepMask |= 1u << *index;
      continue;
    }
    errors.push_back({"level '" + spec.level + "': unknown tensor '" + tensor +
                      "' in 'keep'; the op's tensors are " +
                      joinNames(namesOf(problem.tensors))});
    ok = false;
  }
  return ok;
}

/// "4611686018427387908 x 4": a dimension's factors, outer to inner.
std::string factorsText(const Mapping &mapping, unsigned dim) {
  std::string text;
  auto add = [&](int64_t factor) {
    text += (text.empty() ? "" : " x ") + std::to_string(factor);
  };
  for (const LevelMapping &level : mapping.levels) {
    for (const Loop &loop : level.temporal)
      if (loop.dim == dim)
        add(loop.factor);
    for (const SpatialLoop &loop : level.spatial)
      if (loop.dim == dim)
        add(loop.factor);
  }
  return text;
}

/// The factor of `dim`'s outermost loop with a factor above 1 (1 if none)
/// and the product of the dimension's factors inside that loop.
std::pair<int64_t, int64_t> outermostFactor(const Mapping &mapping,
                                            unsigned dim) {
  int64_t outer = 1, inside = 1;
  auto visit = [&](unsigned loopDim, int64_t factor) {
    if (loopDim != dim || factor <= 1)
      return;
    if (outer > 1)
      inside = saturatingMul(inside, factor);
    else
      outer = factor;
  };
  for (const LevelMapping &level : mapping.levels) {
    for (const Loop &loop : level.temporal)
      visit(loop.dim, loop.factor);
    for (const SpatialLoop &loop : level.spatial)
      visit(loop.dim, loop.factor);
  }
  return {outer, inside};
}

/// Returns false if some dimension's factors overflow 64 bits (then no tile
/// size of this mapping can be formed).
bool checkBounds(const Problem &problem, const Mapping &mapping,
                 const VerifyOptions &options,
                 std::vector<MappingError> &errors) {
  // Per dimension, the product of all its factors.
  thread_local std::vector<int64_t> covered;
  thread_local std::vector<char> overflowed;
  covered.assign(problem.dims.size(), 1);
  overflowed.assign(problem.dims.size(), 0);
  auto multiply = [&](unsigned dim, int64_t factor) {
    if (factor < 1 || !checkedMul(covered[dim], factor, covered[dim]))
      overflowed[dim] = 1;
  };
  for (const LevelMapping &level : mapping.levels) {
    for (const Loop &loop : level.temporal)
      multiply(loop.dim, loop.factor);
    for (const SpatialLoop &loop : level.spatial)
      multiply(loop.dim, loop.factor);
  }
  bool fits = true;
  for (unsigned d = 0; d < problem.dims.size(); ++d) {
    const Dimension &dim = problem.dims[d];
    if (overflowed[d]) {
      errors.push_back({"dimension '" + dim.name + "': its factors (" +
                        factorsText(mapping, d) +
                        ") must be whole numbers >= 1 whose product fits in "
                        "64 bits, and should multiply to its bound " +
                        std::to_string(dim.bound)});
      fits = false;
      continue;
    }
    if (covered[d] == dim.bound)
      continue;
    std::string product = "dimension '" + dim.name +
                          "': the product of its factors is " +
                          std::to_string(covered[d]);
    if (covered[d] < dim.bound) {
      errors.push_back(
          {product + " but its bound is " + std::to_string(dim.bound) +
           (mapping.factorization == Factorization::Exact
                ? "; the factors must multiply to " + std::to_string(dim.bound)
                : "; the factors must multiply to " +
                      std::to_string(dim.bound) + " or more")});
      continue;
    }
    switch (mapping.factorization) {
    case Factorization::Residual: {
      auto [outer, inside] = outermostFactor(mapping, d);
      if (covered[d] - dim.bound < inside)
        break;
      int64_t right = (dim.bound + inside - 1) / inside;
      errors.push_back(
          {product + " (" + factorsText(mapping, d) + "), beyond its bound " +
           std::to_string(dim.bound) + " by a whole iteration of its outermost loop (factor " +
           std::to_string(outer) + ", each iteration covering " +
           std::to_string(inside) +
           "): a residual factorization may exceed the bound by less than " +
           std::to_string(inside) + "; make that factor " +
           std::to_string(right) + " (ceil(" + std::to_string(dim.bound) +
           " / " + std::to_string(inside) + "))"});
      break;
    }
    case Factorization::Padded:
      break; // Padded iterations are executed and counted.
    case Factorization::Exact: {
      double waste = double(covered[d] - dim.bound) / double(dim.bound);
      if (waste <= options.maxPadding)
        break;
      errors.push_back(
          {product + ", padding its bound " + std::to_string(dim.bound) +
           " by " + std::to_string(int(std::lround(waste * 100))) +
           "%, beyond the allowed " +
           std::to_string(int(std::lround(options.maxPadding * 100))) +
           "%; the factors must multiply to " + std::to_string(dim.bound) +
           ", or the mapping must say 'factorization: residual' (the last "
           "iteration of each loop clipped to the bound) or 'factorization: "
           "padded' (the padded iterations executed)"});
      break;
    }
    }
  }
  return fits;
}

void checkFanout(const Arch &arch, const Mapping &mapping,
                 std::vector<MappingError> &errors) {
  for (unsigned l = 0; l < arch.levels.size(); ++l) {
    const StorageLevel &level = arch.levels[l];
    for (SpatialAxis axis : {SpatialAxis::X, SpatialAxis::Y}) {
      int64_t used = mapping.levels[l].spatialProduct(axis);
      unsigned available = level.fanout[axis == SpatialAxis::X ? 0 : 1];
      if (used > int64_t(available))
        errors.push_back({"level '" + level.name + "': spatial factors on " +
                              axisName(axis) + " multiply to " +
                              std::to_string(used) + " but the level has " +
                              std::to_string(available) + " children on " +
                              axisName(axis),
                          int(l)});
    }
  }
}

/// A systolic array's words enter only at its edges and move to
/// neighbours, so its spatial loops must admit a dataflow its links carry,
/// with the array used either way round (rows along Y or along X): an
/// input moving along the rows must be the same for every PE of a column
/// (no column loop indexes it), and either the output moves down the
/// columns summing (no row loop indexes it; the other input stays in the
/// PEs: weight- or input-stationary) or it stays in the PEs while the
/// other input moves down the columns (no row loop indexes that input:
/// output-stationary).
void checkSystolic(const Problem &problem, const Arch &arch,
                   const Mapping &mapping, std::vector<MappingError> &errors) {
  if (problem.tensors.size() != 3)
    return; // Not a two-operand contraction: nothing flows this way.
  unsigned out = problem.outputIndex();
  unsigned a = out == 0 ? 1 : 0, b = 3 - out - a;
  for (unsigned l = 0; l < arch.levels.size(); ++l) {
    const StorageLevel &level = arch.levels[l];
    if (level.network.topology != "systolic")
      continue;
    auto indexedBy = [&](unsigned t, SpatialAxis axis) {
      for (const SpatialLoop &loop : mapping.levels[l].spatial)
        if (loop.axis == axis && loop.factor > 1 &&
            problem.tensors[t].isIndexedBy(loop.dim))
          return true;
      return false;
    };
    bool fits = false;
    for (SpatialAxis rows : {SpatialAxis::Y, SpatialAxis::X}) {
      SpatialAxis cols = rows == SpatialAxis::Y ? SpatialAxis::X : SpatialAxis::Y;
      for (auto [moving, other] : {std::pair{a, b}, std::pair{b, a}})
        fits = fits || (!indexedBy(moving, cols) &&
                        (!indexedBy(out, rows) || !indexedBy(other, rows)));
    }
    if (!fits)
      errors.push_back(
          {"level '" + level.name +
               "': no dataflow of its systolic network runs these spatial "
               "loops: an input moving along the rows must not be indexed "
               "by the columns' loops, and the output (summed down the "
               "columns) or the other input (moving down them) not by the "
               "rows' loops, with rows along Y or along X",
           int(l)});
  }
}

/// Marks the errors from `first` on as being about level `level`.
void attribute(std::vector<MappingError> &errors, size_t first,
               unsigned level) {
  for (size_t i = first; i < errors.size(); ++i)
    errors[i].level = int(level);
}

void checkKeeps(const Problem &problem, const Arch &arch,
                const Mapping &mapping, std::vector<MappingError> &errors) {
  for (unsigned l = 0; l < arch.levels.size(); ++l) {
    size_t first = errors.size();
    const StorageLevel &level = arch.levels[l];
    const LevelMapping &levelMapping = mapping.levels[l];
    if (levelMapping.keepMask == 0)
      errors.push_back({"level '" + level.name +
                        "' keeps no tensor; keep at least one or remove its "
                        "loops from the Arch"});
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      TensorRole role = tensorRole(problem, t);
      if (levelMapping.keeps(t) && !level.keepsRole(role))
        errors.push_back({"level '" + level.name + "' keeps tensor '" +
                          problem.tensors[t].name +
                          "', but the Arch lets it "
                          "hold no " +
                          tensorRoleName(role) + " tensors"});
      if (l == 0 && !levelMapping.keeps(t))
        errors.push_back({"level '" + level.name +
                          "' is the outermost and "
                          "must keep every tensor, but bypasses '" +
                          problem.tensors[t].name + "'"});
    }
    attribute(errors, first, l);
  }
}

/// The capacity message of a level whose kept tiles overflow it.
std::string overflowMessage(const Problem &problem, const StorageLevel &level,
                            const LevelMapping &levelMapping,
                            const std::vector<int64_t> &extents,
                            uint64_t total) {
  std::string parts;
  for (unsigned t = 0; t < problem.tensors.size(); ++t)
    if (levelMapping.keeps(t))
      parts += (parts.empty() ? "" : " + ") + problem.tensors[t].name + " " +
               std::to_string(storedWords(problem, t, level,
                                          problem.footprint(t, extents)));
  return "level '" + level.name + "': the tiles it keeps need " +
         std::to_string(total) + " words (" + parts + ") but it holds " +
         std::to_string(level.capacity);
}

void checkCapacity(const Problem &problem, const Arch &arch,
                   const Mapping &mapping, const VerifyOptions &options,
                   std::vector<MappingError> &errors) {
  // Tile extents grow from the innermost level outwards.
  thread_local std::vector<int64_t> extents;
  extents.assign(problem.dims.size(), 1);
  // Found inner to outer; reported outer to inner, as levels are listed.
  std::vector<std::pair<unsigned, MappingError>> found;
  for (unsigned l = arch.levels.size(); l-- > 0;) {
    const LevelMapping &levelMapping = mapping.levels[l];
    for (const Loop &loop : levelMapping.temporal)
      extents[loop.dim] = saturatingMul(extents[loop.dim], loop.factor);
    for (const SpatialLoop &loop : levelMapping.spatial)
      extents[loop.dim] = saturatingMul(extents[loop.dim], loop.factor);
    const StorageLevel &level = arch.levels[l];
    if (level.isUnbounded())
      continue;
    uint64_t total = 0;
    for (unsigned t = 0; t < problem.tensors.size(); ++t) {
      if (!levelMapping.keeps(t))
        continue;
      uint64_t words =
          storedWords(problem, t, level, problem.footprint(t, extents));
      if (!level.partition) {
        total = saturatingAdd(total, words);
        continue;
      }
      TensorRole role = tensorRole(problem, t);
      uint64_t room = level.capacityFor(role);
      if (words > room && !options.reasons) {
        errors.emplace_back();
        return;
      }
      if (words > room)
        found.push_back(
            {l,
             {"level '" + level.name + "': the tile of '" +
              problem.tensors[t].name + "' needs " + std::to_string(words) +
              " words but its " + tensorRoleName(role) + " partition holds " +
              std::to_string(room)}});
    }
    if (!level.partition && total > level.capacity && !options.reasons) {
      errors.emplace_back();
      return;
    }
    if (!level.partition && total > level.capacity)
      found.push_back(
          {l, {overflowMessage(problem, level, levelMapping, extents, total)}});
  }
  std::stable_sort(
      found.begin(), found.end(),
      [](const auto &a, const auto &b) { return a.first < b.first; });
  for (auto &[level, error] : found) {
    error.level = int(level);
    errors.push_back(std::move(error));
  }
}

} // namespace

TensorRole tensorRole(const Problem &problem, unsigned tensor) {
  if (problem.tensors[tensor].isOutput)
    return TensorRole::Output;
  unsigned inputsBefore = 0;
  for (unsigned t = 0; t < tensor; ++t)
    inputsBefore += !problem.tensors[t].isOutput;
  return inputsBefore == 0 ? TensorRole::Input : TensorRole::Weight;
}

Packing packingAt(const Problem &problem, unsigned tensor,
                  const StorageLevel &level) {
  return packingOf(problem.tensors[tensor].storedBits, level.wordBits);
}

std::vector<unsigned> storedBits(const Problem &problem) {
  std::vector<unsigned> bits;
  for (const Tensor &tensor : problem.tensors)
    if (tensor.storedBits != 0) {
      for (const Tensor &each : problem.tensors)
        bits.push_back(each.storedBits);
      break;
    }
  return bits;
}

uint64_t storedWords(const Problem &problem, unsigned tensor,
                     const StorageLevel &level, uint64_t elements) {
  return packingAt(problem, tensor, level).wordsFor(elements);
}

int64_t LevelMapping::spatialProduct(SpatialAxis axis) const {
  int64_t product = 1;
  for (const SpatialLoop &loop : spatial)
    if (loop.axis == axis)
      product = saturatingMul(product, loop.factor);
  return product;
}

std::vector<int64_t> Mapping::tileExtents(unsigned level,
                                          unsigned dimCount) const {
  std::vector<int64_t> extents(dimCount, 1);
  for (unsigned l = level; l < levels.size(); ++l) {
    for (const Loop &loop : levels[l].temporal)
      extents[loop.dim] = saturatingMul(extents[loop.dim], loop.factor);
    for (const SpatialLoop &loop : levels[l].spatial)
      extents[loop.dim] = saturatingMul(extents[loop.dim], loop.factor);
  }
  return extents;
}

std::vector<int64_t> Mapping::coveredBounds(unsigned dimCount) const {
  return tileExtents(0, dimCount);
}

bool resolveMapping(const MappingSpec &spec, const Problem &problem,
                    const Arch &arch, Mapping &mapping,
                    std::vector<MappingError> &errors) {
  size_t before = errors.size();
  mapping.levels.clear();
  mapping.factorization = spec.factorization;
  if (spec.levels.size() != arch.levels.size()) {
    std::vector<std::string> given;
    for (const LevelSpec &level : spec.levels)
      given.push_back(level.level);
    errors.push_back({"the mapping has " + std::to_string(spec.levels.size()) +
                      " levels (" + joinNames(given) + ") but the Arch '" +
                      arch.name + "' has " +
                      std::to_string(arch.levels.size()) + " (" +
                      joinNames(namesOf(arch.levels)) + "), outer to inner"});
    return false;
  }
  for (unsigned l = 0; l < spec.levels.size(); ++l) {
    const LevelSpec &levelSpec = spec.levels[l];
    size_t first = errors.size();
    if (levelSpec.level != arch.levels[l].name) {
      bool known = arch.levelIndex(levelSpec.level).has_value();
      errors.push_back({"mapping level " + std::to_string(l + 1) + " is '" +
                        levelSpec.level + "' but Arch level " +
                        std::to_string(l + 1) + " is '" + arch.levels[l].name +
                        "'" +
                        (known ? " (levels must be listed outer to inner: " +
                                     joinNames(namesOf(arch.levels)) + ")"
                               : "; the Arch's levels are " +
                                     joinNames(namesOf(arch.levels)))});
    }
    LevelMapping level;
    resolveLevel(levelSpec, problem, level, errors);
    attribute(errors, first, l);
    mapping.levels.push_back(std::move(level));
  }
  return errors.size() == before;
}

MappingSpec describeMapping(const Mapping &mapping, const Problem &problem,
                            const Arch &arch) {
  MappingSpec spec;
  spec.factorization = mapping.factorization;
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    const LevelMapping &level = mapping.levels[l];
    LevelSpec levelSpec;
    levelSpec.level = arch.levels[l].name;
    for (const Loop &loop : level.temporal)
      levelSpec.temporal.push_back({problem.dims[loop.dim].name, loop.factor});
    for (const SpatialLoop &loop : level.spatial)
      levelSpec.spatial.push_back(
          {problem.dims[loop.dim].name, loop.factor, loop.axis});
    for (unsigned t = 0; t < problem.tensors.size(); ++t)
      if (level.keeps(t))
        levelSpec.keep.push_back(problem.tensors[t].name);
    spec.levels.push_back(std::move(levelSpec));
  }
  return spec;
}

std::vector<std::vector<uint64_t>> tileWords(const Problem &problem,
                                             const Mapping &mapping) {
  std::vector<std::vector<uint64_t>> words;
  for (unsigned l = 0; l < mapping.levels.size(); ++l) {
    std::vector<int64_t> extents = mapping.tileExtents(l, problem.dims.size());
    std::vector<uint64_t> perTensor;
    for (unsigned t = 0; t < problem.tensors.size(); ++t)
      perTensor.push_back(problem.footprint(t, extents));
    words.push_back(std::move(perTensor));
  }
  return words;
}

std::vector<MappingError> verifyMapping(const Problem &problem,
                                        const Arch &arch,
                                        const Mapping &mapping,
                                        const VerifyOptions &options) {
  std::vector<MappingError> errors;
  bool factorsFit = checkBounds(problem, mapping, options, errors);
  checkFanout(arch, mapping, errors);
  checkSystolic(problem, arch, mapping, errors);
  checkKeeps(problem, arch, mapping, errors);
  if (factorsFit)
    checkCapacity(problem, arch, mapping, options, errors);
  return errors;
}

std::vector<MappingError> verifyMapping(const Problem &problem,
                                        const Arch &arch,
                                        const MappingSpec &spec,
                                        const VerifyOptions &options) {
  std::vector<MappingError> errors;
  Mapping mapping;
  if (resolveMapping(spec, problem, arch, mapping, errors))
    errors = verifyMapping(problem, arch, mapping, options);
  locateErrors(spec, errors);
  return errors;
}

std::vector<unsigned> clippedDims(const Problem &problem,
                                  const Mapping &mapping) {
  std::vector<unsigned> dims;
  if (mapping.factorization != Factorization::Residual)
    return dims;
  std::vector<int64_t> covered = mapping.coveredBounds(problem.dims.size());
  for (unsigned d = 0; d < problem.dims.size(); ++d)
    if (covered[d] > problem.dims[d].bound)
      dims.push_back(d);
  return dims;
}

void locateErrors(const MappingSpec &spec, std::vector<MappingError> &errors) {
  for (MappingError &error : errors) {
    if (error.level >= 0 && size_t(error.level) < spec.levels.size() &&
        !spec.levels[error.level].origin.empty())
      error.where = spec.levels[error.level].origin;
    else
      error.where = spec.origin;
  }
}

} // namespace tessel
