// TriggerDispatcher: the queue and its thread.
#include "device/trigger_dispatcher.h"

#include <chrono>

namespace edgeflow {

TriggerDispatcher::TriggerDispatcher(SubmitFn submit) : submit_(std::move(submit)) {
  thread_ = std::thread([this] { Loop(); });
}

TriggerDispatcher::~TriggerDispatcher() { Stop(); }

void TriggerDispatcher::Push(const std::string& task, const Event& event, int64_t page_event_count) {
  std::lock_guard<std::mutex> l(mu_);
  if (stopping_) return;
  queue_.push_back(Firing{task, event, page_event_count});
  ++pushed_;
  // Wake the thread only when it sleeps: a burst costs one wake-up.
  if (sleeping_) {
    sleeping_ = false;
    work_cv_.notify_one();
  }
}

bool TriggerDispatcher::WaitDrained(int64_t timeout_ms) {
  std::unique_lock<std::mutex> l(mu_);
  const int64_t target = pushed_;
  return drained_cv_.wait_for(l, std::chrono::milliseconds(timeout_ms),
                              [&] { return handed_ >= target || (stopping_ && !thread_.joinable()); });
}

void TriggerDispatcher::Loop() {
  std::vector<Firing> batch;
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    if (queue_.empty()) {
      if (stopping_) break;
      sleeping_ = true;
      work_cv_.wait(l, [&] { return !queue_.empty() || stopping_; });
      sleeping_ = false;
      continue;
    }
    batch.swap(queue_);
    l.unlock();
    for (Firing& f : batch) submit_(std::move(f));
    size_t n = batch.size();
    batch.clear();
    l.lock();
    handed_ += static_cast<int64_t>(n);
    drained_cv_.notify_all();
  }
}

void TriggerDispatcher::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    work_cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> l(mu_);
  drained_cv_.notify_all();
}

}  // namespace edgeflow
