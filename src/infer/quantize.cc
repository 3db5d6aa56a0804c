// Per-channel symmetric int8 weight quantization.
#include "infer/quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "infer/interpreter.h"
#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

// Quantizes `w` along `axis` into q (int8, or int16 when `wide`) and scale
// (float32 [dim(axis)]): symmetric, scale = max|w| / 127 (32767).
void Quantize(const Tensor& w, int axis, bool wide, Tensor* q, Tensor* scale) {
  int64_t dim = w.dim(axis), inner = 1;
  for (int d = axis + 1; d < w.rank(); ++d) inner *= w.dim(d);
  const float top = wide ? 32767.0f : 127.0f;
  *q = Tensor(wide ? DType::kInt16 : DType::kInt8, w.shape());
  *scale = Tensor(DType::kFloat32, {dim});
  std::vector<float> amax(static_cast<size_t>(dim), 0.0f);
  const float* pw = w.data<float>();
  for (int64_t i = 0; i < w.size(); ++i) {
    auto c = static_cast<size_t>((i / inner) % dim);
    amax[c] = std::max(amax[c], std::fabs(pw[i]));
  }
  for (int64_t c = 0; c < dim; ++c) {
    float s = amax[static_cast<size_t>(c)] / top;
    scale->data<float>()[c] = s > 0 ? s : 1.0f;
  }
  for (int64_t i = 0; i < w.size(); ++i) {
    float s = scale->data<float>()[(i / inner) % dim];
    float v = std::min(std::max(std::nearbyint(pw[i] / s), -top), top);
    if (wide) {
      q->data<int16_t>()[i] = static_cast<int16_t>(v);
    } else {
      q->data<int8_t>()[i] = static_cast<int8_t>(v);
    }
  }
}

// A weight holding NaN or infinity has no int8 scale; it stays float32.
bool AllFinite(const Tensor& w) {
  const float* p = w.data<float>();
  return std::all_of(p, p + w.size(), [](float v) { return std::isfinite(v); });
}

// Weight name -> channel axis of every weight QuantizeWeightsInt8 would quantize.
std::map<std::string, int> Eligible(const Graph& graph, int64_t min_elements) {
  const Graph* g = &graph;
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
  for (const auto& name : conflicting) axis_of.erase(name);
  for (auto it = axis_of.begin(); it != axis_of.end();) {
    bool is_output = false;
    for (const auto& o : g->outputs) is_output |= o.name == it->first;
    bool taken = g->initializers.count(it->first + "::int8") || g->initializers.count(it->first + "::int16") ||
                 g->initializers.count(it->first + "::scale");
    it = is_output || taken ? axis_of.erase(it) : std::next(it);
  }
  return axis_of;
}

// Seeded inputs for a sensitivity run (quantize.h).
std::map<std::string, Tensor> RandomInputs(const Graph& g, std::mt19937_64& rng) {
  std::map<std::string, Tensor> inputs;
  for (const ValueInfo& in : g.inputs) {
    std::vector<int64_t> shape = in.shape;
    for (auto& d : shape) d = d < 0 ? 1 : d;
    Tensor t(in.dtype, shape);
    if (in.dtype == DType::kFloat32) {
      std::normal_distribution<float> d(0, 1);
      for (int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = d(rng);
    } else if (in.dtype == DType::kInt64 || in.dtype == DType::kInt32) {
      int64_t rows = 0;  // the table it indexes, if a Gather reads it
      for (const Node& n : g.nodes) {
        if (n.op != "Gather" || n.inputs.size() < 2 || n.inputs[1] != in.name) continue;
        auto table = g.initializers.find(n.inputs[0]);
        if (table == g.initializers.end() || table->second.rank() < 1) continue;
        int64_t axis = n.Int("axis", 0);
        if (axis < 0) axis += table->second.rank();
        if (axis >= 0 && axis < table->second.rank()) rows = table->second.dim(static_cast<int>(axis));
      }
      std::uniform_int_distribution<int64_t> d(0, std::max<int64_t>(rows - 1, 0));
      for (int64_t i = 0; i < t.size(); ++i) {
        if (in.dtype == DType::kInt64) {
          t.data<int64_t>()[i] = d(rng);
        } else {
          t.data<int32_t>()[i] = static_cast<int32_t>(d(rng));
        }
      }
    }
    inputs.emplace(in.name, std::move(t));
  }
  return inputs;
}

// Relative L2 distance over every output.
double OutputError(const std::map<std::string, Tensor>& want, const std::map<std::string, Tensor>& got) {
  double num = 0, den = 0;
  for (const auto& [name, w] : want) {
    auto it = got.find(name);
    if (it == got.end() || it->second.size() != w.size()) return std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < w.size(); ++i) {
      double d = w.AsDouble(i) - it->second.AsDouble(i);
      num += d * d;
      den += w.AsDouble(i) * w.AsDouble(i);
    }
  }
  return std::sqrt(num / std::max(den, 1e-30));
}

