// StateFile: the store directory's _state database (_state.edb when the store
// has an encryption key). It keeps the named state blobs of stream features
// (EventStore::PutState) and the store's seq high-water mark.
#ifndef EDGEFLOW_STORE_STATE_FILE_H_
#define EDGEFLOW_STORE_STATE_FILE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "edgeflow/status.h"
#include "store/sqlite_db.h"

namespace edgeflow {

// Not thread-safe: the event store guards it with a mutex. Every write is its
// own transaction (WAL, synchronous=NORMAL): once it returns OK it survives
// the process being killed.
//
// Schema:
//   state (name BLOB PRIMARY KEY, blob BLOB NOT NULL)  -- names bound as bytes
//   meta  (key TEXT PRIMARY KEY, value INTEGER NOT NULL)
//         'max_seq': no event with a larger seq was ever given to a table
class StateFile {
 public:
  // Opens or creates `path`, encrypted with `key` unless it is empty. Fails,
  // naming the file, on a wrong key or a file that is not a database.
  static Result<std::unique_ptr<StateFile>> Open(const std::string& path, const std::string& key);

  Status Put(std::string_view name, std::string_view blob);
  // nullopt when nothing is stored under `name`.
  Result<std::optional<std::string>> Get(std::string_view name);
  // Deleting a name that is not stored is OK.
  Status Delete(std::string_view name);

  // The recorded high-water mark; 0 on a new file.
  Result<int64_t> MaxSeq();
  Status SetMaxSeq(int64_t seq);

  const std::string& path() const { return db_->path(); }

 private:
  explicit StateFile(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  Status Run(Statement& stmt, std::string_view what);

  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<Statement> put_, get_, delete_, get_max_seq_, set_max_seq_;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_STORE_STATE_FILE_H_
