//===- test/model/RandomCases.h - Seeded small problems and arches -*- C++ -*-//
#ifndef TESSEL_TEST_MODEL_RANDOMCASES_H
#define TESSEL_TEST_MODEL_RANDOMCASES_H

#include "arch/Arch.h"
#include "arch/ArchLoader.h"
#include "workloads/LinalgImport.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace tessel::testing {

inline int64_t pick(std::mt19937_64 &rng, int64_t low, int64_t high) {
  return low + int64_t(rng() % uint64_t(high - low + 1));
}

inline Problem problemFrom(const std::string &source) {
  WorkloadSet set = importLinalgSource(source, "random.mlir");
  for (const Diagnostic &diagnostic : set.diagnostics)
    ADD_FAILURE() << diagnostic.format() << "\n" << source;
  if (set.problems.size() != 1) {
    ADD_FAILURE() << "expected one op in\n" << source;
    return Problem{};
  }
  return set.problems[0];
}

inline std::string tensorType(const std::vector<int64_t> &shape) {
  std::string text = "tensor<";
  for (int64_t extent : shape)
    text += std::to_string(extent) + "x";
  return text + "f32>";
}

/// A named op `op` on operands of the given shapes.
inline std::string namedOp(const std::string &op, const std::string &attrs,
                           const std::vector<int64_t> &a,
                           const std::vector<int64_t> &b,
                           const std::vector<int64_t> &c) {
  std::string ta = tensorType(a), tb = tensorType(b), tc = tensorType(c);
  return "func.func @op(%a: " + ta + ", %b: " + tb + ", %c: " + tc + ") -> " +
         tc + " {\n  %r = linalg." + op + " " + attrs + " ins(%a, %b : " + ta +
         ", " + tb + ") outs(%c : " + tc + ") -> " + tc +
         "\n  return %r : " + tc + "\n}\n";
}

/// A random small GEMM, convolution (with stride and dilation), depthwise
/// convolution or tensor contraction, about `maxMacs` MACs at most.
inline Problem randomProblem(std::mt19937_64 &rng) {
  switch (rng() % 5) {
  case 0: {
    int64_t m = pick(rng, 1, 6), n = pick(rng, 1, 6), k = pick(rng, 1, 6);
    return problemFrom(namedOp("matmul", "", {m, k}, {k, n}, {m, n}));
  }
  case 1: {
    int64_t oh = pick(rng, 1, 4), ow = pick(rng, 1, 3), f = pick(rng, 1, 3),
            kh = pick(rng, 1, 3), kw = pick(rng, 1, 2), c = pick(rng, 1, 2),
            s = pick(rng, 1, 2), d = pick(rng, 1, 2);
    std::string attrs = "{dilations = dense<" + std::to_string(d) +
                        "> : tensor<2xi64>, strides = dense<" +
                        std::to_string(s) + "> : tensor<2xi64>}";
    return problemFrom(namedOp("conv_2d_nhwc_hwcf", attrs,
                               {1, (oh - 1) * s + (kh - 1) * d + 1,
                                (ow - 1) * s + (kw - 1) * d + 1, c},
                               {kh, kw, c, f}, {1, oh, ow, f}));
  }
  case 2: {
    int64_t ow = pick(rng, 1, 6), f = pick(rng, 1, 3), kw = pick(rng, 1, 4),
            c = pick(rng, 1, 3), s = pick(rng, 1, 3), d = pick(rng, 1, 2);
    std::string attrs = "{dilations = dense<" + std::to_string(d) +
                        "> : tensor<1xi64>, strides = dense<" +
                        std::to_string(s) + "> : tensor<1xi64>}";
    return problemFrom(namedOp("conv_1d_nwc_wcf", attrs,
                               {2, (ow - 1) * s + (kw - 1) * d + 1, c},
                               {kw, c, f}, {2, ow, f}));
  }
  case 3: {
    int64_t oh = pick(rng, 1, 4), ow = pick(rng, 1, 3), c = pick(rng, 1, 3),
            kh = pick(rng, 1, 3), kw = pick(rng, 1, 3);
    std::string attrs = "{dilations = dense<1> : tensor<2xi64>, strides = "
                        "dense<1> : tensor<2xi64>}";
    return problemFrom(namedOp("depthwise_conv_2d_nhwc_hwc", attrs,
                               {1, oh + kh - 1, ow + kw - 1, c}, {kh, kw, c},
                               {1, oh, ow, c}));
  }
  default: {
    // R[a, b, i] += V[a, c, i] * T[c, b]
    int64_t a = pick(rng, 1, 4), b = pick(rng, 1, 4), i = pick(rng, 1, 3),
            c = pick(rng, 1, 4);
    std::string tv = tensorType({a, c, i}), tt = tensorType({c, b}),
                tr = tensorType({a, b, i});
    return problemFrom(
        "#v = affine_map<(a, b, i, c) -> (a, c, i)>\n"
        "#t = affine_map<(a, b, i, c) -> (c, b)>\n"
        "#r = affine_map<(a, b, i, c) -> (a, b, i)>\n"
        "func.func @op(%v: " +
        tv + ", %t: " + tt + ", %r: " + tr + ") -> " + tr +
        " {\n  %0 = linalg.generic {indexing_maps = [#v, #t, #r], "
        "iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
        "\"reduction\"]} ins(%v, %t : " +
        tv + ", " + tt + ") outs(%r : " + tr +
        ") attrs = {tessel.dims = [\"a\", \"b\", \"i\", \"c\"], "
        "tessel.tensors = [\"V\", \"T\", \"R\"]} {\n"
        "  ^bb0(%x: f32, %y: f32, %acc: f32):\n"
        "    %m = arith.mulf %x, %y : f32\n"
        "    %s = arith.addf %acc, %m : f32\n"
        "    linalg.yield %s : f32\n  } -> " +
        tr + "\n  return %0 : " + tr + "\n}\n");
  }
  }
}

