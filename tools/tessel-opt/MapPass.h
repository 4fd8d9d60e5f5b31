//===- tools/tessel-opt/MapPass.h - --tessel-map --------------*- C++ -*-===//
//
// `--tessel-map=arch=FILE.yaml [mapper=...]`: maps every linalg op that has
// no #tessel.mapping with mapProblem and attaches the best mapping found.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_TOOLS_TESSELOPT_MAPPASS_H
#define TESSEL_TOOLS_TESSELOPT_MAPPASS_H

namespace tessel {

void registerMapPass();

} // namespace tessel

#endif
