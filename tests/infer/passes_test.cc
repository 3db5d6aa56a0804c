// Graph passes: each optimised graph computes what the original computes
// (both on the reference kernels) and has the nodes the pass promises.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "infer/interpreter.h"
#include "infer/passes.h"

namespace edgeflow::infer {
namespace {

Tensor Random(std::vector<int64_t> shape, std::mt19937& rng, float lo = -1, float hi = 1) {
  Tensor t(DType::kFloat32, std::move(shape));
  std::uniform_real_distribution<float> d(lo, hi);
  for (int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

Tensor Ints(std::vector<int64_t> values) {
  Tensor t(DType::kInt64, {static_cast<int64_t>(values.size())});
  for (size_t i = 0; i < values.size(); ++i) t.data<int64_t>()[i] = values[i];
  return t;
}

void ExpectSameOutputs(const Graph& original, const Graph& optimised, const std::map<std::string, Tensor>& in) {
  Interpreter a(original, {1, false}), b(optimised, {1, false});
  auto ra = a.Run(in);
  auto rb = b.Run(in);
  ASSERT_TRUE(ra.ok()) << ra.status().ToString();
  ASSERT_TRUE(rb.ok()) << rb.status().ToString();
  for (const auto& o : original.outputs) {
    const Tensor &x = ra->at(o.name), &y = rb->at(o.name);
    ASSERT_EQ(x.shape(), y.shape()) << o.name;
    for (int64_t i = 0; i < x.size(); ++i) {
      EXPECT_NEAR(x.AsDouble(i), y.AsDouble(i), 1e-4 * (1 + std::fabs(x.AsDouble(i)))) << o.name << "[" << i << "]";
    }
  }
}

int Count(const Graph& g, const std::string& op) {
  int c = 0;
  for (const auto& n : g.nodes) c += n.op == op;
  return c;
}

// x -> Conv(W, b) -> BatchNormalization -> Relu -> y
TEST(Passes, BatchNormAndReluFoldIntoConv) {
  std::mt19937 rng(1);
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {1, 3, 6, 6}});
  g.outputs.push_back({"y", DType::kFloat32, {1, 4, 6, 6}});
  g.initializers["W"] = Random({4, 3, 3, 3}, rng);
  g.initializers["b"] = Random({4}, rng);
  g.initializers["scale"] = Random({4}, rng, 0.5f, 2);
  g.initializers["shift"] = Random({4}, rng);
  g.initializers["mean"] = Random({4}, rng);
  g.initializers["var"] = Random({4}, rng, 0.1f, 3);
  Node conv{"conv", "Conv", {"x", "W", "b"}, {"c"}, {}, 13};
  conv.attrs["pads"] = Attribute::Ints({1, 1, 1, 1});
  g.nodes = {conv, Node{"bn", "BatchNormalization", {"c", "scale", "shift", "mean", "var"}, {"n"}, {}, 13},
             Node{"relu", "Relu", {"n"}, {"y"}, {}, 13}};
  Graph opt = g;
  OptimizeGraph(&opt);
  EXPECT_EQ(opt.nodes.size(), 1u);
  EXPECT_EQ(Count(opt, "Conv"), 1);
  EXPECT_EQ(opt.initializers.size(), 2u);  // the folded weight and bias; the originals are gone
  ExpectSameOutputs(g, opt, {{"x", Random({1, 3, 6, 6}, rng)}});
}

// Shape -> Gather -> Unsqueeze -> Concat -> Reshape of a weight: folded to a weight.
TEST(Passes, ConstantShapeChainsFold) {
  std::mt19937 rng(2);
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {6}});
  g.outputs.push_back({"y", DType::kFloat32, {2, 3}});
  g.initializers["w"] = Random({2, 3}, rng);
  g.initializers["idx"] = Ints({0});
  g.initializers["axes"] = Ints({0});
  g.initializers["minus1"] = Ints({-1});
  Node gather{"gather", "Gather", {"shape", "idx"}, {"d0"}, {}, 13};
  gather.attrs["axis"] = Attribute::Int(0);
  Node concat{"concat", "Concat", {"d0", "minus1"}, {"target"}, {}, 13};
  concat.attrs["axis"] = Attribute::Int(0);
  g.nodes = {Node{"shape", "Shape", {"w"}, {"shape"}, {}, 13}, gather, concat,
             Node{"reshape", "Reshape", {"x", "target"}, {"xr"}, {}, 13}, Node{"add", "Add", {"xr", "w"}, {"y"}, {}, 13}};
  Graph opt = g;
  EXPECT_EQ(FoldConstants(&opt), 3);
  RemoveUnusedWeights(&opt);
  EXPECT_EQ(opt.nodes.size(), 2u);
  EXPECT_EQ(opt.initializers.at("target").AsInt(0), 2);
  ExpectSameOutputs(g, opt, {{"x", Random({6}, rng)}});
}

