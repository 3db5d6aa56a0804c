// Int8Gemm against a double-precision product with the dequantized weights:
// every row-tile remainder, column counts around the 32-column panels, odd
// inner dimensions, both weight layouts, clamps, no bias, 1 and 2 threads;
// rows holding NaN or infinity come out NaN. Then through Model and the
// interpreter: a quantized 1x1 Conv, Gemm (transB 0 and 1) and MatMul run on
// it and match the reference kernels on the same dequantized weights.
// Skipped on a CPU without AVX-512 VNNI, where the float kernels run.
#include "infer/gemm_int8.h"

#include <gtest/gtest.h>
#include <pthreadpool.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "infer/efm_writer.h"
#include "infer/interpreter.h"
#include "infer/model.h"
#include "infer/quantize.h"
#include "testing/infer_tensors.h"

namespace edgeflow::infer {
namespace {

struct Product {
  std::vector<float> a, scales, bias;
  std::vector<int8_t> w;
};

// w is [n][k] when column_major is false, else [k][n].
void ExpectProduct(int64_t rows, int64_t k, int64_t n, bool bias, bool column_major, float lo, float hi,
                   pthreadpool_t pool, std::mt19937& rng) {
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> q(-128, 127);
  Product p;
  for (int64_t i = 0; i < rows * k; ++i) p.a.push_back(normal(rng));
  for (int64_t i = 0; i < n * k; ++i) p.w.push_back(static_cast<int8_t>(q(rng)));
  for (int64_t o = 0; o < n; ++o) p.scales.push_back(0.01f * (1 + static_cast<float>(o % 7)));
  for (int64_t o = 0; o < n; ++o) p.bias.push_back(normal(rng));
  const int64_t sn = column_major ? 1 : k, sk = column_major ? n : 1;
  Int8Gemm gemm(p.w.data(), sn, sk, p.scales.data(), bias ? p.bias.data() : nullptr, k, n, lo, hi);
  std::vector<float> c(static_cast<size_t>(rows * n + 16), 12345.0f);
  gemm.Run(p.a.data(), rows, c.data(), pool);
  double err = 0, ref = 0;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t o = 0; o < n; ++o) {
      double want = bias ? p.bias[static_cast<size_t>(o)] : 0.0;
      for (int64_t i = 0; i < k; ++i) {
        want += static_cast<double>(p.a[static_cast<size_t>(r * k + i)]) * p.w[static_cast<size_t>(o * sn + i * sk)] *
                p.scales[static_cast<size_t>(o)];
      }
      want = std::min<double>(std::max<double>(want, lo), hi);
      const double got = c[static_cast<size_t>(r * n + o)];
      err += (got - want) * (got - want);
      ref += want * want;
      ASSERT_GE(got, lo);
      ASSERT_LE(got, hi);
    }
  }
  // Only the activations' int16 rounding differs: about 1e-4 relative.
  EXPECT_LE(std::sqrt(err / std::max(ref, 1e-30)), 3e-4) << rows << "x" << k << " * " << k << "x" << n;
  for (size_t i = static_cast<size_t>(rows * n); i < c.size(); ++i) ASSERT_EQ(c[i], 12345.0f) << "wrote past C";
}

bool Skip() { return !Int8Gemm::Eligible(64, 1); }
#define SKIP_WITHOUT_VNNI() \
  if (Skip()) GTEST_SKIP() << "no AVX-512 VNNI on this CPU (or EDGEFLOW_GEMM / EDGEFLOW_INT8_GEMM=0)"

TEST(Int8Gemm, MatchesADoubleProductOfTheDequantizedWeights) {
  SKIP_WITHOUT_VNNI();
  std::mt19937 rng(23);
  const float inf = std::numeric_limits<float>::infinity();
  pthreadpool_t two = pthreadpool_create(2);
  for (pthreadpool_t pool : {static_cast<pthreadpool_t>(nullptr), two}) {
    for (int64_t rows : {1, 2, 3, 4, 5, 7, 11, 12, 13, 25}) {
      for (int64_t n : {1, 16, 17, 31, 32, 33, 70}) {
        ExpectProduct(rows, 64, n, rows % 2 == 0, n % 2 == 1, -inf, inf, pool, rng);
      }
    }
    ExpectProduct(49, 65, 40, true, false, -inf, inf, pool, rng);   // odd k: a zero pad in the last pair
    ExpectProduct(30, 129, 100, false, true, -0.5f, 0.5f, pool, rng);
    ExpectProduct(196, 384, 64, true, false, 0, 6, pool, rng);      // MobileNet's 14x14 projection, ReLU6
    ExpectProduct(7, 4000, 33, true, false, -inf, inf, pool, rng);  // large k: a smaller activation range
  }
  pthreadpool_destroy(two);
}

