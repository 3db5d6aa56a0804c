// SQL functions edgeflow adds to the read connection. Debian's SQLCipher is
// built on SQLite 3.15 without JSON1, so json_extract(json, path) is provided
// here for batch features over event props ("$.price", "$.tags[0]", "$.a.b").
#ifndef EDGEFLOW_STORE_SQL_FUNCTIONS_H_
#define EDGEFLOW_STORE_SQL_FUNCTIONS_H_

#include "edgeflow/status.h"
#include "store/sqlite_db.h"

namespace edgeflow {

// Registers json_extract unless the SQLite build already has it.
Status RegisterSqlFunctions(SqliteDb& db);

}  // namespace edgeflow

#endif  // EDGEFLOW_STORE_SQL_FUNCTIONS_H_
