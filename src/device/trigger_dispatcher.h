// TriggerDispatcher: moves event-trigger firings off the Track() path. Track()
// only appends the firing to a queue (a lock and a push); a dispatcher thread
// hands the queued firings to the scheduler, which allocates instances and
// wakes workers. That keeps Track() in the low microseconds even when many
// events fire tasks, at the cost of one thread hop before the task starts.
#ifndef EDGEFLOW_DEVICE_TRIGGER_DISPATCHER_H_
#define EDGEFLOW_DEVICE_TRIGGER_DISPATCHER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edgeflow/event.h"

namespace edgeflow {

class TriggerDispatcher {
 public:
  struct Firing {
    std::string task;
    Event event;
    int64_t page_event_count = 0;
  };
  using SubmitFn = std::function<void(Firing&&)>;

  explicit TriggerDispatcher(SubmitFn submit);
  ~TriggerDispatcher();  // Stop()

  void Push(const std::string& task, const Event& event, int64_t page_event_count);
  // Waits until every firing pushed before the call was handed to SubmitFn.
  bool WaitDrained(int64_t timeout_ms);
  // Hands over what is queued, then stops the thread. Later pushes are dropped.
  void Stop();

 private:
  void Loop();

  const SubmitFn submit_;
  std::mutex mu_;
  std::condition_variable work_cv_, drained_cv_;
  std::vector<Firing> queue_;   // guarded by mu_
  int64_t pushed_ = 0;          // guarded by mu_
  int64_t handed_ = 0;          // guarded by mu_
  bool sleeping_ = false;       // guarded by mu_; the thread waits for work
  bool stopping_ = false;       // guarded by mu_
  std::thread thread_;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_DEVICE_TRIGGER_DISPATCHER_H_
