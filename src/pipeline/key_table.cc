// KeyTable: open-addressing index over records, state blocks, and recency
// as a queue of touch stamps (key_table.h).
#include "pipeline/key_table.h"

#include <cstring>
#include <new>

namespace edgeflow::pipeline {
namespace {

constexpr size_t kFirstIndexSize = 16;

size_t RoundUp(size_t n) { return (n + kStateAlign - 1) / kStateAlign * kStateAlign; }

}  // namespace

KeyTable::KeyTable(std::vector<Slot> slots, int64_t max_keys)
    : slots_(std::move(slots)), max_keys_(max_keys), index_(kFirstIndexSize) {
  block_bytes_ = RoundUp(slots_.size());  // one "built" flag per slot
  for (const Slot& s : slots_) {
    offsets_.push_back(block_bytes_);
    block_bytes_ += RoundUp(s.bytes);
  }
}

KeyTable::~KeyTable() { Clear(); }

KeyTable::KeyTable(KeyTable&&) noexcept = default;

uint64_t KeyTable::Hash(std::string_view key) { return std::hash<std::string_view>()(key); }

size_t KeyTable::Probe(std::string_view key, uint64_t hash) const {
  const size_t mask = index_.size() - 1;
  const uint32_t tag = static_cast<uint32_t>(hash >> 32);
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const IndexSlot& s = index_[i];
    if (s.rec == kNone) return i;
    if (s.tag == tag && recs_[s.rec].hash == hash && recs_[s.rec].key == key) return i;
  }
}

KeyTable::Id KeyTable::Find(std::string_view key) const {
  return index_[Probe(key, Hash(key))].rec;
}

KeyTable::Id KeyTable::Touch(std::string_view key, int64_t* evicted) {
  const uint64_t hash = Hash(key);
  size_t pos = Probe(key, hash);
  Id id = index_[pos].rec;
  if (id == kNone) {
    if ((size_ + 1) * 4 > index_.size() * 3) {
      GrowIndex();
      pos = Probe(key, hash);
    }
    if (free_.empty()) {
      id = static_cast<Id>(recs_.size());
      recs_.emplace_back();
    } else {
      id = free_.back();
      free_.pop_back();
    }
    Rec& r = recs_[id];
    r.key.assign(key);
    r.hash = hash;
    r.block = static_cast<unsigned char*>(::operator new(block_bytes_, std::align_val_t{kStateAlign}));
    std::memset(r.block, 0, slots_.size());
    index_[pos] = IndexSlot{id, static_cast<uint32_t>(hash >> 32)};
    ++size_;
  }
  recs_[id].touched = ++clock_;
  recency_.emplace_back(clock_, id);
  if (static_cast<int64_t>(size_) > max_keys_) {
    while (recs_[recency_.front().second].touched != recency_.front().first) recency_.pop_front();
    Evict(recency_.front().second);  // the least recent: not `id`, touched just now
    recency_.pop_front();
    ++*evicted;
  }
  if (recency_.size() > 2 * size_ + 1024) CompactRecency();
  return id;
}

void KeyTable::GrowIndex() {
  std::vector<IndexSlot> old = std::move(index_);
  index_.assign(old.size() * 2, IndexSlot{});
  const size_t mask = index_.size() - 1;
  for (const IndexSlot& s : old) {
    if (s.rec == kNone) continue;
    size_t i = static_cast<size_t>(recs_[s.rec].hash) & mask;
    while (index_[i].rec != kNone) i = (i + 1) & mask;
    index_[i] = s;
  }
}

// Backward-shift deletion: later slots of the probe run move up, so lookups
// never need tombstones.
void KeyTable::EraseFromIndex(size_t pos) {
  const size_t mask = index_.size() - 1;
  size_t hole = pos;
  for (size_t i = (pos + 1) & mask; index_[i].rec != kNone; i = (i + 1) & mask) {
    const size_t home = static_cast<size_t>(recs_[index_[i].rec].hash) & mask;
    // The entry at i may fill the hole when its home is not in (hole, i].
    if (((i - home) & mask) >= ((i - hole) & mask)) {
      index_[hole] = index_[i];
      hole = i;
    }
  }
  index_[hole] = IndexSlot{};
}

// Destroys the states a key built and frees its block.
void KeyTable::FreeBlock(Id id) {
  for (size_t slot = 0; slot < slots_.size(); ++slot) {
    if (recs_[id].block[slot]) State(id, slot)->~WindowState();
  }
  ::operator delete(recs_[id].block, std::align_val_t{kStateAlign});
}

void KeyTable::Evict(Id id) {
  Rec& r = recs_[id];
  EraseFromIndex(Probe(r.key, r.hash));
  FreeBlock(id);
  r = Rec();
  free_.push_back(id);
  --size_;
}

void KeyTable::CompactRecency() {
  std::deque<std::pair<uint64_t, Id>> live;
  for (const auto& [stamp, id] : recency_) {
    if (recs_[id].touched == stamp) live.emplace_back(stamp, id);
  }
  recency_ = std::move(live);
}

std::vector<KeyTable::Id> KeyTable::ByRecency() const {
  std::vector<Id> out;
  out.reserve(size_);
  for (const auto& [stamp, id] : recency_) {
    if (recs_[id].touched == stamp) out.push_back(id);
  }
  return out;
}

size_t KeyTable::ApproxBytes() const {
  size_t b = index_.capacity() * sizeof(IndexSlot) + recs_.capacity() * sizeof(Rec) +
             recency_.size() * sizeof(recency_.front()) + size_ * block_bytes_;
  for (const Rec& r : recs_) {
    if (r.key.capacity() > 15) b += r.key.capacity() + 1;  // beyond the short-string buffer
  }
  return b;
}

void KeyTable::Clear() {
  for (Id id = 0; id < recs_.size(); ++id) {
    if (recs_[id].touched) FreeBlock(id);
  }
  recs_.clear();
  free_.clear();
  index_.assign(kFirstIndexSize, IndexSlot{});
  size_ = 0;
  recency_.clear();
  clock_ = 0;
}

}  // namespace edgeflow::pipeline
