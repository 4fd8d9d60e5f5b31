//===- model/ClippedAccounting.h - Counts of a residual mapping -*- C++ -*-===//
//
// The reuse model's reads, fills, updates, network words and hops for a
// residual mapping that clips a bound (docs/model.md, "Factorization"):
// the same box-buffer semantics as Accounting.h, on the clipped nest (the
// last tiles shorter, instances beyond a bound idle, no MAC beyond it).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_CLIPPEDACCOUNTING_H
#define TESSEL_MODEL_CLIPPEDACCOUNTING_H

#include "mapping/Mapping.h"
#include "mapping/Report.h"

#include <cstdint>
#include <functional>

namespace tessel {

class NestAnalysis;
struct Arch;
struct Problem;

/// Whether countClippedAccesses can count `problem`: its output's
/// coordinates are single dimensions (each `d` or `-d`, none repeated).
bool clippedCountable(const Problem &problem);

/// Adds the clipped nest's counts to `report.actions`; returns the MACs
/// run.
uint64_t countClippedAccesses(const Problem &problem, const Arch &arch,
                              const Mapping &mapping, const NestAnalysis &nest,
                              Report &report);

/// The compute units' cycles over the clipped nest: per tile of the PE
/// level, its steps run shared by `lanes` vector lanes, rounded up.
uint64_t clippedComputeCycles(const Problem &problem, const Arch &arch,
                              const Mapping &mapping, const NestAnalysis &nest,
                              uint64_t lanes);

/// For each temporal loop above `level` (nest position) and each class of
/// the tile before its advance: visit(loop, advances, steps of that tile).
void forEachClippedTileChange(
    const Problem &problem, const Arch &arch, const Mapping &mapping,
    const NestAnalysis &nest, unsigned level,
    const std::function<void(size_t, uint64_t, uint64_t)> &visit);

} // namespace tessel

#endif // TESSEL_MODEL_CLIPPEDACCOUNTING_H
