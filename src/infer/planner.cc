// Memory planner: record, pack liveness intervals, replay.
#include "infer/planner.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace edgeflow::infer {
namespace {

constexpr size_t kAlign = 64;
constexpr int32_t kSlotWrap = int32_t{1} << 30;
constexpr size_t kMaxPlans = 16;

size_t AlignUp(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

}  // namespace

MemoryPlanner::MemoryPlanner() = default;

MemoryPlanner::~MemoryPlanner() {
  if (arena_) ::operator delete[](arena_, std::align_val_t(kAlign));
}

void MemoryPlanner::BeginRun(const std::string& signature) {
  diverged_ = false;
  pos_ = 0;
  next_slot_ = 0;
  if (base_ >= kSlotWrap) base_ = 0;
  auto it = plans_.find(signature);
  if (it == plans_.end()) {
    if (plans_.size() >= kMaxPlans) plans_.clear();  // many shapes: start over rather than grow without bound
    it = plans_.emplace(signature, Plan()).first;
  }
  current_ = &it->second;
  if (current_->failures >= 2) {
    mode_ = Mode::kOff;  // keeps diverging: data-dependent shapes, heap only
  } else if (current_->events.empty()) {
    recording_.clear();
    mode_ = Mode::kRecord;
  } else {
    mode_ = Mode::kReplay;
    stats_.planned_peak_bytes = current_->peak_bytes;
  }
}

void MemoryPlanner::EndRun(bool completed) {
  if (!completed) {
    if (mode_ == Mode::kRecord) recording_.clear();  // a partial recording is no plan
  } else if (mode_ == Mode::kRecord) {
    current_->events = std::move(recording_);
    recording_.clear();
    Pack(current_);
    ++stats_.plans;
    stats_.planned_peak_bytes = current_->peak_bytes;
    if (current_->peak_bytes > stats_.arena_bytes) {
      if (arena_) ::operator delete[](arena_, std::align_val_t(kAlign));
      arena_ = static_cast<uint8_t*>(::operator new[](current_->peak_bytes, std::align_val_t(kAlign)));
      stats_.arena_bytes = current_->peak_bytes;
    }
  } else if (mode_ == Mode::kReplay && diverged_) {
    ++stats_.divergences;
    ++current_->failures;
    current_->events.clear();  // the next run of this signature records again
    current_->offsets.clear();
  }
  base_ += next_slot_;
  mode_ = Mode::kOff;
  current_ = nullptr;
}

uint8_t* MemoryPlanner::Allocate(size_t bytes, bool zero, int32_t* slot) {
  *slot = -1;
  if (mode_ == Mode::kRecord) {
    int32_t local = next_slot_++;
    recording_.push_back({true, local, bytes});
    *slot = base_ + local;
    return nullptr;  // recorded runs use the heap
  }
  if (mode_ != Mode::kReplay || diverged_) return nullptr;
  const auto& ev = current_->events;
  if (pos_ >= ev.size() || !ev[pos_].alloc || ev[pos_].bytes != bytes) {
    diverged_ = true;
    return nullptr;
  }
  int32_t local = ev[pos_].slot;
  ++pos_;
  ++next_slot_;
  *slot = base_ + local;
  uint8_t* p = arena_ + current_->offsets[static_cast<size_t>(local)];
  if (zero) std::memset(p, 0, bytes);
  return p;
}

void MemoryPlanner::Release(int32_t slot) {
  int32_t local = slot - base_;
  if (local < 0 || local >= next_slot_) return;  // not from this run
  if (mode_ == Mode::kRecord) {
    recording_.push_back({false, local, 0});
    return;
  }
  if (mode_ != Mode::kReplay || diverged_) return;
  const auto& ev = current_->events;
  if (pos_ < ev.size() && !ev[pos_].alloc && ev[pos_].slot == local) {
    ++pos_;
  } else {
    diverged_ = true;
  }
}

void MemoryPlanner::Pack(Plan* plan) {
  const auto& ev = plan->events;
  size_t n = 0;
  for (const auto& e : ev) n += e.alloc ? 1 : 0;
  std::vector<size_t> begin(n, 0), end(n, ev.size()), bytes(n, 0);
  for (size_t t = 0; t < ev.size(); ++t) {
    auto s = static_cast<size_t>(ev[t].slot);
    if (ev[t].alloc) {
      begin[s] = t;
      bytes[s] = AlignUp(std::max<size_t>(ev[t].bytes, 1));
    } else {
      end[s] = t;
    }
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return bytes[a] > bytes[b]; });
  plan->offsets.assign(n, 0);
  std::vector<size_t> placed;
  size_t peak = 0;
  for (size_t s : order) {
    // Address ranges of placed tensors live at the same time, by offset.
    std::vector<std::pair<size_t, size_t>> busy;
    for (size_t p : placed) {
      if (begin[p] < end[s] && begin[s] < end[p]) busy.push_back({plan->offsets[p], plan->offsets[p] + bytes[p]});
    }
    std::sort(busy.begin(), busy.end());
    size_t off = 0;
    for (const auto& [lo, hi] : busy) {
      if (off + bytes[s] <= lo) break;
      off = std::max(off, hi);
    }
    plan->offsets[s] = off;
    peak = std::max(peak, off + bytes[s]);
    placed.push_back(s);
  }
  plan->peak_bytes = peak;
}

}  // namespace edgeflow::infer
