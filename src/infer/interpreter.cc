// Interpreter: partition, prepare with fallback, run subgraphs in order.
#include "infer/interpreter.h"

#include <cstdio>
#include <tuple>

#include "core/logging.h"
#include "core/metrics.h"
#include "infer/partitioner.h"
#include "infer/reference_backend.h"
#include "infer/xnnpack_backend.h"

namespace edgeflow::infer {
namespace {

std::string NodeRange(const Subgraph& sg) {
  return sg.nodes.size() == 1 ? "node " + std::to_string(sg.nodes.front())
                              : "nodes " + std::to_string(sg.nodes.front()) + "-" + std::to_string(sg.nodes.back());
}

}  // namespace

Interpreter::Interpreter(const Graph& graph, InterpreterOptions options) : graph_(graph), index_(graph) {
  for (auto& b : options.backends) {
    if (b) backends_.push_back(std::move(b));
  }
  if (options.use_xnnpack) {
    auto xnn = std::make_shared<XnnBackend>(options.threads);
    if (xnn->available()) backends_.push_back(std::move(xnn));
  }
  backends_.push_back(std::make_shared<ReferenceBackend>());
  const int reference = static_cast<int>(backends_.size()) - 1;
  if (options.metrics) {
    prepare_fallbacks_ = options.metrics->GetCounter("infer.fallbacks.prepare");
    run_fallbacks_ = options.metrics->GetCounter("infer.fallbacks.run");
  }

  // Prepare every subgraph; one that fails moves its nodes to the next
  // backends (Partitioner::Exclude) and the cut is redone. Subgraphs already
  // prepared are kept (by their backend and node range), so a fallback only
  // re-prepares its neighbours on the backend it moved to.
  std::vector<const Backend*> order;
  for (const auto& b : backends_) order.push_back(b.get());
  Partitioner partitioner(graph, order);
  std::map<std::tuple<int, size_t, size_t>, std::unique_ptr<PreparedSubgraph>> prepared;
  auto key = [](const Subgraph& sg) { return std::make_tuple(sg.backend, sg.nodes.front(), sg.nodes.size()); };
  std::vector<Subgraph> cut;
  for (bool again = true; again;) {
    again = false;
    cut = partitioner.Subgraphs();
    for (const Subgraph& sg : cut) {
      if (prepared.count(key(sg))) continue;
      auto p = backends_[static_cast<size_t>(sg.backend)]->Prepare(index_, sg);
      if (p.ok()) {
        prepared[key(sg)] = std::move(p).value();
        continue;
      }
      if (sg.backend == reference) {  // no backend left: Run reports it
        prepare_status_ = p.status();
        break;
      }
      Log(LogLevel::kWarn, std::string("infer: ") + backends_[static_cast<size_t>(sg.backend)]->name() +
                               " could not prepare " + NodeRange(sg) + " (" + p.status().message() +
                               "); moved to the next backend");
      ++stats_.prepare_fallbacks;
      if (prepare_fallbacks_) prepare_fallbacks_->Add();
      partitioner.Exclude(sg);
      again = true;
      break;
    }
  }
  for (const auto& b : backends_) stats_.backends.push_back({b->name(), 0, 0});
  for (Subgraph& sg : cut) {
    BackendUse& use = stats_.backends[static_cast<size_t>(sg.backend)];
    ++use.subgraphs;
    use.nodes += static_cast<int>(sg.nodes.size());
    if (use.backend == std::string("xnnpack")) stats_.xnnpack_nodes += static_cast<int>(sg.nodes.size());
    if (sg.backend == reference) stats_.reference_nodes += static_cast<int>(sg.nodes.size());
    auto p = prepared.find(key(sg));
    Part part;
    if (p != prepared.end()) part.prepared = std::move(p->second);
    part.subgraph = std::move(sg);
    parts_.push_back(std::move(part));
  }
  stats_.fallbacks = stats_.prepare_fallbacks;
}

Interpreter::~Interpreter() {
  parts_.clear();  // before the backends that own their thread pools
}

InterpreterStats Interpreter::stats() const {
  std::lock_guard<std::mutex> l(mu_);
  InterpreterStats s = stats_;
  s.memory = planner_.stats();
  return s;
}

std::vector<Subgraph> Interpreter::subgraphs() const {
  std::lock_guard<std::mutex> l(mu_);
  std::vector<Subgraph> out;
  for (const Part& p : parts_) out.push_back(p.subgraph);
  return out;
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

// One subgraph; if its backend (not the reference) fails, the reference
// kernels finish it from the node that failed, the nodes before having
// completed (PreparedSubgraph::Run).
Status Interpreter::RunPart(Part* part, RunState* state) const {
  size_t done = 0;
  Status s = part->prepared->Run(state, 0, &done);
  const int reference = static_cast<int>(backends_.size()) - 1;
  if (s.ok() || s.code() == StatusCode::kCancelled || part->subgraph.backend == reference) return s;
  ++stats_.run_fallbacks;
  ++stats_.fallbacks;
  if (run_fallbacks_) run_fallbacks_->Add();
  if (!part->reference) {
    Log(LogLevel::kWarn, std::string("infer: ") + backends_[static_cast<size_t>(part->subgraph.backend)]->name() +
                             " failed to run " + NodeRange(part->subgraph) + " (" + s.message() +
                             "); the reference kernels take over");
    Subgraph sg = part->subgraph;
    sg.backend = reference;
    EF_ASSIGN_OR_RETURN(part->reference, backends_.back()->Prepare(index_, sg));
  }
  return part->reference->Run(state, done, &done);
}

Result<std::map<std::string, Tensor>> Interpreter::RunPlanned(const std::map<std::string, Tensor>& inputs,
                                                              const CancellationToken* cancel) const {
  if (!prepare_status_.ok()) return prepare_status_;
  RunState state(index_, cancel);
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
    state.Set(index_.Id(info.name), t, false);
  }
  for (Part& part : parts_) EF_RETURN_IF_ERROR(RunPart(&part, &state));
  for (const auto& [op, ms] : state.profile_ms()) std::fprintf(stderr, "profile: %-28s %9.3f ms\n", op.c_str(), ms);
  std::map<std::string, Tensor> result;
  for (const auto& o : graph_.outputs) {
    int id = index_.Id(o.name);
    const Tensor* t = state.Get(id);
    if (!t) return Status::Internal("output '" + o.name + "' was not computed");
    // Outputs outlive the model's mapping and the run's arena: heap copies, in NCHW.
    result[o.name] = state.nhwc(id) ? NhwcToNchw(*t).Clone() : t->Clone();
  }
  return result;
}

}  // namespace edgeflow::infer
