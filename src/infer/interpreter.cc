// Interpreter: topological execution with liveness-based freeing.
#include "infer/interpreter.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

// Elementwise ops whose result does not depend on the layout of their tensor
// inputs, as long as every non-scalar input has the same layout and shape.
bool LayoutAgnostic(const Node& n, const KernelInputs& in, const std::set<std::string>& nhwc) {
  static const std::set<std::string> kOps = {
      "Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Abs", "Neg", "Floor", "Ceil", "Reciprocal", "Erf",
      "Softplus", "LeakyRelu", "Elu", "HardSigmoid", "HardSwish", "Clip", "Cast", "Identity",
      "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum"};
  if (!kOps.count(n.op)) return false;
  const Tensor* shape_of = nullptr;
  for (size_t j = 0; j < in.size(); ++j) {
    if (!in[j] || in[j]->size() == 1) continue;  // absent or scalar: any layout
    if (!nhwc.count(n.inputs[j])) return false;  // an NCHW tensor operand
    if (shape_of && shape_of->shape() != in[j]->shape()) return false;
    shape_of = in[j];
  }
  return true;
}

}  // namespace

Interpreter::Interpreter(const Graph& graph, InterpreterOptions options) : graph_(graph) {
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    for (const auto& in : graph.nodes[i].inputs) last_use_[in] = i;
  }
  for (const auto& o : graph.outputs) last_use_[o.name] = graph.nodes.size();
  prepared_.resize(graph.nodes.size());
  if (options.use_xnnpack) xnn_ = std::make_unique<XnnBackend>(options.threads);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    if (xnn_ && xnn_->Supports(graph.nodes[i], graph)) {
      auto p = xnn_->Prepare(graph.nodes[i], graph);
      if (p.ok()) {
        prepared_[i] = std::move(p).value();
        ++stats_.xnnpack_nodes;
        continue;
      }
      ++stats_.fallbacks;
    }
    ++stats_.reference_nodes;
  }
}

Interpreter::~Interpreter() {
  prepared_.clear();  // before the backend that owns their thread pool
}

InterpreterStats Interpreter::stats() const {
  std::lock_guard<std::mutex> l(mu_);
  InterpreterStats s = stats_;
  s.memory = planner_.stats();
  return s;
}

Result<std::map<std::string, Tensor>> Interpreter::Run(const std::map<std::string, Tensor>& inputs,
                                                       const CancellationToken* cancel) const {
  std::lock_guard<std::mutex> lock(mu_);
  // The plan depends on the input shapes only (a new batch or candidate
  // count plans once); every tensor of the run lives in the planner's arena.
  std::string signature;
  for (const auto& [name, t] : inputs) signature += name + t.ShapeString() + DTypeName(t.dtype()) + ";";
  planner_.BeginRun(signature);
  Result<std::map<std::string, Tensor>> result = Status::Internal("not run");
  {
    ScopedTensorAllocator scope(&planner_);
    result = RunPlanned(inputs, cancel);  // outputs are heap clones: they outlive the arena's next use
  }
  planner_.EndRun(result.ok());
  return result;
}

