//===- mapper/MapSpace.cpp -----------------------------------------===//
#include "mapper/MapSpace.h"

#include "arch/Arch.h"
#include "mapping/RandomMapping.h"
#include "support/Checked.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>

namespace tessel {

//===----------------------------------------------------------------------===//
// SpaceCount
//===----------------------------------------------------------------------===//

double SpaceCount::log10() const {
  if (!known)
    return NAN;
  if (!exact)
    return log;
  return value == 0 ? -INFINITY : double(std::log10((long double)value));
}

SpaceCount &SpaceCount::operator+=(const SpaceCount &other) {
  if (!known || !other.known)
    return *this = unknown();
  if (exact && other.exact && value + other.value >= value) {
    value += other.value;
    return *this;
  }
  double mine = log10(), theirs = other.log10();
  double high = std::max(mine, theirs), low = std::min(mine, theirs);
  log = high + std::log10(1 + std::pow(10.0, low - high));
  exact = false;
  return *this;
}

SpaceCount &SpaceCount::operator*=(const SpaceCount &other) {
  if (!known || !other.known)
    return *this = unknown();
  if (exact && other.exact) {
    if (value == 0 || other.value == 0) {
      value = 0;
      return *this;
    }
    unsigned __int128 product = value * other.value;
    if (product / other.value == value) {
      value = product;
      return *this;
    }
  }
  log = log10() + other.log10();
  exact = false;
  return *this;
}

SpaceCount SpaceCount::scaled(const SpaceCount &count, double share) {
  if (!count.known)
    return unknown();
  SpaceCount result;
  if (share <= 0)
    return result;
  result.exact = false;
  result.log = count.log10() + std::log10(share);
  return result;
}

std::string SpaceCount::text() const {
  if (!known)
    return "not counted";
  unsigned __int128 rest = value;
  std::string prefix;
  if (!exact) {
    if (log >= 18) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "10^%.1f", log);
      return buffer;
    }
    prefix = "~"; // An estimate: show it rounded.
    rest = (unsigned __int128)std::llround(std::pow(10.0, log));
  }
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(rest % 10)));
    rest /= 10;
  } while (rest != 0);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0)
      text += ',';
    text += digits[i];
  }
  return prefix + text;
}

namespace {

constexpr unsigned kTemporal = 0, kSpatialX = 1, kSpatialY = 2;

unsigned slotOf(unsigned level, unsigned kind) { return level * 3 + kind; }

SpaceCount factorial(unsigned n) {
  SpaceCount result(1);
  for (unsigned i = 2; i <= n; ++i)
    result *= SpaceCount(i);
  return result;
}

/// Ordered ways to write n as a product of `slots` factors.
SpaceCount orderedFactorizations(int64_t n, unsigned slots) {
  SpaceCount count(1);
  std::vector<int64_t> primes = primeFactors(n);
  for (size_t i = 0; i < primes.size();) {
    size_t j = i;
    while (j < primes.size() && primes[j] == primes[i])
      ++j;
    unsigned exponent = unsigned(j - i);
    // C(exponent + slots - 1, slots - 1), exactly.
    unsigned __int128 ways = 1;
    for (unsigned k = 1; k <= exponent; ++k)
      ways = ways * (slots - 1 + k) / k;
    count *= SpaceCount(uint64_t(ways));
    i = j;
  }
  return count;
}

/// Ordered ways to write a residual factorization of `bound` over `slots`
/// (mapper/MapSpace.h): the outermost non-1 factor is ceil(bound / S) for
/// the product S < bound of the k slots inside it, so the count is the sum
/// over k < slots of the ordered k-tuples with product at most bound - 1.
SpaceCount residualFactorizationCount(int64_t bound, unsigned slots) {
  if (bound <= 1)
    return SpaceCount(1);
  std::map<std::pair<unsigned, int64_t>, SpaceCount> memo;
  // Ordered k-tuples of positive integers with product <= most.
  std::function<SpaceCount(unsigned, int64_t)> tuples =
      [&](unsigned k, int64_t most) -> SpaceCount {
    if (k == 0)
      return SpaceCount(1);
    if (auto found = memo.find({k, most}); found != memo.end())
      return found->second;
    SpaceCount total(0);
    for (int64_t f = 1; f <= most; ++f)
      total += tuples(k - 1, most / f);
    return memo[{k, most}] = total;
  };
  SpaceCount total(0);
  for (unsigned k = 0; k < slots; ++k)
    total += tuples(k, bound - 1);
  return total;
}

/// `message` at `where` (a constraint's origin, or the constraints file).
[[noreturn]] void fail(const std::string &where, const std::string &message) {
  throw ConstraintError(where.empty() ? message
                                      : where + ": error: " + message);
}

} // namespace

//===----------------------------------------------------------------------===//
// Binding the constraints
//===----------------------------------------------------------------------===//

MapSpace::MapSpace(const Problem &problem, const Arch &arch,
                   const Constraints &constraints)
    : problem_(problem), arch_(arch), constraints(constraints),
      levels(arch.levelCount()), dims(problem.dims.size()), slots(3 * levels),
      tensors(problem.tensors.size()) {
  allowed.assign(dims, std::vector<bool>(slots, true));
  fixedFactor.assign(dims, std::vector<int64_t>(slots, 0));
  minFactor.assign(dims, std::vector<int64_t>(slots, 1));
  maxFactor.assign(dims, std::vector<int64_t>(slots, INT64_MAX));
  fixedOrder.assign(levels, std::nullopt);
  outerDims.assign(levels, {});
  innerDims.assign(levels, {});
  levelMinUtilization.assign(levels, 0);
  fixedKeep.assign(levels, std::nullopt);
  for (unsigned l = 0; l < levels; ++l) {
    uint32_t mask = 0;
    for (unsigned t = 0; t < tensors; ++t)
      if (arch.levels[l].keepsRole(tensorRole(problem, t)))
        mask |= 1u << t;
    allowedKeep.push_back(l == 0 ? (1u << tensors) - 1 : mask);
    for (unsigned d = 0; d < dims; ++d) {
      allowed[d][slotOf(l, kSpatialX)] = arch.levels[l].fanout[0] > 1;
      allowed[d][slotOf(l, kSpatialY)] = arch.levels[l].fanout[1] > 1;
    }
  }
  applyNetworks();
  boundChoices.resize(dims);
  for (unsigned d = 0; d < dims; ++d) {
    int64_t bound = problem.dims[d].bound;
    auto most = int64_t(std::floor(double(bound) * (1 + constraints.padding)));
    for (int64_t b = bound; b <= std::max(bound, most); ++b)
      boundChoices[d].push_back(b);
  }
  bindLevelConstraints();
  applyDataflow();
  for (unsigned d = 0; d < dims; ++d) {
    bool anywhere = false;
    for (unsigned s = 0; s < slots; ++s)
      anywhere |= allowed[d][s] && fixedFactor[d][s] == 0;
    int64_t fixedProduct = 1;
    bool productFits = true;
    for (unsigned s = 0; s < slots; ++s)
      productFits &= checkedMul(
          fixedProduct, std::max<int64_t>(1, fixedFactor[d][s]), fixedProduct);
    bool fits = false;
    for (int64_t b : boundChoices[d])
      fits |= productFits && b % fixedProduct == 0 &&
              (anywhere || b == fixedProduct);
    if (!fits)
      fail(constraints.file,
           "dimension '" + problem.dims[d].name + "' (bound " +
               std::to_string(problem.dims[d].bound) +
               ") cannot be mapped: its fixed factors multiply to " +
               (productFits ? std::to_string(fixedProduct)
                            : std::string("more than 2^63")) +
               (anywhere ? ", which divides no allowed bound"
                         : " and every other slot is forbidden"));
  }
  // What random points draw from, fixed from here on.
  openSlots.assign(dims, {});
  for (unsigned d = 0; d < dims; ++d)
    for (unsigned s = 0; s < slots; ++s)
      if (allowed[d][s] && fixedFactor[d][s] == 0)
        openSlots[d].push_back(s);
  prunedKeeps.clear();
  for (unsigned l = 0; l < levels; ++l)
    prunedKeeps.push_back(keepChoices(l, true));
  openModulus.clear();
  for (const std::vector<unsigned> &open : openSlots)
    openModulus.emplace_back(std::max<size_t>(1, open.size()));
  keepModulus.clear();
  for (const std::vector<uint32_t> &keeps : prunedKeeps)
    keepModulus.emplace_back(std::max<size_t>(1, keeps.size()));
  levelModulus = Modulus(levels + 1);
  fixedProducts.assign(dims, 1);
  divisibleBounds.assign(dims, {});
  boundPrimes.assign(dims, {});
  for (unsigned d = 0; d < dims; ++d) {
    for (unsigned s = 0; s < slots; ++s)
      fixedProducts[d] *= std::max<int64_t>(1, fixedFactor[d][s]);
    for (int64_t b : boundChoices[d])
      if (b % fixedProducts[d] == 0) {
        divisibleBounds[d].push_back(b);
        boundPrimes[d].push_back(primeFactors(b / fixedProducts[d]));
      }
  }
}

