// edgeflow::Runtime: the on-device runtime an app embeds.
//
// The app opens one Runtime per user profile, installs bundles, reports
// behaviour events with Track() and asks for results with Infer(). The runtime
// stores events locally (routed to plain or encrypted tables), matches bundle
// triggers, schedules task instances on its worker threads and delivers each
// result to the API caller's callback, to topic subscribers, or to a chained task.
//
//   auto rt = edgeflow::Runtime::Open({.data_dir = dir});
//   (*rt)->InstallBundle("bundles/rerank");
//   (*rt)->Track(event);                      // never blocks on disk
//   (*rt)->Infer("shop", "rerank", R"({"items":[1,2]})", callbacks);
//
// Thread-safety: every method may be called from any thread, concurrently.
// Callbacks and listeners run on runtime threads; they must not block for long
// and must not call Close().
#ifndef EDGEFLOW_RUNTIME_H_
#define EDGEFLOW_RUNTIME_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "edgeflow/env.h"
#include "edgeflow/event.h"
#include "edgeflow/script.h"
#include "edgeflow/status.h"
#include "edgeflow/storage.h"
#include "edgeflow/task.h"

namespace edgeflow {

// Version of this runtime; bundles may require a minimum (minRuntimeVersion).
inline constexpr const char* kRuntimeVersion = "0.1.0";

struct RuntimeOptions {
  std::string data_dir;             // required; created if missing
  std::string encryption_key;       // required if any table is encrypted
  std::vector<TableSpec> tables;    // empty: one plain table "events"
  std::vector<RouteRule> routes;    // bundles may add more
  int64_t max_flush_delay_ms = 200; // bound on events lost by a kill -9
  int core_workers = 1;             // worker threads per queue
  int regular_workers = 1;
  int low_workers = 1;
  int64_t watchdog_grace_ms = 1000; // after a deadline, before a stuck worker is replaced
  Env* env = nullptr;               // null: Env::Default()
  // Heap cap of each script task instance (tasks of kind script:FILE:FUNCTION).
  int64_t script_memory_bytes = 32ll << 20;
  // Compiles .py task scripts; null (the device default): bundles must carry
  // compiled .pyc files. The toolchain CLI sets edgeflow::CompileScript.
  std::function<Result<std::shared_ptr<const ScriptProgram>>(std::string_view source,
                                                            const std::string& filename)>
      compile_script;
};

// The result of an Infer() call: exactly one of the three is called, once.
struct InferCallbacks {
  std::function<void(const std::string& value_json)> on_value;  // onComplete(value)
  std::function<void()> on_empty;                                // onComplete()
  std::function<void(TaskError error, const std::string& message)> on_error;  // onError(code)
};

// A task instance found running when the previous process died.
struct CrashedTask {
  std::string task;
  std::string instance;
};

// Rows of a read-only SQL query; each cell is JSON text (number, string or null).
struct SqlRows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

class Runtime {
 public:
  // Opens (or creates) the data directory, its event tables and crash markers.
  static Result<std::unique_ptr<Runtime>> Open(const RuntimeOptions& options);

  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;
  virtual ~Runtime() = default;  // as Close()

  // --- bundles and native tasks ---

  // Installs the bundle in directory `dir` (manifest.json), replacing an
  // installed bundle of the same name. All-or-nothing: on error nothing changes.
  virtual Status InstallBundle(const std::string& dir) = 0;
  virtual Status UninstallBundle(const std::string& name) = 0;
  // Makes `fn` the body of tasks of kind "native:<name>". May be called before
  // or after the bundles that use it are installed; replaces an earlier fn.
  virtual Status RegisterNativeTask(const std::string& name, NativeTaskFn fn) = 0;

  // --- input ---

  // Records one event: appended to memory for the store's writer thread, counted,
  // and matched against event triggers (each match starts a task instance).
  // Never blocks on disk. Fails only on an invalid event or after Close().
  virtual Status Track(const Event& event) = 0;
  // Track() for event JSON (DESIGN.md format); errors name the offending field.
  virtual Status TrackJson(std::string_view event_json) = 0;

  // API trigger: runs the task routed to (system_code, business_code) with
  // ext_data (JSON text, or "" for none). Unknown route: on_error(kNoSuchTask);
  // ext_data that is not JSON: on_error(kBadInput).
  virtual void Infer(const std::string& system_code, const std::string& business_code,
                     const std::string& ext_data, InferCallbacks callbacks) = 0;

  // --- output ---

  using SubscriptionId = uint64_t;
  // Calls fn(topic, value_json) for every result a task broadcasts on `topic`.
  virtual SubscriptionId Subscribe(const std::string& topic,
                                   std::function<void(const std::string& topic,
                                                      const std::string& value_json)> fn) = 0;
  virtual void Unsubscribe(SubscriptionId id) = 0;
  // Observes every finished task instance (all triggers, dependencies included).
  // The first listener set after Open() is also told, once, of each instance
  // that was running when the previous process died (error kCrashed).
  virtual void SetOutcomeListener(std::function<void(const TaskOutcome&)> fn) = 0;

  // --- reads ---

  // One SELECT over the event tables (each under its table name), limited to
  // max_rows rows and max_time_ms; anything but reading is refused.
  virtual Result<SqlRows> Sql(const std::string& select, size_t max_rows = 10000,
                              int64_t max_time_ms = 100) = 0;
  // Events with from_ms <= ts < to_ms, optionally of one type and page ("" = any).
  virtual Result<std::vector<Event>> QueryEvents(int64_t from_ms, int64_t to_ms,
                                                 const std::string& type = "",
                                                 const std::string& page_id = "",
                                                 size_t limit = 10000) = 0;
  // Task instances that were running when the previous process died.
  virtual std::vector<CrashedTask> PreviousCrashes() = 0;

  // --- features and patterns (docs/features.md, docs/patterns.md) ---

  // The current value of feature `name` of bundle `bundle` for `key` (ignored
  // by features without keyBy), as JSON. kNotFound names what is missing.
  virtual Result<std::string> Feature(const std::string& bundle, const std::string& name,
                                      const std::string& key = "") = 0;
  // Every feature of the bundle for `key`, as a JSON object in definition order.
  virtual Result<std::string> Features(const std::string& bundle, const std::string& key = "") = 0;
  // Every feature of the bundle with every key holding state, as a JSON object
  // (the format of `device run --dump-features`).
  virtual Result<std::string> DumpFeatures(const std::string& bundle) = 0;
  // Observes every live pattern match: fn(bundle, match JSON {"pattern", "key",
  // "ts", "startTs", "seqs"}), called on the thread that called Track(), before
  // the match's action runs. Matches found while backfilling are not reported.
  virtual void SetMatchListener(
      std::function<void(const std::string& bundle, const std::string& match_json)> fn) = 0;
  // Counters and latency histograms as JSON.
  virtual std::string MetricsJson() = 0;

  // --- lifecycle ---

  // Waits until no task instance is queued or running; false on timeout.
  virtual bool WaitIdle(int64_t timeout_ms) = 0;
  // Commits every event tracked so far.
  virtual Status Flush() = 0;
  // Stops timers, cancels pending work (callbacks get kCancelled), flushes the
  // store and closes it. Idempotent.
  virtual Status Close() = 0;

 protected:
  Runtime() = default;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_RUNTIME_H_