TEST(Passes, CommonSubexpressionsMerge) {
  std::mt19937 rng(3);
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {5}});
  g.outputs.push_back({"y", DType::kFloat32, {5}});
  g.nodes = {Node{"s1", "Sigmoid", {"x"}, {"a"}, {}, 13}, Node{"s2", "Sigmoid", {"x"}, {"b"}, {}, 13},
             Node{"t", "Tanh", {"x"}, {"c"}, {}, 13}, Node{"m", "Mul", {"a", "b"}, {"ab"}, {}, 13},
             Node{"add", "Add", {"ab", "c"}, {"y"}, {}, 13}};
  Graph opt = g;
  EXPECT_EQ(EliminateCommonSubexpressions(&opt), 1);
  EXPECT_EQ(Count(opt, "Sigmoid"), 1);
  ExpectSameOutputs(g, opt, {{"x", Random({5}, rng)}});
}

TEST(Passes, ReluAfterAddFusesIntoTheAdd) {
  std::mt19937 rng(4);
  Graph g;
  g.opset = 13;
  g.inputs = {{"a", DType::kFloat32, {8}}, {"b", DType::kFloat32, {8}}};
  g.outputs.push_back({"y", DType::kFloat32, {8}});
  g.nodes = {Node{"add", "Add", {"a", "b"}, {"s"}, {}, 13}, Node{"relu", "Relu", {"s"}, {"y"}, {}, 13}};
  Graph opt = g;
  OptimizeGraph(&opt);
  EXPECT_EQ(opt.nodes.size(), 1u);
  ExpectSameOutputs(g, opt, {{"a", Random({8}, rng)}, {"b", Random({8}, rng)}});
}

// Conv -> x * Sigmoid(x), Gemm -> HardSwish, Add -> x * HardSigmoid(x) with
// HardSwish's constants: each folds into its producer's `activation`.
TEST(Passes, SiluAndHardSwishFuseIntoTheirProducers) {
  std::mt19937 rng(9);
  Graph g;
  g.opset = 14;
  g.inputs = {{"x", DType::kFloat32, {1, 3, 5, 5}}, {"z", DType::kFloat32, {1, 6}}};
  g.outputs = {{"y", DType::kFloat32, {}}, {"v", DType::kFloat32, {}}};
  g.initializers["W"] = Random({4, 3, 3, 3}, rng, -2, 2);
  g.initializers["G"] = Random({6, 6}, rng, -2, 2);
  g.initializers["c"] = Random({6}, rng, -2, 2);
  Node gate{"hs_gate", "HardSigmoid", {"u"}, {"h"}, {}, 14};
  gate.attrs["alpha"] = Attribute::Float(1.0f / 6);
  gate.attrs["beta"] = Attribute::Float(0.5f);
  g.nodes = {Node{"conv", "Conv", {"x", "W"}, {"c0"}, {}, 14},
             Node{"sig", "Sigmoid", {"c0"}, {"s"}, {}, 14},
             Node{"silu", "Mul", {"s", "c0"}, {"y"}, {}, 14},
             Node{"gemm", "Gemm", {"z", "G", "c"}, {"g0"}, {}, 14},
             Node{"hs", "HardSwish", {"g0"}, {"g1"}, {}, 14},
             Node{"add", "Add", {"g1", "z"}, {"u"}, {}, 14},
             gate,
             Node{"gated", "Mul", {"u", "h"}, {"v"}, {}, 14}};
  Graph opt = g;
  OptimizeGraph(&opt);
  ASSERT_EQ(opt.nodes.size(), 3u);
  EXPECT_EQ(opt.nodes[0].String("activation", ""), "SiLU");
  EXPECT_EQ(opt.nodes[1].String("activation", ""), "HardSwish");
  EXPECT_EQ(opt.nodes[2].op, "Add");
  EXPECT_EQ(opt.nodes[2].String("activation", ""), "HardSwish");
  ExpectSameOutputs(g, opt, {{"x", Random({1, 3, 5, 5}, rng, -3, 3)}, {"z", Random({1, 6}, rng, -3, 3)}});
}

