//===- support/Gnuplot.h - Running gnuplot for the plots --------*- C++ -*-===//
//
// Every plot Tessel writes (validation reports, network runs, sweeps,
// history) is a gnuplot script run in the plot's directory.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_GNUPLOT_H
#define TESSEL_SUPPORT_GNUPLOT_H

#include <cstdlib>
#include <string>

namespace tessel {

/// "" when gnuplot runs here, else what to install.
inline std::string gnuplotMissing() {
  if (std::system("gnuplot --version > /dev/null 2>&1") == 0)
    return "";
  return "gnuplot is not installed (scripts/deps.sh installs gnuplot-nox)";
}

/// `text` as a gnuplot string literal: single-quoted, quotes doubled.
inline std::string gnuplotString(const std::string &text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// Runs `gnuplot SCRIPT` in `dir` (a file there), its output into `dir/LOG`:
/// "" or "gnuplot failed; see DIR/LOG".
inline std::string runGnuplot(const std::string &dir, const std::string &script,
                              const std::string &log) {
  std::string command =
      "cd '" + dir + "' && gnuplot " + script + " > " + log + " 2>&1";
  if (std::system(command.c_str()) == 0)
    return "";
  return "gnuplot failed; see " + dir + "/" + log;
}

} // namespace tessel

#endif // TESSEL_SUPPORT_GNUPLOT_H
