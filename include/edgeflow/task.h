// Tasks as the app and the task bodies see them: what a task is given when it
// runs, how it reports its result, and how it learns it must stop.
//
// A task body is any TaskBody: a native C++ function registered by the app, a
// built-in (native:echo, native:count, native:fail, native:sleep:MS), and later a
// script function or a model. Bodies are called on scheduler worker threads and
// must poll ctx.cancel while they work.
#ifndef EDGEFLOW_TASK_H_
#define EDGEFLOW_TASK_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "edgeflow/event.h"
#include "edgeflow/status.h"

namespace edgeflow {

// How a task instance failed, as seen by the app. Names (TaskErrorName) are the
// strings used in JSON output and in the C ABI.
enum class TaskError : int {
  kFailed = 1,       // the body returned an error, or a dependency failed
  kTimeout = 2,      // past its deadline; the watchdog cancelled or abandoned it
  kCircuitOpen = 3,  // the task's circuit breaker is open
  kCancelled = 4,    // cancelled by the app or by shutdown
  kCrashed = 5,      // a previous run killed the process (found by crash markers)
  kNoSuchTask = 6,   // no installed task or API route by that name
  kBadInput = 7,     // the trigger's input was malformed (e.g. extData not JSON)
};

// "failed", "timeout", "circuit_open", "cancelled", "crashed", "no_such_task", "bad_input".
const char* TaskErrorName(TaskError error);

// What started a task instance.
enum class TriggerKind { kEvent, kApi, kTimer, kChain, kPattern };
// "event", "api", "timer", "chain", "pattern" (a CEP match, docs/patterns.md).
const char* TriggerKindName(TriggerKind kind);

// Set once by the scheduler (deadline, shutdown) or the app; polled by bodies.
// Thread-safe. Cheap to poll: one relaxed atomic load.
class CancellationToken {
 public:
  bool cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

// What a body receives. Borrowed for the duration of Run(); copy what you keep.
struct TaskContext {
  std::string task;         // task name
  std::string instance;     // unique instance id
  TriggerKind trigger = TriggerKind::kApi;
  const Event* event = nullptr;  // the triggering event (event triggers), else null
  std::string ext_data;     // API extData / chained value, as JSON text; "" when none
  // Results of this instance's pre-dependencies by task name (JSON text; "null"
  // for an empty result).
  std::map<std::string, std::string> upstream;
  const CancellationToken* cancel = nullptr;  // never null while Run() executes
  // Number of events seen so far on the trigger's pageId (for native:count);
  // filled by the runtime for event triggers.
  int64_t page_event_count = 0;
};

// What a body returns: a JSON value, or nothing (the app's onComplete()).
struct TaskOutput {
  std::optional<std::string> value;  // JSON text
};

class TaskBody {
 public:
  virtual ~TaskBody() = default;
  // Runs once per instance, possibly concurrently with other instances of the
  // same body on other threads. A non-OK Status ends the instance with `failed`
  // (or `cancelled` / `timeout` when the body stopped because ctx.cancel fired).
  virtual Result<TaskOutput> Run(const TaskContext& ctx) = 0;
};

// How one task instance ended: what the app's listeners and the CLI see.
struct TaskOutcome {
  std::string task;
  std::string instance;
  TriggerKind trigger = TriggerKind::kApi;
  bool ok = false;
  std::optional<std::string> value;      // when ok: JSON text, or nullopt (empty result)
  TaskError error = TaskError::kFailed;  // when !ok
  std::string message;                   // when !ok: what happened, for logs
  int64_t latency_us = 0;                // from trigger (submit) to the outcome
};

// A native body written by the app.
using NativeTaskFn = std::function<Result<TaskOutput>(const TaskContext& ctx)>;

}  // namespace edgeflow

#endif  // EDGEFLOW_TASK_H_