// Not fused: a gate read by another node too, x read by a third node, a
// HardSigmoid with other constants, a producer already clamped by a Relu.
TEST(Passes, GatedActivationsFuseOnlyInTheirExactForm) {
  std::mt19937 rng(10);
  Graph g;
  g.opset = 14;
  g.inputs = {{"a", DType::kFloat32, {6}}, {"b", DType::kFloat32, {6}}};
  g.outputs = {{"y1", DType::kFloat32, {}}, {"y2", DType::kFloat32, {}}, {"y3", DType::kFloat32, {}},
               {"y4", DType::kFloat32, {}}, {"s1", DType::kFloat32, {}}};
  Node hsig{"hsig", "HardSigmoid", {"x3"}, {"h3"}, {}, 14};  // default alpha 0.2
  g.nodes = {Node{"add1", "Add", {"a", "b"}, {"x1"}, {}, 14},  // gate s1 is also a graph output
             Node{"sig1", "Sigmoid", {"x1"}, {"s1"}, {}, 14},
             Node{"mul1", "Mul", {"x1", "s1"}, {"y1"}, {}, 14},
             Node{"add2", "Add", {"a", "a"}, {"x2"}, {}, 14},  // x2 read three times
             Node{"sig2", "Sigmoid", {"x2"}, {"s2"}, {}, 14},
             Node{"mul2", "Mul", {"x2", "s2"}, {"m2"}, {}, 14},
             Node{"add2b", "Add", {"m2", "x2"}, {"y2"}, {}, 14},
             Node{"add3", "Add", {"b", "b"}, {"x3"}, {}, 14},
             hsig,
             Node{"mul3", "Mul", {"x3", "h3"}, {"y3"}, {}, 14},
             Node{"add4", "Add", {"a", "b"}, {"r4"}, {}, 14},  // Relu fuses first; HardSwish then stays
             Node{"relu4", "Relu", {"r4"}, {"x4"}, {}, 14},
             Node{"hs4", "HardSwish", {"x4"}, {"y4"}, {}, 14}};
  Graph opt = g;
  OptimizeGraph(&opt);
  for (const auto& n : opt.nodes) EXPECT_FALSE(n.Has("activation")) << n.name;
  EXPECT_EQ(Count(opt, "Sigmoid"), 2);
  EXPECT_EQ(Count(opt, "HardSigmoid"), 1);
  EXPECT_EQ(Count(opt, "HardSwish"), 1);
  ExpectSameOutputs(g, opt, {{"a", Random({6}, rng, -3, 3)}, {"b", Random({6}, rng, -3, 3)}});
}

// MatMul(x, W) + bias -> Relu: one MatMul with a bias input and a fused clamp.
TEST(Passes, MatMulBiasAndReluFuse) {
  std::mt19937 rng(5);
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {2, 3, 6}});
  g.outputs.push_back({"y", DType::kFloat32, {2, 3, 4}});
  g.initializers["W"] = Random({6, 4}, rng);
  g.initializers["bias"] = Random({4}, rng);
  g.nodes = {Node{"mm", "MatMul", {"x", "W"}, {"m"}, {}, 13}, Node{"add", "Add", {"bias", "m"}, {"a"}, {}, 13},
             Node{"relu", "Relu", {"a"}, {"y"}, {}, 13}};
  Graph opt = g;
  OptimizeGraph(&opt);
  ASSERT_EQ(opt.nodes.size(), 1u);
  EXPECT_EQ(opt.nodes[0].inputs.size(), 3u);
  ExpectSameOutputs(g, opt, {{"x", Random({2, 3, 6}, rng)}});
  // The same graph on XNNPACK (fully connected with bias and clamp).
  Interpreter ref(opt, {1, false}), xnn(opt, {1, true});
  Tensor x = Random({2, 3, 6}, rng);
  auto a = ref.Run({{"x", x}});
  auto b = xnn.Run({{"x", x}});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(xnn.stats().xnnpack_nodes, 1);
  for (int64_t i = 0; i < a->at("y").size(); ++i) {
    EXPECT_NEAR(a->at("y").data<float>()[i], b->at("y").data<float>()[i], 1e-4);
  }
}

// Concat([a, b, a-b, a*b]) @ W + bias over Expand broadcasts (DIN attention).
TEST(Passes, TargetAttentionConcatIsRewritten) {
  std::mt19937 rng(6);
  Graph g;
  g.opset = 13;
  g.inputs = {{"q", DType::kFloat32, {1, 3, 1, 4}}, {"k", DType::kFloat32, {1, 1, 5, 4}}};
  g.outputs.push_back({"y", DType::kFloat32, {1, 3, 5, 6}});
  g.initializers["shape"] = Ints({1, 3, 5, 4});
  g.initializers["W"] = Random({16, 6}, rng);
  g.initializers["bias"] = Random({6}, rng);
  Node cat{"cat", "Concat", {"a", "b", "d", "m"}, {"c"}, {}, 13};
  cat.attrs["axis"] = Attribute::Int(-1);
  g.nodes = {Node{"ea", "Expand", {"q", "shape"}, {"a"}, {}, 13}, Node{"eb", "Expand", {"k", "shape"}, {"b"}, {}, 13},
             Node{"sub", "Sub", {"a", "b"}, {"d"}, {}, 13}, Node{"mul", "Mul", {"a", "b"}, {"m"}, {}, 13}, cat,
             Node{"mm", "MatMul", {"c", "W"}, {"h"}, {}, 13}, Node{"add", "Add", {"h", "bias"}, {"y"}, {}, 13}};
  Graph opt = g;
  OptimizeGraph(&opt);
  EXPECT_EQ(Count(opt, "Concat"), 0);
  EXPECT_EQ(Count(opt, "Sub"), 0);
  EXPECT_EQ(Count(opt, "MatMul"), 3);
  ExpectSameOutputs(g, opt, {{"q", Random({1, 3, 1, 4}, rng)}, {"k", Random({1, 1, 5, 4}, rng)}});
}

}  // namespace
}  // namespace edgeflow::infer
