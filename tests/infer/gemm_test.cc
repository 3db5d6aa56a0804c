// PackedGemm against a double-precision product: every row-tile remainder
// (1 to 13 rows and beyond), column counts around the 32-column panels, no
// bias, clamps, on the calling thread and on a 2-thread pool. Skipped on a
// CPU without AVX-512F, where XNNPACK always runs the product.
#include "infer/gemm.h"

#include <gtest/gtest.h>
#include <pthreadpool.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "infer/interpreter.h"
#include "testing/infer_tensors.h"

namespace edgeflow::infer {
namespace {

std::vector<float> Normal(size_t n, std::mt19937& rng) {
  std::normal_distribution<float> d;
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

void ExpectProduct(int64_t rows, int64_t k, int64_t n, bool bias, float lo, float hi, pthreadpool_t pool,
                   std::mt19937& rng) {
  std::vector<float> a = Normal(static_cast<size_t>(rows * k), rng), w = Normal(static_cast<size_t>(n * k), rng),
                     b = Normal(static_cast<size_t>(n), rng);
  PackedGemm gemm(w.data(), bias ? b.data() : nullptr, k, n, lo, hi);
  // A sentinel after C: nothing past rows x n is written.
  std::vector<float> c(static_cast<size_t>(rows * n + 16), 12345.0f);
  gemm.Run(a.data(), rows, c.data(), pool);
  double err = 0, ref = 0;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < n; ++o) {
      double want = bias ? b[static_cast<size_t>(o)] : 0.0;
      for (int64_t i = 0; i < k; ++i) want += static_cast<double>(a[static_cast<size_t>(r * k + i)]) * w[static_cast<size_t>(o * k + i)];
      want = std::min<double>(std::max<double>(want, lo), hi);
      const double got = c[static_cast<size_t>(r * n + o)];
      err += (got - want) * (got - want);
      ref += want * want;
      ASSERT_GE(got, lo);
      ASSERT_LE(got, hi);
    }
  }
  EXPECT_LE(std::sqrt(err / std::max(ref, 1e-30)), 1e-5) << rows << "x" << k << " * " << k << "x" << n;
  for (size_t i = static_cast<size_t>(rows * n); i < c.size(); ++i) ASSERT_EQ(c[i], 12345.0f) << "wrote past C";
}

TEST(PackedGemm, MatchesADoubleProduct) {
  if (!PackedGemm::Eligible(64, 1)) GTEST_SKIP() << "no AVX-512F on this CPU (or EDGEFLOW_GEMM=0)";
  std::mt19937 rng(17);
  const float inf = std::numeric_limits<float>::infinity();
  pthreadpool_t two = pthreadpool_create(2);
  for (pthreadpool_t pool : {static_cast<pthreadpool_t>(nullptr), two}) {
    for (int64_t rows : {1, 2, 3, 4, 5, 7, 8, 11, 12, 13, 25, 49}) {
      for (int64_t n : {1, 16, 17, 31, 32, 33, 70}) ExpectProduct(rows, 64, n, rows % 2 == 0, -inf, inf, pool, rng);
    }
    ExpectProduct(196, 384, 64, true, 0, 6, pool, rng);   // MobileNet's 14x14 projection, ReLU6
    ExpectProduct(30, 129, 100, false, -0.5f, 0.5f, pool, rng);
  }
  pthreadpool_destroy(two);
}

TEST(PackedGemm, OnlyInnerDimensionsOf64OrMoreAreEligible) {
  if (!PackedGemm::Eligible(64, 1)) GTEST_SKIP() << "no AVX-512F on this CPU (or EDGEFLOW_GEMM=0)";
  EXPECT_FALSE(PackedGemm::Eligible(63, 100));
  EXPECT_FALSE(PackedGemm::Eligible(64, 0));
  EXPECT_TRUE(PackedGemm::Eligible(960, 320));
}

// A NaN in A makes its row's outputs NaN, with and without a clamp (the
// clamp once turned NaN into its lower bound); other rows are untouched.
TEST(PackedGemm, NanInARowStaysNanThroughTheClamp) {
  if (!PackedGemm::Eligible(64, 1)) GTEST_SKIP() << "no AVX-512F on this CPU (or EDGEFLOW_GEMM=0)";
  const int64_t k = 64, n = 3;
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> w(static_cast<size_t>(n * k), 0.5f), a(static_cast<size_t>(2 * k), 1.0f);
  a[7] = std::numeric_limits<float>::quiet_NaN();
  for (float lo : {-inf, 0.0f}) {
    PackedGemm gemm(w.data(), nullptr, k, n, lo, lo == 0 ? 6.0f : inf);
    std::vector<float> c(static_cast<size_t>(2 * n));
    gemm.Run(a.data(), 2, c.data(), nullptr);
    for (int64_t o = 0; o < n; ++o) {
      EXPECT_TRUE(std::isnan(c[static_cast<size_t>(o)])) << "clamp at " << lo;
      EXPECT_EQ(c[static_cast<size_t>(n + o)], lo == 0 ? 6.0f : 32.0f);
    }
  }
}

// Through the interpreter: a 1x1 convolution (with a fused ReLU6) and a Gemm
// with 64+ inputs run on PackedGemm inside the XNNPACK backend and match the
// reference kernels; a Conv whose bias has the wrong length is not taken.
TEST(PackedGemm, InterpreterRunsPointwiseConvAndGemm) {
  std::mt19937 rng(3);
  Graph g;
  g.inputs.push_back({"x", DType::kFloat32, {2, 96, 7, 9}});
  g.outputs.push_back({"y", DType::kFloat32, {}});
  g.initializers["w1"] = testing::RandomNormal({40, 96, 1, 1}, rng);
  g.initializers["b1"] = testing::RandomNormal({40}, rng);
  g.initializers["w2"] = testing::RandomNormal({10, 40 * 7 * 9}, rng);
  Node conv{"pw", "Conv", {"x", "w1", "b1"}, {"h"}, {}, 13};
  conv.attrs["kernel_shape"] = Attribute::Ints({1, 1});
  conv.attrs["activation_min"] = Attribute::Float(0);
  conv.attrs["activation_max"] = Attribute::Float(6);
  Node flat{"flat", "Flatten", {"h"}, {"f"}, {}, 13};
  Node fc{"fc", "Gemm", {"f", "w2"}, {"y"}, {}, 13};
  fc.attrs["transB"] = Attribute::Int(1);
  g.nodes = {conv, flat, fc};
  Tensor x = testing::RandomNormal({2, 96, 7, 9}, rng);
  for (int threads : {1, 2}) {
    Interpreter fast(g, {threads, true}), ref(g, {1, false});
    auto a = fast.Run({{"x", x}});
    auto b = ref.Run({{"x", x}});
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(fast.stats().xnnpack_nodes, 2);
    EXPECT_EQ(fast.stats().fallbacks, 0);
    EXPECT_LE(testing::RelativeL2(b->at("y"), a->at("y")), 1e-5);
  }
  g.initializers["b1"] = testing::RandomNormal({39}, rng);  // one short
  Interpreter fast(g, {1, true});
  EXPECT_EQ(fast.stats().xnnpack_nodes, 1);  // the Gemm only
}

}  // namespace
}  // namespace edgeflow::infer
