// int8 weight quantization (quantize.h): per-channel scales, and weights it
// must leave float32.
#include "infer/quantize.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace edgeflow::infer {
namespace {

Graph ConvGraph(Tensor w) {
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {1, 2, 4, 4}});
  g.outputs.push_back({"y", DType::kFloat32, {1, 2, 4, 4}});
  g.initializers["w"] = std::move(w);
  g.nodes = {Node{"c", "Conv", {"x", "w"}, {"y"}, {}, 13}};
  return g;
}

TEST(Quantize, PerChannelScalesAreMaxOver127) {
  Tensor w(DType::kFloat32, {2, 2, 1, 1});
  const float v[] = {0.5f, -1.27f, 2.54f, 0.0f};
  for (int i = 0; i < 4; ++i) w.data<float>()[i] = v[i];
  Graph g = ConvGraph(w);
  ASSERT_EQ(QuantizeWeightsInt8(&g, 1), 1);
  const Tensor& scale = g.initializers.at("w::scale");
  EXPECT_FLOAT_EQ(scale.data<float>()[0], 1.27f / 127);
  EXPECT_FLOAT_EQ(scale.data<float>()[1], 2.54f / 127);
  const Tensor& q = g.initializers.at("w::int8");
  EXPECT_EQ(q.data<int8_t>()[1], -127);
  EXPECT_EQ(q.data<int8_t>()[2], 127);
  EXPECT_EQ(q.data<int8_t>()[3], 0);
}

TEST(Quantize, WeightsWithNanOrInfinityStayFloat) {
  // Found by onnx_import_fuzzer: NaN reached a float -> int8 cast (undefined behaviour).
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    Tensor w(DType::kFloat32, {2, 2, 1, 1});
    w.data<float>()[2] = bad;
    Graph g = ConvGraph(w);
    EXPECT_EQ(QuantizeWeightsInt8(&g, 1), 0);
    EXPECT_EQ(g.initializers.at("w").dtype(), DType::kFloat32);
    EXPECT_EQ(g.initializers.count("w::int8"), 0u);
  }
}

}  // namespace
}  // namespace edgeflow::infer
