// EventStoreImpl: the in-memory append buffer, the writer thread (batched
// transactions, routing, retention), the read paths (Query, ReadSince,
// read-only SQL) and the state file.
//
// Threads and locks:
//   - Append() takes mu_ only to number the event and copy it into pending_
//     (no disk, no SQLite, and in steady state no allocation: see
//     append_buffer.h).
//   - The writer thread owns every write connection. It takes pending_'s chunks,
//     routes each event, commits one transaction per table per batch, and runs
//     retention between batches in small chunks. db_mu_ serialises it with
//     EnforceRetention() and AddRoutes().
//   - Reads use one separate connection with every table attached read-only
//     (WAL lets it read while the writer writes), guarded by read_mu_.
//   - The state file has its own connection, guarded by state_mu_.
//   - The checkpointer thread copies each table's WAL into its file, on a
//     connection of its own (checkpointer.h), so that the writer never waits
//     on a checkpoint's fsyncs.
//   Lock order: read_mu_, then db_mu_, then state_mu_ or mu_. The checkpointer's
//   lock is a leaf: a commit takes it, and it takes none of these.
//
// Seqs. Append() numbers events under mu_, so pending_ is always in seq order
// (failed writes go back to its front, in order). Hence each table receives
// its events in seq order, and since SQLite gives a new row an id above every
// id in the table, id order is seq order within a table: ReadSince() needs no
// index on seq. Across tables, commits are not in seq order (one transaction
// per table), hence committed_seq_, the watermark below which every event is
// committed. Before a batch is committed, its last seq is recorded in the
// state file (durable_max_seq_), so that a reopen continues above it even if
// the table that holds it is only added later by AddRoutes().
#include "store/event_store.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/logging.h"
#include "store/sqlite_db.h"
#include "store/append_buffer.h"
#include "store/checkpointer.h"
#include "store/sql_functions.h"
#include "store/sql_guard.h"
#include "store/state_file.h"

