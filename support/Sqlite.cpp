//===- support/Sqlite.cpp -------------------------------------------------===//
#include "support/Sqlite.h"

#include <sqlite3.h>

#include <climits>

namespace tessel {

SqliteDatabase::SqliteDatabase(const std::string &path) : file(path) {
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK)
    fail("cannot open the database");
  sqlite3_busy_timeout(db, 5000);
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close(db); }

void SqliteDatabase::fail(const std::string &what) const {
  std::string why = db ? sqlite3_errmsg(db) : "out of memory";
  throw SqliteError(file + ": error: " + what + " (" + why + ")");
}

void SqliteDatabase::exec(const std::string &sql) {
  char *error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string why = error ? error : "unknown error";
    sqlite3_free(error);
    throw SqliteError(file + ": error: the database refused a change (" + why +
                      ")");
  }
}

int64_t SqliteDatabase::lastRowId() const {
  return sqlite3_last_insert_rowid(db);
}

SqliteStatement::SqliteStatement(SqliteDatabase &db, const std::string &sql)
    : db(db) {
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &statement, nullptr) !=
      SQLITE_OK)
    db.fail("cannot prepare '" + sql.substr(0, 60) + "'; is it a database "
                                                     "Tessel wrote?");
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement); }

SqliteStatement &SqliteStatement::bind(int i, const std::string &text) {
  sqlite3_bind_text(statement, i, text.c_str(), int(text.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement &SqliteStatement::bind(int i, uint64_t value) {
  if (value > uint64_t(INT64_MAX))
    return bind(i, std::to_string(value)); // Exact, as text.
  sqlite3_bind_int64(statement, i, sqlite3_int64(value));
  return *this;
}

SqliteStatement &SqliteStatement::bind(int i, int64_t value) {
  sqlite3_bind_int64(statement, i, sqlite3_int64(value));
  return *this;
}

SqliteStatement &SqliteStatement::bind(int i, double value) {
  sqlite3_bind_double(statement, i, value);
  return *this;
}

SqliteStatement &SqliteStatement::bindNull(int i) {
  sqlite3_bind_null(statement, i);
  return *this;
}

bool SqliteStatement::step() {
  int status = sqlite3_step(statement);
  if (status == SQLITE_ROW)
    return true;
  if (status == SQLITE_DONE)
    return false;
  db.fail("cannot read or write the database");
}

void SqliteStatement::run() {
  if (step())
    db.fail("a change returned rows");
}

void SqliteStatement::reset() {
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
}

std::string SqliteStatement::text(int column) const {
  const unsigned char *t = sqlite3_column_text(statement, column);
  return t ? reinterpret_cast<const char *>(t) : "";
}

uint64_t SqliteStatement::whole(int column) const {
  if (sqlite3_column_type(statement, column) == SQLITE_TEXT) {
    try {
      return std::stoull(text(column));
    } catch (const std::exception &) {
      db.fail("a count column holds '" + text(column) + "'");
    }
  }
  return uint64_t(sqlite3_column_int64(statement, column));
}

double SqliteStatement::real(int column) const {
  return sqlite3_column_double(statement, column);
}

bool SqliteStatement::isNull(int column) const {
  return sqlite3_column_type(statement, column) == SQLITE_NULL;
}

} // namespace tessel
