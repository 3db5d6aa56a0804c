// Checkpointer: copies each event table's WAL into its database file on a
// thread of its own. A checkpoint is where synchronous=NORMAL syncs (the WAL
// before the copy, the database file after it), so SQLite's autocheckpoint
// would stall the writer thread on the disk after every ~4 MB of commits; with
// the checkpointer the writer hands the checkpoint over and keeps committing.
// Durability is unchanged: a commit is in the WAL before anyone checkpoints it.
#ifndef EDGEFLOW_STORE_CHECKPOINTER_H_
#define EDGEFLOW_STORE_CHECKPOINTER_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edgeflow/status.h"
#include "store/sqlite_db.h"

namespace edgeflow {

// Thread-safe.
class Checkpointer {
 public:
  // A commit that leaves this many WAL frames (4 KiB pages) asks for a
  // checkpoint: SQLite's default autocheckpoint threshold.
  static constexpr int kRequestFrames = 1000;
  // A commit that leaves this many waits until a checkpoint has copied all of
  // them, so that the next transaction restarts the WAL from its start: a WAL
  // that is checkpointed while it grows would otherwise never be reset. Bounds
  // a table's WAL to about 16 MB plus one batch.
  static constexpr int kWaitFrames = 4 * kRequestFrames;

  Checkpointer();
  ~Checkpointer() { Close(); }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Takes over the checkpoints of `writer`, the write connection of the table
  // file `path` (encrypted with `key` unless empty): opens a connection of its
  // own to the file, since a connection may not be used by two threads at
  // once, and replaces the writer's autocheckpoint with a hook that asks this
  // thread instead. `writer` must be closed before Close() (its hook points
  // here). On error, or after Close(), the writer keeps its autocheckpoint.
  Status Attach(SqliteDb& writer, const std::string& path, const std::string& key);

  // Stops the thread and closes its connections; the last connection to a
  // file checkpoints it as it closes. Idempotent.
  void Close();

 private:
  struct File {
    Checkpointer* owner;           // the hook's way back here
    std::unique_ptr<SqliteDb> db;  // used by the thread only, once attached
    bool failing = false;          // the last checkpoint failed; thread only
    // Guarded by mu_.
    bool requested = false;
    int64_t started = 0, done = 0;  // checkpoint rounds
  };

  // sqlite3_wal_hook: runs on the committing thread after each commit, with
  // the write lock released (as SQLite's own autocheckpoint does).
  static int OnCommit(void* file, sqlite3* db, const char* schema, int wal_frames);
  void Committed(File& f, int wal_frames);
  void Loop();
  void Checkpoint(File& f);
  bool AnyRequestedLocked() const;

  std::mutex mu_;
  std::condition_variable work_cv_, done_cv_;
  std::vector<std::unique_ptr<File>> files_;  // guarded by mu_; only grows until Close()
  bool closed_ = false;                       // guarded by mu_
  std::thread thread_;  // last: it starts in the constructor and uses the members above
};

}  // namespace edgeflow

#endif  // EDGEFLOW_STORE_CHECKPOINTER_H_
