// Graph passes that compute at compile time: constant folding, BatchNorm
// folding into Conv, common-subexpression elimination, unused weights.
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "infer/kernels.h"
#include "infer/passes.h"

namespace edgeflow::infer {
namespace {

// A folded value larger than this stays a node (it would only grow the file).
constexpr int64_t kMaxFoldedBytes = 16 << 20;

bool IsOutput(const Graph& g, const std::string& name) {
  for (const auto& o : g.outputs) {
    if (o.name == name) return true;
  }
  return false;
}

int Uses(const Graph& g, const std::string& name) {
  int c = 0;
  for (const auto& n : g.nodes) {
    for (const auto& in : n.inputs) c += in == name;
  }
  return c;
}

const Tensor* Weight(const Graph& g, const Node& n, size_t i) {
  if (i >= n.inputs.size() || n.inputs[i].empty()) return nullptr;
  auto it = g.initializers.find(n.inputs[i]);
  return it == g.initializers.end() ? nullptr : &it->second;
}

// A fresh initializer name derived from `base`.
std::string FreshName(const Graph& g, const std::string& base) {
  std::string name = base;
  for (int k = 1; g.initializers.count(name); ++k) name = base + "_" + std::to_string(k);
  return name;
}

void AppendAttribute(const Attribute& a, std::string* key) {
  *key += std::to_string(static_cast<int>(a.kind)) + ":";
  switch (a.kind) {
    case Attribute::Kind::kInt: *key += std::to_string(a.i); break;
    case Attribute::Kind::kFloat: key->append(reinterpret_cast<const char*>(&a.f), sizeof a.f); break;
    case Attribute::Kind::kString: *key += std::to_string(a.s.size()) + ":" + a.s; break;
    case Attribute::Kind::kInts:
      for (int64_t v : a.ints) *key += std::to_string(v) + ",";
      break;
    case Attribute::Kind::kFloats:
      key->append(reinterpret_cast<const char*>(a.floats.data()), a.floats.size() * sizeof(float));
      break;
    case Attribute::Kind::kTensor:
      *key += std::string(DTypeName(a.t.dtype())) + a.t.ShapeString();
      key->append(reinterpret_cast<const char*>(a.t.raw()), a.t.bytes());
      break;
  }
  *key += ";";
}

}  // namespace

int FoldConstants(Graph* g) {
  int changed = 0;
  for (size_t i = 0; i < g->nodes.size();) {
    const Node& n = g->nodes[i];
    const KernelInfo* k = FindKernel(n.op);
    bool foldable = k != nullptr && !n.inputs.empty();
    KernelInputs in;
    for (size_t j = 0; foldable && j < n.inputs.size(); ++j) {
      const Tensor* t = n.inputs[j].empty() ? nullptr : Weight(*g, n, j);
      if (!n.inputs[j].empty() && !t) foldable = false;
      in.push_back(t);
    }
    std::vector<Tensor> outs;
    if (foldable && k->check(n).ok() && k->run(n, in, &outs).ok() && outs.size() >= n.outputs.size()) {
      bool small = true;
      for (const auto& t : outs) small &= static_cast<int64_t>(t.bytes()) <= kMaxFoldedBytes;
      if (small) {
        for (size_t o = 0; o < n.outputs.size(); ++o) {
          if (!n.outputs[o].empty()) g->initializers[n.outputs[o]] = outs[o].Clone();
        }
        g->nodes.erase(g->nodes.begin() + static_cast<long>(i));
        ++changed;
        continue;
      }
    }
    ++i;
  }
  return changed;
}

int FoldBatchNorm(Graph* g) {
  int changed = 0;
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    Node& conv = g->nodes[i];
    if (conv.op != "Conv" || conv.outputs.size() != 1 || conv.Has("activation_min") || conv.Has("activation")) continue;
    const std::string& out = conv.outputs[0];
    if (IsOutput(*g, out) || Uses(*g, out) != 1) continue;
    size_t j = i + 1;
    while (j < g->nodes.size() && (g->nodes[j].inputs.empty() || g->nodes[j].inputs[0] != out)) ++j;
    if (j == g->nodes.size()) continue;
    Node& bn = g->nodes[j];
    if (bn.op != "BatchNormalization" || bn.outputs.size() != 1 || bn.Int("training_mode", 0) != 0) continue;
    const Tensor* w = Weight(*g, conv, 1);
    const Tensor* bias = Weight(*g, conv, 2);
    const Tensor *scale = Weight(*g, bn, 1), *shift = Weight(*g, bn, 2), *mean = Weight(*g, bn, 3),
                 *var = Weight(*g, bn, 4);
    if (!w || !scale || !shift || !mean || !var || w->dtype() != DType::kFloat32 || w->rank() < 3) continue;
    if (conv.inputs.size() > 2 && !conv.inputs[2].empty() && !bias) continue;
    int64_t m = w->dim(0);
    bool ok = true;
    for (const Tensor* t : {scale, shift, mean, var}) ok &= t->dtype() == DType::kFloat32 && t->size() == m;
    if (bias) ok &= bias->dtype() == DType::kFloat32 && bias->size() == m;
    if (!ok) continue;
    float eps = bn.Float("epsilon", 1e-5f);
    Tensor nw = w->Clone(), nb(DType::kFloat32, {m});
    int64_t per = w->size() / m;
    for (int64_t c = 0; c < m; ++c) {
      double s = scale->data<float>()[c] / std::sqrt(static_cast<double>(var->data<float>()[c]) + eps);
      for (int64_t e = 0; e < per; ++e) {
        float& v = nw.data<float>()[c * per + e];
        v = static_cast<float>(v * s);
      }
      double b0 = bias ? bias->data<float>()[c] : 0.0;
      nb.data<float>()[c] = static_cast<float>((b0 - mean->data<float>()[c]) * s + shift->data<float>()[c]);
    }
    std::string wn = FreshName(*g, conv.inputs[1] + "_bn"), bn_name = FreshName(*g, conv.inputs[1] + "_bn_bias");
    g->initializers[wn] = std::move(nw);
    g->initializers[bn_name] = std::move(nb);
    conv.inputs.resize(3);
    conv.inputs[1] = wn;
    conv.inputs[2] = bn_name;
    conv.outputs[0] = bn.outputs[0];
    g->nodes.erase(g->nodes.begin() + static_cast<long>(j));
    ++changed;
  }
  return changed;
}