Result<std::map<std::string, Tensor>> Interpreter::RunPlanned(const std::map<std::string, Tensor>& inputs,
                                                              const CancellationToken* cancel) const {
  std::map<std::string, Tensor> values;
  for (const auto& info : graph_.inputs) {
    auto it = inputs.find(info.name);
    if (it == inputs.end()) return Status::InvalidArgument("missing model input '" + info.name + "'");
    const Tensor& t = it->second;
    if (t.dtype() != info.dtype) {
      return Status::InvalidArgument("input '" + info.name + "': expected " + DTypeName(info.dtype) + ", got " +
                                     DTypeName(t.dtype()));
    }
    if (info.shape.size() != t.shape().size()) {
      return Status::InvalidArgument("input '" + info.name + "': expected rank " + std::to_string(info.shape.size()) +
                                     ", got shape " + t.ShapeString());
    }
    for (size_t d = 0; d < info.shape.size(); ++d) {
      if (info.shape[d] >= 0 && info.shape[d] != t.shape()[d]) {
        return Status::InvalidArgument("input '" + info.name + "': expected shape " + ShapeString(info.shape) +
                                       ", got " + t.ShapeString());
      }
    }
    values[info.name] = t;
  }
  // Values produced by NHWC convolutions stay NHWC ([N,H,W,C]) while the
  // nodes reading them do not care about layout (elementwise ops on one
  // tensor, or on two tensors of the same layout and shape); any other reader
  // gets an NCHW copy. This keeps runs of conv / activation / residual-add in
  // XNNPACK's layout instead of transposing around every convolution.
  std::set<std::string> nhwc;
  auto lookup = [&](const std::string& name) -> const Tensor* {
    if (name.empty()) return nullptr;
    auto v = values.find(name);
    if (v != values.end()) return &v->second;
    auto w = graph_.initializers.find(name);
    return w == graph_.initializers.end() ? nullptr : &w->second;
  };
  // EDGEFLOW_PROFILE=1 prints the time spent per op type on stderr.
  static const bool profile = std::getenv("EDGEFLOW_PROFILE") != nullptr;
  std::map<std::string, double> op_ms;
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (cancel && cancel->cancelled()) return Status::Cancelled("inference cancelled before node " + std::to_string(i));
    const Node& n = graph_.nodes[i];
    auto node_start = std::chrono::steady_clock::now();
    const KernelInfo* k = FindKernel(n.op);
    if (!k) return Status::Unsupported(n.Describe() + ": operator " + n.op + " is not supported");
    KernelInputs in;
    for (const auto& name : n.inputs) {
      const Tensor* t = lookup(name);
      if (!name.empty() && !t) return Status::InvalidArgument(n.Describe() + ": input '" + name + "' is not defined");
      in.push_back(t);
    }
    // Decide the layout this node runs in.
    bool any_nhwc = false;
    for (const auto& name : n.inputs) any_nhwc |= nhwc.count(name) > 0;
    bool run_nhwc = false;
    if (prepared_[i] && prepared_[i]->nhwc()) {
      run_nhwc = true;
    } else if (any_nhwc && LayoutAgnostic(n, in, nhwc)) {
      run_nhwc = true;
    }
    std::vector<Tensor> converted;  // NCHW copies for readers that need them
    converted.reserve(n.inputs.size());
    if (!run_nhwc) {
      for (size_t j = 0; j < n.inputs.size(); ++j) {
        if (nhwc.count(n.inputs[j])) {
          converted.push_back(NhwcToNchw(*in[j]));
          in[j] = &converted.back();
        }
      }
    }
    std::vector<Tensor> outs;
    bool out_nhwc = false;
    if (prepared_[i] && prepared_[i]->nhwc()) {
      const Tensor* x = in[0];
      Tensor x_nhwc;
      if (!nhwc.count(n.inputs[0])) {
        if (x->rank() == 4 && x->dtype() == DType::kFloat32) {
          x_nhwc = NchwToNhwc(*x);
          x = &x_nhwc;
        } else {
          x = nullptr;
        }
      }
      Tensor y;
      Status s = x ? prepared_[i]->RunNhwc(*x, &y) : Status::InvalidArgument("input not 4-D float32");
      if (s.ok()) {
        outs.push_back(std::move(y));
        out_nhwc = true;
      } else {
        ++stats_.fallbacks;
        KernelInputs ref_in = in;
        Tensor nchw;
        if (nhwc.count(n.inputs[0])) {
          nchw = NhwcToNchw(*in[0]);
          ref_in[0] = &nchw;
        }
        EF_RETURN_IF_ERROR(k->run(n, ref_in, &outs));
      }
    } else if (prepared_[i]) {
      Status s = prepared_[i]->Run(in, &outs);
      if (!s.ok()) {
        // The backend refused this input (e.g. a new shape): the reference
        // kernel computes the node instead, and the fallback is counted.
        ++stats_.fallbacks;
        outs.clear();
        EF_RETURN_IF_ERROR(k->run(n, in, &outs));
      }
    } else {
      EF_RETURN_IF_ERROR(k->run(n, in, &outs));
      out_nhwc = run_nhwc;
    }
    for (size_t o = 0; o < n.outputs.size() && o < outs.size(); ++o) {
      if (n.outputs[o].empty()) continue;
      values[n.outputs[o]] = std::move(outs[o]);
      if (out_nhwc && o == 0) {
        nhwc.insert(n.outputs[o]);
      } else {
        nhwc.erase(n.outputs[o]);
      }
    }
    for (const auto& name : n.inputs) {
      auto lu = last_use_.find(name);
      if (lu != last_use_.end() && lu->second == i) {
        values.erase(name);
        nhwc.erase(name);
      }
    }
    if (profile) {
      op_ms[n.op + (prepared_[i] ? " (xnnpack)" : "")] +=
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - node_start).count();
    }
  }
  for (const auto& [op, ms] : op_ms) std::fprintf(stderr, "profile: %-28s %9.3f ms\n", op.c_str(), ms);
  for (const auto& o : graph_.outputs) {
    if (nhwc.count(o.name)) values[o.name] = NhwcToNchw(values[o.name]);
  }
  std::map<std::string, Tensor> result;
  for (const auto& o : graph_.outputs) {
    const Tensor* t = lookup(o.name);
    if (!t) return Status::Internal("output '" + o.name + "' was not computed");
    result[o.name] = t->Clone();  // outputs outlive the model's mapping and the run's arena
  }
  return result;
}

}  // namespace edgeflow::infer
