// XnnBackend: Conv, pooling, Gemm/MatMul and Sigmoid through XNNPACK's operator API.
#include "infer/xnnpack_backend.h"

#include "infer/activation.h"
#include "infer/gemm.h"
#include "infer/gemm_int8.h"
#include "infer/winograd.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <cmath>
#include <limits>
#include <mutex>

namespace edgeflow::infer {
namespace {

bool InitXnnpack() {
  static bool ok = xnn_initialize(nullptr) == xnn_status_success;
  return ok;
}

const Tensor* Initializer(const Graph& g, const Node& n, size_t i) {
  if (i >= n.inputs.size() || n.inputs[i].empty()) return nullptr;
  auto it = g.initializers.find(n.inputs[i]);
  return it == g.initializers.end() ? nullptr : &it->second;
}

// The int8 product for weight input 1 of `n` (gemm_int8.h) where the file
// stored that weight as int8 with its scales along `axis` (the output
// channel axis); weight (o, i) is at o * stride_n + i * stride_k. Null where
// it did not or the kernel is not eligible.
std::unique_ptr<GemmKernel> Int8Product(const Graph& g, const Node& n, int64_t axis, int64_t stride_n,
                                        int64_t stride_k, const float* bias, int64_t k, int64_t m, float lo,
                                        float hi) {
  if (n.inputs.size() < 2 || !Int8Gemm::Eligible(k, m)) return nullptr;
  auto q = g.int8_weights.find(n.inputs[1]);
  if (q == g.int8_weights.end()) return nullptr;
  auto values = g.initializers.find(q->second.values);
  auto scales = g.initializers.find(q->second.scales);
  if (values == g.initializers.end() || scales == g.initializers.end()) return nullptr;
  const Tensor &w = values->second, &s = scales->second;
  if (w.dtype() != DType::kInt8 || w.size() != k * m || s.dtype() != DType::kFloat32) return nullptr;
  std::vector<float> per_column(static_cast<size_t>(m));
  if (s.size() == 1) {
    std::fill(per_column.begin(), per_column.end(), s.data<float>()[0]);
  } else if (q->second.axis == axis && s.size() == m) {
    std::copy(s.data<float>(), s.data<float>() + m, per_column.begin());
  } else {
    return nullptr;  // scales along the inner dimension: the float kernels
  }
  return std::make_unique<Int8Gemm>(w.data<int8_t>(), stride_n, stride_k, per_column.data(), bias, k, m, lo, hi);
}

Status XnnError(xnn_status s, const Node& n, const char* what) {
  return Status::Internal(n.Describe() + ": XNNPACK " + what + " failed (status " + std::to_string(s) + ")");
}

class XnnOperator {
 public:
  ~XnnOperator() {
    if (op_) xnn_delete_operator(op_);
  }
  xnn_operator_t* ptr() { return &op_; }
  xnn_operator_t get() const { return op_; }

 private:
  xnn_operator_t op_ = nullptr;
};

class XnnConv : public XnnNode {
 public:
  // `node` carries 2-D attributes; a 1-D convolution runs as 2-D with H = 1.
  XnnConv(const Node& n, pthreadpool_t pool, int64_t out_channels, bool one_d)
      : node_(n), pool_(pool), m_(out_channels), one_d_(one_d) {}
  XnnOperator op;
  std::unique_ptr<GemmKernel> gemm;  // a 1x1 convolution's product, instead of op (gemm.h)

  Status Run(const std::vector<const Tensor*>& in, std::vector<Tensor>* out) override {
    Tensor x = *in[0];
    if (one_d_ && x.rank() == 3) EF_RETURN_IF_ERROR(x.Reshape({x.dim(0), x.dim(1), 1, x.dim(2)}));
    if (x.rank() != 4 || x.dtype() != DType::kFloat32) {
      return Status::InvalidArgument(node_.Describe() + ": XNNPACK conv needs a 4-D float32 input");
    }
    Tensor y;
    EF_RETURN_IF_ERROR(RunNhwc(NchwToNhwc(x), &y));
    Tensor nchw = NhwcToNchw(y);
    if (one_d_) EF_RETURN_IF_ERROR(nchw.Reshape({nchw.dim(0), nchw.dim(1), nchw.dim(3)}));
    out->push_back(std::move(nchw));
    return Status::OK();
  }

  bool nhwc() const override { return !one_d_; }

