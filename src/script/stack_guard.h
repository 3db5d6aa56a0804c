// How much C++ stack the running thread has left. Everything in the VM that
// recurses in C++ (nested calls from natives back into Python, ==, < and repr
// over nested containers, hashing nested tuples, the regex parser) asks
// StackNearlyExhausted() at each level and raises RecursionError when it says
// yes, so deep input ends the script cleanly whatever stack size the host gave
// its thread (8 MiB on a desktop main thread, 512 KiB on many mobile workers).
#ifndef EDGEFLOW_SCRIPT_STACK_GUARD_H_
#define EDGEFLOW_SCRIPT_STACK_GUARD_H_

#include <cstdint>

namespace edgeflow::script {

// The lowest stack address this thread may reach before recursion must stop:
// the end of its stack plus a reserve for the non-recursive work done between
// two checks. Computed once per thread; 0 when the OS cannot tell (then only
// the depth counters limit recursion).
uintptr_t ThreadStackLimit();

inline bool StackNearlyExhausted() {
  thread_local uintptr_t limit = ThreadStackLimit();
  return reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < limit;
}

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_STACK_GUARD_H_
