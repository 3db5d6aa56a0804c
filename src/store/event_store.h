// EventStore: the device's local event log. Append() never touches disk; a
// writer thread commits batches in SQLite transactions (WAL), routed per event
// class to one database file per table, plain (SQLite) or encrypted (SQLCipher).
//
// Thread-safety: every method may be called from any thread.
// Durability: after Flush()/Close() returns OK, every appended event is on disk.
// After a kill -9, at most the events appended in the last max_flush_delay_ms
// are lost, and every table file passes PRAGMA integrity_check.
#ifndef EDGEFLOW_STORE_EVENT_STORE_H_
#define EDGEFLOW_STORE_EVENT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edgeflow/env.h"
#include "edgeflow/event.h"
#include "edgeflow/status.h"
#include "edgeflow/storage.h"

namespace edgeflow {

// TableSpec and RouteRule are public (include/edgeflow/storage.h).

struct StoreOptions {
  std::string dir;                  // created if missing
  std::vector<TableSpec> tables;    // empty: one plain table "events"
  std::vector<RouteRule> routes;    // unmatched events go to the first table
  std::string encryption_key;       // required iff a table is encrypted
  int64_t max_flush_delay_ms = 200; // an appended event is committed within this delay
  size_t max_batch = 8192;          // events per transaction at most
  size_t max_pending = 1 << 20;     // Append() blocks (backpressure) beyond this many
  int64_t retention_interval_ms = 1000;  // how often the background sweep runs
  // Caps each table file's size (0 = unlimited). A full table behaves like a
  // full disk: commits fail with kResourceExhausted, events stay in memory
  // and are retried, nothing stored is lost.
  int64_t max_table_bytes = 0;
  Env* env = nullptr;               // null: Env::Default()
};

// Time-range / type / page query. Results are ordered by ts, then insertion.
struct EventQuery {
  std::string table;          // "" = every table
  int64_t from_ms = INT64_MIN; // inclusive
  int64_t to_ms = INT64_MAX;   // exclusive
  std::string type;           // "" = any
  std::string page_id;        // "" = any
  std::string kind;           // "" = any
  size_t limit = 10000;
};

// The read-only SQL API for batch features.
struct SqlLimits {
  size_t max_rows = 10000;        // more rows: kResourceExhausted
  int64_t max_time_ms = 100;      // longer: kDeadlineExceeded
};

struct SqlResult {
  std::vector<std::string> columns;
  // Each cell is JSON text: a number, a string, or null.
  std::vector<std::vector<std::string>> rows;
};

struct StoreStats {
  int64_t appended = 0;       // accepted by Append()
  int64_t persisted = 0;      // committed to disk
  int64_t pending = 0;        // in memory, not yet committed
  int64_t write_errors = 0;   // failed commits (the batch is kept and retried)
  int64_t retention_deleted = 0;
  std::string last_error;     // "" when none
};

class EventStore {
 public:
  // Opens or creates every table file. Fails (naming the file) on a wrong
  // encryption key, a corrupt file, or an unwritable directory.
  static Result<std::unique_ptr<EventStore>> Open(const StoreOptions& options);

  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;
  virtual ~EventStore() = default;  // flushes and closes, as Close()

  // Queues the event for the writer thread. Never waits on disk; waits only if
  // max_pending events are already queued (the disk cannot keep up).
  virtual Status Append(const Event& event) = 0;
  // Blocks until everything appended before the call is committed.
  virtual Status Flush() = 0;
  // Flushes, stops the background threads, closes the files. Idempotent.
  virtual Status Close() = 0;

  // Adds tables and routes at run time (a bundle's routing table). New routes are
  // tried before the existing ones. Adding a table that exists with the same
  // spec is a no-op; with a different spec, kAlreadyExists.
  virtual Status AddRoutes(const std::vector<TableSpec>& tables,
                           const std::vector<RouteRule>& routes) = 0;

  virtual Result<std::vector<Event>> Query(const EventQuery& query) = 0;
  // Runs one SELECT over the event tables (each attached under its table name).
  // Anything but reading the event tables is refused with kPermissionDenied.
  virtual Result<SqlResult> Sql(const std::string& select, const SqlLimits& limits) = 0;
  // Applies TTL and max_rows now (the background sweep does the same).
  virtual Status EnforceRetention() = 0;

  virtual StoreStats Stats() = 0;

 protected:
  EventStore() = default;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_STORE_EVENT_STORE_H_