  Status RunNhwc(const Tensor& x, Tensor* y) override {
    if (x.rank() != 4 || x.dtype() != DType::kFloat32) {
      return Status::InvalidArgument(node_.Describe() + ": XNNPACK conv needs a 4-D float32 input");
    }
    int64_t N = x.dim(0), H = x.dim(1), W = x.dim(2);
    auto k = node_.Ints("kernel_shape");
    auto s = node_.Ints("strides", {1, 1});
    auto d = node_.Ints("dilations", {1, 1});
    auto p = node_.Ints("pads", {0, 0, 0, 0});
    int64_t oh = (H + p[0] + p[2] - ((k[0] - 1) * d[0] + 1)) / s[0] + 1;
    int64_t ow = (W + p[1] + p[3] - ((k[1] - 1) * d[1] + 1)) / s[1] + 1;
    if (oh < 1 || ow < 1) return Status::InvalidArgument(node_.Describe() + ": input smaller than the kernel");
    *y = Tensor::Uninitialized(DType::kFloat32, {N, oh, ow, m_});
    if (gemm) {  // 1x1, stride 1, no pads: one row per pixel
      gemm->Run(x.data<float>(), N * H * W, y->data<float>(), pool_);
      return Status::OK();
    }
    xnn_status st = xnn_setup_convolution2d_nhwc_f32(op.get(), static_cast<size_t>(N), static_cast<size_t>(H),
                                                     static_cast<size_t>(W), x.data<float>(), y->data<float>(), pool_);
    if (st != xnn_status_success) return XnnError(st, node_, "setup");
    st = xnn_run_operator(op.get(), pool_);
    if (st != xnn_status_success) return XnnError(st, node_, "run");
    return Status::OK();
  }

 private:
  const Node node_;
  pthreadpool_t pool_;
  int64_t m_;
  bool one_d_;
};

// Gemm, and MatMul with a constant 2-D right operand (rows of any leading shape).
class XnnGemm : public XnnNode {
 public:
  XnnGemm(const Node& n, pthreadpool_t pool, int64_t k, int64_t m) : node_(n), pool_(pool), k_(k), m_(m) {}
  XnnOperator op;
  std::unique_ptr<GemmKernel> gemm;  // instead of op where it is faster (gemm.h)

  Status Run(const std::vector<const Tensor*>& in, std::vector<Tensor>* out) override {
    const Tensor& a = *in[0];
    bool matmul = node_.op == "MatMul";
    if ((matmul ? a.rank() < 2 : a.rank() != 2) || a.dim(a.rank() - 1) != k_ || a.dtype() != DType::kFloat32) {
      return Status::InvalidArgument(node_.Describe() + ": XNNPACK fully connected input shape " + a.ShapeString());
    }
    std::vector<int64_t> shape = a.shape();
    shape.back() = m_;
    Tensor y = Tensor::Uninitialized(DType::kFloat32, shape);
    int64_t rows = a.size() / k_;
    if (gemm) {
      gemm->Run(a.data<float>(), rows, y.data<float>(), pool_);
      out->push_back(std::move(y));
      return Status::OK();
    }
    xnn_status st = xnn_setup_fully_connected_nc_f32(op.get(), static_cast<size_t>(rows), a.data<float>(),
                                                     y.data<float>(), pool_);
    if (st != xnn_status_success) return XnnError(st, node_, "setup");
    st = xnn_run_operator(op.get(), pool_);
    if (st != xnn_status_success) return XnnError(st, node_, "run");
    out->push_back(std::move(y));
    return Status::OK();
  }

 private:
  const Node node_;
  pthreadpool_t pool_;
  int64_t k_, m_;
};

// Sigmoid on float32 of any shape, as one contiguous batch.
class XnnUnary : public XnnNode {
 public:
  XnnUnary(const Node& n, pthreadpool_t pool) : node_(n), pool_(pool) {}
  XnnOperator op;

  Status Run(const std::vector<const Tensor*>& in, std::vector<Tensor>* out) override {
    const Tensor& x = *in[0];
    if (x.dtype() != DType::kFloat32) return Status::InvalidArgument(node_.Describe() + ": XNNPACK needs float32");
    Tensor y = Tensor::Uninitialized(DType::kFloat32, x.shape());
    xnn_status st = xnn_setup_sigmoid_nc_f32(op.get(), static_cast<size_t>(x.size()), x.data<float>(),
                                             y.data<float>(), pool_);
    if (st != xnn_status_success) return XnnError(st, node_, "setup");
    st = xnn_run_operator(op.get(), pool_);
    if (st != xnn_status_success) return XnnError(st, node_, "run");
    out->push_back(std::move(y));
    return Status::OK();
  }

