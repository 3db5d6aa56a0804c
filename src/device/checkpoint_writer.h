// CheckpointWriter: writes pipeline checkpoints to the event store on its own
// thread, so that Track() never waits for a state blob to reach the disk. Only
// the newest blob per name is kept while the writer is busy. Each blob is
// written after a store Flush(), so a durable checkpoint never covers events
// that are not durable.
#ifndef EDGEFLOW_DEVICE_CHECKPOINT_WRITER_H_
#define EDGEFLOW_DEVICE_CHECKPOINT_WRITER_H_

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "store/event_store.h"

namespace edgeflow {

class CheckpointWriter {
 public:
  explicit CheckpointWriter(EventStore* store);
  ~CheckpointWriter();  // as Stop()

  // Queues `blob` as the checkpoint `name`, replacing a queued older one.
  void Post(const std::string& name, std::string blob);
  // Drops a queued checkpoint (the bundle was uninstalled).
  void Cancel(const std::string& name);
  // Writes what is queued, then stops the thread. Idempotent.
  void Stop();

  int64_t written() const;
  int64_t failed() const;

 private:
  void Loop();

  EventStore* const store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::string> queued_;  // guarded by mu_
  bool stopping_ = false;                      // guarded by mu_
  int64_t written_ = 0, failed_ = 0;           // guarded by mu_
  std::thread thread_;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_DEVICE_CHECKPOINT_WRITER_H_
