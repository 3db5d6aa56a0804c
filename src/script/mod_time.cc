// The time module: wall clock, monotonic and performance counters, and sleep
// (which wakes early for the context's cancellation token).
#include <chrono>
#include <cmath>
#include <thread>

#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

int64_t Nanos(std::chrono::nanoseconds d) { return d.count(); }

Value T_time(VM& vm, Value*, int n, TupleObj*) {
  CheckArgs(vm, "time", n, 0, 0);
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return Value::Float(static_cast<double>(Nanos(now)) / 1e9);
}

Value T_time_ns(VM& vm, Value*, int n, TupleObj*) {
  CheckArgs(vm, "time_ns", n, 0, 0);
  return Value::Int(Nanos(std::chrono::system_clock::now().time_since_epoch()));
}

Value T_monotonic(VM& vm, Value*, int n, TupleObj*) {
  CheckArgs(vm, "monotonic", n, 0, 0);
  auto now = std::chrono::steady_clock::now().time_since_epoch();
  return Value::Float(static_cast<double>(Nanos(now)) / 1e9);
}

Value T_monotonic_ns(VM& vm, Value*, int n, TupleObj*) {
  CheckArgs(vm, "monotonic_ns", n, 0, 0);
  return Value::Int(Nanos(std::chrono::steady_clock::now().time_since_epoch()));
}

Value T_process_time(VM& vm, Value*, int n, TupleObj*) {
  CheckArgs(vm, "process_time", n, 0, 0);
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return Value::Float(static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9);
}

// The sleep length in nanoseconds, converted as CPython's _PyTime_FromObject does
// (round away from zero, the result must fit a signed 64-bit nanosecond count):
// ValueError for NaN, OverflowError outside that range, TypeError for a
// non-number. Checked before the sign, as CPython does.
int64_t SleepNanos(VM& vm, const Value& v) {
  constexpr char kTooLarge[] = "timestamp too large to convert to C _PyTime_t";
  if (v.tag == Tag::kFloat) {
    if (std::isnan(v.f)) ValueError(vm, "Invalid value NaN (not a number)");
    double ns = v.f * 1e9;
    ns = ns >= 0 ? std::ceil(ns) : std::floor(ns);
    // 2^63 is exact as a double; [-2^63, 2^63) is what an int64_t holds.
    if (!(ns >= -9223372036854775808.0 && ns < 9223372036854775808.0)) {
      Raise(vm, T().OverflowError, kTooLarge);
    }
    return static_cast<int64_t>(ns);
  }
  int64_t secs = IndexValue(vm, v);
  int64_t ns = 0;
  if (__builtin_mul_overflow(secs, int64_t{1000000000}, &ns)) Raise(vm, T().OverflowError, kTooLarge);
  return ns;
}

Value T_sleep(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "sleep", n, 1, 1);
  int64_t ns = SleepNanos(vm, a[0]);
  if (ns < 0) ValueError(vm, "sleep length must be non-negative");
  // Saturates: now() plus up to 2^63 ns could overflow the clock's count.
  auto now = std::chrono::steady_clock::now();
  auto max_wait = std::chrono::steady_clock::time_point::max() - now;
  auto wait = std::chrono::nanoseconds(ns);
  auto deadline = wait >= max_wait ? std::chrono::steady_clock::time_point::max() : now + wait;
  // Sleeps in short slices so that a cancelled task stops promptly.
  while (std::chrono::steady_clock::now() < deadline) {
    if (vm.limits.cancel != nullptr && vm.limits.cancel->cancelled()) {
      RaiseFatal(vm, Status::Cancelled("script cancelled"));
    }
    auto left = deadline - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(left, std::chrono::milliseconds(5)));
  }
  return Value::None();
}

}  // namespace

ModuleObj* MakeTimeModule() {
  ModuleObj* m = NewLibraryModule("time");
  AddFunction(m, "time", T_time);
  AddFunction(m, "time_ns", T_time_ns);
  AddFunction(m, "monotonic", T_monotonic);
  AddFunction(m, "monotonic_ns", T_monotonic_ns);
  AddFunction(m, "perf_counter", T_monotonic);
  AddFunction(m, "perf_counter_ns", T_monotonic_ns);
  AddFunction(m, "process_time", T_process_time);
  AddFunction(m, "sleep", T_sleep);
  return m;
}

}  // namespace edgeflow::script
