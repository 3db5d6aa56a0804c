// The fused activations (activation.h): ApplyActivation against the exact
// formulas in double (to float32's rounding, 1e-7 absolute near HardSwish's
// knee at -3 where x / 6 + 1/2 cancels) over ordinary values, extremes, NaN and infinity, every
// vector-tail length and a thread pool; then HardSwish and SiLU fused into a
// pointwise Conv (PackedGemm), a 3x3 Conv (XNNPACK) and a Gemm run in the
// XNNPACK backend and match the unfused graph on the reference kernels.
#include "infer/activation.h"

#include <gtest/gtest.h>
#include <pthreadpool.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "infer/interpreter.h"
#include "infer/passes.h"
#include "testing/infer_tensors.h"

namespace edgeflow::infer {
namespace {

double Exact(Activation a, double x) {
  if (a == Activation::kSiLU) return x / (1 + std::exp(-x));
  return x * std::fmax(0.0, std::fmin(1.0, x / 6 + 0.5));
}

void ExpectClose(Activation a, const std::vector<float>& x, const std::vector<float>& y) {
  for (size_t i = 0; i < x.size(); ++i) {
    const double want = Exact(a, x[i]);
    if (std::isnan(want)) {
      EXPECT_TRUE(std::isnan(y[i])) << ActivationName(a) << "(" << x[i] << ")";
    } else if (std::isinf(want)) {
      EXPECT_EQ(y[i], want) << ActivationName(a) << "(" << x[i] << ")";
    } else {
      EXPECT_NEAR(y[i], want, 1e-6 * std::fabs(want) + 1e-7) << ActivationName(a) << "(" << x[i] << ")";
    }
  }
}

TEST(Activation, MatchesTheExactFormulas) {
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> x = {0,     -0.0f, 1e-30f, -1e-30f, 0.5f, -0.5f, 3,    -3,    2.9999f, -3.0001f, 10,  -10,
                          20,    -20,   80,     -80,     87,   -87,   88.7f, -88.7f, 100,    -100,    1e30f, -1e30f,
                          inf, -inf, nan};
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> d(-30, 30);
  for (int i = 0; i < 2000; ++i) x.push_back(d(rng));
  for (Activation a : {Activation::kSiLU, Activation::kHardSwish}) {
    std::vector<float> y = x;
    ApplyActivation(a, y.data(), static_cast<int64_t>(y.size()));
    ExpectClose(a, x, y);
  }
}

// Every length up to three vectors: the tail is masked and nothing past the
// count is written; a long buffer over a 2-thread pool gives the same values.
TEST(Activation, TailsAndThreads) {
  std::mt19937 rng(4);
  std::normal_distribution<float> d(0, 4);
  for (Activation a : {Activation::kSiLU, Activation::kHardSwish}) {
    for (int64_t n = 0; n <= 48; ++n) {
      std::vector<float> x(static_cast<size_t>(n) + 4);
      for (float& v : x) v = d(rng);
      std::vector<float> y = x;
      ApplyActivation(a, y.data(), n);
      ExpectClose(a, std::vector<float>(x.begin(), x.begin() + n), std::vector<float>(y.begin(), y.begin() + n));
      for (size_t i = static_cast<size_t>(n); i < x.size(); ++i) ASSERT_EQ(y[i], x[i]) << "wrote past " << n;
    }
    std::vector<float> x(100003);
    for (float& v : x) v = d(rng);
    std::vector<float> one = x, two = x;
    ApplyActivation(a, one.data(), static_cast<int64_t>(one.size()));
    pthreadpool_t pool = pthreadpool_create(2);
    ApplyActivation(a, two.data(), static_cast<int64_t>(two.size()), pool);
    pthreadpool_destroy(pool);
    EXPECT_EQ(one, two);
  }
}

TEST(Activation, UnknownNamesAreRefused) {
  Node n{"conv", "Conv", {"x", "w"}, {"y"}, {}, 13};
  EXPECT_TRUE(CheckActivation(n).ok());
  n.attrs["activation"] = Attribute::String("Mish");
  Status s = CheckActivation(n);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find("Mish"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("conv"), std::string::npos) << s.ToString();
}

// x -> 1x1 Conv -> SiLU -> 3x3 Conv -> HardSwish -> Flatten -> Gemm -> SiLU.
TEST(Activation, FusedIntoXnnpackNodesMatchesTheUnfusedGraph) {
  std::mt19937 rng(6);
  Graph g;
  g.opset = 14;
  g.inputs.push_back({"x", DType::kFloat32, {1, 64, 6, 6}});
  g.outputs.push_back({"y", DType::kFloat32, {}});
  g.initializers["w1"] = testing::RandomNormal({96, 64, 1, 1}, rng);
  g.initializers["b1"] = testing::RandomNormal({96}, rng);
  g.initializers["w2"] = testing::RandomNormal({32, 96, 3, 3}, rng);
  g.initializers["w3"] = testing::RandomNormal({40, 32 * 36}, rng);
  Node pw{"pw", "Conv", {"x", "w1", "b1"}, {"p"}, {}, 14};
  pw.attrs["kernel_shape"] = Attribute::Ints({1, 1});
  Node c3{"c3", "Conv", {"ps", "w2"}, {"q"}, {}, 14};
  c3.attrs["kernel_shape"] = Attribute::Ints({3, 3});
  c3.attrs["pads"] = Attribute::Ints({1, 1, 1, 1});
  Node fc{"fc", "Gemm", {"f", "w3"}, {"r"}, {}, 14};
  fc.attrs["transB"] = Attribute::Int(1);
  g.nodes = {pw,
             Node{"sig1", "Sigmoid", {"p"}, {"s1"}, {}, 14},
             Node{"mul1", "Mul", {"p", "s1"}, {"ps"}, {}, 14},
             c3,
             Node{"hs", "HardSwish", {"q"}, {"qh"}, {}, 14},
             Node{"flat", "Flatten", {"qh"}, {"f"}, {}, 14},
             fc,
             Node{"sig3", "Sigmoid", {"r"}, {"s3"}, {}, 14},
             Node{"mul3", "Mul", {"s3", "r"}, {"y"}, {}, 14}};
  Graph opt = g;
  OptimizeGraph(&opt);
  int fused = 0;
  for (const auto& n : opt.nodes) fused += n.Has("activation");
  ASSERT_EQ(fused, 3);
  ASSERT_EQ(opt.nodes.size(), 4u);
  Tensor x = testing::RandomNormal({1, 64, 6, 6}, rng);
  Interpreter ref(g, {1, false});
  auto want = ref.Run({{"x", x}});
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  for (int threads : {1, 2}) {
    Interpreter fast(opt, {threads, true});
    auto got = fast.Run({{"x", x}});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(fast.stats().xnnpack_nodes, 3);
    EXPECT_EQ(fast.stats().fallbacks, 0);
    EXPECT_LE(testing::RelativeL2(want->at("y"), got->at("y")), 1e-5);
  }
}

}  // namespace
}  // namespace edgeflow::infer
