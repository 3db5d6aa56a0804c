// Neural-network reference kernels (float32): Conv, Gemm, MatMul, pooling,
// BatchNormalization, LayerNormalization, Softmax, LogSoftmax.
#include <algorithm>
#include <cmath>
#include <limits>

#include "infer/activation.h"
#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

// Applies a fused activation (passes.h) to a Conv, Gemm or MatMul output:
// the clamp, then a gated activation (activation.h); an unknown one is an error.
Status ApplyFusedActivation(const Node& n, Tensor* y) {
  EF_RETURN_IF_ERROR(CheckActivation(n));
  float* p = y->data<float>();
  if (n.Has("activation_min")) {
    float lo = n.Float("activation_min", 0), hi = n.Float("activation_max", 0);
    for (int64_t i = 0; i < y->size(); ++i) p[i] = std::fmin(hi, std::fmax(lo, p[i]));
  }
  ApplyActivation(ActivationOf(n), p, y->size());
  return Status::OK();
}

Status NeedFloat(const Node& n, const Tensor& t) {
  if (t.dtype() != DType::kFloat32) {
    return Status::Unsupported(n.Describe() + ": input type " + std::string(DTypeName(t.dtype())) +
                               " (only float32 is supported)");
  }
  return Status::OK();
}

// A per-channel parameter (a BatchNormalization statistic, a LayerNormalization
// scale or bias): float32 with exactly `count` values.
Status NeedParam(const Node& n, const Tensor& t, int64_t count, const char* what) {
  if (t.dtype() != DType::kFloat32 || t.size() != count) {
    return Status::InvalidArgument(n.Describe() + ": " + what + " " + std::string(DTypeName(t.dtype())) +
                                   t.ShapeString() + " must be float32 with " + std::to_string(count) + " values");
  }
  return Status::OK();
}

// A LayerNormalization Scale or B: float32, broadcast over the normalized
// dimensions x.shape[axis:], so (leading 1s aside) its shape is a suffix of
// them and value k of a normalized row is t[k % t.size()].
Status NeedTrailingParam(const Node& n, const Tensor& t, const Tensor& x, int axis, const char* what) {
  const auto& ts = t.shape();
  size_t lead = 0;
  while (lead < ts.size() && ts[lead] == 1) ++lead;
  size_t rest = ts.size() - lead;
  bool fits = t.dtype() == DType::kFloat32 && rest <= static_cast<size_t>(x.rank() - axis) &&
              std::equal(ts.begin() + static_cast<std::ptrdiff_t>(lead), ts.end(), x.shape().end() -
                                                                                    static_cast<std::ptrdiff_t>(rest));
  if (!fits) {
    return Status::InvalidArgument(n.Describe() + ": " + what + " " + std::string(DTypeName(t.dtype())) +
                                   t.ShapeString() + " does not broadcast over the normalized dimensions of " +
                                   x.ShapeString());
  }
  return Status::OK();
}

// Spatial geometry shared by Conv and the pools (1-D or 2-D; 1-D is 2-D with H = 1).
struct Window {
  int64_t in_h = 1, in_w = 1, k_h = 1, k_w = 1, s_h = 1, s_w = 1, d_h = 1, d_w = 1;
  int64_t pad_t = 0, pad_l = 0, pad_b = 0, pad_r = 0, out_h = 1, out_w = 1;
};

Status CheckSpatial(const Node& n) {
  std::string ap = n.String("auto_pad", "NOTSET");
  if (ap != "NOTSET" && ap != "VALID" && ap != "SAME_UPPER" && ap != "SAME_LOWER") {
    return Status::Unsupported("attribute 'auto_pad' = " + ap);
  }
  auto k = n.Ints("kernel_shape");
  if (k.size() > 2) return Status::Unsupported("attribute 'kernel_shape': only 1-D and 2-D windows are supported");
  return Status::OK();
}

