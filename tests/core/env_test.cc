#include "edgeflow/env.h"

#include <gtest/gtest.h>
#include <unistd.h>

namespace edgeflow {
namespace {

TEST(Env, WriteFileAtomicThenReadBack) {
  Env* env = Env::Default();
  char tmpl[] = "/tmp/ef_env_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = std::string(tmpl) + "/a/b";
  ASSERT_TRUE(env->CreateDirs(dir).ok());
  std::string path = dir + "/f.txt";
  ASSERT_TRUE(env->WriteFileAtomic(path, "hello").ok());
  auto r = env->ReadFile(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "hello");
  EXPECT_FALSE(env->FileExists(path + ".tmp"));
  EXPECT_EQ(env->ReadFile(dir + "/missing").status().code(), StatusCode::kNotFound);
}

TEST(ManualEnv, ClockMovesOnlyWhenAdvanced) {
  ManualEnv env(1000);
  EXPECT_EQ(env.NowMicros(), 0);
  EXPECT_EQ(env.WallMillis(), 1000);
  env.AdvanceMillis(5);
  env.SleepForMicros(7);
  EXPECT_EQ(env.NowMicros(), 5007);
  EXPECT_EQ(env.WallMillis(), 1005);
}

}  // namespace
}  // namespace edgeflow
