// EventStoreImpl: the in-memory append buffer, the writer thread (batched
// transactions, routing, retention) and the read paths (Query, read-only SQL).
//
// Threads and locks:
//   - Append() takes mu_ only to copy into pending_ (no disk, no SQLite, and
//     in steady state no allocation: see append_buffer.h).
//   - The writer thread owns every write connection. It takes pending_'s chunks,
//     routes each event, commits one transaction per table per batch, and runs
//     retention between batches in small chunks. db_mu_ serialises it with
//     EnforceRetention() and AddRoutes().
//   - Reads use one separate connection with every table attached read-only
//     (WAL lets it read while the writer writes), guarded by read_mu_.
#include "store/event_store.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/logging.h"
#include "store/sqlite_db.h"
#include "store/append_buffer.h"
#include "store/sql_functions.h"
#include "store/sql_guard.h"

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

bool RouteMatches(const RouteRule& r, const Event& e) {
  return (r.type.empty() || r.type == e.type) && (r.kind.empty() || r.kind == e.kind) &&
         (r.page_id.empty() || r.page_id == e.page_id);
}

struct Table {
  TableSpec spec;
  std::string path;
  std::unique_ptr<SqliteDb> db;          // write connection; writer thread (or db_mu_)
  std::unique_ptr<Statement> insert;
  int64_t rows = 0;                      // current row count, kept by the writer
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
    EF_RETURN_IF_ERROR(AddTablesLocked(specs, "StoreOptions.tables"));
    EF_RETURN_IF_ERROR(CheckRoutes(opts_.routes, "StoreOptions.routes"));
    routes_ = opts_.routes;
    writer_running_ = true;  // before the thread starts: Flush() must not see it stopped
    writer_ = std::thread([this] { WriterLoop(); });
    return Status::OK();
  }

  Status Append(const Event& event) override {
    std::unique_lock<std::mutex> l(mu_);
    if (closed_) return Status::FailedPrecondition("event store is closed");
    if (pending_.size() >= opts_.max_pending) {
      // Backpressure: the disk cannot keep up; wait for the writer (never lose).
      writer_cv_.notify_one();
      space_cv_.wait(l, [&] { return pending_.size() < opts_.max_pending || closed_; });
      if (closed_) return Status::FailedPrecondition("event store is closed");
    }
    pending_.Push(event);
    ++appended_;
    if (pending_.size() == opts_.max_batch) writer_cv_.notify_one();
    return Status::OK();
  }

  Status Flush() override {
    std::unique_lock<std::mutex> l(mu_);
    const int64_t target = appended_;
    const int64_t errors_before = write_errors_;
    flush_requested_ = true;
    writer_cv_.notify_one();
    done_cv_.wait(l, [&] { return persisted_ >= target || write_errors_ > errors_before || !writer_running_; });
    if (persisted_ >= target) return Status::OK();
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
    std::lock_guard<std::mutex> d(db_mu_);
    tables_.clear();
    return result;
  }

  Status AddRoutes(const std::vector<TableSpec>& tables, const std::vector<RouteRule>& routes) override {
    std::lock_guard<std::mutex> d(db_mu_);
    EF_RETURN_IF_ERROR(AddTablesLocked(tables, "tables"));
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

  Status AddTablesLocked(const std::vector<TableSpec>& specs, const std::string& where) {
    for (size_t i = 0; i < specs.size(); ++i) {
      const TableSpec& spec = specs[i];
      std::string at = where + "[" + std::to_string(i) + "]";
      if (!ValidTableName(spec.name)) {
        return Status::InvalidArgument(at + ".name: \"" + spec.name +
                                       "\" is not a valid table name ([A-Za-z_][A-Za-z0-9_]*, not sqlite_*)");
      }
      if (spec.ttl_ms < 0 || spec.max_rows < 0) {
        return Status::InvalidArgument(at + ": ttl_ms and max_rows must not be negative");
      }
      if (spec.encrypted && opts_.encryption_key.empty()) {
        return Status::InvalidArgument(at + ": table \"" + spec.name +
                                       "\" is encrypted but no encryption key was given");
      }
      if (Table* existing = FindTable(spec.name)) {
        if (existing->spec == spec) continue;
        return Status::AlreadyExists(at + ": table \"" + spec.name + "\" exists with a different spec");
      }
      EF_ASSIGN_OR_RETURN(auto table, OpenTable(spec));
      tables_.push_back(std::move(table));
      reader_stale_ = true;
    }
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
    EF_RETURN_IF_ERROR(db.Exec("CREATE TABLE IF NOT EXISTS " + n +
                               " (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL,"
                               " kind TEXT, page_id TEXT NOT NULL, click_id TEXT, item_id TEXT, props TEXT)"));
    EF_RETURN_IF_ERROR(db.Exec("CREATE INDEX IF NOT EXISTS " + n + "_ts ON " + n + "(ts)"));
    EF_ASSIGN_OR_RETURN(t->insert, db.Prepare("INSERT INTO " + n +
                                              " (ts, type, kind, page_id, click_id, item_id, props)"
                                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    EF_ASSIGN_OR_RETURN(auto count, db.Prepare("SELECT count(*) FROM " + n));
    if (count->Step() == SQLITE_ROW) t->rows = count->ColumnInt(0);
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

  // ------------------------------------------------------------ writer

  void WriterLoop() {
    std::vector<const Event*> batch;
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
      for (const auto& c : taken) {
        for (size_t i = 0; i < c->used; ++i) batch.push_back(&c->events[i]);
      }
      Status s;
      {
        std::lock_guard<std::mutex> d(db_mu_);
        s = WriteLocked(batch, &committed);
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
          if (!committed[i]) retry.Push(*batch[i]);
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
  Status WriteLocked(const std::vector<const Event*>& batch, std::vector<char>* committed) {
    committed->assign(batch.size(), 0);
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
        EF_RETURN_IF_ERROR(InsertAll(*tables_[k], batch, per_table[k]));
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

  Status InsertAll(Table& t, const std::vector<const Event*>& batch, const std::vector<size_t>& rows) {
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

  // Guarded by mu_.
  std::mutex mu_;
  std::condition_variable writer_cv_, done_cv_, space_cv_;
  AppendBuffer pending_;
  std::vector<RouteRule> routes_;
  int64_t appended_ = 0, persisted_ = 0, write_errors_ = 0, retention_deleted_ = 0;
  Status last_error_;
  bool flush_requested_ = false, closed_ = false, writer_running_ = false;
  Status close_status_;

  // Guarded by db_mu_ (the writer thread holds it while writing).
  std::mutex db_mu_;
  std::vector<std::unique_ptr<Table>> tables_;
  bool reader_stale_ = true;

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
