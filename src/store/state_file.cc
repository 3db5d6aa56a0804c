// StateFile: schema, pragmas and the prepared statements of the _state database.
#include "store/state_file.h"

namespace edgeflow {

Result<std::unique_ptr<StateFile>> StateFile::Open(const std::string& path, const std::string& key) {
  EF_ASSIGN_OR_RETURN(auto db, SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, key));
  EF_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
  EF_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
  // A multi-MB blob makes the WAL as large; truncate it back after a checkpoint.
  EF_RETURN_IF_ERROR(db->Exec("PRAGMA journal_size_limit=4194304"));
  EF_RETURN_IF_ERROR(db->Exec("CREATE TABLE IF NOT EXISTS state (name BLOB PRIMARY KEY, blob BLOB NOT NULL)"));
  EF_RETURN_IF_ERROR(db->Exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"));
  std::unique_ptr<StateFile> f(new StateFile(std::move(db)));
  SqliteDb& d = *f->db_;
  EF_ASSIGN_OR_RETURN(f->put_, d.Prepare("INSERT OR REPLACE INTO state (name, blob) VALUES (?1, ?2)"));
  EF_ASSIGN_OR_RETURN(f->get_, d.Prepare("SELECT blob FROM state WHERE name = ?1"));
  EF_ASSIGN_OR_RETURN(f->delete_, d.Prepare("DELETE FROM state WHERE name = ?1"));
  EF_ASSIGN_OR_RETURN(f->get_max_seq_, d.Prepare("SELECT value FROM meta WHERE key = 'max_seq'"));
  EF_ASSIGN_OR_RETURN(f->set_max_seq_,
                      d.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('max_seq', ?1)"));
  return f;
}

Status StateFile::Run(Statement& stmt, std::string_view what) {
  int rc = stmt.Step();
  stmt.Reset();
  if (rc != SQLITE_DONE) return db_->Error(rc, what);
  return Status::OK();
}

Status StateFile::Put(std::string_view name, std::string_view blob) {
  put_->BindBlob(1, name);
  put_->BindBlob(2, blob);
  return Run(*put_, "cannot write state \"" + std::string(name.substr(0, 60)) + "\"");
}

Result<std::optional<std::string>> StateFile::Get(std::string_view name) {
  get_->BindBlob(1, name);
  int rc = get_->Step();
  std::optional<std::string> out;
  if (rc == SQLITE_ROW) {
    out = get_->ColumnBlob(0);
    rc = get_->Step();
  }
  get_->Reset();
  if (rc != SQLITE_DONE) return db_->Error(rc, "cannot read state \"" + std::string(name.substr(0, 60)) + "\"");
  return out;
}

Status StateFile::Delete(std::string_view name) {
  delete_->BindBlob(1, name);
  return Run(*delete_, "cannot delete state \"" + std::string(name.substr(0, 60)) + "\"");
}

Result<int64_t> StateFile::MaxSeq() {
  int rc = get_max_seq_->Step();
  int64_t v = 0;
  if (rc == SQLITE_ROW) {
    v = get_max_seq_->ColumnInt(0);
    rc = get_max_seq_->Step();
  }
  get_max_seq_->Reset();
  if (rc != SQLITE_DONE) return db_->Error(rc, "cannot read the seq high-water mark");
  return v;
}

Status StateFile::SetMaxSeq(int64_t seq) {
  set_max_seq_->BindInt(1, seq);
  return Run(*set_max_seq_, "cannot record the seq high-water mark");
}

}  // namespace edgeflow