Result<Window> MakeWindow(const Node& n, const std::vector<int64_t>& x_shape, std::vector<int64_t> kernel,
                          bool ceil_mode) {
  int spatial = static_cast<int>(x_shape.size()) - 2;
  if (spatial < 1 || spatial > 2) {
    return Status::Unsupported(n.Describe() + ": input rank " + std::to_string(x_shape.size()) +
                               " (only 1-D and 2-D spatial inputs)");
  }
  if (static_cast<int>(kernel.size()) != spatial) {
    return Status::InvalidArgument(n.Describe() + ": kernel_shape rank does not match the input");
  }
  auto strides = n.Ints("strides", std::vector<int64_t>(static_cast<size_t>(spatial), 1));
  auto dil = n.Ints("dilations", std::vector<int64_t>(static_cast<size_t>(spatial), 1));
  auto pads = n.Ints("pads", std::vector<int64_t>(static_cast<size_t>(2 * spatial), 0));
  if (strides.size() != static_cast<size_t>(spatial) || dil.size() != static_cast<size_t>(spatial) ||
      pads.size() != static_cast<size_t>(2 * spatial)) {
    return Status::InvalidArgument(n.Describe() + ": strides/dilations/pads do not match the input rank");
  }
  // Bounded so that the window arithmetic below (in + pads, (k - 1) * d,
  // out * s) cannot overflow int64.
  constexpr int64_t kMaxWindow = int64_t{1} << 24;
  for (const auto* v : {&kernel, &strides, &dil, &pads}) {
    for (int64_t e : *v) {
      if (e > kMaxWindow || e < -kMaxWindow) {
        return Status::InvalidArgument(n.Describe() + ": kernel, strides, dilations and pads must be within +-" +
                                       std::to_string(kMaxWindow));
      }
    }
  }
  Window w;
  if (spatial == 2) {
    w.in_h = x_shape[2];
    w.in_w = x_shape[3];
    w.k_h = kernel[0];
    w.k_w = kernel[1];
    w.s_h = strides[0];
    w.s_w = strides[1];
    w.d_h = dil[0];
    w.d_w = dil[1];
    w.pad_t = pads[0];
    w.pad_l = pads[1];
    w.pad_b = pads[2];
    w.pad_r = pads[3];
  } else {
    w.in_w = x_shape[2];
    w.k_w = kernel[0];
    w.s_w = strides[0];
    w.d_w = dil[0];
    w.pad_l = pads[0];
    w.pad_r = pads[1];
  }
  std::string ap = n.String("auto_pad", "NOTSET");
  auto same = [&](int64_t in, int64_t k, int64_t s, int64_t d, int64_t* lo, int64_t* hi) {
    int64_t out = (in + s - 1) / s;
    int64_t total = std::max<int64_t>(0, (out - 1) * s + (k - 1) * d + 1 - in);
    *lo = ap == "SAME_UPPER" ? total / 2 : total - total / 2;
    *hi = total - *lo;
  };
  if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
    same(w.in_h, w.k_h, w.s_h, w.d_h, &w.pad_t, &w.pad_b);
    same(w.in_w, w.k_w, w.s_w, w.d_w, &w.pad_l, &w.pad_r);
  } else if (ap == "VALID") {
    w.pad_t = w.pad_b = w.pad_l = w.pad_r = 0;
  }
  auto out_dim = [&](int64_t in, int64_t k, int64_t s, int64_t d, int64_t p) -> int64_t {
    int64_t span = in + p - ((k - 1) * d + 1);
    if (span < 0) return 0;
    return (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  };
  if (w.s_h < 1 || w.s_w < 1 || w.d_h < 1 || w.d_w < 1 || w.k_h < 1 || w.k_w < 1) {
    return Status::InvalidArgument(n.Describe() + ": kernel, strides and dilations must be positive");
  }
  w.out_h = out_dim(w.in_h, w.k_h, w.s_h, w.d_h, w.pad_t + w.pad_b);
  w.out_w = out_dim(w.in_w, w.k_w, w.s_w, w.d_w, w.pad_l + w.pad_r);
  if (ceil_mode) {
    // The last window must start inside the input or its left padding.
    if (w.out_h > 0 && (w.out_h - 1) * w.s_h >= w.in_h + w.pad_t) --w.out_h;
    if (w.out_w > 0 && (w.out_w - 1) * w.s_w >= w.in_w + w.pad_l) --w.out_w;
  }
  return w;
}

