// The memory planner: record once per input shape, replay from the arena,
// overlapping lifetimes never share memory, divergent runs fall back safely.
#include <gtest/gtest.h>

#include "infer/interpreter.h"
#include "infer/planner.h"

namespace edgeflow::infer {
namespace {

// y = Sigmoid(Relu(x) + x) * x: values with overlapping lifetimes.
Graph Chain() {
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {-1, 4}});
  g.outputs.push_back({"y", DType::kFloat32, {-1, 4}});
  g.nodes = {Node{"r", "Relu", {"x"}, {"a"}, {}, 13}, Node{"add", "Add", {"a", "x"}, {"b"}, {}, 13},
             Node{"s", "Sigmoid", {"b"}, {"c"}, {}, 13}, Node{"m", "Mul", {"c", "x"}, {"y"}, {}, 13}};
  return g;
}

Tensor Input(int64_t rows, float scale) {
  Tensor x(DType::kFloat32, {rows, 4});
  for (int64_t i = 0; i < x.size(); ++i) x.data<float>()[i] = scale * static_cast<float>(i % 7 - 3);
  return x;
}

TEST(Planner, ReplaysThePlanAndMatchesTheRecordedRun) {
  Graph g = Chain();
  Interpreter interp(g, {1, false});
  auto first = interp.Run({{"x", Input(3, 0.5f)}});
  ASSERT_TRUE(first.ok());
  for (int i = 0; i < 3; ++i) {
    auto again = interp.Run({{"x", Input(3, 0.5f)}});
    ASSERT_TRUE(again.ok());
    const Tensor &a = first->at("y"), &b = again->at("y");
    ASSERT_EQ(a.shape(), b.shape());
    for (int64_t k = 0; k < a.size(); ++k) EXPECT_EQ(a.data<float>()[k], b.data<float>()[k]);
    EXPECT_FALSE(b.is_view());
  }
  auto s = interp.stats().memory;
  EXPECT_EQ(s.plans, 1);
  EXPECT_EQ(s.divergences, 0);
  // Input copy, a, b, c and y are 48 bytes each, padded to 64; not all live at once.
  EXPECT_GT(s.planned_peak_bytes, 0u);
  EXPECT_LT(s.planned_peak_bytes, 5u * 64u);
}

TEST(Planner, NewLeadingDimensionPlansOnceAndIsCached) {
  Graph g = Chain();
  Interpreter interp(g, {1, false});
  for (int round = 0; round < 3; ++round) {
    for (int64_t rows : {1, 5, 9}) ASSERT_TRUE(interp.Run({{"x", Input(rows, 1.0f)}}).ok());
  }
  EXPECT_EQ(interp.stats().memory.plans, 3);
}

// A planner driven directly: a replay whose allocation sequence differs from
// the recording stops using the arena at the first difference.
TEST(Planner, DivergentReplayUsesTheHeap) {
  MemoryPlanner p;
  int32_t s1, s2;
  p.BeginRun("sig");
  EXPECT_EQ(p.Allocate(100, true, &s1), nullptr);  // recording: heap
  EXPECT_EQ(p.Allocate(200, true, &s2), nullptr);
  p.Release(s1);
  p.Release(s2);
  p.EndRun();
  EXPECT_EQ(p.stats().plans, 1);
  EXPECT_EQ(p.stats().planned_peak_bytes, 128u + 256u);  // both live at once

  p.BeginRun("sig");
  uint8_t* a = p.Allocate(100, true, &s1);
  EXPECT_NE(a, nullptr);
  EXPECT_EQ(p.Allocate(300, true, &s2), nullptr);  // differs from the recording
  p.Release(s1);
  p.Release(s2);
  p.EndRun();
  EXPECT_EQ(p.stats().divergences, 1);
}

TEST(Planner, DisjointLifetimesShareMemory) {
  MemoryPlanner p;
  int32_t s1, s2;
  p.BeginRun("sig");
  p.Allocate(1000, true, &s1);
  p.Release(s1);
  p.Allocate(1000, true, &s2);
  p.Release(s2);
  p.EndRun();
  EXPECT_EQ(p.stats().planned_peak_bytes, 1024u);
  p.BeginRun("sig");
  uint8_t* a = p.Allocate(1000, true, &s1);
  p.Release(s1);
  uint8_t* b = p.Allocate(1000, true, &s2);
  p.Release(s2);
  p.EndRun();
  EXPECT_NE(a, nullptr);
  EXPECT_EQ(a, b);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 64, 0u);
}

}  // namespace
}  // namespace edgeflow::infer
