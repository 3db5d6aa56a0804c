// int8 weight quantization (quantize.h): per-channel scales, weights it
// must leave float32, int16 for the sensitive ones.
#include "infer/quantize.h"

#include "infer/efm_writer.h"
#include "infer/interpreter.h"
#include "infer/model.h"
#include "testing/infer_tensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

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

// x -> MatMul(w_coarse) -> MatMul(w_smooth) -> y, where each column of
// w_coarse has one large outlier (its int8 step is coarse for the rest).
Graph TwoLayers() {
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {-1, 32}});
  g.outputs.push_back({"y", DType::kFloat32, {-1, 32}});
  Tensor coarse(DType::kFloat32, {32, 32}), smooth(DType::kFloat32, {32, 32});
  std::mt19937 rng(3);
  std::normal_distribution<float> d(0, 1);
  for (int64_t i = 0; i < coarse.size(); ++i) {
    coarse.data<float>()[i] = i / 32 == 0 ? 200.0f : d(rng);
    smooth.data<float>()[i] = d(rng);
  }
  g.initializers["w_coarse"] = coarse;
  g.initializers["w_smooth"] = smooth;
  g.nodes = {Node{"m1", "MatMul", {"x", "w_coarse"}, {"h"}, {}, 13},
             Node{"m2", "MatMul", {"h", "w_smooth"}, {"y"}, {}, 13}};
  return g;
}

TEST(Quantize, SensitivityKeepsTheWeightWhoseRoundingHurtsMostFloat) {
  Graph g = TwoLayers();
  QuantizeOptions o;
  o.min_elements = 16;
  o.wide_budget = 0.5;  // room for one of the two weights
  o.wide_int16 = false;
  auto r = QuantizeWeightsInt8BySensitivity(&g, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->quantized, 1);
  EXPECT_EQ(r->kept_wide, 1);
  EXPECT_EQ(r->kept_wide_elements, 1024);
  EXPECT_EQ(g.initializers.at("w_coarse").dtype(), DType::kFloat32);
  EXPECT_EQ(g.initializers.count("w_smooth::int8"), 1u);
  EXPECT_GT(r->estimated_error, 0);
  EXPECT_LT(r->estimated_error, 0.05);
}

// By default the sensitive weight becomes int16: through an .efm image and
// Model (which dequantizes it at load) the outputs match the float model
// to int16's rounding on that weight plus int8's on the other.
TEST(Quantize, SensitiveWeightsBecomeInt16ByDefault) {
  Graph g = TwoLayers();
  const Graph fp32 = g;
  QuantizeOptions o;
  o.min_elements = 16;
  o.wide_budget = 0.5;
  auto r = QuantizeWeightsInt8BySensitivity(&g, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->quantized, 1);
  EXPECT_EQ(r->kept_wide, 1);
  ASSERT_EQ(g.initializers.count("w_coarse::int16"), 1u);
  EXPECT_EQ(g.initializers.at("w_coarse::int16").dtype(), DType::kInt16);
  EXPECT_EQ(g.initializers.count("w_coarse"), 0u);
  EXPECT_EQ(g.initializers.count("w_smooth::int8"), 1u);
  auto image = SerializeEfm(g);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  auto model = Model::FromBytes(*image, "mem");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Tensor& w = (*model)->graph().initializers.at("w_coarse");
  const Tensor& want = fp32.initializers.at("w_coarse");
  ASSERT_EQ(w.dtype(), DType::kFloat32);
  for (int64_t i = 0; i < w.size(); ++i) {
    // Column c's scale is max|w[:, c]| / 32767; rounding is within half of it.
    EXPECT_NEAR(w.data<float>()[i], want.data<float>()[i], 200.0f / 32767 / 2 * 1.0001f) << i;
  }
  std::mt19937 rng(8);
  Tensor x = testing::RandomNormal({3, 32}, rng);
  Interpreter a(fp32), b((*model)->graph());
  auto ya = a.Run({{"x", x}});
  auto yb = b.Run({{"x", x}});
  ASSERT_TRUE(ya.ok() && yb.ok());
  EXPECT_LE(testing::RelativeL2(ya->at("y"), yb->at("y")), 0.05);
}

