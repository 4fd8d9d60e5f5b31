//===- workloads/Problem.h - A tensor op as a loop nest ---------*- C++ -*-===//
//
// A Problem is a perfectly nested loop over named dimensions with static
// bounds, plus the tensors ("data spaces") it touches. Each tensor coordinate
// is an affine projection of the iteration space: a sum of coefficient x
// dimension terms plus a constant (a convolution input row is
// `stride*oh + dilation*kh`). The output is read-modify-write and reduces over
// the dimensions absent from its projection.
//
// Plain C++ on purpose: models and mappers include this header in hot code.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_WORKLOADS_PROBLEM_H
#define TESSEL_WORKLOADS_PROBLEM_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessel {

/// One loop of the nest: a name and its static trip count.
struct Dimension {
  std::string name;
  int64_t bound = 1;
};

/// One term `coefficient * dims[dim]` of a projection.
struct ProjectionTerm {
  unsigned dim = 0;
  int64_t coefficient = 1;
};

/// One tensor coordinate as an affine function of the loop indices.
struct Projection {
  std::vector<ProjectionTerm> terms;
  int64_t constant = 0;

  /// The coefficient of `dim` (0 when the coordinate does not use it).
  int64_t coefficientOf(unsigned dim) const {
    int64_t sum = 0;
    for (const ProjectionTerm &term : terms)
      if (term.dim == dim)
        sum += term.coefficient;
    return sum;
  }
  bool uses(unsigned dim) const { return coefficientOf(dim) != 0; }
};

/// A tensor the op reads or writes.
struct Tensor {
  std::string name;
  unsigned elementBits = 32;
  std::string elementType;            ///< As MLIR prints it: "f32", "i8", ...
  std::vector<Projection> projection; ///< One per tensor coordinate.
  std::vector<int64_t> shape;         ///< The operand's declared shape.
  bool isOutput = false;
  /// Bits the accelerator holds each element in: 0 (the default) is one
  /// word of whichever level holds it; applyPrecision (mapping/Datatypes.h)
  /// sets it from elementBits when the user asks for the declared types.
  unsigned storedBits = 0;

  /// Whether any coordinate of this tensor depends on `dim`.
  bool isIndexedBy(unsigned dim) const;
  /// Elements in the declared shape (saturates at UINT64_MAX).
  uint64_t elements() const;
  /// Bytes in the declared shape (elements x element width, rounded up).
  uint64_t bytes() const;
};

/// Where a Problem came from, for messages that point at the source.
struct SourceRef {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
};

/// Points one coordinate spans as each dimension d runs over
/// [0, extents[d]): 1 + sum |c_i|*(extents[d_i] - 1). Saturates at INT64_MAX
/// (a span that large fits no buffer).
int64_t spanOf(const Projection &coordinate, const int64_t *extents);

/// A perfectly nested loop with its tensors.
struct Problem {
  std::string name;   ///< The enclosing function's name, or op position.
  std::string opName; ///< e.g. "linalg.conv_2d_nhwc_hwcf".
  std::vector<Dimension> dims;
  std::vector<Tensor> tensors; ///< Inputs first, then the output.
  SourceRef source;

  /// Index of the dimension called `name`, if any.
  std::optional<unsigned> dimIndex(const std::string &name) const;
  /// Index of the tensor called `name`, if any.
  std::optional<unsigned> tensorIndex(const std::string &name) const;
  /// The (single) output tensor.
  const Tensor &output() const;
  unsigned outputIndex() const;
  /// Dimensions the output reduces over: those its projection does not use.
  std::vector<unsigned> reductionDims() const;
  /// Multiply-accumulates: the product of all bounds. Throws
  /// std::overflow_error if it does not fit in 64 bits.
  uint64_t macs() const;
  /// Number of distinct points each coordinate of `tensor` takes as every
  /// dimension `d` runs over [0, extents[d]): for a coordinate sum c_i*x_i
  /// that is 1 + sum |c_i|*(extent_i - 1), the size of a tile footprint
  /// (exact for the unit/dense projections linalg produces; a convolution
  /// with stride > dilation counts the skipped points it spans, as buffers
  /// hold a dense box).
  std::vector<int64_t>
  footprintShape(unsigned tensor, const std::vector<int64_t> &extents) const;
  /// Product of footprintShape(); saturates at UINT64_MAX.
  uint64_t footprint(unsigned tensor,
                     const std::vector<int64_t> &extents) const;
  /// All bounds, in dimension order.
  std::vector<int64_t> bounds() const;
};

/// `coefficient*name + ...` as a person writes it, e.g. "2*oh + kh".
std::string formatProjection(const Problem &problem, const Projection &p);

} // namespace tessel

#endif // TESSEL_WORKLOADS_PROBLEM_H
