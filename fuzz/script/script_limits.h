// Limits for running fuzzed script programs: small enough that a generated
// infinite loop or allocation spree ends in milliseconds.
#ifndef EDGEFLOW_FUZZ_SCRIPT_SCRIPT_LIMITS_H_
#define EDGEFLOW_FUZZ_SCRIPT_SCRIPT_LIMITS_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "script/code.h"
#include "script/vm.h"

namespace edgeflow::script {

inline void RunUnderTinyLimits(std::shared_ptr<const Program> program) {
  Limits limits;
  limits.memory_bytes = 4 << 20;
  limits.instructions = 20000;
  limits.max_depth = 100;
  // Waiting natives (time.sleep) are bounded by cancellation only, as on a
  // device where the task watchdog cancels: a run still going after a second
  // is cancelled, so that a mutated sleep length is not reported as a hang.
  CancellationToken cancel;
  limits.cancel = &cancel;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;  // guarded by mu
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(1), [&] { return done; })) cancel.Cancel();
  });
  {
    VM vm(std::move(program), limits);
    vm.out_cap = 1 << 16;  // output past this is dropped
    (void)vm.RunMain();
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    done = true;
  }
  cv.notify_one();
  watchdog.join();
}

}  // namespace edgeflow::script

#endif  // EDGEFLOW_FUZZ_SCRIPT_SCRIPT_LIMITS_H_
