// GraphIndex, RunState, layout conversions and NodeSequence (backend.h).
#include "infer/backend.h"

#include <chrono>
#include <cstdlib>

namespace edgeflow::infer {

GraphIndex::GraphIndex(const Graph& graph) : graph_(graph) {
  auto number = [&](const std::string& name) -> int {
    if (name.empty()) return -1;
    auto [it, fresh] = ids_.emplace(name, static_cast<int>(names_.size()));
    if (fresh) {
      names_.push_back(name);
      auto w = graph.initializers.find(name);
      weights_.push_back(w == graph.initializers.end() ? nullptr : &w->second);
    }
    return it->second;
  };
  for (const auto& v : graph.inputs) number(v.name);
  const size_t n = graph.nodes.size();
  inputs_.resize(n);
  outputs_.resize(n);
  dying_.resize(n);
  std::vector<size_t> last_use;  // by id; n = read by no node or a graph output
  for (size_t i = 0; i < n; ++i) {
    for (const auto& name : graph.nodes[i].inputs) {
      int id = number(name);
      inputs_[i].push_back(id);
      if (id < 0) continue;
      last_use.resize(names_.size(), n);
      last_use[static_cast<size_t>(id)] = i;
    }
    for (const auto& name : graph.nodes[i].outputs) outputs_[i].push_back(number(name));
  }
  for (const auto& v : graph.outputs) number(v.name);
  last_use.resize(names_.size(), n);
  for (const auto& v : graph.outputs) last_use[static_cast<size_t>(Id(v.name))] = n;
  for (size_t id = 0; id < names_.size(); ++id) {
    if (last_use[id] < n && !weights_[id]) dying_[last_use[id]].push_back(static_cast<int>(id));
  }
}

int GraphIndex::Id(const std::string& name) const {
  auto it = ids_.find(name);
  return it == ids_.end() ? -1 : it->second;
}

RunState::RunState(const GraphIndex& index, const CancellationToken* cancel)
    : index_(index), cancel_(cancel), values_(index.size()), layout_(index.size(), kUnset) {}

void RunState::Set(int id, Tensor t, bool nhwc) {
  size_t i = static_cast<size_t>(id);
  values_[i] = std::move(t);
  layout_[i] = nhwc ? kNhwcValue : kNchwValue;
}

void RunState::Release(int id) {
  size_t i = static_cast<size_t>(id);
  if (layout_[i] == kUnset) return;
  values_[i] = Tensor();
  layout_[i] = kUnset;
}

Tensor NchwToNhwc(const Tensor& x) {
  int64_t N = x.dim(0), C = x.dim(1), HW = x.dim(2) * x.dim(3);
  Tensor y = Tensor::Uninitialized(DType::kFloat32, {N, x.dim(2), x.dim(3), C});
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t b = 0; b < N; ++b)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t i = 0; i < HW; ++i) py[(b * HW + i) * C + c] = px[(b * C + c) * HW + i];
  return y;
}

Tensor NhwcToNchw(const Tensor& x) {
  int64_t N = x.dim(0), C = x.dim(3), HW = x.dim(1) * x.dim(2);
  Tensor y = Tensor::Uninitialized(DType::kFloat32, {N, C, x.dim(1), x.dim(2)});
  const float* px = x.data<float>();
  float* py = y.data<float>();
  for (int64_t b = 0; b < N; ++b)
    for (int64_t i = 0; i < HW; ++i)
      for (int64_t c = 0; c < C; ++c) py[(b * C + c) * HW + i] = px[(b * HW + i) * C + c];
  return y;
}

NodeSequence::NodeSequence(std::vector<size_t> nodes,
                           std::vector<std::unique_ptr<NodeKernel>> kernels,
                           std::string profile_tag)
    : nodes_(std::move(nodes)),
      kernels_(std::move(kernels)),
      profile_tag_(std::move(profile_tag)) {}

