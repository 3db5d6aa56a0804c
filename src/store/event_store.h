// EventStore: the device's local event log. Append() never touches disk; a
// writer thread commits batches in SQLite transactions (WAL), routed per event
// class to one database file per table, plain (SQLite) or encrypted (SQLCipher).
// Every event gets an arrival sequence number (seq) that orders it against the
// events of every table, so that a stream feature can read the log in arrival
// order (ReadSince), checkpoint its state (PutState) and resume after a restart.
//
// Files in StoreOptions::dir:
//   <table>.db / <table>.edb   one per table; columns id, ts, type, kind,
//                              page_id, click_id, item_id, props, seq
//   _state.db / _state.edb     state blobs and the seq high-water mark;
//                              .edb (encrypted) whenever encryption_key is set
//
// Thread-safety: every method may be called from any thread.
// Durability: after Flush()/Close() returns OK, every appended event is on disk.
// After a kill -9, at most the events appended in the last max_flush_delay_ms
// are lost, and every table file passes PRAGMA integrity_check. Once
// PutState()/DeleteState() returns OK, the change survives a kill -9.
// (synchronous=NORMAL: an OS crash or power loss can lose the last commits of
// any file, but corrupts none.)
#ifndef EDGEFLOW_STORE_EVENT_STORE_H_
#define EDGEFLOW_STORE_EVENT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

// One event as ReadSince() returns it.
struct SeqEvent {
  int64_t seq;  // the arrival sequence number Append() gave it
  Event event;
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
  // Opens or creates every table file and the state file. Fails (naming the
  // file) on a wrong encryption key, a corrupt file, or an unwritable directory.
  // A table file written before seqs existed gets the seq column (ALTER TABLE)
  // and its rows are numbered at once, in id order, above every seq in use: to
  // ReadSince() they are older than everything appended from now on. (Should a
  // full table refuse the numbering, it still opens: its old rows keep a NULL
  // seq, which ReadSince() reads as seq 0, returned only for after_seq < 0.)
  // The table name "_state" is reserved (in any letter case) for the state file.
  static Result<std::unique_ptr<EventStore>> Open(const StoreOptions& options);

  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;
  virtual ~EventStore() = default;  // flushes and closes, as Close()

  // Queues the event for the writer thread. Never waits on disk; waits only if
  // max_pending events are already queued (the disk cannot keep up).
  //
  // On OK, sets *seq (when seq is not null) to the event's arrival sequence
  // number: global over all tables, strictly increasing in the order Append()
  // calls return, starting at 1 in a new store. After a reopen seqs continue
  // above every seq any table holds (and above any seq handed to a table
  // before a kill -9, so a seq seen by a reader is never reused). Seqs need not
  // be dense: events lost to a kill -9 leave gaps.
  virtual Status Append(const Event& event, int64_t* seq = nullptr) = 0;
  // Blocks until everything appended before the call is committed.
  virtual Status Flush() = 0;
  // Flushes, stops the background threads, closes the files. Idempotent.
  virtual Status Close() = 0;

  // Adds tables and routes at run time (a bundle's routing table). New routes are
  // tried before the existing ones. Adding a table that exists with the same
  // spec is a no-op; with a different spec, kAlreadyExists. The tables are
  // added all or none. An added table file that already holds events keeps
  // their seqs (rows from before seqs existed are numbered as in Open()).
  virtual Status AddRoutes(const std::vector<TableSpec>& tables,
                           const std::vector<RouteRule>& routes) = 0;

  virtual Result<std::vector<Event>> Query(const EventQuery& query) = 0;

  // Up to `limit` committed events with seq > after_seq, from every table,
  // in seq order. To page through the whole log, start with after_seq = 0 and
  // pass the last seq returned; a page shorter than `limit` means the reader
  // has caught up (for now).
  //
  // Only events below the commit watermark are returned: the largest S such
  // that every event appended with seq <= S is committed. So a reader that has
  // seen seq S never misses an event with a smaller seq that commits later,
  // even though each table commits on its own. Events that are still in
  // memory are not returned; Flush() first to read everything appended so far.
  // Retention may delete events a reader has not reached yet; they are skipped.
  //
  // Cost: per table, a bisection over the row ids (within a table, id order is
  // seq order; there is no index on seq, so appends pay nothing for it), then
  // one row read per event returned. kFailedPrecondition after Close().
  virtual Result<std::vector<SeqEvent>> ReadSince(int64_t after_seq, size_t limit) = 0;

  // Runs one SELECT over the event tables (each attached under its table name).
  // Anything but reading the event tables is refused with kPermissionDenied.
  // The tables include the seq column (last, so "SELECT *" ends with seq and
  // has the same shape in every table, old or new); name the columns for a
  // result that does not depend on the schema. The state file is not visible.
  virtual Result<SqlResult> Sql(const std::string& select, const SqlLimits& limits) = 0;
  // Applies TTL and max_rows now (the background sweep does the same).
  virtual Status EnforceRetention() = 0;

  virtual StoreStats Stats() = 0;

  // State blobs: named byte strings (a stream feature's checkpoint) in the
  // state file; blobs of several MB are fine (SQLite's limit is 1 GB). A name is
  // any byte string, compared exactly. Each call is one transaction: when it
  // returns OK, the change survives a kill -9. A feature that stores the last
  // seq it consumed inside its blob resumes with ReadSince(that seq). All
  // return kFailedPrecondition after Close().

  // Stores `blob` under `name`, replacing what was there.
  virtual Status PutState(const std::string& name, std::string_view blob) = 0;
  // The blob stored under `name`, or nullopt when there is none.
  virtual Result<std::optional<std::string>> GetState(const std::string& name) = 0;
  // Removes `name`; OK when it was not stored.
  virtual Status DeleteState(const std::string& name) = 0;

 protected:
  EventStore() = default;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_STORE_EVENT_STORE_H_
