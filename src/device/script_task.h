// Script task bodies: a bundle task of kind "script:FILE:FUNCTION" runs
// FUNCTION of the compiled script FILE (a .pyc in the bundle directory; a .py
// only when the runtime was given a compiler, as the CLI does). Each instance
// runs in a fresh script context over the program shared by all instances,
// so instances are isolated and run in parallel.
//
// The function is called with one dict:
//   {"task": name, "instance": id, "trigger": "event"|"api"|"timer"|"chain",
//    "event": {...} or None, "extData": parsed JSON or None,
//    "upstream": {task: parsed result, ...}}
// and its return value (JSON-compatible, tensors as nested lists) is the
// instance's result; None is the empty result (onComplete()).
//
// Scripts reach the device through `import edgeflow`: edgeflow.Tensor and the
// tensor helpers, plus log(*values), now() (ms since the epoch), query(sql,
// max_rows=1000) -> list of row dicts, events(from_ms, to_ms, type="",
// page="", limit=1000) -> list of event dicts (every event tracked before the
// call, oldest first), emit(topic, value) (delivered to
// the topic's subscribers), run_model(path, inputs) -> {output: Tensor}
// (an .efm model in the bundle, inputs and outputs shared without copying).
#ifndef EDGEFLOW_DEVICE_SCRIPT_TASK_H_
#define EDGEFLOW_DEVICE_SCRIPT_TASK_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "edgeflow/env.h"
#include "edgeflow/runtime.h"
#include "edgeflow/script.h"
#include "edgeflow/task.h"

namespace edgeflow {

class MetricsRegistry;

// What the runtime lends to script tasks (all thread-safe).
struct ScriptServices {
  Env* env = nullptr;
  std::function<Result<SqlRows>(const std::string& select, size_t max_rows)> sql;
  std::function<Result<std::vector<Event>>(int64_t from_ms, int64_t to_ms, const std::string& type,
                                           const std::string& page_id, size_t limit)>
      events;
  std::function<void(const std::string& topic, const std::string& value_json)> emit;
  // The bundle's features (docs/features.md): one value, or every feature for
  // a key, as JSON. Null: the bundle defines no features.
  std::function<Result<std::string>(const std::string& name, const std::string& key)> feature;
  std::function<Result<std::string>(const std::string& key)> features;
  // Compiles .py sources (toolchain builds only); null: only .pyc files load.
  std::function<Result<std::shared_ptr<const ScriptProgram>>(std::string_view source,
                                                            const std::string& filename)>
      compile;
  int64_t memory_bytes = 32ll << 20;  // heap cap of one instance's context
  // The runtime's registry: models count their backend fallbacks there
  // (infer.fallbacks.prepare, infer.fallbacks.run). Null: not counted.
  MetricsRegistry* metrics = nullptr;
};

// True when `kind` names a script body ("script:...").
bool IsScriptKind(const std::string& kind);

// Loads and checks the script of a "script:FILE:FUNCTION" kind: the file is
// read from `bundle_dir`, verified, its module body run once in a scratch
// context, and FUNCTION must then be a callable global. Errors name the file
// and what was wrong.
Result<std::shared_ptr<TaskBody>> MakeScriptBody(const std::string& kind,
                                                 const std::string& bundle_dir,
                                                 std::shared_ptr<const ScriptServices> services);

}  // namespace edgeflow

#endif  // EDGEFLOW_DEVICE_SCRIPT_TASK_H_