 private:
  const Node node_;
  pthreadpool_t pool_;
};

// MaxPool and GlobalAveragePool: the operator is created at the first run,
// when the channel count is known, and again if it changes.
class XnnPool : public XnnNode {
 public:
  XnnPool(const Node& n, pthreadpool_t pool) : node_(n), pool_(pool), global_(n.op == "GlobalAveragePool") {}

  Status Run(const std::vector<const Tensor*>& in, std::vector<Tensor>* out) override {
    const Tensor& x = *in[0];
    if (x.rank() != 4 || x.dtype() != DType::kFloat32) {
      return Status::InvalidArgument(node_.Describe() + ": XNNPACK pooling needs a 4-D float32 input");
    }
    Tensor y;
    EF_RETURN_IF_ERROR(RunNhwc(NchwToNhwc(x), &y));
    out->push_back(NhwcToNchw(y));
    return Status::OK();
  }

  bool nhwc() const override { return true; }

  Status RunNhwc(const Tensor& x, Tensor* y) override {
    if (x.rank() != 4 || x.dtype() != DType::kFloat32) {
      return Status::InvalidArgument(node_.Describe() + ": XNNPACK pooling needs a 4-D float32 input");
    }
    int64_t N = x.dim(0), H = x.dim(1), W = x.dim(2), C = x.dim(3);
    const float inf = std::numeric_limits<float>::infinity();
    if (C != channels_) {
      op_ = std::make_unique<XnnOperator>();
      xnn_status st;
      if (global_) {
        st = xnn_create_global_average_pooling_nwc_f32(static_cast<size_t>(C), static_cast<size_t>(C),
                                                       static_cast<size_t>(C), -inf, inf, 0, op_->ptr());
      } else {
        auto k = node_.Ints("kernel_shape");
        auto s = node_.Ints("strides", {1, 1});
        auto d = node_.Ints("dilations", {1, 1});
        auto p = node_.Ints("pads", {0, 0, 0, 0});
        st = xnn_create_max_pooling2d_nhwc_f32(
            static_cast<uint32_t>(p[0]), static_cast<uint32_t>(p[3]), static_cast<uint32_t>(p[2]),
            static_cast<uint32_t>(p[1]), static_cast<uint32_t>(k[0]), static_cast<uint32_t>(k[1]),
            static_cast<uint32_t>(s[0]), static_cast<uint32_t>(s[1]), static_cast<uint32_t>(d[0]),
            static_cast<uint32_t>(d[1]), static_cast<size_t>(C), static_cast<size_t>(C), static_cast<size_t>(C), -inf,
            inf, 0, op_->ptr());
      }
      if (st != xnn_status_success) {
        op_.reset();
        channels_ = -1;
        return XnnError(st, node_, "create pooling");
      }
      channels_ = C;
    }
    xnn_status st;
    if (global_) {
      *y = Tensor::Uninitialized(DType::kFloat32, {N, 1, 1, C});
      st = xnn_setup_global_average_pooling_nwc_f32(op_->get(), static_cast<size_t>(N), static_cast<size_t>(H * W),
                                                    x.data<float>(), y->data<float>(), pool_);
    } else {
      auto k = node_.Ints("kernel_shape");
      auto s = node_.Ints("strides", {1, 1});
      auto d = node_.Ints("dilations", {1, 1});
      auto p = node_.Ints("pads", {0, 0, 0, 0});
      int64_t oh = (H + p[0] + p[2] - ((k[0] - 1) * d[0] + 1)) / s[0] + 1;
      int64_t ow = (W + p[1] + p[3] - ((k[1] - 1) * d[1] + 1)) / s[1] + 1;
      if (oh < 1 || ow < 1) return Status::InvalidArgument(node_.Describe() + ": input smaller than the window");
      *y = Tensor::Uninitialized(DType::kFloat32, {N, oh, ow, C});
      st = xnn_setup_max_pooling2d_nhwc_f32(op_->get(), static_cast<size_t>(N), static_cast<size_t>(H),
                                            static_cast<size_t>(W), x.data<float>(), y->data<float>(), pool_);
    }
    if (st != xnn_status_success) return XnnError(st, node_, "setup");
    st = xnn_run_operator(op_->get(), pool_);
    if (st != xnn_status_success) return XnnError(st, node_, "run");
    return Status::OK();
  }

