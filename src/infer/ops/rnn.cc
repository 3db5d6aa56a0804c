// Recurrent reference kernels: LSTM, GRU and RNN (ONNX opset 7-14 semantics,
// forward / reverse / bidirectional, sequence_lens, initial states, LSTM
// peepholes, clip, layout 0 and 1; activations Sigmoid, Tanh, Relu).
#include <algorithm>
#include <cmath>
#include <set>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

using Act = float (*)(float);
float Sig(float v) { return 1.0f / (1.0f + std::exp(-v)); }
float Tanh(float v) { return std::tanh(v); }
float Relu(float v) { return v > 0 ? v : 0; }

Act ActByName(const std::string& s) {
  if (s == "Sigmoid") return Sig;
  if (s == "Tanh") return Tanh;
  if (s == "Relu") return Relu;
  return nullptr;
}

Status CheckRnn(const Node& n) {
  std::string dir = n.String("direction", "forward");
  if (dir != "forward" && dir != "reverse" && dir != "bidirectional") {
    return Status::Unsupported(n.Describe() + ": attribute direction='" + dir + "'");
  }
  if (n.op == "LSTM" && n.Int("input_forget", 0) != 0) {
    return Status::Unsupported(n.Describe() + ": attribute input_forget=1");
  }
  if (n.Int("hidden_size", 0) <= 0) return Status::InvalidArgument(n.Describe() + ": attribute hidden_size missing");
  return Status::OK();
}

