// Checkpointer: the checkpoint thread and the commit hook that feeds it.
#include "store/checkpointer.h"

#include <algorithm>

#include "core/logging.h"

namespace edgeflow {

Checkpointer::Checkpointer() : thread_([this] { Loop(); }) {}

Status Checkpointer::Attach(SqliteDb& writer, const std::string& path, const std::string& key) {
  auto f = std::make_unique<File>();
  f->owner = this;
  EF_ASSIGN_OR_RETURN(f->db, SqliteDb::Open(path, SQLITE_OPEN_READWRITE, key));
  // A checkpoint syncs the WAL, then the database file, as the writer's
  // synchronous=NORMAL promises (see event_store.cc).
  EF_RETURN_IF_ERROR(f->db->Exec("PRAGMA synchronous=NORMAL"));
  std::lock_guard<std::mutex> l(mu_);
  if (closed_) return Status::FailedPrecondition("checkpointer is closed");
  sqlite3_wal_hook(writer.handle(), &Checkpointer::OnCommit, f.get());
  files_.push_back(std::move(f));
  return Status::OK();
}

void Checkpointer::Close() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return;
    closed_ = true;
    work_cv_.notify_all();
    done_cv_.notify_all();
  }
  thread_.join();
  std::lock_guard<std::mutex> l(mu_);
  files_.clear();
}

int Checkpointer::OnCommit(void* file, sqlite3*, const char*, int wal_frames) {
  File& f = *static_cast<File*>(file);
  f.owner->Committed(f, wal_frames);
  return SQLITE_OK;  // a checkpoint never fails the commit that asked for it
}

void Checkpointer::Committed(File& f, int wal_frames) {
  if (wal_frames < kRequestFrames) return;
  std::unique_lock<std::mutex> l(mu_);
  if (closed_) return;
  f.requested = true;
  work_cv_.notify_one();
  if (wal_frames < kWaitFrames) return;
  // A round that starts from now on sees every frame committed so far.
  const int64_t round = f.started + 1;
  done_cv_.wait(l, [&] { return f.done >= round || closed_; });
}

void Checkpointer::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    work_cv_.wait(l, [&] { return closed_ || AnyRequestedLocked(); });
    if (closed_) return;
    // By index: Attach() may add files while the lock is released.
    for (size_t i = 0; i < files_.size(); ++i) {
      File& f = *files_[i];
      if (!f.requested) continue;
      f.requested = false;
      ++f.started;
      l.unlock();
      Checkpoint(f);
      l.lock();
      ++f.done;
      done_cv_.notify_all();
    }
  }
}

bool Checkpointer::AnyRequestedLocked() const {
  return std::any_of(files_.begin(), files_.end(), [](const auto& f) { return f->requested; });
}

void Checkpointer::Checkpoint(File& f) {
  // PASSIVE: copies what no reader still needs, without waiting for anyone;
  // the writer keeps appending meanwhile.
  int rc = sqlite3_wal_checkpoint_v2(f.db->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  // BUSY: another connection is checkpointing the file (one closing, say).
  const bool failed = rc != SQLITE_OK && rc != SQLITE_BUSY;
  if (failed && !f.failing) {
    // The WAL keeps the commits; it only grows until a checkpoint succeeds.
    Log(LogLevel::kWarn, "event store: " + f.db->Error(rc, "checkpoint failed").ToString() + " (will retry)");
  }
  f.failing = failed;
}

}  // namespace edgeflow
