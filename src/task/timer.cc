// TimerService: the due-time loop.
#include "task/timer.h"

#include <algorithm>
#include <chrono>

namespace edgeflow {

TimerService::TimerService(Env* env, bool start_thread) : env_(env) {
  if (start_thread) thread_ = std::thread([this] { Loop(); });
}

TimerService::~TimerService() { Stop(); }

void TimerService::Set(const std::string& owner, const std::vector<TimerTrigger>& timers,
                       FireFn fire) {
  auto shared = std::make_shared<FireFn>(std::move(fire));
  int64_t now = env_->NowMicros();
  std::vector<Timer> list;
  for (const auto& t : timers) list.push_back({t.task_name, t.every_ms * 1000, now + t.every_ms * 1000, shared});
  std::lock_guard<std::mutex> l(mu_);
  if (stopped_) return;
  if (list.empty()) {
    timers_.erase(owner);
  } else {
    timers_[owner] = std::move(list);
  }
  cv_.notify_all();
}

void TimerService::Remove(const std::string& owner) {
  std::lock_guard<std::mutex> l(mu_);
  timers_.erase(owner);
  cv_.notify_all();
}

int TimerService::RunDueOnce() {
  std::vector<std::pair<std::shared_ptr<FireFn>, std::string>> due;
  {
    std::lock_guard<std::mutex> l(mu_);
    int64_t now = env_->NowMicros();
    for (auto& [owner, list] : timers_) {
      for (auto& t : list) {
        if (t.next_us > now) continue;
        due.emplace_back(t.fire, t.task);
        // Skip missed periods instead of firing a burst after a stall.
        int64_t periods = (now - t.next_us) / t.every_us + 1;
        t.next_us += periods * t.every_us;
      }
    }
  }
  for (auto& [fire, task] : due) (*fire)(task);
  return static_cast<int>(due.size());
}

void TimerService::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stopped_) {
    int64_t next = INT64_MAX;
    for (auto& [owner, list] : timers_) {
      for (auto& t : list) next = std::min(next, t.next_us);
    }
    int64_t now = env_->NowMicros();
    if (next > now) {
      if (next == INT64_MAX) {
        cv_.wait(l);
      } else {
        cv_.wait_for(l, std::chrono::microseconds(next - now));
      }
      continue;
    }
    l.unlock();
    RunDueOnce();
    l.lock();
  }
}

void TimerService::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopped_ = true;
    timers_.clear();
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

}  // namespace edgeflow
