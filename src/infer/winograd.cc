// Winograd F(2x2, 3x3) (Lavin & Gray 2015): V = B^T d B per 4x4 input tile,
// U = G g G^T per filter, M = V U summed over input channels (16 GEMMs),
// Y = A^T M A per 2x2 output tile.
#include "infer/winograd.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <string>

namespace edgeflow::infer {
namespace {

constexpr int64_t kMinChannels = 128;  // below this, XNNPACK's direct conv is faster here (resnet18 layer1)

class WinogradConv : public XnnNode {
 public:
  WinogradConv(const Node& n, int64_t c, int64_t m, std::vector<float> bias, float lo, float hi, pthreadpool_t pool)
      : node_(n), c_(c), m_(m), bias_(std::move(bias)), lo_(lo), hi_(hi), pool_(pool),
        zeros_(static_cast<size_t>(c), 0.0f) {
    pads_ = n.Ints("pads", {0, 0, 0, 0});
  }
  ~WinogradConv() override {
    for (auto* op : gemm_) {
      if (op) xnn_delete_operator(op);
    }
  }

  xnn_operator_t gemm_[16] = {};

  bool nhwc() const override { return true; }

  Status Run(const std::vector<const Tensor*>& in, std::vector<Tensor>* out) override {
    const Tensor& x = *in[0];
    if (x.rank() != 4 || x.dtype() != DType::kFloat32) {
      return Status::InvalidArgument(node_.Describe() + ": Winograd conv needs a 4-D float32 input");
    }
    Tensor y;
    EF_RETURN_IF_ERROR(RunNhwc(NchwToNhwc(x), &y));
    out->push_back(NhwcToNchw(y));
    return Status::OK();
  }

  Status RunNhwc(const Tensor& x, Tensor* y) override {
    if (x.rank() != 4 || x.dtype() != DType::kFloat32 || x.dim(3) != c_) {
      return Status::InvalidArgument(node_.Describe() + ": Winograd conv input " + x.ShapeString());
    }
    n_ = x.dim(0);
    h_ = x.dim(1);
    w_ = x.dim(2);
    oh_ = h_ + pads_[0] + pads_[2] - 2;
    ow_ = w_ + pads_[1] + pads_[3] - 2;
    if (oh_ < 1 || ow_ < 1) return Status::InvalidArgument(node_.Describe() + ": input smaller than the kernel");
    th_ = (oh_ + 1) / 2;
    tw_ = (ow_ + 1) / 2;
    tiles_ = n_ * th_ * tw_;
    Tensor v = Tensor::Uninitialized(DType::kFloat32, {16, tiles_, c_});
    Tensor mm = Tensor::Uninitialized(DType::kFloat32, {16, tiles_, m_});
    *y = Tensor::Uninitialized(DType::kFloat32, {n_, oh_, ow_, m_});
    x_ = x.data<float>();
    v_ = v.data<float>();
    m_out_ = mm.data<float>();
    y_ = y->data<float>();
    pthreadpool_parallelize_1d(pool_, &InputTask, this, static_cast<size_t>(tiles_), 0);
    for (int p = 0; p < 16; ++p) {
      xnn_status st = xnn_setup_fully_connected_nc_f32(gemm_[p], static_cast<size_t>(tiles_), v_ + p * tiles_ * c_,
                                                       m_out_ + p * tiles_ * m_, pool_);
      if (st == xnn_status_success) st = xnn_run_operator(gemm_[p], pool_);
      if (st != xnn_status_success) {
        return Status::Internal(node_.Describe() + ": XNNPACK Winograd GEMM failed (status " + std::to_string(st) +
                                ")");
      }
    }
    pthreadpool_parallelize_1d(pool_, &OutputTask, this, static_cast<size_t>(tiles_), 0);
    return Status::OK();
  }

 private:
  static void InputTask(void* self, size_t t) { static_cast<WinogradConv*>(self)->InputTile(static_cast<int64_t>(t)); }
  static void OutputTask(void* self, size_t t) { static_cast<WinogradConv*>(self)->OutputTile(static_cast<int64_t>(t)); }

  void InputTile(int64_t t) {
    const int64_t n = t / (th_ * tw_), ty = (t / tw_) % th_, tx = t % tw_;
    const int64_t y0 = ty * 2 - pads_[0], x0 = tx * 2 - pads_[1];
    const float* src[4][4];
    for (int i = 0; i < 4; ++i) {
      for (int j = 0; j < 4; ++j) {
        int64_t yy = y0 + i, xx = x0 + j;
        src[i][j] = (yy < 0 || yy >= h_ || xx < 0 || xx >= w_) ? zeros_.data() : x_ + ((n * h_ + yy) * w_ + xx) * c_;
      }
    }
    float* dst[16];
    for (int p = 0; p < 16; ++p) dst[p] = v_ + (p * tiles_ + t) * c_;
    for (int64_t c = 0; c < c_; ++c) {
      float d[4][4], u[4][4];
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) d[i][j] = src[i][j][c];
      for (int j = 0; j < 4; ++j) {  // B^T d
        u[0][j] = d[0][j] - d[2][j];
        u[1][j] = d[1][j] + d[2][j];
        u[2][j] = d[2][j] - d[1][j];
        u[3][j] = d[1][j] - d[3][j];
      }
      for (int i = 0; i < 4; ++i) {  // (B^T d) B
        dst[i * 4 + 0][c] = u[i][0] - u[i][2];
        dst[i * 4 + 1][c] = u[i][1] + u[i][2];
        dst[i * 4 + 2][c] = u[i][2] - u[i][1];
        dst[i * 4 + 3][c] = u[i][1] - u[i][3];
      }
    }
  }

