// Interpreter: topological execution with liveness-based freeing.
#include "infer/interpreter.h"

#include "infer/kernels.h"

namespace edgeflow::infer {

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
  return stats_;
}

Result<std::map<std::string, Tensor>> Interpreter::Run(const std::map<std::string, Tensor>& inputs,
                                                       const CancellationToken* cancel) const {
  std::lock_guard<std::mutex> lock(mu_);
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
  auto lookup = [&](const std::string& name) -> const Tensor* {
    if (name.empty()) return nullptr;
    auto v = values.find(name);
    if (v != values.end()) return &v->second;
    auto w = graph_.initializers.find(name);
    return w == graph_.initializers.end() ? nullptr : &w->second;
  };
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    if (cancel && cancel->cancelled()) return Status::Cancelled("inference cancelled before node " + std::to_string(i));
    const Node& n = graph_.nodes[i];
    const KernelInfo* k = FindKernel(n.op);
    if (!k) return Status::Unsupported(n.Describe() + ": operator " + n.op + " is not supported");
    KernelInputs in;
    for (const auto& name : n.inputs) {
      const Tensor* t = lookup(name);
      if (!name.empty() && !t) return Status::InvalidArgument(n.Describe() + ": input '" + name + "' is not defined");
      in.push_back(t);
    }
    std::vector<Tensor> outs;
    if (prepared_[i]) {
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
    }
    for (size_t o = 0; o < n.outputs.size() && o < outs.size(); ++o) {
      if (!n.outputs[o].empty()) values[n.outputs[o]] = std::move(outs[o]);
    }
    for (const auto& name : n.inputs) {
      auto lu = last_use_.find(name);
      if (lu != last_use_.end() && lu->second == i) values.erase(name);
    }
  }
  std::map<std::string, Tensor> result;
  for (const auto& o : graph_.outputs) {
    const Tensor* t = lookup(o.name);
    if (!t) return Status::Internal("output '" + o.name + "' was not computed");
    result[o.name] = *t;
  }
  return result;
}

}  // namespace edgeflow::infer
