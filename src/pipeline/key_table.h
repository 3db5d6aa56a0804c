// KeyTable: the keys of one keyBy group and, per key, the window states of
// the group's features (pipeline.cc). Each key's states live in one block laid
// out when the table is made, so an event touches one contiguous block per
// group rather than an object per feature scattered over the heap; keys are
// found through an open-addressing index. Once there are more than max_keys
// keys, the least recently touched one is evicted.
//
//   KeyTable t(slots, 100000);
//   KeyTable::Id id = t.Touch("u1", &evicted);       // finds or adds, most recent
//   WindowState* s = t.StateOrMake(id, 3);            // slot 3, built on first use
//   t.Find("u1");                                    // no recency change
//
// Ids stay valid until the key is evicted or the table cleared.
#ifndef EDGEFLOW_PIPELINE_KEY_TABLE_H_
#define EDGEFLOW_PIPELINE_KEY_TABLE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/window.h"

namespace edgeflow::pipeline {

class KeyTable {
 public:
  using Id = uint32_t;
  static constexpr Id kNone = UINT32_MAX;

  // How one slot's state is made: its bytes (WindowStateBytes) and a builder
  // in place (NewWindowStateAt).
  struct Slot {
    size_t bytes = 0;
    std::function<WindowState*(void* mem)> make;
  };

  KeyTable(std::vector<Slot> slots, int64_t max_keys);
  ~KeyTable();
  KeyTable(KeyTable&&) noexcept;
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;

  // The key's id, or kNone. Does not count as a touch.
  Id Find(std::string_view key) const;
  // Finds or adds `key` and makes it the most recently touched. Adding past
  // max_keys evicts the least recently touched key (never this one) and
  // increments *evicted.
  Id Touch(std::string_view key, int64_t* evicted);

  // The slot's state of a key: null until StateOrMake built it.
  WindowState* State(Id id, size_t slot) const {
    const unsigned char* b = recs_[id].block;
    return b[slot] ? reinterpret_cast<WindowState*>(const_cast<unsigned char*>(b) + offsets_[slot]) : nullptr;
  }
  WindowState* StateOrMake(Id id, size_t slot) {
    unsigned char* b = recs_[id].block;
    if (!b[slot]) {
      slots_[slot].make(b + offsets_[slot]);
      b[slot] = 1;
    }
    return reinterpret_cast<WindowState*>(b + offsets_[slot]);
  }

  // Starts loading the slot's state into the cache (its first and last
  // line), so that the misses of the several states one event updates
  // overlap instead of queueing behind each other's virtual calls.
  void Prefetch(Id id, size_t slot) const {
    const unsigned char* s = recs_[id].block + offsets_[slot];
    __builtin_prefetch(s, 1);
    __builtin_prefetch(s + slots_[slot].bytes - 1, 1);
  }

  const std::string& key(Id id) const { return recs_[id].key; }
  size_t size() const { return size_; }
  size_t slot_count() const { return slots_.size(); }
  // Every key's id, least recently touched first.
  std::vector<Id> ByRecency() const;
  // Bytes of the table itself: index, records, keys and state blocks (the
  // states' own heap memory is their ApproxBytes beyond their slot's bytes).
  size_t ApproxBytes() const;
  size_t slot_bytes(size_t slot) const { return slots_[slot].bytes; }
  void Clear();

 private:
  struct Rec {
    std::string key;
    uint64_t hash = 0;
    uint64_t touched = 0;  // 0: free
    unsigned char* block = nullptr;  // slot flags, then the states at offsets_
  };
  struct IndexSlot {
    Id rec = kNone;
    uint32_t tag = 0;  // high hash bits: most mismatches never read the record
  };

  static uint64_t Hash(std::string_view key);
  size_t Probe(std::string_view key, uint64_t hash) const;  // index slot of key, or an empty one
  void GrowIndex();
  void EraseFromIndex(size_t pos);
  void FreeBlock(Id id);
  void Evict(Id id);
  void CompactRecency();

  std::vector<Slot> slots_;
  std::vector<size_t> offsets_;  // per slot, into a block
  size_t block_bytes_ = 0;
  int64_t max_keys_;

  std::vector<Rec> recs_;
  std::vector<Id> free_;
  std::vector<IndexSlot> index_;  // power-of-two size, at most 3/4 full
  size_t size_ = 0;
  // Touches in order, (stamp, id); a pair is stale when the record was touched
  // again since. The front live pair is the least recently touched key.
  std::deque<std::pair<uint64_t, Id>> recency_;
  uint64_t clock_ = 0;
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_KEY_TABLE_H_
