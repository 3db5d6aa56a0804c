#include "script/stack_guard.h"

#include <pthread.h>

#include <algorithm>
#include <cstddef>

namespace edgeflow::script {

namespace {
// Stack kept free below the last check: one level of native work (formatting,
// a sort's merge step, a regex match) fits many times over. Sanitizers make
// frames several times larger.
#ifdef EDGEFLOW_SANITIZE
constexpr size_t kReserve = 512 << 10;
#else
constexpr size_t kReserve = 128 << 10;
#endif
}  // namespace

uintptr_t ThreadStackLimit() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return 0;
  void* low = nullptr;
  size_t size = 0;
  int rc = pthread_attr_getstack(&attr, &low, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || low == nullptr || size == 0) return 0;
  // A small stack keeps three quarters of itself for recursion.
  size_t reserve = std::min(kReserve, size / 4);
  return reinterpret_cast<uintptr_t>(low) + reserve;
}

}  // namespace edgeflow::script