void MapSpace::bindLevelConstraints() {
  for (const LevelConstraint &c : constraints.levels) {
    auto level = arch_.levelIndex(c.level);
    if (!level) {
      std::string names;
      for (const StorageLevel &l : arch_.levels)
        names += (names.empty() ? "" : ", ") + l.name;
      fail(c.origin, "constraint on unknown level '" + c.level +
                         "'; the Arch's levels are " + names);
    }
    unsigned l = *level;
    auto dimOf = [&](const std::string &name) {
      auto dim = problem_.dimIndex(name);
      if (!dim) {
        std::string names;
        for (const Dimension &d : problem_.dims)
          names += (names.empty() ? "" : ", ") + d.name;
        fail(c.origin, "level '" + c.level + "': unknown dimension '" + name +
                           "'; the op's dimensions are " + names);
      }
      return *dim;
    };
    for (const LoopSpec &loop : c.temporal)
      fixedFactor[dimOf(loop.dim)][slotOf(l, kTemporal)] = loop.factor;
    for (const SpatialLoopSpec &loop : c.spatial) {
      unsigned axis = loop.axis == SpatialAxis::X ? 0 : 1;
      if (loop.factor > int64_t(arch_.levels[l].fanout[axis]))
        fail(c.origin, "level '" + c.level + "': fixed spatial factor " +
                           loopText(loop) + " exceeds the " +
                           std::to_string(arch_.levels[l].fanout[axis]) +
                           " children on " + axisName(loop.axis));
      fixedFactor[dimOf(loop.dim)][slotOf(l, 1 + axis)] = loop.factor;
    }
    for (const std::string &name : c.noSpatial) {
      unsigned d = dimOf(name);
      allowed[d][slotOf(l, kSpatialX)] = allowed[d][slotOf(l, kSpatialY)] =
          false;
    }
    for (auto [only, kind] : {std::pair{&c.spatialX, kSpatialX},
                              std::pair{&c.spatialY, kSpatialY}}) {
      if (!*only)
        continue;
      std::vector<bool> named(dims, false);
      for (const std::string &name : **only)
        named[dimOf(name)] = true;
      for (unsigned d = 0; d < dims; ++d)
        if (!named[d])
          allowed[d][slotOf(l, kind)] = false;
    }
    for (const FactorBound &bound : c.bounds) {
      unsigned d = dimOf(bound.dim);
      unsigned s = slotOf(l, bound.slot == LoopSlot::Temporal   ? kTemporal
                             : bound.slot == LoopSlot::SpatialX ? kSpatialX
                                                                : kSpatialY);
      minFactor[d][s] = std::max(minFactor[d][s], bound.atLeast);
      maxFactor[d][s] = std::min(maxFactor[d][s], bound.atMost);
      if (minFactor[d][s] > maxFactor[d][s])
        fail(bound.origin, "level '" + c.level + "': the bounds on '" +
                               bound.dim + "' leave no factor (at least " +
                               std::to_string(minFactor[d][s]) +
                               ", at most " + std::to_string(maxFactor[d][s]) +
                               ")");
      int64_t fixed = fixedFactor[d][s];
      if (fixed != 0 && (fixed < minFactor[d][s] || fixed > maxFactor[d][s]))
        fail(bound.origin, "level '" + c.level + "': '" + bound.dim +
                               "' is fixed to " + std::to_string(fixed) +
                               " here, outside its bound");
      if (minFactor[d][s] > 1 && !allowed[d][s])
        fail(bound.origin, "level '" + c.level + "': '" + bound.dim +
                               "' needs a factor of at least " +
                               std::to_string(minFactor[d][s]) +
                               " in a slot its other constraints forbid");
    }
    for (const std::string &name : c.outermost)
      outerDims[l].push_back(dimOf(name));
    for (const std::string &name : c.innermost)
      innerDims[l].push_back(dimOf(name));
    levelMinUtilization[l] = c.minUtilization;
    if (c.order) {
      std::vector<unsigned> order;
      for (const std::string &name : *c.order)
        order.push_back(dimOf(name));
      for (unsigned d = 0; d < dims; ++d)
        if (std::find(order.begin(), order.end(), d) == order.end()) {
          allowed[d][slotOf(l, kTemporal)] = false;
          order.push_back(d);
        }
      fixedOrder[l] = order;
    }
    if (c.keep) {
      uint32_t mask = 0;
      for (const std::string &name : *c.keep) {
        // A tensor of this op, or a role (input, weight, output) so that
        // one file serves every op of a module.
        std::optional<unsigned> tensor = problem_.tensorIndex(name);
        if (auto role = tensorRoleNamed(name))
          for (unsigned t = 0; t < tensors; ++t)
            if (tensorRole(problem_, t) == *role)
              tensor = t;
        if (!tensor) {
          std::string names;
          for (const Tensor &t : problem_.tensors)
            names += t.name + ", ";
          fail(c.origin, "level '" + c.level + "': unknown tensor '" + name +
                             "'; expected one of the op's tensors (" + names +
                             "or a role: input, weight, output)");
        }
        mask |= 1u << *tensor;
      }
      fixedKeep[l] = mask;
    }
  }
}

