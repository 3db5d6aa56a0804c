// Graph passes: identity removal, activation fusion, dead-node removal.
#include "infer/passes.h"

#include <cmath>
#include <limits>
#include <set>

namespace edgeflow::infer {
namespace {

bool IsGraphOutput(const Graph& g, const std::string& name) {
  for (const auto& o : g.outputs) {
    if (o.name == name) return true;
  }
  return false;
}

// Every input use of `from` now reads `to`.
void Rename(Graph* g, const std::string& from, const std::string& to) {
  for (auto& n : g->nodes) {
    for (auto& in : n.inputs) {
      if (in == from) in = to;
    }
  }
}

int Consumers(const Graph& g, const std::string& name) {
  int c = 0;
  for (const auto& n : g.nodes) {
    for (const auto& in : n.inputs) c += in == name;
  }
  return c;
}

const Tensor* Constant(const Graph& g, const Node& n, size_t i) {
  if (i >= n.inputs.size() || n.inputs[i].empty()) return nullptr;
  auto it = g.initializers.find(n.inputs[i]);
  return it == g.initializers.end() ? nullptr : &it->second;
}

}  // namespace

int RemoveIdentities(Graph* g) {
  int changed = 0;
  for (size_t i = 0; i < g->nodes.size();) {
    Node& n = g->nodes[i];
    bool identity = n.op == "Identity" || (n.op == "Dropout" && n.outputs.size() == 1 && n.inputs.size() == 1);
    if (!identity || n.inputs.empty() || n.outputs.size() != 1 || IsGraphOutput(*g, n.outputs[0])) {
      ++i;
      continue;
    }
    std::string from = n.outputs[0], to = n.inputs[0];
    g->nodes.erase(g->nodes.begin() + static_cast<long>(i));
    Rename(g, from, to);
    ++changed;
  }
  return changed;
}

namespace {

// HardSigmoid(alpha = 1/6, beta = 1/2): the gate of x * HardSigmoid(x), the
// form older exporters write for HardSwish.
bool IsHardSwishGate(const Node& n) {
  return n.op == "HardSigmoid" && std::fabs(n.Float("alpha", 0.2f) - 1.0f / 6) < 1e-6f &&
         std::fabs(n.Float("beta", 0.5f) - 0.5f) < 1e-6f;
}

// Folds the clamp (Relu, Clip) reading producer i's single output into it.
bool FuseClamp(Graph* g, size_t i) {
  Node& producer = g->nodes[i];
  const std::string out = producer.outputs[0];
  if (Consumers(*g, out) != 1) return false;
  for (size_t j = i + 1; j < g->nodes.size(); ++j) {
    Node& act = g->nodes[j];
    if (act.inputs.empty() || act.inputs[0] != out) continue;
    float lo, hi = std::numeric_limits<float>::infinity();
    if (act.op == "Relu") {
      lo = 0;
    } else if (act.op == "Clip") {
      lo = -std::numeric_limits<float>::infinity();
      if (act.Has("min")) lo = act.Float("min", lo);
      if (act.Has("max")) hi = act.Float("max", hi);
      const Tensor* mn = Constant(*g, act, 1);
      const Tensor* mx = Constant(*g, act, 2);
      bool dynamic = (act.inputs.size() > 1 && !act.inputs[1].empty() && !mn) ||
                     (act.inputs.size() > 2 && !act.inputs[2].empty() && !mx);
      if (dynamic) return false;
      if (mn && mn->size() == 1) lo = static_cast<float>(mn->AsDouble(0));
      if (mx && mx->size() == 1) hi = static_cast<float>(mx->AsDouble(0));
    } else {
      return false;
    }
    producer.attrs["activation_min"] = Attribute::Float(lo);
    producer.attrs["activation_max"] = Attribute::Float(hi);
    producer.outputs[0] = act.outputs[0];
    g->nodes.erase(g->nodes.begin() + static_cast<long>(j));
    return true;
  }
  return false;
}

// Folds HardSwish(x), x * Sigmoid(x) (SiLU) or x * HardSigmoid(x) with
// HardSwish's constants, x being producer i's output, into the `activation`
// attribute (activation.h).
bool FuseGatedActivation(Graph* g, size_t i) {
  Node& producer = g->nodes[i];
  const std::string out = producer.outputs[0];
  const int uses = Consumers(*g, out);
  for (size_t j = i + 1; j < g->nodes.size(); ++j) {
    const Node& act = g->nodes[j];
    if (act.inputs.size() != 1 || act.inputs[0] != out || act.outputs.size() != 1) continue;
    if (act.op == "HardSwish" && uses == 1) {
      producer.attrs["activation"] = Attribute::String("HardSwish");
      producer.outputs[0] = act.outputs[0];
      g->nodes.erase(g->nodes.begin() + static_cast<long>(j));
      return true;
    }
    if ((act.op != "Sigmoid" && !IsHardSwishGate(act)) || uses != 2) continue;
    // The gate's one reader must be Mul(x, gate) or Mul(gate, x).
    const std::string gate = act.outputs[0];
    if (IsGraphOutput(*g, gate) || Consumers(*g, gate) != 1) return false;
    for (size_t k = j + 1; k < g->nodes.size(); ++k) {
      const Node& mul = g->nodes[k];
      if (mul.op != "Mul" || mul.inputs.size() != 2 || mul.outputs.size() != 1) continue;
      const bool pair = (mul.inputs[0] == out && mul.inputs[1] == gate) || (mul.inputs[0] == gate && mul.inputs[1] == out);
      if (!pair) continue;
      producer.attrs["activation"] = Attribute::String(act.op == "Sigmoid" ? "SiLU" : "HardSwish");
      producer.outputs[0] = mul.outputs[0];
      g->nodes.erase(g->nodes.begin() + static_cast<long>(k));
      g->nodes.erase(g->nodes.begin() + static_cast<long>(j));
      return true;
    }
    return false;
  }
  return false;
}

}  // namespace

int FuseActivations(Graph* g) {
  int changed = 0;
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    Node& producer = g->nodes[i];
    bool producer_ok = producer.op == "Conv" || producer.op == "Gemm" || producer.op == "Add" ||
                       (producer.op == "MatMul" && producer.inputs.size() == 3);  // fused MatMul+bias only
    // One fused activation per producer: a clamp, or a gated one.
    if (!producer_ok || producer.outputs.size() != 1 || producer.Has("activation_min") ||
        producer.Has("activation") || IsGraphOutput(*g, producer.outputs[0])) {
      continue;
    }
    changed += FuseClamp(g, i) || FuseGatedActivation(g, i);
  }
  return changed;
}