// The node that turns the int8 weight `name` back into float32 (the device
// computes it once at load: model.cc DequantizeWeights).
Node DequantizeNode(const std::string& name, int axis, int64_t opset, bool wide = false) {
  Node d{"dequantize " + name, "DequantizeLinear", {name + (wide ? "::int16" : "::int8"), name + "::scale"}, {name}, {}, opset};
  d.attrs["axis"] = Attribute::Int(axis);
  return d;
}

// `w` rounded through int8 and back by the same DequantizeLinear kernel the
// device runs, so that a sensitivity run sees exactly the device's weights.
Result<Tensor> RoundTrip(const std::string& name, const Tensor& w, int axis, int64_t opset) {
  Tensor q, scale;
  Quantize(w, axis, false, &q, &scale);
  std::vector<Tensor> out;
  EF_RETURN_IF_ERROR(FindKernel("DequantizeLinear")->run(DequantizeNode(name, axis, opset), {&q, &scale}, &out));
  return std::move(out[0]);
}

// Bias correction (Nagel et al., "Data-free quantization", 2019): rounding a
// weight shifts each output by sum_k dw[o][k] * x[k]; over the inputs that
// shift has the mean sum_k dw[o][k] * E[x[k]], large after a ReLU (inputs
// all positive). Subtracting that mean from the node's bias removes the
// systematic part of the error and leaves the random part.
struct Consumer {
  size_t node = 0;
  std::string input;  // the activation the weight multiplies
};

// Weight name -> the one Conv, or Gemm with alpha = beta = 1, that reads it
// as its weight, when nothing else reads the weight or that node's bias.
std::map<std::string, Consumer> BiasCorrectable(const Graph& g, const std::map<std::string, int>& eligible) {
  std::map<std::string, int> reads;
  for (const Node& n : g.nodes) {
    for (const std::string& in : n.inputs) ++reads[in];
  }
  std::map<std::string, Consumer> out;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    const bool conv = n.op == "Conv";
    const bool gemm = n.op == "Gemm" && n.Int("transA", 0) == 0 && n.Float("alpha", 1) == 1.0f &&
                      n.Float("beta", 1) == 1.0f;
    if ((!conv && !gemm) || n.inputs.size() < 2 || !eligible.count(n.inputs[1]) || reads[n.inputs[1]] != 1) continue;
    const bool has_bias = n.inputs.size() > 2 && !n.inputs[2].empty();
    if (has_bias && (reads[n.inputs[2]] != 1 || !g.initializers.count(n.inputs[2]))) continue;
    out[n.inputs[1]] = Consumer{i, n.inputs[0]};
  }
  return out;
}