void MapSpace::applyNetworks() {
  unsigned output = problem_.outputIndex();
  for (unsigned l = 0; l < levels; ++l) {
    const Network &network = arch_.levels[l].network;
    for (unsigned d = 0; d < dims; ++d) {
      bool indexesAllInputs = true;
      for (unsigned t = 0; t < tensors; ++t)
        if (t != output && !problem_.tensors[t].isIndexedBy(d))
          indexesAllInputs = false;
      bool indexesOutput = problem_.tensors[output].isIndexedBy(d);
      // Hardware: a systolic array moves one operand along X (it must be
      // the same for every PE of a column: no X loop indexes it) and either
      // the partial sums along Y (no Y loop indexes the output) or, output-
      // stationary, the other operand. By default the weights stay
      // (weight-stationary: the input moves, the sums flow down); the
      // dataflow template picks input- or output-stationary instead.
      // (verifyMapping accepts every dataflow either way round; the space
      // holds the one chosen, rows along Y.)
      if (network.topology == "systolic" && tensors == 3) {
        unsigned first = output == 0 ? 1 : 0, weight = 3 - output - first;
        DataflowTemplate flow = constraints.dataflow;
        unsigned moving =
            flow == DataflowTemplate::InputStationary ? weight : first;
        unsigned down =
            flow == DataflowTemplate::OutputStationary ? weight : output;
        if (problem_.tensors[moving].isIndexedBy(d))
          allowed[d][slotOf(l, kSpatialX)] = false;
        if (problem_.tensors[down].isIndexedBy(d))
          allowed[d][slotOf(l, kSpatialY)] = false;
      }
      // User: only what the network does natively (no broadcast by copies,
      // no spatial reduction by the parent).
      if (constraints.nativeNetworks &&
          ((!network.multicast && !indexesAllInputs) ||
           (!network.reduction && !indexesOutput)))
        allowed[d][slotOf(l, kSpatialX)] = allowed[d][slotOf(l, kSpatialY)] =
            false;
    }
  }
}

void MapSpace::applyDataflow() {
  DataflowTemplate dataflow = constraints.dataflow;
  if (dataflow == DataflowTemplate::None)
    return;
  unsigned inner = levels - 1;
  if (dataflow == DataflowTemplate::RowStationary) {
    // A convolution row primitive per PE: the window pair (p, r) of the
    // first input coordinate like `oh + kh` spreads over the array above
    // (p on X, r on Y), with replication dims beside them; the PE walks
    // the rest.
    const Tensor &input = problem_.tensors[0];
    const Tensor &output = problem_.output();
    std::optional<std::pair<unsigned, unsigned>> window;
    for (const Projection &coordinate : input.projection) {
      if (coordinate.terms.size() != 2)
        continue;
      unsigned a = coordinate.terms[0].dim, b = coordinate.terms[1].dim;
      if (output.isIndexedBy(a) && !output.isIndexedBy(b))
        window = std::make_pair(a, b);
      else if (output.isIndexedBy(b) && !output.isIndexedBy(a))
        window = std::make_pair(b, a);
      if (window)
        break;
    }
    if (!window || levels < 2)
      fail(constraints.file,
           "row-stationary needs a convolution (an input coordinate that adds "
           "an output loop and a window loop, like oh + kh) on an Arch with a "
           "PE array; '" +
               problem_.opName + "' on '" + arch_.name + "' has none");
    // The logical PE set (output rows x filter rows) is replicated over
    // the physical array as Eyeriss does it: dimensions that slide no
    // window (filters, channels, batch) may spread on either axis too, so
    // that several sets fill the array.
    std::vector<bool> slides(dims, false);
    for (const Tensor &tensor : problem_.tensors)
      for (const Projection &coordinate : tensor.projection)
        if (coordinate.terms.size() > 1)
          for (const ProjectionTerm &term : coordinate.terms)
            slides[term.dim] = true;
    unsigned array = levels - 2;
    for (unsigned d = 0; d < dims; ++d) {
      bool replicates = !slides[d];
      allowed[d][slotOf(array, kSpatialX)] =
          allowed[d][slotOf(array, kSpatialX)] &&
          (d == window->first || replicates);
      allowed[d][slotOf(array, kSpatialY)] =
          allowed[d][slotOf(array, kSpatialY)] &&
          (d == window->second || replicates);
    }
    allowed[window->first][slotOf(inner, kTemporal)] = false;
    allowed[window->second][slotOf(inner, kTemporal)] = false;
    return;
  }
  unsigned stationary = dataflow == DataflowTemplate::OutputStationary
                            ? problem_.outputIndex()
                        : dataflow == DataflowTemplate::InputStationary ? 0
                                                                        : 1;
  // The stationary tensor's tile must not change while the innermost
  // level's loops run: those loops may only walk dimensions it ignores.
  for (unsigned d = 0; d < dims; ++d)
    if (problem_.tensors[stationary].isIndexedBy(d))
      allowed[d][slotOf(inner, kTemporal)] = false;
}

//===----------------------------------------------------------------------===//
// Points
//===----------------------------------------------------------------------===//

Mapping MapSpace::decode(const Genome &genome) const {
  Mapping mapping;
  decode(genome, mapping);
  return mapping;
}

void MapSpace::decode(const Genome &genome, Mapping &mapping) const {
  // A padded bound's factors run (and count) the padded iterations, and
  // the mapping says so, so that every evaluator takes it the same way.
  mapping.factorization = Factorization::Exact;
  if (constraints.padding > 0)
    mapping.factorization = Factorization::Padded;
  if (residual())
    mapping.factorization = Factorization::Residual;
  mapping.levels.resize(levels);
  for (unsigned l = 0; l < levels; ++l) {
    LevelMapping &level = mapping.levels[l];
    level.temporal.clear();
    level.spatial.clear();
    for (unsigned d : genome.order[l]) {
      int64_t factor = genome.factors[d][slotOf(l, kTemporal)];
      if (factor > 1)
        level.temporal.push_back({d, factor});
    }
    for (unsigned kind : {kSpatialX, kSpatialY})
      for (unsigned d = 0; d < dims; ++d) {
        int64_t factor = genome.factors[d][slotOf(l, kind)];
        if (factor > 1)
          level.spatial.push_back(
              {d, factor, kind == kSpatialX ? SpatialAxis::X : SpatialAxis::Y});
      }
    level.keepMask = genome.keep[l];
  }
}

bool MapSpace::fitsFanout(
    const std::vector<std::vector<int64_t>> &factors) const {
  for (unsigned l = 0; l < levels; ++l)
    for (unsigned axis = 0; axis < 2; ++axis) {
      int64_t used = 1;
      for (unsigned d = 0; d < dims; ++d)
        used = saturatingMul(used, factors[d][slotOf(l, 1 + axis)]);
      if (used > int64_t(arch_.levels[l].fanout[axis]))
        return false;
    }
  return true;
}

bool MapSpace::listed(unsigned level, unsigned dim) const {
  return std::find(outerDims[level].begin(), outerDims[level].end(), dim) !=
             outerDims[level].end() ||
         std::find(innerDims[level].begin(), innerDims[level].end(), dim) !=
             innerDims[level].end();
}

void MapSpace::placeListed(unsigned level, std::vector<unsigned> &order) const {
  if (outerDims[level].empty() && innerDims[level].empty())
    return;
  std::vector<unsigned> placed;
  for (unsigned d : outerDims[level])
    if (std::find(order.begin(), order.end(), d) != order.end())
      placed.push_back(d);
  for (unsigned d : order)
    if (!listed(level, d))
      placed.push_back(d);
  for (unsigned d : innerDims[level])
    if (std::find(order.begin(), order.end(), d) != order.end())
      placed.push_back(d);
  order = std::move(placed);
}