 private:
  const Node node_;
  pthreadpool_t pool_;
  const bool global_;
  std::unique_ptr<XnnOperator> op_;
  int64_t channels_ = -1;
};

// A prepared node as NodeSequence runs it: NHWC to NHWC when the operator
// can, elementwise Sigmoid in whatever layout its input is in.
// A fused HardSwish or SiLU (activation.h) runs over the output in place.
class XnnKernel : public NodeKernel {
 public:
  XnnKernel(std::unique_ptr<XnnNode> node, bool elementwise, Activation activation, pthreadpool_t pool)
      : node_(std::move(node)),
        layout_(node_->nhwc() ? Layout::kNhwc : elementwise ? Layout::kAny : Layout::kNchw),
        activation_(activation),
        pool_(pool) {}
  Layout layout() const override { return layout_; }
  Status Run(const KernelInputs& in, std::vector<Tensor>* out) override {
    if (layout_ != Layout::kNhwc) {
      EF_RETURN_IF_ERROR(node_->Run(in, out));
    } else {
      Tensor y;
      EF_RETURN_IF_ERROR(node_->RunNhwc(*in[0], &y));
      out->push_back(std::move(y));
    }
    if (activation_ != Activation::kNone) ApplyActivation(activation_, out->back().data<float>(), out->back().size(), pool_);
    return Status::OK();
  }

 private:
  const std::unique_ptr<XnnNode> node_;
  const Layout layout_;
  const Activation activation_;
  const pthreadpool_t pool_;
};

}  // namespace

XnnBackend::XnnBackend(int threads) {
  available_ = InitXnnpack();
  if (available_ && threads > 1) threadpool_ = pthreadpool_create(static_cast<size_t>(threads));
}

XnnBackend::~XnnBackend() {
  if (threadpool_) pthreadpool_destroy(static_cast<pthreadpool_t>(threadpool_));
}

bool XnnBackend::Supports(const Node& n, const Graph& g) const {
  if (!available_ || !CheckActivation(n).ok()) return false;
  if (n.op == "Conv") {
    const Tensor* w = Initializer(g, n, 1);
    if (!w || (w->rank() != 4 && w->rank() != 3) || w->dtype() != DType::kFloat32) return false;
    if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
      // The kernels read one float32 bias per output channel.
      const Tensor* b = Initializer(g, n, 2);
      if (!b || b->dtype() != DType::kFloat32 || b->size() != w->dim(0)) return false;
    }
    if (n.String("auto_pad", "NOTSET") != "NOTSET") return false;
    size_t spatial = static_cast<size_t>(w->rank() - 2);
    return n.Ints("strides", std::vector<int64_t>(spatial, 1)).size() == spatial &&
           n.Ints("dilations", std::vector<int64_t>(spatial, 1)).size() == spatial &&
           n.Ints("pads", std::vector<int64_t>(2 * spatial, 0)).size() == 2 * spatial;
  }
  if (n.op == "GlobalAveragePool") return true;
  if (n.op == "MatMul") {
    const Tensor* b = Initializer(g, n, 1);
    if (!b || b->rank() != 2 || b->dtype() != DType::kFloat32) return false;
    if (n.inputs.size() > 2) {  // fused bias (passes.h FuseMatMulBias)
      const Tensor* c = Initializer(g, n, 2);
      return c && c->dtype() == DType::kFloat32 && c->size() == b->dim(1);
    }
    return true;
  }
  if (n.op == "Sigmoid") return n.inputs.size() == 1 && n.outputs.size() == 1;  // (this XNNPACK has no f32 tanh)
  if (n.op == "MaxPool") {
    auto k = n.Ints("kernel_shape");
    return k.size() == 2 && n.String("auto_pad", "NOTSET") == "NOTSET" && n.Int("ceil_mode", 0) == 0 &&
           n.Int("storage_order", 0) == 0 && n.outputs.size() == 1 && n.Ints("pads", {0, 0, 0, 0}).size() == 4 &&
           n.Ints("strides", {1, 1}).size() == 2 && n.Ints("dilations", {1, 1}).size() == 2;
  }
  if (n.op == "Gemm") {
    const Tensor* b = Initializer(g, n, 1);
    if (!b || b->rank() != 2 || b->dtype() != DType::kFloat32) return false;
    if (n.Int("transA", 0) != 0 || n.Float("alpha", 1) != 1.0f) return false;
    const Tensor* c = Initializer(g, n, 2);
    if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
      if (!c || n.Float("beta", 1) != 1.0f) return false;
      int64_t m = n.Int("transB", 0) ? b->dim(0) : b->dim(1);
      if (c->size() != m) return false;  // per-output bias only
    }
    return true;
  }
  return false;
}

