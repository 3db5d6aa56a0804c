// SqliteDb: open (with optional SQLCipher key), exec, prepare, error naming.
#include "store/sqlite_db.h"

namespace edgeflow {

std::string SqlQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, int flags,
                                                 const std::string& key) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  if (rc != SQLITE_OK) {
    return Status::IOError(path + ": cannot open: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  if (!key.empty()) {
    Status s = db->Exec("PRAGMA key = " + SqlQuote(key));
    if (!s.ok()) return s;
    // SQLCipher 3 defaults to 1 KiB pages; 4 KiB pages mean a quarter of the
    // per-page encryption and HMAC work. Must match at every open.
    s = db->Exec("PRAGMA cipher_page_size = 4096");
    if (!s.ok()) return s;
  }
  // Reading the schema checks the key (SQLCipher) and the file header.
  rc = sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    int primary = rc & 0xff;
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
      std::string why = key.empty() ? "not a database or corrupt"
                                    : "wrong encryption key, or not an encrypted edgeflow table";
      return Status::Corruption(path + ": cannot read: " + why + " (" + sqlite3_errmsg(raw) + ")");
    }
    return db->Error(rc, "cannot read");
  }
  return db;
}

SqliteDb::~SqliteDb() {
  if (db_) sqlite3_close_v2(db_);
}

Status SqliteDb::Error(int rc, std::string_view what) const {
  std::string m = path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_);
  switch (rc & 0xff) {
    case SQLITE_FULL: return Status::ResourceExhausted(m + " (disk or table quota full)");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Status::Corruption(m);
    case SQLITE_AUTH:
    case SQLITE_PERM:
    case SQLITE_READONLY: return Status::PermissionDenied(m);
    case SQLITE_INTERRUPT: return Status::DeadlineExceeded(m);
    case SQLITE_ERROR: return Status::InvalidArgument(m);
    default: return Status::IOError(m);
  }
}

Status SqliteDb::Exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) return Error(rc, "cannot execute \"" + s.substr(0, 60) + "\"");
  return Status::OK();
}

Result<std::unique_ptr<Statement>> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, "cannot prepare");
  }
  if (!stmt) return Status::InvalidArgument(path_ + ": empty SQL statement");
  return std::make_unique<Statement>(stmt, this);
}

}  // namespace edgeflow