TEST(Int8Gemm, EligibleInnerDimensionsAre64To16384) {
  SKIP_WITHOUT_VNNI();
  EXPECT_FALSE(Int8Gemm::Eligible(63, 10));
  EXPECT_FALSE(Int8Gemm::Eligible(16385, 10));
  EXPECT_FALSE(Int8Gemm::Eligible(64, 0));
  EXPECT_TRUE(Int8Gemm::Eligible(16384, 1000));
}

TEST(Int8Gemm, ARowWithNanOrInfinityGivesNanOnlyInThatRow) {
  SKIP_WITHOUT_VNNI();
  const int64_t k = 70, n = 3;
  std::vector<int8_t> w(static_cast<size_t>(n * k), 1);
  std::vector<float> scales(n, 0.5f), a(static_cast<size_t>(3 * k), 1.0f), c(static_cast<size_t>(3 * n));
  a[5] = std::numeric_limits<float>::quiet_NaN();
  a[2 * k + 69] = std::numeric_limits<float>::infinity();
  Int8Gemm gemm(w.data(), k, 1, scales.data(), nullptr, k, n, -1e30f, 1e30f);
  gemm.Run(a.data(), 3, c.data(), nullptr);
  for (int64_t o = 0; o < n; ++o) {
    EXPECT_TRUE(std::isnan(c[static_cast<size_t>(o)]));
    EXPECT_NEAR(c[static_cast<size_t>(n + o)], 0.5 * k, 1e-3);
    EXPECT_TRUE(std::isnan(c[static_cast<size_t>(2 * n + o)]));
  }
}

// A model with a 1x1 Conv, Gemm with and without transB, and MatMul, every
// weight quantized; through an .efm image and Model::FromBytes.
TEST(Int8Gemm, ModelRunsQuantizedPointwiseConvGemmAndMatMulOnIt) {
  SKIP_WITHOUT_VNNI();
  std::mt19937 rng(5);
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {1, 96, 5, 5}});
  g.outputs.push_back({"y", DType::kFloat32, {}});
  g.initializers["w1"] = testing::RandomNormal({80, 96, 1, 1}, rng);
  g.initializers["b1"] = testing::RandomNormal({80}, rng);
  g.initializers["w2"] = testing::RandomNormal({70, 80 * 25}, rng);  // transB
  g.initializers["w3"] = testing::RandomNormal({70, 90}, rng);
  g.initializers["b3"] = testing::RandomNormal({90}, rng);
  g.initializers["w4"] = testing::RandomNormal({90, 65}, rng);
  Node conv{"pw", "Conv", {"x", "w1", "b1"}, {"h"}, {}, 13};
  conv.attrs["kernel_shape"] = Attribute::Ints({1, 1});
  Node flat{"flat", "Flatten", {"h"}, {"f"}, {}, 13};
  Node fc{"fc", "Gemm", {"f", "w2"}, {"g"}, {}, 13};
  fc.attrs["transB"] = Attribute::Int(1);
  Node fc2{"fc2", "Gemm", {"g", "w3", "b3"}, {"h2"}, {}, 13};
  Node mm{"mm", "MatMul", {"h2", "w4"}, {"y"}, {}, 13};
  g.nodes = {conv, flat, fc, fc2, mm};
  ASSERT_EQ(QuantizeWeightsInt8(&g), 4);
  auto image = SerializeEfm(g);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  auto model = Model::FromBytes(*image, "mem");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Graph& loaded = (*model)->graph();
  EXPECT_EQ(loaded.int8_weights.size(), 4u);
  Tensor x = testing::RandomNormal({1, 96, 5, 5}, rng);
  for (int threads : {1, 2}) {
    Interpreter fast(loaded, {threads, true}), ref(loaded, {1, false});
    auto a = fast.Run({{"x", x}});
    auto b = ref.Run({{"x", x}});
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(fast.stats().xnnpack_nodes, 4);
    EXPECT_EQ(fast.stats().fallbacks, 0);
    EXPECT_LE(testing::RelativeL2(b->at("y"), a->at("y")), 1e-3);
    EXPECT_GT(testing::RelativeL2(b->at("y"), a->at("y")), 0.0);  // the int8 kernel, not the float one
  }
}

}  // namespace
}  // namespace edgeflow::infer
