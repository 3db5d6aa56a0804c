// The read-only SQL API: runs one user SELECT on the reader connection under
// an authorizer that allows only reading, a row limit and a time limit.
#ifndef EDGEFLOW_STORE_SQL_GUARD_H_
#define EDGEFLOW_STORE_SQL_GUARD_H_

#include <string>

#include "edgeflow/env.h"
#include "store/event_store.h"
#include "store/sqlite_db.h"

namespace edgeflow {

// Refuses (kPermissionDenied, naming the action) anything but SELECT and reads;
// kResourceExhausted beyond limits.max_rows rows; kDeadlineExceeded past
// limits.max_time_ms; kInvalidArgument for SQL that does not compile or holds
// more than one statement.
Result<SqlResult> RunReadOnlySql(SqliteDb& db, const std::string& sql, const SqlLimits& limits, Env* env);

}  // namespace edgeflow

#endif  // EDGEFLOW_STORE_SQL_GUARD_H_
