// CircuitBreaker state machine.
#include "task/breaker.h"

#include <algorithm>

namespace edgeflow {

bool CircuitBreaker::Allow(int64_t now_us) {
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now_us < open_until_us_) return false;
      state_ = State::kHalfOpen;
      probe_in_flight_ = true;
      return true;
    case State::kHalfOpen:
      if (probe_in_flight_) return false;
      probe_in_flight_ = true;
      return true;
  }
  return false;
}

void CircuitBreaker::RecordSuccess() {
  state_ = State::kClosed;
  failures_ = 0;
  cooldown_ms_ = config_.cooldown_ms;
  probe_in_flight_ = false;
}

void CircuitBreaker::RecordFailure(int64_t now_us) {
  ++failures_;
  switch (state_) {
    case State::kClosed:
      if (failures_ >= config_.failures) {
        state_ = State::kOpen;
        open_until_us_ = now_us + cooldown_ms_ * 1000;
      }
      break;
    case State::kHalfOpen:
      // The probe failed: back off exponentially.
      cooldown_ms_ = std::min(cooldown_ms_ * 2, std::max(config_.max_cooldown_ms, config_.cooldown_ms));
      state_ = State::kOpen;
      open_until_us_ = now_us + cooldown_ms_ * 1000;
      probe_in_flight_ = false;
      break;
    case State::kOpen:
      break;  // a late result of a run started before the breaker opened
  }
}

void CircuitBreaker::RecordNeutral() {
  if (state_ == State::kHalfOpen) probe_in_flight_ = false;
}

CircuitBreaker::State CircuitBreaker::state(int64_t now_us) const {
  if (state_ == State::kOpen && now_us >= open_until_us_) return State::kHalfOpen;
  return state_;
}

void CircuitBreaker::set_config(const BreakerConfig& config) {
  config_ = config;
  cooldown_ms_ = std::clamp(cooldown_ms_, config.cooldown_ms, std::max(config.max_cooldown_ms, config.cooldown_ms));
}

}  // namespace edgeflow