Result<std::unique_ptr<PreparedSubgraph>> XnnBackend::Prepare(const GraphIndex& index, const Subgraph& subgraph) {
  std::vector<std::unique_ptr<NodeKernel>> kernels;
  for (size_t i : subgraph.nodes) {
    const Node& n = index.graph().nodes[i];
    EF_ASSIGN_OR_RETURN(std::unique_ptr<XnnNode> node, PrepareNode(n, index.graph()));
    kernels.push_back(std::make_unique<XnnKernel>(std::move(node), n.op == "Sigmoid", ActivationOf(n),
                                                  static_cast<pthreadpool_t>(threadpool_)));
  }
  return std::unique_ptr<PreparedSubgraph>(
      std::make_unique<NodeSequence>(subgraph.nodes, std::move(kernels), " (xnnpack)"));
}

Result<std::unique_ptr<XnnNode>> XnnBackend::PrepareNode(const Node& n, const Graph& g) {
  if (!Supports(n, g)) return Status::Unsupported(n.Describe() + ": not taken by the XNNPACK backend");
  auto pool = static_cast<pthreadpool_t>(threadpool_);
  const float inf = std::numeric_limits<float>::infinity();
  // A fused activation (passes.h) becomes XNNPACK's output clamp.
  const float out_min = n.Has("activation_min") ? n.Float("activation_min", -inf) : -inf;
  const float out_max = n.Has("activation_max") ? n.Float("activation_max", inf) : inf;
  if (n.op == "MaxPool" || n.op == "GlobalAveragePool") return std::unique_ptr<XnnNode>(std::make_unique<XnnPool>(n, pool));
  if (n.op == "Sigmoid") {
    auto node = std::make_unique<XnnUnary>(n, pool);
    xnn_status st = xnn_create_sigmoid_nc_f32(1, 1, 1, 0, node->op.ptr());
    if (st != xnn_status_success) return XnnError(st, n, "create sigmoid");
    return std::unique_ptr<XnnNode>(std::move(node));
  }
  if (n.op == "Conv") {
    Node conv = n;
    const Tensor& w = *Initializer(g, n, 1);
    const Tensor* b = Initializer(g, n, 2);
    const bool one_d = w.rank() == 3;
    int64_t M = w.dim(0), cg = w.dim(1), kh = one_d ? 1 : w.dim(2), kw = one_d ? w.dim(2) : w.dim(3);
    int64_t groups = n.Int("group", 1);
    if (groups < 1 || M % groups) return Status::InvalidArgument(n.Describe() + ": bad group");
    auto s = n.Ints("strides", std::vector<int64_t>(one_d ? 1 : 2, 1));
    auto d = n.Ints("dilations", std::vector<int64_t>(one_d ? 1 : 2, 1));
    auto p = n.Ints("pads", std::vector<int64_t>(one_d ? 2 : 4, 0));
    if (one_d) {  // as 2-D with a height of 1
      s = {1, s[0]};
      d = {1, d[0]};
      p = {0, p[0], 0, p[1]};
    }
    auto set_ints = [&](const char* name, std::vector<int64_t> v) {
      conv.attrs[name].kind = Attribute::Kind::kInts;
      conv.attrs[name].ints = std::move(v);
    };
    set_ints("kernel_shape", {kh, kw});
    set_ints("strides", s);
    set_ints("dilations", d);
    set_ints("pads", p);
    if (!one_d && WinogradEligible(conv, w)) return PrepareWinograd(conv, w, b, out_min, out_max, threadpool_);
    const bool pointwise = !one_d && kh == 1 && kw == 1 && groups == 1 && s == std::vector<int64_t>{1, 1} &&
                           d == std::vector<int64_t>{1, 1} && p == std::vector<int64_t>{0, 0, 0, 0};
    if (pointwise && PackedGemm::Eligible(cg, M)) {  // ONNX's [M, C, 1, 1] weight is already [n][k]
      auto node = std::make_unique<XnnConv>(conv, pool, M, false);
      node->gemm = Int8Product(g, n, 0, cg, 1, b ? b->data<float>() : nullptr, cg, M, out_min, out_max);
      if (!node->gemm) {
        node->gemm =
            std::make_unique<PackedGemm>(w.data<float>(), b ? b->data<float>() : nullptr, cg, M, out_min, out_max);
      }
      return std::unique_ptr<XnnNode>(std::move(node));
    }
    // ONNX OIHW -> XNNPACK [groups][group_out][kh][kw][group_in] (OHWI), or
    // for depthwise convolutions [kh][kw][channels] (HWO).
    int64_t mg = M / groups;
    bool depthwise = groups > 1 && cg == 1;
    std::vector<float> packed(static_cast<size_t>(w.size()));
    const float* pw = w.data<float>();
    for (int64_t o = 0; o < M; ++o)
      for (int64_t i = 0; i < cg; ++i)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x) {
            size_t dst = depthwise ? static_cast<size_t>((y * kw + x) * M + o)
                                   : static_cast<size_t>(((o * kh + y) * kw + x) * cg + i);
            packed[dst] = pw[((o * cg + i) * kh + y) * kw + x];
          }
    auto node = std::make_unique<XnnConv>(conv, pool, M, one_d);
    xnn_status st = xnn_create_convolution2d_nhwc_f32(
        static_cast<uint32_t>(p[0]), static_cast<uint32_t>(p[3]), static_cast<uint32_t>(p[2]),
        static_cast<uint32_t>(p[1]), static_cast<uint32_t>(kh), static_cast<uint32_t>(kw),
        static_cast<uint32_t>(s[0]), static_cast<uint32_t>(s[1]), static_cast<uint32_t>(d[0]),
        static_cast<uint32_t>(d[1]), static_cast<uint32_t>(groups), static_cast<size_t>(cg), static_cast<size_t>(mg),
        static_cast<size_t>(cg * groups), static_cast<size_t>(M), packed.data(), b ? b->data<float>() : nullptr,
        out_min, out_max, depthwise ? XNN_FLAG_DEPTHWISE_CONVOLUTION : 0, node->op.ptr());
    if (st != xnn_status_success) return XnnError(st, n, "create convolution");
    return std::unique_ptr<XnnNode>(std::move(node));
  }
  // Gemm and MatMul: XNNPACK's fully connected takes the kernel as [out][in],
  // i.e. ONNX B with transB = 1; transpose it otherwise.
  const Tensor& bt = *Initializer(g, n, 1);
  bool tb = n.op == "Gemm" && n.Int("transB", 0) != 0;
  int64_t K = tb ? bt.dim(1) : bt.dim(0), M = tb ? bt.dim(0) : bt.dim(1);
  std::vector<float> kernel(static_cast<size_t>(bt.size()));
  for (int64_t o = 0; o < M; ++o)
    for (int64_t i = 0; i < K; ++i)
      kernel[static_cast<size_t>(o * K + i)] = tb ? bt.data<float>()[o * K + i] : bt.data<float>()[i * M + o];
  const Tensor* c = n.op == "Gemm" || n.inputs.size() > 2 ? Initializer(g, n, 2) : nullptr;
  auto node = std::make_unique<XnnGemm>(n, pool, K, M);
  // [M][K] with transB, else [K][M] (scales along axis 1).
  node->gemm = Int8Product(g, n, tb ? 0 : 1, tb ? K : 1, tb ? 1 : M, c ? c->data<float>() : nullptr, K, M, out_min,
                           out_max);
  if (node->gemm) return std::unique_ptr<XnnNode>(std::move(node));
  if (PackedGemm::Eligible(K, M)) {
    node->gemm = std::make_unique<PackedGemm>(kernel.data(), c ? c->data<float>() : nullptr, K, M, out_min, out_max);
    return std::unique_ptr<XnnNode>(std::move(node));
  }
  xnn_status st = xnn_create_fully_connected_nc_f32(static_cast<size_t>(K), static_cast<size_t>(M),
                                                    static_cast<size_t>(K), static_cast<size_t>(M), kernel.data(),
                                                    c ? c->data<float>() : nullptr, out_min, out_max, 0,
                                                    node->op.ptr());
  if (st != xnn_status_success) return XnnError(st, n, "create fully connected");
  return std::unique_ptr<XnnNode>(std::move(node));
}

}  // namespace edgeflow::infer
