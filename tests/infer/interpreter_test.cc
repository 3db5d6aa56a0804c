// The interpreter's run contract: cancellation between nodes, missing or
// mistyped inputs named in the error, thread count option.
#include "infer/interpreter.h"

#include <gtest/gtest.h>

#include <cmath>

#include "edgeflow/task.h"

namespace edgeflow::infer {
namespace {

Graph Chain() {
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {-1, 4}});
  g.outputs.push_back({"y", DType::kFloat32, {-1, 4}});
  g.nodes = {Node{"r", "Relu", {"x"}, {"a"}, {}, 13}, Node{"s", "Sigmoid", {"a"}, {"y"}, {}, 13}};
  return g;
}

Tensor Input() {
  Tensor x(DType::kFloat32, {2, 4});
  for (int64_t i = 0; i < x.size(); ++i) x.data<float>()[i] = static_cast<float>(i) - 3;
  return x;
}

TEST(Interpreter, CancelledTokenStopsTheRunAndTheNextRunWorks) {
  Graph g = Chain();
  Interpreter interp(g);
  CancellationToken token;
  token.Cancel();
  auto r = interp.Run({{"x", Input()}}, &token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  CancellationToken fresh;
  for (int i = 0; i < 2; ++i) {
    auto ok = interp.Run({{"x", Input()}}, &fresh);
    ASSERT_TRUE(ok.ok()) << ok.status().ToString();
    EXPECT_NEAR(ok->at("y").data<float>()[7], 1.0f / (1.0f + std::exp(-4.0f)), 1e-6);
  }
  // The cancelled run left no partial plan: one plan, replayed without divergence.
  EXPECT_EQ(interp.stats().memory.plans, 1);
  EXPECT_EQ(interp.stats().memory.divergences, 0);
}

TEST(Interpreter, InputErrorsNameTheInput) {
  Graph g = Chain();
  Interpreter interp(g);
  auto missing = interp.Run({});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("'x'"), std::string::npos);
  auto wrong_type = interp.Run({{"x", Tensor(DType::kInt64, {2, 4})}});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_NE(wrong_type.status().message().find("float32"), std::string::npos);
  auto wrong_rank = interp.Run({{"x", Tensor(DType::kFloat32, {8})}});
  ASSERT_FALSE(wrong_rank.ok());
}

TEST(Interpreter, TwoThreadsGiveTheSameResult) {
  Graph g = Chain();
  Interpreter one(g, {1, true}), two(g, {2, true});
  auto a = one.Run({{"x", Input()}});
  auto b = two.Run({{"x", Input()}});
  ASSERT_TRUE(a.ok() && b.ok());
  for (int64_t i = 0; i < 8; ++i) EXPECT_EQ(a->at("y").data<float>()[i], b->at("y").data<float>()[i]);
}

}  // namespace
}  // namespace edgeflow::infer