  void OutputTile(int64_t t) {
    const int64_t n = t / (th_ * tw_), ty = (t / tw_) % th_, tx = t % tw_;
    const float* src[16];
    for (int p = 0; p < 16; ++p) src[p] = m_out_ + (p * tiles_ + t) * m_;
    const int64_t oy = ty * 2, ox = tx * 2;
    float* dst[2][2];
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) {
        bool inside = oy + i < oh_ && ox + j < ow_;
        dst[i][j] = inside ? y_ + ((n * oh_ + oy + i) * ow_ + ox + j) * m_ : nullptr;
      }
    for (int64_t co = 0; co < m_; ++co) {
      float mv[4][4], a[2][4];
      for (int p = 0; p < 16; ++p) mv[p / 4][p % 4] = src[p][co];
      for (int j = 0; j < 4; ++j) {  // A^T m
        a[0][j] = mv[0][j] + mv[1][j] + mv[2][j];
        a[1][j] = mv[1][j] - mv[2][j] - mv[3][j];
      }
      const float b = bias_[static_cast<size_t>(co)];
      for (int i = 0; i < 2; ++i) {  // (A^T m) A
        float r0 = a[i][0] + a[i][1] + a[i][2] + b, r1 = a[i][1] - a[i][2] - a[i][3] + b;
        if (dst[i][0]) dst[i][0][co] = std::min(std::max(r0, lo_), hi_);
        if (dst[i][1]) dst[i][1][co] = std::min(std::max(r1, lo_), hi_);
      }
    }
  }

  const Node node_;
  const int64_t c_, m_;
  const std::vector<float> bias_;
  const float lo_, hi_;
  pthreadpool_t pool_;
  std::vector<int64_t> pads_;
  const std::vector<float> zeros_;
  // Per run (one run at a time): shapes and buffers the tile tasks read.
  int64_t n_ = 0, h_ = 0, w_ = 0, oh_ = 0, ow_ = 0, th_ = 0, tw_ = 0, tiles_ = 0;
  const float* x_ = nullptr;
  float *v_ = nullptr, *m_out_ = nullptr, *y_ = nullptr;
};

}  // namespace

bool WinogradEligible(const Node& conv, const Tensor& w) {
  static const bool enabled = [] {
    const char* e = std::getenv("EDGEFLOW_WINOGRAD");
    return !(e && std::string(e) == "0");
  }();
  if (!enabled || w.rank() != 4 || w.dim(2) != 3 || w.dim(3) != 3 || w.dtype() != DType::kFloat32) return false;
  if (conv.Int("group", 1) != 1 || w.dim(0) < kMinChannels || w.dim(1) < kMinChannels) return false;
  auto s = conv.Ints("strides", {1, 1}), d = conv.Ints("dilations", {1, 1}), p = conv.Ints("pads", {0, 0, 0, 0});
  return s == std::vector<int64_t>{1, 1} && d == std::vector<int64_t>{1, 1} && p.size() == 4;
}

Result<std::unique_ptr<XnnNode>> PrepareWinograd(const Node& conv, const Tensor& w, const Tensor* b, float out_min,
                                                 float out_max, void* pool) {
  const int64_t m = w.dim(0), c = w.dim(1);
  std::vector<float> bias(static_cast<size_t>(m), 0.0f);
  if (b) {
    if (b->size() != m || b->dtype() != DType::kFloat32) return Status::InvalidArgument(conv.Describe() + ": bias");
    for (int64_t i = 0; i < m; ++i) bias[static_cast<size_t>(i)] = b->data<float>()[i];
  }
  auto node = std::make_unique<WinogradConv>(conv, c, m, std::move(bias), out_min, out_max,
                                             static_cast<pthreadpool_t>(pool));
  // U = G g G^T for every (out, in) pair, stored per position as [out][in].
  static const double G[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
  std::vector<float> u(static_cast<size_t>(16 * m * c));
  const float* pw = w.data<float>();
  for (int64_t o = 0; o < m; ++o) {
    for (int64_t i = 0; i < c; ++i) {
      const float* g = pw + (o * c + i) * 9;
      double t[4][3];
      for (int r = 0; r < 4; ++r)
        for (int k = 0; k < 3; ++k) t[r][k] = G[r][0] * g[k] + G[r][1] * g[3 + k] + G[r][2] * g[6 + k];
      for (int r = 0; r < 4; ++r)
        for (int s = 0; s < 4; ++s) {
          double v = t[r][0] * G[s][0] + t[r][1] * G[s][1] + t[r][2] * G[s][2];
          u[static_cast<size_t>(((r * 4 + s) * m + o) * c + i)] = static_cast<float>(v);
        }
    }
  }
  const float inf = std::numeric_limits<float>::infinity();
  for (int p = 0; p < 16; ++p) {
    xnn_status st = xnn_create_fully_connected_nc_f32(static_cast<size_t>(c), static_cast<size_t>(m),
                                                      static_cast<size_t>(c), static_cast<size_t>(m),
                                                      u.data() + static_cast<size_t>(p * m * c), nullptr, -inf, inf,
                                                      0, &node->gemm_[p]);
    if (st != xnn_status_success) {
      return Status::Internal(conv.Describe() + ": XNNPACK Winograd GEMM create failed (status " +
                              std::to_string(st) + ")");
    }
  }
  return std::unique_ptr<XnnNode>(std::move(node));
}

}  // namespace edgeflow::infer
