// Checkpointer on real SQLite / SQLCipher files: the WAL stays bounded while a
// writer commits without pause, and nothing committed is lost.
#include "store/checkpointer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

constexpr int kRowsPerCommit = 100;  // one 4 KiB page each: rows of 4000 bytes
constexpr int64_t kFrameBytes = 4096 + 24;

std::unique_ptr<SqliteDb> OpenWriter(const std::string& path, const std::string& key) {
  auto db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, key);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  if (!db.ok()) return nullptr;
  EXPECT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL").ok());
  EXPECT_TRUE((*db)->Exec("PRAGMA synchronous=NORMAL").ok());
  EXPECT_TRUE((*db)->Exec("CREATE TABLE IF NOT EXISTS t (x BLOB)").ok());
  return std::move(db).value();
}

void Commit(SqliteDb& db) {
  ASSERT_TRUE(db.Exec("BEGIN").ok());
  for (int i = 0; i < kRowsPerCommit; ++i) ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (randomblob(4000))").ok());
  ASSERT_TRUE(db.Exec("COMMIT").ok());
}

int64_t WalBytes(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

// Opens the file afresh: integrity_check passes and it holds `rows` rows.
void ExpectIntactWithRows(const std::string& path, const std::string& key, int64_t rows) {
  auto db = SqliteDb::Open(path, SQLITE_OPEN_READWRITE, key);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  auto check = (*db)->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_EQ((*check)->Step(), SQLITE_ROW);
  EXPECT_EQ((*check)->ColumnText(0), "ok");
  auto count = (*db)->Prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(count.ok());
  ASSERT_EQ((*count)->Step(), SQLITE_ROW);
  EXPECT_EQ((*count)->ColumnInt(0), rows);
}

// Commits three times kWaitFrames pages; returns the largest WAL seen.
int64_t CommitManyAndWatchTheWal(SqliteDb& writer, const std::string& path, int64_t* rows) {
  int64_t largest = 0;
  for (int i = 0; i < 3 * Checkpointer::kWaitFrames / kRowsPerCommit; ++i) {
    Commit(writer);
    *rows += kRowsPerCommit;
    largest = std::max(largest, WalBytes(path));
  }
  return largest;
}

TEST(Checkpointer, KeepsTheWalBoundedWhileTheWriterCommits) {
  for (const std::string key : {"", "k"}) {
    testing::TempDir dir;
    const std::string path = dir.Sub(key.empty() ? "t.db" : "t.edb");
    Checkpointer checkpointer;
    auto writer = OpenWriter(path, key);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(checkpointer.Attach(*writer, path, key).ok());
    int64_t rows = 0;
    const int64_t largest = CommitManyAndWatchTheWal(*writer, path, &rows);
    // Without checkpoints it would reach three times this; a commit past
    // kWaitFrames waits for a full checkpoint, and the next one starts the WAL over.
    EXPECT_LE(largest, (Checkpointer::kWaitFrames + 2 * kRowsPerCommit) * kFrameBytes) << "key '" << key << "'";
    writer.reset();
    checkpointer.Close();  // the last connection: checkpoints and removes the WAL
    EXPECT_EQ(WalBytes(path), 0);
    ExpectIntactWithRows(path, key, rows);
  }
}

TEST(Checkpointer, AfterCloseAttachFailsAndTheWriterKeepsItsAutocheckpoint) {
  testing::TempDir dir;
  const std::string path = dir.Sub("t.db");
  Checkpointer checkpointer;
  checkpointer.Close();
  auto writer = OpenWriter(path, "");
  ASSERT_TRUE(writer);
  EXPECT_EQ(checkpointer.Attach(*writer, path, "").code(), StatusCode::kFailedPrecondition);
  int64_t rows = 0;
  const int64_t largest = CommitManyAndWatchTheWal(*writer, path, &rows);
  // SQLite's own autocheckpoint: at 1000 frames, inline.
  EXPECT_LE(largest, (Checkpointer::kRequestFrames + 2 * kRowsPerCommit) * kFrameBytes);
  writer.reset();
  ExpectIntactWithRows(path, "", rows);
}

}  // namespace
}  // namespace edgeflow