namespace edgeflow {
namespace {

constexpr int64_t kRetentionChunk = 1000;  // rows deleted per statement

bool ValidTableName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  if (s.rfind("sqlite_", 0) == 0) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool IsReservedName(const std::string& s) {
  static const std::string kState = "_state";  // the state file's name
  return s.size() == kState.size() &&
         std::equal(s.begin(), s.end(), kState.begin(),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
}

bool RouteMatches(const RouteRule& r, const Event& e) {
  return (r.type.empty() || r.type == e.type) && (r.kind.empty() || r.kind == e.kind) &&
         (r.page_id.empty() || r.page_id == e.page_id);
}

Result<bool> HasColumn(SqliteDb& db, const std::string& table, const std::string& column) {
  EF_ASSIGN_OR_RETURN(auto info, db.Prepare("PRAGMA table_info(" + table + ")"));
  int rc;
  while ((rc = info->Step()) == SQLITE_ROW) {
    if (info->ColumnText(1) == column) return true;
  }
  if (rc != SQLITE_DONE) return db.Error(rc, "cannot read the columns of " + table);
  return false;
}

struct Table {
  TableSpec spec;
  std::string path;
  std::unique_ptr<SqliteDb> db;          // write connection; writer thread (or db_mu_)
  std::unique_ptr<Statement> insert;
  int64_t rows = 0;                      // current row count, kept by the writer
  // Found when the table is opened: the largest seq it holds (0 if none) and
  // the ids of the rows without a seq that are still to be numbered.
  int64_t max_seq = 0;
  int64_t unnumbered_first_id = 0, unnumbered_last_id = -1;
};

class EventStoreImpl : public EventStore {
 public:
  explicit EventStoreImpl(const StoreOptions& o) : opts_(o), env_(o.env ? o.env : Env::Default()) {}
  ~EventStoreImpl() override { Close(); }

  Status Init() {
    if (opts_.dir.empty()) return Status::InvalidArgument("StoreOptions.dir: must not be empty");
    if (opts_.max_batch == 0) return Status::InvalidArgument("StoreOptions.max_batch: must be positive");
    if (opts_.max_flush_delay_ms <= 0) {
      return Status::InvalidArgument("StoreOptions.max_flush_delay_ms: must be positive");
    }
    EF_RETURN_IF_ERROR(env_->CreateDirs(opts_.dir));
    std::vector<TableSpec> specs = opts_.tables;
    if (specs.empty()) specs.push_back(TableSpec{"events", false, 0, 0});
    std::lock_guard<std::mutex> d(db_mu_);  // for form's sake: no other thread yet
    std::vector<std::unique_ptr<Table>> opened;
    EF_RETURN_IF_ERROR(OpenTablesLocked(specs, "StoreOptions.tables", &opened));
    // Seqs continue above the state file's high-water mark.
    const std::string state_path = opts_.dir + (opts_.encryption_key.empty() ? "/_state.db" : "/_state.edb");
    EF_ASSIGN_OR_RETURN(auto state, StateFile::Open(state_path, opts_.encryption_key));
    EF_ASSIGN_OR_RETURN(const int64_t max_seq, state->MaxSeq());
    {
      std::lock_guard<std::mutex> g(state_mu_);
      state_ = std::move(state);
    }
    durable_max_seq_ = max_seq;
    {
      std::lock_guard<std::mutex> l(mu_);
      next_seq_ = max_seq + 1;
    }
    EF_RETURN_IF_ERROR(AddOpenedTablesLocked(std::move(opened)));
    {
      std::lock_guard<std::mutex> l(mu_);
      committed_seq_ = next_seq_ - 1;  // nothing is pending yet
    }
    EF_RETURN_IF_ERROR(CheckRoutes(opts_.routes, "StoreOptions.routes"));
    routes_ = opts_.routes;
    writer_running_ = true;  // before the thread starts: Flush() must not see it stopped
    writer_ = std::thread([this] { WriterLoop(); });
    return Status::OK();
  }

  Status Append(const Event& event, int64_t* seq) override {
    std::unique_lock<std::mutex> l(mu_);
    if (closed_) return Status::FailedPrecondition("event store is closed");
    if (pending_.size() >= opts_.max_pending) {
      // Backpressure: the disk cannot keep up; wait for the writer (never lose).
      writer_cv_.notify_one();
      space_cv_.wait(l, [&] { return pending_.size() < opts_.max_pending || closed_; });
      if (closed_) return Status::FailedPrecondition("event store is closed");
    }
    const int64_t s = next_seq_++;
    pending_.Push(event, s);
    ++appended_;
    if (seq) *seq = s;
    if (pending_.size() == opts_.max_batch) writer_cv_.notify_one();
    return Status::OK();
  }

  Status Flush() override {
    std::unique_lock<std::mutex> l(mu_);
    // Waits on the watermark, not on the count: events appended after the
    // call may commit in a table whose commit succeeded while an earlier
    // event's table failed.
    const int64_t target = next_seq_ - 1;
    const int64_t errors_before = write_errors_;
    flush_requested_ = true;
    writer_cv_.notify_one();
    done_cv_.wait(l, [&] { return committed_seq_ >= target || write_errors_ > errors_before || !writer_running_; });
    if (committed_seq_ >= target) return Status::OK();
    if (!last_error_.ok()) return last_error_;
    return Status::IOError("event store writer stopped before flushing");
  }

  Status Close() override {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (closed_) return close_status_;  // idempotent
      closed_ = true;
      writer_cv_.notify_all();
      space_cv_.notify_all();
    }
    if (writer_.joinable()) writer_.join();
    Status result;
    {
      std::lock_guard<std::mutex> l(mu_);
      int64_t lost = static_cast<int64_t>(pending_.size());
      if (lost > 0) {
        close_status_ = Status::IOError(std::to_string(lost) + " event(s) could not be written at close: " +
                                        last_error_.ToString());
      }
      result = close_status_;
    }
    {
      std::lock_guard<std::mutex> r(read_mu_);
      reader_.reset();
    }
    {
      std::lock_guard<std::mutex> d(db_mu_);
      tables_.clear();
    }
    checkpointer_.Close();  // after the write connections, whose hooks point into it
    std::lock_guard<std::mutex> g(state_mu_);
    state_.reset();
    return result;
  }

  Status AddRoutes(const std::vector<TableSpec>& tables, const std::vector<RouteRule>& routes) override {
    std::lock_guard<std::mutex> d(db_mu_);
    std::vector<std::unique_ptr<Table>> opened;
    EF_RETURN_IF_ERROR(OpenTablesLocked(tables, "tables", &opened));
    EF_RETURN_IF_ERROR(AddOpenedTablesLocked(std::move(opened)));
    EF_RETURN_IF_ERROR(CheckRoutes(routes, "routes"));
    std::lock_guard<std::mutex> l(mu_);
    routes_.insert(routes_.begin(), routes.begin(), routes.end());
    return Status::OK();
  }

  Result<std::vector<Event>> Query(const EventQuery& q) override {
    std::vector<std::string> names;
    {
      std::lock_guard<std::mutex> d(db_mu_);
      for (const auto& t : tables_) {
        if (q.table.empty() || q.table == t->spec.name) names.push_back(t->spec.name);
      }
    }
    if (names.empty()) return Status::NotFound("no event table named \"" + q.table + "\"");
    std::string sql;
    for (const auto& n : names) {
      if (!sql.empty()) sql += " UNION ALL ";
      sql += "SELECT ts, id, type, kind, page_id, click_id, item_id, props FROM " + n + "." + n +
             " WHERE ts >= ?1 AND ts < ?2 AND (?3 = '' OR type = ?3) AND (?4 = '' OR page_id = ?4)"
             " AND (?5 = '' OR kind = ?5)";
    }
    sql += " ORDER BY 1, 2 LIMIT ?6";
    std::lock_guard<std::mutex> r(read_mu_);
    EF_RETURN_IF_ERROR(EnsureReaderLocked());
    EF_ASSIGN_OR_RETURN(auto stmt, reader_->Prepare(sql));
    stmt->BindInt(1, q.from_ms);
    stmt->BindInt(2, q.to_ms);
    stmt->BindText(3, q.type);
    stmt->BindText(4, q.page_id);
    stmt->BindText(5, q.kind);
    stmt->BindInt(6, static_cast<int64_t>(std::min<size_t>(q.limit, INT64_MAX)));
    std::vector<Event> out;
    int rc;
    while ((rc = stmt->Step()) == SQLITE_ROW) {
      Event e;
      e.ts_ms = stmt->ColumnInt(0);
      e.type = stmt->ColumnText(2);
      e.kind = stmt->ColumnText(3);
      e.page_id = stmt->ColumnText(4);
      e.click_id = stmt->ColumnText(5);
      e.item_id = stmt->ColumnText(6);
      e.props = stmt->ColumnText(7);
      out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return reader_->Error(rc, "query failed");
    return out;
  }

  Result<std::vector<SeqEvent>> ReadSince(int64_t after_seq, size_t limit) override {
    std::lock_guard<std::mutex> r(read_mu_);
    int64_t upto;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (closed_) return Status::FailedPrecondition("event store is closed");
      upto = committed_seq_;
    }
    std::vector<SeqEvent> out;
    if (limit == 0 || after_seq >= upto) return out;
    // After reading the watermark: a table holding seqs below it is attached.
    EF_RETURN_IF_ERROR(EnsureReaderLocked());
    // A k-way merge over one id-ordered scan per table.
    struct Scan {
      std::unique_ptr<Statement> stmt;
      int64_t seq = 0;
      bool live = false;
    };
    std::vector<Scan> scans;
    scans.reserve(reader_tables_.size());
    auto advance = [&](Scan& sc) -> Status {
      int rc = sc.stmt->Step();
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return reader_->Error(rc, "read since failed");
      sc.live = rc == SQLITE_ROW && (sc.seq = sc.stmt->ColumnInt(0)) <= upto;
      return Status::OK();
    };
    for (const auto& t : reader_tables_) {
      const std::string tn = t.name + "." + t.name;
      EF_ASSIGN_OR_RETURN(std::optional<int64_t> first, FirstIdAfterLocked(tn, after_seq));
      if (!first) continue;
      Scan sc;
      // A row without a seq (see OpenTable) reads as seq 0.
      EF_ASSIGN_OR_RETURN(sc.stmt, reader_->Prepare("SELECT coalesce(seq, 0), ts, type, kind, page_id, click_id,"
                                                    " item_id, props FROM " + tn + " WHERE id >= ?1 ORDER BY id"));
      sc.stmt->BindInt(1, *first);
      EF_RETURN_IF_ERROR(advance(sc));
      scans.push_back(std::move(sc));
    }
    while (out.size() < limit) {
      Scan* next = nullptr;
      for (auto& sc : scans) {
        if (sc.live && (!next || sc.seq < next->seq)) next = &sc;
      }
      if (!next) break;
      const Statement& st = *next->stmt;
      SeqEvent se{next->seq, Event{}};
      se.event.ts_ms = st.ColumnInt(1);
      se.event.type = st.ColumnText(2);
      se.event.kind = st.ColumnText(3);
      se.event.page_id = st.ColumnText(4);
      se.event.click_id = st.ColumnText(5);
      se.event.item_id = st.ColumnText(6);
      se.event.props = st.ColumnText(7);
      out.push_back(std::move(se));
      EF_RETURN_IF_ERROR(advance(*next));
    }
    return out;
  }

  Status PutState(const std::string& name, std::string_view blob) override {
    std::lock_guard<std::mutex> g(state_mu_);
    if (!state_) return Status::FailedPrecondition("event store is closed");
    return state_->Put(name, blob);
  }

  Result<std::optional<std::string>> GetState(const std::string& name) override {
    std::lock_guard<std::mutex> g(state_mu_);
    if (!state_) return Status::FailedPrecondition("event store is closed");
    return state_->Get(name);
  }

  Status DeleteState(const std::string& name) override {
    std::lock_guard<std::mutex> g(state_mu_);
    if (!state_) return Status::FailedPrecondition("event store is closed");
    return state_->Delete(name);
  }

  Result<SqlResult> Sql(const std::string& select, const SqlLimits& limits) override {
    std::lock_guard<std::mutex> r(read_mu_);
    EF_RETURN_IF_ERROR(EnsureReaderLocked());
    return RunReadOnlySql(*reader_, select, limits, env_);
  }

  Status EnforceRetention() override {
    std::lock_guard<std::mutex> d(db_mu_);
    return RetentionLocked();
  }

  StoreStats Stats() override {
    std::lock_guard<std::mutex> l(mu_);
    StoreStats s;
    s.appended = appended_;
    s.persisted = persisted_;
    s.pending = appended_ - persisted_;
    s.write_errors = write_errors_;
    s.retention_deleted = retention_deleted_;
    s.last_error = last_error_.ok() ? "" : last_error_.ToString();
    return s;
  }

 private:
  // ------------------------------------------------------------ tables

  // Adding tables is all or none: OpenTablesLocked() checks the specs and opens
  // (and migrates) the files of the new ones, AddOpenedTablesLocked() numbers
  // their rows without a seq and adds them.
  Status OpenTablesLocked(const std::vector<TableSpec>& specs, const std::string& where,
                          std::vector<std::unique_ptr<Table>>* opened) {
    auto& added = *opened;
    for (size_t i = 0; i < specs.size(); ++i) {
      const TableSpec& spec = specs[i];
      std::string at = where + "[" + std::to_string(i) + "]";
      if (!ValidTableName(spec.name)) {
        return Status::InvalidArgument(at + ".name: \"" + spec.name +
                                       "\" is not a valid table name ([A-Za-z_][A-Za-z0-9_]*, not sqlite_*)");
      }
      if (IsReservedName(spec.name)) {
        return Status::InvalidArgument(at + ".name: \"" + spec.name + "\" is reserved for the state file");
      }
      if (spec.ttl_ms < 0 || spec.max_rows < 0) {
        return Status::InvalidArgument(at + ": ttl_ms and max_rows must not be negative");
      }
      if (spec.encrypted && opts_.encryption_key.empty()) {
        return Status::InvalidArgument(at + ": table \"" + spec.name +
                                       "\" is encrypted but no encryption key was given");
      }
      const Table* existing = FindTable(spec.name);
      for (const auto& t : added) {
        if (t->spec.name == spec.name) existing = t.get();
      }
      if (existing) {
        if (existing->spec == spec) continue;
        return Status::AlreadyExists(at + ": table \"" + spec.name + "\" exists with a different spec");
      }
      EF_ASSIGN_OR_RETURN(auto table, OpenTable(spec));
      added.push_back(std::move(table));
    }
    return Status::OK();
  }

  Status AddOpenedTablesLocked(std::vector<std::unique_ptr<Table>> added) {
    if (added.empty()) return Status::OK();
    // Seqs continue above the new tables' (normally below the high-water mark
    // already; not when the state file is new or was lost).
    int64_t max_seq = 0;
    for (const auto& t : added) max_seq = std::max(max_seq, t->max_seq);
    EF_RETURN_IF_ERROR(RecordMaxSeqLocked(max_seq));
    {
      std::lock_guard<std::mutex> l(mu_);
      next_seq_ = std::max(next_seq_, max_seq + 1);
      reserved_from_ = next_seq_;  // the watermark stays below what gets numbered now
    }
    Status s;
    for (auto& t : added) {
      s = NumberRowsLocked(*t);
      if (!s.ok()) break;
    }
    if (s.ok()) {
      for (auto& t : added) {
        AttachCheckpointer(*t);
        tables_.push_back(std::move(t));
      }
      reader_stale_ = true;
    }
    std::lock_guard<std::mutex> l(mu_);
    reserved_from_ = 0;
    return s;
  }

  // Only a table in tables_ is attached: it is closed before the checkpointer.
  void AttachCheckpointer(Table& t) {
    Status s = checkpointer_.Attach(*t.db, t.path, t.spec.encrypted ? opts_.encryption_key : "");
    // Not fatal: the table then checkpoints on the writer thread, as SQLite does by default.
    if (!s.ok()) Log(LogLevel::kWarn, "event store: " + s.ToString() + "; " + t.spec.name + " checkpoints inline");
  }

  // Gives the table's rows without a seq the next seqs, in id order.
  Status NumberRowsLocked(Table& t) {
    if (t.unnumbered_last_id < t.unnumbered_first_id) return Status::OK();
    const int64_t span = t.unnumbered_last_id - t.unnumbered_first_id + 1;  // ids may have gaps: so may seqs
    int64_t base;
    {
      std::lock_guard<std::mutex> l(mu_);
      base = next_seq_ - 1;
      next_seq_ += span;
    }
    EF_RETURN_IF_ERROR(RecordMaxSeqLocked(base + span));
    const std::string& n = t.spec.name;
    EF_ASSIGN_OR_RETURN(auto update, t.db->Prepare("UPDATE " + n + " SET seq = id + ?1 WHERE id >= ?2"));
    update->BindInt(1, base + 1 - t.unnumbered_first_id);
    update->BindInt(2, t.unnumbered_first_id);
    int rc = update->Step();
    if (rc != SQLITE_DONE) {
      Status s = t.db->Error(rc, "cannot number the rows of " + n + " (seq)");
      if (s.code() != StatusCode::kResourceExhausted) return s;
      // A full table (quota or disk) must still open: its rows keep no seq and
      // ReadSince() reads them as seq 0. Later rows are numbered as usual.
      Log(LogLevel::kWarn, "event store: " + s.ToString() + "; its old rows read as seq 0");
      return Status::OK();
    }
    t.max_seq = base + span;
    return Status::OK();
  }

  // Records `seq` in the state file before any table holds it (see the top).
  Status RecordMaxSeqLocked(int64_t seq) {
    if (seq <= durable_max_seq_) return Status::OK();
    std::lock_guard<std::mutex> g(state_mu_);
    if (!state_) return Status::FailedPrecondition("event store is closed");
    EF_RETURN_IF_ERROR(state_->SetMaxSeq(seq));
    durable_max_seq_ = seq;
    return Status::OK();
  }

  Result<std::unique_ptr<Table>> OpenTable(const TableSpec& spec) {
    auto t = std::make_unique<Table>();
    t->spec = spec;
    t->path = opts_.dir + "/" + spec.name + (spec.encrypted ? ".edb" : ".db");
    EF_ASSIGN_OR_RETURN(t->db, SqliteDb::Open(t->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                              spec.encrypted ? opts_.encryption_key : ""));
    SqliteDb& db = *t->db;
    EF_RETURN_IF_ERROR(db.Exec("PRAGMA journal_mode=WAL"));
    // NORMAL in WAL mode: a commit survives the process being killed; only an
    // OS crash or power loss can lose the last transactions (never corrupt).
    EF_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous=NORMAL"));
    EF_RETURN_IF_ERROR(db.Exec("PRAGMA temp_store=MEMORY"));


    if (opts_.max_table_bytes > 0) {
      int64_t pages = std::max<int64_t>(opts_.max_table_bytes / 4096, 8);
      EF_RETURN_IF_ERROR(db.Exec("PRAGMA max_page_count=" + std::to_string(pages)));
    }
    const std::string& n = spec.name;
    // seq comes last, where ALTER TABLE puts it in a table from before seqs.
    EF_RETURN_IF_ERROR(db.Exec("CREATE TABLE IF NOT EXISTS " + n +
                               " (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL,"
                               " kind TEXT, page_id TEXT NOT NULL, click_id TEXT, item_id TEXT, props TEXT,"
                               " seq INTEGER)"));
    EF_ASSIGN_OR_RETURN(bool has_seq, HasColumn(db, n, "seq"));
    if (!has_seq) EF_RETURN_IF_ERROR(db.Exec("ALTER TABLE " + n + " ADD COLUMN seq INTEGER"));
    EF_RETURN_IF_ERROR(db.Exec("CREATE INDEX IF NOT EXISTS " + n + "_ts ON " + n + "(ts)"));
    EF_ASSIGN_OR_RETURN(t->insert, db.Prepare("INSERT INTO " + n +
                                              " (ts, type, kind, page_id, click_id, item_id, props, seq)"
                                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    EF_ASSIGN_OR_RETURN(auto count, db.Prepare("SELECT count(*) FROM " + n));
    if (count->Step() == SQLITE_ROW) t->rows = count->ColumnInt(0);
    // Rows without a seq sit above the last row with one: all rows of a table
    // from before seqs, or rows an older version appended after a downgrade.
    // The scan from the top stops at the first numbered row.
    EF_ASSIGN_OR_RETURN(auto last, db.Prepare("SELECT id, seq FROM " + n +
                                              " WHERE seq IS NOT NULL ORDER BY id DESC LIMIT 1"));
    int rc = last->Step();
    int64_t numbered_to_id = INT64_MIN;
    if (rc == SQLITE_ROW) {
      numbered_to_id = last->ColumnInt(0);
      t->max_seq = last->ColumnInt(1);
    } else if (rc != SQLITE_DONE) {
      return db.Error(rc, "cannot read the last seq of " + n);
    }
    EF_ASSIGN_OR_RETURN(auto rest, db.Prepare("SELECT min(id), max(id) FROM " + n + " WHERE id > ?1"));
    rest->BindInt(1, numbered_to_id);
    rc = rest->Step();
    if (rc != SQLITE_ROW) return db.Error(rc, "cannot find the rows without a seq in " + n);
    if (!rest->ColumnIsNull(0)) {
      t->unnumbered_first_id = rest->ColumnInt(0);
      t->unnumbered_last_id = rest->ColumnInt(1);
    }
    return t;
  }

  Table* FindTable(const std::string& name) {
    for (auto& t : tables_) {
      if (t->spec.name == name) return t.get();
    }
    return nullptr;
  }

  Status CheckRoutes(const std::vector<RouteRule>& routes, const std::string& where) {
    for (size_t i = 0; i < routes.size(); ++i) {
      if (!FindTable(routes[i].table)) {
        return Status::InvalidArgument(where + "[" + std::to_string(i) + "].table: no table named \"" +
                                       routes[i].table + "\"");
      }
    }
    return Status::OK();
  }

  // (Re)opens the read connection with every table attached read-only.
  Status EnsureReaderLocked() {
    {
      std::lock_guard<std::mutex> d(db_mu_);
      if (reader_ && !reader_stale_) return Status::OK();
      reader_stale_ = false;
      reader_tables_.clear();
      for (const auto& t : tables_) reader_tables_.push_back({t->spec.name, t->path, t->spec.encrypted});
    }
    // Build the new connection aside: a failed ATTACH leaves no half-made reader.
    reader_.reset();
    EF_ASSIGN_OR_RETURN(auto reader, SqliteDb::Open(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, ""));
    EF_RETURN_IF_ERROR(RegisterSqlFunctions(*reader));
    // Attached encrypted tables use the 4 KiB pages they were written with.
    EF_RETURN_IF_ERROR(reader->Exec("PRAGMA cipher_default_page_size = 4096"));
    for (const auto& t : reader_tables_) {
      std::string uri = "file:" + t.path + "?mode=ro";
      EF_RETURN_IF_ERROR(reader->Exec("ATTACH DATABASE " + SqlQuote(uri) + " AS " + t.name + " KEY " +
                                      SqlQuote(t.encrypted ? opts_.encryption_key : "")));
    }
    reader_ = std::move(reader);
    return Status::OK();
  }

  // The smallest id in `table` (schema.name) whose row has seq > after_seq, or
  // nullopt when none has. Bisects the id range: seq increases with id.
  Result<std::optional<int64_t>> FirstIdAfterLocked(const std::string& table, int64_t after_seq) {
    EF_ASSIGN_OR_RETURN(auto bounds, reader_->Prepare("SELECT min(id), max(id) FROM " + table));
    int rc = bounds->Step();
    if (rc != SQLITE_ROW) return reader_->Error(rc, "read since failed");
    if (bounds->ColumnIsNull(0)) return std::optional<int64_t>();
    int64_t lo = bounds->ColumnInt(0), hi = bounds->ColumnInt(1);
    EF_ASSIGN_OR_RETURN(auto probe, reader_->Prepare("SELECT coalesce(seq, 0) FROM " + table +
                                                     " WHERE id >= ?1 ORDER BY id LIMIT 1"));
    // The seq of the first row with id >= x; none only if retention deleted
    // the rows above x since `bounds` (then nothing there to read: INT64_MIN).
    auto seq_from = [&](int64_t x) -> Result<int64_t> {
      probe->BindInt(1, x);
      int prc = probe->Step();
      int64_t v = prc == SQLITE_ROW ? probe->ColumnInt(0) : INT64_MIN;
      probe->Reset();
      if (prc != SQLITE_ROW && prc != SQLITE_DONE) return reader_->Error(prc, "read since failed");
      return v;
    };
    EF_ASSIGN_OR_RETURN(int64_t top, seq_from(hi));
    if (top <= after_seq) return std::optional<int64_t>();  // caught up: the common case when polling
    EF_ASSIGN_OR_RETURN(int64_t bottom, seq_from(lo));
    if (bottom > after_seq) return std::optional<int64_t>(lo);  // from the start
    // Invariant: the first row at or above lo has seq <= after_seq; at hi, > after_seq.
    while (hi - lo > 1) {
      int64_t mid = lo + (hi - lo) / 2;
      EF_ASSIGN_OR_RETURN(int64_t v, seq_from(mid));
      if (v > after_seq) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return std::optional<int64_t>(hi);
  }

  // ------------------------------------------------------------ writer

  void WriterLoop() {
    std::vector<const Event*> batch;
    std::vector<int64_t> seqs;  // seqs[i] is batch[i]'s, ascending
    std::vector<char> committed;
    int64_t last_retention_us = env_->NowMicros();
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
      writer_cv_.wait_for(l, std::chrono::milliseconds(opts_.max_flush_delay_ms), [&] {
        return closed_ || flush_requested_ || pending_.size() >= opts_.max_batch;
      });
      flush_requested_ = false;
      const bool closing = closed_;
      AppendBuffer::Chunks taken = pending_.TakeAll();
      space_cv_.notify_all();
      l.unlock();

      batch.clear();
      seqs.clear();
      for (const auto& c : taken) {
        for (size_t i = 0; i < c->used; ++i) {
          batch.push_back(&c->events[i]);
          seqs.push_back(c->seqs[i]);
        }
      }
      Status s;
      {
        std::lock_guard<std::mutex> d(db_mu_);
        s = WriteLocked(batch, seqs, &committed);
        if (env_->NowMicros() - last_retention_us >= opts_.retention_interval_ms * 1000) {
          last_retention_us = env_->NowMicros();
          Status r = RetentionLocked();
          if (!r.ok()) Log(LogLevel::kWarn, "retention: " + r.ToString());
        }
      }
      // What was not written goes back, in order, ahead of newer events.
      AppendBuffer retry;
      if (!s.ok()) {
        for (size_t i = 0; i < batch.size(); ++i) {
          if (!committed[i]) retry.Push(*batch[i], seqs[i]);
        }
      }

      l.lock();
      persisted_ += std::count(committed.begin(), committed.end(), 1);
      if (!s.ok()) {
        ++write_errors_;
        last_error_ = s;
        Log(LogLevel::kWarn, "event store: " + s.ToString() + " (will retry)");
        pending_.PushFront(retry.TakeAll());
      }
      // Everything below the oldest event not yet committed is committed.
      int64_t watermark = next_seq_ - 1;
      if (!pending_.empty()) watermark = std::min(watermark, pending_.front_seq() - 1);
      if (reserved_from_ > 0) watermark = std::min(watermark, reserved_from_ - 1);
      committed_seq_ = std::max(committed_seq_, watermark);
      AppendBuffer::Chunks excess = pending_.Recycle(std::move(taken));
      done_cv_.notify_all();
      if (closing && (pending_.empty() || !s.ok())) break;  // a failing disk at close: give up
      if (!excess.empty()) {
        l.unlock();
        excess.clear();  // frees chunks beyond the spare limit outside the lock
        l.lock();
      }
    }
    writer_running_ = false;
    done_cv_.notify_all();
  }

  // Commits `batch` in transactions of at most max_batch events per table,
  // setting committed[i] for each event written. On error the rest stays
  // unset, so a retry neither loses nor duplicates an event.
  Status WriteLocked(const std::vector<const Event*>& batch, const std::vector<int64_t>& seqs,
                     std::vector<char>* committed) {
    committed->assign(batch.size(), 0);
    if (batch.empty()) return Status::OK();
    EF_RETURN_IF_ERROR(RecordMaxSeqLocked(seqs.back()));
    std::vector<RouteRule> routes;
    {
      std::lock_guard<std::mutex> l(mu_);
      routes = routes_;
    }
    std::vector<std::vector<size_t>> per_table(tables_.size());
    for (size_t start = 0; start < batch.size(); start += opts_.max_batch) {
      size_t end = std::min(batch.size(), start + opts_.max_batch);
      for (auto& v : per_table) v.clear();
      for (size_t i = start; i < end; ++i) per_table[RouteOf(routes, *batch[i])].push_back(i);
      for (size_t k = 0; k < tables_.size(); ++k) {
        if (per_table[k].empty()) continue;
        EF_RETURN_IF_ERROR(InsertAll(*tables_[k], batch, seqs, per_table[k]));
        for (size_t i : per_table[k]) (*committed)[i] = 1;
      }
    }
    return Status::OK();
  }

  // Index of the table an event goes to: the first matching route's, else 0.
  size_t RouteOf(const std::vector<RouteRule>& routes, const Event& e) const {
    for (const auto& r : routes) {
      if (!RouteMatches(r, e)) continue;
      for (size_t k = 0; k < tables_.size(); ++k) {
        if (tables_[k]->spec.name == r.table) return k;
      }
      break;
    }
    return 0;
  }

  Status InsertAll(Table& t, const std::vector<const Event*>& batch, const std::vector<int64_t>& seqs,
                   const std::vector<size_t>& rows) {
    SqliteDb& db = *t.db;
    EF_RETURN_IF_ERROR(db.Exec("BEGIN"));
    Statement& ins = *t.insert;
    for (size_t i : rows) {
      const Event* e = batch[i];
      ins.BindInt(1, e->ts_ms);
      ins.BindText(2, e->type);
      ins.BindText(3, e->kind, true);
      ins.BindText(4, e->page_id);
      ins.BindText(5, e->click_id, true);
      ins.BindText(6, e->item_id, true);
      ins.BindText(7, e->props, true);
      ins.BindInt(8, seqs[i]);
      int rc = ins.Step();
      ins.Reset();
      if (rc != SQLITE_DONE) {
        Status s = db.Error(rc, "cannot insert into " + t.spec.name);
        db.Exec("ROLLBACK");
        return s;
      }
    }
    int rc = sqlite3_exec(db.handle(), "COMMIT", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      Status s = db.Error(rc, "cannot commit to " + t.spec.name);
      db.Exec("ROLLBACK");
      return s;
    }
    t.rows += static_cast<int64_t>(rows.size());
    return Status::OK();
  }

  // ------------------------------------------------------------ retention

  Status RetentionLocked() {
    const int64_t now_ms = env_->WallMillis();
    for (auto& t : tables_) {
      const std::string& n = t->spec.name;
      if (t->spec.ttl_ms > 0) {
        EF_ASSIGN_OR_RETURN(auto del, t->db->Prepare("DELETE FROM " + n + " WHERE id IN (SELECT id FROM " + n +
                                                     " WHERE ts < ?1 LIMIT ?2)"));
        for (;;) {
          del->BindInt(1, now_ms - t->spec.ttl_ms);
          del->BindInt(2, kRetentionChunk);
          int rc = del->Step();
          del->Reset();
          if (rc != SQLITE_DONE) return t->db->Error(rc, "retention (ttl) on " + n);
          int64_t changed = sqlite3_changes(t->db->handle());
          Deleted(*t, changed);
          if (changed < kRetentionChunk) break;
        }
      }
      if (t->spec.max_rows > 0 && t->rows > t->spec.max_rows) {
        EF_ASSIGN_OR_RETURN(auto del, t->db->Prepare("DELETE FROM " + n + " WHERE id IN (SELECT id FROM " + n +
                                                     " ORDER BY ts, id LIMIT ?1)"));
        while (t->rows > t->spec.max_rows) {
          del->BindInt(1, std::min(kRetentionChunk, t->rows - t->spec.max_rows));
          int rc = del->Step();
          del->Reset();
          if (rc != SQLITE_DONE) return t->db->Error(rc, "retention (max rows) on " + n);
          int64_t changed = sqlite3_changes(t->db->handle());
          Deleted(*t, changed);
          if (changed == 0) break;
        }
      }
    }
    return Status::OK();
  }

  void Deleted(Table& t, int64_t n) {
    t.rows -= n;
    std::lock_guard<std::mutex> l(mu_);
    retention_deleted_ += n;
  }

  // Constant after construction.
  const StoreOptions opts_;
  Env* const env_;

  // Thread-safe. Closed after tables_: their write connections' hooks point into it.
  Checkpointer checkpointer_;

  // Guarded by mu_.
  std::mutex mu_;
  std::condition_variable writer_cv_, done_cv_, space_cv_;
  AppendBuffer pending_;
  std::vector<RouteRule> routes_;
  int64_t appended_ = 0, persisted_ = 0, write_errors_ = 0, retention_deleted_ = 0;
  int64_t next_seq_ = 1;       // what Append() gives next
  int64_t committed_seq_ = 0;  // the watermark: every event with seq <= it is committed
  int64_t reserved_from_ = 0;  // > 0 while AddOpenedTablesLocked numbers rows with seqs from here on
  Status last_error_;
  bool flush_requested_ = false, closed_ = false, writer_running_ = false;
  Status close_status_;

  // Guarded by db_mu_ (the writer thread holds it while writing).
  std::mutex db_mu_;
  std::vector<std::unique_ptr<Table>> tables_;
  bool reader_stale_ = true;
  int64_t durable_max_seq_ = 0;  // the high-water mark recorded in the state file

  // Guarded by state_mu_. Null after Close().
  std::mutex state_mu_;
  std::unique_ptr<StateFile> state_;

  // Guarded by read_mu_.
  struct ReaderTable {
    std::string name, path;
    bool encrypted;
  };
  std::mutex read_mu_;
  std::unique_ptr<SqliteDb> reader_;
  std::vector<ReaderTable> reader_tables_;

  std::thread writer_;
};

}  // namespace

Result<std::unique_ptr<EventStore>> EventStore::Open(const StoreOptions& options) {
  auto store = std::make_unique<EventStoreImpl>(options);
  Status s = store->Init();
  if (!s.ok()) return s;
  return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace edgeflow
