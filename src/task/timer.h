// TimerService: timer triggers ("timers": [{"taskName","everySeconds"}]). Fires
// each timer's task every every_ms, measured on the Env's monotonic clock.
//
// With start_thread (the default) a background thread fires due timers; tests
// with a ManualEnv pass false and call RunDueOnce() after advancing the clock.
// Thread-safe. `fire` runs on the timer thread without the service's lock held.
#ifndef EDGEFLOW_TASK_TIMER_H_
#define EDGEFLOW_TASK_TIMER_H_

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "edgeflow/env.h"
#include "task/trigger.h"

namespace edgeflow {

class TimerService {
 public:
  using FireFn = std::function<void(const std::string& task)>;

  explicit TimerService(Env* env, bool start_thread = true);
  ~TimerService();  // Stop()

  // Replaces the timers of `owner`; the first firing is one period from now.
  void Set(const std::string& owner, const std::vector<TimerTrigger>& timers, FireFn fire);
  void Remove(const std::string& owner);
  // Fires every timer that is due at the Env's current time (at most once
  // each) and returns how many fired.
  int RunDueOnce();
  // Stops and joins the thread; later Set() calls are ignored. Idempotent.
  void Stop();

 private:
  struct Timer {
    std::string task;
    int64_t every_us;
    int64_t next_us;
    std::shared_ptr<FireFn> fire;
  };
  void Loop();

  Env* const env_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<Timer>> timers_;  // by owner; guarded by mu_
  bool stopped_ = false;                               // guarded by mu_
  std::thread thread_;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_TASK_TIMER_H_
