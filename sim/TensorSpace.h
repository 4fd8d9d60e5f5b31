//===- sim/TensorSpace.h - A tensor's words by coordinates -----*- C++ -*-===//
//
// What both structural simulators (sim/SystolicSim.h, sim/Structural.h)
// need to hold a tensor's words: its dense box of coordinates over the op's
// bounds (every coordinate from its lowest to its highest value, as buffers
// hold a dense box), row-major addresses in it (the last coordinate
// fastest), the seeded input values of a functional run, and the output a
// direct walk of the iteration space gives, to check a run against.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_TENSORSPACE_H
#define TESSEL_SIM_TENSORSPACE_H

#include "workloads/Problem.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tessel::sim {

/// The most coordinates a tensor may have (fixed-size scratch arrays).
constexpr size_t kMaxTensorCoordinates = 8;

struct TensorSpace {
  std::vector<Projection> coords;
  std::vector<unsigned> dims; ///< Dimensions that index the tensor.
  std::vector<int64_t> low;   ///< Per coordinate, its lowest value.
  std::vector<uint64_t> extent, stride;
  uint64_t words = 1; ///< Of the box; 0 if that overflows 64 bits.

  /// Tensor `t` of `problem`'s box over the problem's bounds.
  TensorSpace(const Problem &problem, unsigned t);

  /// The coordinates of iteration point `point`.
  void coordinatesAt(const int64_t *point, int64_t *coord) const {
    for (size_t i = 0; i < coords.size(); ++i) {
      int64_t c = coords[i].constant;
      for (const ProjectionTerm &term : coords[i].terms)
        c += term.coefficient * point[term.dim];
      coord[i] = c;
    }
  }
  uint64_t address(const int64_t *coord) const {
    uint64_t a = 0;
    for (size_t i = 0; i < coords.size(); ++i)
      a += uint64_t(coord[i] - low[i]) * stride[i];
    return a;
  }
  /// The address of the word point `point` touches.
  uint64_t addressAt(const int64_t *point) const {
    int64_t coord[kMaxTensorCoordinates];
    coordinatesAt(point, coord);
    return address(coord);
  }
  void coordinates(uint64_t address, int64_t *coord) const {
    for (size_t i = 0; i < coords.size(); ++i)
      coord[i] = int64_t((address / stride[i]) % extent[i]) + low[i];
  }
  /// Whether every dimension indexing the tensor is within its bound at
  /// `point` (else the word does not exist: a partial tile's bubble).
  bool valid(const int64_t *point, const std::vector<int64_t> &bounds) const {
    for (unsigned d : dims)
      if (point[d] >= bounds[d])
        return false;
    return true;
  }
  /// "[2, 0, 5]": the coordinates of `address`.
  std::string describe(uint64_t address) const;
};

/// Every tensor's space; throws std::invalid_argument for a tensor of more
/// than kMaxTensorCoordinates coordinates.
std::vector<TensorSpace> tensorSpaces(const Problem &problem);

/// Seeded functional input values for tensor `t`: small (sums stay exact)
/// and never 0 (a lost product always shows in the output).
void fillSeeded(std::vector<int64_t> &values, uint64_t seed, unsigned t);

/// The output `out` by a direct walk of the iteration space, from the
/// inputs' values (indexed by their spaces' addresses); `touched` (if set)
/// marks the output words some point reaches.
std::vector<int64_t> referenceOutput(const Problem &problem,
                                     const std::vector<TensorSpace> &spaces,
                                     const std::vector<int64_t> &first,
                                     const std::vector<int64_t> &second,
                                     unsigned out,
                                     std::vector<uint8_t> *touched = nullptr);

} // namespace tessel::sim

#endif // TESSEL_SIM_TENSORSPACE_H