// Per-channel means of each activation in `names` over the calibration runs:
// channel axis 1 for a Conv's NCHW input, the last axis for a Gemm's.
Result<std::map<std::string, std::vector<double>>> ChannelMeans(const Graph& g, const std::set<std::string>& conv_inputs,
                                                               const std::set<std::string>& gemm_inputs,
                                                               const std::vector<std::map<std::string, Tensor>>& inputs) {
  Graph probe = g;
  for (const auto* names : {&conv_inputs, &gemm_inputs}) {
    for (const std::string& name : *names) probe.outputs.push_back({name, DType::kFloat32, {}});
  }
  Interpreter run(probe);
  std::map<std::string, std::vector<double>> sums;
  std::map<std::string, double> counts;
  for (const auto& in : inputs) {
    auto out = run.Run(in);
    if (!out.ok()) return out.status().WithContext("int8 bias correction");
    for (const auto* names : {&conv_inputs, &gemm_inputs}) {
      const bool conv = names == &conv_inputs;
      for (const std::string& name : *names) {
        const Tensor& t = out->at(name);
        if (t.dtype() != DType::kFloat32 || t.rank() < 2) continue;
        const int axis = conv ? 1 : t.rank() - 1;
        int64_t inner = 1;
        for (int d = axis + 1; d < t.rank(); ++d) inner *= t.dim(d);
        const int64_t channels = t.dim(axis);
        auto& sum = sums[name];
        sum.resize(static_cast<size_t>(channels), 0.0);
        for (int64_t i = 0; i < t.size(); ++i) sum[static_cast<size_t>((i / inner) % channels)] += t.data<float>()[i];
        counts[name] += static_cast<double>(t.size() / std::max<int64_t>(channels, 1));
      }
    }
  }
  for (auto& [name, sum] : sums) {
    for (double& v : sum) v /= std::max(counts[name], 1.0);
  }
  return sums;
}

// The bias of node `c` after `w` (its weight) is replaced by `rounded`, given
// the means of its input; nullopt when the shapes do not fit (left alone).
std::optional<Tensor> CorrectedBias(const Graph& g, const Node& n, const Tensor& w, const Tensor& rounded,
                                    const std::vector<double>& mean) {
  const bool conv = n.op == "Conv";
  int64_t m = 0;
  std::vector<double> delta;
  if (conv) {
    if (w.rank() < 3) return std::nullopt;
    m = w.dim(0);
    const int64_t cg = w.dim(1), taps = w.size() / std::max<int64_t>(m * cg, 1), groups = n.Int("group", 1);
    if (groups < 1 || m % groups || static_cast<int64_t>(mean.size()) != cg * groups) return std::nullopt;
    delta.assign(static_cast<size_t>(m), 0.0);
    for (int64_t o = 0; o < m; ++o) {
      const int64_t first = (o / (m / groups)) * cg;
      for (int64_t i = 0; i < cg; ++i) {
        for (int64_t t = 0; t < taps; ++t) {
          const int64_t at = (o * cg + i) * taps + t;
          delta[static_cast<size_t>(o)] += (rounded.data<float>()[at] - w.data<float>()[at]) * mean[static_cast<size_t>(first + i)];
        }
      }
    }
  } else {
    if (w.rank() != 2) return std::nullopt;
    const bool tb = n.Int("transB", 0) != 0;
    const int64_t k = tb ? w.dim(1) : w.dim(0);
    m = tb ? w.dim(0) : w.dim(1);
    if (static_cast<int64_t>(mean.size()) != k) return std::nullopt;
    delta.assign(static_cast<size_t>(m), 0.0);
    for (int64_t o = 0; o < m; ++o) {
      for (int64_t i = 0; i < k; ++i) {
        const int64_t at = tb ? o * k + i : i * m + o;
        delta[static_cast<size_t>(o)] += (rounded.data<float>()[at] - w.data<float>()[at]) * mean[static_cast<size_t>(i)];
      }
    }
  }
  Tensor bias(DType::kFloat32, {m});
  if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
    const Tensor& old = g.initializers.at(n.inputs[2]);
    if (old.dtype() != DType::kFloat32 || old.size() != m) return std::nullopt;
    for (int64_t o = 0; o < m; ++o) bias.data<float>()[o] = old.data<float>()[o];
  }
  for (int64_t o = 0; o < m; ++o) bias.data<float>()[o] -= static_cast<float>(delta[static_cast<size_t>(o)]);
  return bias;
}

