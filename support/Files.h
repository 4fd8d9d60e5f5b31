//===- support/Files.h - Checked paths and checked writes -------*- C++ -*-===//
//
// Every command checks its input and output paths before it starts and
// every write after it ends, so that a missing file, a directory where a
// file should be, an unwritable place or a full disk is a one-line error
// naming the path, never a crash or a silent exit 0.
//
// The functions return the problem as text ("" when there is none), in the
// form the commands print:
//   PATH: error: cannot read the file: Is a directory
//   PATH: error: cannot write the file: No such file or directory
//   error writing PATH: No space left on device
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_FILES_H
#define TESSEL_SUPPORT_FILES_H

#include <cstdint>
#include <ostream>
#include <string>

namespace tessel {

/// strerror(error) as a std::string ("No space left on device").
std::string errorText(int error);

/// Why `path` cannot be read as a file: missing, a directory, unreadable.
/// "" when it can ("-" counts as stdin and is always fine when
/// `allowStdin`).
std::string unreadableFile(const std::string &path, bool allowStdin = false);

/// Why a file cannot be created or replaced at `path`: an existing
/// directory, a missing or non-directory parent, no permission, a
/// read-only file system. Probes by opening (and removes a file it had to
/// create); "" when writing may start. A full disk shows only on writing.
std::string unwritableFile(const std::string &path);

/// Creates the directory `path` and its parents; "" or why not (it exists
/// and is not a directory, a parent cannot be made, ...).
std::string makeDirectories(const std::string &path);

/// Flushes `stream`, then says whether every write to it succeeded: "" or
/// "error writing PATH: REASON". `error` is the errno seen when the stream
/// failed (0 if unknown).
std::string streamError(std::ostream &stream, const std::string &path,
                        int error = 0);

/// Writes `text` to `path` (created or replaced), flushes, closes and
/// checks: "" or "error writing PATH: REASON".
std::string writeTextFile(const std::string &path, const std::string &text);

/// Flushes std::cout and C's stdout and checks that every write to them
/// succeeded (a closed pipe, /dev/full): "" or "error writing <stdout>:
/// REASON".
std::string stdoutError();

/// "256 MiB", "64 KiB", "100 bytes": a byte count for messages.
std::string byteSize(uint64_t bytes);

} // namespace tessel

#endif // TESSEL_SUPPORT_FILES_H
