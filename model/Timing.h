//===- model/Timing.h - Cycles no resource's traffic accounts for -*- C++ -*-//
//
// The reuse model's cycles are its busiest resource's (compute, a level's
// port, a network: model/Registry.cpp) plus the cycles in which the
// hardware waits with every resource idle, which this file counts from the
// mechanism of a level hierarchy:
//
//  * start: the first words reach the MACs through every level from the
//    outermost (a request climbs one level a cycle; each keeper on the way
//    adds its access latency, each network its hop latency to its farthest
//    child);
//  * end: the last sums leave the MAC pipeline and climb every network;
//  * tile changes a level cannot overlap: a level that cannot hold two of
//    its tiles (the rule: two tiles of every tensor it keeps fit, per
//    partition where its capacity is partitioned) asks for its next tile
//    only once the current one is done, so at each change where a kept
//    input's box moves, the MACs wait for the fetch from the supplier and
//    the way down; where its kept output's box moves, also for the last
//    sums to arrive. A level that holds two tiles fetches the next during
//    the current one and exposes only what the fetch takes beyond it;
//  * a systolic array run as built (the level right above the PEs, one
//    array): each fold's stationary operands shift in (hidden behind the
//    previous fold with two stationary buffers), its stream enters skewed
//    and its sums leave the far edge before the next fold starts (unless
//    folds overlap).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_TIMING_H
#define TESSEL_MODEL_TIMING_H

namespace tessel {

struct Arch;
struct Mapping;
struct Problem;
struct Report;
struct SystolicFolds;
class NestAnalysis;

/// Appends the exposed cycles of `mapping` to report.exposedCycles, one
/// entry per cause (zero-cycle causes left out). `systolic` is
/// systolicFolds() of the same mapping (model/Systolic.h).
void addExposedCycles(const Problem &problem, const Arch &arch,
                      const Mapping &mapping, const NestAnalysis &nest,
                      const SystolicFolds &systolic, Report &report);

} // namespace tessel

#endif // TESSEL_MODEL_TIMING_H
