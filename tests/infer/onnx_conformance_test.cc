// ONNX's own operator conformance suite (Debian's libonnx-testdata): every case
// whose ops the engine supports is imported, run on each of its test data
// sets, and compared with the expected outputs using ONNX's backend-test
// tolerances (rtol 1e-3, atol 1e-7). Prints supported / total / passed and
// writes the failures to $EDGEFLOW_BINARY_DIR/onnx_conformance_failures.txt.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "infer/efm_writer.h"
#include "infer/interpreter.h"
#include "infer/kernels.h"
#include "infer/model.h"
#include "infer/onnx_import.h"
#include "infer/passes.h"

namespace edgeflow::infer {
namespace {

namespace fs = std::filesystem;
const char* kDataRoot = "/usr/share/libonnx-testdata/data";

std::string Compare(const Tensor& want, const Tensor& got) {
  if (want.shape() != got.shape()) return "shape " + got.ShapeString() + ", expected " + want.ShapeString();
  if (want.dtype() != got.dtype()) return std::string("type ") + DTypeName(got.dtype()) + ", expected " + DTypeName(want.dtype());
  for (int64_t i = 0; i < want.size(); ++i) {
    double w = want.AsDouble(i), g = got.AsDouble(i);
    if (std::isnan(w) && std::isnan(g)) continue;
    if (std::isinf(w) && w == g) continue;
    if (!(std::fabs(w - g) <= 1e-7 + 1e-3 * std::fabs(w))) {
      return "element " + std::to_string(i) + ": " + std::to_string(g) + ", expected " + std::to_string(w);
    }
  }
  return "";
}

// "" on pass, "unsupported: ..." when the case needs what the engine lacks,
// otherwise the failure.
std::string RunCase(const fs::path& dir) {
  auto graph = ImportOnnxFile((dir / "model.onnx").string());
  if (!graph.ok()) {
    if (graph.status().code() == StatusCode::kUnsupported) return "unsupported: " + graph.status().message();
    return "import: " + graph.status().message();
  }
  OptimizeGraph(&*graph);
  // Every case runs the device path: compiled to an .efm image and loaded.
  auto image = SerializeEfm(*graph);
  if (!image.ok()) return "efm write: " + image.status().message();
  auto model = Model::FromBytes(*image, dir.filename().string() + ".efm");
  if (!model.ok()) return "efm load: " + model.status().message();
  Interpreter interp((*model)->graph());
  bool any = false;
  for (const auto& set : fs::directory_iterator(dir)) {
    if (!set.is_directory() || set.path().filename().string().rfind("test_data_set_", 0) != 0) continue;
    any = true;
    std::map<std::string, Tensor> inputs;
    // Data sets number their inputs in graph order, initializers excluded.
    for (size_t i = 0; i < graph->inputs.size(); ++i) {
      fs::path p = set.path() / ("input_" + std::to_string(i) + ".pb");
      if (!fs::exists(p)) continue;
      auto t = ReadTensorProtoFile(p.string());
      if (!t.ok()) return (t.status().code() == StatusCode::kUnsupported ? "unsupported: " : "input: ") + t.status().message();
      inputs[graph->inputs[i].name] = std::move(t).value();
    }
    auto outs = interp.Run(inputs);
    if (!outs.ok()) {
      if (outs.status().code() == StatusCode::kUnsupported) return "unsupported: " + outs.status().message();
      return "run: " + outs.status().message();
    }
    for (size_t i = 0; i < graph->outputs.size(); ++i) {
      fs::path p = set.path() / ("output_" + std::to_string(i) + ".pb");
      if (!fs::exists(p)) continue;
      auto want = ReadTensorProtoFile(p.string());
      if (!want.ok()) return (want.status().code() == StatusCode::kUnsupported ? "unsupported: " : "output: ") + want.status().message();
      std::string diff = Compare(*want, outs->at(graph->outputs[i].name));
      if (!diff.empty()) return "output " + graph->outputs[i].name + ": " + diff;
    }
  }
  return any ? "" : "unsupported: no test data set";
}

TEST(OnnxConformance, SupportedCasesPass) {
  if (!fs::exists(kDataRoot)) GTEST_SKIP() << "libonnx-testdata is not installed (" << kDataRoot << ")";
  int total = 0, supported = 0, passed = 0;
  std::vector<std::string> failures;
  for (const char* suite : {"node", "simple", "pytorch-converted", "pytorch-operator"}) {
    fs::path root = fs::path(kDataRoot) / suite;
    if (!fs::exists(root)) continue;
    std::vector<fs::path> cases;
    for (const auto& c : fs::directory_iterator(root)) {
      if (fs::exists(c.path() / "model.onnx")) cases.push_back(c.path());
    }
    std::sort(cases.begin(), cases.end());
    for (const auto& c : cases) {
      ++total;
      std::string r = RunCase(c);
      if (r.rfind("unsupported:", 0) == 0) continue;
      ++supported;
      if (r.empty()) {
        ++passed;
      } else {
        failures.push_back(std::string(suite) + "/" + c.filename().string() + ": " + r);
      }
    }
  }
  std::printf("onnx conformance: supported %d / total %d, passed %d / %d supported (%.1f%%)\n", supported, total,
              passed, supported, supported ? 100.0 * passed / supported : 0.0);
  const char* bin = std::getenv("EDGEFLOW_BINARY_DIR");
  std::ofstream f(std::string(bin ? bin : "/tmp") + "/onnx_conformance_failures.txt");
  for (const auto& x : failures) f << x << "\n";
  ASSERT_GT(supported, 0);
  EXPECT_GE(passed, supported * 95 / 100) << failures.size() << " failures, listed in onnx_conformance_failures.txt";
}

}  // namespace
}  // namespace edgeflow::infer