bool MapSpace::utilizationFits(const std::vector<int64_t> &usage) const {
  int64_t used = 1;
  for (unsigned l = 0; l < levels; ++l) {
    int64_t here = usage[2 * l] * usage[2 * l + 1];
    used *= here;
    uint64_t children =
        uint64_t(arch_.levels[l].fanout[0]) * arch_.levels[l].fanout[1];
    if (levelMinUtilization[l] > 0 &&
        double(here) / double(children) + 1e-12 < levelMinUtilization[l])
      return false;
  }
  return constraints.minUtilization <= 0 ||
         double(used) / double(arch_.peCount()) + 1e-12 >=
             constraints.minUtilization;
}

void MapSpace::randomFactors(unsigned dim, Genome &genome,
                             std::mt19937_64 &rng,
                             std::vector<int64_t> *usage) const {
  std::vector<int64_t> &factors = genome.factors[dim];
  for (unsigned s = 0; s < slots; ++s)
    factors[s] = std::max<int64_t>(1, fixedFactor[dim][s]);
  const int64_t fixedProduct = fixedProducts[dim];
  // Usually the exact bound; with padding allowed, sometimes a larger one.
  const std::vector<int64_t> &divisible = divisibleBounds[dim];
  size_t choice = 0;
  if (divisible.size() > 1 && rng() % 2)
    choice = 1 + rng() % (divisible.size() - 1);
  int64_t bound =
      divisible.empty() ? boundChoices[dim].front() : divisible[choice];
  // Residual: sometimes the primes of a bound up to half larger, the
  // outermost factor then clipped to the real one.
  bool overshoot = residual() && fixedProduct == 1 && rng() % 2;
  if (overshoot)
    bound += 1 + int64_t(rng() % uint64_t(bound / 2 + 1));
  const std::vector<unsigned> &open = openSlots[dim];
  if (open.empty())
    return;
  thread_local std::vector<int64_t> drawn;
  const std::vector<int64_t> *primes = &drawn;
  if (overshoot || divisible.empty())
    primeFactors(bound / fixedProduct, drawn);
  else
    primes = &boundPrimes[dim][choice];
  // The children each level's axes use (every dim's factors), and how many
  // exceed their fanout: a prime fits a spatial slot iff none does after.
  // (Products saturate: one past the fanout is as over as any.)
  thread_local std::vector<int64_t> own;
  std::vector<int64_t> &used = usage ? *usage : own;
  auto recount = [&] {
    used.assign(2 * levels, 1);
    for (unsigned l = 0; l < levels; ++l)
      for (unsigned axis = 0; axis < 2; ++axis)
        for (unsigned d = 0; d < dims; ++d)
          used[2 * l + axis] = saturatingMul(
              used[2 * l + axis], genome.factors[d][slotOf(l, 1 + axis)]);
  };
  if (usage) {
    for (unsigned l = 0; l < levels; ++l)
      for (unsigned axis = 0; axis < 2; ++axis)
        used[2 * l + axis] =
            saturatingMul(used[2 * l + axis], factors[slotOf(l, 1 + axis)]);
  } else {
    recount();
  }
  auto fanout = [&](size_t i) {
    return int64_t(arch_.levels[i / 2].fanout[i % 2]);
  };
  unsigned over = 0;
  for (size_t i = 0; i < used.size(); ++i)
    over += used[i] > fanout(i);
  // Places `prime` in spatial slot s if the fanouts allow (or `force`).
  auto spread = [&](unsigned s, int64_t prime, bool force) {
    size_t i = 2 * (s / 3) + (s % 3 - 1);
    int64_t grown = saturatingMul(used[i], prime);
    unsigned after = over - (used[i] > fanout(i)) + (grown > fanout(i));
    if (after != 0 && !force)
      return false;
    used[i] = grown;
    over = after;
    factors[s] *= prime;
    return true;
  };
  for (int64_t prime : *primes) {
    // Outer levels are likelier, so that tiles tend to fit.
    bool placed = false;
    for (int attempt = 0; attempt < 8 && !placed; ++attempt) {
      unsigned s = open[openModulus[dim].of(rng())];
      unsigned level = s / 3;
      if (level != 0 && levelModulus.of(rng()) < level)
        continue;
      if (s % 3 == kTemporal) {
        factors[s] *= prime;
        placed = true;
      } else {
        placed = spread(s, prime, false);
      }
    }
    if (placed)
      continue;
    // Fall back to the outermost open temporal slot, else any open slot.
    unsigned fallback = open.front();
    for (unsigned s : open)
      if (s % 3 == kTemporal) {
        fallback = s;
        break;
      }
    if (fallback % 3 == kTemporal)
      factors[fallback] *= prime;
    else
      spread(fallback, prime, true);
  }
  if (overshoot) {
    clipToBound(dim, factors);
    recount(); // Clipping changes the factors: the usage follows.
  }
}

Genome MapSpace::random(std::mt19937_64 &rng) const {
  Genome genome;
  random(rng, genome);
  return genome;
}

void MapSpace::random(std::mt19937_64 &rng, Genome &genome) const {
  genome.factors.resize(dims);
  for (std::vector<int64_t> &factors : genome.factors)
    factors.assign(slots, 1);
  thread_local std::vector<unsigned> dimOrder;
  dimOrder.resize(dims);
  std::iota(dimOrder.begin(), dimOrder.end(), 0);
  std::shuffle(dimOrder.begin(), dimOrder.end(), rng);
  thread_local std::vector<int64_t> usage;
  usage.assign(2 * levels, 1);
  for (unsigned d : dimOrder)
    randomFactors(d, genome, rng, &usage);
  genome.order.resize(levels);
  genome.keep.resize(levels);
  for (unsigned l = 0; l < levels; ++l) {
    std::vector<unsigned> &order = genome.order[l];
    if (fixedOrder[l]) {
      order = *fixedOrder[l];
    } else {
      order.resize(dims);
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), rng);
    }
    placeListed(l, order);
    const std::vector<uint32_t> &keeps = prunedKeeps[l];
    genome.keep[l] = keeps[keepModulus[l].of(rng())];
  }
}

Genome MapSpace::mutate(const Genome &genome, std::mt19937_64 &rng) const {
  Genome child = genome;
  mutateInPlace(child, rng);
  return child;
}

