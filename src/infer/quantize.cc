// Per-channel symmetric int8 weight quantization.
#include "infer/quantize.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace edgeflow::infer {
namespace {

// Quantizes `w` along `axis` into q (int8) and scale (float32 [dim(axis)]).
void Quantize(const Tensor& w, int axis, Tensor* q, Tensor* scale) {
  int64_t dim = w.dim(axis), inner = 1;
  for (int d = axis + 1; d < w.rank(); ++d) inner *= w.dim(d);
  *q = Tensor(DType::kInt8, w.shape());
  *scale = Tensor(DType::kFloat32, {dim});
  std::vector<float> amax(static_cast<size_t>(dim), 0.0f);
  const float* pw = w.data<float>();
  for (int64_t i = 0; i < w.size(); ++i) {
    auto c = static_cast<size_t>((i / inner) % dim);
    amax[c] = std::max(amax[c], std::fabs(pw[i]));
  }
  for (int64_t c = 0; c < dim; ++c) {
    float s = amax[static_cast<size_t>(c)] / 127.0f;
    scale->data<float>()[c] = s > 0 ? s : 1.0f;
  }
  for (int64_t i = 0; i < w.size(); ++i) {
    float s = scale->data<float>()[(i / inner) % dim];
    float v = std::nearbyint(pw[i] / s);
    q->data<int8_t>()[i] = static_cast<int8_t>(std::min(std::max(v, -127.0f), 127.0f));
  }
}

// A weight holding NaN or infinity has no int8 scale; it stays float32.
bool AllFinite(const Tensor& w) {
  const float* p = w.data<float>();
  return std::all_of(p, p + w.size(), [](float v) { return std::isfinite(v); });
}

}  // namespace

int QuantizeWeightsInt8(Graph* g, int64_t min_elements) {
  // Weight name -> channel axis; a weight read by two nodes wanting
  // different axes stays float.
  std::map<std::string, int> axis_of;
  std::set<std::string> conflicting;
  auto want = [&](const std::string& name, int axis) {
    auto it = g->initializers.find(name);
    if (it == g->initializers.end() || it->second.dtype() != DType::kFloat32 || it->second.size() < min_elements ||
        axis >= it->second.rank() || !AllFinite(it->second)) {
      return;
    }
    auto [pos, fresh] = axis_of.emplace(name, axis);
    if (!fresh && pos->second != axis) conflicting.insert(name);
  };
  for (const auto& n : g->nodes) {
    if (n.inputs.size() < 2) continue;
    if (n.op == "Conv") {
      want(n.inputs[1], 0);
    } else if (n.op == "Gemm") {
      want(n.inputs[1], n.Int("transB", 0) ? 0 : 1);
    } else if (n.op == "MatMul") {
      auto it = g->initializers.find(n.inputs[1]);
      if (it != g->initializers.end() && it->second.rank() >= 2) want(n.inputs[1], it->second.rank() - 1);
    } else if (n.op == "Gather") {
      auto it = g->initializers.find(n.inputs[0]);
      if (it != g->initializers.end() && it->second.rank() == 2 && n.Int("axis", 0) == 0) want(n.inputs[0], 0);
    }
  }
  std::vector<Node> dequant;
  for (const auto& [name, axis] : axis_of) {
    if (conflicting.count(name)) continue;
    bool is_output = false;
    for (const auto& o : g->outputs) is_output |= o.name == name;
    if (is_output) continue;
    Tensor q, scale;
    Quantize(g->initializers.at(name), axis, &q, &scale);
    std::string qn = name + "::int8", sn = name + "::scale";
    if (g->initializers.count(qn) || g->initializers.count(sn)) continue;
    g->initializers.erase(name);
    g->initializers[qn] = std::move(q);
    g->initializers[sn] = std::move(scale);
    Node d{"dequantize " + name, "DequantizeLinear", {qn, sn}, {name}, {}, g->opset};
    d.attrs["axis"] = Attribute::Int(axis);
    dequant.push_back(std::move(d));
  }
  g->nodes.insert(g->nodes.begin(), dequant.begin(), dequant.end());
  return static_cast<int>(dequant.size());
}

}  // namespace edgeflow::infer
