// CheckpointWriter (checkpoint_writer.h).
#include "device/checkpoint_writer.h"

#include "core/logging.h"

namespace edgeflow {

CheckpointWriter::CheckpointWriter(EventStore* store) : store_(store), thread_([this] { Loop(); }) {}

CheckpointWriter::~CheckpointWriter() { Stop(); }

void CheckpointWriter::Post(const std::string& name, std::string blob) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stopping_) return;
    queued_[name] = std::move(blob);
  }
  cv_.notify_one();
}

void CheckpointWriter::Cancel(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  queued_.erase(name);
}

void CheckpointWriter::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

int64_t CheckpointWriter::written() const {
  std::lock_guard<std::mutex> l(mu_);
  return written_;
}

int64_t CheckpointWriter::failed() const {
  std::lock_guard<std::mutex> l(mu_);
  return failed_;
}

void CheckpointWriter::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  for (;;) {
    cv_.wait(l, [&] { return stopping_ || !queued_.empty(); });
    if (queued_.empty()) return;  // stopping, nothing left
    auto node = queued_.extract(queued_.begin());
    l.unlock();
    // The events a checkpoint includes must be durable before it is: else a
    // kill -9 leaves a checkpoint counting events the store lost, and a
    // restore would differ from a backfill of the same store.
    Status s = store_->Flush();
    if (s.ok()) s = store_->PutState(node.key(), node.mapped());
    if (!s.ok()) Log(LogLevel::kWarn, "checkpoint " + node.key() + ": " + s.ToString());
    l.lock();
    (s.ok() ? written_ : failed_) += 1;
  }
}

}  // namespace edgeflow
