// KeyTable (src/pipeline/key_table.h): lookups, recency and eviction against a
// straightforward model (a map and a list) over a seeded random workload that
// adds, touches and evicts keys far past the index's growth points; state
// blocks built lazily per slot and destroyed with their key.
#include "pipeline/key_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <list>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace edgeflow::pipeline {
namespace {

std::vector<KeyTable::Slot> CountSlots(size_t n) {
  std::vector<KeyTable::Slot> slots;
  for (size_t i = 0; i < n; ++i) {
    WindowSpec all;
    AggParams agg;
    agg.op = i % 2 ? AggOp::kLastN : AggOp::kCount;
    slots.push_back({WindowStateBytes(all, agg), [all, agg](void* mem) { return NewWindowStateAt(mem, all, agg, 0); }});
  }
  return slots;
}

TEST(KeyTableTest, FindTouchAndRecency) {
  KeyTable t(CountSlots(2), 3);
  int64_t evicted = 0;
  EXPECT_EQ(t.Find("a"), KeyTable::kNone);
  const KeyTable::Id a = t.Touch("a", &evicted);
  const KeyTable::Id b = t.Touch("b", &evicted);
  EXPECT_EQ(t.Find("a"), a);
  EXPECT_EQ(t.Find("b"), b);
  EXPECT_EQ(t.Touch("a", &evicted), a);  // a is now the most recent
  t.Touch("c", &evicted);
  EXPECT_EQ(evicted, 0);
  t.Touch("d", &evicted);  // over 3 keys: b, the least recent, goes
  EXPECT_EQ(evicted, 1);
  EXPECT_EQ(t.Find("b"), KeyTable::kNone);
  std::vector<std::string> order;
  for (KeyTable::Id id : t.ByRecency()) order.push_back(t.key(id));
  EXPECT_EQ(order, (std::vector<std::string>{"a", "c", "d"}));
  EXPECT_EQ(t.size(), 3u);
}

TEST(KeyTableTest, StatesAreBuiltOnFirstUseAndKeptPerKey) {
  KeyTable t(CountSlots(3), 10);
  int64_t evicted = 0;
  const KeyTable::Id a = t.Touch("a", &evicted);
  EXPECT_EQ(t.State(a, 0), nullptr);
  WindowState* s = t.StateOrMake(a, 0);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(t.StateOrMake(a, 0), s);
  EXPECT_EQ(t.State(a, 1), nullptr);
  s->Add(Value(), 1, 1, 0, 1);
  s->Add(Value(), 2, 2, 0, 2);
  EXPECT_EQ(t.State(a, 0)->Result(2).scalar.i, 2);
  t.StateOrMake(a, 1)->Add(Value::Str(std::string(100, 'x')), 1, 1, 0, 1);  // heap memory freed with the key
  t.Clear();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.Find("a"), KeyTable::kNone);
}

// A random workload against a model; keys collide in the index and are evicted
// from the middle of probe runs, which backward-shift deletion must keep findable.
TEST(KeyTableTest, MatchesAModelUnderRandomWork) {
  for (int64_t max_keys : {1, 7, 100, 1000}) {
    KeyTable t(CountSlots(2), max_keys);
    std::list<std::string> lru;  // least recent first
    std::map<std::string, std::list<std::string>::iterator> where;
    std::mt19937 rng(static_cast<uint32_t>(max_keys));
    int64_t evicted = 0, model_evicted = 0;
    for (int step = 0; step < 20000; ++step) {
      const std::string key = "k" + std::to_string(rng() % static_cast<uint32_t>(3 * max_keys + 5));
      if (rng() % 4 == 0) {
        const bool present = where.count(key) > 0;
        ASSERT_EQ(t.Find(key) != KeyTable::kNone, present) << key << " at step " << step;
        continue;
      }
      const KeyTable::Id id = t.Touch(key, &evicted);
      t.StateOrMake(id, static_cast<size_t>(step % 2))->Add(Value::Str(key), step, step, 0, step);
      if (auto it = where.find(key); it != where.end()) lru.erase(it->second);
      lru.push_back(key);
      where[key] = std::prev(lru.end());
      if (static_cast<int64_t>(lru.size()) > max_keys) {
        where.erase(lru.front());
        lru.pop_front();
        ++model_evicted;
      }
      ASSERT_EQ(evicted, model_evicted) << "step " << step;
      ASSERT_EQ(t.size(), lru.size());
    }
    std::vector<std::string> got, want(lru.begin(), lru.end());
    for (KeyTable::Id id : t.ByRecency()) got.push_back(t.key(id));
    EXPECT_EQ(got, want) << "max_keys " << max_keys;
    for (const std::string& k : want) EXPECT_NE(t.Find(k), KeyTable::kNone) << k;
  }
}

}  // namespace
}  // namespace edgeflow::pipeline
