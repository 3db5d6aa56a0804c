#include "task/breaker.h"

#include <gtest/gtest.h>

namespace edgeflow {
namespace {

constexpr int64_t kMs = 1000;  // microseconds per millisecond

BreakerConfig Config() {
  BreakerConfig c;
  c.failures = 3;
  c.cooldown_ms = 100;
  c.max_cooldown_ms = 350;
  return c;
}

TEST(CircuitBreaker, OpensAfterThreeConsecutiveFailures) {
  CircuitBreaker b(Config());
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(b.Allow(0));
    b.RecordFailure(0);
  }
  EXPECT_EQ(b.state(0), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(b.Allow(0));
  b.RecordFailure(0);
  EXPECT_EQ(b.state(0), CircuitBreaker::State::kOpen);
  EXPECT_FALSE(b.Allow(50 * kMs));
}

TEST(CircuitBreaker, SuccessResetsTheConsecutiveCount) {
  CircuitBreaker b(Config());
  b.RecordFailure(0);
  b.RecordFailure(0);
  b.RecordSuccess();
  b.RecordFailure(0);
  b.RecordFailure(0);
  EXPECT_EQ(b.state(0), CircuitBreaker::State::kClosed);
}

TEST(CircuitBreaker, HalfOpenAllowsExactlyOneProbe) {
  CircuitBreaker b(Config());
  for (int i = 0; i < 3; ++i) b.RecordFailure(0);
  EXPECT_EQ(b.state(100 * kMs), CircuitBreaker::State::kHalfOpen);
  EXPECT_TRUE(b.Allow(100 * kMs));   // the probe
  EXPECT_FALSE(b.Allow(101 * kMs));  // others wait for its result
  b.RecordSuccess();
  EXPECT_EQ(b.state(101 * kMs), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(b.Allow(101 * kMs));
}

TEST(CircuitBreaker, FailedProbesDoubleTheCooldownUpToTheCap) {
  CircuitBreaker b(Config());
  for (int i = 0; i < 3; ++i) b.RecordFailure(0);
  int64_t t = 100 * kMs;
  std::vector<int64_t> cooldowns;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(b.Allow(t));
    b.RecordFailure(t);
    cooldowns.push_back(b.cooldown_ms());
    EXPECT_FALSE(b.Allow(t + b.cooldown_ms() * kMs - 1));
    t += b.cooldown_ms() * kMs;
  }
  EXPECT_EQ(cooldowns, (std::vector<int64_t>{200, 350, 350, 350}));
  ASSERT_TRUE(b.Allow(t));
  b.RecordSuccess();
  EXPECT_EQ(b.cooldown_ms(), 100);  // success resets the backoff
}

TEST(CircuitBreaker, NeutralOutcomeFreesTheProbe) {
  CircuitBreaker b(Config());
  for (int i = 0; i < 3; ++i) b.RecordFailure(0);
  ASSERT_TRUE(b.Allow(100 * kMs));
  b.RecordNeutral();
  EXPECT_TRUE(b.Allow(100 * kMs));
}

}  // namespace
}  // namespace edgeflow