std::vector<int64_t> OutShape(const std::vector<int64_t>& x, int64_t channels, const Window& w) {
  if (x.size() == 3) return {x[0], channels, w.out_w};
  return {x[0], channels, w.out_h, w.out_w};
}

Status RunConv(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor &x = *in[0], &wt = *in[1];
  EF_RETURN_IF_ERROR(NeedFloat(n, x));
  EF_RETURN_IF_ERROR(NeedFloat(n, wt));
  const Tensor* bias = in.size() > 2 ? in[2] : nullptr;
  if (x.rank() < 3 || x.rank() > 4 || wt.rank() != x.rank()) {
    return Status::InvalidArgument(n.Describe() + ": input " + x.ShapeString() + " and weight " +
                                   wt.ShapeString() + " must both have rank 3 or both rank 4");
  }
  int64_t group = n.Int("group", 1);
  int64_t N = x.dim(0), C = x.dim(1), M = wt.dim(0);
  if (bias) EF_RETURN_IF_ERROR(NeedParam(n, *bias, M, "bias"));
  if (group < 1 || C % group || M % group || wt.dim(1) != C / group) {
    return Status::InvalidArgument(n.Describe() + ": weight " + wt.ShapeString() + " does not fit input " +
                                   x.ShapeString() + " with group " + std::to_string(group));
  }
  std::vector<int64_t> kernel(wt.shape().begin() + 2, wt.shape().end());
  EF_ASSIGN_OR_RETURN(Window w, MakeWindow(n, x.shape(), kernel, false));
  EF_RETURN_IF_ERROR(NeedShape(n, OutShape(x.shape(), M, w), DType::kFloat32));
  Tensor y(DType::kFloat32, OutShape(x.shape(), M, w));
  const float* px = x.data<float>();
  const float* pw = wt.data<float>();
  float* py = y.data<float>();
  int64_t cg = C / group, mg = M / group;
  for (int64_t b = 0; b < N; ++b) {
    for (int64_t m = 0; m < M; ++m) {
      int64_t g = m / mg;
      float bv = bias ? bias->data<float>()[m] : 0.0f;
      for (int64_t oh = 0; oh < w.out_h; ++oh) {
        for (int64_t ow = 0; ow < w.out_w; ++ow) {
          double acc = bv;
          for (int64_t c = 0; c < cg; ++c) {
            const float* xc = px + ((b * C + g * cg + c) * w.in_h) * w.in_w;
            const float* wc = pw + ((m * cg + c) * w.k_h) * w.k_w;
            for (int64_t kh = 0; kh < w.k_h; ++kh) {
              int64_t ih = oh * w.s_h - w.pad_t + kh * w.d_h;
              if (ih < 0 || ih >= w.in_h) continue;
              for (int64_t kw = 0; kw < w.k_w; ++kw) {
                int64_t iw = ow * w.s_w - w.pad_l + kw * w.d_w;
                if (iw < 0 || iw >= w.in_w) continue;
                acc += static_cast<double>(xc[ih * w.in_w + iw]) * wc[kh * w.k_w + kw];
              }
            }
          }
          py[((b * M + m) * w.out_h + oh) * w.out_w + ow] = static_cast<float>(acc);
        }
      }
    }
  }
  EF_RETURN_IF_ERROR(ApplyFusedActivation(n, &y));
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunPool(const Node& n, const KernelInputs& in, std::vector<Tensor>* out, bool is_max) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  EF_RETURN_IF_ERROR(NeedFloat(n, x));
  EF_ASSIGN_OR_RETURN(Window w, MakeWindow(n, x.shape(), n.Ints("kernel_shape"), n.Int("ceil_mode", 0) != 0));
  bool include_pad = n.Int("count_include_pad", 0) != 0;
  int64_t N = x.dim(0), C = x.dim(1);
  EF_RETURN_IF_ERROR(NeedShape(n, OutShape(x.shape(), C, w), DType::kFloat32));
  Tensor y(DType::kFloat32, OutShape(x.shape(), C, w));
  for (int64_t bc = 0; bc < N * C; ++bc) {
    const float* xc = x.data<float>() + bc * w.in_h * w.in_w;
    for (int64_t oh = 0; oh < w.out_h; ++oh) {
      for (int64_t ow = 0; ow < w.out_w; ++ow) {
        double acc = is_max ? -std::numeric_limits<double>::infinity() : 0;
        int64_t count = 0;
        for (int64_t kh = 0; kh < w.k_h; ++kh) {
          int64_t ih = oh * w.s_h - w.pad_t + kh * w.d_h;
          for (int64_t kw = 0; kw < w.k_w; ++kw) {
            int64_t iw = ow * w.s_w - w.pad_l + kw * w.d_w;
            bool inside = ih >= 0 && ih < w.in_h && iw >= 0 && iw < w.in_w;
            if (inside) {
              double v = xc[ih * w.in_w + iw];
              acc = is_max ? std::max(acc, v) : acc + v;
              ++count;
            } else if (include_pad && ih < w.in_h + w.pad_b && iw < w.in_w + w.pad_r) {
              ++count;
            }
          }
        }
        y.data<float>()[(bc * w.out_h + oh) * w.out_w + ow] =
            static_cast<float>(is_max ? acc : (count ? acc / static_cast<double>(count) : 0));
      }
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status CheckMaxPool(const Node& n) {
  EF_RETURN_IF_ERROR(CheckSpatial(n));
  if (n.Int("storage_order", 0) != 0) return Status::Unsupported("attribute 'storage_order' = 1");
  if (n.outputs.size() > 1) return Status::Unsupported("the Indices output of MaxPool");
  return Status::OK();
}
Status RunMaxPool(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) { return RunPool(n, in, out, true); }
Status RunAvgPool(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) { return RunPool(n, in, out, false); }

Status RunGlobalPool(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  EF_RETURN_IF_ERROR(NeedFloat(n, x));
  if (x.rank() < 3) return Status::InvalidArgument(n.Describe() + ": input rank must be at least 3");
  bool is_max = n.op == "GlobalMaxPool";
  int64_t NC = x.dim(0) * x.dim(1), S = x.size() / std::max<int64_t>(NC, 1);
  std::vector<int64_t> shape = {x.dim(0), x.dim(1)};
  shape.resize(x.shape().size(), 1);
  Tensor y(DType::kFloat32, shape);
  for (int64_t i = 0; i < NC; ++i) {
    const float* p = x.data<float>() + i * S;
    double acc = is_max ? -std::numeric_limits<double>::infinity() : 0;
    for (int64_t k = 0; k < S; ++k) acc = is_max ? std::max(acc, static_cast<double>(p[k])) : acc + p[k];
    y.data<float>()[i] = static_cast<float>(is_max ? acc : acc / static_cast<double>(S));
  }
  out->push_back(std::move(y));
  return Status::OK();
}

// C[b] = A[b] x B[b] with numpy-style batch broadcasting.
Status RunMatMul(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  Tensor a = *in[0], b = *in[1];
  EF_RETURN_IF_ERROR(NeedFloat(n, a));
  EF_RETURN_IF_ERROR(NeedFloat(n, b));
  if (a.rank() < 1 || b.rank() < 1) return Status::InvalidArgument(n.Describe() + ": scalar operand");
  bool a_vec = a.rank() == 1, b_vec = b.rank() == 1;
  if (a_vec) EF_RETURN_IF_ERROR(a.Reshape({1, a.dim(0)}));
  if (b_vec) EF_RETURN_IF_ERROR(b.Reshape({b.dim(0), 1}));
  int64_t M = a.dim(a.rank() - 2), K = a.dim(a.rank() - 1), K2 = b.dim(b.rank() - 2), N = b.dim(b.rank() - 1);
  if (K != K2) {
    return Status::InvalidArgument(n.Describe() + ": inner dimensions differ: " + a.ShapeString() + " x " +
                                   b.ShapeString());
  }
  std::vector<int64_t> ba(a.shape().begin(), a.shape().end() - 2), bb(b.shape().begin(), b.shape().end() - 2);
  auto batch_or = BroadcastShapes(ba, bb);
  if (!batch_or.ok()) return batch_or.status().WithContext(n.Describe());
  std::vector<int64_t> batch = *batch_or;
  auto sa = BroadcastStrides(ba, batch), sb = BroadcastStrides(bb, batch);
  std::vector<int64_t> shape = batch;
  if (!a_vec) shape.push_back(M);
  if (!b_vec) shape.push_back(N);
  EF_RETURN_IF_ERROR(NeedShape(n, shape, DType::kFloat32));
  Tensor y(DType::kFloat32, shape);
  int64_t nb = NumElements(batch);
  for (int64_t bi = 0; bi < nb; ++bi) {
    int64_t ia = 0, ib = 0, rem = bi;
    for (size_t d = batch.size(); d-- > 0;) {
      int64_t k = rem % batch[d];
      rem /= batch[d];
      ia += k * sa[d];
      ib += k * sb[d];
    }
    const float* pa = a.data<float>() + ia * M * K;
    const float* pb = b.data<float>() + ib * K * N;
    float* py = y.data<float>() + bi * M * N;
    // Row by row, walking B's rows contiguously (i, k, j order).
    std::vector<double> acc(static_cast<size_t>(N));
    for (int64_t i = 0; i < M; ++i) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int64_t k = 0; k < K; ++k) {
        const double av = pa[i * K + k];
        const float* brow = pb + k * N;
        for (int64_t j = 0; j < N; ++j) acc[static_cast<size_t>(j)] += av * brow[j];
      }
      for (int64_t j = 0; j < N; ++j) py[i * N + j] = static_cast<float>(acc[static_cast<size_t>(j)]);
    }
  }
  // edgeflow's fused form (passes.h FuseMatMulBias): a third input, a bias of
  // N values added to every row, and a fused activation.
  if (in.size() > 2 && in[2]) {
    const Tensor& c = *in[2];
    const int64_t y_cols = y.rank() > 0 ? y.dim(y.rank() - 1) : 1;  // vector x vector is a scalar
    if (c.dtype() != DType::kFloat32 || c.size() != y_cols) {
      return Status::InvalidArgument(n.Describe() + ": bias " + c.ShapeString() + " does not match " + y.ShapeString());
    }
    const float* pc = c.data<float>();
    float* p = y.data<float>();
    const int64_t cols = c.size();
    for (int64_t i = 0; i < y.size(); ++i) p[i] += pc[i % cols];
  }
  EF_RETURN_IF_ERROR(ApplyFusedActivation(n, &y));
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunGemm(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor &a = *in[0], &b = *in[1];
  EF_RETURN_IF_ERROR(NeedFloat(n, a));
  EF_RETURN_IF_ERROR(NeedFloat(n, b));
  EF_RETURN_IF_ERROR(NeedRank(n, a, 2, 2, "A"));
  EF_RETURN_IF_ERROR(NeedRank(n, b, 2, 2, "B"));
  bool ta = n.Int("transA", 0), tb = n.Int("transB", 0);
  float alpha = n.Float("alpha", 1.0f), beta = n.Float("beta", 1.0f);
  int64_t M = ta ? a.dim(1) : a.dim(0), K = ta ? a.dim(0) : a.dim(1);
  int64_t K2 = tb ? b.dim(1) : b.dim(0), N = tb ? b.dim(0) : b.dim(1);
  if (K != K2) return Status::InvalidArgument(n.Describe() + ": inner dimensions differ");
  Tensor y(DType::kFloat32, {M, N});
  const Tensor* c = in.size() > 2 ? in[2] : nullptr;
  std::vector<int64_t> cs;
  if (c) {
    EF_RETURN_IF_ERROR(NeedFloat(n, *c));
    auto bs = BroadcastShapes(c->shape(), {M, N});
    if (!bs.ok() || *bs != std::vector<int64_t>{M, N}) {
      return Status::InvalidArgument(n.Describe() + ": C " + c->ShapeString() + " does not broadcast to [" +
                                     std::to_string(M) + "," + std::to_string(N) + "]");
    }
    cs = BroadcastStrides(c->shape(), {M, N});
  }
  for (int64_t i = 0; i < M; ++i) {
    for (int64_t j = 0; j < N; ++j) {
      double acc = 0;
      for (int64_t k = 0; k < K; ++k) {
        float av = ta ? a.data<float>()[k * M + i] : a.data<float>()[i * K + k];
        float bv = tb ? b.data<float>()[j * K + k] : b.data<float>()[k * N + j];
        acc += static_cast<double>(av) * bv;
      }
      double v = alpha * acc;
      if (c) v += beta * c->data<float>()[i * cs[0] + j * cs[1]];
      y.data<float>()[i * N + j] = static_cast<float>(v);
    }
  }
  EF_RETURN_IF_ERROR(ApplyFusedActivation(n, &y));
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunBatchNorm(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  for (size_t i = 0; i < 5; ++i) EF_RETURN_IF_ERROR(NeedInput(n, in, i));
  const Tensor& x = *in[0];
  EF_RETURN_IF_ERROR(NeedFloat(n, x));
  if (x.rank() < 1) return Status::InvalidArgument(n.Describe() + ": scalar input");
  float eps = n.Float("epsilon", 1e-5f);
  int64_t N = x.dim(0), C = x.rank() > 1 ? x.dim(1) : 1, S = x.size() / std::max<int64_t>(N * C, 1);
  static const char* const kParams[] = {"scale", "B", "mean", "var"};
  for (size_t i = 1; i < 5; ++i) EF_RETURN_IF_ERROR(NeedParam(n, *in[i], C, kParams[i - 1]));
  Tensor y(DType::kFloat32, x.shape());
  for (int64_t b = 0; b < N; ++b) {
    for (int64_t c = 0; c < C; ++c) {
      double scale = in[1]->data<float>()[c] / std::sqrt(static_cast<double>(in[4]->data<float>()[c]) + eps);
      double shift = in[2]->data<float>()[c] - in[3]->data<float>()[c] * scale;
      const float* p = x.data<float>() + (b * C + c) * S;
      float* q = y.data<float>() + (b * C + c) * S;
      for (int64_t k = 0; k < S; ++k) q[k] = static_cast<float>(p[k] * scale + shift);
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status CheckBatchNorm(const Node& n) {
  if (n.Int("training_mode", 0) != 0) return Status::Unsupported("attribute 'training_mode' = 1");
  if (n.outputs.size() > 1) return Status::Unsupported("training outputs of BatchNormalization");
  return Status::OK();
}

Status RunLayerNorm(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  if (n.outputs.size() > 1) return Status::Unsupported(n.Describe() + ": the Mean and InvStdDev outputs");
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor& x = *in[0];
  EF_RETURN_IF_ERROR(NeedFloat(n, x));
  EF_ASSIGN_OR_RETURN(int axis, NormalizeAxis(n.Int("axis", -1), x.rank(), n));
  float eps = n.Float("epsilon", 1e-5f);
  int64_t outer = 1;
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  int64_t inner = x.size() / std::max<int64_t>(outer, 1);
  const Tensor* bias = in.size() > 2 ? in[2] : nullptr;
  EF_RETURN_IF_ERROR(NeedTrailingParam(n, *in[1], x, axis, "Scale"));
  if (bias) EF_RETURN_IF_ERROR(NeedTrailingParam(n, *bias, x, axis, "B"));
  Tensor y(DType::kFloat32, x.shape());
  for (int64_t o = 0; o < outer; ++o) {
    const float* p = x.data<float>() + o * inner;
    double mean = 0, var = 0;
    for (int64_t k = 0; k < inner; ++k) mean += p[k];
    mean /= static_cast<double>(inner);
    for (int64_t k = 0; k < inner; ++k) var += (p[k] - mean) * (p[k] - mean);
    var /= static_cast<double>(inner);
    double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t k = 0; k < inner; ++k) {
      double v = (p[k] - mean) * inv * in[1]->data<float>()[k % in[1]->size()];
      if (bias) v += bias->data<float>()[k % bias->size()];
      y.data<float>()[o * inner + k] = static_cast<float>(v);
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

// Softmax over one axis (opset >= 13) or over the flattened trailing block
// from `axis` on (opset < 13, the "coerced to 2-D" definition).
Status RunSoftmaxImpl(const Node& n, const KernelInputs& in, std::vector<Tensor>* out, bool log, int64_t opset) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  EF_RETURN_IF_ERROR(NeedFloat(n, x));
  bool legacy = opset > 0 && opset < 13;
  EF_ASSIGN_OR_RETURN(int axis, NormalizeAxis(n.Int("axis", legacy ? 1 : -1), x.rank(), n));
  int64_t outer = 1, len = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  if (legacy) {
    for (int i = axis; i < x.rank(); ++i) len *= x.dim(i);
  } else {
    len = x.dim(axis);
    for (int i = axis + 1; i < x.rank(); ++i) inner *= x.dim(i);
  }
  Tensor y(DType::kFloat32, x.shape());
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k = 0; k < inner; ++k) {
      const float* p = x.data<float>() + o * len * inner + k;
      float* q = y.data<float>() + o * len * inner + k;
      double mx = -std::numeric_limits<double>::infinity();
      for (int64_t i = 0; i < len; ++i) mx = std::max(mx, static_cast<double>(p[i * inner]));
      double sum = 0;
      for (int64_t i = 0; i < len; ++i) sum += std::exp(p[i * inner] - mx);
      for (int64_t i = 0; i < len; ++i) {
        double v = p[i * inner] - mx;
        q[i * inner] = static_cast<float>(log ? v - std::log(sum) : std::exp(v) / sum);
      }
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunSoftmax(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  return RunSoftmaxImpl(n, in, out, false, n.opset);
}
Status RunLogSoftmax(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  return RunSoftmaxImpl(n, in, out, true, n.opset);
}

}  // namespace

void AddNnKernels(std::vector<KernelInfo>* t) {
  t->push_back({"Conv", CheckSpatial, RunConv});
  t->push_back({"MaxPool", CheckMaxPool, RunMaxPool});
  t->push_back({"AveragePool", CheckSpatial, RunAvgPool});
  t->push_back({"GlobalAveragePool", NoCheck, RunGlobalPool});
  t->push_back({"GlobalMaxPool", NoCheck, RunGlobalPool});
  t->push_back({"MatMul", NoCheck, RunMatMul});
  t->push_back({"Gemm", NoCheck, RunGemm});
  t->push_back({"BatchNormalization", CheckBatchNorm, RunBatchNorm});
  t->push_back({"LayerNormalization", NoCheck, RunLayerNorm});
  t->push_back({"Softmax", NoCheck, RunSoftmax});
  t->push_back({"LogSoftmax", NoCheck, RunLogSoftmax});
}

}  // namespace edgeflow::infer
