//===- model/Accounting.h - Reads, fills and updates of a mapping -*- C++ -*-//
//
// The access counts of docs/model.md ("The box-buffer semantics"), shared by
// the reuse and dataflow models:
//  - a level's instance holds the box its tile spans; when the loops above
//    advance, only the words outside the old box are filled (with
//    `wrapReuse` false, only the innermost advancing loop keeps the overlap);
//  - the supplier (nearest keeping level above) reads each filled word once
//    per group of instances with identical boxes when the path multicasts,
//    else once per instance;
//  - output words leaving a level are drained (read there) and sent up as
//    updates, once per group when the path reduces; words re-entering that
//    the instance held before are read back (a first write needs no read);
//  - compute units read one word of each input and update one output word
//    per MAC at the innermost level keeping them, shared the same way.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MODEL_ACCOUNTING_H
#define TESSEL_MODEL_ACCOUNTING_H

#include "mapping/Mapping.h"
#include "mapping/Report.h"

namespace tessel {

class NestAnalysis;
struct Problem;

void countAccesses(const Problem &problem, const Mapping &mapping,
                   const NestAnalysis &nest, Report &report, bool wrapReuse);

/// An input `level` bypasses but stages a tile at a time (the edge FIFOs
/// of a systolic array run as built): its words come from the supplier as
/// `level`'s tiles would, with no read or fill of `level` (replacing what
/// countAccesses charged for the compute units' operands from the
/// supplier down; `level`'s own network is left to the caller).
void countStagedInput(const NestAnalysis &nest, Report &report,
                      unsigned level, unsigned tensor, bool wrapReuse);

} // namespace tessel

#endif
