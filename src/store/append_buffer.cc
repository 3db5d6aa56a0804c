// AppendBuffer: chunk allocation, hand-over and recycling.
#include "store/append_buffer.h"

namespace edgeflow {

void AppendBuffer::Push(const Event& e, int64_t seq) {
  if (chunks_.empty() || chunks_.back()->used == kChunkEvents) {
    if (!spare_.empty()) {
      chunks_.push_back(std::move(spare_.back()));
      spare_.pop_back();
    } else {
      chunks_.push_back(std::make_unique<Chunk>());
    }
  }
  Chunk& c = *chunks_.back();
  c.seqs[c.used] = seq;
  c.events[c.used++] = e;  // copy-assign: reuses the slot's string capacity
  ++size_;
}

AppendBuffer::Chunks AppendBuffer::TakeAll() {
  Chunks out;
  out.reserve(chunks_.size());
  for (auto& c : chunks_) out.push_back(std::move(c));
  chunks_.clear();
  size_ = 0;
  return out;
}

void AppendBuffer::PushFront(Chunks chunks) {
  for (auto it = chunks.rbegin(); it != chunks.rend(); ++it) {
    size_ += (*it)->used;
    chunks_.push_front(std::move(*it));
  }
}

AppendBuffer::Chunks AppendBuffer::Recycle(Chunks chunks) {
  Chunks excess;
  for (auto& c : chunks) {
    c->used = 0;
    if (spare_.size() < kMaxSpareChunks) {
      spare_.push_back(std::move(c));
    } else {
      excess.push_back(std::move(c));
    }
  }
  return excess;
}

}  // namespace edgeflow
