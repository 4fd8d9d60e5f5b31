//===- test/support/FilesTest.cpp -----------------------------------------===//
#include "support/Files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tessel {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

fs::path scratch() {
  fs::path dir = fs::temp_directory_path() /
                 ("tessel-files-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

TEST(FilesTest, UnreadableInputs) {
  fs::path dir = scratch();
  EXPECT_EQ(unreadableFile(dir.string()),
            dir.string() + ": error: cannot read the file: Is a directory");
  EXPECT_THAT(unreadableFile((dir / "missing").string()),
              HasSubstr("missing: error: cannot read the file: No such file "
                        "or directory"));
  std::ofstream((dir / "ok").string()) << "x";
  EXPECT_EQ(unreadableFile((dir / "ok").string()), "");
  EXPECT_EQ(unreadableFile("-", true), "");
  EXPECT_NE(unreadableFile("-"), "");
  EXPECT_NE(unreadableFile(""), "");
}

TEST(FilesTest, UnwritableOutputs) {
  fs::path dir = scratch();
  EXPECT_THAT(unwritableFile(dir.string()), HasSubstr("Is a directory"));
  EXPECT_THAT(unwritableFile((dir / "no" / "x").string()),
              HasSubstr("No such file or directory (its directory"));
  std::ofstream((dir / "file").string()) << "x";
  EXPECT_THAT(unwritableFile((dir / "file" / "x").string()),
              HasSubstr("Not a directory"));
  // A probe leaves nothing behind.
  EXPECT_EQ(unwritableFile((dir / "new").string()), "");
  EXPECT_FALSE(fs::exists(dir / "new"));
  EXPECT_EQ(unwritableFile("/dev/null"), "");
}

TEST(FilesTest, MakeDirectories) {
  fs::path dir = scratch();
  EXPECT_EQ(makeDirectories((dir / "a" / "b").string()), "");
  EXPECT_TRUE(fs::is_directory(dir / "a" / "b"));
  std::ofstream((dir / "file").string()) << "x";
  EXPECT_THAT(makeDirectories((dir / "file").string()),
              HasSubstr("it exists and is not a directory"));
  EXPECT_THAT(makeDirectories((dir / "file" / "below").string()),
              HasSubstr("file exists and is not a directory"));
}

TEST(FilesTest, WritesAreChecked) {
  fs::path dir = scratch();
  EXPECT_EQ(writeTextFile((dir / "out.txt").string(), "hello\n"), "");
  EXPECT_EQ(writeTextFile("/dev/full", std::string(1 << 16, 'x')),
            "error writing /dev/full: No space left on device");
  std::ofstream full("/dev/full");
  full << std::string(1 << 16, 'x');
  EXPECT_EQ(streamError(full, "/dev/full"),
            "error writing /dev/full: No space left on device");
  fs::remove_all(dir);
}

TEST(FilesTest, ByteSizes) {
  EXPECT_EQ(byteSize(256ull << 20), "256 MiB");
  EXPECT_EQ(byteSize(8192), "8 KiB");
  EXPECT_EQ(byteSize(1000), "1000 bytes");
}

} // namespace
} // namespace tessel
