// EventStore on real SQLite / SQLCipher files in a temporary directory.
#include "store/event_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "store/sqlite_db.h"
#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

using testing::TempDir;

Event Ev(const std::string& page, int64_t ts, const std::string& kind = "pv",
         const std::string& props = "") {
  Event e;
  e.type = "mta";
  e.kind = kind;
  e.page_id = page;
  e.ts_ms = ts;
  e.props = props;
  return e;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class EventStoreTest : public ::testing::Test {
 protected:
  StoreOptions Options() {
    StoreOptions o;
    o.dir = dir_.Sub("store");
    o.env = &env_;
    o.retention_interval_ms = 1000000000;  // tests call EnforceRetention()
    return o;
  }
  std::unique_ptr<EventStore> Open(const StoreOptions& o) {
    auto s = EventStore::Open(o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  int64_t Count(EventStore& s, const std::string& table) {
    auto r = s.Sql("SELECT count(*) FROM " + table, SqlLimits{});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::stoll(r->rows[0][0]) : -1;
  }

  TempDir dir_;
  ManualEnv env_{1700000000000};
};

TEST_F(EventStoreTest, AppendThenFlushPersistsEveryEventInOrder) {
  auto s = Open(Options());
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(s->Append(Ev("P" + std::to_string(i % 3), i)).ok());
  ASSERT_TRUE(s->Flush().ok());
  StoreStats st = s->Stats();
  EXPECT_EQ(st.appended, 10000);
  EXPECT_EQ(st.persisted, 10000);
  EXPECT_EQ(st.pending, 0);
  EventQuery q;
  q.limit = 100000;
  auto all = s->Query(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 10000u);
  for (int i = 0; i < 10000; ++i) ASSERT_EQ((*all)[static_cast<size_t>(i)].ts_ms, i);
}

TEST_F(EventStoreTest, QueryFiltersByTimeTypePageAndKind) {
  auto s = Open(Options());
  s->Append(Ev("A", 10));
  s->Append(Ev("A", 20, "click"));
  s->Append(Ev("B", 30));
  Event other = Ev("A", 40);
  other.type = "sys";
  other.click_id = "c";
  other.item_id = "sku";
  other.props = R"({"x":1})";
  s->Append(other);
  ASSERT_TRUE(s->Flush().ok());
  EventQuery q;
  q.page_id = "A";
  EXPECT_EQ(s->Query(q)->size(), 3u);
  q.type = "mta";
  EXPECT_EQ(s->Query(q)->size(), 2u);
  q.kind = "click";
  EXPECT_EQ(s->Query(q)->size(), 1u);
  EventQuery range;
  range.from_ms = 20;
  range.to_ms = 40;  // exclusive
  EXPECT_EQ(s->Query(range)->size(), 2u);
  EventQuery limited;
  limited.limit = 1;
  EXPECT_EQ(s->Query(limited)->size(), 1u);
  EventQuery sys;
  sys.type = "sys";
  auto got = s->Query(sys);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0], other);  // every field round-trips
  EventQuery missing;
  missing.table = "nope";
  EXPECT_EQ(s->Query(missing).status().code(), StatusCode::kNotFound);
}

TEST_F(EventStoreTest, RoutesEventClassesToPlainAndEncryptedTables) {
  StoreOptions o = Options();
  o.tables = {{"events", false, 0, 0}, {"orders", true, 0, 0}, {"clicks", false, 0, 0}};
  o.routes = {{"mta", "", "Pay", "orders"}, {"", "click", "", "clicks"}};
  o.encryption_key = "correct horse";
  {
    auto s = Open(o);
    s->Append(Ev("Pay", 1, "pv", R"({"card":"4111-SECRET-CARD"})"));
    s->Append(Ev("Pay", 2, "click", R"({"card":"4111-SECRET-CARD"})"));  // first match wins
    s->Append(Ev("Home", 3, "click"));
    s->Append(Ev("Home", 4));
    ASSERT_TRUE(s->Close().ok());
    ASSERT_TRUE(s->Close().ok());  // idempotent
  }
  EXPECT_TRUE(std::ifstream(o.dir + "/orders.edb").good());
  EXPECT_TRUE(std::ifstream(o.dir + "/events.db").good());
  std::string raw = ReadAll(o.dir + "/orders.edb") + ReadAll(o.dir + "/orders.edb-wal");
  EXPECT_EQ(raw.find("SECRET-CARD"), std::string::npos) << "plaintext in the encrypted table";
  EXPECT_EQ(raw.find("SQLite format 3"), std::string::npos);

  auto s = Open(o);
  EXPECT_EQ(Count(*s, "orders"), 2);
  EXPECT_EQ(Count(*s, "clicks"), 1);
  EXPECT_EQ(Count(*s, "events"), 1);
  // Tables can be joined in one read-only query.
  auto r = s->Sql("SELECT o.page_id FROM orders o JOIN events e ON e.ts > o.ts LIMIT 1", SqlLimits{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows[0][0], R"("Pay")");
}

TEST_F(EventStoreTest, WrongKeyIsAClearErrorAndKeepsTheData) {
  StoreOptions o = Options();
  o.tables = {{"events", false, 0, 0}, {"secure", true, 0, 0}};
  o.routes = {{"", "", "", "secure"}};
  o.encryption_key = "k1";
  {
    auto s = Open(o);
    s->Append(Ev("A", 1));
    ASSERT_TRUE(s->Close().ok());
  }
  o.encryption_key = "k2";
  auto bad = EventStore::Open(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad.status().message().find("secure.edb"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("wrong encryption key"), std::string::npos);
  o.encryption_key = "k1";
  auto s = Open(o);
  EXPECT_EQ(Count(*s, "secure"), 1);
}

TEST_F(EventStoreTest, CorruptTableFileIsReportedNotOverwritten) {
  StoreOptions o = Options();
  dir_.Write("store/events.db", std::string(8192, 'x'));
  auto s = EventStore::Open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption);
  EXPECT_NE(s.status().message().find("events.db"), std::string::npos);
  EXPECT_EQ(ReadAll(o.dir + "/events.db"), std::string(8192, 'x'));
}

TEST_F(EventStoreTest, BadOptionsNameTheField) {
  StoreOptions o = Options();
  o.tables = {{"1bad", false, 0, 0}};
  EXPECT_NE(EventStore::Open(o).status().message().find("StoreOptions.tables[0].name"), std::string::npos);
  o.tables = {{"events", false, 0, 0}, {"sqlite_x", false, 0, 0}};
  EXPECT_NE(EventStore::Open(o).status().message().find("tables[1].name"), std::string::npos);
  o.tables = {{"events", true, 0, 0}};
  EXPECT_NE(EventStore::Open(o).status().message().find("no encryption key"), std::string::npos);
  o.tables = {};
  o.routes = {{"mta", "", "", "ghost"}};
  EXPECT_NE(EventStore::Open(o).status().message().find("StoreOptions.routes[0].table: no table named \"ghost\""),
            std::string::npos);
  o.routes = {};
  o.dir = "";
  EXPECT_EQ(EventStore::Open(o).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(EventStoreTest, AddRoutesAtRunTime) {
  auto s = Open(Options());
  s->Append(Ev("Cart", 1));
  ASSERT_TRUE(s->Flush().ok());
  ASSERT_TRUE(s->AddRoutes({{"carts", false, 0, 0}}, {{"", "", "Cart", "carts"}}).ok());
  s->Append(Ev("Cart", 2));
  ASSERT_TRUE(s->Flush().ok());
  EXPECT_EQ(Count(*s, "carts"), 1);
  EXPECT_EQ(Count(*s, "events"), 1);
  EXPECT_TRUE(s->AddRoutes({{"carts", false, 0, 0}}, {}).ok());  // same spec: no-op
  EXPECT_EQ(s->AddRoutes({{"carts", false, 5, 0}}, {}).code(), StatusCode::kAlreadyExists);
  EXPECT_FALSE(s->AddRoutes({}, {{"", "", "", "ghost"}}).ok());
}

TEST_F(EventStoreTest, SqlAllowsOnlyReadingTheEventTables) {
  auto s = Open(Options());
  for (int i = 0; i < 5; ++i) s->Append(Ev(i < 3 ? "A" : "B", i, "pv", R"({"price":)" + std::to_string(i) + "}"));
  ASSERT_TRUE(s->Flush().ok());
  auto r = s->Sql("SELECT page_id, count(*) AS n, avg(json_extract(props,'$.price')) FROM events "
                  "WHERE ts >= 0 GROUP BY page_id ORDER BY page_id", SqlLimits{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->columns, (std::vector<std::string>{"page_id", "n", "avg(json_extract(props,'$.price'))"}));
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0], (std::vector<std::string>{R"("A")", "3", "1.0"}));
  EXPECT_EQ(r->rows[1], (std::vector<std::string>{R"("B")", "2", "3.5"}));
  EXPECT_TRUE(s->Sql("SELECT * FROM events.events WHERE kind IS NOT NULL", SqlLimits{}).ok());
  EXPECT_TRUE(s->Sql("WITH t AS (SELECT ts FROM events) SELECT max(ts) FROM t;", SqlLimits{}).ok());

  for (const char* bad : {"DELETE FROM events", "INSERT INTO events (ts,type,page_id) VALUES (1,'a','b')",
                          "UPDATE events SET ts = 0", "DROP TABLE events", "CREATE TABLE x (a)",
                          "PRAGMA events.journal_mode", "ATTACH DATABASE '/tmp/x.db' AS x",
                          "DETACH DATABASE events", "BEGIN", "CREATE TEMP TABLE t (a)",
                          "SELECT load_extension('x')", "VACUUM"}) {
    auto res = s->Sql(bad, SqlLimits{});
    ASSERT_FALSE(res.ok()) << bad;
    EXPECT_EQ(res.status().code(), StatusCode::kPermissionDenied) << bad << " -> " << res.status().ToString();
  }
  EXPECT_EQ(s->Sql("SELEC 1", SqlLimits{}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s->Sql("SELECT 1; SELECT 2", SqlLimits{}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s->Sql("", SqlLimits{}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Count(*s, "events"), 5);  // nothing was changed
}

TEST_F(EventStoreTest, SqlRowAndTimeLimits) {
  auto s = Open(Options());
  for (int i = 0; i < 20; ++i) s->Append(Ev("A", i));
  ASSERT_TRUE(s->Flush().ok());
  SqlLimits rows;
  rows.max_rows = 10;
  auto r = s->Sql("SELECT * FROM events", rows);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("more than 10 rows"), std::string::npos);

  // The time limit runs on the store's Env; a real clock is needed here.
  StoreOptions o = Options();
  o.dir = dir_.Sub("real");
  o.env = nullptr;
  auto real = Open(o);
  SqlLimits time;
  time.max_time_ms = 50;
  auto forever = real->Sql("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                           "SELECT count(*) FROM c", time);
  EXPECT_EQ(forever.status().code(), StatusCode::kDeadlineExceeded) << forever.status().ToString();
}

TEST_F(EventStoreTest, RetentionAppliesTtlAndMaxRows) {
  StoreOptions o = Options();
  o.tables = {{"events", false, /*ttl_ms=*/60000, 0}, {"recent", false, 0, /*max_rows=*/1500}};
  o.routes = {{"", "", "R", "recent"}};
  auto s = Open(o);
  int64_t now = env_.WallMillis();
  for (int i = 0; i < 3000; ++i) s->Append(Ev("A", now - 120000 + i * 50));  // 2 min .. now+30s
  for (int i = 0; i < 4000; ++i) s->Append(Ev("R", i));
  ASSERT_TRUE(s->Flush().ok());
  ASSERT_TRUE(s->EnforceRetention().ok());
  EXPECT_EQ(Count(*s, "events"), 1800);  // ts >= now - 60 s: i >= 1200
  auto min_ts = s->Sql("SELECT min(ts) FROM events", SqlLimits{});
  EXPECT_EQ(std::stoll(min_ts->rows[0][0]), now - 60000);
  EXPECT_EQ(Count(*s, "recent"), 1500);
  auto oldest = s->Sql("SELECT min(ts) FROM recent", SqlLimits{});
  EXPECT_EQ(oldest->rows[0][0], "2500");  // the oldest rows went first
  EXPECT_EQ(s->Stats().retention_deleted, 1200 + 2500);
  env_.AdvanceMillis(60000);
  ASSERT_TRUE(s->EnforceRetention().ok());
  EXPECT_EQ(Count(*s, "events"), 600);
}

TEST_F(EventStoreTest, ReopenKeepsEverything) {
  StoreOptions o = Options();
  {
    auto s = Open(o);
    for (int i = 0; i < 100; ++i) s->Append(Ev("A", i));
  }  // destructor closes and flushes
  auto s = Open(o);
  EXPECT_EQ(Count(*s, "events"), 100);
}

TEST_F(EventStoreTest, FullTableKeepsEventsInMemoryAndLosesNothingStored) {
  StoreOptions o = Options();
  o.max_table_bytes = 64 * 1024;  // a tiny quota stands in for a full disk
  o.max_flush_delay_ms = 5;
  auto s = Open(o);
  std::string big(512, 'p');
  int appended = 0;
  Status flushed;
  for (; appended < 2000 && flushed.ok(); ++appended) {
    ASSERT_TRUE(s->Append(Ev("A", appended, "pv", R"({"pad":")" + big + R"("})")).ok());
    if (appended % 20 == 19) flushed = s->Flush();
  }
  ASSERT_FALSE(flushed.ok()) << "the quota was never hit";
  EXPECT_EQ(flushed.code(), StatusCode::kResourceExhausted) << flushed.ToString();
  StoreStats st = s->Stats();
  EXPECT_GT(st.write_errors, 0);
  EXPECT_GT(st.pending, 0);
  EXPECT_EQ(st.persisted + st.pending, appended);  // nothing dropped
  EXPECT_NE(st.last_error.find("events.db"), std::string::npos) << st.last_error;
  int64_t stored = Count(*s, "events");
  EXPECT_EQ(stored, st.persisted);
  // Reads still work, and what was stored is intact.
  auto q = s->Query(EventQuery{});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(static_cast<int64_t>(q->size()), stored);
  Status closed = s->Close();
  EXPECT_FALSE(closed.ok());
  EXPECT_NE(closed.message().find("could not be written"), std::string::npos) << closed.ToString();
}

TEST_F(EventStoreTest, AppendAfterCloseFails) {
  auto s = Open(Options());
  ASSERT_TRUE(s->Close().ok());
  EXPECT_EQ(s->Append(Ev("A", 1)).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s->ReadSince(0, 10).status().code(), StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------- seqs

// Reads everything after `after_seq` in pages of `page` events.
std::vector<SeqEvent> ReadAllSince(EventStore& s, int64_t after_seq, size_t page) {
  std::vector<SeqEvent> out;
  for (;;) {
    auto r = s.ReadSince(after_seq, page);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return out;
    EXPECT_LE(r->size(), page);
    for (auto& e : *r) out.push_back(std::move(e));
    if (r->size() < page) return out;
    after_seq = out.back().seq;
  }
}

std::vector<int64_t> SeqColumn(EventStore& s, const std::string& table) {
  auto r = s.Sql("SELECT seq FROM " + table + " ORDER BY id", SqlLimits{});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::vector<int64_t> out;
  if (r.ok()) {
    for (const auto& row : r->rows) out.push_back(row[0] == "null" ? -1 : std::stoll(row[0]));
  }
  return out;
}

TEST_F(EventStoreTest, SeqsIncreaseAcrossTablesAndContinueAfterReopen) {
  StoreOptions o = Options();
  o.tables = {{"events", false, 0, 0}, {"clicks", true, 0, 0}};
  o.routes = {{"", "click", "", "clicks"}};
  o.encryption_key = "k";
  {
    auto s = Open(o);
    for (int i = 0; i < 10; ++i) {
      int64_t seq = -1;
      ASSERT_TRUE(s->Append(Ev("A", i, i % 2 ? "click" : "pv"), &seq).ok());
      EXPECT_EQ(seq, i + 1);
    }
    ASSERT_TRUE(s->Append(Ev("A", 10)).ok());  // seq 11, not asked for
    ASSERT_TRUE(s->Flush().ok());
    EXPECT_EQ(SeqColumn(*s, "events"), (std::vector<int64_t>{1, 3, 5, 7, 9, 11}));
    EXPECT_EQ(SeqColumn(*s, "clicks"), (std::vector<int64_t>{2, 4, 6, 8, 10}));
  }
  auto s = Open(o);
  int64_t seq = -1;
  ASSERT_TRUE(s->Append(Ev("A", 11, "click"), &seq).ok());
  EXPECT_EQ(seq, 12);
}

TEST_F(EventStoreTest, SeqsContinueAboveATableThatIsAddedOnlyLater) {
  // A bundle's table is added by AddRoutes() after Open(); events appended in
  // between must not reuse the seqs it holds.
  StoreOptions o = Options();
  {
    auto s = Open(o);
    ASSERT_TRUE(s->AddRoutes({{"carts", false, 0, 0}}, {{"", "", "Cart", "carts"}}).ok());
    s->Append(Ev("Home", 1));
    for (int i = 0; i < 5; ++i) s->Append(Ev("Cart", 2 + i));  // seqs 2..6 in carts
    ASSERT_TRUE(s->Close().ok());
  }
  auto s = Open(o);
  int64_t seq = -1;
  ASSERT_TRUE(s->Append(Ev("Home", 10), &seq).ok());
  EXPECT_EQ(seq, 7);
  ASSERT_TRUE(s->AddRoutes({{"carts", false, 0, 0}}, {{"", "", "Cart", "carts"}}).ok());
  ASSERT_TRUE(s->Append(Ev("Cart", 11), &seq).ok());
  EXPECT_EQ(seq, 8);
  ASSERT_TRUE(s->Flush().ok());
  auto all = ReadAllSince(*s, 0, 100);
  std::vector<int64_t> seqs;
  for (const auto& e : all) seqs.push_back(e.seq);
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

TEST_F(EventStoreTest, ReadSincePagesThroughEveryTableInSeqOrder) {
  StoreOptions o = Options();
  o.tables = {{"events", false, 0, 0}, {"orders", true, 0, 0}, {"clicks", false, 0, 0}};
  o.routes = {{"", "", "Pay", "orders"}, {"", "click", "", "clicks"}};
  o.encryption_key = "k";
  o.max_batch = 700;  // several transactions per table per flush
  auto s = Open(o);
  // The reference: what Append() was given, in call order, with its seq.
  std::vector<SeqEvent> appended;
  std::mt19937 rng(7);
  const char* pages[] = {"Home", "Pay", "Detail"};
  for (int i = 0; i < 5000; ++i) {
    Event e = Ev(pages[rng() % 3], static_cast<int64_t>(rng() % 100000), rng() % 2 ? "click" : "pv",
                 R"({"i":)" + std::to_string(i) + "}");
    if (i % 7 == 0) e.item_id = "sku" + std::to_string(i);
    int64_t seq = 0;
    ASSERT_TRUE(s->Append(e, &seq).ok());
    appended.push_back({seq, e});
    if (i % 1000 == 999) {
      ASSERT_TRUE(s->Flush().ok());
    }
  }
  ASSERT_TRUE(s->Flush().ok());
  ASSERT_GT(Count(*s, "orders"), 0);
  ASSERT_GT(Count(*s, "clicks"), 0);
  for (size_t page : {size_t{1}, size_t{7}, size_t{333}, size_t{5000}, size_t{100000}}) {
    if (page == 1) {
      auto head = ReadAllSince(*s, 4990, page);  // a short walk at page size 1
      ASSERT_EQ(head.size(), 10u);
      EXPECT_EQ(head.front().seq, 4991);
      continue;
    }
    auto got = ReadAllSince(*s, 0, page);
    ASSERT_EQ(got.size(), appended.size()) << "page " << page;
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].seq, appended[i].seq) << "page " << page << " at " << i;
      ASSERT_EQ(got[i].event, appended[i].event) << "page " << page << " at " << i;
    }
  }
  // A reader that has caught up gets nothing, and limit 0 reads nothing.
  EXPECT_TRUE(s->ReadSince(appended.back().seq, 10)->empty());
  EXPECT_TRUE(s->ReadSince(0, 0)->empty());
  EXPECT_EQ(s->ReadSince(-1, 1)->at(0).seq, 1);
}

TEST_F(EventStoreTest, ReadSinceStartsRightAfterAnySeqDespiteRetentionGaps) {
  // Retention by max_rows deletes the oldest ts, not the oldest ids, so the
  // surviving ids (and seqs) have gaps everywhere.
  StoreOptions o = Options();
  o.tables = {{"a", false, 0, 3000}, {"b", false, 0, 0}};
  o.routes = {{"", "", "B", "b"}};
  auto s = Open(o);
  std::mt19937 rng(11);
  for (int i = 0; i < 8000; ++i) s->Append(Ev(rng() % 4 ? "A" : "B", static_cast<int64_t>(rng() % 1000000)));
  ASSERT_TRUE(s->Flush().ok());
  ASSERT_TRUE(s->EnforceRetention().ok());
  ASSERT_EQ(Count(*s, "a"), 3000);
  for (int probe = 0; probe < 300; ++probe) {
    int64_t after = static_cast<int64_t>(rng() % 8100) - 50;
    // Independent reference: the SQL API over both tables.
    auto ref = s->Sql("SELECT min(seq) FROM (SELECT seq FROM a UNION ALL SELECT seq FROM b) WHERE seq > " +
                      std::to_string(after), SqlLimits{});
    ASSERT_TRUE(ref.ok()) << ref.status().ToString();
    auto got = s->ReadSince(after, 1);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (ref->rows[0][0] == "null") {
      EXPECT_TRUE(got->empty()) << "after " << after;
    } else {
      ASSERT_EQ(got->size(), 1u) << "after " << after;
      EXPECT_EQ(got->at(0).seq, std::stoll(ref->rows[0][0])) << "after " << after;
    }
  }
  EXPECT_EQ(ReadAllSince(*s, 0, 256).size(), static_cast<size_t>(Count(*s, "a") + Count(*s, "b")));
}

TEST_F(EventStoreTest, ReadSinceReturnsOnlyCommittedEvents) {
  StoreOptions o = Options();
  o.max_flush_delay_ms = 1000000;  // the writer commits only on Flush()
  auto s = Open(o);
  for (int i = 0; i < 3; ++i) s->Append(Ev("A", i));
  EXPECT_TRUE(s->ReadSince(0, 10)->empty());
  ASSERT_TRUE(s->Flush().ok());
  EXPECT_EQ(s->ReadSince(0, 10)->size(), 3u);
}

TEST_F(EventStoreTest, ReadSinceStopsBelowAnEventThatIsNotCommittedYet) {
  // "big" is full and keeps failing; "small" commits events appended later.
  // A reader must not move past the failed events: it would never see them.
  StoreOptions o = Options();
  o.tables = {{"small", false, 0, 0}, {"big", false, 0, 0}};  // small commits first in a batch
  o.routes = {{"", "", "A", "big"}};
  o.max_table_bytes = 64 * 1024;
  o.max_flush_delay_ms = 5;
  auto s = Open(o);
  std::string pad(512, 'p');
  Status flushed;
  for (int i = 0; i < 2000 && flushed.ok(); ++i) {
    ASSERT_TRUE(s->Append(Ev("A", i, "pv", R"({"pad":")" + pad + R"("})")).ok());
    if (i % 20 == 19) flushed = s->Flush();
  }
  ASSERT_EQ(flushed.code(), StatusCode::kResourceExhausted) << flushed.ToString();
  int64_t small_seq = 0;
  ASSERT_TRUE(s->Append(Ev("S", 0), &small_seq).ok());
  EXPECT_FALSE(s->Flush().ok());
  // The small table committed its event (Query sees it) ...
  EventQuery q;
  q.table = "small";
  ASSERT_EQ(s->Query(q)->size(), 1u);
  // ... but ReadSince ends right before the first event still in memory.
  auto got = ReadAllSince(*s, 0, 1000);
  const int64_t stored = Count(*s, "big");
  ASSERT_EQ(static_cast<int64_t>(got.size()), stored);
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i].seq, static_cast<int64_t>(i) + 1);
  EXPECT_LT(got.back().seq, small_seq);
}

TEST_F(EventStoreTest, TableFilesFromBeforeSeqsAreMigratedOnOpen) {
  StoreOptions o = Options();
  o.tables = {{"events", false, 0, 0}, {"clicks", false, 0, 0}};
  o.routes = {{"", "click", "", "clicks"}};
  const char* kOldSchema =
      " (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL,"
      " kind TEXT, page_id TEXT NOT NULL, click_id TEXT, item_id TEXT, props TEXT)";
  // Table files as the store wrote them before seqs, with raw SQLite.
  auto old_table = [&](const std::string& name, int rows, const std::string& kind) {
    ASSERT_TRUE(std::filesystem::create_directories(o.dir) || std::filesystem::exists(o.dir));
    auto db = SqliteDb::Open(o.dir + "/" + name + ".db", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)->Exec("PRAGMA journal_mode=WAL").ok());
    ASSERT_TRUE((*db)->Exec("CREATE TABLE " + name + kOldSchema).ok());
    ASSERT_TRUE((*db)->Exec("CREATE INDEX " + name + "_ts ON " + name + "(ts)").ok());
    for (int i = 0; i < rows; ++i) {
      // Timestamps run backwards: the numbering must follow ids, not ts.
      ASSERT_TRUE((*db)->Exec("INSERT INTO " + name + " (ts, type, kind, page_id) VALUES (" +
                              std::to_string(1000 - i) + ", 'mta', '" + kind + "', 'Old')").ok());
    }
  };
  old_table("events", 5, "pv");
  old_table("clicks", 3, "click");
  {
    auto s = Open(o);
    // Old rows are numbered at once, table by table in id order, below every new event.
    EXPECT_EQ(SeqColumn(*s, "events"), (std::vector<int64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(SeqColumn(*s, "clicks"), (std::vector<int64_t>{6, 7, 8}));
    int64_t seq = 0;
    ASSERT_TRUE(s->Append(Ev("New", 1, "click"), &seq).ok());
    EXPECT_EQ(seq, 9);
    ASSERT_TRUE(s->Flush().ok());
    auto all = ReadAllSince(*s, 0, 4);
    ASSERT_EQ(all.size(), 9u);
    for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].seq, static_cast<int64_t>(i) + 1);
    EXPECT_EQ(all[0].event.ts_ms, 1000);
    EXPECT_EQ(all[5].event.kind, "click");
    EXPECT_EQ(all[8].event.page_id, "New");
    // SELECT * has the same shape in a migrated table and a new one: seq last.
    ASSERT_TRUE(s->AddRoutes({{"fresh", false, 0, 0}}, {}).ok());
    const std::vector<std::string> columns = {"id", "ts", "type", "kind", "page_id",
                                              "click_id", "item_id", "props", "seq"};
    EXPECT_EQ(s->Sql("SELECT * FROM events", SqlLimits{})->columns, columns);
    EXPECT_EQ(s->Sql("SELECT * FROM fresh", SqlLimits{})->columns, columns);
    EXPECT_TRUE(s->Sql("SELECT * FROM events UNION ALL SELECT * FROM fresh", SqlLimits{}).ok());
    // Query() is unchanged by the new column.
    EventQuery q;
    q.page_id = "Old";
    EXPECT_EQ(s->Query(q)->size(), 8u);
  }
  // An older version (after a downgrade) appends rows without a seq.
  {
    auto db = SqliteDb::Open(o.dir + "/events.db", SQLITE_OPEN_READWRITE, "");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO events (ts, type, page_id) VALUES (5, 'mta', 'Downgraded')").ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO events (ts, type, page_id) VALUES (6, 'mta', 'Downgraded')").ok());
  }
  auto s = Open(o);
  // Nothing is renumbered; the new rows get the next seqs.
  EXPECT_EQ(SeqColumn(*s, "events"), (std::vector<int64_t>{1, 2, 3, 4, 5, 10, 11}));
  int64_t seq = 0;
  ASSERT_TRUE(s->Append(Ev("New", 2), &seq).ok());
  EXPECT_EQ(seq, 12);
}

TEST_F(EventStoreTest, TheStateFileNameIsReserved) {
  StoreOptions o = Options();
  o.tables = {{"_State", false, 0, 0}};
  auto s = EventStore::Open(o);
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("reserved"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace edgeflow
