// kill -9 durability: a child process appends events as fast as it can and is
// killed with SIGKILL; the reopened store must pass integrity_check and hold
// every event the child had appended at least 2 x max_flush_delay before the kill.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "store/event_store.h"
#include "store/sqlite_db.h"
#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

constexpr int64_t kFlushDelayMs = 200;

[[noreturn]] void ChildAppendForever(const StoreOptions& o, int report_fd) {
  auto s = EventStore::Open(o);
  if (!s.ok()) _exit(2);
  Event e;
  e.type = "mta";
  e.kind = "pv";
  e.page_id = "P";
  e.props = R"({"pad":"0123456789abcdef0123456789abcdef"})";
  // A heavy but realistic app: 50,000 events/s in bursts of 50 per millisecond.
  // (Far above what the writer cannot keep up with, the backlog is bounded by
  // max_pending instead of the flush delay; docs/store.md says so.)
  auto last = std::chrono::steady_clock::now();
  auto t0 = last;
  for (int64_t i = 0;; ++i) {
    if (i % 50 == 0) std::this_thread::sleep_until(t0 + std::chrono::microseconds(i * 20));
    e.ts_ms = i;
    e.page_id = i % 2 ? "P" : "Secret";
    if (!(*s)->Append(e).ok()) _exit(3);
    if ((i & 63) == 0 && std::chrono::steady_clock::now() - last > std::chrono::milliseconds(10)) {
      last = std::chrono::steady_clock::now();
      int64_t count = i + 1;
      if (write(report_fd, &count, sizeof count) != sizeof count) _exit(4);
    }
  }
}

TEST(StoreDurability, KillNineLosesAtMostTheLastFlushWindow) {
  std::mt19937 rng(std::random_device{}());
  for (int round = 0; round < 3; ++round) {
    testing::TempDir dir;
    StoreOptions o;
    o.dir = dir.Sub("store");
    o.max_flush_delay_ms = kFlushDelayMs;
    o.encryption_key = "k";
    o.tables = {{"events", false, 0, 0}, {"secret", true, 0, 0}};
    o.routes = {{"", "", "Secret", "secret"}};
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      ChildAppendForever(o, fds[1]);
    }
    close(fds[1]);
    // Let it run for a random while, remember what it had appended at some
    // report, wait more than two flush windows, then kill it mid-stream.
    auto run_for = std::chrono::milliseconds(300 + rng() % 700);
    auto start = std::chrono::steady_clock::now();
    int64_t reported = 0, count = 0;
    while (std::chrono::steady_clock::now() - start < run_for) {
      ASSERT_EQ(read(fds[0], &count, sizeof count), static_cast<ssize_t>(sizeof count));
      reported = count;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * kFlushDelayMs + 100));
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
    close(fds[0]);
    ASSERT_GT(reported, 0);

    for (const char* file : {"/events.db", "/secret.edb"}) {
      auto db = SqliteDb::Open(o.dir + file, SQLITE_OPEN_READWRITE,
                               std::string(file) == "/secret.edb" ? "k" : "");
      ASSERT_TRUE(db.ok()) << db.status().ToString();
      auto check = (*db)->Prepare("PRAGMA integrity_check");
      ASSERT_TRUE(check.ok());
      ASSERT_EQ((*check)->Step(), SQLITE_ROW);
      EXPECT_EQ((*check)->ColumnText(0), "ok") << file;
    }
    auto s = EventStore::Open(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    auto n = (*s)->Sql("SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM secret), "
                       "(SELECT max(ts) FROM events)", SqlLimits{});
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    int64_t persisted = std::stoll(n->rows[0][0]);
    EXPECT_GE(persisted, reported) << "round " << round;
  }
}

}  // namespace
}  // namespace edgeflow
