// Storage routing: which table (database file) each event class is written to,
// and how long it is kept. Set in RuntimeOptions and extended by bundles.
#ifndef EDGEFLOW_STORAGE_H_
#define EDGEFLOW_STORAGE_H_

#include <cstdint>
#include <string>

namespace edgeflow {

// One table = one database file DIR/<name>.db (or DIR/<name>.edb when encrypted).
struct TableSpec {
  std::string name;        // [A-Za-z_][A-Za-z0-9_]*, also the SQL table name
  bool encrypted = false;  // SQLCipher with the runtime's encryption key
  int64_t ttl_ms = 0;      // rows with ts older than now - ttl_ms are deleted; 0 = keep
  int64_t max_rows = 0;    // oldest rows beyond this count are deleted; 0 = unbounded

  bool operator==(const TableSpec&) const = default;
};

// Sends an event class to a table. Empty fields match anything; first match wins.
struct RouteRule {
  std::string type;
  std::string kind;
  std::string page_id;
  std::string table;

  bool operator==(const RouteRule&) const = default;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_STORAGE_H_