// Puts `bias` into node `n`: over its bias initializer, or as a new one.
void SetBias(Graph* g, Node* n, const std::string& weight, Tensor bias) {
  if (n->inputs.size() < 3) n->inputs.resize(3);
  if (n->inputs[2].empty()) n->inputs[2] = weight + "::bias";
  g->initializers[n->inputs[2]] = std::move(bias);
}

}  // namespace

int QuantizeWeightsInt8(Graph* g, int64_t min_elements, const std::set<std::string>* keep_float,
                        const std::set<std::string>* as_int16) {
  std::vector<Node> dequant;
  int int8 = 0;
  for (const auto& [name, axis] : Eligible(*g, min_elements)) {
    if (keep_float && keep_float->count(name)) continue;
    const bool wide = as_int16 && as_int16->count(name);
    Tensor q, scale;
    Quantize(g->initializers.at(name), axis, wide, &q, &scale);
    g->initializers.erase(name);
    g->initializers[name + (wide ? "::int16" : "::int8")] = std::move(q);
    g->initializers[name + "::scale"] = std::move(scale);
    dequant.push_back(DequantizeNode(name, axis, g->opset, wide));
    int8 += !wide;
  }
  g->nodes.insert(g->nodes.begin(), dequant.begin(), dequant.end());
  return int8;
}