void MapSpace::mutateInPlace(Genome &child, std::mt19937_64 &rng) const {
  // Scratch kept per thread: a search mutates millions of times.
  thread_local std::vector<unsigned> from, to;
  thread_local std::vector<int64_t> primes, before;
  for (int attempt = 0; attempt < 16; ++attempt) {
    unsigned kind = rng() % 4;
    if (kind <= 1) { // Move a prime factor of one dimension.
      unsigned d = rng() % dims;
      from.clear();
      to.clear();
      for (unsigned s = 0; s < slots; ++s) {
        if (!allowed[d][s] || fixedFactor[d][s] != 0)
          continue;
        to.push_back(s);
        if (child.factors[d][s] > 1)
          from.push_back(s);
      }
      if (from.empty() || to.size() < 2)
        continue;
      unsigned source = from[rng() % from.size()];
      unsigned target = to[rng() % to.size()];
      if (source == target)
        continue;
      before = child.factors[d];
      primeFactors(child.factors[d][source], primes);
      int64_t prime = primes[rng() % primes.size()];
      child.factors[d][source] /= prime;
      child.factors[d][target] *= prime;
      // A residual dimension's outermost factor follows the rest.
      if ((!residual() || clipToBound(d, child.factors[d])) &&
          fitsFanout(child.factors))
        return;
      child.factors[d] = before;
    } else if (kind == 2) { // Swap two loops of a level.
      unsigned l = rng() % levels;
      if (fixedOrder[l] || dims < 2)
        continue;
      unsigned a = rng() % dims, b = rng() % dims;
      if (a == b || listed(l, child.order[l][a]) ||
          listed(l, child.order[l][b]))
        continue;
      std::swap(child.order[l][a], child.order[l][b]);
      return;
    } else { // Keep or bypass a tensor at a level.
      unsigned l = rng() % levels;
      const std::vector<uint32_t> &keeps = prunedKeeps[l];
      if (keeps.size() < 2)
        continue;
      uint32_t next = keeps[rng() % keeps.size()];
      if (next == child.keep[l])
        continue;
      child.keep[l] = next;
      return;
    }
  }
  // Padding: redraw one dimension's factors.
  unsigned d = rng() % dims;
  before = child.factors[d];
  randomFactors(d, child, rng);
  if (!fitsFanout(child.factors))
    child.factors[d] = before;
}

Genome MapSpace::crossover(const Genome &a, const Genome &b,
                           std::mt19937_64 &rng) const {
  Genome child;
  crossoverInto(a, b, rng, child);
  return child;
}

void MapSpace::crossoverInto(const Genome &a, const Genome &b,
                             std::mt19937_64 &rng, Genome &child) const {
  child = a;
  for (unsigned d = 0; d < dims; ++d)
    if (rng() % 2)
      child.factors[d] = b.factors[d];
  if (!fitsFanout(child.factors))
    child.factors = a.factors;
  for (unsigned l = 0; l < levels; ++l) {
    if (rng() % 2)
      child.order[l] = b.order[l];
    if (rng() % 2)
      child.keep[l] = b.keep[l];
  }
}

std::optional<std::string> MapSpace::violation(const Mapping &mapping) const {
  thread_local std::vector<int64_t> usage; // Called once per candidate.
  thread_local std::vector<int64_t> here;  // [dim * 3 + kind] at a level.
  usage.assign(2 * levels, 1);
  for (unsigned l = 0; l < levels; ++l) {
    const LevelMapping &level = mapping.levels[l];
    here.assign(size_t(dims) * 3, 1);
    for (const Loop &loop : level.temporal)
      if (loop.dim < dims)
        here[loop.dim * 3 + kTemporal] *= loop.factor;
    for (const SpatialLoop &loop : level.spatial)
      if (loop.dim < dims)
        here[loop.dim * 3 +
             (loop.axis == SpatialAxis::X ? kSpatialX : kSpatialY)] *=
            loop.factor;
    for (unsigned d = 0; d < dims; ++d) {
      const int64_t *factor = &here[d * 3];
      usage[2 * l] *= factor[kSpatialX];
      usage[2 * l + 1] *= factor[kSpatialY];
      for (unsigned kind = 0; kind < 3; ++kind) {
        unsigned s = slotOf(l, kind);
        if (factor[kind] < minFactor[d][s] || factor[kind] > maxFactor[d][s])
          return "level '" + arch_.levels[l].name + "': the factor of '" +
                 problem_.dims[d].name + "' (" + std::to_string(factor[kind]) +
                 ") is outside its bound";
      }
    }
  }
  if (utilizationFits(usage))
    return std::nullopt;
  auto percent = [](double fraction) {
    return std::to_string(int(std::lround(fraction * 100))) + "%";
  };
  uint64_t used = 1;
  for (unsigned l = 0; l < levels; ++l) {
    uint64_t here = uint64_t(usage[2 * l] * usage[2 * l + 1]);
    used *= here;
    uint64_t children =
        uint64_t(arch_.levels[l].fanout[0]) * arch_.levels[l].fanout[1];
    if (levelMinUtilization[l] > 0 &&
        double(here) / double(children) + 1e-12 < levelMinUtilization[l])
      return "level '" + arch_.levels[l].name + "': spatial factors use " +
             std::to_string(here) + " of its " + std::to_string(children) +
             " children, below its minimum " +
             percent(levelMinUtilization[l]) + " utilization";
  }
  return "spatial factors use " + std::to_string(used) + " of " +
         std::to_string(arch_.peCount()) + " PEs, below the minimum " +
         percent(constraints.minUtilization) + " utilization";
}

//===----------------------------------------------------------------------===//
// Enumeration
//===----------------------------------------------------------------------===//

std::vector<std::vector<int64_t>> MapSpace::factorizations(unsigned dim,
                                                           bool pruned) const {
  if (residual())
    return residualFactorizations(dim, pruned);
  std::vector<std::vector<int64_t>> result;
  std::vector<int64_t> current(slots, 1);
  std::function<void(unsigned, int64_t)> place = [&](unsigned s, int64_t rest) {
    if (s + 1 == slots) {
      bool ok =
          pruned ? (allowed[dim][s] || rest == 1) &&
                       (fixedFactor[dim][s] == 0 ||
                        fixedFactor[dim][s] == rest) &&
                       rest >= minFactor[dim][s] && rest <= maxFactor[dim][s]
                 : true;
      unsigned level = s / 3, kind = s % 3;
      if (pruned && kind != kTemporal &&
          rest > int64_t(arch_.levels[level].fanout[kind - 1]))
        ok = false;
      if (ok) {
        current[s] = rest;
        result.push_back(current);
      }
      return;
    }
    for (int64_t f = 1; f <= rest; ++f) {
      if (rest % f != 0)
        continue;
      if (pruned) {
        if (f > 1 && !allowed[dim][s])
          break;
        if (fixedFactor[dim][s] != 0 && f != fixedFactor[dim][s])
          continue;
        if (f < minFactor[dim][s])
          continue;
        if (f > maxFactor[dim][s])
          break;
        unsigned level = s / 3, kind = s % 3;
        if (kind != kTemporal &&
            f > int64_t(arch_.levels[level].fanout[kind - 1]))
          break;
      }
      current[s] = f;
      place(s + 1, rest / f);
    }
    current[s] = 1;
  };
  if (pruned)
    for (int64_t bound : boundChoices[dim])
      place(0, bound);
  else
    place(0, problem_.dims[dim].bound);
  return result;
}

