// Parity with ONNX Runtime on every model in ../shared/models: fresh random
// inputs each run (the seed is printed), outputs from onnxruntime-node
// (tests/infer/ort/run_ort.js) against the engine's, relative L2 <= 1e-4.
// The engine side is the device path: compiled to .efm, mapped, validated, run.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "infer/efm_writer.h"
#include "infer/interpreter.h"
#include "infer/model.h"
#include "infer/npy.h"
#include "infer/onnx_import.h"
#include "infer/passes.h"
#include "infer/quantize.h"
#include "testing/infer_tensors.h"
#include "testing/temp_dir.h"

namespace edgeflow::infer {
namespace {

using testing::RelativeL2;

namespace fs = std::filesystem;

std::string SourceDir() {
  const char* d = std::getenv("EDGEFLOW_SOURCE_DIR");
  return d ? d : ".";
}

// Largest valid index for an integer input that feeds a Gather on an
// initializer (an embedding lookup); otherwise a small range.
int64_t IndexBound(const Graph& g, const std::string& input) {
  for (const auto& n : g.nodes) {
    if (n.op != "Gather" || n.inputs.size() < 2 || n.inputs[1] != input) continue;
    auto it = g.initializers.find(n.inputs[0]);
    if (it == g.initializers.end()) continue;
    int64_t axis = n.Int("axis", 0);
    if (axis < 0) axis += it->second.rank();
    return it->second.dim(static_cast<int>(axis));
  }
  return 10;
}

Tensor RandomInput(const Graph& g, const ValueInfo& info, std::mt19937_64& rng) {
  std::vector<int64_t> shape = info.shape;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0) shape[d] = d == 0 ? 1 : 20;  // dynamic: batch 1, other dims 20
  }
  Tensor t(info.dtype, shape);
  if (info.dtype == DType::kFloat32) {
    std::normal_distribution<float> dist(0, 1);
    for (int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = dist(rng);
  } else if (info.dtype == DType::kInt64) {
    std::uniform_int_distribution<int64_t> dist(0, IndexBound(g, info.name) - 1);
    for (int64_t i = 0; i < t.size(); ++i) t.data<int64_t>()[i] = dist(rng);
  }
  return t;
}

class OrtParity : public ::testing::TestWithParam<std::string> {};

TEST_P(OrtParity, MatchesOnnxRuntime) {
  fs::path model = fs::path(SourceDir()) / ".." / "shared" / "models" / (GetParam() + ".onnx");
  fs::path ort_dir = fs::path(SourceDir()) / "tests" / "infer" / "ort";
  if (!fs::exists(model)) GTEST_SKIP() << "model not found: " << model;
  if (std::system("node --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "node is not installed: no ORT reference";
  if (!fs::exists(ort_dir / "node_modules" / "onnxruntime-node")) {
    GTEST_SKIP() << "onnxruntime-node is not installed in " << ort_dir << " (the infer_ort_install test does it)";
  }
  auto graph = ImportOnnxFile(model.string());
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  OptimizeGraph(&*graph);
  uint64_t seed = std::random_device{}();
  std::printf("%s: seed %llu\n", GetParam().c_str(), static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  testing::TempDir tmp;
  std::map<std::string, Tensor> inputs;
  std::string cmd = "node " + (ort_dir / "run_ort.js").string() + " " + model.string() + " " + tmp.Sub("ort");
  for (const auto& info : graph->inputs) {
    Tensor t = RandomInput(*graph, info, rng);
    std::string file = tmp.Sub(info.name + ".npy");
    ASSERT_TRUE(WriteNpy(file, t).ok());
    cmd += " " + info.name + "=" + file;
    inputs[info.name] = std::move(t);
  }
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  ASSERT_TRUE(WriteEfm(*graph, tmp.Sub("model.efm")).ok());
  auto efm = Model::Open(tmp.Sub("model.efm"));
  ASSERT_TRUE(efm.ok()) << efm.status().ToString();
  Interpreter interp((*efm)->graph());
  // Run 1 records the memory plan, run 2 replays it from the arena.
  for (int run = 1; run <= 2; ++run) {
    auto outs = interp.Run(inputs);
    ASSERT_TRUE(outs.ok()) << outs.status().ToString();
    for (const auto& o : graph->outputs) {
      auto want = ReadNpy(tmp.Sub("ort/" + o.name + ".npy"));
      ASSERT_TRUE(want.ok()) << want.status().ToString();
      const Tensor& got = outs->at(o.name);
      ASSERT_EQ(want->shape(), got.shape()) << o.name;
      double err = RelativeL2(*want, got);
      std::printf("%s: run %d output %s relative L2 %.3g\n", GetParam().c_str(), run, o.name.c_str(), err);
      EXPECT_LE(err, 1e-4) << o.name << " (seed " << seed << ", run " << run << ")";
    }
  }
  auto stats = interp.stats();
  std::printf("%s: planned peak %zu bytes, %d plan(s), %d divergence(s)\n", GetParam().c_str(),
              stats.memory.planned_peak_bytes, stats.memory.plans, stats.memory.divergences);
  EXPECT_EQ(stats.memory.plans, 1);
  EXPECT_EQ(stats.memory.divergences, 0);
  EXPECT_GT(stats.memory.planned_peak_bytes, 0u);

  // int8 weights (model compile --quantize int8): relative L2 <= 2e-2.
  Graph quantized = *graph;
  auto report = QuantizeWeightsInt8BySensitivity(&quantized);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_GT(report->quantized, 0);
  std::printf("%s: int8 %d weights, %d int16 (%lld values), estimated error %.3g\n", GetParam().c_str(),
              report->quantized, report->kept_wide, static_cast<long long>(report->kept_wide_elements),
              report->estimated_error);
  ASSERT_TRUE(WriteEfm(quantized, tmp.Sub("int8.efm")).ok());
  auto q = Model::Open(tmp.Sub("int8.efm"));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  // About 4x (3.5-3.9x on these models: 8% of the weights may be int16).
  EXPECT_LT(fs::file_size(tmp.Sub("int8.efm")) * 34 / 10, fs::file_size(tmp.Sub("model.efm")));
  Interpreter qinterp((*q)->graph());
  auto qouts = qinterp.Run(inputs);
  ASSERT_TRUE(qouts.ok()) << qouts.status().ToString();
  for (const auto& o : graph->outputs) {
    auto want = ReadNpy(tmp.Sub("ort/" + o.name + ".npy"));
    ASSERT_TRUE(want.ok());
    const Tensor& got = qouts->at(o.name);
    ASSERT_EQ(want->shape(), got.shape()) << o.name;
    double err = RelativeL2(*want, got);
    std::printf("%s: int8 output %s relative L2 %.3g\n", GetParam().c_str(), o.name.c_str(), err);
    // With bias correction and sensitivity-chosen float weights (quantize.h,
    // aiming at 1e-2) mobilenet_v2 lands near 0.014-0.015 on fresh inputs,
    // resnet18 near 0.009: the 2e-2 holds with a margin.
    EXPECT_LE(err, 2e-2) << o.name << " (seed " << seed << ", int8)";
  }
}

INSTANTIATE_TEST_SUITE_P(Models, OrtParity,
                         ::testing::Values("mobilenet_v2", "resnet18", "din_rerank", "textcnn"));

}  // namespace
}  // namespace edgeflow::infer
