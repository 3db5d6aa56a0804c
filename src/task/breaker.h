// CircuitBreaker: stops running a task that keeps failing.
//
//   closed ──N consecutive failures──▶ open ──cooldown passed──▶ half-open
//     ▲                                 ▲                           │ one probe runs
//     └──────── probe succeeds ─────────┼──── probe fails ──────────┘ (cooldown doubles,
//                                                                       capped)
// Failures are failed runs, timeouts and crashes; while open (and while the
// half-open probe runs) Allow() refuses. Time is passed in, so tests drive it.
// Not thread-safe: the scheduler calls it under its own lock.
#ifndef EDGEFLOW_TASK_BREAKER_H_
#define EDGEFLOW_TASK_BREAKER_H_

#include <cstdint>

#include "task/scheduler.h"

namespace edgeflow {

class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };

  explicit CircuitBreaker(BreakerConfig config = {}) : config_(config), cooldown_ms_(config.cooldown_ms) {}

  // May a run start at now_us? In half-open, true exactly once (the probe).
  bool Allow(int64_t now_us);
  void RecordSuccess();
  void RecordFailure(int64_t now_us);
  // A run that ended neither way (cancelled): frees the half-open probe slot.
  void RecordNeutral();

  State state(int64_t now_us) const;
  int consecutive_failures() const { return failures_; }
  int64_t cooldown_ms() const { return cooldown_ms_; }
  void set_config(const BreakerConfig& config);

 private:
  BreakerConfig config_;
  State state_ = State::kClosed;
  int failures_ = 0;
  int64_t cooldown_ms_;
  int64_t open_until_us_ = 0;
  bool probe_in_flight_ = false;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_TASK_BREAKER_H_