std::vector<std::vector<int64_t>>
MapSpace::residualFactorizations(unsigned dim, bool pruned) const {
  const int64_t bound = problem_.dims[dim].bound;
  // Whether factor f may go to slot s; `beyond`: no larger one may either.
  auto fits = [&](unsigned s, int64_t f, bool &beyond) {
    beyond = false;
    if (!pruned)
      return true;
    unsigned level = s / 3, kind = s % 3;
    beyond = (f > 1 && !allowed[dim][s]) || f > maxFactor[dim][s] ||
             (kind != kTemporal &&
              f > int64_t(arch_.levels[level].fanout[kind - 1]));
    return !beyond && f >= minFactor[dim][s] &&
           (fixedFactor[dim][s] == 0 || f == fixedFactor[dim][s]);
  };
  std::vector<std::vector<int64_t>> result;
  std::vector<int64_t> current(slots, 1);
  bool beyond = false;
  if (bound <= 1) {
    bool ok = true;
    for (unsigned s = 0; s < slots; ++s)
      ok = ok && fits(s, 1, beyond);
    if (ok)
      result.push_back(current);
    return result;
  }
  for (unsigned outer = 0; outer < slots; ++outer) {
    bool ok = true;
    for (unsigned s = 0; s < outer; ++s)
      ok = ok && fits(s, 1, beyond);
    if (!ok)
      break; // A slot above must hold a factor: no later outer slot works.
    std::function<void(unsigned, int64_t)> place = [&](unsigned s,
                                                       int64_t product) {
      if (s == slots) {
        int64_t f = (bound + product - 1) / product;
        if (f >= 2 && fits(outer, f, beyond)) {
          current[outer] = f;
          result.push_back(current);
          current[outer] = 1;
        }
        return;
      }
      for (int64_t f = 1; product * f < bound; ++f) {
        if (!fits(s, f, beyond)) {
          if (beyond)
            break;
          continue;
        }
        current[s] = f;
        place(s + 1, product * f);
      }
      current[s] = 1;
    };
    place(outer + 1, 1);
  }
  return result;
}

bool MapSpace::clipToBound(unsigned dim, std::vector<int64_t> &factors) const {
  const int64_t bound = problem_.dims[dim].bound;
  for (unsigned outer = 0; outer < slots; ++outer) {
    if (factors[outer] == 1)
      continue;
    int64_t inside = 1;
    for (unsigned s = outer + 1; s < slots; ++s)
      inside = inside > bound ? inside : inside * factors[s];
    int64_t f = inside >= bound ? 1 : (bound + inside - 1) / inside;
    if (f != factors[outer] && fixedFactor[dim][outer] != 0)
      return false;
    factors[outer] = f;
    if (f > 1)
      return true;
  }
  return true;
}

std::vector<uint32_t> MapSpace::keepChoices(unsigned level, bool pruned) const {
  std::vector<uint32_t> choices;
  uint32_t all = (1u << tensors) - 1;
  if (!pruned) {
    for (uint32_t mask = 0; mask <= all; ++mask)
      choices.push_back(mask);
    return choices;
  }
  if (fixedKeep[level])
    return {*fixedKeep[level]};
  if (level == 0)
    return {all};
  for (uint32_t mask = 1; mask <= all; ++mask)
    if ((mask & ~allowedKeep[level]) == 0)
      choices.push_back(mask);
  return choices;
}

bool MapSpace::enumerate(const std::function<bool(const Mapping &)> &visit,
                         bool pruned) const {
  std::vector<std::vector<std::vector<int64_t>>> options;
  for (unsigned d = 0; d < dims; ++d)
    options.push_back(factorizations(d, pruned));
  std::vector<std::vector<uint32_t>> keeps;
  for (unsigned l = 0; l < levels; ++l)
    keeps.push_back(keepChoices(l, pruned));

  Genome genome;
  genome.factors.assign(dims, std::vector<int64_t>(slots, 1));
  genome.order.assign(levels, {});
  genome.keep.assign(levels, 0);

  // Orders, then keeps, for one full choice of factors.
  std::function<bool(unsigned)> orders, keepsAt;
  keepsAt = [&](unsigned l) -> bool {
    if (l == levels) {
      Mapping mapping = decode(genome);
      if (!pruned) // Every loop listed, factor-1 ones included.
        for (unsigned level = 0; level < levels; ++level) {
          mapping.levels[level].temporal.clear();
          for (unsigned d : genome.order[level])
            mapping.levels[level].temporal.push_back(
                {d, genome.factors[d][slotOf(level, kTemporal)]});
        }
      return visit(mapping);
    }
    for (uint32_t mask : keeps[l]) {
      genome.keep[l] = mask;
      if (!keepsAt(l + 1))
        return false;
    }
    return true;
  };
  orders = [&](unsigned l) -> bool {
    if (l == levels)
      return keepsAt(0);
    std::vector<unsigned> order;
    if (pruned && fixedOrder[l]) {
      genome.order[l] = *fixedOrder[l];
      return orders(l + 1);
    }
    for (unsigned d = 0; d < dims; ++d)
      if ((!pruned || genome.factors[d][slotOf(l, kTemporal)] > 1) &&
          !(pruned && listed(l, d)))
        order.push_back(d);
    std::sort(order.begin(), order.end());
    do {
      genome.order[l] = order;
      if (pruned) { // The listed dims with loops here, in their places.
        std::vector<unsigned> &placed = genome.order[l];
        for (unsigned d : innerDims[l])
          if (genome.factors[d][slotOf(l, kTemporal)] > 1)
            placed.push_back(d);
        std::vector<unsigned> outer;
        for (unsigned d : outerDims[l])
          if (genome.factors[d][slotOf(l, kTemporal)] > 1)
            outer.push_back(d);
        placed.insert(placed.begin(), outer.begin(), outer.end());
      }
      if (!orders(l + 1))
        return false;
    } while (std::next_permutation(order.begin(), order.end()));
    return true;
  };
  std::function<bool(unsigned)> factorsOf = [&](unsigned d) -> bool {
    if (d == dims) {
      if (pruned) {
        std::vector<int64_t> usage(2 * levels, 1);
        for (unsigned l = 0; l < levels; ++l)
          for (unsigned dim = 0; dim < dims; ++dim) {
            usage[2 * l] *= genome.factors[dim][slotOf(l, kSpatialX)];
            usage[2 * l + 1] *= genome.factors[dim][slotOf(l, kSpatialY)];
          }
        if (!utilizationFits(usage))
          return true;
      }
      return orders(0);
    }
    for (const std::vector<int64_t> &option : options[d]) {
      genome.factors[d] = option;
      if (pruned && !fitsFanout(genome.factors))
        continue;
      if (!factorsOf(d + 1))
        return false;
    }
    genome.factors[d].assign(slots, 1);
    return true;
  };
  return factorsOf(0);
}

//===----------------------------------------------------------------------===//
// Sizes
//===----------------------------------------------------------------------===//

namespace {

/// One dimension's options grouped by what the size DP needs: the factor
/// in each spatial slot (per level and axis) and, per level, whether the
/// temporal loop counts as a loop to order (0 or 1); `ways` options each.
struct OptionClass {
  std::vector<int64_t> key; ///< [axes] factors, then [levels] 0/1.
  SpaceCount ways;
};

struct OptionKeyHash {
  size_t operator()(const std::vector<int64_t> &key) const {
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (int64_t v : key)
      h = (h ^ uint64_t(v)) * 0x100000001b3ull + (h >> 29);
    return size_t(h);
  }
};

/// The size DP over dimensions. A state is the spatial use per level and
/// axis (as an index into that axis's reachable values) and the number of
/// non-1 temporal loops per level so far; each dimension's classes move
/// every state to the next. States are indexed by their digits packed into
/// 64 bits (or, for an Arch too wide for that, by the digit vector).
class SizeDP {
public:
  SizeDP(std::vector<int64_t> fanout, unsigned levels, unsigned dims,
         const std::vector<std::vector<OptionClass>> &classes)
      : axes(unsigned(fanout.size())), levels(levels), width(axes + levels),
        fanout(std::move(fanout)) {
    // Each axis's reachable use: 1, then products of the dims' factors
    // within the fan-out.
    values.assign(axes, {1});
    for (const std::vector<OptionClass> &dim : classes)
      for (unsigned a = 0; a < axes; ++a) {
        std::set<int64_t> next(values[a].begin(), values[a].end());
        for (int64_t u : values[a])
          for (const OptionClass &c : dim)
            if (u * c.key[a] <= this->fanout[a])
              next.insert(u * c.key[a]);
        values[a].assign(next.begin(), next.end());
      }
    unsigned bits = 0;
    shift.resize(width);
    for (unsigned i = 0; i < width; ++i) {
      uint64_t radix = i < axes ? values[i].size() : dims + 1;
      unsigned b = 1;
      while ((uint64_t(1) << b) < radix)
        ++b;
      shift[i] = bits;
      bits += b;
    }
    packed = bits <= 64;
  }