Result<QuantizeReport> QuantizeWeightsInt8BySensitivity(Graph* g, const QuantizeOptions& options) {
  const std::map<std::string, int> eligible = Eligible(*g, options.min_elements);
  std::set<std::string> wide;  // chosen by sensitivity: int16 (or float32)
  QuantizeReport report;
  if ((options.wide_budget > 0 || options.bias_correction) && !eligible.empty()) {
    std::mt19937_64 rng(options.seed);
    std::vector<std::map<std::string, Tensor>> inputs, reference;
    {
      Interpreter fp32(*g);
      for (const auto& [name, t] : options.calibration) {
        bool known = false;
        for (const ValueInfo& in : g->inputs) known |= in.name == name;
        if (!known) return Status::InvalidArgument("int8 sensitivity: calibration input '" + name + "' is not a model input");
      }
      const int runs = options.calibration.empty() ? options.runs : 1;
      for (int r = 0; r < runs; ++r) {
        inputs.push_back(RandomInputs(*g, rng));
        for (const auto& [name, t] : options.calibration) inputs.back()[name] = t;
        auto out = fp32.Run(inputs.back());
        if (!out.ok()) return out.status().WithContext("int8 sensitivity: the float model does not run");
        reference.push_back(std::move(out).value());
      }
    }
    // Bias correction, measured with each weight in the sensitivity runs.
    std::map<std::string, Consumer> correctable;
    std::map<std::string, std::vector<double>> means;
    if (options.bias_correction) {
      correctable = BiasCorrectable(*g, eligible);
      std::set<std::string> conv_inputs, gemm_inputs;
      for (const auto& [name, c] : correctable) {
        (g->nodes[c.node].op == "Conv" ? conv_inputs : gemm_inputs).insert(c.input);
      }
      if (!correctable.empty()) {
        EF_ASSIGN_OR_RETURN(means, ChannelMeans(*g, conv_inputs, gemm_inputs, inputs));
      }
    }
    // The corrected bias for weight `name` rounded to `rounded`, if any.
    auto corrected = [&](const std::string& name, const Tensor& w, const Tensor& rounded) -> std::optional<Tensor> {
      auto c = correctable.find(name);
      if (c == correctable.end()) return std::nullopt;
      auto mean = means.find(c->second.input);
      if (mean == means.end()) return std::nullopt;
      return CorrectedBias(*g, g->nodes[c->second.node], w, rounded, mean->second);
    };
    struct Sensitivity {
      std::string name;
      int64_t elements;
      double error;
    };
    std::vector<Sensitivity> weights;
    int64_t total = 0;
    for (const auto& [name, axis] : eligible) {
      Tensor& w = g->initializers.at(name);
      auto rounded = RoundTrip(name, w, axis, g->opset);
      if (!rounded.ok()) return rounded.status().WithContext("int8 sensitivity");
      std::optional<Tensor> bias = corrected(name, w, *rounded);
      Tensor original = std::move(w);
      w = std::move(rounded).value();
      // With the corrected bias for this run; the node's own afterwards.
      Node* consumer = bias ? &g->nodes[correctable.at(name).node] : nullptr;
      const Node saved_node = consumer ? *consumer : Node();
      std::optional<Tensor> saved_bias;
      if (consumer && consumer->inputs.size() > 2 && !consumer->inputs[2].empty()) {
        saved_bias = g->initializers.at(consumer->inputs[2]);
      }
      if (consumer) SetBias(g, consumer, name, std::move(*bias));
      double err = 0;
      {
        Interpreter probe(*g);
        for (size_t r = 0; r < inputs.size(); ++r) {
          auto out = probe.Run(inputs[r]);
          err = std::max(err, out.ok() ? OutputError(reference[r], *out)
                                       : std::numeric_limits<double>::infinity());
        }
      }
      if (consumer) {
        if (saved_bias) {
          g->initializers[consumer->inputs[2]] = std::move(*saved_bias);
        } else {
          g->initializers.erase(consumer->inputs[2]);
        }
        *consumer = saved_node;
      }
      Tensor& restored = g->initializers.at(name);
      restored = std::move(original);
      weights.push_back({name, restored.size(), err});
      total += w.size();
    }
    // Most error per element first; keep float while the budget lasts.
    std::sort(weights.begin(), weights.end(), [](const Sensitivity& a, const Sensitivity& b) {
      return a.error * a.error / static_cast<double>(a.elements) > b.error * b.error / static_cast<double>(b.elements);
    });
    // ... until the estimated error of the rest is under the target.
    const auto budget = static_cast<int64_t>(options.wide_budget * static_cast<double>(total));
    double squared = 0;
    for (const Sensitivity& s : weights) squared += s.error * s.error;
    const double target = options.target_error * options.target_error;
    for (const Sensitivity& s : weights) {
      if (squared > target && report.kept_wide_elements + s.elements <= budget && s.error > 0) {
        wide.insert(s.name);
        report.kept_wide_elements += s.elements;
        ++report.kept_wide;
        squared -= s.error * s.error;
      }
    }
    report.estimated_error = std::sqrt(std::max(squared, 0.0));
    // The quantized weights' nodes get their corrected biases (before the
    // dequantize nodes are inserted ahead of them, which renumbers nodes).
    for (const auto& [name, c] : correctable) {
      if (wide.count(name)) continue;
      const Tensor& w = g->initializers.at(name);
      auto rounded = RoundTrip(name, w, eligible.at(name), g->opset);
      if (!rounded.ok()) return rounded.status().WithContext("int8 bias correction");
      if (std::optional<Tensor> bias = corrected(name, w, *rounded)) {
        SetBias(g, &g->nodes[c.node], name, std::move(*bias));
        ++report.bias_corrected;
      }
    }
  }
  if (options.wide_int16) {
    report.quantized = QuantizeWeightsInt8(g, options.min_elements, nullptr, &wide);
  } else {
    report.quantized = QuantizeWeightsInt8(g, options.min_elements, &wide);
  }
  return report;
}

}  // namespace edgeflow::infer
