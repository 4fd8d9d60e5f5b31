//===- mapper/MapSpace.h - Every way to map an op --------*- C++ -*-===//
//
// The map space of a Problem on an Arch under Constraints: every way to
// factor each dimension's bound (or a padded bound) over the levels' slots
// (temporal, spatial X, spatial Y), every loop order per level, every
// keep/bypass choice. Hardware (fan-outs, which tensors a level may hold),
// workload (padding) and user constraints (fixed factors, orders and keeps,
// dataflow templates, forbidden spatial dims) prune it; capacities and the
// minimum utilization are checked per point.
//
// Points are Genomes: per dimension the factor in each slot, per level an
// order of all dimensions, per level a keep mask. Search algorithms draw,
// mutate and cross them; decode() turns one into a Mapping.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPER_MAPSPACE_H
#define TESSEL_MAPPER_MAPSPACE_H

#include "mapper/Constraints.h"
#include "mapping/Mapping.h"
#include "support/FastMod.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace tessel {

struct Arch;
struct Problem;

/// A count that may exceed 64 bits: exact up to 2^128, else its log10; or
/// unknown (a count too costly to make: what is built from it is unknown).
class SpaceCount {
public:
  SpaceCount(uint64_t value = 0) : value(value), log(0), exact(true) {}
  static SpaceCount unknown() {
    SpaceCount count;
    count.known = false;
    count.exact = false;
    return count;
  }
  bool isKnown() const { return known; }
  SpaceCount &operator+=(const SpaceCount &other);
  SpaceCount &operator*=(const SpaceCount &other);
  friend SpaceCount operator*(SpaceCount a, const SpaceCount &b) {
    return a *= b;
  }
  bool isExact() const { return exact; }
  bool isZero() const { return known && exact && value == 0; }
  /// log10 of the count (-inf for 0, NaN when unknown).
  double log10() const;
  /// "123,456" when exact; an inexact one "~123,456" below 10^18, else
  /// "10^41.3"; "not counted" when unknown.
  std::string text() const;
  /// `count` times a fraction in (0, 1]: an estimate, so never exact.
  static SpaceCount scaled(const SpaceCount &count, double share);

private:
  unsigned __int128 value;
  double log; ///< log10 of the count once it is inexact.
  bool exact;
  bool known = true;
};

struct Genome {
  std::vector<std::vector<int64_t>> factors; ///< [dim][slot]
  std::vector<std::vector<unsigned>> order;  ///< [level]: dims, outer first.
  std::vector<uint32_t> keep;                ///< [level]
};

/// One family of constraints and the size of the space once it applies.
struct SpaceSize {
  std::string family;
  SpaceCount size;
  std::string note; ///< E.g. "estimated from 2000 samples".
};

class MapSpace {
public:
  /// Binds the constraints to the op and the Arch; throws ConstraintError
  /// naming what is wrong (unknown names, factors that do not divide,
  /// impossible combinations).
  MapSpace(const Problem &problem, const Arch &arch,
           const Constraints &constraints);

  const Problem &problem() const { return problem_; }
  const Arch &arch() const { return arch_; }
  unsigned slotCount() const { return slots; }

  Mapping decode(const Genome &genome) const;
  /// The same, into `mapping`, reusing its storage.
  void decode(const Genome &genome, Mapping &mapping) const;
  Genome random(std::mt19937_64 &rng) const;
  /// The same point, into `genome`, reusing its storage.
  void random(std::mt19937_64 &rng, Genome &genome) const;
  /// One small change: move a prime factor between slots, swap two loops
  /// of a level, or flip a tensor's keep bit at a level.
  Genome mutate(const Genome &genome, std::mt19937_64 &rng) const;
  /// mutate() on `genome` itself (the same draws and result, no copy).
  void mutateInPlace(Genome &genome, std::mt19937_64 &rng) const;
  /// Per dimension the factors of one parent, per level the order and keep
  /// of one parent.
  Genome crossover(const Genome &a, const Genome &b,
                   std::mt19937_64 &rng) const;
  /// crossover() into `child` (its storage reused; the same draws).
  void crossoverInto(const Genome &a, const Genome &b, std::mt19937_64 &rng,
                     Genome &child) const;

