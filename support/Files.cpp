//===- support/Files.cpp --------------------------------------------------===//
#include "support/Files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace tessel {
namespace {

namespace fs = std::filesystem;

std::string cannot(const std::string &path, const std::string &what,
                   const std::string &why) {
  return path + ": error: cannot " + what + ": " + why;
}

std::string parentOf(const std::string &path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

} // namespace

std::string errorText(int error) { return std::strerror(error); }

std::string unreadableFile(const std::string &path, bool allowStdin) {
  if (path == "-" && allowStdin)
    return "";
  if (path.empty())
    return "error: no file given (an empty path)";
  struct stat info;
  if (stat(path.c_str(), &info) != 0)
    return cannot(path, "read the file", errorText(errno));
  if (S_ISDIR(info.st_mode))
    return cannot(path, "read the file", "Is a directory");
  int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return cannot(path, "read the file", errorText(errno));
  close(fd);
  return "";
}

std::string unwritableFile(const std::string &path) {
  if (path.empty())
    return "error: no output file given (an empty path)";
  struct stat info;
  if (stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode))
      return cannot(path, "write the file", "Is a directory");
    int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
      return cannot(path, "write the file", errorText(errno));
    close(fd);
    return "";
  }
  if (errno != ENOENT)
    return cannot(path, "write the file", errorText(errno));
  std::string parent = parentOf(path);
  if (stat(parent.c_str(), &info) != 0)
    return cannot(path, "write the file",
                  errorText(errno) + " (its directory " + parent + ")");
  if (!S_ISDIR(info.st_mode))
    return cannot(path, "write the file",
                  "Not a directory (" + parent + " is a file)");
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0)
    return cannot(path, "write the file", errorText(errno));
  close(fd);
  unlink(path.c_str());
  return "";
}

std::string makeDirectories(const std::string &path) {
  if (path.empty())
    return "error: no directory given (an empty path)";
  std::error_code error;
  if (fs::is_directory(path, error))
    return "";
  if (fs::exists(path, error))
    return cannot(path, "create the directory",
                  "it exists and is not a directory");
  // Report the first missing ancestor that cannot be made, by its name.
  fs::path current;
  for (const fs::path &part : fs::path(path)) {
    current /= part;
    if (fs::is_directory(current, error))
      continue;
    if (fs::exists(current, error))
      return cannot(path, "create the directory",
                    current.string() + " exists and is not a directory");
    if (mkdir(current.c_str(), 0777) != 0 && errno != EEXIST)
      return cannot(path, "create the directory",
                    errorText(errno) +
                        (current == fs::path(path)
                             ? std::string()
                             : " (making " + current.string() + ")"));
  }
  return "";
}

std::string streamError(std::ostream &stream, const std::string &path,
                        int error) {
  int saved = error ? error : errno;
  bool failed = !stream;
  stream.clear();
  errno = 0;
  stream.flush();
  if (!stream) {
    failed = true;
    if (errno)
      saved = errno;
  }
  if (!failed)
    return "";
  return "error writing " + path + ": " +
         (saved ? errorText(saved) : std::string("a write failed"));
}

std::string writeTextFile(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return cannot(path, "write the file", errorText(errno));
  out << text;
  std::string problem = streamError(out, path);
  if (!problem.empty())
    return problem;
  errno = 0;
  out.close();
  if (out.fail())
    return "error writing " + path + ": " +
           (errno ? errorText(errno) : std::string("a write failed"));
  return "";
}

std::string stdoutError() {
  int saved = errno;
  bool failed = false;
  errno = 0;
  std::cout.flush();
  if (!std::cout) {
    failed = true;
    if (errno)
      saved = errno;
  }
  errno = 0;
  if (std::fflush(stdout) != 0) {
    failed = true;
    if (errno)
      saved = errno;
  }
  if (std::ferror(stdout))
    failed = true;
  if (!failed)
    return "";
  return "error writing <stdout>: " +
         (saved ? errorText(saved) : std::string("a write failed"));
}

std::string byteSize(uint64_t bytes) {
  const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  unsigned unit = 0;
  uint64_t value = bytes;
  while (unit < 4 && value >= 1024 && value % 1024 == 0) {
    value /= 1024;
    ++unit;
  }
  return std::to_string(value) + " " + units[unit];
}

} // namespace tessel
