// Scheduler: turns a fired trigger into task instances and runs them.
//
// - Instances: each firing of task T creates one instance of T and one of each
//   task in T's `after` closure (its pre-dependencies), run in dependency order;
//   T receives their results in TaskContext::upstream. If a dependency fails,
//   its dependents end with `failed` without running.
// - Queues: core, regular and low, each with its own worker threads. Under
//   contention core work is served first (see scheduler.cc for the policy).
//   Within a queue, higher priority first, then FIFO.
// - Circuit breaker per task name (breaker.h), watchdog for deadlines with a
//   grace period after which a stuck worker is abandoned and replaced, and
//   durable crash markers (crash_markers.h) read back by Open().
//
// Thread-safety: all methods may be called from any thread. Outcome callbacks
// run on worker (or watchdog) threads and must not block for long.
#ifndef EDGEFLOW_TASK_SCHEDULER_H_
#define EDGEFLOW_TASK_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edgeflow/env.h"
#include "edgeflow/event.h"
#include "edgeflow/status.h"
#include "edgeflow/task.h"

namespace edgeflow {

enum class QueueKind { kCore = 0, kRegular = 1, kLow = 2 };
// "core" | "regular" | "low".
const char* QueueKindName(QueueKind q);
Result<QueueKind> ParseQueueKind(std::string_view name);

struct BreakerConfig {
  int failures = 3;                    // consecutive failures/timeouts/crashes that open it
  int64_t cooldown_ms = 5000;          // first open period; doubles on each failed probe
  int64_t max_cooldown_ms = 300000;    // cap of the exponential backoff
};

struct TaskSpec {
  std::string name;
  std::string kind;                    // e.g. "native:echo"; the body is resolved by the caller
  QueueKind queue = QueueKind::kRegular;
  int priority = 0;                    // higher runs first within a queue
  std::vector<std::string> after;      // pre-dependencies (task names of the same bundle)
  int64_t deadline_ms = 10000;         // from instance start to result
  BreakerConfig breaker;
  std::shared_ptr<TaskBody> body;      // required
};

// TaskOutcome is public (include/edgeflow/task.h).
using OutcomeFn = std::function<void(const TaskOutcome&)>;

struct SubmitRequest {
  std::string task;
  TriggerKind trigger = TriggerKind::kApi;
  std::optional<Event> event;          // event triggers
  std::string ext_data;                // JSON text or ""
  int64_t page_event_count = 0;        // see TaskContext
  // Called exactly once per instance created by this request (dependencies
  // included), the requested task's own outcome last.
  OutcomeFn on_instance_done;
  // Called exactly once with the requested task's own outcome.
  OutcomeFn on_done;
};

struct SchedulerOptions {
  int core_workers = 1;
  int regular_workers = 1;
  int low_workers = 1;
  int64_t grace_ms = 1000;             // after the deadline, before abandoning a worker
  int64_t watchdog_interval_ms = 5;    // how often the watchdog thread checks deadlines
  bool start_watchdog_thread = true;   // tests with a ManualEnv call RunWatchdogOnce()
  std::string crash_marker_path;       // "" = no crash markers
  Env* env = nullptr;                  // null: Env::Default()
};

// A task that was running when the process died, found by Open().
struct CrashRecord {
  std::string task;
  std::string instance;
  TriggerKind trigger = TriggerKind::kApi;
};

class Scheduler {
 public:
  static Result<std::unique_ptr<Scheduler>> Open(const SchedulerOptions& options);
  virtual ~Scheduler() = default;  // Shutdown()

  // Installs the tasks of `owner` (a bundle), replacing its previous ones.
  // Rejects unknown `after` names and cycles, naming the tasks involved.
  virtual Status Install(const std::string& owner, std::vector<TaskSpec> tasks) = 0;
  virtual Status Uninstall(const std::string& owner) = 0;
  virtual bool HasTask(const std::string& name) const = 0;

  // Creates the instances and returns the requested task's instance id. An
  // unknown task ends at once with no_such_task (through the callbacks).
  virtual std::string Submit(SubmitRequest request) = 0;

  // Waits until no instance is queued or running, or timeout_ms passes.
  virtual bool WaitIdle(int64_t timeout_ms) = 0;
  // Cancels queued and running work (outcome `cancelled`), joins the workers.
  virtual void Shutdown() = 0;

  // Crash markers left by the previous process (also fed to the breakers).
  virtual std::vector<CrashRecord> PreviousCrashes() const = 0;
  // One watchdog pass at the Env's current time (tests with a ManualEnv).
  virtual void RunWatchdogOnce() = 0;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_TASK_SCHEDULER_H_
