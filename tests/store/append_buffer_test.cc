#include "store/append_buffer.h"

#include <gtest/gtest.h>

namespace edgeflow {
namespace {

Event Ev(int64_t ts) {
  Event e;
  e.type = "mta";
  e.page_id = "P";
  e.ts_ms = ts;
  e.props = R"({"a long enough props string":"to live on the heap"})";
  return e;
}

std::vector<int64_t> Timestamps(const AppendBuffer::Chunks& chunks) {
  std::vector<int64_t> out;
  for (const auto& c : chunks) {
    for (size_t i = 0; i < c->used; ++i) out.push_back(c->events[i].ts_ms);
  }
  return out;
}

std::vector<int64_t> Seqs(const AppendBuffer::Chunks& chunks) {
  std::vector<int64_t> out;
  for (const auto& c : chunks) {
    for (size_t i = 0; i < c->used; ++i) out.push_back(c->seqs[i]);
  }
  return out;
}

TEST(AppendBuffer, KeepsOrderAcrossChunks) {
  AppendBuffer b;
  const int n = static_cast<int>(AppendBuffer::kChunkEvents) * 2 + 5;
  for (int i = 0; i < n; ++i) b.Push(Ev(i), 100 + i);
  EXPECT_EQ(b.size(), static_cast<size_t>(n));
  EXPECT_EQ(b.front_seq(), 100);
  auto chunks = b.TakeAll();
  EXPECT_EQ(chunks.size(), 3u);
  EXPECT_TRUE(b.empty());
  auto ts = Timestamps(chunks);
  auto seqs = Seqs(chunks);
  ASSERT_EQ(ts.size(), static_cast<size_t>(n));
  ASSERT_EQ(seqs.size(), static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(ts[static_cast<size_t>(i)], i);
    EXPECT_EQ(seqs[static_cast<size_t>(i)], 100 + i);  // each seq stays with its event
  }
}

TEST(AppendBuffer, PushFrontPutsRetriesAheadOfNewerEvents) {
  AppendBuffer b;
  b.Push(Ev(1), 1);
  b.Push(Ev(2), 2);
  auto taken = b.TakeAll();
  b.Push(Ev(3), 3);
  AppendBuffer retry;
  retry.Push(Ev(2), 2);  // event 1 was written, event 2 was not
  b.PushFront(retry.TakeAll());
  EXPECT_EQ(b.size(), 2u);
  EXPECT_EQ(b.front_seq(), 2);
  auto all = b.TakeAll();
  EXPECT_EQ(Timestamps(all), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Seqs(all), (std::vector<int64_t>{2, 3}));
}

TEST(AppendBuffer, RecyclesChunksAndReturnsTheExcess) {
  AppendBuffer b;
  for (size_t i = 0; i < AppendBuffer::kChunkEvents * (AppendBuffer::kMaxSpareChunks + 2); ++i) b.Push(Ev(1), 1);
  auto chunks = b.TakeAll();
  const AppendBuffer::Chunk* first = chunks.front().get();
  auto excess = b.Recycle(std::move(chunks));
  EXPECT_EQ(excess.size(), 2u);
  // The next append reuses a recycled chunk, overwriting its old event.
  b.Push(Ev(42), 7);
  auto again = b.TakeAll();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0]->used, 1u);
  EXPECT_EQ(again[0]->events[0].ts_ms, 42);
  EXPECT_EQ(again[0]->seqs[0], 7);
  (void)first;
}

}  // namespace
}  // namespace edgeflow
