//===- test/mapping/DatatypesTest.cpp - Types that do not fit an Arch -----===//
#include "mapping/Datatypes.h"

#include "TestArch.h"
#include "workloads/Problem.h"

#include <gmock/gmock.h>

namespace tessel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::threeLevelArch;

/// C[m,n] += A[m,k] * B[k,n] with the given element types.
Problem gemm(const std::string &in, unsigned inBits, const std::string &out,
             unsigned outBits) {
  Problem p;
  p.name = "gemm";
  p.dims = {{"m", 2}, {"n", 2}, {"k", 2}};
  p.tensors = {{"A", inBits, in, {{{{0, 1}}, 0}, {{{2, 1}}, 0}}, {}, false},
               {"B", inBits, in, {{{{2, 1}}, 0}, {{{1, 1}}, 0}}, {}, false},
               {"C", outBits, out, {{{{0, 1}}, 0}, {{{1, 1}}, 0}}, {}, true}};
  return p;
}

/// An int8 array: 8-bit words, except an accumulator level of 32.
Arch int8Arch() {
  Arch arch = threeLevelArch(2, 2, 4096, 64);
  arch.name = "int8";
  arch.compute.datatype = "int8";
  for (StorageLevel &level : arch.levels)
    level.wordBits = 8;
  return arch;
}

TEST(Datatypes, NumberFormatsOfMlirAndArchSpellings) {
  auto format = [](const char *name) {
    std::optional<NumberFormat> f = numberFormatNamed(name);
    return f ? std::string(f->floating ? "f" : "i") + std::to_string(f->bits)
             : std::string("none");
  };
  EXPECT_EQ(format("i8"), "i8");
  EXPECT_EQ(format("ui16"), "i16");
  EXPECT_EQ(format("int8"), "i8");
  EXPECT_EQ(format("f32"), "f32");
  EXPECT_EQ(format("bf16"), "f16");
  EXPECT_EQ(format("fp16"), "f16");
  EXPECT_EQ(format("index"), "none");
  EXPECT_EQ(format("complex"), "none");
}

TEST(Datatypes, Int8InputsWithInt32SumsOnAnInt8Array) {
  // The MACs take the i8 inputs; the i32 sums are wider than every 8-bit
  // word that may hold them.
  EXPECT_THAT(datatypeMismatches(gemm("i8", 8, "i32", 32), int8Arch()),
              ElementsAre("i32 outputs are wider than the words of DRAM "
                          "(8-bit), Buffer (8-bit), PE (8-bit), which count "
                          "each as one word"));
  // With 32-bit words everywhere, everything fits.
  Arch wide = int8Arch();
  for (StorageLevel &level : wide.levels)
    level.wordBits = 32;
  EXPECT_THAT(datatypeMismatches(gemm("i8", 8, "i32", 32), wide), IsEmpty());
}

TEST(Datatypes, FloatsOnIntegerMacsAndWiderInputs) {
  Arch arch = int8Arch();
  for (StorageLevel &level : arch.levels)
    level.wordBits = 32;
  EXPECT_THAT(datatypeMismatches(gemm("f32", 32, "f32", 32), arch),
              ElementsAre("f32 inputs are floating-point on int8 MACs",
                          "f32 outputs are floating-point on int8 MACs"));
  EXPECT_THAT(datatypeMismatches(gemm("i16", 16, "i32", 32), arch),
              ElementsAre("i16 inputs are wider than the int8 MACs"));
  // A level whose roles exclude the outputs is not asked to hold them.
  Arch narrowInputs = arch;
  narrowInputs.levels[2].wordBits = 8;
  narrowInputs.levels[2].keeps = {true, true, false}; // No outputs.
  EXPECT_THAT(datatypeMismatches(gemm("i8", 8, "i32", 32), narrowInputs),
              IsEmpty());
}

TEST(Datatypes, OneLineForTheWarning) {
  EXPECT_FALSE(datatypeWarning(gemm("i8", 8, "i8", 8), int8Arch()));
  EXPECT_EQ(datatypeWarning(gemm("f32", 32, "f32", 32), int8Arch()),
            "f32 elements on int8's int8 MACs and 8-bit words (DRAM, Buffer, "
            "PE): each counted as one word and one MAC; --precision declared "
            "holds them at their widths (docs/arch.md)");
  EXPECT_EQ(datatypeWarning(gemm("i8", 8, "i32", 32), int8Arch()),
            "i32 elements on int8's 8-bit words (DRAM, Buffer, PE): each "
            "counted as one word and one MAC; --precision declared holds them "
            "at their widths (docs/arch.md)");
}

} // namespace
} // namespace tessel
