// AppendBuffer: the in-memory queue between EventStore::Append() and the
// writer thread. Events live in fixed-size chunks that are recycled together
// with their strings' buffers, so that in steady state an append is a
// copy-assignment into memory that is already allocated and touched: no
// malloc, no page fault. A new chunk is allocated and touched all at once,
// once per kChunkEvents appends. Each event travels with its arrival sequence
// number (EventStore::Append). Not thread-safe: the store guards it.
#ifndef EDGEFLOW_STORE_APPEND_BUFFER_H_
#define EDGEFLOW_STORE_APPEND_BUFFER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "edgeflow/event.h"

namespace edgeflow {

class AppendBuffer {
 public:
  static constexpr size_t kChunkEvents = 1024;
  static constexpr size_t kMaxSpareChunks = 16;

  struct Chunk {
    std::vector<Event> events = std::vector<Event>(kChunkEvents);
    std::vector<int64_t> seqs = std::vector<int64_t>(kChunkEvents);  // seqs[i] is events[i]'s
    size_t used = 0;
  };
  using Chunks = std::vector<std::unique_ptr<Chunk>>;

  void Push(const Event& e, int64_t seq);
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // The seq of the oldest queued event; requires !empty().
  int64_t front_seq() const { return chunks_.front()->seqs[0]; }

  // Moves every chunk out, oldest first.
  Chunks TakeAll();
  // Puts events back ahead of everything queued (a failed write's events).
  void PushFront(Chunks chunks);
  // Takes drained chunks back for reuse. Returns the ones beyond the spare
  // limit, for the caller to free outside its lock.
  Chunks Recycle(Chunks chunks);

 private:
  std::deque<std::unique_ptr<Chunk>> chunks_;
  std::vector<std::unique_ptr<Chunk>> spare_;
  size_t size_ = 0;
};

}  // namespace edgeflow

#endif  // EDGEFLOW_STORE_APPEND_BUFFER_H_
