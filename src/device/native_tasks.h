// Native task bodies: the app's own C++ functions (RegisterNativeTask) and the
// four built-ins used by demos and tests.
//
//   native:echo      returns the triggering event as JSON, or extData for an API
//                    or chained call (no extData: an empty result)
//   native:count     number of events seen so far on the trigger's pageId
//   native:fail      always fails
//   native:sleep:MS  sleeps MS milliseconds, polling its cancellation token
//   native:<name>    the app function registered under <name>, looked up per run
//                    so that it may be registered after the bundle is installed
#ifndef EDGEFLOW_DEVICE_NATIVE_TASKS_H_
#define EDGEFLOW_DEVICE_NATIVE_TASKS_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "edgeflow/env.h"
#include "edgeflow/status.h"
#include "edgeflow/task.h"

namespace edgeflow {

// App-registered native functions by name. Thread-safe.
class NativeTaskRegistry {
 public:
  void Register(const std::string& name, NativeTaskFn fn);
  // Null when nothing is registered under `name`.
  std::shared_ptr<const NativeTaskFn> Find(const std::string& name) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<const NativeTaskFn>> fns_;  // guarded by mu_
};

// Returns the body for a task kind, or kInvalidArgument naming an unknown kind
// or a malformed built-in (e.g. "native:sleep:abc").
Result<std::shared_ptr<TaskBody>> MakeNativeBody(const std::string& kind,
                                                 std::shared_ptr<NativeTaskRegistry> registry,
                                                 Env* env);

}  // namespace edgeflow

#endif  // EDGEFLOW_DEVICE_NATIVE_TASKS_H_
