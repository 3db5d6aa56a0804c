// The XNNPACK backend against the reference kernels (the oracle) on random
// Conv and Gemm configurations.
#include "infer/xnnpack_backend.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "infer/interpreter.h"
#include "testing/infer_tensors.h"

namespace edgeflow::infer {
namespace {

using testing::MaxRelError;
using testing::RandomNormal;

// Runs `g` with and without XNNPACK on input x; returns the error and how many nodes XNNPACK took.
std::pair<double, int> Compare(const Graph& g, const Tensor& x) {
  Interpreter fast(g), ref(g, InterpreterOptions{1, false});
  auto a = fast.Run({{"x", x}});
  auto b = ref.Run({{"x", x}});
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  if (!a.ok() || !b.ok()) return {1e9, 0};
  EXPECT_EQ(a->at("y").shape(), b->at("y").shape());
  return {MaxRelError(b->at("y"), a->at("y")), fast.stats().xnnpack_nodes};
}

TEST(XnnpackBackend, ConvMatchesTheReferenceKernel) {
  std::mt19937 rng(1234);
  struct Cfg {
    int64_t c, m, h, w, k, stride, pad, dil, group;
  } cfgs[] = {
      {3, 8, 15, 17, 3, 1, 1, 1, 1},  {8, 16, 12, 12, 3, 2, 1, 1, 1}, {16, 16, 9, 9, 3, 1, 1, 1, 16},
      {16, 32, 9, 9, 3, 2, 0, 1, 16}, {6, 4, 11, 7, 5, 1, 2, 2, 2},   {4, 6, 8, 8, 1, 1, 0, 1, 1},
      {8, 8, 7, 7, 7, 1, 3, 1, 8},
  };
  for (const Cfg& c : cfgs) {
    Graph g;
    g.inputs.push_back({"x", DType::kFloat32, {2, c.c, c.h, c.w}});
    g.outputs.push_back({"y", DType::kFloat32, {}});
    g.initializers["w"] = RandomNormal({c.m, c.c / c.group, c.k, c.k}, rng);
    g.initializers["b"] = RandomNormal({c.m}, rng);
    Node n;
    n.op = "Conv";
    n.inputs = {"x", "w", "b"};
    n.outputs = {"y"};
    n.attrs["kernel_shape"] = Attribute::Ints({c.k, c.k});
    n.attrs["strides"] = Attribute::Ints({c.stride, c.stride});
    n.attrs["pads"] = Attribute::Ints({c.pad, c.pad, c.pad, c.pad});
    n.attrs["dilations"] = Attribute::Ints({c.dil, c.dil});
    n.attrs["group"] = Attribute::Int(c.group);
    g.nodes.push_back(n);
    auto [err, taken] = Compare(g, RandomNormal({2, c.c, c.h, c.w}, rng));
    EXPECT_EQ(taken, 1) << "conv c=" << c.c << " group=" << c.group;
    EXPECT_LE(err, 1e-5) << "conv c=" << c.c << " m=" << c.m << " k=" << c.k << " group=" << c.group;
  }
}

// 3x3 stride-1 convolutions with >= 128 channels take the Winograd path:
// odd sizes (partial output tiles), asymmetric pads, fused clamp.
TEST(XnnpackBackend, WinogradConvMatchesTheReferenceKernel) {
  std::mt19937 rng(99);
  struct Cfg {
    int64_t c, m, h, w;
    std::vector<int64_t> pads;
    bool clamp;
  } cfgs[] = {{128, 128, 7, 9, {1, 1, 1, 1}, false}, {128, 160, 5, 4, {0, 1, 1, 0}, true},
              {136, 128, 3, 3, {0, 0, 0, 0}, false}};
  for (const Cfg& c : cfgs) {
    Graph g;
    g.inputs.push_back({"x", DType::kFloat32, {1, c.c, c.h, c.w}});
    g.outputs.push_back({"y", DType::kFloat32, {}});
    g.initializers["w"] = RandomNormal({c.m, c.c, 3, 3}, rng);
    g.initializers["b"] = RandomNormal({c.m}, rng);
    Node n;
    n.op = "Conv";
    n.inputs = {"x", "w", "b"};
    n.outputs = {"y"};
    n.attrs["kernel_shape"] = Attribute::Ints({3, 3});
    n.attrs["pads"] = Attribute::Ints(c.pads);
    if (c.clamp) {
      n.attrs["activation_min"].kind = Attribute::Kind::kFloat;
      n.attrs["activation_min"].f = 0;
      n.attrs["activation_max"].kind = Attribute::Kind::kFloat;
      n.attrs["activation_max"].f = 6;
    }
    g.nodes.push_back(n);
    auto [err, taken] = Compare(g, RandomNormal({1, c.c, c.h, c.w}, rng));
    EXPECT_EQ(taken, 1);
    EXPECT_LE(err, 1e-5) << "winograd c=" << c.c << " m=" << c.m << " " << c.h << "x" << c.w;
  }
}

TEST(XnnpackBackend, GemmMatchesTheReferenceKernel) {
  std::mt19937 rng(99);
  for (int trans_b : {0, 1}) {
    Graph g;
    g.inputs.push_back({"x", DType::kFloat32, {3, 40}});
    g.outputs.push_back({"y", DType::kFloat32, {}});
    g.initializers["b"] = RandomNormal(trans_b ? std::vector<int64_t>{24, 40} : std::vector<int64_t>{40, 24}, rng);
    g.initializers["c"] = RandomNormal({24}, rng);
    Node n;
    n.op = "Gemm";
    n.inputs = {"x", "b", "c"};
    n.outputs = {"y"};
    n.attrs["transB"] = Attribute::Int(trans_b);
    g.nodes.push_back(n);
    auto [err, taken] = Compare(g, RandomNormal({3, 40}, rng));
    EXPECT_EQ(taken, 1);
    EXPECT_LE(err, 1e-5) << "transB=" << trans_b;
  }
}

TEST(XnnpackBackend, Conv1dAndMatMulMatchTheReferenceKernel) {
  std::mt19937 rng(7);
  {
    Graph g;
    g.inputs.push_back({"x", DType::kFloat32, {2, 6, 19}});
    g.outputs.push_back({"y", DType::kFloat32, {}});
    g.initializers["w"] = RandomNormal({5, 6, 3}, rng);
    Node n;
    n.op = "Conv";
    n.inputs = {"x", "w"};
    n.outputs = {"y"};
    n.attrs["pads"] = Attribute::Ints({1, 2});
    n.attrs["strides"] = Attribute::Ints({2});
    g.nodes.push_back(n);
    auto [err, taken] = Compare(g, RandomNormal({2, 6, 19}, rng));
    EXPECT_EQ(taken, 1);
    EXPECT_LE(err, 1e-5) << "conv1d";
  }
  {
    Graph g;
    g.inputs.push_back({"x", DType::kFloat32, {2, 7, 33}});
    g.outputs.push_back({"y", DType::kFloat32, {}});
    g.initializers["b"] = RandomNormal({33, 9}, rng);
    Node n;
    n.op = "MatMul";
    n.inputs = {"x", "b"};
    n.outputs = {"y"};
    g.nodes.push_back(n);
    auto [err, taken] = Compare(g, RandomNormal({2, 7, 33}, rng));
    EXPECT_EQ(taken, 1);
    EXPECT_LE(err, 1e-5) << "matmul";
  }
}

TEST(XnnpackBackend, NodesItCannotTakeStayOnTheReference) {
  Graph g;
  g.inputs.push_back({"x", DType::kFloat32, {1, 2, 5, 5}});
  g.inputs.push_back({"w", DType::kFloat32, {2, 2, 3, 3}});  // weights from an input: not static
  g.outputs.push_back({"y", DType::kFloat32, {}});
  Node n;
  n.op = "Conv";
  n.inputs = {"x", "w"};
  n.outputs = {"y"};
  g.nodes.push_back(n);
  Interpreter interp(g);
  EXPECT_EQ(interp.stats().xnnpack_nodes, 0);
  EXPECT_EQ(interp.stats().reference_nodes, 1);
  std::mt19937 rng(1);
  auto r = interp.Run({{"x", RandomNormal({1, 2, 5, 5}, rng)}, {"w", RandomNormal({2, 2, 3, 3}, rng)}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->at("y").shape(), (std::vector<int64_t>{1, 2, 3, 3}));
}

TEST(XnnpackBackend, ADynamicBatchRunsOnThePreparedOperator) {
  // Prepared once at construction; a batch of 3 is set up per run, no fallback.
  Graph g;
  g.inputs.push_back({"x", DType::kFloat32, {-1, 2, 5, 5}});
  g.outputs.push_back({"y", DType::kFloat32, {}});
  std::mt19937 rng(2);
  g.initializers["w"] = RandomNormal({2, 2, 3, 3}, rng);
  Node n;
  n.op = "Conv";
  n.inputs = {"x", "w"};
  n.outputs = {"y"};
  g.nodes.push_back(n);
  Interpreter interp(g);
  ASSERT_EQ(interp.stats().xnnpack_nodes, 1);
  auto ok = interp.Run({{"x", RandomNormal({3, 2, 5, 5}, rng)}});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(interp.stats().fallbacks, 0);
}

}  // namespace
}  // namespace edgeflow::infer
