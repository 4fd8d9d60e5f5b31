//===- support/Sqlite.h - SQLite databases, statements, errors --*- C++ -*-===//
//
// A thin RAII layer over Debian's libsqlite3 for the result databases
// (sweeps, validation history): a database opened or created, statements
// prepared once and stepped, every failure a std::runtime_error that names
// the file and SQLite's reason. Counts are uint64_t: above 2^63 - 1 they are
// stored as decimal text and read back exactly.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SUPPORT_SQLITE_H
#define TESSEL_SUPPORT_SQLITE_H

#include <cstdint>
#include <stdexcept>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace tessel {

class SqliteError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class SqliteDatabase {
public:
  /// Opens `path`, creating it if missing; throws SqliteError.
  explicit SqliteDatabase(const std::string &path);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase &) = delete;
  SqliteDatabase &operator=(const SqliteDatabase &) = delete;

  /// Runs SQL without results (several statements allowed).
  void exec(const std::string &sql);
  /// "PATH: error: WHAT (SQLite's reason)".
  [[noreturn]] void fail(const std::string &what) const;
  const std::string &path() const { return file; }
  sqlite3 *handle() const { return db; }
  /// The rowid the last INSERT made.
  int64_t lastRowId() const;

private:
  sqlite3 *db = nullptr;
  std::string file;
};

class SqliteStatement {
public:
  SqliteStatement(SqliteDatabase &db, const std::string &sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement &) = delete;
  SqliteStatement &operator=(const SqliteStatement &) = delete;

  SqliteStatement &bind(int i, const std::string &text);
  SqliteStatement &bind(int i, uint64_t value);
  SqliteStatement &bind(int i, int64_t value);
  SqliteStatement &bind(int i, double value);
  SqliteStatement &bindNull(int i);
  /// Whether a row came (false: done); throws SqliteError on failure.
  bool step();
  /// Steps a statement without results; throws unless it is done.
  void run();
  /// Ready to bind and step again.
  void reset();

  std::string text(int column) const;
  uint64_t whole(int column) const;
  double real(int column) const;
  bool isNull(int column) const;

private:
  SqliteDatabase &db;
  sqlite3_stmt *statement = nullptr;
};

} // namespace tessel

#endif // TESSEL_SUPPORT_SQLITE_H
