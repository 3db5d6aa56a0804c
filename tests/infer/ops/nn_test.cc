// Regression tests for the neural-network reference kernels (ops/nn.cc) on
// inputs that constant folding or a wrongly shaped device input can bring
// them: each is refused with an error naming the node, never read past the
// end of a tensor.
#include <gtest/gtest.h>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

Status RunOp(const std::string& op, const std::vector<Tensor>& inputs, std::vector<Tensor>* out) {
  Node n{"n1", op, {}, {"y"}, {}, 13};
  KernelInputs in;
  for (const Tensor& t : inputs) {
    in.push_back(&t);
    n.inputs.push_back("x" + std::to_string(in.size()));
  }
  return FindKernel(op)->run(n, in, out);
}

void ExpectRefused(const std::string& op, const std::vector<Tensor>& inputs, const std::string& words) {
  std::vector<Tensor> out;
  Status s = RunOp(op, inputs, &out);
  ASSERT_FALSE(s.ok()) << op;
  EXPECT_NE(s.message().find("'n1'"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find(words), std::string::npos) << s.ToString();
}

TEST(NnKernels, ConvRefusesLowRankInputAndWeight) {
  // Found by onnx_import_fuzzer: a rank-1 input or weight was indexed as NCHW.
  ExpectRefused("Conv", {Tensor(DType::kFloat32, {4}), Tensor(DType::kFloat32, {1, 1, 1, 1})}, "rank");
  ExpectRefused("Conv", {Tensor(DType::kFloat32, {1, 1, 4, 4}), Tensor(DType::kFloat32, {1})}, "rank");
  ExpectRefused("Conv", {Tensor(DType::kFloat32, {1, 1, 4, 4}), Tensor(DType::kInt64, {1, 1, 1, 1})}, "int64");
}

TEST(NnKernels, ConvRefusesABiasOfTheWrongLength) {
  ExpectRefused("Conv",
                {Tensor(DType::kFloat32, {1, 1, 4, 4}), Tensor(DType::kFloat32, {3, 1, 1, 1}),
                 Tensor(DType::kFloat32, {2})},
                "bias");
}

TEST(NnKernels, BatchNormRefusesShortStatistics) {
  Tensor x(DType::kFloat32, {1, 4, 2, 2}), c4(DType::kFloat32, {4}), c2(DType::kFloat32, {2});
  ExpectRefused("BatchNormalization", {x, c4, c4, c4, c2}, "var");
  ExpectRefused("BatchNormalization", {Tensor(DType::kFloat32, {}), c4, c4, c4, c4}, "scalar");
}

TEST(NnKernels, LayerNormScaleMustBroadcastOverTheNormalizedDimensions) {
  Tensor x(DType::kFloat32, {2, 3, 4});
  ExpectRefused("LayerNormalization", {x, Tensor(DType::kFloat32, {0})}, "Scale");
  ExpectRefused("LayerNormalization", {x, Tensor(DType::kFloat32, {3})}, "Scale");
  std::vector<Tensor> out;
  Tensor scale(DType::kFloat32, {1, 4});
  for (int i = 0; i < 4; ++i) scale.data<float>()[i] = 1.0f;
  ASSERT_TRUE(RunOp("LayerNormalization", {x, scale}, &out).ok());
}

TEST(NnKernels, MatMulRefusesScalars) {
  ExpectRefused("MatMul", {Tensor(DType::kFloat32, {}), Tensor(DType::kFloat32, {2, 2})}, "scalar");
}

}  // namespace
}  // namespace edgeflow::infer