namespace {

// kAny: every non-scalar tensor input NHWC, all of one shape.
bool RunsNhwc(const KernelInputs& in, const std::vector<int>& ids, const RunState& state) {
  const Tensor* shape_of = nullptr;
  for (size_t j = 0; j < in.size(); ++j) {
    if (!in[j] || in[j]->size() == 1) continue;  // absent or scalar: any layout
    if (!state.nhwc(ids[j])) return false;       // an NCHW tensor operand
    if (shape_of && shape_of->shape() != in[j]->shape()) return false;
    shape_of = in[j];
  }
  return true;
}

}  // namespace

Status NodeSequence::Run(RunState* state, size_t first, size_t* done) {
  static const char* const profile_env = std::getenv("EDGEFLOW_PROFILE");
  static const bool profile = profile_env != nullptr;
  static const bool profile_nodes = profile && std::string(profile_env) == "node";
  const GraphIndex& index = state->index();
  const Graph& graph = index.graph();
  KernelInputs in;
  std::vector<Tensor> outs;
  for (size_t k = first; k < nodes_.size(); ++k) {
    *done = k;
    const size_t i = nodes_[k];
    if (state->cancelled())
      return Status::Cancelled("inference cancelled before node " + std::to_string(i));
    auto node_start =
        profile ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    const Node& n = graph.nodes[i];
    const std::vector<int>& ids = index.inputs(i);
    in.clear();
    bool any_nhwc = false;
    for (size_t j = 0; j < ids.size(); ++j) {
      const Tensor* t = ids[j] < 0 ? nullptr : state->Get(ids[j]);
      if (ids[j] >= 0 && !t) {
        return Status::InvalidArgument(n.Describe() + ": input '" + n.inputs[j] +
                                       "' is not defined");
      }
      any_nhwc |= ids[j] >= 0 && state->nhwc(ids[j]);
      in.push_back(t);
    }
    NodeKernel& kernel = *kernels_[k];
    const Layout layout = kernel.layout();
    const bool run_nhwc = layout == Layout::kNhwc ||
                          (layout == Layout::kAny && any_nhwc && RunsNhwc(in, ids, *state));
    std::vector<Tensor> converted;  // layout copies for this node; pointers into it stay valid
    if (any_nhwc || layout == Layout::kNhwc) converted.reserve(ids.size());
    if (!run_nhwc && any_nhwc) {
      for (size_t j = 0; j < ids.size(); ++j) {
        if (ids[j] >= 0 && state->nhwc(ids[j])) {
          converted.push_back(NhwcToNchw(*in[j]));
          in[j] = &converted.back();
        }
      }
    }
    if (layout == Layout::kNhwc) {
      if (in.empty() || !in[0]) return Status::InvalidArgument(n.Describe() + ": missing input");
      if (!state->nhwc(ids[0])) {
        if (in[0]->rank() != 4 || in[0]->dtype() != DType::kFloat32) {
          return Status::InvalidArgument(n.Describe() +
                                         ": NHWC kernel needs a 4-D float32 input, got " +
                                         DTypeName(in[0]->dtype()) + " " + in[0]->ShapeString());
        }
        converted.push_back(NchwToNhwc(*in[0]));
        in[0] = &converted.back();
      }
    }
    outs.clear();
    EF_RETURN_IF_ERROR(kernel.Run(in, &outs));
    std::string profile_key;
    if (profile) {
      profile_key = n.op + profile_tag_;
      if (profile_nodes) {
        char number[16];
        std::snprintf(number, sizeof number, "%04zu ", i);
        profile_key = number + profile_key + " -> " + (outs.empty() ? "()" : outs[0].ShapeString());
      }
    }
    const std::vector<int>& out_ids = index.outputs(i);
    for (size_t o = 0; o < out_ids.size() && o < outs.size(); ++o) {
      if (out_ids[o] >= 0) state->Set(out_ids[o], std::move(outs[o]), run_nhwc && o == 0);
    }
    outs.clear();  // outputs the graph omits ("") go now, like the layout copies
    converted.clear();
    for (int id : index.dying_after(i)) state->Release(id);
    if (profile) {
      state->profile_ms()[profile_key] +=
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - node_start)
              .count();
    }
  }
  *done = nodes_.size();
  return Status::OK();
}

}  // namespace edgeflow::infer
