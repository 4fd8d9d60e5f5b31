//===- workloads/Problem.cpp ----------------------------------------------===//
#include "workloads/Problem.h"

#include "support/Checked.h"

#include <cstdlib>
#include <stdexcept>

namespace tessel {

bool Tensor::isIndexedBy(unsigned dim) const {
  for (const Projection &coordinate : projection)
    if (coordinate.uses(dim))
      return true;
  return false;
}

int64_t spanOf(const Projection &coordinate, const int64_t *extents) {
  int64_t span = 1;
  for (const ProjectionTerm &term : coordinate.terms) {
    int64_t reach = saturatingMul<int64_t>(
        term.coefficient == std::numeric_limits<int64_t>::min()
            ? std::numeric_limits<int64_t>::max()
            : std::llabs(term.coefficient),
        extents[term.dim] - 1);
    span = saturatingAdd(span, reach);
  }
  return span;
}

uint64_t Tensor::elements() const {
  uint64_t count = 1;
  for (int64_t extent : shape)
    count = saturatingMul(count, static_cast<uint64_t>(extent));
  return count;
}

uint64_t Tensor::bytes() const {
  uint64_t bits = saturatingMul(elements(), uint64_t(elementBits));
  return bits / 8 + (bits % 8 != 0);
}

std::optional<unsigned> Problem::dimIndex(const std::string &dimName) const {
  for (unsigned i = 0; i < dims.size(); ++i)
    if (dims[i].name == dimName)
      return i;
  return std::nullopt;
}

std::optional<unsigned>
Problem::tensorIndex(const std::string &tensorName) const {
  for (unsigned i = 0; i < tensors.size(); ++i)
    if (tensors[i].name == tensorName)
      return i;
  return std::nullopt;
}

unsigned Problem::outputIndex() const {
  for (unsigned i = 0; i < tensors.size(); ++i)
    if (tensors[i].isOutput)
      return i;
  throw std::logic_error("problem '" + name + "' has no output tensor");
}

const Tensor &Problem::output() const { return tensors[outputIndex()]; }

std::vector<unsigned> Problem::reductionDims() const {
  std::vector<unsigned> reduced;
  const Tensor &out = output();
  for (unsigned d = 0; d < dims.size(); ++d)
    if (!out.isIndexedBy(d))
      reduced.push_back(d);
  return reduced;
}

uint64_t Problem::macs() const {
  uint64_t product = 1;
  for (const Dimension &dim : dims) {
    uint64_t bound = static_cast<uint64_t>(dim.bound);
    if (bound != 0 && product > UINT64_MAX / bound)
      throw std::overflow_error("MAC count of '" + name +
                                "' does not fit in 64 bits");
    product *= bound;
  }
  return product;
}

std::vector<int64_t>
Problem::footprintShape(unsigned tensor,
                        const std::vector<int64_t> &extents) const {
  std::vector<int64_t> shape;
  for (const Projection &coordinate : tensors[tensor].projection)
    shape.push_back(spanOf(coordinate, extents.data()));
  return shape;
}

uint64_t Problem::footprint(unsigned tensor,
                            const std::vector<int64_t> &extents) const {
  uint64_t product = 1;
  for (const Projection &coordinate : tensors[tensor].projection)
    product = saturatingMul(
        product, static_cast<uint64_t>(spanOf(coordinate, extents.data())));
  return product;
}

std::vector<int64_t> Problem::bounds() const {
  std::vector<int64_t> result;
  for (const Dimension &dim : dims)
    result.push_back(dim.bound);
  return result;
}

std::string formatProjection(const Problem &problem, const Projection &p) {
  std::string text;
  for (const ProjectionTerm &term : p.terms) {
    int64_t c = term.coefficient;
    if (!text.empty())
      text += c < 0 ? " - " : " + ";
    else if (c < 0)
      text += "-";
    if (std::llabs(c) != 1)
      text += std::to_string(std::llabs(c)) + "*";
    text += problem.dims[term.dim].name;
  }
  if (p.constant != 0 || text.empty()) {
    if (text.empty())
      text = std::to_string(p.constant);
    else
      text += (p.constant < 0 ? " - " : " + ") +
              std::to_string(std::llabs(p.constant));
  }
  return text;
}

} // namespace tessel