// The activation names for each direction (defaults per op).
Result<std::vector<Act>> Activations(const Node& n, int dirs) {
  std::vector<std::string> names;
  auto it = n.attrs.find("activations");
  if (it != n.attrs.end() && it->second.kind == Attribute::Kind::kString) {
    // The importer joins string lists with ','.
    std::string s = it->second.s, cur;
    for (char c : s + ",") {
      if (c == ',') {
        if (!cur.empty()) names.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
  }
  size_t per = n.op == "LSTM" ? 3 : n.op == "GRU" ? 2 : 1;
  if (names.empty()) {
    for (int d = 0; d < dirs; ++d) {
      if (per == 1) {
        names.push_back("Tanh");
        continue;
      }
      names.push_back("Sigmoid");
      names.push_back("Tanh");
      if (per == 3) names.push_back("Tanh");
    }
  }
  if (names.size() != per * static_cast<size_t>(dirs)) {
    return Status::InvalidArgument(n.Describe() + ": attribute activations needs " + std::to_string(per * dirs) +
                                   " names");
  }
  std::vector<Act> acts;
  for (const auto& s : names) {
    Act a = ActByName(s);
    if (!a) return Status::Unsupported(n.Describe() + ": attribute activations: '" + s + "' is not supported");
    acts.push_back(a);
  }
  return acts;
}

Status RunRnn(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  const bool lstm = n.op == "LSTM", gru = n.op == "GRU";
  const int gates = lstm ? 4 : gru ? 3 : 1;
  const size_t per = lstm ? 3 : gru ? 2 : 1;  // activations per direction
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 2));
  const Tensor &x = *in[0], &w = *in[1], &r = *in[2];
  auto opt = [&](size_t i) -> const Tensor* { return i < in.size() ? in[i] : nullptr; };
  const Tensor *b = opt(3), *lens = opt(4), *h0 = opt(5), *c0 = lstm ? opt(6) : nullptr, *p = lstm ? opt(7) : nullptr;
  for (const Tensor* t : {&x, &w, &r, b, h0, c0, p}) {
    if (t && t->dtype() != DType::kFloat32) return Status::Unsupported(n.Describe() + ": float32 only");
  }
  const int64_t H = n.Int("hidden_size", 0);
  const int layout = static_cast<int>(n.Int("layout", 0));
  const std::string dir = n.String("direction", "forward");
  const int dirs = dir == "bidirectional" ? 2 : 1;
  EF_RETURN_IF_ERROR(NeedRank(n, x, 3, 3, "X"));
  EF_RETURN_IF_ERROR(NeedRank(n, w, 3, 3, "W"));
  EF_RETURN_IF_ERROR(NeedRank(n, r, 3, 3, "R"));
  const int64_t S = layout ? x.dim(1) : x.dim(0), B = layout ? x.dim(0) : x.dim(1), I = x.dim(2);
  if (H <= 0 || H > w.dim(1)) {  // bounds gates * H below
    return Status::InvalidArgument(n.Describe() + ": hidden_size " + std::to_string(H) + " does not match W " +
                                   w.ShapeString());
  }
  if (w.dim(0) != dirs || w.dim(1) != gates * H || w.dim(2) != I || r.dim(0) != dirs || r.dim(1) != gates * H ||
      r.dim(2) != H) {
    return Status::InvalidArgument(n.Describe() + ": W " + w.ShapeString() + " / R " + r.ShapeString() +
                                   " do not match X " + x.ShapeString() + " and hidden_size " + std::to_string(H));
  }
  if (b && b->size() != dirs * 2 * gates * H) return Status::InvalidArgument(n.Describe() + ": B has the wrong size");
  if (h0 && h0->size() != dirs * B * H) return Status::InvalidArgument(n.Describe() + ": initial_h has the wrong size");
  if (c0 && c0->size() != dirs * B * H) return Status::InvalidArgument(n.Describe() + ": initial_c has the wrong size");
  if (p && p->size() != dirs * 3 * H) return Status::InvalidArgument(n.Describe() + ": P has the wrong size");
  if (lens && lens->size() != B) return Status::InvalidArgument(n.Describe() + ": sequence_lens has the wrong size");
  EF_ASSIGN_OR_RETURN(std::vector<Act> acts, Activations(n, dirs));
  const bool has_clip = n.Has("clip");
  const float clip = n.Float("clip", 0);
  const bool lbr = n.Int("linear_before_reset", 0) != 0;

  Tensor y(DType::kFloat32, layout ? std::vector<int64_t>{B, S, dirs, H} : std::vector<int64_t>{S, dirs, B, H});
  Tensor yh(DType::kFloat32, layout ? std::vector<int64_t>{B, dirs, H} : std::vector<int64_t>{dirs, B, H});
  Tensor yc(DType::kFloat32, yh.shape());
  auto xat = [&](int64_t t, int64_t bb) { return x.data<float>() + (layout ? (bb * S + t) : (t * B + bb)) * I; };
  auto yat = [&](int64_t t, int64_t d, int64_t bb) {
    return y.data<float>() + (layout ? ((bb * S + t) * dirs + d) : ((t * dirs + d) * B + bb)) * H;
  };
  auto state_at = [&](Tensor& t, int64_t d, int64_t bb) {
    return t.data<float>() + (layout ? (bb * dirs + d) : (d * B + bb)) * H;
  };
  auto cl = [&](float v) { return has_clip ? std::min(std::max(v, -clip), clip) : v; };
  std::vector<float> g(static_cast<size_t>(gates * H)), hp(static_cast<size_t>(H)), cp(static_cast<size_t>(H)),
      rh(static_cast<size_t>(H));
  for (int d = 0; d < dirs; ++d) {
    const bool reverse = dir == "reverse" || d == 1;
    const float* W = w.data<float>() + d * gates * H * I;
    const float* R = r.data<float>() + d * gates * H * H;
    const float* Wb = b ? b->data<float>() + d * 2 * gates * H : nullptr;
    const float* Rb = Wb ? Wb + gates * H : nullptr;
    const float* P = p ? p->data<float>() + d * 3 * H : nullptr;
    Act f = acts[static_cast<size_t>(d) * per];
    Act gact = per > 1 ? acts[static_cast<size_t>(d) * per + 1] : nullptr;
    Act hact = lstm ? acts[static_cast<size_t>(d) * 3 + 2] : nullptr;
    for (int64_t bb = 0; bb < B; ++bb) {
      int64_t len = lens ? std::min<int64_t>(std::max<int64_t>(lens->AsInt(bb), 0), S) : S;
      // initial_h / initial_c are [dirs, B, H], or [B, dirs, H] with layout 1, like Y_h.
      const int64_t s0 = (layout ? (bb * dirs + d) : (d * B + bb)) * H;
      for (int64_t k = 0; k < H; ++k) {
        hp[static_cast<size_t>(k)] = h0 ? h0->data<float>()[s0 + k] : 0;
        cp[static_cast<size_t>(k)] = c0 ? c0->data<float>()[s0 + k] : 0;
      }
      for (int64_t s = 0; s < len; ++s) {
        int64_t t = reverse ? len - 1 - s : s;
        const float* xt = xat(t, bb);
        for (int64_t j = 0; j < gates * H; ++j) {
          double acc = (Wb ? Wb[j] : 0.0);
          for (int64_t i = 0; i < I; ++i) acc += static_cast<double>(W[j * I + i]) * xt[i];
          if (!gru || j < 2 * H) {  // GRU's h gate adds its recurrent term below
            acc += Rb ? Rb[j] : 0.0;
            for (int64_t i = 0; i < H; ++i) acc += static_cast<double>(R[j * H + i]) * hp[static_cast<size_t>(i)];
          }
          g[static_cast<size_t>(j)] = static_cast<float>(acc);
        }
        float* yt = yat(t, d, bb);
        if (lstm) {
          // Gate order i, o, f, c; peepholes i, o, f.
          for (int64_t k = 0; k < H; ++k) {
            auto K = static_cast<size_t>(k);
            float it = f(cl(g[K] + (P ? P[k] * cp[K] : 0)));
            float ft = f(cl(g[static_cast<size_t>(2 * H + k)] + (P ? P[2 * H + k] * cp[K] : 0)));
            float ct = gact(cl(g[static_cast<size_t>(3 * H + k)]));
            float c = ft * cp[K] + it * ct;
            float ot = f(cl(g[static_cast<size_t>(H + k)] + (P ? P[H + k] * c : 0)));
            cp[K] = c;
            rh[K] = ot * hact(c);
          }
          hp = rh;
        } else if (!gru) {
          for (int64_t k = 0; k < H; ++k) rh[static_cast<size_t>(k)] = f(cl(g[static_cast<size_t>(k)]));
          hp = rh;
        } else {
          // Gate order z, r, h.
          std::vector<float> z(static_cast<size_t>(H)), rt(static_cast<size_t>(H));
          for (int64_t k = 0; k < H; ++k) {
            z[static_cast<size_t>(k)] = f(cl(g[static_cast<size_t>(k)]));
            rt[static_cast<size_t>(k)] = f(cl(g[static_cast<size_t>(H + k)]));
          }
          const float* Rh = R + 2 * H * H;
          for (int64_t k = 0; k < H; ++k) {
            double acc = 0;
            if (lbr) {
              for (int64_t i = 0; i < H; ++i) acc += static_cast<double>(Rh[k * H + i]) * hp[static_cast<size_t>(i)];
              acc = (acc + (Rb ? Rb[2 * H + k] : 0.0)) * rt[static_cast<size_t>(k)];
            } else {
              for (int64_t i = 0; i < H; ++i) {
                acc += static_cast<double>(Rh[k * H + i]) * rt[static_cast<size_t>(i)] * hp[static_cast<size_t>(i)];
              }
              acc += Rb ? Rb[2 * H + k] : 0.0;
            }
            float ht = gact(cl(static_cast<float>(g[static_cast<size_t>(2 * H + k)] + acc)));
            rh[static_cast<size_t>(k)] = (1 - z[static_cast<size_t>(k)]) * ht + z[static_cast<size_t>(k)] * hp[static_cast<size_t>(k)];
          }
          hp = rh;
        }
        std::copy(hp.begin(), hp.end(), yt);
      }
      std::copy(hp.begin(), hp.end(), state_at(yh, d, bb));
      std::copy(cp.begin(), cp.end(), state_at(yc, d, bb));
    }
  }
  out->push_back(std::move(y));
  out->push_back(std::move(yh));
  if (lstm) out->push_back(std::move(yc));
  return Status::OK();
}

}  // namespace

void AddRnnKernels(std::vector<KernelInfo>* t) {
  t->push_back({"LSTM", CheckRnn, RunRnn});
  t->push_back({"GRU", CheckRnn, RunRnn});
  t->push_back({"RNN", CheckRnn, RunRnn});
}

}  // namespace edgeflow::infer
