//===- sim/TensorSpace.cpp - A tensor's words by coordinates --------------===//

#include "sim/TensorSpace.h"

#include <stdexcept>

namespace tessel::sim {

TensorSpace::TensorSpace(const Problem &problem, unsigned t) {
  const Tensor &tensor = problem.tensors[t];
  coords = tensor.projection;
  for (unsigned d = 0; d < problem.dims.size(); ++d)
    if (tensor.isIndexedBy(d))
      dims.push_back(d);
  for (const Projection &p : coords) {
    int64_t lo = p.constant, hi = p.constant;
    for (const ProjectionTerm &term : p.terms) {
      int64_t span = term.coefficient * (problem.dims[term.dim].bound - 1);
      (span < 0 ? lo : hi) += span;
    }
    low.push_back(lo);
    extent.push_back(uint64_t(hi - lo + 1));
  }
  stride.assign(coords.size(), 1);
  for (size_t i = coords.size(); i-- > 0;) {
    stride[i] = words;
    if (words != 0 && extent[i] != 0 && words > UINT64_MAX / extent[i])
      words = 0; // Overflows: no store can hold it.
    else
      words *= extent[i];
  }
}

std::string TensorSpace::describe(uint64_t address) const {
  int64_t coord[kMaxTensorCoordinates];
  coordinates(address, coord);
  std::string text = "[";
  for (size_t i = 0; i < coords.size(); ++i)
    text += (i ? ", " : "") + std::to_string(coord[i]);
  return text + "]";
}

std::vector<TensorSpace> tensorSpaces(const Problem &problem) {
  std::vector<TensorSpace> spaces;
  for (unsigned t = 0; t < problem.tensors.size(); ++t) {
    if (problem.tensors[t].projection.size() > kMaxTensorCoordinates)
      throw std::invalid_argument(
          "tensors of more than 8 dimensions are not simulated");
    spaces.emplace_back(problem, t);
  }
  return spaces;
}

void fillSeeded(std::vector<int64_t> &values, uint64_t seed, unsigned t) {
  uint64_t state = seed * 0x9E3779B97F4A7C15ull + t + 1;
  for (int64_t &value : values) {
    state ^= state >> 33;
    state *= 0xFF51AFD7ED558CCDull;
    state ^= state >> 29;
    int64_t magnitude = int64_t(state % 7) + 1;
    value = (state >> 8) & 1 ? magnitude : -magnitude;
  }
}

std::vector<int64_t> referenceOutput(const Problem &problem,
                                     const std::vector<TensorSpace> &spaces,
                                     const std::vector<int64_t> &first,
                                     const std::vector<int64_t> &second,
                                     unsigned out,
                                     std::vector<uint8_t> *touched) {
  const unsigned a = out == 0 ? 1 : 0, b = 3 - out - a;
  std::vector<int64_t> bounds = problem.bounds();
  std::vector<int64_t> expected(spaces[out].words, 0);
  if (touched)
    touched->assign(spaces[out].words, 0);
  std::vector<int64_t> point(bounds.size(), 0);
  for (int64_t bound : bounds)
    if (bound <= 0)
      return expected;
  while (true) {
    uint64_t o = spaces[out].addressAt(point.data());
    expected[o] += first[spaces[a].addressAt(point.data())] *
                   second[spaces[b].addressAt(point.data())];
    if (touched)
      (*touched)[o] = 1;
    size_t d = bounds.size();
    while (d > 0 && ++point[d - 1] == bounds[d - 1])
      point[--d] = 0;
    if (d == 0)
      return expected;
  }
}

} // namespace tessel::sim