  /// Runs the DP: the sum over final states of their ways times
  /// `weight(loops)`, for those whose use `accept(usage)`; unknown if it
  /// would take more than `maxSteps` state x class steps. The last
  /// dimension makes no states: what a class adds depends on a state's use
  /// (whether it fits, whether the final use is accepted) and on its loop
  /// counts (the weight) apart, so it is summed per distinct use and per
  /// pattern of loop flags (BERT's q_proj with padding on simba: 1.7 G
  /// steps as states, 63 M this way).
  template <class Accept, class Weight>
  SpaceCount run(const std::vector<std::vector<OptionClass>> &classes,
                 uint64_t maxSteps, Accept &&accept, Weight &&weight) {
    uint64_t steps = 0;
    std::vector<uint16_t> digits(width, 0); // Use 1 is index 0.
    std::vector<SpaceCount> ways{SpaceCount(1)};
    std::vector<uint16_t> nextDigits;
    std::vector<SpaceCount> nextWays;
    std::vector<uint16_t> key(width);
    std::vector<int64_t> usage(axes);
    std::vector<unsigned> loops(levels);
    for (size_t d = 0; d + 1 < classes.size(); ++d) {
      const std::vector<OptionClass> &dim = classes[d];
      steps += uint64_t(ways.size()) * dim.size();
      if (steps > maxSteps)
        return SpaceCount::unknown();
      prepare(dim);
      nextDigits.clear();
      nextWays.clear();
      clearIndex();
      size_t states = ways.size();
      for (size_t s = 0; s < states; ++s) {
        const uint16_t *state = &digits[s * width];
        for (size_t c = 0; c < dim.size(); ++c) {
          if (!times(state, c, key))
            continue;
          for (unsigned i = axes; i < width; ++i)
            key[i] = uint16_t(state[i] + dim[c].key[i]);
          size_t &slot = slotOf(key);
          SpaceCount add = ways[s] * dim[c].ways;
          if (slot == SIZE_MAX) {
            slot = nextWays.size();
            nextDigits.insert(nextDigits.end(), key.begin(), key.end());
            nextWays.push_back(add);
          } else {
            nextWays[slot] += add;
          }
        }
      }
      digits.swap(nextDigits);
      ways.swap(nextWays);
    }
    auto useOf = [&](const uint16_t *state) {
      for (unsigned a = 0; a < axes; ++a)
        usage[a] = values[a][state[a]];
    };
    SpaceCount total(0);
    if (classes.empty()) {
      useOf(digits.data());
      if (accept(usage))
        total = weight(loops);
      return total;
    }
    const std::vector<OptionClass> &dim = classes.back();
    prepare(dim);
    // The last dim's loop-flag patterns, and each class's.
    std::vector<std::vector<int64_t>> patterns;
    std::vector<size_t> patternOf(dim.size());
    for (size_t c = 0; c < dim.size(); ++c) {
      std::vector<int64_t> flags(dim[c].key.begin() + axes, dim[c].key.end());
      auto it = std::find(patterns.begin(), patterns.end(), flags);
      patternOf[c] = size_t(it - patterns.begin());
      if (it == patterns.end())
        patterns.push_back(flags);
    }
    // The distinct uses of the states, each with the ways of every pattern
    // that fits it and is accepted.
    clearIndex();
    std::vector<size_t> useIndex(ways.size());
    std::vector<const uint16_t *> uses;
    std::fill(key.begin() + axes, key.end(), 0);
    for (size_t s = 0; s < ways.size(); ++s) {
      std::copy(&digits[s * width], &digits[s * width] + axes, key.begin());
      size_t &slot = slotOf(key);
      if (slot == SIZE_MAX) {
        slot = uses.size();
        uses.push_back(&digits[s * width]);
      }
      useIndex[s] = slot;
    }
    steps += uint64_t(uses.size()) * dim.size() +
             uint64_t(ways.size()) * patterns.size();
    if (steps > maxSteps)
      return SpaceCount::unknown();
    std::vector<SpaceCount> perUse(uses.size() * patterns.size());
    for (size_t u = 0; u < uses.size(); ++u)
      for (size_t c = 0; c < dim.size(); ++c) {
        if (!times(uses[u], c, key))
          continue;
        useOf(key.data());
        if (accept(usage))
          perUse[u * patterns.size() + patternOf[c]] += dim[c].ways;
      }
    for (size_t s = 0; s < ways.size(); ++s)
      for (size_t p = 0; p < patterns.size(); ++p) {
        const SpaceCount &n = perUse[useIndex[s] * patterns.size() + p];
        if (n.isZero())
          continue;
        for (unsigned l = 0; l < levels; ++l)
          loops[l] = digits[s * width + axes + l] + unsigned(patterns[p][l]);
        total += ways[s] * n * weight(loops);
      }
    return total;
  }

private:
  unsigned axes, levels, width;
  std::vector<int64_t> fanout;
  std::vector<std::vector<int64_t>> values; ///< [axis]: sorted.
  std::vector<unsigned> shift;
  bool packed = true;
  std::unordered_map<uint64_t, size_t> packedIndex;
  std::unordered_map<std::vector<int64_t>, size_t, OptionKeyHash> vectorIndex;
  std::vector<int64_t> wideKey;

  /// times[a][i * F + f]: the index of value i times the dim's factor f
  /// on axis a, or -1 beyond the fan-out (F: the dim's distinct factors).
  std::vector<std::vector<int64_t>> factors;
  std::vector<std::vector<unsigned>> factorOf;
  std::vector<std::vector<int>> product;

  void prepare(const std::vector<OptionClass> &dim) {
    factors.assign(axes, {});
    factorOf.assign(dim.size(), std::vector<unsigned>(axes));
    for (unsigned a = 0; a < axes; ++a) {
      for (const OptionClass &c : dim)
        factors[a].push_back(c.key[a]);
      std::sort(factors[a].begin(), factors[a].end());
      factors[a].erase(std::unique(factors[a].begin(), factors[a].end()),
                       factors[a].end());
      for (size_t c = 0; c < dim.size(); ++c)
        factorOf[c][a] = unsigned(std::lower_bound(factors[a].begin(),
                                                   factors[a].end(),
                                                   dim[c].key[a]) -
                                  factors[a].begin());
    }
    product.assign(axes, {});
    for (unsigned a = 0; a < axes; ++a) {
      size_t F = factors[a].size();
      product[a].assign(values[a].size() * F, -1);
      for (size_t i = 0; i < values[a].size(); ++i)
        for (size_t f = 0; f < F; ++f) {
          int64_t v = values[a][i] * factors[a][f];
          auto it = std::lower_bound(values[a].begin(), values[a].end(), v);
          if (v <= fanout[a] && it != values[a].end() && *it == v)
            product[a][i * F + f] = int(it - values[a].begin());
        }
    }
  }

