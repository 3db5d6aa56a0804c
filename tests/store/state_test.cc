// EventStore state blobs (PutState / GetState / DeleteState) in the _state file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

#include "store/event_store.h"
#include "testing/temp_dir.h"

namespace edgeflow {
namespace {

using testing::TempDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

class StateTest : public ::testing::Test {
 protected:
  StoreOptions Options() {
    StoreOptions o;
    o.dir = dir_.Sub("store");
    return o;
  }
  std::unique_ptr<EventStore> Open(const StoreOptions& o) {
    auto s = EventStore::Open(o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::optional<std::string> Get(EventStore& s, const std::string& name) {
    auto r = s.GetState(name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::nullopt;
  }

  TempDir dir_;
};

TEST_F(StateTest, PutGetOverwriteDelete) {
  auto s = Open(Options());
  EXPECT_EQ(Get(*s, "feature.clicks_5m"), std::nullopt);
  ASSERT_TRUE(s->PutState("feature.clicks_5m", "v1").ok());
  EXPECT_EQ(Get(*s, "feature.clicks_5m"), "v1");
  ASSERT_TRUE(s->PutState("feature.clicks_5m", "version two").ok());
  EXPECT_EQ(Get(*s, "feature.clicks_5m"), "version two");
  ASSERT_TRUE(s->PutState("other", "").ok());  // empty, but stored
  EXPECT_EQ(Get(*s, "other"), "");
  ASSERT_TRUE(s->DeleteState("feature.clicks_5m").ok());
  EXPECT_EQ(Get(*s, "feature.clicks_5m"), std::nullopt);
  EXPECT_EQ(Get(*s, "other"), "");
  EXPECT_TRUE(s->DeleteState("never stored").ok());
}

TEST_F(StateTest, NamesAndBlobsAreArbitraryBytes) {
  auto s = Open(Options());
  const std::string names[] = {"", "it's \"quoted\"; DROP TABLE state; --", std::string("nul\0inside", 10),
                               std::string("nul\0other", 9), "\xff\xfe not utf-8", "名前", "Name", "name"};
  for (size_t i = 0; i < std::size(names); ++i) {
    ASSERT_TRUE(s->PutState(names[i], std::string("\0blob ", 6) + std::to_string(i)).ok()) << i;
  }
  for (size_t i = 0; i < std::size(names); ++i) {
    EXPECT_EQ(Get(*s, names[i]), std::string("\0blob ", 6) + std::to_string(i)) << i;
  }
  EXPECT_EQ(Get(*s, "nul"), std::nullopt);  // a prefix up to the NUL is another name
}

TEST_F(StateTest, StateSurvivesReopenAndIsNotVisibleToSql) {
  StoreOptions o = Options();
  {
    auto s = Open(o);
    ASSERT_TRUE(s->PutState("a", "1").ok());
    ASSERT_TRUE(s->PutState("b", "2").ok());
    ASSERT_TRUE(s->DeleteState("b").ok());
  }
  EXPECT_TRUE(std::ifstream(o.dir + "/_state.db").good());
  auto s = Open(o);
  EXPECT_EQ(Get(*s, "a"), "1");
  EXPECT_EQ(Get(*s, "b"), std::nullopt);
  auto r = s->Sql("SELECT * FROM state", SqlLimits{});
  EXPECT_FALSE(r.ok());
  ASSERT_TRUE(s->Close().ok());
  EXPECT_EQ(s->PutState("a", "x").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s->GetState("a").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s->DeleteState("a").code(), StatusCode::kFailedPrecondition);
}

TEST_F(StateTest, PutStateIsDurableWhenItReturnsEvenAfterKillNine) {
  StoreOptions o = Options();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    auto s = EventStore::Open(o);
    if (!s.ok()) _exit(2);
    if (!(*s)->PutState("checkpoint", "seq=42").ok()) _exit(3);
    char done = 1;
    if (write(fds[1], &done, 1) != 1) _exit(4);
    for (;;) pause();  // killed here, the store still open
  }
  close(fds[1]);
  char done = 0;
  ASSERT_EQ(read(fds[0], &done, 1), 1);
  close(fds[0]);
  kill(pid, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  auto s = Open(o);
  EXPECT_EQ(Get(*s, "checkpoint"), "seq=42");
}

TEST_F(StateTest, EncryptedWithTheStoreKeyAndAWrongKeyFailsToOpen) {
  StoreOptions o = Options();
  o.encryption_key = "k1";  // no encrypted table: the state file is encrypted anyway
  const std::string secret = "SECRET-FEATURE-STATE";
  {
    auto s = Open(o);
    ASSERT_TRUE(s->PutState("f", secret).ok());
  }
  EXPECT_FALSE(std::ifstream(o.dir + "/_state.db").good());
  std::string raw = ReadAll(o.dir + "/_state.edb") + ReadAll(o.dir + "/_state.edb-wal");
  ASSERT_FALSE(raw.empty());
  EXPECT_EQ(raw.find(secret), std::string::npos) << "plaintext in the encrypted state file";
  EXPECT_EQ(raw.find("SQLite format 3"), std::string::npos);

  o.encryption_key = "k2";
  auto bad = EventStore::Open(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad.status().message().find("_state.edb"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("wrong encryption key"), std::string::npos);
  o.encryption_key = "k1";
  auto s = Open(o);
  EXPECT_EQ(Get(*s, "f"), secret);
}

TEST_F(StateTest, CorruptStateFileIsReportedNotOverwritten) {
  StoreOptions o = Options();
  dir_.Write("store/_state.db", std::string(8192, 'x'));
  auto s = EventStore::Open(o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption);
  EXPECT_NE(s.status().message().find("_state.db"), std::string::npos) << s.status().message();
  EXPECT_EQ(ReadAll(o.dir + "/_state.db"), std::string(8192, 'x'));
}

TEST_F(StateTest, LargeBlobsRoundTripPlainAndEncrypted) {
  for (bool encrypted : {false, true}) {
    StoreOptions o = Options();
    o.dir = dir_.Sub(encrypted ? "enc" : "plain");
    if (encrypted) o.encryption_key = "k";
    const std::string big = RandomBytes(8 << 20, encrypted ? 2 : 1);
    {
      auto s = Open(o);
      ASSERT_TRUE(s->PutState("big", big).ok());
      auto got = Get(*s, "big");
      ASSERT_TRUE(got.has_value());
      EXPECT_TRUE(*got == big) << "encrypted " << encrypted;
      ASSERT_TRUE(s->PutState("big", big.substr(0, 3 << 20)).ok());  // shrink it
    }
    auto s = Open(o);
    auto got = Get(*s, "big");
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->size(), size_t{3} << 20);
    EXPECT_TRUE(*got == big.substr(0, 3 << 20)) << "encrypted " << encrypted;
  }
}

TEST_F(StateTest, StateWritesDoNotDisturbEvents) {
  auto s = Open(Options());
  for (int i = 0; i < 2000; ++i) {
    Event e;
    e.type = "mta";
    e.page_id = "P";
    e.ts_ms = i;
    ASSERT_TRUE(s->Append(e).ok());
    if (i % 100 == 0) {
      ASSERT_TRUE(s->PutState("cursor", std::to_string(i)).ok());
    }
  }
  ASSERT_TRUE(s->Flush().ok());
  auto all = s->ReadSince(0, 5000);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2000u);
  EXPECT_EQ(Get(*s, "cursor"), "1900");
}

}  // namespace
}  // namespace edgeflow