int EliminateCommonSubexpressions(Graph* g) {
  int changed = 0;
  std::map<std::string, size_t> seen;  // node key -> index of the first such node
  for (size_t i = 0; i < g->nodes.size();) {
    const Node& n = g->nodes[i];
    std::string key = n.op + "|" + std::to_string(n.opset) + "|" + std::to_string(n.outputs.size()) + "|";
    for (const auto& in : n.inputs) key += std::to_string(in.size()) + ":" + in + ",";
    key += "|";
    for (const auto& [name, a] : n.attrs) {
      key += name + "=";
      AppendAttribute(a, &key);
    }
    bool is_output = false;
    for (const auto& o : n.outputs) is_output |= IsOutput(*g, o);
    auto it = seen.find(key);
    if (it == seen.end() || is_output) {
      if (it == seen.end()) seen[key] = i;
      ++i;
      continue;
    }
    const Node& first = g->nodes[it->second];
    for (size_t o = 0; o < n.outputs.size(); ++o) {
      for (auto& m : g->nodes) {
        for (auto& in : m.inputs) {
          if (in == n.outputs[o] && !in.empty()) in = first.outputs[o];
        }
      }
    }
    g->nodes.erase(g->nodes.begin() + static_cast<long>(i));
    ++changed;
  }
  return changed;
}

namespace {

const Node* Producer(const Graph& g, const std::string& value) {
  for (const auto& n : g.nodes) {
    for (const auto& o : n.outputs) {
      if (o == value) return &n;
    }
  }
  return nullptr;
}

// Rows [r0, r0 + rows) of a [K, N] float matrix.
Tensor Rows(const Tensor& w, int64_t r0, int64_t rows) {
  Tensor t(DType::kFloat32, {rows, w.dim(1)});
  std::memcpy(t.raw(), w.data<float>() + r0 * w.dim(1), t.bytes());
  return t;
}

}  // namespace

