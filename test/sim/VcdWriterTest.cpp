//===- test/sim/VcdWriterTest.cpp - VCD of plain C++ signals --------------===//
#include "sim/VcdWriter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace tessel::testing {
namespace {

std::string readAll(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Two signals over four cycles: a value is written only when it changes,
// a time stamp only when something is written.
TEST(VcdWriter, WritesChangesOnly) {
  std::string path = ::testing::TempDir() + "/w.vcd";
  sim::VcdWriter vcd(path);
  unsigned busy = vcd.signal("pe", "busy", 1);
  unsigned words = vcd.signal("glb", "words", 8);
  vcd.set(0, busy, 0);
  vcd.set(0, words, 0);
  vcd.set(1, busy, 1);
  vcd.set(1, words, 0); // Unchanged: not written.
  vcd.set(2, busy, 1);  // Unchanged, and nothing else: no "#2".
  vcd.set(3, words, 5);
  EXPECT_EQ(vcd.close(), "");
  EXPECT_EQ(readAll(path), "$version Tessel structural simulator $end\n"
                           "$timescale 1 ns $end\n"
                           "$scope module tessel $end\n"
                           "$scope module glb $end\n"
                           "$var wire 8 \" words $end\n"
                           "$upscope $end\n"
                           "$scope module pe $end\n"
                           "$var wire 1 ! busy $end\n"
                           "$upscope $end\n"
                           "$upscope $end\n"
                           "$enddefinitions $end\n"
                           "#0\n0!\nb0 \"\n#1\n1!\n#3\nb101 \"\n");
}

TEST(VcdWriter, StopsAtItsLimitAndSaysWhen) {
  std::string path = ::testing::TempDir() + "/l.vcd";
  sim::VcdWriter vcd(path, 300);
  unsigned value = vcd.signal("x", "v", 16);
  for (uint64_t cycle = 0; cycle < 1000; ++cycle)
    vcd.set(cycle, value, cycle);
  EXPECT_EQ(vcd.close(), "");
  EXPECT_TRUE(vcd.truncated());
  EXPECT_GT(vcd.truncatedAt(), 0u);
  EXPECT_LT(readAll(path).size(), 400u);
}

TEST(VcdWriter, UnwritablePathIsAnError) {
  EXPECT_THROW(sim::VcdWriter("/nonexistent-dir/x.vcd"), std::runtime_error);
}

} // namespace
} // namespace tessel::testing
