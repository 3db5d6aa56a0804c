// SqliteDb and Statement: thin RAII wrappers over the SQLCipher build of the
// sqlite3 API (a plain SQLite when no key is set), whose errors name the file.
#ifndef EDGEFLOW_STORE_SQLITE_DB_H_
#define EDGEFLOW_STORE_SQLITE_DB_H_

#include <sqlcipher/sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "edgeflow/status.h"

namespace edgeflow {

class Statement;

class SqliteDb {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*). A non-empty key makes it an
  // encrypted database; the key is checked by reading the schema, so a wrong
  // key fails here, naming the file.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, int flags,
                                                const std::string& key);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Status Exec(std::string_view sql);
  Result<std::unique_ptr<Statement>> Prepare(std::string_view sql);
  // Status for the last error on this connection, "<path>: <what>: <sqlite message>".
  Status Error(int rc, std::string_view what) const;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

class Statement {
 public:
  Statement(sqlite3_stmt* stmt, const SqliteDb* db) : stmt_(stmt), db_(db) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds text; an empty string binds NULL when empty_is_null is set.
  void BindText(int i, std::string_view s, bool empty_is_null = false) {
    if (empty_is_null && s.empty()) {
      sqlite3_bind_null(stmt_, i);
    } else {
      sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
    }
  }
  void BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  // Binds bytes as a BLOB (never NULL, also when empty). `b` must outlive Step().
  void BindBlob(int i, std::string_view b) {
    sqlite3_bind_blob64(stmt_, i, b.data() ? b.data() : "", b.size(), SQLITE_STATIC);
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string ColumnText(int i) const {
    const unsigned char* p = sqlite3_column_text(stmt_, i);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string();
  }
  int64_t ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
  bool ColumnIsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string ColumnBlob(int i) const {
    const void* p = sqlite3_column_blob(stmt_, i);
    return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string();
  }
  sqlite3_stmt* handle() const { return stmt_; }
  const SqliteDb& db() const { return *db_; }

 private:
  sqlite3_stmt* stmt_;
  const SqliteDb* db_;
};

// SQL string literal with single quotes doubled: 'it''s'.
std::string SqlQuote(std::string_view s);

}  // namespace edgeflow

#endif  // EDGEFLOW_STORE_SQLITE_DB_H_