int RemoveDeadNodes(Graph* g) {
  int changed = 0;
  bool again = true;
  while (again) {
    again = false;
    std::set<std::string> used;
    for (const auto& n : g->nodes) used.insert(n.inputs.begin(), n.inputs.end());
    for (const auto& o : g->outputs) used.insert(o.name);
    for (size_t i = g->nodes.size(); i-- > 0;) {
      bool live = false;
      for (const auto& o : g->nodes[i].outputs) live |= !o.empty() && used.count(o);
      if (!live) {
        g->nodes.erase(g->nodes.begin() + static_cast<long>(i));
        ++changed;
        again = true;
      }
    }
  }
  return changed;
}

int FuseMatMulBias(Graph* g) {
  int changed = 0;
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    Node& mm = g->nodes[i];
    if (mm.op != "MatMul" || mm.inputs.size() != 2 || mm.outputs.size() != 1) continue;
    const Tensor* w = Constant(*g, mm, 1);
    if (!w || w->rank() != 2 || w->dtype() != DType::kFloat32) continue;
    const std::string& out = mm.outputs[0];
    if (IsGraphOutput(*g, out) || Consumers(*g, out) != 1) continue;
    for (size_t j = i + 1; j < g->nodes.size(); ++j) {
      Node& add = g->nodes[j];
      if (add.op != "Add" || add.inputs.size() != 2 || (add.inputs[0] != out && add.inputs[1] != out)) continue;
      if (add.inputs[0] == add.inputs[1]) break;
      const std::string& other = add.inputs[0] == out ? add.inputs[1] : add.inputs[0];
      auto c = g->initializers.find(other);
      if (c == g->initializers.end() || c->second.dtype() != DType::kFloat32 || c->second.size() != w->dim(1)) break;
      // The bias must broadcast along the last axis only: shape [..1.., N].
      bool last_axis = c->second.rank() >= 1 && c->second.dim(c->second.rank() - 1) == w->dim(1);
      if (!last_axis) break;
      mm.inputs.push_back(other);
      mm.outputs[0] = add.outputs[0];
      g->nodes.erase(g->nodes.begin() + static_cast<long>(j));
      ++changed;
      break;
    }
  }
  return changed;
}

void OptimizeGraph(Graph* g) {
  RemoveIdentities(g);
  FoldConstants(g);
  EliminateCommonSubexpressions(g);
  FoldBatchNorm(g);
  FuseMatMulBias(g);
  FuseActivations(g);
  FuseTargetAttention(g);
  RemoveDeadNodes(g);
  RemoveUnusedWeights(g);
}

}  // namespace edgeflow::infer
