// The reduction kernels' float32 Max/Min fast path over trailing axes (16
// running extremes and a NaN flag) against a one-at-a-time scan: row lengths
// around the 16-lane step, NaN and infinities anywhere in a row.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

void ExpectLikeAScan(const std::string& op, int64_t rows, int64_t len, std::mt19937& rng) {
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> special(0, 40);
  Tensor x(DType::kFloat32, {2, rows, len});
  float* px = x.data<float>();
  for (int64_t i = 0; i < x.size(); ++i) {
    const int s = special(rng);
    px[i] = s == 0   ? std::numeric_limits<float>::quiet_NaN()
            : s == 1 ? std::numeric_limits<float>::infinity()
            : s == 2 ? -std::numeric_limits<float>::infinity()
                     : normal(rng);
  }
  Node n{"r", op, {"x"}, {"y"}, {}, 13};
  n.attrs["axes"] = Attribute::Ints({2});
  n.attrs["keepdims"] = Attribute::Int(0);
  std::vector<Tensor> out;
  Status st = FindKernel(op)->run(n, {&x}, &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(out[0].shape(), (std::vector<int64_t>{2, rows}));
  for (int64_t r = 0; r < 2 * rows; ++r) {
    bool nan = false;
    float want = px[r * len];
    for (int64_t j = 0; j < len; ++j) {
      const float v = px[r * len + j];
      nan |= std::isnan(v);
      want = op == "ReduceMax" ? std::fmax(want, v) : std::fmin(want, v);
    }
    const float got = out[0].data<float>()[r];
    if (nan) {
      EXPECT_TRUE(std::isnan(got)) << op << " row " << r << " of length " << len << " holds a NaN";
    } else {
      EXPECT_EQ(got, want) << op << " row " << r << " of length " << len;
    }
  }
}

TEST(ReduceKernels, FloatMaxAndMinOverTheLastAxisMatchAScan) {
  std::mt19937 rng(8);
  for (const char* op : {"ReduceMax", "ReduceMin"}) {
    for (int64_t len : {1, 2, 15, 16, 17, 31, 33, 63, 64, 100}) ExpectLikeAScan(op, 5, len, rng);
  }
}

}  // namespace
}  // namespace edgeflow::infer