TEST(Quantize, ZeroBudgetQuantizesEveryEligibleWeight) {
  Graph g = TwoLayers();
  QuantizeOptions o;
  o.min_elements = 16;
  o.wide_budget = 0;
  auto r = QuantizeWeightsInt8BySensitivity(&g, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->quantized, 2);
  EXPECT_EQ(r->kept_wide, 0);
}

TEST(Quantize, AModelThatDoesNotRunIsAnErrorNamingTheStep) {
  Graph g = TwoLayers();
  g.nodes[1].inputs[0] = "missing";
  QuantizeOptions o;
  o.min_elements = 16;
  auto r = QuantizeWeightsInt8BySensitivity(&g, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("sensitivity"), std::string::npos) << r.status().ToString();
}

TEST(Quantize, SensitivityRunsOnTheCalibrationInputWhenGiven) {
  Graph g = TwoLayers();
  QuantizeOptions o;
  o.min_elements = 16;
  o.wide_budget = 0.5;
  Tensor x(DType::kFloat32, {3, 32});
  for (int64_t i = 0; i < x.size(); ++i) x.data<float>()[i] = static_cast<float>(i % 7) - 3;
  o.calibration["x"] = x;
  auto r = QuantizeWeightsInt8BySensitivity(&g, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(g.initializers.count("w_coarse::int16"), 1u);  // the sensitive one

  Graph h = TwoLayers();
  o.calibration = {{"image", x}};
  auto bad = QuantizeWeightsInt8BySensitivity(&h, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'image'"), std::string::npos) << bad.status().ToString();
}

// A Conv reading a ReLU's output (inputs all positive): rounding its weight
// shifts every output by about sum_k dw * E[x_k]; the corrected bias removes
// that shift, so the error against float is smaller with the correction, and
// a node without a bias gets one.
TEST(Quantize, BiasCorrectionRemovesTheMeanShiftOfRounding) {
  std::mt19937 rng(12);
  std::normal_distribution<float> d;
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {1, 64, 6, 6}});
  g.outputs.push_back({"y", DType::kFloat32, {1, 32, 6, 6}});
  Tensor w(DType::kFloat32, {32, 64, 1, 1});
  for (int64_t i = 0; i < w.size(); ++i) w.data<float>()[i] = d(rng);
  g.initializers["w"] = w;
  g.nodes = {Node{"r", "Relu", {"x"}, {"h"}, {}, 13}, Node{"c", "Conv", {"h", "w"}, {"y"}, {}, 13}};
  auto error_of = [&](bool correct) {
    Graph q = g;
    QuantizeOptions o;
    o.wide_budget = 0;  // every weight int8: the correction still runs on the sensitivity inputs
    o.runs = 4;
    o.bias_correction = correct;
    auto r = QuantizeWeightsInt8BySensitivity(&q, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->bias_corrected, correct ? 1 : 0);
    EXPECT_EQ(q.initializers.count("w::bias"), correct ? 1u : 0u);
    Interpreter want(g), got(q);
    std::mt19937_64 fresh(99);
    double num = 0, den = 0;
    for (int run = 0; run < 4; ++run) {
      Tensor x(DType::kFloat32, {1, 64, 6, 6});
      std::normal_distribution<float> n01;
      for (int64_t i = 0; i < x.size(); ++i) x.data<float>()[i] = n01(fresh);
      auto a = want.Run({{"x", x}});
      auto b = got.Run({{"x", x}});
      EXPECT_TRUE(a.ok() && b.ok());
      for (int64_t i = 0; i < a->at("y").size(); ++i) {
        const double e = a->at("y").data<float>()[i] - b->at("y").data<float>()[i];
        num += e * e;
        den += static_cast<double>(a->at("y").data<float>()[i]) * a->at("y").data<float>()[i];
      }
    }
    return std::sqrt(num / den);
  };
  const double plain = error_of(false), corrected = error_of(true);
  std::printf("bias correction: relative L2 %.4g plain, %.4g corrected\n", plain, corrected);
  EXPECT_LT(corrected, 0.9 * plain);
}

}  // namespace
}  // namespace edgeflow::infer
