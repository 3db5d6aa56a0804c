// Winograd F(4x4, 3x3) and F(2x2, 3x3) (and the node's direct fallback)
// against the reference Conv kernel, the oracle, on random shapes: odd and
// tiny images, asymmetric pads, channel counts that are not multiples of the
// 16-channel transform step, with and without bias, with clamps, batch 2, on
// the calling thread and on a 2-thread pool.
#include "infer/winograd.h"

#include <gtest/gtest.h>
#include <pthreadpool.h>

#include <cmath>
#include <limits>
#include <random>

#include "infer/interpreter.h"
#include "infer/kernels.h"
#include "testing/infer_tensors.h"

namespace edgeflow::infer {
namespace {

using testing::RandomNormal;
using testing::RelativeL2;

struct Shape {
  int64_t n, c, m, h, w;
  std::vector<int64_t> pads;  // top, left, bottom, right
  bool bias;
  float lo, hi;
};

class Pool {
 public:
  explicit Pool(int threads)
      : pool_(threads > 1 ? pthreadpool_create(static_cast<size_t>(threads)) : nullptr) {}
  ~Pool() {
    if (pool_) pthreadpool_destroy(pool_);
  }
  void* get() const { return pool_; }

 private:
  pthreadpool_t pool_;
};

// Runs `s` with each algorithm on 1 and 2 threads; every result within 1e-5
// relative L2 of the reference kernel (and exactly the same shape).
void ExpectMatchesReference(const Shape& s, std::mt19937& rng) {
  XnnBackend init(1);  // initialises XNNPACK
  ASSERT_TRUE(init.available());
  const float inf = std::numeric_limits<float>::infinity();
  Tensor w = RandomNormal({s.m, s.c, 3, 3}, rng), b = RandomNormal({s.m}, rng),
         x = RandomNormal({s.n, s.c, s.h, s.w}, rng);
  Node conv;
  conv.name = "conv";
  conv.op = "Conv";
  conv.inputs = {"x", "w"};
  if (s.bias) conv.inputs.push_back("b");
  conv.outputs = {"y"};
  conv.attrs["kernel_shape"] = Attribute::Ints({3, 3});
  conv.attrs["strides"] = Attribute::Ints({1, 1});
  conv.attrs["dilations"] = Attribute::Ints({1, 1});
  conv.attrs["pads"] = Attribute::Ints(s.pads);
  if (s.lo != -inf || s.hi != inf) {
    conv.attrs["activation_min"] = Attribute::Float(s.lo);
    conv.attrs["activation_max"] = Attribute::Float(s.hi);
  }
  std::vector<Tensor> want;
  KernelInputs in = {&x, &w};
  if (s.bias) in.push_back(&b);
  Status st = FindKernel("Conv")->run(conv, in, &want);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::string what = "n=" + std::to_string(s.n) + " c=" + std::to_string(s.c) +
                           " m=" + std::to_string(s.m) + " h=" + std::to_string(s.h) +
                           " w=" + std::to_string(s.w) + " pads=" + std::to_string(s.pads[0]) +
                           std::to_string(s.pads[1]) + std::to_string(s.pads[2]) +
                           std::to_string(s.pads[3]);
  for (int threads : {1, 2}) {
    Pool pool(threads);
    for (auto tiles : {WinogradTiles::kF4x4, WinogradTiles::kF2x2, WinogradTiles::kDirect,
                       WinogradTiles::kAuto}) {
      auto node = PrepareWinograd(conv, w, s.bias ? &b : nullptr, s.lo, s.hi, pool.get(), tiles);
      ASSERT_TRUE(node.ok()) << node.status().ToString();
      for (int run = 0; run < 2; ++run) {  // the second run reuses what the first packed
        std::vector<Tensor> got;
        st = (*node)->Run({&x}, &got);
        ASSERT_TRUE(st.ok()) << what << ": " << st.ToString();
        ASSERT_EQ(got.size(), 1u);
        ASSERT_EQ(got[0].shape(), want[0].shape()) << what;
        EXPECT_LE(RelativeL2(want[0], got[0]), 1e-5)
            << what << " tiles " << static_cast<int>(tiles) << " threads " << threads;
        if (s.lo != -inf || s.hi != inf) {
          for (int64_t i = 0; i < got[0].size(); ++i) {
            ASSERT_GE(got[0].data<float>()[i], s.lo) << what;
            ASSERT_LE(got[0].data<float>()[i], s.hi) << what;
          }
        }
      }
    }
  }
}

TEST(Winograd, MatchesTheReferenceConvOnFixedShapes) {
  std::mt19937 rng(7);
  const float inf = std::numeric_limits<float>::infinity();
  const Shape shapes[] = {
      {1, 16, 16, 8, 8, {1, 1, 1, 1}, true, -inf, inf},     // whole tiles only
      {1, 17, 19, 9, 7, {1, 1, 1, 1}, true, 0, inf},        // odd sizes, partial tiles, ReLU
      {2, 5, 3, 5, 6, {0, 0, 0, 0}, false, -inf, inf},      // no pads: a 3x4 output, batch 2
      {1, 33, 40, 13, 11, {2, 0, 1, 2}, true, 0, 6},        // asymmetric pads, ReLU6
      {1, 3, 2, 3, 3, {0, 0, 0, 0}, true, -inf, inf},       // one output pixel
      {1, 7, 9, 1, 1, {1, 1, 1, 1}, false, -inf, inf},      // 1x1 image, all padding
      {1, 64, 48, 14, 14, {1, 1, 1, 1}, true, -1, 1},       // resnet-like, tight clamp
      {1, 32, 32, 20, 15, {1, 1, 1, 1}, false, -inf, inf},  // several tile blocks per image
  };
  for (const Shape& s : shapes) ExpectMatchesReference(s, rng);
}

TEST(Winograd, MatchesTheReferenceConvOnRandomShapes) {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<int64_t> channels(1, 40), size(1, 17), pad(0, 2), batch(1, 2);
  const float inf = std::numeric_limits<float>::infinity();
  for (int i = 0; i < 12; ++i) {
    Shape s{batch(rng), channels(rng), channels(rng),
            size(rng),  size(rng),     {pad(rng), pad(rng), pad(rng), pad(rng)},
            i % 2 == 0, -inf,          inf};
    if (s.h + s.pads[0] + s.pads[2] < 3 || s.w + s.pads[1] + s.pads[3] < 3) continue;  // no output
    if (i % 3 == 1) s.lo = 0;
    if (i % 3 == 2) s.lo = -0.5f, s.hi = 0.5f;
    ExpectMatchesReference(s, rng);
  }
}

TEST(Winograd, RefusesAnInputWithTheWrongChannelCount) {
  std::mt19937 rng(1);
  XnnBackend init(1);
  Tensor w = RandomNormal({8, 8, 3, 3}, rng), x = RandomNormal({1, 5, 6, 6}, rng);
  Node conv;
  conv.name = "c";
  conv.op = "Conv";
  conv.attrs["pads"] = Attribute::Ints({1, 1, 1, 1});
  auto node = PrepareWinograd(conv, w, nullptr, -1e30f, 1e30f, nullptr);
  ASSERT_TRUE(node.ok());
  std::vector<Tensor> out;
  Status st = (*node)->Run({&x}, &out);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("Conv node 'c'"), std::string::npos) << st.message();
}

// Through the interpreter: the XNNPACK backend takes eligible convs (>= 32
// channels) on the Winograd path; outputs match the reference-only run.
TEST(Winograd, InterpreterRunsEligibleConvsOnWinograd) {
  std::mt19937 rng(5);
  Graph g;
  g.inputs.push_back({"x", DType::kFloat32, {1, 32, 12, 12}});
  g.outputs.push_back({"y", DType::kFloat32, {}});
  g.initializers["w1"] = RandomNormal({48, 32, 3, 3}, rng);
  g.initializers["b1"] = RandomNormal({48}, rng);
  g.initializers["w2"] = RandomNormal({32, 48, 3, 3}, rng);
  Node c1{"c1", "Conv", {"x", "w1", "b1"}, {"h"}, {}, 13};
  c1.attrs["kernel_shape"] = Attribute::Ints({3, 3});
  c1.attrs["pads"] = Attribute::Ints({1, 1, 1, 1});
  c1.attrs["activation_min"] = Attribute::Float(0);
  c1.attrs["activation_max"] = Attribute::Float(std::numeric_limits<float>::infinity());
  Node c2{"c2", "Conv", {"h", "w2"}, {"y"}, {}, 13};
  c2.attrs["kernel_shape"] = Attribute::Ints({3, 3});
  c2.attrs["pads"] = Attribute::Ints({0, 0, 0, 0});
  g.nodes = {c1, c2};
  ASSERT_TRUE(WinogradEligible(g.nodes[0], g.initializers["w1"]));
  Tensor x = RandomNormal({1, 32, 12, 12}, rng);
  for (int threads : {1, 2}) {
    Interpreter fast(g, {threads, true}), ref(g, {1, false});
    auto a = fast.Run({{"x", x}});
    auto b = ref.Run({{"x", x}});
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(fast.stats().xnnpack_nodes, 2);
    EXPECT_EQ(fast.stats().fallbacks, 0);
    ASSERT_EQ(a->at("y").shape(), b->at("y").shape());
    EXPECT_LE(RelativeL2(b->at("y"), a->at("y")), 1e-5);
  }
}

}  // namespace
}  // namespace edgeflow::infer
