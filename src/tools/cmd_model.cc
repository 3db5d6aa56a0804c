// `edgeflow model compile` (ONNX -> optimised .efm) and `edgeflow model run`
// (an .efm or .onnx model on .npy inputs, outputs written as .npy).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "infer/efm_writer.h"
#include "infer/interpreter.h"
#include "infer/model.h"
#include "infer/npy.h"
#include "infer/onnx_import.h"
#include "infer/passes.h"
#include "infer/quantize.h"
#include "tools/cli.h"

namespace edgeflow::cli {
namespace {

constexpr const char* kName = "model run";
constexpr const char* kUsage =
    "usage: edgeflow model run MODEL.efm|MODEL.onnx --input NAME=FILE.npy ... [--output-dir DIR]\n"
    "                          [--threads T] [--bench N]\n"
    "\n"
    "Runs the model on the given inputs and writes each output to DIR/<name>.npy\n"
    "(without --output-dir, prints each output's name, type, shape and first values).\n"
    "  --threads T   threads for the XNNPACK-backed ops (Conv, Gemm); default 1\n"
    "  --bench N     after one warm-up run, times N runs and prints median_ms, p90_ms, load_ms,\n"
    "                the memory plan's planned_peak_bytes, the partition (subgraphs=BACKEND:N,...\n"
    "                nodes=BACKEND:N,... per backend) and prepare_fallbacks, run_fallbacks\n"
    "\n"
    "An .efm file (from `edgeflow model compile`) is mapped and validated; an .onnx\n"
    "file is imported and optimised in memory first.\n";

using infer::Tensor;

std::string Preview(const Tensor& t) {
  std::string s;
  for (int64_t i = 0; i < std::min<int64_t>(t.size(), 6); ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.6g", i ? ", " : "", t.AsDouble(i));
    s += buf;
  }
  return s + (t.size() > 6 ? ", ..." : "");
}

int Run(const std::vector<std::string>& argv) {
  if (WantsHelp(argv)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::string model, out_dir;
  std::map<std::string, Tensor> inputs;
  int bench = 0;
  infer::InterpreterOptions options;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    auto value = [&]() -> const std::string* { return i + 1 < argv.size() ? &argv[++i] : nullptr; };
    if (a == "--input") {
      const std::string* v = value();
      size_t eq = v ? v->find('=') : std::string::npos;
      if (eq == std::string::npos) return Fail(kName, "--input needs NAME=FILE.npy");
      auto t = infer::ReadNpy(v->substr(eq + 1));
      if (!t.ok()) return Fail(kName, t.status().message());
      inputs[v->substr(0, eq)] = std::move(t).value();
    } else if (a == "--output-dir") {
      const std::string* v = value();
      if (!v) return Fail(kName, "--output-dir needs a directory");
      out_dir = *v;
    } else if (a == "--threads") {
      const std::string* v = value();
      if (!v || std::atoi(v->c_str()) < 1 || std::atoi(v->c_str()) > 64) {
        return Fail(kName, "--threads needs a number from 1 to 64");
      }
      options.threads = std::atoi(v->c_str());
    } else if (a == "--bench") {
      const std::string* v = value();
      bench = v ? std::atoi(v->c_str()) : 0;
      if (bench < 1) return Fail(kName, "--bench needs a positive number of runs");
    } else if (!a.empty() && a[0] == '-') {
      return Fail(kName, "unknown argument '" + a + "' (see --help)");
    } else if (model.empty()) {
      model = a;
    } else {
      return Fail(kName, "more than one model given ('" + model + "', '" + a + "')");
    }
  }
  if (model.empty()) return Fail(kName, "no model given (see --help)");
  auto load_start = std::chrono::steady_clock::now();
  std::unique_ptr<infer::Model> efm;
  infer::Graph onnx_graph;
  const infer::Graph* graph = nullptr;
  if (model.size() > 4 && model.substr(model.size() - 4) == ".efm") {
    auto m = infer::Model::Open(model);
    if (!m.ok()) return Fail(kName, m.status().message());
    efm = std::move(m).value();
    graph = &efm->graph();
  } else {
    auto g = infer::ImportOnnxFile(model);
    if (!g.ok()) return Fail(kName, g.status().message());
    onnx_graph = std::move(g).value();
    infer::OptimizeGraph(&onnx_graph);
    graph = &onnx_graph;
  }
  infer::Interpreter interp(*graph, options);  // prepares (packs) the XNNPACK nodes: part of loading
  double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - load_start).count();
  auto outputs = interp.Run(inputs);
  if (!outputs.ok()) return Fail(kName, outputs.status().message());