  /// The use digits of `state` with class `c` added, into `key`; false if
  /// they exceed a fan-out.
  bool times(const uint16_t *state, size_t c, std::vector<uint16_t> &key) {
    for (unsigned a = 0; a < axes; ++a) {
      int next = product[a][state[a] * factors[a].size() + factorOf[c][a]];
      if (next < 0)
        return false;
      key[a] = uint16_t(next);
    }
    return true;
  }

  void clearIndex() {
    packedIndex.clear();
    vectorIndex.clear();
  }

  size_t &slotOf(const std::vector<uint16_t> &key) {
    if (packed) {
      uint64_t code = 0;
      for (unsigned i = 0; i < width; ++i)
        code |= uint64_t(key[i]) << shift[i];
      return packedIndex.try_emplace(code, SIZE_MAX).first->second;
    }
    wideKey.assign(key.begin(), key.end());
    return vectorIndex.try_emplace(wideKey, SIZE_MAX).first->second;
  }
};

/// The size DP's work limit (state x class steps, about 3 s here): a
/// count past it is reported as not counted rather than hang a command
/// (residual factorization on a deep Arch reaches 10^10).
constexpr uint64_t kMaxSizeSteps = 200'000'000;

} // namespace

std::vector<SpaceSize> MapSpace::sizes(unsigned capacitySamples,
                                       uint64_t seed) const {
  std::vector<SpaceSize> result;
  SpaceCount orderChoices(1), keepAll(1);
  for (unsigned l = 0; l < levels; ++l) {
    orderChoices *= factorial(dims);
    keepAll *= SpaceCount(uint64_t(1) << tensors);
  }
  // Nothing pruned.
  SpaceCount any = orderChoices * keepAll;
  for (unsigned d = 0; d < dims; ++d)
    any *= residual()
               ? residualFactorizationCount(problem_.dims[d].bound, slots)
               : orderedFactorizations(problem_.dims[d].bound, slots);
  result.push_back({"unconstrained", any, "factors x orders x keeps"});

  // Counts factor choices with a DP over dimensions whose state is the
  // spatial usage per level and axis (and, for pruned orders, the count of
  // non-1 temporal loops per level); `weight` turns a final state into a
  // number of orders.
  auto count = [&](bool restricted, bool pruneOrders) {
    const unsigned axes = 2 * levels;
    std::vector<int64_t> fanout(axes);
    for (unsigned i = 0; i < axes; ++i)
      fanout[i] = int64_t(arch_.levels[i / 2].fanout[i % 2]);
    std::optional<MapSpace> plain;
    if (!restricted) {
      // Hardware only: any slot, spatial factors within fan-outs.
      Constraints none;
      none.padding = constraints.padding;
      none.factorization = constraints.factorization;
      plain.emplace(problem_, arch_, none);
    }
    std::vector<std::vector<OptionClass>> classes(dims);
    std::vector<int64_t> key(axes + levels);
    for (unsigned d = 0; d < dims; ++d) {
      std::unordered_map<std::vector<int64_t>, SpaceCount, OptionKeyHash>
          byKey;
      for (const std::vector<int64_t> &option :
           (restricted ? *this : *plain).factorizations(d, true)) {
        for (unsigned l = 0; l < levels; ++l) {
          key[2 * l] = option[slotOf(l, kSpatialX)];
          key[2 * l + 1] = option[slotOf(l, kSpatialY)];
          key[axes + l] = pruneOrders && option[slotOf(l, kTemporal)] > 1 &&
                          !(restricted && listed(l, d));
        }
        byKey[key] += SpaceCount(1);
      }
      for (auto &[k, ways] : byKey)
        classes[d].push_back({k, ways});
      // A fixed order of classes keeps the DP's sums in one order.
      std::sort(classes[d].begin(), classes[d].end(),
                [](const OptionClass &x, const OptionClass &y) {
                  return x.key < y.key;
                });
    }
    // The dims with the most classes first, while the states are few: the
    // sum does not depend on the order, the work does (3x on BERT's
    // attention ops on simba).
    std::stable_sort(classes.begin(), classes.end(),
                     [](const std::vector<OptionClass> &x,
                        const std::vector<OptionClass> &y) {
                       return x.size() > y.size();
                     });
    // The largest last: the last dim is summed without making states.
    if (classes.size() > 2)
      std::rotate(classes.begin(), classes.begin() + 1, classes.end());
    return SizeDP(fanout, levels, dims, classes)
        .run(
            classes, kMaxSizeSteps,
            [&](const std::vector<int64_t> &usage) {
              return !restricted || utilizationFits(usage);
            },
            [&](const std::vector<unsigned> &loops) {
              SpaceCount weighted(1);
              if (pruneOrders)
                for (unsigned l = 0; l < levels; ++l)
                  if (!fixedOrder[l])
                    weighted *= factorial(loops[l]);
              return weighted;
            });
  };

  SpaceCount hardwareKeeps(1), userKeeps(1), userOrders(1);
  for (unsigned l = 0; l < levels; ++l) {
    hardwareKeeps *= SpaceCount(
        l == 0 ? 1 : (uint64_t(1) << __builtin_popcount(allowedKeep[l])) - 1);
    userKeeps *= SpaceCount(keepChoices(l, true).size());
    userOrders *= fixedOrder[l]
                      ? SpaceCount(1)
                      : factorial(dims - unsigned(outerDims[l].size() +
                                                  innerDims[l].size()));
  }
  SpaceCount hardware = count(false, false) * orderChoices * hardwareKeeps;
  result.push_back(
      {"hardware", hardware,
       constraints.padding > 0
           ? "fan-outs, keepable tensors; padding up to " +
                 std::to_string(int(std::lround(constraints.padding * 100))) +
                 "% included"
           : "fan-outs per axis, tensors each level may hold"});
  SpaceCount user = count(true, false) * userOrders * userKeeps;
  result.push_back({"user", user,
                    "fixed factors, bounds, orders, keeps, minimum "
                    "utilizations; dataflow template " +
                        std::string(dataflowName(constraints.dataflow))});
  SpaceCount pruned = count(true, true) * userKeeps;
  result.push_back({"pruned", pruned, "orders of factor-1 loops collapsed"});
  if (capacitySamples > 0) {
    // The share of the points that fit the capacities, among the random
    // points that meet the constraints counted exactly above (bounds and
    // utilizations, which random points may miss).
    std::mt19937_64 rng(seed);
    unsigned fit = 0, eligible = 0;
    for (unsigned i = 0; i < capacitySamples; ++i) {
      Mapping mapping = decode(random(rng));
      if (violation(mapping))
        continue;
      ++eligible;
      fit += verifyMapping(problem_, arch_, mapping, {constraints.padding})
                 .empty();
    }
    double share = eligible ? double(fit) / eligible : 0;
    char note[128];
    std::snprintf(note, sizeof note,
                  "estimated: %.1f%% of %u random points fit the capacities",
                  share * 100, eligible);
    result.push_back({"capacity", SpaceCount::scaled(pruned, share), note});
  }
  return result;
}

} // namespace tessel
