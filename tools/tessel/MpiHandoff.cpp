//===- tools/tessel/MpiHandoff.cpp ----------------------------------------===//
#include "MpiHandoff.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <unistd.h>
#include <vector>

namespace tessel::cli {

namespace fs = std::filesystem;

/// Under mpirun: this process becomes `tessel-mpi` (beside this binary)
/// with the same arguments. Returns only if it cannot.
int handToMpiBuild(const std::string &command) {
  std::error_code code;
  fs::path self = fs::read_symlink("/proc/self/exe", code);
  fs::path sibling = self.parent_path() / "tessel-mpi";
  std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(cmdline)),
                  std::istreambuf_iterator<char>());
  std::vector<std::string> words;
  for (size_t at = 0; at < all.size();) {
    size_t end = all.find('\0', at);
    words.push_back(all.substr(at, end - at));
    at = end == std::string::npos ? all.size() : end + 1;
  }
  if (code || words.empty() || !fs::exists(sibling, code)) {
    std::cerr << "tessel " << command << ": started by mpirun, but " << sibling.string()
              << " is missing: it is built where Open MPI is installed "
                 "(libopenmpi-dev; scripts/deps.sh installs it), then "
                 "rebuild\n";
    return 1;
  }
  std::vector<char *> argv;
  words[0] = sibling.string();
  for (std::string &word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  execv(argv[0], argv.data());
  std::cerr << "tessel " << command << ": cannot run " << sibling.string() << ": "
            << std::strerror(errno) << "\n";
  return 1;
}

} // namespace tessel::cli