  if (bench > 0) {
    std::vector<double> ms;
    for (int r = 0; r < bench; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      auto again = interp.Run(inputs);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      if (!again.ok()) return Fail(kName, again.status().message());
      if (r == 0 && ms[0] > 1000) std::fprintf(stderr, "model run: %.0f ms per run, %d runs\n", ms[0], bench);
    }
    std::sort(ms.begin(), ms.end());
    infer::InterpreterStats stats = interp.stats();
    std::string subgraphs, nodes;
    for (const auto& use : stats.backends) {
      if (use.subgraphs == 0) continue;
      subgraphs += (subgraphs.empty() ? "" : ",") + use.backend + ":" + std::to_string(use.subgraphs);
      nodes += (nodes.empty() ? "" : ",") + use.backend + ":" + std::to_string(use.nodes);
    }
    std::printf(
        "median_ms=%.3f p90_ms=%.3f load_ms=%.3f runs=%d planned_peak_bytes=%zu subgraphs=%s nodes=%s "
        "prepare_fallbacks=%d run_fallbacks=%d\n",
        ms[ms.size() / 2], ms[std::min(ms.size() - 1, static_cast<size_t>(0.9 * static_cast<double>(ms.size())))],
        load_ms, bench, stats.memory.planned_peak_bytes, subgraphs.empty() ? "-" : subgraphs.c_str(),
        nodes.empty() ? "-" : nodes.c_str(), stats.prepare_fallbacks, stats.run_fallbacks);
  }
  if (!out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    for (const auto& [name, t] : *outputs) {
      Status s = infer::WriteNpy(out_dir + "/" + name + ".npy", t);
      if (!s.ok()) return Fail(kName, s.message());
    }
  } else if (bench == 0) {
    for (const auto& [name, t] : *outputs) {
      std::printf("%s %s %s: %s\n", name.c_str(), infer::DTypeName(t.dtype()), t.ShapeString().c_str(),
                  Preview(t).c_str());
    }
  }
  return 0;
}

EF_CLI_COMMAND("model run", "run an .efm or ONNX model on .npy inputs", Run);

constexpr const char* kCompileName = "model compile";
constexpr const char* kCompileUsage =
    "usage: edgeflow model compile IN.onnx -o OUT.efm [--quantize int8 [--calibrate NAME=FILE.npy ...]]\n"
    "\n"
    "Imports the ONNX model (opset 11-17), optimises the graph and writes the\n"
    "compiled, checksummed, mmap-able .efm file (layout: docs/infer.md).\n"
    "  --quantize int8   per-channel symmetric int8 weights for Conv, Gemm, MatMul and\n"
    "                    embedding Gather (activations stay float32; on CPUs with\n"
    "                    AVX-512 VNNI the 1x1 Conv, Gemm and MatMul products run in\n"
    "                    integers, other weights are dequantized at load). The\n"
    "                    weights whose rounding moves the outputs most per value\n"
    "                    (measured on seeded random inputs) become int16 instead,\n"
    "                    up to 8% of the quantizable values\n"
    "  --calibrate NAME=FILE.npy   measure that sensitivity on this input instead of a\n"
    "                    random one (repeat per input; inputs not given stay random)\n";

int Compile(const std::vector<std::string>& argv) {
  if (WantsHelp(argv)) {
    std::fputs(kCompileUsage, stdout);
    return 0;
  }
  std::string in, out, quantize;
  infer::QuantizeOptions qopts;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--calibrate") {
      size_t eq = i + 1 < argv.size() ? argv[i + 1].find('=') : std::string::npos;
      if (eq == std::string::npos) return Fail(kCompileName, "--calibrate needs NAME=FILE.npy");
      const std::string& v = argv[++i];
      auto t = infer::ReadNpy(v.substr(eq + 1));
      if (!t.ok()) return Fail(kCompileName, "--calibrate " + v + ": " + t.status().message());
      qopts.calibration[v.substr(0, eq)] = std::move(t).value();
    } else if (a == "-o" || a == "--output") {
      if (i + 1 >= argv.size()) return Fail(kCompileName, "-o needs an output path");
      out = argv[++i];
    } else if (a == "--quantize") {
      if (i + 1 >= argv.size()) return Fail(kCompileName, "--quantize needs a mode (int8)");
      quantize = argv[++i];
    } else if (!a.empty() && a[0] == '-') {
      return Fail(kCompileName, "unknown argument '" + a + "' (see --help)");
    } else if (in.empty()) {
      in = a;
    } else {
      return Fail(kCompileName, "more than one input model given ('" + in + "', '" + a + "')");
    }
  }
  if (in.empty()) return Fail(kCompileName, "no input model given (see --help)");
  if (out.empty()) return Fail(kCompileName, "no output given: -o OUT.efm");
  if (!quantize.empty()) {
    if (quantize != "int8") return Fail(kCompileName, "--quantize: unknown mode '" + quantize + "' (int8)");
  } else if (!qopts.calibration.empty()) {
    return Fail(kCompileName, "--calibrate needs --quantize int8");
  }
  auto g = infer::ImportOnnxFile(in);
  if (!g.ok()) return Fail(kCompileName, g.status().message());
  size_t nodes_before = g->nodes.size();
  infer::OptimizeGraph(&*g);
  int quantized = 0, wide = 0;
  if (!quantize.empty()) {
    auto report = infer::QuantizeWeightsInt8BySensitivity(&*g, qopts);
    if (!report.ok()) return Fail(kCompileName, report.status().message());
    quantized = report->quantized;
    wide = report->kept_wide;
    std::fprintf(stderr,
                 "model compile: int8: %d weights int8, %d int16 by sensitivity (%lld values), "
                 "%d biases corrected, estimated output error %.3g\n",
                 report->quantized, report->kept_wide, static_cast<long long>(report->kept_wide_elements),
                 report->bias_corrected, report->estimated_error);
  }
  Status s = infer::WriteEfm(*g, out);
  if (!s.ok()) return Fail(kCompileName, s.message());
  std::error_code ec;
  auto bytes = std::filesystem::file_size(out, ec);
  std::fprintf(stderr,
               "model compile: %s: %zu nodes (%zu before optimisation), %zu weights (%d int8, %d int16), %llu bytes\n",
               out.c_str(), g->nodes.size() - static_cast<size_t>(quantized + wide), nodes_before,
               g->initializers.size(), quantized, wide, static_cast<unsigned long long>(ec ? 0 : bytes));
  return 0;
}

EF_CLI_COMMAND("model compile", "compile an ONNX model into an .efm file", Compile);

}  // namespace
}  // namespace edgeflow::cli
