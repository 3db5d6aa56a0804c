// CrashMarkers: a durable record of which task instances are running, so that
// the next process learns which task killed this one.
//
// The file is a fixed array of slots mapped MAP_SHARED. Begin() writes a slot
// before the body runs and End() clears it after; both are plain memory
// stores, so they cost nanoseconds. Because the mapping is shared with the page
// cache, the writes survive the process being killed (SIGKILL, abort, a crash
// in native code) but not a crash of the OS itself, which needs no attribution.
//
// Slot layout (128 bytes): u32 magic 'EFCM' when in use, u32 trigger kind,
// char task[60], char instance[60] (NUL-terminated, truncated if longer).
#ifndef EDGEFLOW_TASK_CRASH_MARKERS_H_
#define EDGEFLOW_TASK_CRASH_MARKERS_H_

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "edgeflow/status.h"
#include "task/scheduler.h"

namespace edgeflow {

class CrashMarkers {
 public:
  static constexpr size_t kSlots = 256;
  static constexpr size_t kSlotBytes = 128;

  // Maps `path` (created if missing). Markers left by the previous process are
  // returned by Leftovers() and then cleared.
  static Result<std::unique_ptr<CrashMarkers>> Open(const std::string& path);
  ~CrashMarkers();

  const std::vector<CrashRecord>& Leftovers() const { return leftovers_; }

  // Returns the slot used, or -1 when all slots are busy (the run then goes
  // unrecorded; a warning is logged once).
  int Begin(const std::string& task, const std::string& instance, TriggerKind trigger);
  void End(int slot);

 private:
  CrashMarkers() = default;
  char* base_ = nullptr;  // kSlots * kSlotBytes mapped bytes
  int fd_ = -1;
  std::vector<CrashRecord> leftovers_;
  std::mutex mu_;
  std::vector<bool> busy_ = std::vector<bool>(kSlots, false);  // guarded by mu_
  bool warned_full_ = false;                                   // guarded by mu_
};

}  // namespace edgeflow

#endif  // EDGEFLOW_TASK_CRASH_MARKERS_H_