/// A random 3- or 4-level accelerator with small fan-outs on bus or mesh
/// networks that may or may not multicast and reduce; capacities ample.
inline Arch randomArch(std::mt19937_64 &rng) {
  unsigned levelCount = 3 + rng() % 2;
  std::string yaml = "name: random\nlevels:\n";
  for (unsigned l = 0; l < levelCount; ++l) {
    bool last = l + 1 == levelCount;
    int64_t x = last ? pick(rng, 1, 2) : pick(rng, 1, 3);
    int64_t y = last ? 1 : pick(rng, 1, 3);
    if (l == 0 && rng() % 2)
      x = y = 1;
    std::string topology = (x > 1 && y > 1 && rng() % 2) ? "mesh" : "bus";
    yaml += "  - name: L" + std::to_string(l) + "\n";
    yaml += std::string("    capacity: ") + (l == 0 ? "unbounded" : "1000000") +
            "\n";
    const char *bandwidths[] = {"0.1", "0.25", "0.5", "1", "2"};
    if (rng() % 2)
      yaml += std::string("    readBandwidth: ") + bandwidths[rng() % 5] + "\n";
    if (rng() % 2)
      yaml +=
          std::string("    writeBandwidth: ") + bandwidths[rng() % 5] + "\n";
    yaml +=
        "    fanout: [" + std::to_string(x) + ", " + std::to_string(y) + "]\n";
    // Drawn one after the other: the operands of one `+` are unsequenced,
    // and compilers differ (g++ drew the reduction first, clang the
    // multicast: other designs under clang). g++'s order is kept.
    const bool reduction = rng() % 2;
    const bool multicast = rng() % 3;
    yaml += "    network: {topology: " + topology +
            ", multicast: " + (multicast ? "true" : "false") +
            ", reduction: " + (reduction ? "true" : "false") + "}\n";
  }
  return parseArch(yaml, "random.yaml");
}

} // namespace tessel::testing

#endif