  /// Why `mapping` breaks a constraint the Genome's moves do not keep by
  /// themselves (minimum utilizations, factor bounds), if it does.
  std::optional<std::string> violation(const Mapping &mapping) const;

  /// Calls `visit` on every point of the pruned space (factor-1 loop orders
  /// collapsed, fan-outs and fixed choices respected), or of the whole
  /// unpruned space when `pruned` is false; stops when `visit` returns
  /// false. Returns false if stopped.
  bool enumerate(const std::function<bool(const Mapping &)> &visit,
                 bool pruned = true) const;

  /// The space's size before any constraint and after each family.
  std::vector<SpaceSize> sizes(unsigned capacitySamples = 2000,
                               uint64_t seed = 1) const;

private:
  const Problem &problem_;
  const Arch &arch_;
  Constraints constraints;
  unsigned levels, dims, slots, tensors;
  /// Per dim and slot: whether factors may go there; a fixed factor (0 if
  /// free).
  std::vector<std::vector<bool>> allowed;
  std::vector<std::vector<int64_t>> fixedFactor;
  /// Per dim: the bounds it may be padded to (the bound first).
  std::vector<std::vector<int64_t>> boundChoices;
  /// Per dim and slot: the factor bounds (1 and INT64_MAX when free).
  std::vector<std::vector<int64_t>> minFactor, maxFactor;
  std::vector<std::optional<std::vector<unsigned>>> fixedOrder;
  /// Per level: dims whose loops come outermost / innermost (in order).
  std::vector<std::vector<unsigned>> outerDims, innerDims;
  std::vector<double> levelMinUtilization; ///< Per level.
  std::vector<std::optional<uint32_t>> fixedKeep;
  std::vector<uint32_t> allowedKeep; ///< Per level, by the Arch's roles.
  /// Per dim: the slots a random factor may go to (allowed, not fixed).
  std::vector<std::vector<unsigned>> openSlots;
  /// Per level: keepChoices(level, true).
  std::vector<std::vector<uint32_t>> prunedKeeps;
  /// Per dim: the product of its fixed factors, the bound choices it
  /// divides (in boundChoices' order) and the prime factors each leaves to
  /// the open slots (randomFactors draws from these).
  std::vector<int64_t> fixedProducts;
  std::vector<std::vector<int64_t>> divisibleBounds;
  std::vector<std::vector<std::vector<int64_t>>> boundPrimes;
  /// rng() % n for the n a random point draws by: each dim's open slots,
  /// levels + 1, each level's keep choices.
  std::vector<Modulus> openModulus, keepModulus;
  Modulus levelModulus;

  void bindLevelConstraints();
  void applyNetworks();
  void applyDataflow();
  bool fitsFanout(const std::vector<std::vector<int64_t>> &factors) const;
  std::vector<std::vector<int64_t>> factorizations(unsigned dim,
                                                   bool pruned) const;
  /// With 'factorization: residual': the factors per slot whose product
  /// overshoots the bound by less than the product inside the outermost
  /// non-1 slot (that slot's factor is ceil(bound / the rest); exact
  /// factorizations included).
  bool residual() const {
    return constraints.factorization == Factorization::Residual;
  }
  std::vector<std::vector<int64_t>> residualFactorizations(unsigned dim,
                                                           bool pruned) const;
  /// Sets the outermost non-1 factor of `factors` (one dimension's, per
  /// slot) to ceil(bound / the rest), dropping factors that leave nothing
  /// to it; false where that changes a fixed factor.
  bool clipToBound(unsigned dim, std::vector<int64_t> &factors) const;
  std::vector<uint32_t> keepChoices(unsigned level, bool pruned) const;
  /// Draws dim's factors. `usage`, if given, is the children each level's
  /// axes use by every dim's factors ([2 * level + axis]), dim's all 1;
  /// it is kept up to date (else computed).
  void randomFactors(unsigned dim, Genome &genome, std::mt19937_64 &rng,
                     std::vector<int64_t> *usage = nullptr) const;
  /// Moves a level's outermost/innermost dims into place.
  void placeListed(unsigned level, std::vector<unsigned> &order) const;
  bool listed(unsigned level, unsigned dim) const;
  /// Whether the spatial usage (per level and axis) meets the minimum
  /// utilizations.
  bool utilizationFits(const std::vector<int64_t> &usage) const;
};

} // namespace tessel

#endif
