//===- model/TimeloopAccounting.h - Timeloop's rules for access counts -*- C++
//-*-//
//
// The reads, fills and updates Timeloop reports for a mapping, counted by
// its rules instead of Tessel's (docs/model.md, "Timeloop's accounting"):
//  - a level's tile delta is taken against the previous tile only while the
//    tile keeps moving by the same translation; a change of translation
//    (a loop wrapping, or a stationary step followed by a move) refetches
//    the whole tile;
//  - a temporal loop is sampled at its first two iterations, the second
//    standing for all the others, as Timeloop extrapolates;
//  - a level's children share a transfer only when their deltas are
//    identical, level by level: a bypassed level passes its children's
//    accesses up, multiplied by its own distinct groups;
//  - every member of a multicast is filled, and an output's reads are its
//    updates minus the words the instance ever holds (first writes read
//    nothing; drains are not reads).
// Counts are totals over the utilized instances, in the Report's schema.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_TIMELOOPACCOUNTING_H
#define TESSEL_MODEL_TIMELOOPACCOUNTING_H

#include "mapping/Mapping.h"
#include "mapping/Report.h"

namespace tessel {

class NestAnalysis;
struct Problem;

void countAccessesTimeloop(const Problem &problem, const Mapping &mapping,
                           const NestAnalysis &nest, Report &report);

} // namespace tessel

#endif
