// RunReadOnlySql: authorizer, progress handler (time limit) and row limit.
#include "store/sql_guard.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace edgeflow {
namespace {

struct GuardState {
  std::string refused;  // what the authorizer refused, for the error message
};

const char* ActionName(int action) {
  switch (action) {
    case SQLITE_INSERT: return "INSERT";
    case SQLITE_UPDATE: return "UPDATE";
    case SQLITE_DELETE: return "DELETE";
    case SQLITE_PRAGMA: return "PRAGMA";
    case SQLITE_ATTACH: return "ATTACH";
    case SQLITE_DETACH: return "DETACH";
    case SQLITE_TRANSACTION: return "a transaction";
    case SQLITE_SAVEPOINT: return "SAVEPOINT";
    case SQLITE_ALTER_TABLE: return "ALTER TABLE";
    case SQLITE_REINDEX: return "REINDEX";
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE";
    case SQLITE_DROP_VTABLE: return "DROP VIRTUAL TABLE";
    default:
      if (action >= SQLITE_CREATE_INDEX && action <= SQLITE_DROP_VIEW) return "CREATE/DROP";
      return "a non-read operation";
  }
}

int Authorize(void* user, int action, const char* a, const char* b, const char* db, const char*) {
  auto* st = static_cast<GuardState*>(user);
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_READ:
      // Reading the temp schema or the in-memory main database is harmless
      // but useless; the event tables are the attached databases.
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      // load_extension is compiled out of reach (extension loading is off);
      // every other SQL function only computes.
      if (b && std::string(b) == "load_extension") {
        st->refused = "function load_extension";
        return SQLITE_DENY;
      }
      return SQLITE_OK;
    default:
      st->refused = std::string(ActionName(action)) + (a ? std::string(" ") + a : "") +
                    (db && *db ? std::string(" in ") + db : "");
      return SQLITE_DENY;
  }
}

struct Deadline {
  Env* env;
  int64_t until_us;
};

int Progress(void* user) {
  auto* d = static_cast<Deadline*>(user);
  return d->env->NowMicros() > d->until_us ? 1 : 0;
}

std::string Cell(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT: {
      double v = sqlite3_column_double(stmt, i);
      if (!std::isfinite(v)) return "null";
      return nlohmann::json(v).dump();
    }
    case SQLITE_NULL: return "null";
    default: {
      const char* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      std::string s = p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, i))) : "";
      return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
}

}  // namespace

Result<SqlResult> RunReadOnlySql(SqliteDb& db, const std::string& sql, const SqlLimits& limits, Env* env) {
  sqlite3* h = db.handle();
  GuardState guard;
  sqlite3_set_authorizer(h, Authorize, &guard);
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(h, sql.c_str(), static_cast<int>(sql.size()), &raw, &tail);
  sqlite3_set_authorizer(h, nullptr, nullptr);
  Statement stmt(raw, &db);
  if (rc != SQLITE_OK) {
    if (!guard.refused.empty() || (rc & 0xff) == SQLITE_AUTH) {
      return Status::PermissionDenied("sql: only SELECT on the event tables is allowed; refused " +
                                      (guard.refused.empty() ? std::string("the statement") : guard.refused));
    }
    return Status::InvalidArgument(std::string("sql: ") + sqlite3_errmsg(h));
  }
  if (!raw) return Status::InvalidArgument("sql: empty statement");
  for (const char* p = tail; p && *p; ++p) {
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';') {
      return Status::InvalidArgument("sql: exactly one statement is allowed");
    }
  }
  if (!sqlite3_stmt_readonly(raw)) {
    return Status::PermissionDenied("sql: only read-only statements are allowed");
  }

  Deadline deadline{env, env->NowMicros() + limits.max_time_ms * 1000};
  sqlite3_progress_handler(h, 1000, Progress, &deadline);
  SqlResult out;
  int ncols = sqlite3_column_count(raw);
  for (int i = 0; i < ncols; ++i) out.columns.push_back(sqlite3_column_name(raw, i));
  Status status;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    if (out.rows.size() >= limits.max_rows) {
      status = Status::ResourceExhausted("sql: more than " + std::to_string(limits.max_rows) +
                                         " rows (the row limit); narrow the query or aggregate");
      break;
    }
    std::vector<std::string> row;
    row.reserve(static_cast<size_t>(ncols));
    for (int i = 0; i < ncols; ++i) row.push_back(Cell(raw, i));
    out.rows.push_back(std::move(row));
  }
  sqlite3_progress_handler(h, 0, nullptr, nullptr);
  if (!status.ok()) return status;
  if ((rc & 0xff) == SQLITE_INTERRUPT) {
    return Status::DeadlineExceeded("sql: stopped after the time limit of " +
                                    std::to_string(limits.max_time_ms) + " ms");
  }
  if (rc != SQLITE_DONE) return Status::InvalidArgument(std::string("sql: ") + sqlite3_errmsg(h));
  return out;
}

}  // namespace edgeflow
