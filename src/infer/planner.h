// MemoryPlanner: the static memory plan of a run. The first run for a given
// input-shape signature is recorded: every tensor allocation and release, in
// order. Its liveness intervals are then packed into one arena (largest
// first, each at the lowest 64-byte aligned offset that does not overlap a
// tensor live at the same time); later runs with the same signature replay
// the plan with no heap allocation on the hot path. Plans are cached per
// signature (a new batch size or candidate count plans once).
//
// Replay checks each event against the recording; at the first difference
// (a data-dependent shape) the rest of the run uses the heap, so a stale
// plan never hands out memory that is still live, and the plan is redone.
#ifndef EDGEFLOW_INFER_PLANNER_H_
#define EDGEFLOW_INFER_PLANNER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "infer/tensor.h"

namespace edgeflow::infer {

struct PlannerStats {
  size_t planned_peak_bytes = 0;  // arena size of the current signature's plan
  size_t arena_bytes = 0;         // arena capacity (largest plan so far)
  int plans = 0;                  // plans made
  int divergences = 0;            // replays that found a different allocation sequence
};

class MemoryPlanner : public TensorAllocator {
 public:
  MemoryPlanner();
  ~MemoryPlanner() override;

  // Brackets one run; all tensors allocated in it must be gone by EndRun.
  // A run that did not complete (error, cancellation) leaves no plan behind.
  void BeginRun(const std::string& signature);
  void EndRun(bool completed = true);

  uint8_t* Allocate(size_t bytes, bool zero, int32_t* slot) override;
  void Release(int32_t slot) override;

  const PlannerStats& stats() const { return stats_; }

 private:
  struct Event {
    bool alloc;
    int32_t slot;  // run-local index of the allocation
    size_t bytes;
  };
  struct Plan {
    std::vector<Event> events;
    std::vector<size_t> offsets;  // by slot
    size_t peak_bytes = 0;
    int failures = 0;  // replays that diverged; after two, the signature runs on the heap
  };
  enum class Mode { kOff, kRecord, kReplay };

  static void Pack(Plan* plan);

  std::map<std::string, Plan> plans_;
  Plan* current_ = nullptr;
  Mode mode_ = Mode::kOff;
  std::vector<Event> recording_;
  int32_t next_slot_ = 0;  // run-local
  int32_t base_ = 0;       // slots handed out in this run are base_ + local index
  size_t pos_ = 0;         // replay position in current_->events
  bool diverged_ = false;
  uint8_t* arena_ = nullptr;  // 64-byte aligned
  PlannerStats stats_;
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_PLANNER_H_
