// String names of task errors, trigger kinds and queues, as used in JSON output.
#include "edgeflow/task.h"
#include "task/scheduler.h"

namespace edgeflow {

const char* TaskErrorName(TaskError error) {
  switch (error) {
    case TaskError::kFailed: return "failed";
    case TaskError::kTimeout: return "timeout";
    case TaskError::kCircuitOpen: return "circuit_open";
    case TaskError::kCancelled: return "cancelled";
    case TaskError::kCrashed: return "crashed";
    case TaskError::kNoSuchTask: return "no_such_task";
    case TaskError::kBadInput: return "bad_input";
  }
  return "failed";
}

const char* TriggerKindName(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::kEvent: return "event";
    case TriggerKind::kApi: return "api";
    case TriggerKind::kTimer: return "timer";
    case TriggerKind::kChain: return "chain";
    case TriggerKind::kPattern: return "pattern";
  }
  return "api";
}

const char* QueueKindName(QueueKind q) {
  switch (q) {
    case QueueKind::kCore: return "core";
    case QueueKind::kRegular: return "regular";
    case QueueKind::kLow: return "low";
  }
  return "regular";
}

Result<QueueKind> ParseQueueKind(std::string_view name) {
  if (name == "core") return QueueKind::kCore;
  if (name == "regular") return QueueKind::kRegular;
  if (name == "low") return QueueKind::kLow;
  return Status::InvalidArgument("unknown queue \"" + std::string(name) +
                                 "\" (expected core, regular or low)");
}

}  // namespace edgeflow