int FuseTargetAttention(Graph* g) {
  int changed = 0;
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    const Node mm = g->nodes[i];
    if (mm.op != "MatMul" || mm.inputs.size() < 2 || mm.outputs.size() != 1) continue;
    auto wi = g->initializers.find(mm.inputs[1]);
    if (wi == g->initializers.end() || wi->second.rank() != 2 || wi->second.dtype() != DType::kFloat32 ||
        wi->second.dim(0) % 4 != 0) {
      continue;
    }
    const Node* cat = Producer(*g, mm.inputs[0]);
    if (!cat || cat->op != "Concat" || cat->Int("axis", 0) != -1 || cat->inputs.size() != 4 ||
        Uses(*g, mm.inputs[0]) != 1 || IsOutput(*g, mm.inputs[0])) {
      continue;
    }
    const std::string &a = cat->inputs[0], &b = cat->inputs[1];
    const Node* sub = Producer(*g, cat->inputs[2]);
    const Node* mul = Producer(*g, cat->inputs[3]);
    if (!sub || sub->op != "Sub" || sub->inputs != std::vector<std::string>{a, b}) continue;
    if (!mul || mul->op != "Mul" || (mul->inputs != std::vector<std::string>{a, b} &&
                                     mul->inputs != std::vector<std::string>{b, a})) {
      continue;
    }
    // a and b are usually broadcasts (Expand) of far fewer rows: multiply those.
    auto source = [&](const std::string& v) {
      const Node* e = Producer(*g, v);
      return e && e->op == "Expand" && !e->inputs.empty() ? e->inputs[0] : v;
    };
    const Tensor& w = wi->second;
    const int64_t d = w.dim(0) / 4, n = w.dim(1);
    Tensor wa = Rows(w, 0, d), wb = Rows(w, d, d), wd = Rows(w, 2 * d, d), wm = Rows(w, 3 * d, d);
    for (int64_t k = 0; k < wa.size(); ++k) {
      wa.data<float>()[k] += wd.data<float>()[k];
      wb.data<float>()[k] -= wd.data<float>()[k];
    }
    std::string base = mm.inputs[1] + "::attention";
    std::string na = FreshName(*g, base + "_a"), nb = FreshName(*g, base + "_b"), nm = FreshName(*g, base + "_ab");
    g->initializers[na] = std::move(wa);
    g->initializers[nb] = std::move(wb);
    g->initializers[nm] = std::move(wm);
    const std::string& out = mm.outputs[0];
    Node pa{mm.name + "/a", "MatMul", {source(a), na}, {out + "::a"}, {}, mm.opset};
    Node pb{mm.name + "/b", "MatMul", {source(b), nb}, {out + "::b"}, {}, mm.opset};
    Node pm{mm.name + "/ab", "MatMul", {mul->outputs[0], nm}, {out + "::ab"}, {}, mm.opset};
    if (mm.inputs.size() > 2) pm.inputs.push_back(mm.inputs[2]);  // fused bias
    Node s1{mm.name + "/sum", "Add", {out + "::a", out + "::b"}, {out + "::s"}, {}, mm.opset};
    Node s2{mm.name + "/out", "Add", {out + "::s", out + "::ab"}, {out}, {}, mm.opset};
    for (const char* k : {"activation_min", "activation_max", "activation"}) {
      auto it = mm.attrs.find(k);
      if (it != mm.attrs.end()) s2.attrs[k] = it->second;
    }
    (void)n;
    g->nodes.erase(g->nodes.begin() + static_cast<long>(i));
    g->nodes.insert(g->nodes.begin() + static_cast<long>(i), {pa, pb, pm, s1, s2});
    i += 4;
    ++changed;
  }
  return changed;
}

int RemoveUnusedWeights(Graph* g) {
  std::set<std::string> used;
  for (const auto& n : g->nodes) used.insert(n.inputs.begin(), n.inputs.end());
  for (const auto& o : g->outputs) used.insert(o.name);
  int changed = 0;
  for (auto it = g->initializers.begin(); it != g->initializers.end();) {
    if (used.count(it->first)) {
      ++it;
    } else {
      it = g->initializers.erase(it);
      ++changed;
    }
  }
  return changed;
}

}  // namespace edgeflow::infer
